"""Writers of SurveyXact (Rambøll) exports: the Excel workbook and the CSV triple.

Formats follow public exports parsed by NIFU-NO/readSX (``inst/extdata``) and
stigsen/indsight (see ``/work/shared/DOMAIN.md``, "How survey platforms export"):

* Excel: sheets ``Dataset`` (variable names as headers; system columns ``respondentid,
  closetime, starttime, created, modified, difftime, email`` first, status dummies
  ``statoverall_1..5`` last; codes as numeric cells; empty open answers as empty strings),
  ``Labels`` (no header; ``variable, value, label``), ``Variables`` (``variableName,
  variableDescription``), ``Complete`` (the data with descriptions as headers), ``Structure``.
* CSV: ``dataset.csv``, ``structure.csv`` (header ``questionName;variableName;questionType;
  subType;questionText;choiceValue;choiceText``; every data row ends with an extra delimiter, the
  platform's redundant empty column; the header does not, as in readSX's comma export),
  ``labels.csv`` (no header), in three dialects: semicolon + windows-1252, comma + windows-1252,
  tab + UTF-16LE with BOM. Lines end in CRLF. Text containing the delimiter, a quote or a line
  break is double-quoted; the comma dialect quotes every question and choice text in
  ``structure.csv``, as the platform does.

Conventions the writers choose where no public file shows them (documented so readers can rely
on them): dates in the CSV files as ``dd-mm-yyyy hh:mm:ss``; ``difftime`` in seconds; ranking
items as one variable per option holding the rank (``subType`` ``Ranking``, no labels); number
items ``Open``/``Integer``, date items ``Open``/``Date``, text ``Open``/``String``. Multiple-choice
dummies are written as 0 for respondents who were not shown the question or never answered (NA in
the clean frame), as SurveyXact does; the status dummies tell the difference.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from survey_kit.codebook import Codebook
from survey_kit.datasets._platform import (
    STATUS_LABELS,
    as_code_frame,
    header_text,
    status,
    timestamps,
)

SYSTEM_COLUMNS = (
    "respondentid",
    "closetime",
    "starttime",
    "created",
    "modified",
    "difftime",
    "email",
)
SYSTEM_DESCRIPTIONS = {
    "respondentid": "Respondent-id",
    "closetime": "Afsluttet",
    "starttime": "Påbegyndt",
    "created": "Oprettet",
    "modified": "Sidst ændret",
    "difftime": "Svartid (sekunder)",
    "email": "E-mail",
}
STRUCTURE_HEADER = (
    "questionName",
    "variableName",
    "questionType",
    "subType",
    "questionText",
    "choiceValue",
    "choiceText",
)
DIALECTS = {
    "semicolon-cp1252": (";", "cp1252"),
    "comma-cp1252": (",", "cp1252"),
    "tab-utf16": ("\t", "utf-16"),
}
DATE_FORMAT = "%d-%m-%Y %H:%M:%S"


def _dataset(df: pd.DataFrame, codebook: Codebook, seed: int) -> pd.DataFrame:
    """The Dataset sheet as a frame: system columns, variables, status dummies."""
    times = timestamps(df, codebook, seed)
    out = pd.DataFrame(
        {"respondentid": df[codebook.respondent_id.column].to_numpy()}, index=df.index
    )
    out = out.join(times)
    email = pd.Series("", index=df.index, dtype="str")
    if (
        codebook.panel_key is not None
        and codebook.panel_key.personal
        and codebook.panel_key.column in df
    ):
        email = df[codebook.panel_key.column].astype("str").fillna("")
    out["email"] = email
    out = out.join(as_code_frame(df, codebook))
    st = status(df, codebook)
    for k in STATUS_LABELS:
        out[f"statoverall_{k}"] = (st == k).astype(np.int64)
    return out.reset_index(drop=True)


def _descriptions(columns: list[str], codebook: Codebook) -> list[str]:
    out = []
    for c in columns:
        if c in SYSTEM_DESCRIPTIONS:
            out.append(SYSTEM_DESCRIPTIONS[c])
        elif c.startswith("statoverall_"):
            out.append(f"Samlet status - {STATUS_LABELS[int(c.rsplit('_', 1)[1])]}")
        else:
            out.append(header_text(codebook.item_for_column(c), c))
    return out


def _labels(columns: list[str], codebook: Codebook) -> list[tuple[str, int, str]]:
    rows: list[tuple[str, int, str]] = []
    for c in columns:
        item = codebook.item_for_column(c)
        if c.startswith("statoverall_") or (item is not None and item.type == "multiple"):
            rows += [(c, 0, "Ikke valgt"), (c, 1, "Valgt")]
        elif item is not None and item.is_categorical:
            rows += [(c, code, label) for code, label in sorted(item.labels.items())]
    return rows


_OPEN_SUBTYPE = {"text": "String", "number": "Integer", "date": "Date"}


def _structure(columns: list[str], codebook: Codebook) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for c in columns:
        if c in SYSTEM_COLUMNS:
            continue
        if c.startswith("statoverall_"):
            k = int(c.rsplit("_", 1)[1])
            rows.append(
                ("statoverall", c, "Closed", "Multiple", "Samlet status", str(k), STATUS_LABELS[k])
            )
            continue
        item = codebook.item_for_column(c)
        if item is None:
            rows.append((c, c, "Open", "String", c, "", ""))
        elif item.type in ("multiple", "ranking"):
            opt = c.rsplit("_", 1)[1]
            sub = "Multiple" if item.type == "multiple" else "Ranking"
            rows.append((item.code, c, "Closed", sub, item.text, opt, item.option_label(c)))
        elif item.is_categorical:
            rows.append((item.code, c, "Closed", "Single", item.text, "", ""))
        else:
            rows.append((item.code, c, "Open", _OPEN_SUBTYPE[item.type], item.text, "", ""))
    return rows


def write_surveyxact_xlsx(
    df: pd.DataFrame, codebook: Codebook, path: str | Path, *, seed: int = 0
) -> Path:
    """Write ``df`` as a SurveyXact Excel export (sheets Dataset, Labels, Variables, Complete, Structure).

    Parameters
    ----------
    df
        A frame in the processed-data conventions (a generator's output, possibly with flaws and
        a ``_complete`` column). Rows without any answer are written as distributed
        (``statoverall_2``), rows with ``_complete`` False as partial (``statoverall_3``).
    codebook
        The instrument.
    path
        The ``.xlsx`` file to write.
    seed
        Seed for the platform timestamps (start times, durations) the frame does not hold.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    data = _dataset(df, codebook, seed)
    columns = list(data.columns)
    desc = _descriptions(columns, codebook)
    text_cols = {c for c in columns if c == "email" or _is_text(codebook, c)}
    date_cols = {"closetime", "starttime", "created", "modified"} | {
        c for c in columns if (it := codebook.item_for_column(c)) is not None and it.type == "date"
    }
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    fmt_date = wb.add_format({"num_format": "dd-mm-yyyy hh:mm:ss"})
    for sheet_name, header in (("Dataset", columns), ("Complete", desc)):
        ws = wb.add_worksheet(sheet_name)
        ws.write_row(0, 0, header)
        arrays = [_cells(data[c], c in text_cols, c in date_cols) for c in columns]
        for i in range(len(data)):
            for j, values in enumerate(arrays):
                v = values[i]
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(i + 1, j, v)
                elif columns[j] in date_cols:
                    ws.write_datetime(i + 1, j, v, fmt_date)
                else:
                    ws.write_number(i + 1, j, v)
    ws = wb.add_worksheet("Labels")
    for i, (var, value, label) in enumerate(_labels(columns, codebook)):
        ws.write_string(i, 0, var)
        ws.write_number(i, 1, value)
        ws.write_string(i, 2, label)
    ws = wb.add_worksheet("Variables")
    ws.write_row(0, 0, ["variableName", "variableDescription"])
    for i, (c, d) in enumerate(zip(columns, desc, strict=True)):
        ws.write_row(i + 1, 0, [c, d])
    ws = wb.add_worksheet("Structure")
    ws.write_row(0, 0, list(STRUCTURE_HEADER))
    for i, row in enumerate(_structure(columns, codebook)):
        for j, v in enumerate(row):
            if j == 5 and v != "":
                ws.write_number(i + 1, j, int(v))
            elif v != "":
                ws.write_string(i + 1, j, v)
    wb.close()
    return path


