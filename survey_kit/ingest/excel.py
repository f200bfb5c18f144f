"""Excel workbooks (.xlsx) read with openpyxl in read-only mode: a sheet, its header row below any
title rows, Excel row numbers, cell types as Excel stores them."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survey_kit.ingest._common import column_names, data_error, find_header, is_blank

_DATE_WORDS = re.compile(r"dat[eo]|time|tid|start|close|created|modified|oprettet|ændret", re.I)
#: Excel serial numbers of 1954-10-03 .. 2119-01-08: plausible dates in a survey export.
_SERIAL_RANGE = (20_000, 80_000)


@dataclass
class ExcelTable:
    frame: pd.DataFrame
    source_rows: np.ndarray
    sheet: str
    header_row: int
    notes: list[str] = field(default_factory=list)


@contextmanager
def open_workbook(path: Path) -> Iterator[Any]:
    """Open an xlsx read-only (cached formula values); a damaged file raises DataError."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raise data_error(
            path, f"is a damaged or truncated Excel workbook and cannot be opened ({type(err).__name__})"
        ) from None
    try:
        yield wb
    finally:
        wb.close()


def sheet_rows(wb: Any, name: str, path: Path) -> list[tuple]:
    """All rows of a sheet as value tuples; row i of the list is Excel row i + 1."""
    try:
        return [tuple(r) for r in wb[name].iter_rows(min_row=1, values_only=True)]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as err:
        raise data_error(
            path, f"sheet {name!r} is damaged and cannot be read ({type(err).__name__})"
        ) from None


def pick_sheet(wb: Any, sheet: str | None, path: Path) -> str:
    names = list(wb.sheetnames)
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    raise data_error(path, f"has no sheet {sheet!r}; its sheets are {', '.join(map(repr, names))}")


def table_from_rows(
    rows: list[tuple], sheet: str, *, title_rows: bool = True
) -> ExcelTable:
    """A frame from sheet rows: header row (after title rows), Excel row numbers, typed columns."""
    notes: list[str] = []
    h = find_header(rows) if title_rows else 0
    if h > 0:
        notes.append(f"{h} title row(s) above the header in sheet {sheet!r}; header in Excel row {h + 1}")
    header = list(rows[h]) if rows else []
    body = rows[h + 1 :]
    width = max([len(header), *(len(r) for r in body)]) if rows else 0

    def column_blank(j: int) -> bool:
        return all(len(r) <= j or is_blank(r[j]) for r in body)

    while width and (width > len(header) or is_blank(header[width - 1])) and column_blank(width - 1):
        width -= 1  # trailing columns without a header and without data
    header = (header + [None] * width)[:width]
    names, name_notes = column_names(header)
    notes += name_notes
    # drop blank rows at the end of the sheet (formatted but empty rows)
    end = len(body)
    while end and all(is_blank(v) for v in body[end - 1]):
        end -= 1
    if end < len(body):
        notes.append(f"ignored {len(body) - end} blank row(s) at the end of sheet {sheet!r}")
    body = body[:end]
    columns: dict[str, pd.Series] = {}
    for j, name in enumerate(names):
        values = [r[j] if j < len(r) else None for r in body]
        columns[name] = _column(values)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(body)))
    source_rows = np.arange(h + 2, h + 2 + len(body), dtype=np.int64)
    notes += _serial_date_notes(frame, sheet)
    return ExcelTable(frame, source_rows, sheet, h + 1, notes)


def _column(values: list[Any]) -> pd.Series:
    """Typed column: numbers -> float64, text -> str, date/times -> datetime64; blanks -> NA;
    mixed cells stay as read (object)."""
    vals = [None if is_blank(v) else v for v in values]
    present = [v for v in vals if v is not None]
    if not present:
        return pd.Series(vals, dtype="float64") if not vals else pd.Series([np.nan] * len(vals))
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pd.Series([np.nan if v is None else float(v) for v in vals], dtype="float64")
    if all(isinstance(v, str) for v in present):
        return pd.Series(vals, dtype="str")
    if all(isinstance(v, datetime | date) for v in present):
        return pd.to_datetime(pd.Series(vals, dtype=object))
    if all(isinstance(v, bool) for v in present):
        return pd.Series(vals, dtype="boolean")
    if all(isinstance(v, time) for v in present):
        return pd.Series(vals, dtype=object)
    return pd.Series(vals, dtype=object)


def _serial_date_notes(frame: pd.DataFrame, sheet: str) -> list[str]:
    cols = []
    for col in frame.columns:
        s = frame[col]
        if s.dtype != "float64" or not _DATE_WORDS.search(str(col)):
            continue
        v = s.dropna()
        if len(v) and v.between(*_SERIAL_RANGE).all():
            cols.append(str(col))
    if not cols:
        return []
    return [
        f"column(s) {', '.join(cols)} in sheet {sheet!r} hold numbers that look like Excel date "
        "serial numbers (days since 1899-12-30); left as numbers"
    ]
