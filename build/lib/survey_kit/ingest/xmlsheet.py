"""Excel 2003 XML spreadsheets (SpreadsheetML), as SurveyXact's "Excel-XML" export writes them.

Parsed with the standard library's XML parser (expat: no external entities are fetched, and
entity expansion is limited). Each ``<Worksheet ss:Name=...>`` becomes a list of rows of Python
values (``Number`` -> float, ``DateTime`` -> datetime, ``Boolean`` -> bool, ``String`` -> str),
honouring ``ss:Index`` on rows and cells (skipped cells are blank), so the sheets go through the
same code as an .xlsx workbook (:mod:`.excel`, :mod:`.surveyxact`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from survey_kit.ingest._common import data_error

_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_T = f"{{{_SS}}}"


class RowsBook:
    """A workbook held as rows per sheet: ``sheetnames`` and :meth:`rows` (the interface that
    :func:`survey_kit.ingest.excel.sheet_rows` reads)."""

    def __init__(self, sheets: dict[str, list[list]]) -> None:
        self.sheets = sheets
        self.sheetnames = list(sheets)

    def rows(self, name: str) -> list[list]:
        return self.sheets[name]


def read_spreadsheetml(path: Path) -> RowsBook:
    """Read every worksheet of a SpreadsheetML file; a damaged file raises DataError naming it."""
    sheets: dict[str, list[list]] = {}
    try:
        for _, elem in ET.iterparse(str(path), events=("end",)):
            if elem.tag != f"{_T}Worksheet":
                continue
            name = elem.get(f"{_T}Name") or f"Sheet{len(sheets) + 1}"
            table = elem.find(f"{_T}Table")
            sheets[name] = _rows(table) if table is not None else []
            elem.clear()
    except ET.ParseError as err:
        raise data_error(path, f"is a damaged Excel 2003 XML file and cannot be read ({err})") from None
    if not sheets:
        raise data_error(path, "is an Excel 2003 XML file without worksheets")
    return RowsBook(sheets)


def _rows(table: ET.Element) -> list[list]:
    rows: list[list] = []
    for row in table.iter(f"{_T}Row"):
        index = row.get(f"{_T}Index")
        if index is not None:
            while len(rows) < int(index) - 1:
                rows.append([])
        cells: list = []
        for cell in row.findall(f"{_T}Cell"):
            at = cell.get(f"{_T}Index")
            if at is not None:
                cells += [None] * (int(at) - 1 - len(cells))
            cells.append(_value(cell.find(f"{_T}Data")))
            merge = cell.get(f"{_T}MergeAcross")
            if merge is not None:
                cells += [None] * int(merge)
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def _value(data: ET.Element | None) -> object:
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = data.get(f"{_T}Type", "String")
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return datetime.fromisoformat(text.rstrip("Z"))
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() in ("1", "true", "TRUE")
    return text if text != "" else None
