"""SurveyXact (Rambøll) exports: the Excel workbook (Dataset/Labels/Variables/Structure sheets)
and the CSV triple (dataset.csv, structure.csv, labels.csv), plus the status dummies.

Layout as SurveyXact writes it (see DOMAIN.md; mirrored from NIFU-NO/readSX inst/extdata and
stigsen/indsight): ``Labels`` has no header (variable, value, label); ``Variables`` has
``variableName, variableDescription``; ``structure.csv`` has
``questionName;variableName;questionType;subType;questionText;choiceValue;choiceText``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from survey_kit.ingest._common import data_error, is_blank
from survey_kit.ingest.excel import sheet_rows, table_from_rows
from survey_kit.ingest.textfile import decode, read_text, sniff_delimiter

#: System columns SurveyXact puts before the answers (full names and the API's 8-char names).
SYSTEM_COLUMNS = (
    "respondentid", "responde", "closetime", "closetim", "starttime", "starttim", "created",
    "modified", "difftime", "email", "name", "distributionschedule",
)
ID_COLUMNS = ("respondentid", "responde")
STATUS_RE = re.compile(r"^(?:statoverall|stato|stat)_([1-5])$", re.I)
#: Any status dummy, also the API's other 8-character status families (``statc_``, ``statd_``,
#: ``stats_`` ...): system columns, never questions.
ANY_STATUS_RE = re.compile(r"^stat[a-z]*_\w+$", re.I)
_TRIPLE_RE = re.compile(r"^(dataset|structure|labels)(?:_([a-z]{2,3}))?\.csv$", re.I)
STATUS = {1: "not_started", 2: "distributed", 3: "partial", 4: "complete", 5: "rejected"}
DATASET_RE = re.compile(r"^dataset\s*(?:\((\d+)\))?$", re.I)


def status_columns(columns: Any) -> dict[int, str]:
    """Status code -> column for SurveyXact's ``statoverall_1..5`` (or ``stato_1..5``) dummies."""
    out = {}
    for c in columns:
        m = STATUS_RE.match(str(c))
        if m:
            out.setdefault(int(m.group(1)), c)
    return out


def looks_like_surveyxact(columns: Any) -> bool:
    """A data table from SurveyXact: it has the status dummies (``statoverall_4``/``stato_4``)."""
    return 4 in status_columns(columns)


def system_columns(columns: Any) -> tuple[str, ...]:
    lower = {s.lower() for s in SYSTEM_COLUMNS}
    return tuple(c for c in columns if str(c).lower() in lower or ANY_STATUS_RE.match(str(c)))


def status(frame: pd.DataFrame) -> pd.Series | None:
    """Per row the status whose dummy is 1 (new -> ``not_started``, ... 4 -> ``complete``);
    NA when no dummy is 1."""
    cols = status_columns(frame.columns)
    if not cols:
        return None
    out = pd.Series(pd.NA, index=frame.index, dtype="str")
    for code, col in sorted(cols.items()):
        on = pd.to_numeric(frame[col], errors="coerce") == 1
        out = out.mask(on & out.isna(), STATUS[code])
    close = next((c for c in frame.columns if str(c).lower() in ("closetime", "closetim")), None)
    if close is not None:  # a close time is a submitted answer, whatever an API dummy says
        closed = frame[close].notna() & (frame[close].astype("string").str.strip().fillna("") != "")
        out = out.mask(closed & (out.isna() | out.isin(["not_started", "distributed"])), "complete")
    return out


# -- workbook ------------------------------------------------------------------------------------
def dataset_sheets(names: list[str]) -> list[str]:
    """``Dataset`` or ``Dataset(1)``, ``Dataset(2)``... in order."""
    found = [(int(m.group(1) or 0), n) for n in names if (m := DATASET_RE.match(n.strip()))]
    return [n for _, n in sorted(found)]


def is_workbook(names: list[str]) -> bool:
    lower = {n.strip().lower() for n in names}
    return bool(dataset_sheets(names)) and bool(lower & {"labels", "variables", "structure"})


def read_workbook(wb: Any, path: Path) -> dict[str, Any]:
    """Read a SurveyXact workbook into the pieces of a RawExport."""
    sheets = dataset_sheets(list(wb.sheetnames))
    notes: list[str] = []
    first = table_from_rows(sheet_rows(wb, sheets[0], path), sheets[0], title_rows=False)
    frame, rows = first.frame, first.source_rows
    notes += first.notes
    for name in sheets[1:]:
        part = table_from_rows(sheet_rows(wb, name, path), name, title_rows=False)
        frame = _join(frame, part.frame, path, name)
    if len(sheets) > 1:
        notes.append(f"wide data joined from sheets {', '.join(sheets)}")
    lookup = {n.strip().lower(): n for n in wb.sheetnames}
    value_labels: dict[str, dict[int, str]] = {}
    if "labels" in lookup:
        value_labels = _labels(sheet_rows(wb, lookup["labels"], path))
    variable_labels: dict[str, str] = {}
    if "variables" in lookup:
        vt = table_from_rows(sheet_rows(wb, lookup["variables"], path), "Variables", title_rows=False)
        variable_labels = _variables(vt.frame)
    if "structure" in lookup:
        st = table_from_rows(sheet_rows(wb, lookup["structure"], path), "Structure", title_rows=False)
        for k, v in _structure(st.frame).items():
            variable_labels.setdefault(k, v)
    return dict(
        frame=frame, source_rows=rows, sheet=sheets[0], header_row=1, notes=notes,
        variable_labels=variable_labels, value_labels=value_labels,
    )


