"""Charts printed whole: every chart kind at full (170 mm) and half (82 mm) width with long Danish
labels, exported and looked at in Chromium.

What is checked, per chart and width (issue 13, "Tests that look"):
- every text element, the legend, the colour bar and every marker lies inside the SVG canvas
  (bounding boxes from Chromium's layout of the exported SVG);
- every text is at least 8 pt at print size (the SVG is in CSS px of the print size);
- every word of the title, source line and row labels is printed whole (no "Ved ikke (ant");
- the PNG is mm / 25.4 * 300 px wide and says 300 dpi in its pHYs chunk;
- the figure carries its print size (``layout.width``) and the SVG has exactly that size.
The text measurement the builders wrap with agrees with Chromium's (Liberation Sans).
"""

from __future__ import annotations

import shutil

import pytest
from PIL import Image
from test_charts_tables import compare_table, freq_table, heat_table, rank_table, waves_table

from survey_kit.charts import (
    exporting,
    heatmap,
    likert_bars,
    prepost,
    ranking_bars,
    save_chart,
    share_bars,
    wave_dumbbell,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chromium")]

MIN_PX = 8 / 72 * 96  # 8 pt in CSS px at print size
WIDTH_MM = {"full": 170.0, "half": 82.0}

TITLE = ("Andel medarbejdere, der oplever at kunne udvikle sig fagligt i deres nuværende "
         "stilling, fordelt på fagområde og forvaltning")
SOURCE = ("Kilde: Temperaturmåling blandt medarbejdere i Varde Kommune, efteråret 2010; egne "
          "beregninger, n = 1.234 besvarelser")
LONG = {
    "Fejl bruges til læring": "Fejl og uheld bruges systematisk til læring og forbedring af "
                              "arbejdsgangene i afdelingen",
    "Tid og rum til at lære": "Jeg har tid og rum til at lære nyt og udvikle mig fagligt i mit "
                              "daglige arbejde",
    "Videndeling på personalemøder": "Der er systematisk videndeling om nye metoder på "
                                     "personalemøderne",
    "Kultur og Fritid": "Kultur, Fritid og Borgerservice (inkl. biblioteker)",
    "Børn og Familie": "Børn og Familie, Myndighed og Forebyggelse",
    "Administration": "Administration, Økonomi og Digitalisering",
    "Skole Ølstrup": "Skole Ølstrup og tilknyttede fritidsordninger",
    "Miljø for læring": "Et godt miljø for læring og faglig udvikling",
    "Praktik i anden enhed": "Praktik eller jobrotation i en anden enhed eller forvaltning",
    "Sparring med kolleger": "Sparring med kolleger og ledere fra andre fagområder",
}


def long_labels(t):
    t = t.copy()
    for col in ("item_label", "group", "label"):
        if col in t.columns:
            t[col] = t[col].map(lambda v: LONG.get(v, v) if isinstance(v, str) else v)
    return t


TABLES = {
    "likert_bars": lambda: long_labels(freq_table()),
    "share_bars": lambda: long_labels(compare_table()),
    "wave_dumbbell": lambda: long_labels(waves_table()),
    "heatmap": lambda: long_labels(heat_table()),
    "ranking_bars": lambda: long_labels(rank_table()),
    "prepost": lambda: long_labels(waves_table(stat="mean", paired=True)),
}
BUILDERS = {"likert_bars": likert_bars, "share_bars": share_bars, "wave_dumbbell": wave_dumbbell,
            "heatmap": heatmap, "ranking_bars": ranking_bars, "prepost": prepost}


def build(kind: str, size: str):
    return BUILDERS[kind](TABLES[kind](), title=TITLE, source=SOURCE, size=size)


def expected_words(kind: str) -> list[str]:
    """Words that must be printed whole: title, source and the long labels the chart shows."""
    t = TABLES[kind]()
    texts = [TITLE, SOURCE]
    for col in ("group", "label") if kind != "likert_bars" else ("item_label", "group"):
        if col in t.columns:
            texts += [v for v in t[col].dropna().unique() if v in LONG.values()]
    if kind == "likert_bars":
        texts.append("Ved ikke (antal)")
    return [w for text in texts for w in text.split()]


# Every text line, legend, colour bar and marker of the SVG with its box, size and font size.
MEASURE_JS = """() => {
  const svg = document.documentElement;
  const W = parseFloat(svg.getAttribute('width')), H = parseFloat(svg.getAttribute('height'));
  const boxes = [];
  const add = (el, kind, text) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return;
    boxes.push({kind, text, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                font: parseFloat(cs.fontSize)});
  };
  for (const t of svg.querySelectorAll('text')) {
    if (!t.textContent.trim()) continue;
    add(t, 'text', t.textContent);
  }
  const lines = [];
  for (const t of svg.querySelectorAll('text')) {
    const spans = t.querySelectorAll('tspan.line');
    if (spans.length) spans.forEach(s => lines.push(s.textContent));
    else lines.push(t.textContent);
  }
  for (const g of svg.querySelectorAll('g.legend, g.colorbar')) add(g, g.getAttribute('class'), '');
  for (const p of svg.querySelectorAll('path.point')) add(p, 'marker', '');
  return {W, H, boxes, lines};
}"""


@pytest.fixture(scope="module")
def page(browser):
    with exporting():
        p = browser.new_page()
        yield p
        p.close()


@pytest.mark.parametrize("size", ["full", "half"])
@pytest.mark.parametrize("kind", list(BUILDERS))
def test_chart_prints_whole_at_its_size(page, tmp_path, artifacts, kind, size):
    fig = build(kind, size)
    w_px = WIDTH_MM[size] / 25.4 * 96
    assert fig.layout.width == pytest.approx(w_px, abs=0.01)  # the print size is on the figure
    files = save_chart(fig, tmp_path / f"{kind}_{size}", formats=("png", "svg"))
    png, svg = files[0], files[1]
    if kind in ("likert_bars", "heatmap") or (kind, size) == ("share_bars", "half"):
        shutil.copy(png, artifacts / f"print_{kind}_{size}.png")

    with Image.open(png) as img:  # 300 dpi in pixels and in the file's metadata
        assert img.width == round(WIDTH_MM[size] / 25.4 * 300)
        assert img.height == round(fig.layout.height / 96 * 300)
        assert img.info.get("dpi") == pytest.approx((300, 300), abs=0.01)

    page.goto(svg.as_uri())
    m = page.evaluate(MEASURE_JS)
    assert m["W"] == pytest.approx(w_px, abs=0.5)
    assert m["H"] == pytest.approx(fig.layout.height, abs=0.5)
    outside = [b for b in m["boxes"] if b["x0"] < -0.5 or b["y0"] < -0.5
               or b["x1"] > m["W"] + 0.5 or b["y1"] > m["H"] + 0.5]
    assert not outside, f"{kind}/{size}: drawn outside the {m['W']:.0f} x {m['H']:.0f} canvas: " \
        + "; ".join(f"{b['kind']} {b['text'][:40]!r} ({b['x0']:.0f},{b['y0']:.0f})-"
                    f"({b['x1']:.0f},{b['y1']:.0f})" for b in outside[:6])
    small = sorted({(b["text"][:30], b["font"]) for b in m["boxes"]
                    if b["kind"] == "text" and b["font"] < MIN_PX - 0.01})
    assert not small, f"{kind}/{size}: text under 8 pt: {small[:6]}"
    tokens = {tok for line in m["lines"] for tok in line.split()}
    cut = [w for w in expected_words(kind) if w not in tokens]
    assert not cut, f"{kind}/{size}: words not printed whole: {cut[:8]}"


def test_text_measure_agrees_with_chromium(page):
    """The widths the builders wrap with are the widths Chromium draws (within 1 %)."""
    from survey_kit.charts.layout import text_width

    page.goto("about:blank")
    for text, size, bold in ((TITLE, 14, False), (SOURCE, 11, False), ("Ved ikke (antal)", 11,
                             False), (LONG["Kultur og Fritid"], 11, True)):
        ref = page.evaluate(
            """([t, s, b]) => { const c = document.createElement('canvas').getContext('2d');
            c.font = (b ? 'bold ' : '') + s + "px 'Liberation Sans'";
            return c.measureText(t).width; }""", [text, size, bold])
        assert text_width(text, size, "Liberation Sans", bold) == pytest.approx(ref, rel=0.01)


def test_heights_grow_with_rows():
    few = likert_bars(long_labels(freq_table()), size="full")
    t = long_labels(freq_table())
    many = likert_bars(t[t["group"] != "Ældre"], size="full")
    assert many.layout.height < few.layout.height


def test_word_wrap_never_cuts_words():
    from survey_kit.charts.layout import wrap_px

    text = LONG["Fejl bruges til læring"]
    wrapped = wrap_px(text, 120, 11, "Liberation Sans")
    assert wrapped.replace("<br>", " ") == text
    assert len(wrapped.split("<br>")) >= 4
    # a compound wider than the room is the only thing broken, with a hyphen
    assert wrap_px("Medarbejderudviklingssamtaler", 60, 11, "Liberation Sans").count("-<br>") >= 1


@pytest.mark.parametrize("size", ["full", "half"])
def test_one_row_likert_keeps_its_bar_height(page, tmp_path, size):
    """A Likert chart of one question with a long row label (the leader report's "Vurdering af
    ledernetværk"): plotly wraps the legend at the plot's width, not the figure's, so a legend
    estimated too short took its rows from the plot and squeezed the bar to a line. The bars of
    the exported SVG, measured in Chromium, are as thick as a row asks for."""
    t = freq_table({("net_godt", "Netværk er en god måde at udvikle sig som leder", "I alt"):
                    [8, 20, 39, 295, 294, 24]})
    fig = likert_bars(t, title="Vurdering af ledernetværk", source=SOURCE, size=size)
    svg = save_chart(fig, tmp_path / "one_row", formats=("svg",))[0]
    page.goto(svg.as_uri())
    heights = page.evaluate("""() => [...document.querySelectorAll('g.trace.bars path')]
        .map(p => p.getBBox().height).filter(h => h > 0)""")
    assert heights and min(heights) >= 12, heights
