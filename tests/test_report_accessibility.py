"""Reports accessible by construction (issue 21, part 7), checked as a public body's web editor
would: the PDF with the ``pdfua`` checker (the machine-checkable part of PDF/UA-1 and WCAG 2.1)
and its structure tree read with pikepdf, the HTML with axe-core in Debian's chromium, the Word
file opened with python-docx. Small demo reports (two instruments), written once per module."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("report_output")]

INSTRUMENTS = ["temperaturmaaling", "netvaerksevaluering"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Two demo reports (whole survey) in every format, with one writer."""
    from survey_kit.codebook import instrument
    from survey_kit.datasets import write_demo_exports
    from survey_kit.ingest import ingest
    from survey_kit.pipeline import DEMO_KEY, PRIMARY_EXPORT
    from survey_kit.report import build_report
    from survey_kit.report.output import ReportWriter

    root = tmp_path_factory.mktemp("a11y")
    exports = write_demo_exports(root / "raw", n_temperature=150)
    reports = {}
    for name in INSTRUMENTS:
        ingest(exports[name][PRIMARY_EXPORT[name]], instrument(name), out_dir=root / "processed", name=name,
               key=DEMO_KEY)
        reports[name] = build_report(name, root / "processed" / f"{name}.parquet")
    with ReportWriter(formats=("html", "pdf", "docx"), figures=False) as writer:
        for name, rep in reports.items():
            writer.write(rep, root / name)
    return root, reports


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _struct_elements(pdf):
    """Every structure element of the PDF's tag tree, depth first."""
    import pikepdf

    stack = [pdf.Root.StructTreeRoot]
    while stack:
        el = stack.pop()
        if isinstance(el, pikepdf.Dictionary) and "/S" in el:
            yield el
        kids = el.get("/K") if isinstance(el, pikepdf.Dictionary) else None
        if kids is None:
            continue
        stack.extend(reversed(list(kids)) if isinstance(kids, pikepdf.Array) else [kids])


# -- PDF ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", INSTRUMENTS)
def test_pdf_has_no_pdfua_findings(written, name):
    """0 findings of any severity: every chart a figure with alt text (UA-13-004), the footer and
    page numbers artifacts (UA-01-003), XMP declaring PDF/UA (UA-28-004), title shown, language."""
    import pdfua
    from pypdf import PdfReader

    root, _ = written
    findings = pdfua.validate(str(root / name / "rapport.pdf")).findings
    assert not findings, [(f.rule_id, f.message) for f in findings[:5]]
    # the footer, now an artifact, is still printed on the page
    pages = [p.extract_text() or "" for p in PdfReader(root / name / "rapport.pdf").pages]
    assert f"Side 2 af {len(pages)}" in pages[1]


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_pdf_one_figure_per_chart_with_its_alt_text(written, name):
    import pikepdf

    root, reports = written
    report = reports[name]
    with pikepdf.open(root / name / "rapport.pdf") as pdf:
        figures = [el for el in _struct_elements(pdf) if el.S == "/Figure"]
        alts = [_squash(str(el.Alt)) for el in figures]
    expected = [_squash(f.alt_text()) for f in report.figures()]
    assert expected, "the report has charts"
    assert alts == expected


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_pdf_declares_pdfua_title_and_language(written, name):
    import pikepdf

    root, reports = written
    with pikepdf.open(root / name / "rapport.pdf") as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert meta.get("dc:title") == reports[name].title
        assert "da" in meta.get("dc:language")
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.Root.Lang) == "da"
        assert str(pdf.docinfo.Title) == reports[name].title


# -- HTML ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", INSTRUMENTS)
def test_html_has_no_axe_violations(written, browser, name):
    from axe_playwright_python.sync_playwright import Axe

    root, _ = written
    page = browser.new_page()
    try:
        page.goto((root / name / "rapport.html").as_uri())
        page.wait_for_load_state("load")
        page.evaluate("() => window.skReady || null")  # every chart drawn
        violations = Axe().run(page).response["violations"]
    finally:
        page.close()
    assert not violations, [(v["id"], [n["html"][:100] for n in v["nodes"][:2]]) for v in violations]


# -- Word ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", INSTRUMENTS)
def test_word_pictures_tables_headings_language(written, name):
    import io

    import docx
    from docx.oxml.ns import qn
    from PIL import Image

    root, reports = written
    report = reports[name]
    doc = docx.Document(str(root / name / "rapport.docx"))
    # every picture described
    figures = list(report.figures())
    assert len(doc.inline_shapes) == len(figures) > 0
    for shape, fig in zip(doc.inline_shapes, figures, strict=True):
        assert shape._inline.docPr.get("descr") == fig.alt_text()
        # drawn in the printing page at 300 dpi and the chart's print width
        blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        with Image.open(io.BytesIO(blob)) as im:
            assert round(im.info["dpi"][0]) == 300
            width_cm = im.size[0] / 300 * 2.54
        assert abs(shape.width.cm - min(width_cm, 17.0)) < 0.05 and width_cm > 7.5, (fig.name, width_cm)
    # every table: a repeated header row that the table style marks as one
    for t in doc.tables:
        assert t.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        look = t._tbl.tblPr.find(qn("w:tblLook"))
        assert look is not None and look.get(qn("w:firstRow")) == "1"
        assert t.style.name == "Survey Kit Tabel"
    # headings in order: start at level 1, never skip a level
    levels = [int(p.style.name.split()[-1]) for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    # the document's language, for spelling and for screen readers
    lang = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "da-DK" and doc.core_properties.language == "da-DK"
    assert doc.core_properties.title == report.title


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_word_house_template_looks_like_the_pdf(written, name):
    """Sans serif as the PDF, a title page with survey, date and source, then a page break."""
    import docx
    from docx.oxml.ns import qn

    from survey_kit.report.render import report_source

    root, reports = written
    report = reports[name]
    doc = docx.Document(str(root / name / "rapport.docx"))
    fonts = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:ascii")) == "Arial"
    for style in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
        assert doc.styles[style].font.name == "Arial", style
    front = []
    for p in doc.paragraphs:
        if p._p.find(f".//{qn('w:br')}[@{qn('w:type')}='page']") is not None:
            break
        front.append(p.text)
    source = report_source(report)
    assert source.startswith("Kilde: ") and "antal svar" not in source
    assert front[0] == report.title
    assert report.subtitle in front and source in front
    assert any(report.date_text() in t for t in front)
    # the same source line on the HTML/PDF front page
    html = (root / name / "rapport.html").read_text("utf-8")
    assert f'<p class="sk-date sk-source">{source}</p>' in html
