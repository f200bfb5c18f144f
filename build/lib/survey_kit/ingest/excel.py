"""Excel workbooks (.xlsx) read with python-calamine (about ten times faster than openpyxl's
read-only mode here): a sheet, its header row below any title rows, Excel row numbers, cell types
as Excel stores them (numbers, text, dates for date-formatted cells)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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


class Book:
    """An open workbook: ``sheetnames`` and the calamine workbook behind it."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.sheetnames = list(wb.sheet_names)


@contextmanager
def open_workbook(path: Path) -> Iterator[Book]:
    """Open an xlsx; a damaged file raises DataError naming it."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as err:
        raise data_error(
            path, f"is a damaged or truncated Excel workbook and cannot be opened ({type(err).__name__})"
        ) from None
    try:
        yield Book(wb)
    finally:
        wb.close()


def sheet_rows(book: Book, name: str, path: Path) -> list[list]:
    """All rows of a sheet from cell A1 on; row i of the list is Excel row i + 1."""
    from python_calamine import CalamineError

    if hasattr(book, "rows"):  # an Excel 2003 XML workbook (xmlsheet.RowsBook)
        return [list(r) for r in book.rows(name)]
    try:
        return book.wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as err:
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
    rows: list, sheet: str, *, title_rows: bool = True
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
    grid = pd.DataFrame([list(r[:width]) + [None] * (width - len(r)) for r in body], dtype=object)
    columns = {name: _column(grid[j] if j in grid else pd.Series([], dtype=object)) for j, name in enumerate(names)}
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(body)))
    source_rows = np.arange(h + 2, h + 2 + len(body), dtype=np.int64)
    notes += _serial_date_notes(frame, sheet)
    return ExcelTable(frame, source_rows, sheet, h + 1, notes)


def _column(values: pd.Series) -> pd.Series:
    """Typed column: numbers -> float64, text -> str, dates -> datetime64, booleans -> boolean;
    empty and whitespace-only cells -> NA; mixed cells stay as read (object)."""
    s = values.reset_index(drop=True)
    s = s.mask(s.isna() | s.isin([""]), None)
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("string", "mixed"):
        blank = s.map(lambda v: isinstance(v, str) and not v.strip(), na_action="ignore").fillna(False).astype(bool)
        if blank.any():
            s = s.mask(blank, None)
            kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind == "empty":
        return pd.Series(np.full(len(s), np.nan), dtype="float64")
    if kind in ("floating", "integer", "mixed-integer-float", "decimal"):
        return pd.to_numeric(s).astype("float64")
    if kind == "string":
        return s.astype("str")
    if kind in ("datetime", "datetime64", "date"):
        return pd.to_datetime(s)
    if kind == "boolean":
        return s.astype("boolean")
    return s.astype(object)


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
