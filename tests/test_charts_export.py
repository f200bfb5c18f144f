"""Static export with kaleido and Debian's chromium: sizes, Danish text, CSV and alt text.

One chromium serves the whole module (``exporting()`` in a module-scoped fixture); the tests are
marked ``browser`` and grouped on one xdist worker (``--dist loadgroup``). ``ChartExporter``
objects own a browser each; ``export`` is the deprecated name of ``save_chart``.
"""

from __future__ import annotations

import importlib
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from pypdf import PdfReader
from test_charts_tables import (
    compare_table,
    freq_table,
    heat_table,
    rank_table,
    waves_table,
)

from survey_kit.charts import (
    ChartExporter,
    exporting,
    figure_size,
    heatmap,
    likert_bars,
    prepost,
    ranking_bars,
    save_chart,
    share_bars,
    wave_dumbbell,
)

export_mod = importlib.import_module("survey_kit.charts.export")  # the module, not the old function

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chromium")]

SOURCE = "Kilde: Temperaturmåling 2010, n = 1.234"
CHARTS = {
    "likert_bars": lambda: likert_bars(freq_table(), title="Helt enig? æøå ÆØÅ", source=SOURCE),
    "share_bars": lambda: share_bars(compare_table(), title="Andel enige, æøå", source=SOURCE),
    "wave_dumbbell": lambda: wave_dumbbell(waves_table(), title="Ændring æøå", source=SOURCE),
    "heatmap": lambda: heatmap(heat_table(), title="Kendetegn æøå", value_range=(1, 5),
                               source=SOURCE),
    "ranking_bars": lambda: ranking_bars(rank_table(), title="Prioriteter æøå", source=SOURCE),
    "prepost": lambda: prepost(waves_table(paired=True), title="Før/efter æøå", source=SOURCE),
}
PX_PER_CM = 300 / 2.54
PT_PER_CM = 72 / 2.54


@pytest.fixture(scope="module")
def browser():
    with exporting():
        yield


def _svg_size(path) -> tuple[str | None, str | None]:
    root = ET.parse(path).getroot()
    return root.get("width"), root.get("height")


def _svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_exports_png_svg_pdf_at_full_width(browser, tmp_path, name):
    fig = CHARTS[name]()
    files = save_chart(fig, tmp_path / name, size="full")
    assert [f.name for f in files] == [f"{name}.{x}" for x in ("png", "svg", "pdf", "csv",
                                                               "alt.txt")]
    w_cm, h_cm = figure_size(fig, "full")
    assert w_cm == 17.0
    assert h_cm == pytest.approx(fig.layout.height / 96 * 2.54, abs=0.01)
    with Image.open(files[0]) as img:
        assert img.size == (round(17 * PX_PER_CM), round(h_cm * PX_PER_CM))
        assert img.size[0] == 2008
        assert img.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    texts = _svg_texts(files[1])
    joined = " ".join(texts)
    assert "æøå" in joined and "Kilde: Temperaturmåling 2010, n = 1.234" in joined
    page = PdfReader(files[2]).pages[0]
    # chromium rounds the page to well under a point (0.35 mm)
    assert float(page.mediabox.width) == pytest.approx(17 * PT_PER_CM, abs=1.0)
    assert float(page.mediabox.height) == pytest.approx(h_cm * PT_PER_CM, abs=1.0)
    assert "æøå" in page.extract_text()


