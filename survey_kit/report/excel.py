"""A report's tables as one Excel workbook for the council secretariat.

Numbers are stored as numbers with number formats that Danish Excel shows with a decimal comma
(``0,0 %``); suppressed cells are empty and marked "For få svar" in a grey italic style; text cells
are neutralised against formula injection.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from survey_kit.fmt import flag_text, method_name
from survey_kit.report.content import Table

_FORMATS = {"int": "#,##0", "pct": "0.0 %", "pp": '+0.0" pp";-0.0" pp";0.0" pp"', "num": "0.00", "p": "0.000", "text": "@", "method": "@"}


def _safe_text(value: object) -> object:
    try:
        from survey_kit.privacy import safe_cell
    except ImportError:  # pragma: no cover - privacy module always ships safe_cell
        s = str(value)
        return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s
    return safe_cell(value)


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "Tabel"
    name, k = base, 2
    while name.lower() in used:
        name = f"{base[:25]} {k}"
        k += 1
    used.add(name.lower())
    return name


def write_workbook(tables: Iterable[Table], path: Path, *, title: str = "", source: str = "") -> Path:
    """Write every table to its own sheet of one .xlsx (atomically) and return the path."""
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".xlsx")
    os.close(fd)
    wb = xlsxwriter.Workbook(tmp, {"strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    note = wb.add_format({"italic": True, "font_color": "#555555"})
    supp = wb.add_format({"italic": True, "font_color": "#777777", "align": "right"})
    fmts = {k: wb.add_format({"num_format": v}) for k, v in _FORMATS.items()}
    used: set[str] = set()

    index = wb.add_worksheet("Indhold")
    used.add("indhold")
    index.write(0, 0, _safe_text(title or "Tabeller"), bold)
    if source:
        index.write(1, 0, _safe_text(source), note)
    index.write(
        2, 0, "Celler markeret 'For få svar' er skjult af hensyn til anonymiteten.", note
    )
    row_i = 4
    for table in tables:
        name = _sheet_name(table.title, used)
        index.write_url(row_i, 0, f"internal:'{name}'!A1", string=_safe_text(table.title))
        row_i += 1
        ws = wb.add_worksheet(name)
        ws.write(0, 0, _safe_text(table.title), bold)
        for j, col in enumerate(table.columns):
            ws.write(2, j, _safe_text(col.header), head)
            ws.set_column(j, j, 34 if j == 0 else 14)
        sup = (
            table.data["suppressed"].fillna(False).astype(bool).tolist()
            if "suppressed" in table.data
            else [False] * len(table.data)
        )
        for i, (_, rec) in enumerate(table.data.iterrows()):
            r = 3 + i
            for j, col in enumerate(table.columns):
                value = rec[col.name]
                if col.kind in ("text", "method", "flag"):
                    shown = (method_name(value) if col.kind == "method" else flag_text(value)
                             if col.kind == "flag" else ("" if pd.isna(value) else value))
                    ws.write_string(r, j, str(_safe_text(shown)))
                elif sup[i]:
                    ws.write_string(r, j, "For få svar", supp)
                elif pd.isna(value):
                    ws.write_blank(r, j, None)
                else:
                    ws.write_number(r, j, float(value) * (100 if col.kind == "pp" else 1), fmts[col.kind])
        last = 3 + len(table.data) + 1
        if table.note:
            ws.write(last, 0, _safe_text(table.note), note)
        ws.freeze_panes(3, 1)
    wb.close()
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path
