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


_STYLE_NAMES: dict[int, set[str]] = {}


def _style(doc, name: str, fallback: str = "Normal") -> str:
    names = _STYLE_NAMES.get(id(doc)) or {s.name for s in doc.styles}
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


#: The house template: the PDF's sans serif, sizes and greys (see templates/report.css).
HOUSE_FONT = "Arial"  # Liberation Sans in LibreOffice and on Linux (same metrics)
HOUSE_TABLE_STYLE = "Survey Kit Tabel"
_HOUSE_SIZES = {"Normal": 10, "Title": 22, "Subtitle": 12, "Heading 1": 15, "Heading 2": 12,
                "Heading 3": 10.5, "Caption": 9.5, "Quote": 10, "List Bullet": 10}


def _fonts(rpr, name: str) -> None:
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(_qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(_qn(attr), None)


def _house_styles(doc) -> None:
    """Sans serif everywhere, the PDF's sizes, black headings with space before, a caption style
    in bold, and a table style with a marked header row (bold, rule below) and thin row rules."""
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    rpr_default = styles.element.find(f"{_qn('w:docDefaults')}/{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
    if rpr_default is not None:
        _fonts(rpr_default, HOUSE_FONT)
    for name, size in _HOUSE_SIZES.items():
        if name not in {s.name for s in styles}:
            continue
        st = styles[name]
        st.font.name = HOUSE_FONT
        _fonts(st.element.get_or_add_rPr(), HOUSE_FONT)
        st.font.size = Pt(size)
        if name.startswith(("Heading", "Title")):
            st.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
            st.font.bold = True
            st.paragraph_format.keep_with_next = True
        if name.startswith("Heading"):
            st.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
            st.paragraph_format.space_after = Pt(4)
        if name == "Caption":
            st.font.bold = True
            st.font.italic = False
            st.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
            st.paragraph_format.space_after = Pt(3)
        if name == "Subtitle":
            st.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
            st.font.italic = False
            spacing = st.element.get_or_add_rPr().find(_qn("w:spacing"))
            if spacing is not None:  # the default Subtitle is letter-spaced
                spacing.getparent().remove(spacing)
    title = styles["Title"] if "Title" in {s.name for s in styles} else None
    if title is not None:  # the Title style's underline is a theme border; a plain rule as in the PDF
        ppr = title.element.get_or_add_pPr()
        bdr = _el("w:pBdr")
        bdr.append(_el("w:bottom", **{"w:val": "single", "w:sz": "12", "w:space": "4", "w:color": "1A1A1A"}))
        old = ppr.find(_qn("w:pBdr"))
        if old is not None:
            old.addprevious(bdr)
            ppr.remove(old)
        else:  # pBdr comes before shading, tabs, spacing, indentation and alignment
            later = [ppr.find(_qn(t)) for t in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")]
            later = [el for el in later if el is not None]
            if later:
                later[0].addprevious(bdr)
            else:
                ppr.append(bdr)
    normal = styles["Normal"]
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.15
    _table_style(doc)


def _table_style(doc, font: str | None = HOUSE_FONT) -> None:
    """Add the house table style: no vertical rules, a bold header row with a rule below it."""
    from docx.enum.style import WD_STYLE_TYPE

    if HOUSE_TABLE_STYLE in {s.name for s in doc.styles}:
        return
    st = doc.styles.add_style(HOUSE_TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    el = st.element
    rpr = _el("w:rPr")
    if font:
        _fonts(rpr, font)
    rpr.append(_el("w:sz", **{"w:val": "18"}))
    ppr = _el("w:pPr")
    ppr.append(_el("w:spacing", **{"w:before": "0", "w:after": "0", "w:line": "240", "w:lineRule": "auto"}))
    tblpr = _el("w:tblPr")
    borders = _el("w:tblBorders")
    borders.append(_el("w:top", **{"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "1A1A1A"}))
    borders.append(_el("w:bottom", **{"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "1A1A1A"}))
    borders.append(_el("w:insideH", **{"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "D0D0D0"}))
    tblpr.append(borders)
    cell_mar = _el("w:tblCellMar")
    for side, w in (("top", "28"), ("left", "57"), ("bottom", "28"), ("right", "57")):
        cell_mar.append(_el(f"w:{side}", **{"w:w": w, "w:type": "dxa"}))
    tblpr.append(cell_mar)
    el.append(ppr)
    el.append(rpr)
    el.append(tblpr)
    first = _el("w:tblStylePr", **{"w:type": "firstRow"})
    frpr = _el("w:rPr")
    frpr.append(_el("w:b"))
    ftcpr = _el("w:tcPr")
    fb = _el("w:tcBorders")
    fb.append(_el("w:bottom", **{"w:val": "single", "w:sz": "12", "w:space": "0", "w:color": "1A1A1A"}))
    ftcpr.append(fb)
    ftcpr.append(_el("w:vAlign", **{"w:val": "bottom"}))
    first.append(frpr)
    first.append(_el("w:tblPr"))
    first.append(_el("w:trPr"))
    first.append(ftcpr)
    el.append(first)


def _caption(doc, label: str, number: int, title: str):
    p = doc.add_paragraph(style=_style(doc, "Caption"))
    p.add_run(f"{label} ")
    _field(p, f" SEQ {label} \\* ARABIC ", str(number))
    p.add_run(f". {title}")
    p.paragraph_format.keep_with_next = True
    return p


def _tight(paragraph) -> None:
    """No space after a cell's paragraph, single line spacing (Normal's spacing is for text)."""
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0


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
    t.style = _style(doc, HOUSE_TABLE_STYLE, _style(doc, "Table Grid", t.style.name if t.style else "Normal Table"))
    look = t._tbl.tblPr.find(_qn("w:tblLook"))
    if look is None:
        look = _el("w:tblLook")
        t._tbl.tblPr.append(look)
    for k, v in (("w:firstRow", "1"), ("w:lastRow", "0"), ("w:firstColumn", "0"), ("w:lastColumn", "0"),
                 ("w:noHBand", "1"), ("w:noVBand", "1"), ("w:val", "0420")):
        look.set(_qn(k), v)
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    rows = list(t.rows)  # python-docx rebuilds the row and cell lists on every index: take them once
    header_cells = rows[0].cells
    for j, col in enumerate(table.columns):
        cell = header_cells[j]
        cell.text = ""
        _tight(cell.paragraphs[0])
        run = cell.paragraphs[0].add_run(col.header)
        run.bold = True
        run.font.size = size
        if col.kind in NUMERIC_KINDS:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(rows[0])
    for i, values in enumerate(frame.itertuples(index=False)):
        row = rows[1 + i]
        _cant_split(row)
        cells = row.cells
        for j, (kind, value) in enumerate(zip(kinds, values, strict=True)):
            par = cells[j].paragraphs[0]
            _tight(par)
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
    look = t._tbl.tblPr.find(_qn("w:tblLook"))
    if look is not None:  # tblCellMar comes before tblLook in a table's properties
        look.addprevious(margins)
    else:
        t._tbl.tblPr.append(margins)
    for j, width in enumerate(widths):
        t.columns[j].width = Emu(width)  # the grid, which LibreOffice and Word lay out by
    for row in t.rows:
        for cell, width in zip(row.cells, widths, strict=True):
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
    for stop in list(p.style.paragraph_format.tab_stops):  # the style's centre/right stops
        p.paragraph_format.tab_stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
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
        :func:`survey_kit.charts.save_chart`).
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
        _house_styles(doc)
    if template is not None:
        _table_style(doc, font=None)  # the template's fonts; a header row marked as in the PDF
    _set_language(doc, lang)
    doc.core_properties.title = report.title
    doc.core_properties.subject = report.subtitle
    doc.core_properties.author = "survey_kit"
    pictures = pictures or {}
    _STYLE_NAMES[id(doc)] = {st.name for st in doc.styles}

    # title page: the survey, its subtitle, the report date and the source, as on the PDF's front
    from docx.shared import Cm

    title = doc.add_paragraph(report.title, style=_style(doc, "Title"))
    title.paragraph_format.space_before = Cm(6)
    if report.subtitle:
        doc.add_paragraph(report.subtitle, style=_style(doc, "Subtitle"))
    label = "Rapportdato" if lang == "da" else "Report date"
    front = doc.add_paragraph(f"{label}: {report.date_text()}")
    front.paragraph_format.space_before = Pt(12)
    from survey_kit.report.render import report_source

    source = report_source(report)
    if source:
        doc.add_paragraph(source)
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
    _STYLE_NAMES.pop(id(doc), None)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path
