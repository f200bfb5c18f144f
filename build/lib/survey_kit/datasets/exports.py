"""Writers of the other shapes survey data arrives in: a CSV re-saved in Danish Excel, an SPSS
``.sav`` file, and a Microsoft Forms workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import xlsxwriter

from survey_kit.codebook import Codebook
from survey_kit.datasets._platform import (
    as_code_frame,
    data_columns,
    header_text,
    status,
    timestamps,
)

EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _excel_serial(values: pd.Series) -> pd.Series:
    """Excel serial day numbers (1900 date system) of datetimes."""
    return (pd.to_datetime(values) - EXCEL_EPOCH) / pd.Timedelta(days=1)


def _decimal_comma(values: pd.Series, decimals: int) -> pd.Series:
    """Numbers as Danish Excel shows them in a CSV: decimal comma, no thousands separator,
    trailing zeros dropped (Excel's General format)."""
    out = values.astype("Float64").round(decimals).astype("str")
    out = out.str.replace(r"\.0+$", "", regex=True).str.replace(".", ",", regex=False)
    return out.where(values.notna(), "")


def _label_texts(series: pd.Series, labels: dict[int, str]) -> pd.Series:
    """Label text per code; a code without a label stays as its number (as a label export does)."""
    codes = series.astype("Int64")
    text = codes.map(labels).astype("str")
    return text.where(text.notna(), codes.astype("str")).where(codes.notna(), "")


def write_excel_resaved_csv(
    df: pd.DataFrame, codebook: Codebook, path: str | Path, *, seed: int = 0
) -> Path:
    """Write ``df`` as a label export that someone opened and re-saved in Danish Excel.

    What that does to a file, and so what this writer produces: semicolon-separated,
    windows-1252, CRLF line ends; a title row and an empty row above the header (every row padded
    with delimiters to the full width, as Excel writes them); question texts as headers
    (``text - option`` for option columns); answers as label text (including "Ved ikke"; a code
    without a label as its number; multiple-choice options as "Valgt"/"Ikke valgt"; ranks as
    numbers); the answer time ``Afsluttet`` and date items as Excel serial numbers with a decimal
    comma (``39703,43``); ``Svartid (minutter)`` with a decimal comma; line breaks inside free
    text kept inside double quotes.

    Parameters
    ----------
    df, codebook, seed
        As for :func:`survey_kit.datasets.write_surveyxact_xlsx`.
    path
        The ``.csv`` file to write.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    times = timestamps(df, codebook, seed)
    id_col = codebook.respondent_id.column
    cols: dict[str, pd.Series] = {id_col: df[id_col].astype("Int64").astype("str").fillna("")}
    cols["Afsluttet"] = _decimal_comma(_excel_serial(times["closetime"]), 8)
    cols["Svartid (minutter)"] = _decimal_comma(times["difftime"].astype("Float64") / 60, 1)
    for c in data_columns(df, codebook):
        item = codebook.item_for_column(c)
        s = df[c]
        if item is None:
            cols[c] = s.astype("str").fillna("")
        elif item.type == "multiple":
            cols[header_text(item, c)] = np.where(
                s.fillna(0).astype("int64") == 1, "Valgt", "Ikke valgt"
            )
        elif item.is_categorical:
            cols[header_text(item, c)] = _label_texts(s, item.labels)
        elif item.type == "date":
            cols[header_text(item, c)] = _decimal_comma(_excel_serial(s), 8)
        elif item.type == "number" or item.type == "ranking":
            cols[header_text(item, c)] = _decimal_comma(s, 2)
        else:
            cols[header_text(item, c)] = s.astype("str").fillna("")
    out = pd.DataFrame({k: pd.Series(v, index=df.index) for k, v in cols.items()})
    width = out.shape[1]
    pad = ";" * (width - 1)
    title = f"{codebook.title}{pad}"
    body = out.to_csv(sep=";", index=False, lineterminator="\r\n")
    text = f"{title}\r\n{pad}\r\n{body}"
    path.write_bytes(text.encode("cp1252"))
    return path


def write_spss(df: pd.DataFrame, codebook: Codebook, path: str | Path) -> Path:
    """Write ``df`` as an SPSS ``.sav`` file with pyreadstat, as SurveyXact's SPSS export.

    Variable labels are the question texts (``text - option`` for option columns); value labels
    are the Danish labels including the declared missing codes, which are also declared as
    user-defined missing values (``missing_ranges``), so SPSS leaves "Ved ikke" out of the base.
    Multiple-choice dummies get 0 "Ikke valgt" / 1 "Valgt" and are 0 where the question was not
    shown. Codes are written as numbers (SPSS has no integer type), text as strings, dates as
    SPSS datetimes. Columns starting with ``_`` are left out.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    id_col = codebook.respondent_id.column
    data = pd.concat([df[[id_col]], as_code_frame(df, codebook)], axis=1)
    out = pd.DataFrame(index=data.index)
    column_labels: dict[str, str] = {id_col: "Respondent-id"}
    value_labels: dict[str, dict[float, str]] = {}
    missing: dict[str, list[float]] = {}
    for c in data.columns:
        item = codebook.item_for_column(c)
        s = data[c]
        if item is not None:
            column_labels[c] = header_text(item, c)
        if item is not None and item.type == "text" or pd.api.types.is_string_dtype(s):
            out[c] = s.astype("str").fillna("").astype(object)
        elif item is not None and item.type == "date":
            out[c] = pd.to_datetime(s).astype("datetime64[ns]")
        else:
            out[c] = s.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        if item is not None and item.type == "multiple":
            value_labels[c] = {0.0: "Ikke valgt", 1.0: "Valgt"}
        elif item is not None and item.is_categorical:
            value_labels[c] = {float(k): v for k, v in sorted(item.labels.items())}
            if item.missing:
                missing[c] = [float(k) for k in sorted(item.missing)]
    pyreadstat.write_sav(
        out,
        str(path),
        column_labels=column_labels,
        variable_value_labels=value_labels,
        missing_ranges=missing,
    )
    return path


def write_forms_xlsx(
    df: pd.DataFrame, codebook: Codebook, path: str | Path, *, seed: int = 0
) -> Path:
    """Write ``df`` as a Microsoft Forms response workbook.

    Columns ``ID, Start time, Completion time, Email, Name, Last modified time`` (Email
    "anonymous" for an anonymous form, the respondent's address when the codebook has a personal
    panel key, as a form that requires sign-in records it; Name empty), then one column per question with the question text as header and
    the label text as answer; a multiple-choice question is one cell listing the chosen options
    as ``a;b;``; a ranking question is one cell listing the ranked options in order ``a;b;c;``.
    Forms only exports submitted responses, so rows without any answer and partial completes are
    left out. Times as Excel datetimes.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    st = status(df, codebook)
    keep = st == 4
    sub = df.loc[keep].reset_index(drop=True)
    times = timestamps(df, codebook, seed).loc[keep].reset_index(drop=True)
    n = len(sub)
    pk = codebook.panel_key
    if pk is not None and pk.personal and pk.column in sub.columns:
        emails = [v if isinstance(v, str) and v else "anonymous" for v in sub[pk.column].tolist()]
    else:
        emails = ["anonymous"] * n
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    columns: list[list[object]] = [
        list(range(1, n + 1)),
        [v.to_pydatetime() for v in times["starttime"]],
        [v.to_pydatetime() for v in times["closetime"]],
        emails,
        [None] * n,
        [v.to_pydatetime() for v in times["modified"]],
    ]
    for item in codebook.items:
        cols = [c for c in item.columns if c in sub.columns]
        if not cols:
            continue
        header.append(item.text)
        if item.type in ("multiple", "ranking"):
            frame = sub[cols]
            if item.type == "multiple":
                chosen = frame.fillna(0).astype("int64").to_numpy() == 1
                order = np.tile(np.arange(len(cols)), (n, 1))
            else:
                ranks = frame.astype("Float64").to_numpy(dtype="float64", na_value=np.inf)
                order = np.argsort(ranks, axis=1, kind="stable")
                chosen = np.take_along_axis(np.isfinite(ranks), order, axis=1)
            labels = np.array([item.option_label(c) + ";" for c in cols], dtype=object)
            cells = np.where(chosen, labels[order], "")
            joined = ["".join(row) or None for row in cells]
            columns.append(joined)
        elif item.is_categorical:
            text = _label_texts(sub[item.code], item.labels)
            columns.append([t or None for t in text])
        elif item.type == "date":
            columns.append(
                [None if pd.isna(v) else pd.Timestamp(v).to_pydatetime() for v in sub[item.code]]
            )
        elif item.type == "number":
            columns.append([None if pd.isna(v) else int(v) for v in sub[item.code]])
        else:
            columns.append([None if pd.isna(v) else str(v) for v in sub[item.code]])
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    fmt = wb.add_format({"num_format": "m/d/yy h:mm:ss"})
    ws.write_row(0, 0, header)
    for j, values in enumerate(columns):
        for i, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                ws.write_datetime(i + 1, j, v, fmt)
            elif isinstance(v, str):
                ws.write_string(i + 1, j, v)
            else:
                ws.write_number(i + 1, j, v)
    wb.close()
    return path