def test_svg_holds_danish_labels_and_number_format(browser, tmp_path):
    (svg,) = save_chart(CHARTS["likert_bars"](), tmp_path / "l", formats=("svg",))[:1]
    texts = _svg_texts(svg)
    assert "Helt enig" in texts and "Overvejende uenig" in texts
    assert "50 %" in texts and "For få besvarelser" in texts
    (svg,) = save_chart(CHARTS["heatmap"](), tmp_path / "h", formats=("svg",))[:1]
    texts = _svg_texts(svg)
    assert {"1,0", "2,0", "5,0"} <= set(texts)  # colourbar ticks with a decimal comma
    assert not any(t.replace(".", "").isdigit() and "." in t for t in texts)
    (svg,) = save_chart(CHARTS["prepost"](), tmp_path / "p", formats=("svg",))[:1]
    assert {"−0,4", "0,0", "0,4"} <= set(_svg_texts(svg))
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1234, 2500]), layout=dict(template="survey_kit"))
    (svg,) = save_chart(fig, tmp_path / "thousands", formats=("svg",))[:1]
    assert {"1.000", "2.000"} <= set(_svg_texts(svg))  # thousands point


@pytest.mark.parametrize("size, cm", [("half", (8.2, None)), ((12.0, 8.0), (12.0, 8.0))])
def test_half_and_explicit_sizes(browser, tmp_path, size, cm):
    fig = CHARTS["share_bars"]()
    png, svg, pdf = save_chart(fig, tmp_path / "s.png", size=size)[:3]
    w_cm, h_cm = figure_size(fig, size)
    assert w_cm == cm[0] and (cm[1] is None or h_cm == cm[1])
    with Image.open(png) as img:
        assert img.size == (round(w_cm * PX_PER_CM), round(h_cm * PX_PER_CM))
        assert img.info["dpi"] == pytest.approx((300, 300), abs=0.01)  # half width too
    root = ET.parse(svg).getroot()
    assert float(root.get("width")) == pytest.approx(w_cm / 2.54 * 96, abs=1)
    box = PdfReader(pdf).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(
        (w_cm * PT_PER_CM, h_cm * PT_PER_CM), abs=1.0)


def test_dpi_changes_png_pixels(browser, tmp_path):
    fig = CHARTS["ranking_bars"]()
    (png,) = save_chart(fig, tmp_path / "r", formats=("png",), size=(10, 6), dpi=150)[:1]
    with Image.open(png) as img:
        assert img.size == (round(10 / 2.54 * 150), round(6 / 2.54 * 150))


def test_csv_beside_chart_is_danish_and_round_trips(browser, tmp_path):
    table = compare_table()
    files = save_chart(share_bars(table), tmp_path / "c", formats=("png",))
    csv = files[1]
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Danish letters right
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].split(";")[:3] == ["item", "item_label", "stat"]
    assert "Børn og Familie" in text and "0,62" in text
    back = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig")
    assert back["value"].tolist() == pytest.approx(table["value"].astype(float).tolist(),
                                                   nan_ok=True)
    assert back["n"].isna().tolist() == table["n"].isna().tolist()


def test_explicit_table_and_alt_text_file(browser, tmp_path):
    other = pd.DataFrame({"enhed": ["Skole Ølstrup"], "andel": [0.5]})
    fig = CHARTS["wave_dumbbell"]()
    files = save_chart(fig, tmp_path / "w", formats=("svg",), table=other)
    assert files[1].read_text(encoding="utf-8-sig").splitlines() == ["enhed;andel",
                                                                     "Skole Ølstrup;0,5"]
    alt = files[2].read_text(encoding="utf-8")
    assert alt.startswith("Diagram: Ændring æøå.")
    assert "signifikant ændring" in alt and "Kilde: Temperaturmåling" in alt
    # a plain plotly figure: no CSV, a generic alt text
    files = save_chart(go.Figure(go.Bar(x=[1], y=[2])), tmp_path / "plain", formats=("png",))
    assert [f.suffix for f in files] == [".png", ".txt"]


def test_export_rejects_bad_arguments(tmp_path):
    fig = CHARTS["share_bars"]()
    with pytest.raises(ValueError, match="formats"):
        save_chart(fig, tmp_path / "x", formats=("jpg",))
    with pytest.raises(ValueError, match="size"):
        save_chart(fig, tmp_path / "x", size="a4")
    with pytest.raises(ValueError, match="size"):
        save_chart(fig, tmp_path / "x", size=(0, 5))
    with pytest.raises(ValueError, match="dpi"):
        save_chart(fig, tmp_path / "x", dpi=0)
    with pytest.raises(ValueError, match="fig"):
        save_chart({"data": []}, tmp_path / "x")


