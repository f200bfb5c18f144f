"""A report's tables as one Excel workbook for the council secretariat.

Each table gets a sheet named by a short label (``"3 Deltagelse i ledernetværk"``: at most 31
characters, cut at a word boundary, unique), with the table's number and title, the report and
its source above the header. Numbers are stored as numbers with number formats that Danish
Excel shows with a decimal comma (``0,0 %``); p-values below 0.001 show as ``< 0,001``; changes
in shares as ``+21 procentpoint``. Suppressed cells are EMPTY, so numeric columns stay numeric,
and the row's mark ("For få svar") goes in a note column beside them. Text cells are neutralised
against formula injection.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from survey_kit.fmt import SUPPRESSED_TEXT, flag_text, method_name
from survey_kit.report.content import NUMERIC_KINDS, Report, Table

#: Excel number formats (the codes use "." and ","; Danish Excel shows them as "," and ".").
FORMATS = {
    "int": "#,##0",
    "pct": "0.0 %",
    "num": "0.00",
    "p": '[<0.001]"< 0,001";0.000',
    "pp": '+0" procentpoint";-0" procentpoint";0" procentpoint"',
    "text": "@",
    "method": "@",
    "flag": "@",
}
NOTE_HEADER = "Bemærkning"
HEADER_ROW = 3  # 0-based: title, report and source, blank, header


def _safe_text(value: object) -> object:
    from survey_kit.privacy import safe_cell

    return safe_cell(value)


def _clean_title(title: str) -> str:
    """The title with the characters Excel refuses in a sheet name replaced or dropped."""
    text = re.sub(r"[/\\]", "-", re.sub(r"\s+", " ", title))
    return re.sub(r"[\[\]:*?']", "", text).strip()


def sheet_label(title: str, number: int, used: set[str], limit: int = 31) -> str:
    """A short, unique sheet name: the table's number, the title's first words and, when the title
    is too long, its last words (where "fordelt på sektor" tells similar tables apart).

    >>> sheet_label("Netværk er en god måde at udvikle sig, fordelt på sektor", 4, set())
    '4 Netværk er en god… på sektor'
    """
    clean = _clean_title(title)
    prefix = f"{number} "
    room = limit - len(prefix)
    if len(clean) > room:
        words = clean.split(" ")
        tail: list[str] = []
        for w in reversed(words[1:]):
            if len(" ".join([w, *tail])) > 12:
                break
            tail.insert(0, w)
        head_room = room - 1 - (len(" ".join(tail)) + 1 if tail else 0)
        head = ""
        for w in words[: len(words) - len(tail)]:
            if len(f"{head} {w}".strip()) > head_room:
                break
            head = f"{head} {w}".strip()
        if not head:  # a first word too long beside the tail: the first word alone (cut if longer than the room)
            tail = []
            head = words[0][: room - 1]
        clean = head.rstrip(" ,.;–-") + "…" + (" " + " ".join(tail) if tail else "")
    name = (prefix + clean).strip() or f"Tabel {number}"
    base, k = name, 2
    while name.lower() in used:
        name = f"{base[: limit - 3]} {k}"
        k += 1
    used.add(name.lower())
    return name


def _excel_value(value: object, kind: str) -> float:
    return 100 * float(value) if kind == "pp" else float(value)


def write_workbook(tables: Iterable[Table] | Report, path: Path, *, title: str = "", source: str = "") -> Path:
    """Write every table to its own sheet of one .xlsx (atomically) and return the path.

    ``tables`` may be a :class:`Report` (its tables are numbered as in the report).
    """
    import xlsxwriter

    if isinstance(tables, Report):
        report = tables
        title = title or report.title
        source = source or report.subtitle
        numbered = [(report.numbers()[("tabel", t.name)], t) for t in report.tables()]
    else:
        numbered = list(enumerate(tables, start=1))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".xlsx")
    os.close(fd)
    wb = xlsxwriter.Workbook(tmp, {"strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "font_size": 12})
    head = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"})
    head_num = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom", "align": "right"})
    note = wb.add_format({"italic": True, "font_color": "#555555"})
    supp = wb.add_format({"italic": True, "font_color": "#555555"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    fmts = {k: wb.add_format({"num_format": v, "valign": "top"}) for k, v in FORMATS.items()}
    used: set[str] = {"indhold"}

    index = wb.add_worksheet("Indhold")
    index.set_column(0, 0, 90)
    index.write(0, 0, _safe_text(title or "Tabeller"), bold)
    if source:
        index.write(1, 0, _safe_text(source), note)
    index.write(2, 0, f"Tomme celler markeret '{SUPPRESSED_TEXT}' er skjult af hensyn til anonymiteten.", note)
    row_i = 4
    for number, table in numbered:
        name = sheet_label(table.title, number, used)
        index.write_url(row_i, 0, f"internal:'{name}'!A1", string=_safe_text(f"Tabel {number}. {table.title}"))
        row_i += 1
        ws = wb.add_worksheet(name)
        ws.write(0, 0, _safe_text(f"Tabel {number}. {table.title}"), bold)
        ws.write(1, 0, _safe_text(" · ".join(s for s in (title, source) if s)), note)
        sup = table.suppressed()
        has_note = any(sup)
        for j, col in enumerate(table.columns):
            numeric = col.kind in NUMERIC_KINDS
            ws.write(HEADER_ROW, j, _safe_text(col.header), head_num if numeric else head)
            ws.set_column(j, j, 36 if j == 0 else (18 if col.kind == "pp" else 13), None if numeric else wrap)
        if has_note:
            j_note = len(table.columns)
            ws.write(HEADER_ROW, j_note, NOTE_HEADER, head)
            ws.set_column(j_note, j_note, 16)
        for i, (_, rec) in enumerate(table.data.iterrows()):
            r = HEADER_ROW + 1 + i
            for j, col in enumerate(table.columns):
                value = rec[col.name]
                if col.kind in ("text", "method", "flag"):
                    shown = (method_name(value) if col.kind == "method" else flag_text(value)
                             if col.kind == "flag" else ("" if pd.isna(value) else value))
                    ws.write_string(r, j, str(_safe_text(shown)), wrap)
                elif sup[i] or pd.isna(value):
                    ws.write_blank(r, j, None, fmts[col.kind])
                else:
                    ws.write_number(r, j, _excel_value(value, col.kind), fmts[col.kind])
            if has_note and sup[i]:
                ws.write_string(r, len(table.columns), SUPPRESSED_TEXT, supp)
        last = HEADER_ROW + len(table.data) + 2
        if table.note:
            ws.write(last, 0, _safe_text(table.note), note)
        ws.freeze_panes(HEADER_ROW + 1, 1)
    wb.close()
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path
