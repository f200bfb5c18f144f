"""The written report, looked at the way its reader sees it: the demo reports built with today's
builders and written by ReportWriter as HTML, PDF, Word and Excel, then the PDF read with pypdf,
the HTML laid out for print in Chromium, the Word file opened with python-docx and the workbook
with openpyxl. Pages are kept as PNGs in tests/artifacts/ to look at."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from survey_kit.report.content import Figure, Heading, Table

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("report_output")]

INSTRUMENTS = ["lederudvikling_2008", "temperaturmaaling", "netvaerksevaluering"]
#: A4 (210 mm) less 2 x 20 mm margins, in CSS px (96 per inch).
TEXT_WIDTH_PX = 170 / 25.4 * 96


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The three demo reports (whole survey) written in every format, with one writer."""
    from survey_kit.codebook import instrument
    from survey_kit.datasets import write_demo_exports
    from survey_kit.ingest import ingest
    from survey_kit.pipeline import DEMO_KEY, PRIMARY_EXPORT
    from survey_kit.report import build_report
    from survey_kit.report.output import ReportWriter

    root = tmp_path_factory.mktemp("out")
    exports = write_demo_exports(root / "raw", n_temperature=400)
    reports = {}
    for name in INSTRUMENTS:
        ingest(exports[name][PRIMARY_EXPORT[name]], instrument(name), out_dir=root / "processed", name=name, key=DEMO_KEY)
        reports[name] = build_report(root / "processed" / f"{name}.parquet", name)
    files = {}
    with ReportWriter(formats=("html", "pdf", "docx", "xlsx"), figures=False) as writer:
        for name, rep in reports.items():
            files[name] = writer.write(rep, root / name)
        timings = list(writer.timings)
    print("ReportWriter seconds per report:", [round(t, 2) for t in timings])
    return root, reports, files