def _is_text(codebook: Codebook, column: str) -> bool:
    item = codebook.item_for_column(column)
    return item is not None and item.type == "text"


def _cells(series: pd.Series, text: bool, date: bool) -> list[object]:
    """Python cell values: None for blank, '' for an empty open answer, datetimes, numbers."""
    if text:
        return series.astype("str").fillna("").tolist()
    if date:
        s = pd.to_datetime(series)
        return [None if pd.isna(v) else v.to_pydatetime() for v in s]
    if pd.api.types.is_string_dtype(series):
        return [None if pd.isna(v) else str(v) for v in series]
    values = series.astype("Float64")
    return [None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v)) for v in values]


def _field(value: str, delimiter: str, always: bool = False) -> str:
    if always or any(ch in value for ch in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(encoding)


def write_surveyxact_csv(
    df: pd.DataFrame,
    codebook: Codebook,
    folder: str | Path,
    variant: str = "semicolon-cp1252",
    *,
    seed: int = 0,
) -> dict[str, Path]:
    """Write ``df`` as SurveyXact's CSV export: ``dataset.csv``, ``structure.csv``, ``labels.csv``.

    Parameters
    ----------
    df, codebook, seed
        As for :func:`write_surveyxact_xlsx`.
    folder
        The folder to write the three files into (created if needed).
    variant
        ``"semicolon-cp1252"``, ``"comma-cp1252"`` or ``"tab-utf16"`` (UTF-16LE with BOM).

    Returns
    -------
    dict
        ``{"dataset": path, "structure": path, "labels": path}``.
    """
    if variant not in DIALECTS:
        raise ValueError(f"variant must be one of {sorted(DIALECTS)}, got {variant!r}")
    delim, encoding = DIALECTS[variant]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = _dataset(df, codebook, seed)
    columns = list(data.columns)
    out = data.copy()
    for c in ("closetime", "starttime", "created", "modified"):
        out[c] = pd.to_datetime(out[c]).dt.strftime(DATE_FORMAT)
    for c in columns:
        item = codebook.item_for_column(c)
        if item is not None and item.type == "date":
            out[c] = pd.to_datetime(out[c]).dt.strftime(DATE_FORMAT)
    buf = io.StringIO()
    out.to_csv(buf, sep=delim, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    paths = {name: folder / f"{name}.csv" for name in ("dataset", "structure", "labels")}
    paths["dataset"].write_bytes(_encode(buf.getvalue(), encoding))

    lines = [delim.join(STRUCTURE_HEADER)]
    always = variant == "comma-cp1252"
    for row in _structure(columns, codebook):
        fields = [
            _field(v, delim, always=always and j in (4, 6) and v != "") for j, v in enumerate(row)
        ]
        lines.append(delim.join(fields) + delim)
    paths["structure"].write_bytes(_encode("\r\n".join(lines) + "\r\n", encoding))

    lines = [
        delim.join((var, str(value), _field(label, delim)))
        for var, value, label in _labels(columns, codebook)
    ]
    paths["labels"].write_bytes(_encode("\r\n".join(lines) + "\r\n", encoding))
    return paths


def round_codebook(codebook: Codebook, wave: int) -> Codebook:
    """The codebook as round ``wave``'s own export names things: for writing one round's export
    of a recurring survey (the inverse of the items' ``sources``, ``waves`` and ``recode``).

    Items not asked in the round and the wave column are left out; an item's column and question
    text are the round's (``sources``); a recoded item carries the round's own codes and labels
    (``recode.labels``) besides the codebook's (only the round's own with ``comparison: broken``). Scales, hierarchy and population are dropped
    (an export carries none of them)."""
    from survey_kit.codebook import parse_codebook

    rename = {}
    items = []
    for item in codebook.items:
        if codebook.wave is not None and item.code == codebook.wave.column:
            continue
        if not codebook.asked_in(item.code, wave):
            continue
        d = item.model_dump(mode="python", exclude_defaults=True)
        for key in ("sources", "waves", "recode", "scale", "parent"):
            d.pop(key, None)
        src = codebook.source_for(item.code, wave)
        if src is not None and src.column:
            rename[item.code] = src.column
            d["code"] = src.column
        if src is not None and src.text:
            d["text"] = src.text
        rec = codebook.recode_for(item.code, wave)
        if rec is not None and rec.labels and item.is_categorical:
            values = {} if rec.comparison == "broken" else dict(item.values)  # a new scale: the round's own
            values.update({k: v for k, v in rec.labels.items() if k not in item.missing})
            d["values"] = dict(sorted(values.items()))
            d["positive"] = tuple(c for c in item.positive if c in values)
        items.append(d)
    for d in items:
        if "ask_if" in d and d["ask_if"]["item"] in rename:
            d["ask_if"] = {**d["ask_if"], "item": rename[d["ask_if"]["item"]]}
    data = codebook.model_dump(mode="python", exclude_defaults=True)
    for key in ("scales", "hierarchy", "population", "wave"):
        data.pop(key, None)
    data["items"] = items
    return parse_codebook(data, source=f"{codebook.instrument} ({codebook.wave.labels[wave]})")
