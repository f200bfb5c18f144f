"""A report as a Word document (python-docx), for the council paper that is written in Word.

Title page (title, subtitle, date), headings as Word's heading styles, key findings as a bulleted
list, tables as real Word tables (header row repeated on every page, Danish number formats and
suppression marks from the same formatter as the HTML), figures as 300-dpi PNG pictures with alt
text and numbered captions (Word ``SEQ`` fields, so "Indsæt figurliste" works), the comments and
the method section. A municipality's own ``.docx`` (styles, fonts, colours, logo in the header)
can serve as the template: its body is replaced, its styles, headers and footers are kept.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from survey_kit.report.content import (
    NUMERIC_KINDS,
    Comments,
    Figure,
    Findings,
    Heading,
    Paragraph,
    Report,
    Table,
)

__all__ = ["write_docx"]

_GREY = (0x55, 0x55, 0x55)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _el(tag: str, **attrs: str):
    from docx.oxml import OxmlElement

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(_qn(k), v)
    return el


def _field(paragraph, instr: str, shown: str) -> None:
    """A simple Word field (``PAGE``, ``SEQ Tabel``) with ``shown`` as its current result."""
    fld = _el("w:fldSimple", **{"w:instr": instr})
    run = _el("w:r")
    text = _el("w:t")
    text.text = shown
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _style(doc, name: str, fallback: str = "Normal") -> str:
    names = {s.name for s in doc.styles}
    return name if name in names else fallback


def _set_language(doc, lang: str) -> None:
    """Danish as the document's proofing language (docDefaults) and in its properties."""
    code = {"da": "da-DK", "en": "en-GB"}.get(lang, lang)
    styles = doc.styles.element
    rpr_default = styles.find(_qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(f"{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
    if rpr is None:
        return
    el = rpr.find(_qn("w:lang"))
    if el is None:
        el = _el("w:lang")
        rpr.append(el)
    el.set(_qn("w:val"), code)
    doc.core_properties.language = code


def _clear_body(doc) -> None:
    body = doc.element.body
    for child in list(body):
        if child.tag != _qn("w:sectPr"):
            body.remove(child)


def _caption(doc, label: str, number: int, title: str):
    p = doc.add_paragraph(style=_style(doc, "Caption"))
    p.add_run(f"{label} ")
    _field(p, f" SEQ {label} \\* ARABIC ", str(number))
    p.add_run(f". {title}")
    p.paragraph_format.keep_with_next = True
    return p


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("w:tblHeader", **{"w:val": "true"}))


def _cant_split(row) -> None:
    row._tr.get_or_add_trPr().append(_el("w:cantSplit", **{"w:val": "true"}))


def _add_table(doc, report: Report, table: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    number = report.numbers()[("tabel", table.name)]
    _caption(doc, "Tabel", number, table.title)
    frame = table.display_frame()
    sup = table.suppressed()
    kinds = [c.kind for c in table.columns]
    size = Pt(9 if len(kinds) <= 7 else 8)
    t = doc.add_table(rows=1 + len(frame), cols=len(table.columns))
    t.style = _style(doc, "Table Grid", t.style.name if t.style else "Normal Table")
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    for j, col in enumerate(table.columns):
        cell = t.rows[0].cells[j]
        cell.text = ""
        run = cell.paragraphs[0].add_run(col.header)
        run.bold = True
        run.font.size = size
        if col.kind in NUMERIC_KINDS:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(t.rows[0])
    for i, values in enumerate(frame.itertuples(index=False)):
        row = t.rows[1 + i]
        _cant_split(row)
        for j, (kind, value) in enumerate(zip(kinds, values, strict=True)):
            par = row.cells[j].paragraphs[0]
            numeric = kind in NUMERIC_KINDS and not sup[i]
            # "< 0,001", "90 %", "+21 procentpoint" never break inside
            run = par.add_run(str(value).replace(" ", "\u00a0") if numeric else str(value))
            run.font.size = size
            if kind in NUMERIC_KINDS:
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if sup[i]:
                    run.italic = True
                    run.font.color.rgb = RGBColor(*_GREY)
    _column_widths(doc, t, frame, kinds)
    if table.note:
        _note(doc, table.note)
    else:
        doc.add_paragraph()


def _column_widths(doc, t, frame, kinds: list[str]) -> None:
    """Share the text width by content: long labels get room, numbers what they need."""
    from docx.shared import Emu

    weights = []
    for j, (header, kind) in enumerate(zip(frame.columns, kinds, strict=True)):
        cells = [str(v) for v in frame.iloc[:, j]]
        longest_word = max((len(w) for w in str(header).split()), default=1)
        if kind in NUMERIC_KINDS:
            weights.append(max(1.5 * longest_word, *(len(c) for c in cells), 5) + 2)
        else:
            weights.append(max(min(max((len(c) for c in cells), default=8), 22), 1.5 * longest_word) + 2)
    total = _text_width_emu(doc)
    widths = [int(total * w / sum(weights)) for w in weights]
    t.autofit = False
    margins = _el("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", **{"w:w": "57", "w:type": "dxa"}))  # 1 mm
    t._tbl.tblPr.append(margins)
    for j, width in enumerate(widths):
        t.columns[j].width = Emu(width)  # the grid, which LibreOffice and Word lay out by
        for cell in t.columns[j].cells:
            cell.width = Emu(width)


def _note(doc, text: str) -> None:
    from docx.shared import Pt, RGBColor

    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(8.5)
    run.font.color.rgb = RGBColor(*_GREY)


def _text_width_emu(doc) -> int:
    sec = doc.sections[-1]
    return int(sec.page_width - sec.left_margin - sec.right_margin)


def _add_figure(doc, report: Report, fig: Figure, png: Path | bytes | None, dpi: int) -> None:
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Emu
    from PIL import Image

    number = report.numbers()[("figur", fig.name)]
    _caption(doc, "Figur", number, fig.caption_title())
    if png is None:
        _note(doc, f"[Figuren {fig.name} blev ikke eksporteret]")
        return
    source = io.BytesIO(png) if isinstance(png, bytes) else png
    with Image.open(source) as im:
        w_px, h_px = im.size
    if isinstance(source, io.BytesIO):
        source.seek(0)
    width = min(int(w_px / dpi * 914400), _text_width_emu(doc))
    height = int(width * h_px / w_px)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    shape = p.add_run().add_picture(source if isinstance(source, io.BytesIO) else str(png), width=Emu(width), height=Emu(height))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", fig.alt_text())
    doc_pr.set("title", fig.caption_title())


def _footer(doc, report: Report, lang: str) -> None:
    """Title, date and "Side N af M" in the footer of every page but the title page."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    sec = doc.sections[0]
    if any(p.text.strip() for p in sec.footer.paragraphs):
        return  # the municipality's template has a footer of its own
    sec.different_first_page_header_footer = True
    p = sec.footer.paragraphs[0]
    p.paragraph_format.tab_stops.add_tab_stop(_text_width_emu(doc), WD_TAB_ALIGNMENT.RIGHT)
    page, of = ("Side", "af") if lang == "da" else ("Page", "of")
    p.add_run(f"{report.title} · {report.date_text()}\t{page} ")
    _field(p, " PAGE ", "1")
    p.add_run(f" {of} ")
    _field(p, " NUMPAGES ", "1")
    for run in p.runs:
        run.font.size = Pt(8)


def write_docx(
    report: Report,
    path: Path,
    *,
    pictures: Mapping[str, Path | bytes] | None = None,
    template: Path | None = None,
    lang: str = "da",
    dpi: int = 300,
) -> Path:
    """Write ``report`` as a Word document and return its path.

    Parameters
    ----------
    report : Report
    path : Path
        The ``.docx`` to write (atomically).
    pictures : mapping of figure name to a PNG (path or bytes)
        The figures as PNG at ``dpi`` (drawn in the printing page, or exported by
        :func:`survey_kit.charts.export`).
    template : Path, optional
        A municipality's Word document whose styles, page set-up, headers and footers to use.
    """
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    if template is not None:
        template = Path(template)
        if not template.is_file() or template.suffix.lower() not in (".docx", ".dotx"):
            raise ValueError(f"template_docx: {template} er ikke en Word-fil (.docx)")
        doc = docx.Document(str(template))
        _clear_body(doc)
    else:
        doc = docx.Document()
        sec = doc.sections[0]
        from docx.shared import Mm

        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.left_margin = sec.right_margin = Mm(20)
        sec.top_margin = sec.bottom_margin = Mm(20)
    _set_language(doc, lang)
    doc.core_properties.title = report.title
    doc.core_properties.subject = report.subtitle
    pictures = pictures or {}

    # title page
    doc.add_paragraph(report.title, style=_style(doc, "Title"))
    if report.subtitle:
        doc.add_paragraph(report.subtitle, style=_style(doc, "Subtitle"))
    label = "Rapportdato" if lang == "da" else "Report date"
    doc.add_paragraph(f"{label}: {report.date_text()}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_heading(report.resolve(block.text), level=max(1, min(block.level, 3) - 1))
        elif isinstance(block, Paragraph):
            if block.css == "sk-note":
                _note(doc, report.resolve(block.text))
            else:
                doc.add_paragraph(report.resolve(block.text))
        elif isinstance(block, Findings):
            for s in block.sentences:
                doc.add_paragraph(report.resolve(s), style=_style(doc, "List Bullet"))
        elif isinstance(block, Table):
            _add_table(doc, report, block)
        elif isinstance(block, Figure):
            _add_figure(doc, report, block, pictures.get(block.name), dpi)
        elif isinstance(block, Comments):
            doc.add_heading(block.title, level=2)
            texts = block.plain_texts()
            if not texts:
                _note(doc, "Ingen kommentarer at vise." if lang == "da" else "No comments to show.")
            for t in texts:
                p = doc.add_paragraph(t, style=_style(doc, "Quote"))
                p.paragraph_format.space_after = Pt(4)
    _footer(doc, report, lang)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    doc.save(tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path