def _pdf_text(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(pdf).pages]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_files_written(written, name):
    root, _, files = written
    names = {p.name for p in files[name]}
    assert {"rapport.html", "rapport.pdf", "rapport.docx", "tabeller.xlsx"} <= names
    html = (root / name / "rapport.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="da">' in html
    assert "cdn" not in html.lower().split("<body", 1)[1][:2000]


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_pdf_pages_numbered_after_the_front_page(written, name):
    root, reports, _ = written
    pages = _pdf_text(root / name / "rapport.pdf")
    m = len(pages)
    assert m >= 3
    assert not re.search(r"Side \d+ af \d+", pages[0]), "the front page has no footer"
    for n, text in enumerate(pages[1:], start=2):
        assert f"Side {n} af {m}" in text, f"page {n}: {text[-200:]!r}"
        assert _squash(reports[name].title) in _squash(text), f"page {n}: no report title in the footer"
    assert reports[name].date_text() in pages[0], "the report date is on the front"


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_pdf_has_every_caption_numbered(written, name):
    root, rep, _ = written
    report = rep[name]
    text = _squash(" ".join(_pdf_text(root / name / "rapport.pdf")))
    captions = [report.caption(b) for b in report.blocks if isinstance(b, Table | Figure)]
    assert any(c.startswith("Tabel 2.") for c in captions) and any(c.startswith("Figur 1.") for c in captions)
    for caption in captions:
        assert _squash(caption) in text, caption


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_pdf_tagged_outline_danish(written, name):
    from pypdf import PdfReader

    root, rep, _ = written
    reader = PdfReader(root / name / "rapport.pdf")
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "da"
    assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog, "tagged PDF"

    def titles(items):
        for it in items:
            if isinstance(it, list):
                yield from titles(it)
            else:
                yield it.title

    outline = {_squash(t) for t in titles(reader.outline)}
    assert _squash(rep[name].title) in outline
    for b in rep[name].blocks:
        if isinstance(b, Heading):
            assert _squash(b.text) in outline, f"no bookmark for {b.text!r}"


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_print_layout_stays_within_the_a4_text_width(written, browser, artifacts, name):
    """Chromium with print media at the A4 text width: no table, figure or cell is wider."""
    root, _, _ = written
    page = browser.new_page(viewport={"width": round(TEXT_WIDTH_PX), "height": 1100})
    page.emulate_media(media="print")
    page.goto((root / name / "rapport.html").as_uri())
    page.wait_for_load_state("load")
    page.evaluate("() => window.skReady || null")  # every chart drawn
    res = page.evaluate(
        """(w) => {
          const out = [];
          const body = document.body.getBoundingClientRect();
          const check = (el, what) => {
            const r = el.getBoundingClientRect();
            if (r.right - body.left > w + 1 || el.scrollWidth > el.clientWidth + 1)
              out.push(`${what} ${el.id || el.className}: right ${Math.round(r.right - body.left)}, scroll ${el.scrollWidth}/${el.clientWidth}`);
          };
          document.querySelectorAll('table, .sk-tablewrap, figure, .js-plotly-plot svg.main-svg').forEach(el => check(el, el.tagName));
          document.querySelectorAll('table th, table td').forEach(el => {
            if (el.scrollWidth > el.clientWidth + 1) out.push(`cell "${el.textContent}" overflows`);
          });
          if (document.documentElement.scrollWidth > w + 1) out.push(`page scrolls: ${document.documentElement.scrollWidth}`);
          return out;
        }""",
        TEXT_WIDTH_PX,
    )
    page.screenshot(path=str(artifacts / f"report_print_{name}.png"), full_page=False)
    page.close()
    assert not res, res[:5]


def test_network_tests_are_named_whole_in_the_pdf(written):
    """Issue 13: the network report's table lost its "Test" column behind a scrollbar. The test of
    each paired table is now named in the note under it; every name must be printed whole."""
    from survey_kit.fmt import method_name

    root, rep, _ = written
    text = _squash(" ".join(_pdf_text(root / "netvaerksevaluering" / "rapport.pdf")))
    found = 0
    for t in rep["netvaerksevaluering"].tables():
        if "test" not in t.data:
            continue
        for v in t.data["test"].dropna().unique():
            if not str(v):
                continue
            assert _squash(method_name(v)) in _squash(t.note), (t.name, v)
            assert _squash(t.note) in text, t.note
            found += 1
    assert found, "the network report names its tests"


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_word_document_has_real_tables_and_described_pictures(written, name):
    import docx
    from docx.oxml.ns import qn

    root, rep, _ = written
    report = rep[name]
    doc = docx.Document(str(root / name / "rapport.docx"))
    tables = list(report.tables())
    figures = list(report.figures())
    assert len(doc.tables) == len(tables)
    assert len(doc.inline_shapes) == len(figures) > 0
    for shape, fig in zip(doc.inline_shapes, figures, strict=True):
        descr = shape._inline.docPr.get("descr")
        assert descr and len(descr) > 20, f"{fig.name}: no alt text"
        assert shape.width.cm <= 17.01
    styles = [p.style.name for p in doc.paragraphs]
    assert styles[0] == "Title" and "Heading 1" in styles and "List Bullet" in styles
    # paragraph text with the results of fields ("Tabel {SEQ Tabel}. ...")
    text = "\n".join("".join(t.text or "" for t in p._p.iter(qn("w:t"))) for p in doc.paragraphs)
    assert report.date_text() in text
    for b in tables + figures:
        assert report.caption(b) in text
    for wt, t in zip(doc.tables, tables, strict=True):
        first = wt.rows[0]._tr
        assert first.find(".//{*}tblHeader") is not None, "header row repeats on each page"
        assert [c.text for c in wt.rows[0].cells] == [c.header for c in t.columns]
        # the same Danish cell texts as the HTML (numbers joined by a no-break space)
        assert [c.text.replace("\u00a0", " ") for c in wt.rows[1].cells] == list(t.display_frame().iloc[0])
    assert doc.core_properties.language == "da-DK"


def test_word_uses_a_municipal_template(written, tmp_path):
    import docx
    from docx.shared import RGBColor

    from survey_kit.report.docx import write_docx

    root, rep, _ = written
    tpl = docx.Document()
    tpl.styles["Heading 1"].font.color.rgb = RGBColor(0x00, 0x66, 0x33)
    tpl.sections[0].header.paragraphs[0].text = "Ringkøbing-Skjern Kommune"
    tpl.add_paragraph("Skabelonens eksempeltekst")
    tpl.save(tmp_path / "skabelon.docx")
    out = write_docx(rep["netvaerksevaluering"], tmp_path / "r.docx", template=tmp_path / "skabelon.docx")
    doc = docx.Document(str(out))
    assert doc.sections[0].header.paragraphs[0].text == "Ringkøbing-Skjern Kommune"
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x00, 0x66, 0x33)
    assert "Skabelonens eksempeltekst" not in "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_excel_sheets_short_labels_numeric_columns_stay_numeric(written, name):
    import openpyxl

    from survey_kit.report.content import NUMERIC_KINDS

    root, rep, _ = written
    report = rep[name]
    wb = openpyxl.load_workbook(root / name / "tabeller.xlsx")
    sheets = wb.worksheets[1:]
    tables = list(report.tables())
    assert len(sheets) == len(tables)
    assert len({ws.title.lower() for ws in sheets}) == len(sheets)
    for ws, t in zip(sheets, tables, strict=True):
        assert len(ws.title) <= 31
        assert_whole_words(ws.title, t.title)
        assert ws["A1"].value == report.caption(t)
        assert report.title in ws["A2"].value
        sup = t.suppressed()
        for j, col in enumerate(t.columns, start=1):
            if col.kind not in NUMERIC_KINDS:
                continue
            for i in range(len(t.data)):
                cell = ws.cell(row=5 + i, column=j)
                if sup[i]:
                    assert cell.value is None
                else:
                    assert cell.value is None or isinstance(cell.value, int | float), (ws.title, cell.value)
                    if cell.value is not None:
                        assert cell.number_format != "General"
        if any(sup):
            note_col = len(t.columns) + 1
            assert ws.cell(row=4, column=note_col).value == "Bemærkning"
            marks = [ws.cell(row=5 + i, column=note_col).value for i in range(len(t.data))]
            assert marks == ["For få svar" if s else None for s in sup]
        if any(c.kind == "p" for c in t.columns):
            j = next(j for j, c in enumerate(t.columns, start=1) if c.kind == "p")
            assert ws.cell(row=5, column=j).number_format.startswith('[<0.001]"< 0,001"')


