"""Chart builders of survey_kit.charts on hand-made result tables (no browser needed)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest
from test_charts_tables import (
    compare_table,
    freq_table,
    heat_table,
    rank_table,
    waves_table,
)

from survey_kit.charts import (
    alt_text,
    chart_table,
    heatmap,
    likert_bars,
    prepost,
    ranking_bars,
    share_bars,
    wave_dumbbell,
)
from survey_kit.charts.style import SUPPRESSED_TEXT

BUILDERS = {
    "likert_bars": (likert_bars, freq_table),
    "share_bars": (share_bars, compare_table),
    "wave_dumbbell": (wave_dumbbell, waves_table),
    "heatmap": (heatmap, heat_table),
    "ranking_bars": (ranking_bars, rank_table),
    "prepost": (prepost, lambda: waves_table(paired=True)),
}


def _ticktext(fig: go.Figure) -> list[str]:
    return [t.split("<br>")[0] for t in fig.layout.yaxis.ticktext]


def _suppressed_positions(fig: go.Figure) -> set[float]:
    return {a.y for a in fig.layout.annotations if a.name == "suppressed"}


def _drawn_positions(fig: go.Figure) -> set[float]:
    ys = set()
    for tr in fig.data:
        if tr.type == "heatmap":
            continue
        ys.update(round(y) for y in tr.y if y is not None)
    return ys


@pytest.mark.parametrize("name", BUILDERS)
def test_builder_returns_styled_figure_with_title_source_and_table(name):
    build, make = BUILDERS[name]
    table = make()
    before = table.copy(deep=True)
    fig = build(table, title="Overskrift æøå", source="Kilde: Temperaturmåling 2010, n = 1.234")
    assert isinstance(fig, go.Figure)
    pd.testing.assert_frame_equal(table, before)  # caller's table untouched
    assert fig.layout.title.text == "Overskrift æøå"
    assert fig.layout.separators == ",."
    assert fig.layout.template.layout.separators == ",."
    (src,) = [a for a in fig.layout.annotations if a.name == "source"]
    assert src.text == "Kilde: Temperaturmåling 2010, n = 1.234" and src.y == 0
    assert fig.layout.meta["survey_kit"] == name
    back = chart_table(fig)
    assert list(back.columns) == list(table.columns) and len(back) == len(table)
    text = alt_text(fig)
    assert text.startswith("Diagram: Overskrift æøå.") and "Kilde: Temperaturmåling" in text


@pytest.mark.parametrize("name", BUILDERS)
def test_builder_rejects_table_without_contract_columns(name):
    build, make = BUILDERS[name]
    arg = build.__code__.co_varnames[0]
    with pytest.raises(ValueError, match=arg):
        build(make().drop(columns=["suppressed"]))
    with pytest.raises(ValueError, match=arg):
        build(make().iloc[0:0])


def test_likert_suppressed_group_has_no_bar_but_keeps_its_row():
    fig = likert_bars(freq_table())
    ticks = _ticktext(fig)
    sup = _suppressed_positions(fig)
    assert [ticks[int(p)] for p in sorted(sup)] == ["Kultur og Fritid", "Kultur og Fritid"]
    assert not sup & _drawn_positions(fig)  # no trace point on a suppressed row
    notes = [a.text for a in fig.layout.annotations if a.name == "suppressed"]
    assert all(SUPPRESSED_TEXT in t for t in notes)


def test_likert_diverges_around_zero_in_codebook_order():
    t = freq_table()
    fig = likert_bars(t)
    bars = [tr for tr in fig.data if tr.xaxis in (None, "x")]
    by_name = {}
    for tr in bars:
        by_name.setdefault(tr.name, []).append(tr)
    assert all(x < 0 for x in by_name["Helt uenig"][0].x)
    assert all(x > 0 for x in by_name["Helt enig"][0].x)
    left, right = by_name["Hverken enig eller uenig"]  # the neutral category split at zero
    assert [-a for a in left.x] == pytest.approx(list(right.x))
    # the two halves add up to the neutral share (Skole, ml_1: 20 of 123 valid answers)
    assert right.x[0] - left.x[0] == pytest.approx(100 * 20 / 123)
    shown = [tr for tr in bars if tr.showlegend is not False]
    assert [tr.name for tr in sorted(shown, key=lambda tr: tr.legendrank)] == [
        "Helt uenig", "Overvejende uenig", "Hverken enig eller uenig", "Overvejende enig",
        "Helt enig"]
    # "Ved ikke" apart: counts in the second panel, never on the percentage axis
    (dk,) = [tr for tr in fig.data if tr.xaxis == "x2"]
    assert list(dk.x) == [4, 11, 2, 0]
    assert all("Ved ikke" not in (tr.name or "") for tr in bars)
    assert "n = 123" in fig.layout.yaxis.ticktext[1]


def test_likert_order_and_colours_stable_across_two_groups():
    t = freq_table()
    a = likert_bars(t[t["group"] == "Skole"])
    # codes in another row order: the chart still follows the codebook's code order
    b = likert_bars(t[t["group"] == "Ældre"].sort_values(["item", "code"], ascending=[True,
                                                                                      False]))
    sig = [(tr.name, tr.marker.color, tr.legendrank) for tr in a.data]
    assert sig == [(tr.name, tr.marker.color, tr.legendrank) for tr in b.data]
    assert a.layout.xaxis.range == b.layout.xaxis.range == (-100, 100)
    assert _ticktext(a) == _ticktext(b) == ["Fejl bruges til læring", "Tid og rum til at lære"]


def test_share_bars_ci_benchmark_and_flags():
    t = compare_table()
    fig = share_bars(t)
    bar = fig.data[0]
    assert bar.type == "bar" and fig.layout.xaxis.range == (0, 100)
    assert fig.layout.xaxis.ticksuffix == " %"
    skole = t[(t["item"] == "ml_1") & (t["group"] == "Skole")].iloc[0]
    i = list(bar.y).index(1)
    assert bar.x[i] == pytest.approx(100 * skole["value"])
    assert bar.error_x.array[i] == pytest.approx(100 * (skole["ci_high"] - skole["value"]))
    assert bar.error_x.arrayminus[i] == pytest.approx(100 * (skole["value"] - skole["ci_low"]))
    (total,) = [tr for tr in fig.data if tr.legendgroup == "total" and tr.showlegend]
    it = t[(t["item"] == "ml_1") & (t["group"] == "I alt")].iloc[0]
    assert list(total.x) == pytest.approx([100 * it["value"]] * 2)
    assert total.line.dash == "dash" and total.name.startswith("I alt (")
    flags = {tr.name: list(tr.y) for tr in fig.data if tr.type == "scatter" and tr.mode == "markers"}
    assert flags["Signifikant højere end resten"] == [1]
    assert flags["Signifikant lavere end resten"] == [2]
    # suppressed group: no bar, the row label stays
    assert 3 not in bar.y and _ticktext(fig)[3] == "Kultur og Fritid"
    assert "I alt" not in _ticktext(fig)
    assert "%{x:.1f} %" in bar.hovertemplate and ":,d}" in bar.hovertemplate


def test_share_bars_axis_stable_between_two_tables():
    t = compare_table()
    a = share_bars(t[t["item"] == "ml_1"])
    b = share_bars(t[t["item"] == "iu_1"])
    assert a.layout.xaxis.range == b.layout.xaxis.range == (0, 100)
    assert _ticktext(a) == _ticktext(b)


def test_share_bars_means_use_given_range():
    fig = share_bars(compare_table("mean"), value_range=(1, 5))
    assert fig.layout.xaxis.range == (1, 5)
    assert fig.layout.xaxis.tickformat == ",.1f"


def test_wave_dumbbell_marks_significant_changes():
    t = waves_table()
    fig = wave_dumbbell(t)
    names = [tr.name or "" for tr in fig.data]
    assert names == ["", "2008/09", "2010", "2010, signifikant ændring"]
    sig = fig.data[3]
    assert sig.marker.symbol == "diamond" and fig.data[2].marker.symbol == "circle"
    assert list(sig.y) == [0, 3, 4] and list(fig.data[2].y) == [1]
    assert fig.data[1].marker.color != fig.data[2].marker.color  # light vs dark wave
    assert 2 in _suppressed_positions(fig) and 2 not in _drawn_positions(fig)
    assert fig.layout.xaxis.range == (0, 100)
    assert "Signifikant ændring".lower() in " ".join(names).lower()


def test_heatmap_cells_values_and_suppressed_blank():
    t = heat_table()
    fig = heatmap(t, value_range=(1, 5))
    hm = fig.data[0]
    assert (hm.zmin, hm.zmax) == (1, 5)
    groups = _ticktext(fig)
    assert groups[-1] == "<b>I alt</b>"
    row = groups.index("Dagpleje Hee")
    cells = {(a.x, a.y): a.text for a in fig.layout.annotations if a.name == "value"}
    assert hm.z[row][3] is None and (3, row) not in cells
    v = t[(t["group"] == "Skole Ølstrup") & (t["item"] == "intern_udveksling")]["value"].iloc[0]
    assert hm.z[0][1] == pytest.approx(v)
    assert cells[(1, 0)] == f"{v:.1f}".replace(".", ",")  # decimal comma in the cell
    (mark,) = [a for a in fig.layout.annotations if a.name == "suppressed"]
    assert (mark.x, mark.y) == (3, row) and "For få" in mark.text
    assert hm.colorbar.tickformat == ",.1f"


def test_ranking_bars_sorted_by_top_k_with_suppressed_last():
    t = rank_table()
    fig = ranking_bars(t)
    ticks = _ticktext(fig)
    expected = t[~t["suppressed"]].sort_values("share_top_k", ascending=False)["label"].tolist()
    assert ticks == [*expected, "Praktik i anden enhed"]
    top, first = fig.data
    assert top.name == "Blandt top 3" and first.name == "Førstevalg"
    assert list(top.x) == pytest.approx(
        (t.set_index("label").loc[expected, "share_top_k"] * 100).tolist())
    assert len(top.x) == len(first.x) == 4
    assert 4 in _suppressed_positions(fig) and fig.layout.xaxis.range == (0, 100)


def test_prepost_change_with_ci_filled_vs_hollow():
    t = waves_table(paired=True)
    fig = prepost(t)
    sig, nonsig = fig.data
    assert sig.marker.symbol == "circle" and nonsig.marker.symbol == "circle-open"
    assert list(sig.x) == pytest.approx([0.5, -0.3])
    assert list(sig.error_x.array) == pytest.approx([0.12, 0.12])
    arrows = [a.text for a in fig.layout.annotations if "→" in (a.text or "")]
    assert "3,1 → 3,6" in arrows
    assert 3 in _suppressed_positions(fig) and 3 not in _drawn_positions(fig)
    assert fig.layout.xaxis.range[0] == -fig.layout.xaxis.range[1]


def test_alt_text_names_extremes_and_n_in_danish():
    text = alt_text(share_bars(compare_table(), title="Andel enige"))
    assert "Højest andel: Skole (71 %)" in text and "lavest: Ældre (48 %)" in text
    assert "ikke vist, fordi der er for få besvarelser" in text
    text = alt_text(ranking_bars(rank_table()))
    assert "n = 150" in text and "Ledernetværk" in text


@pytest.mark.parametrize("name", BUILDERS)
def test_hovertemplates_are_well_formed_with_d3_number_formats(name):
    build, make = BUILDERS[name]
    fig = build(make())
    templates = [tr.hovertemplate for tr in fig.data if tr.hovertemplate]
    assert templates
    for tpl in templates:
        assert tpl.count("%{") == tpl.count("}"), tpl
        # every number shown on hover goes through a d3 format, so layout.separators applies
        for field in tpl.split("%{")[1:]:
            spec = field.split("}")[0]
            if spec.startswith(("x", "z")):
                assert ":" in spec, tpl


def test_fit_width_lays_a_copy_out_again_for_half_width():
    from survey_kit.charts import fit_width

    fig = prepost(waves_table(paired=True), title="Før og efter")
    before = fig.to_plotly_json()
    assert fig.layout.width == pytest.approx(170 / 25.4 * 96, abs=0.01)
    half = fit_width(fig, "half")
    assert fig.to_plotly_json() == before  # the caller's figure is not changed
    assert half.layout.width == pytest.approx(82 / 25.4 * 96, abs=0.01)
    assert half.layout.meta["print_mm"][0] == 82.0
    # the long label wraps at a word boundary at half width, not at full width
    assert "Selvudviklingsmuligheder for alle" in fig.layout.yaxis.ticktext
    assert "Selvudviklingsmuligheder<br>for alle" in half.layout.yaxis.ticktext
    assert fit_width(fig, "full").to_plotly_json() == before  # its own size: a copy
    # a 5-entry legend wraps onto more rows at half width, so the top grows
    lik = likert_bars(freq_table())
    assert fit_width(lik, "half").layout.margin.t > lik.layout.margin.t
    assert likert_bars(freq_table(), size="half").layout.margin.t == pytest.approx(
        fit_width(lik, "half").layout.margin.t)


# -- the total row is found by is_total, never by its label (issue 20) -------------------------
@pytest.fixture(scope="module")
def named_like_total():
    """A survey whose breakdown has a category called "I alt" beside the real total."""
    import numpy as np

    import survey_kit as sk
    from survey_kit.codebook import parse_codebook

    cb = parse_codebook({
        "instrument": "t", "version": "1", "title": "T", "respondent_id": {"column": "rid"},
        "items": [
            {"code": "g", "text": "Gruppe", "label": "Gruppe", "type": "single", "group": True,
             "values": {1: "Andre", 2: "I alt"}},
            {"code": "q", "text": "Spørgsmål", "label": "Spørgsmål", "type": "likert",
             "values": {1: "Uenig", 2: "Hverken", 3: "Enig"}, "positive": [3]}]})
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"rid": range(90), "g": pd.array(rng.integers(1, 3, 90), dtype="Int8"),
                       "q": pd.array(rng.integers(1, 4, 90), dtype="Int8")})
    return sk.Survey(df, cb)


def test_a_category_called_like_the_total_is_charted_as_a_group(named_like_total):
    import survey_kit as sk

    comp = sk.compare(named_like_total, ["q"], by="g")
    fig = share_bars(comp)
    # both categories are bars, the category "I alt" in plain type; the total is the dashed line
    assert _ticktext(fig) == ["Andre", "I alt"]
    (bar,) = [tr for tr in fig.data if tr.type == "bar"]
    category = comp[(comp["group"] == "I alt") & ~comp["is_total"]].iloc[0]
    total = comp[comp["is_total"]].iloc[0]
    assert sorted(bar.y) == [0, 1]
    assert bar.x[list(bar.y).index(1)] == pytest.approx(100 * category["value"])
    (line,) = [tr for tr in fig.data if tr.legendgroup == "total"]
    assert list(line.x) == pytest.approx([100 * total["value"]] * 2)
    assert line.name.startswith("I alt (")

    freq = sk.frequencies(named_like_total, "q", by="g")
    rows = _ticktext(likert_bars(freq))
    assert rows == ["Andre", "I alt", "<b>I alt</b>"]  # the category, then the total, bold, last

    means = sk.compare(named_like_total, ["q"], by="g", stat="mean")
    heat = heatmap(means)
    assert _ticktext(heat) == ["Andre", "I alt", "<b>I alt</b>"]
    z = [row[0] for row in heat.data[0].z]
    assert z[1] == pytest.approx(means[(means["group"] == "I alt") & ~means["is_total"]]["value"].iloc[0])
    assert z[2] == pytest.approx(means[means["is_total"]]["value"].iloc[0])


def test_no_chart_module_finds_the_total_by_its_label():
    # the contract as code: "I alt" is written on charts, never compared to find the total row
    import re
    from pathlib import Path

    import survey_kit.charts as charts

    pattern = re.compile(r"""(==|!=|\.eq\(|\bin\b)\s*\(?\s*(TOTAL\b|["']I alt["'])|(TOTAL\b|["']I alt["'])\s*(==|!=|\bin\b)""")
    found = {p.name: [line.strip() for line in p.read_text(encoding="utf-8").splitlines()
                      if pattern.search(line) and not line.lstrip().startswith(("#", '"""'))]
             for p in sorted(Path(charts.__file__).parent.glob("*.py"))}
    assert not {k: v for k, v in found.items() if v}