def _join(left: pd.DataFrame, right: pd.DataFrame, path: Path, sheet: str) -> pd.DataFrame:
    key = next((k for k in ID_COLUMNS if k in left.columns and k in right.columns), None)
    new = [c for c in right.columns if c not in left.columns]
    if key is None:
        if len(right) != len(left):
            raise data_error(
                path, f"sheet {sheet!r} has {len(right)} rows but the first Dataset sheet has "
                f"{len(left)}, and no respondentid column to join them by"
            )
        return pd.concat([left, right[new].set_index(left.index)], axis=1)
    if right[key].duplicated().any():
        raise data_error(path, f"sheet {sheet!r}: column {key!r} has repeated respondent ids")
    return left.merge(right[[key, *new]], on=key, how="left", validate="one_to_one")


def _labels(rows: list) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    for r in rows:
        if len(r) < 3 or is_blank(r[0]) or is_blank(r[1]):
            continue
        try:
            code = int(float(str(r[1]).replace(",", ".")))
        except ValueError:
            continue
        out.setdefault(str(r[0]).strip(), {})[code] = "" if is_blank(r[2]) else str(r[2]).strip()
    return out


def _variables(frame: pd.DataFrame) -> dict[str, str]:
    cols = {str(c).strip().lower(): c for c in frame.columns}
    name, desc = cols.get("variablename"), cols.get("variabledescription")
    if name is None or desc is None:
        return {}
    return {
        str(n).strip(): str(d).strip()
        for n, d in zip(frame[name], frame[desc], strict=True)
        if not is_blank(n) and not is_blank(d) and str(d).strip() != str(n).strip()
    }


def _structure(frame: pd.DataFrame) -> dict[str, str]:
    """variableName -> questionText (``questionText - choiceText`` for a multiple-choice option)."""
    cols = {str(c).strip().lower(): c for c in frame.columns}
    name, text = cols.get("variablename"), cols.get("questiontext")
    if name is None or text is None:
        return {}
    sub, choice = cols.get("subtype"), cols.get("choicetext")
    out = {}
    for i in range(len(frame)):
        n, t = frame[name].iloc[i], frame[text].iloc[i]
        if is_blank(n) or is_blank(t):
            continue
        label = str(t).strip()
        if sub is not None and choice is not None:
            s, c = frame[sub].iloc[i], frame[choice].iloc[i]
            if not is_blank(s) and str(s).strip().lower() == "multiple" and not is_blank(c):
                label = f"{label} - {str(c).strip()}"
        out[str(n).strip()] = label
    return out


# -- CSV triple ----------------------------------------------------------------------------------
def _triple_files(folder: Path) -> dict[str, Path]:
    """``dataset``/``structure``/``labels`` -> file in ``folder``; a language-suffixed file
    (``labels_en.csv``) is taken when the plain one is missing."""
    found: dict[str, Path] = {}
    for p in sorted(folder.iterdir(), key=lambda p: (len(p.name), p.name)):
        m = _TRIPLE_RE.match(p.name)
        if m and p.is_file():
            found.setdefault(m.group(1).lower(), p)
    return found


def triple_dataset(path: Path) -> Path | None:
    """The ``dataset.csv`` of a SurveyXact CSV export, given it or its folder; None otherwise.
    Structure and labels may carry a language suffix (``structure_en.csv``, ``labels_en.csv``)."""
    folder = path if path.is_dir() else path.parent
    if not path.is_dir() and not (_TRIPLE_RE.match(path.name) and path.name.lower().startswith("dataset")):
        return None
    found = _triple_files(folder)
    if "dataset" in found and ("structure" in found or "labels" in found):
        return found["dataset"] if path.is_dir() else path
    return None


def read_triple(
    dataset: Path, data: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> dict[str, Any]:
    """Read dataset.csv and, beside it, structure.csv and labels.csv (or their ``_xx`` versions)."""
    table = read_text(dataset, data, encoding=encoding, delimiter=delimiter)
    found = _triple_files(dataset.parent)
    notes = list(table.notes)
    value_labels: dict[str, dict[int, str]] = {}
    variable_labels: dict[str, str] = {}
    if "labels" in found:
        rows = _small_csv(found["labels"], encoding, table.delimiter)
        value_labels = _labels([tuple(r) for r in rows])
        notes.append(f"value labels from {found['labels'].name}")
    if "structure" in found:
        rows = _small_csv(found["structure"], encoding, table.delimiter)
        if rows:
            header = [h.strip() for h in rows[0]]
            body = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
            st = pd.DataFrame([r[: len(header)] for r in body], columns=header)
            variable_labels = _structure(st)
            notes.append(f"question texts from {found['structure'].name}")
    return dict(
        frame=table.frame, source_rows=table.source_rows, encoding=table.encoding,
        delimiter=table.delimiter, header_row=table.header_row, notes=notes,
        variable_labels=variable_labels, value_labels=value_labels,
    )


def _small_csv(path: Path, encoding: str | None, delimiter: str) -> list[list[str]]:
    data = path.read_bytes()
    text, _, _ = decode(path, data, encoding)
    text = text.removeprefix("\ufeff")
    delim = delimiter if delimiter in text[:5000] else sniff_delimiter(text)
    try:
        return [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim) if r]
    except csv.Error as err:
        raise data_error(path, f"cannot be parsed as delimited text ({err})") from None


__all__ = [
    "ID_COLUMNS",
    "STATUS",
    "SYSTEM_COLUMNS",
    "is_workbook",
    "looks_like_surveyxact",
    "read_triple",
    "read_workbook",
    "status",
    "system_columns",
    "triple_dataset",
]