def assert_whole_words(sheet: str, title: str) -> None:
    """``sheet`` is "N " + the title, or its first and last whole words around "…"."""
    from survey_kit.report.excel import _clean_title

    clean = _clean_title(title)
    label = re.sub(r"^\d+ ", "", sheet)
    head, _, tail = label.partition("…")
    assert clean.startswith(head), (sheet, title)
    assert len(head) == len(clean) or clean[len(head)] in " ,.;–-", f"{sheet!r} cut mid-word"
    tail = tail.strip()
    assert clean.endswith(tail) and (not tail or clean[-len(tail) - 1] == " "), (sheet, title)


def test_one_writer_reuses_one_browser(written, tmp_path):
    """One writer, several reports: one Chromium prints them all (its speed, the first report
    against the next, is benchmarks/reports.py's `report` stage, not a test)."""
    from survey_kit.report.output import ReportWriter

    _, rep, _ = written
    with ReportWriter(formats=("html", "pdf"), figures=False) as writer:
        browsers = []
        for k in range(3):
            writer.write(rep["temperaturmaaling"], tmp_path / f"r{k}")
            browsers.append(writer._printer._browser)
        assert len(writer.timings) == 3
    assert browsers[0] is not None and all(b is browsers[0] for b in browsers)
    assert all((tmp_path / f"r{k}" / "rapport.pdf").stat().st_size > 10_000 for k in range(3))


def test_pages_to_png_for_looking(written, artifacts):
    root, _, _ = written
    for name in INSTRUMENTS:
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(root / name / "rapport.pdf"),
                        str(artifacts / f"report_pdf_{name}")], check=True)
    assert len(list(artifacts.glob("report_pdf_*.png"))) >= 9


# -- a run replaces its output (issue 21, part 5) -------------------------------------------------
def _tree(base: Path) -> set[str]:
    return {str(p.relative_to(base)) for p in base.rglob("*")}


