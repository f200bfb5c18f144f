"""The spine end to end, as `make demo` runs it: demo exports -> ingest -> reports, then every
report opened in a real browser (Debian's chromium through Playwright), its PDF rendered to PNG,
and its Excel workbook opened with openpyxl."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import wait_for_charts

from survey_kit.pipeline import run_demo

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("e2e")]

INSTRUMENTS = ["lederudvikling_2008", "temperaturmaaling", "netvaerksevaluering"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    out = run_demo(root=root, formats=("html", "pdf"))
    return root, out


def _html_reports(root: Path) -> list[Path]:
    return sorted((root / "reports").rglob("rapport.html"))


def test_demo_leaves_reports_for_every_survey(demo):
    root, out = demo
    for name in INSTRUMENTS:
        folder = root / "reports" / name / "samlet"
        for f in ("rapport.html", "rapport.pdf", "tabeller.xlsx"):
            assert (folder / f).stat().st_size > 1000, f"{name}: {f}"
        figures = list((folder / "figurer").glob("*.png"))
        assert figures, f"{name}: no exported figures"
        for png in figures:
            stem = png.with_suffix("")
            for ext in (".svg", ".pdf", ".csv", ".alt.txt"):
                assert Path(str(stem) + ext).exists(), f"{png.name}: missing {ext}"
    # one temperaturmåling report per area as well as the whole municipality
    areas = [p for p in (root / "reports" / "temperaturmaaling").iterdir() if p.is_dir()]
    assert len(areas) == 1 + 8


def test_processed_data_and_manifest(demo):
    root, _ = demo
    for name in INSTRUMENTS:
        if name == "temperaturmaaling":  # three rounds, one dataset (issue 24)
            continue
        manifest = json.loads((root / "data" / "processed" / f"{name}.manifest.json").read_text("utf-8"))
        assert manifest["rows_read"] == manifest["rows_valid"] + manifest["rows_quarantined"]
        assert manifest["instrument"] == name
        data = pd.read_parquet(root / "data" / "processed" / f"{name}.parquet")
        assert len(data) == manifest["rows_valid"]
    # the temperaturmåling is a recurring survey: one part and one manifest per round
    folder = root / "data" / "processed" / "temperaturmaaling"
    dataset = json.loads((folder / "dataset.json").read_text("utf-8"))
    assert [w["wave_label"] for w in dataset["waves"]] == ["2008/09", "2010", "2012"]
    for w in dataset["waves"]:
        part = json.loads((folder / w["manifest"]).read_text("utf-8"))
        assert part["rows_read"] == part["rows_valid"] + part["rows_quarantined"] and part["instrument"] == "temperaturmaaling"
        assert len(pd.read_parquet(folder / w["part"])) == part["rows_valid"]
    net = pd.read_parquet(root / "data" / "processed" / "netvaerksevaluering.parquet")
    assert not net["leder_id"].astype(str).str.contains("@").any(), "panel key must be pseudonymised"


def test_raw_exports_untouched_by_ingest(demo):
    root, _ = demo
    manifests = (root / "data" / "processed").rglob("*.manifest.json")
    import hashlib

    for m in manifests:
        info = json.loads(m.read_text("utf-8"))
        src = Path(info["source_path"])
        if src.is_file():
            assert hashlib.sha256(src.read_bytes()).hexdigest() == info["sha256"]


def test_leader_report_states_the_published_headlines(demo):
    root, _ = demo
    html = (root / "reports" / "lederudvikling_2008" / "samlet" / "rapport.html").read_text("utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Ni ud af ti ledere" in text
    assert re.search(r"(8[89]|9[0-2]) % af dem, der har prøvet et ledernetværk", text)
    assert "Ledernetværk topper listen" in text
    assert "Næsten halvdelen af lederne" in text


def test_reports_render_in_chromium(demo, browser, artifacts):
    root, _ = demo
    reports = _html_reports(root)
    assert len(reports) >= 3
    for path in reports:
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        errors: list[str] = []
        outside: list[str] = []
        dialogs: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on(
            "request",
            lambda r, outside=outside: outside.append(r.url)
            if not r.url.startswith(("file:", "data:", "blob:", "about:"))
            else None,
        )
        page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        wait_for_charts(page)
        n_plots = page.locator(".js-plotly-plot").count()
        assert n_plots >= 1, f"{path}: no chart"
        # every chart's plot area is drawn: an SVG with a plot layer holding shapes
        drawn = page.evaluate(
            """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => {
                 const svg = p.querySelector('svg.main-svg');
                 if (!svg) return 0;
                 const r = svg.getBoundingClientRect();
                 const marks = p.querySelectorAll('.plot path, .plot rect, .heatmaplayer image, .point, .bars path').length;
                 return (r.width > 100 && r.height > 100) ? marks : 0; })"""
        )
        assert all(m > 0 for m in drawn), f"{path}: undrawn chart(s) {drawn}"
        assert not errors, f"{path}: JavaScript errors {errors[:3]}"
        assert not outside, f"{path}: requests left the machine: {outside[:3]}"
        assert not dialogs
        rel = path.relative_to(root / "reports").parent
        page.screenshot(path=str(artifacts / f"{str(rel).replace('/', '__')}.png"))
        page.close()


def test_pdf_pages_show_the_charts(demo, tmp_path):
    root, _ = demo
    from PIL import Image
    from pypdf import PdfReader

    for name in INSTRUMENTS:
        pdf = root / "reports" / name / "samlet" / "rapport.pdf"
        reader = PdfReader(pdf)
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2, "A4"
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / name)], check=True)
        pages = sorted(tmp_path.glob(f"{name}*.png"))
        assert len(pages) == len(reader.pages)
        coloured = 0
        for png in pages:
            rgb = np.asarray(Image.open(png).convert("RGB")).astype(int)
            spread = rgb.max(axis=2) - rgb.min(axis=2)  # chroma: charts are coloured, text is grey
            coloured += int((spread > 60).sum())
        assert coloured > 2000, f"{name}: no chart colour found in the PDF pages"


def test_excel_workbook_numbers_and_suppression(demo):
    root, _ = demo
    import openpyxl

    numeric = suppressed = 0
    for wb_path in (root / "reports").rglob("tabeller.xlsx"):
        wb = openpyxl.load_workbook(wb_path)
        for ws in wb.worksheets[1:]:
            for row in ws.iter_rows(min_row=4):
                for cell in row[1:]:
                    if isinstance(cell.value, int | float):
                        numeric += 1
                        assert cell.number_format != "General"
                    if cell.value == "For få svar":
                        suppressed += 1
                    assert not (isinstance(cell.value, str) and cell.value.startswith("="))
    assert numeric > 100
    assert suppressed > 0, "the temperaturmåling has units below min_n: some cells must be marked"


XSS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(2)>",
    "Ring til mig på 20 30 40 50 eller skriv til jens.hansen@kommune.dk",
    "Mit CPR er 010203-1234 og min kollegas er 1102851234",
    '=HYPERLINK("http://evil.example","klik")',
]


def test_free_text_is_inert_and_masked_in_report_and_exports(demo, browser, tmp_path):
    """Hostile and personal free text in the data: nothing runs, nothing personal is printed."""
    root, _ = demo
    from survey_kit.report import render_reports

    src = root / "data" / "processed" / "lederudvikling_2008.parquet"
    data = pd.read_parquet(src)
    big = data["sektor"] == data["sektor"].value_counts().idxmax()
    rows = data.index[big][: 4 * len(XSS)]
    data.loc[rows, "kommentar"] = [XSS[i % len(XSS)] for i in range(len(rows))]
    work = tmp_path / "proc"
    work.mkdir()
    data.to_parquet(work / "lederudvikling_2008.parquet")
    (work / "lederudvikling_2008.manifest.json").write_text(
        (root / "data" / "processed" / "lederudvikling_2008.manifest.json").read_text("utf-8"), "utf-8"
    )
    files = render_reports(work / "lederudvikling_2008.parquet", "lederudvikling_2008", out_dir=tmp_path / "rep", formats=("html",), figures=False, progress=False)
    html_path = next(p for p in files if p.name == "rapport.html")
    html = html_path.read_text("utf-8")
    for secret in ("010203-1234", "1102851234", "jens.hansen@kommune.dk", "20 30 40 50"):
        assert secret not in html
    assert "&lt;script&gt;" in html or "[" in html  # the comment is shown, escaped
    assert "<img src=x onerror" not in html
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(html_path.as_uri())
    wait_for_charts(page)
    assert page.locator("img[src='x']").count() == 0
    assert not dialogs, f"a script ran: {dialogs}"
    page.close()
    # the Excel workbook keeps formula-like text as text
    import openpyxl

    xlsx = next(p for p in files if p.name == "tabeller.xlsx")
    for ws in openpyxl.load_workbook(xlsx).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_no_hidden_count_is_recoverable_from_the_demo_reports(demo):
    """The attacker (linear programming over everything the reports publish, across the municipality
    report and the eight area reports, up the unit -> area -> municipality hierarchy)."""
    root, _ = demo
    from survey_kit.report import disclosure_check

    res = disclosure_check(root / "data" / "processed" / "temperaturmaaling", "temperaturmaaling", by="omraade")
    assert len(res) > 20, "the demo has units below min_n: there must be hidden cells to attack"
    assert not res["recoverable"].any(), res[res["recoverable"]].head()
    for name in ("lederudvikling_2008", "netvaerksevaluering"):
        res = disclosure_check(root / "data" / "processed" / f"{name}.parquet", name)
        assert not (len(res) and res["recoverable"].any())


def test_every_demo_pdf_passes_pdfua(demo):
    """Issue 21: every report PDF of the demo (whole surveys and areas) has 0 pdfua findings."""
    import pdfua

    root, _ = demo
    pdfs = sorted((root / "reports").rglob("rapport.pdf"))
    assert len(pdfs) >= 3 + 8
    bad = {str(p.relative_to(root)): sorted({f.rule_id for f in pdfua.validate(str(p)).findings}) for p in pdfs}
    assert not {k: v for k, v in bad.items() if v}


def test_demo_html_has_no_axe_violations(demo, browser):
    """Issue 21: the whole-survey HTML reports of the demo have 0 axe-core violations."""
    from axe_playwright_python.sync_playwright import Axe

    root, _ = demo
    found = {}
    for name in INSTRUMENTS:
        page = browser.new_page()
        try:
            page.goto((root / "reports" / name / "samlet" / "rapport.html").as_uri())
            page.evaluate("() => window.skReady || null")
            found[name] = [v["id"] for v in Axe().run(page).response["violations"]]
        finally:
            page.close()
    assert not any(found.values()), found