def test_one_browser_serves_many_exports(browser, tmp_path):
    default = export_mod.default_exporter()
    assert default.running
    with exporting() as ex:  # nested: reuses the running browser and leaves it running
        assert ex is default
        save_chart(CHARTS["heatmap"](), tmp_path / "a", formats=("png",))
    assert default.running
    import plotly.io as pio

    assert not pio.defaults.mathjax  # plotly's process-wide defaults are left alone
    assert default._kaleido._mathjax is False  # the exporter's own kaleido: no CDN request


def test_exporters_are_objects_with_a_browser_each(browser, tmp_path):
    # two exporters side by side: each owns its chromium; closing one leaves the other (and the
    # module's default) running; a closed exporter starts again when asked
    fig = CHARTS["share_bars"]()
    with ChartExporter() as one:
        with ChartExporter() as two:
            assert one.running and two.running and one._kaleido is not two._kaleido
            (b,) = two.save(fig, tmp_path / "b", formats=("svg",))[:1]
        assert not two.running and one.running
        (a,) = one.save(fig, tmp_path / "a", formats=("svg",))[:1]
    assert not one.running and export_mod.default_exporter().running
    # the same chart whichever browser (plotly's clip-path ids are random: compare what shows)
    assert _svg_texts(a) == _svg_texts(b) and _svg_size(a) == _svg_size(b)
    # the module function writes the same chart through the default exporter
    (c,) = save_chart(fig, tmp_path / "c", formats=("svg",))[:1]
    assert _svg_texts(c) == _svg_texts(a) and _svg_size(c) == _svg_size(a)
    again = ChartExporter()
    try:
        assert not again.running
        (d,) = again.save(fig, tmp_path / "d", formats=("svg",))[:1]  # starts on first use
        assert again.running and _svg_texts(d) == _svg_texts(a)
    finally:
        again.close()
    assert not again.running


def test_export_is_the_deprecated_name_of_save_chart(browser, tmp_path):
    from survey_kit.charts import export

    fig = CHARTS["heatmap"]()
    with pytest.warns(DeprecationWarning, match="save_chart"):
        old = export(fig, tmp_path / "old", formats=("svg",))
    new = save_chart(fig, tmp_path / "new", formats=("svg",))
    assert [f.name.replace("old", "new") for f in old] == [f.name for f in new]
    assert _svg_texts(old[0]) == _svg_texts(new[0]) and _svg_size(old[0]) == _svg_size(new[0])


_LAZY_SCRIPT = """
import sys
from survey_kit.charts import save_chart, share_bars
sys.path.insert(0, {tests!r})
from test_charts_tables import compare_table
files = save_chart(share_bars(compare_table()), {out!r}, formats=("svg",))
print(len(files))
"""


def _run_script(tmp_path, env_extra):
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = _LAZY_SCRIPT.format(tests=str(Path(__file__).parent), out=str(tmp_path / "lazy"))
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env)


def test_export_starts_browser_lazily_and_stops_it_at_exit(tmp_path):
    # a fresh interpreter: save_chart() alone starts the default exporter once and it is closed
    # at exit, so the
    # process ends by itself (a leaked browser would keep it alive until the timeout)
    res = _run_script(tmp_path, {})
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "3"
    assert "æøå" not in res.stderr
    assert (tmp_path / "lazy.svg").stat().st_size > 1000


def test_browser_path_is_honoured(tmp_path):
    res = _run_script(tmp_path, {"BROWSER_PATH": str(tmp_path / "no-such-chromium")})
    assert res.returncode != 0
    assert "BROWSER_PATH=" in res.stderr and "no-such-chromium" in res.stderr
    assert not (tmp_path / "lazy.svg").exists()