def test_a_second_run_leaves_nothing_of_the_first(written, tmp_path):
    """Three runs into one folder, as an analyst does over a month: each run's folder holds
    exactly what that run wrote; Excel always, the formats named, no earlier group folder."""
    from survey_kit.report import render_reports

    root, _, _ = written
    data = root / "processed" / "netvaerksevaluering.parquet"
    base = tmp_path / "netvaerksevaluering"

    first = render_reports(data, out_dir=tmp_path, formats=("html", "docx"), figures=False, progress=False)
    assert (base / "samlet" / "rapport.docx").is_file()
    assert {p.name for p in first} == {"rapport.html", "rapport.docx", "tabeller.xlsx"}

    second = render_reports(data, out_dir=tmp_path, by="sektor", formats=("html",), figures=False,
                            progress=False)
    groups = {p.parent.name for p in second}
    assert len(groups) > 2 and "samlet" in groups
    assert not (base / "samlet" / "rapport.docx").exists(), "last run's Word file is left beside the new report"
    assert {p.name for p in (base / "samlet").iterdir()} == {"rapport.html", "tabeller.xlsx"}

    third = render_reports(data, out_dir=tmp_path, formats=("html",), figures=False, progress=False)
    assert {p.parent.name for p in third} == {"samlet"}
    # the run's summary and suppression log, and the disclosure ledger: the folder's history
    # across runs (read by the next run, so the area and unit runs are protected together)
    left = _tree(base) - {"koerselsoversigt.txt", "anonymitet_log.csv", "anonymitet_historik.json"}
    assert left == {"samlet", "samlet/rapport.html", "samlet/tabeller.xlsx"}, sorted(left)
    assert (base / "anonymitet_historik.json").is_file()
    assert all(p.is_file() for p in third)
    assert "skole" not in (base / "koerselsoversigt.txt").read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["netvaerksevaluering"], "no staging folder left"


def test_a_folder_that_is_not_a_run_is_never_replaced(written, tmp_path):
    from survey_kit.errors import DataError
    from survey_kit.report import render_reports

    root, _, _ = written
    own = tmp_path / "temperaturmaaling" / "mine_tal.xlsx"
    own.parent.mkdir()
    own.write_bytes(b"the analyst's own file")
    with pytest.raises(DataError, match="ikke en mappe med rapporter fra survey_kit; vælg en anden --out"):
        render_reports(root / "processed" / "temperaturmaaling.parquet", out_dir=tmp_path, formats=("html",),
                       figures=False, progress=False)
    assert own.read_bytes() == b"the analyst's own file"
    assert sorted(p.name for p in own.parent.iterdir()) == ["mine_tal.xlsx"]


def test_a_write_replaces_the_reports_files_and_keeps_the_analysts(written, tmp_path):
    from survey_kit.report.output import ReportWriter

    _, rep, _ = written
    folder = tmp_path / "rapport"
    (folder / "figurer").mkdir(parents=True)
    (folder / "figurer" / "gammel_figur.png").write_bytes(b"old")
    (folder / "rapport.pdf").write_bytes(b"old")
    (folder / "noter.txt").write_text("mine noter", encoding="utf-8")
    with ReportWriter(formats=("html", "xlsx"), figures=False) as writer:
        files = writer.write(rep["netvaerksevaluering"], folder)
    assert {p.name for p in files} == {"rapport.html", "tabeller.xlsx"}
    assert sorted(p.name for p in folder.iterdir()) == ["noter.txt", "rapport.html", "tabeller.xlsx"]
    assert (folder / "noter.txt").read_text("utf-8") == "mine noter"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport"], "no staging folder left"


def test_figure_files_are_the_charts_the_pdf_shows(written, tmp_path):
    """figurer/ comes from the printing page: per chart a 300-dpi PNG, the SVG the PDF shows, a
    one-page PDF of the chart's print size, its data (CSV) and its alt text."""
    import io
    import xml.etree.ElementTree as ET

    import pikepdf
    from PIL import Image

    from survey_kit.report.output import ReportWriter

    _, rep, _ = written
    report = rep["netvaerksevaluering"]
    with ReportWriter(formats=("html", "pdf"), figures=True) as writer:
        files = writer.write(report, tmp_path / "r")
    names = {p.name for p in files}
    for fig in report.figures():
        base = tmp_path / "r" / "figurer" / fig.name
        for ext in (".png", ".svg", ".pdf", ".csv", ".alt.txt"):
            assert f"{fig.name}{ext}" in names and Path(f"{base}{ext}").is_file(), (fig.name, ext)
        svg = ET.fromstring(Path(f"{base}.svg").read_bytes())
        w_px = float(svg.get("width"))
        assert abs(w_px - TEXT_WIDTH_PX) < 2 or fig.size == "half", (fig.name, w_px)
        with Image.open(io.BytesIO(Path(f"{base}.png").read_bytes())) as im:
            assert round(im.info["dpi"][0]) == 300
            assert abs(im.size[0] - w_px * 300 / 96) < 3
        with pikepdf.open(f"{base}.pdf") as pdf:
            assert len(pdf.pages) == 1
            assert abs(float(pdf.pages[0].mediabox[2]) - w_px * 72 / 96) < 1.5
        assert Path(f"{base}.alt.txt").read_text("utf-8").strip() == fig.alt_text()

