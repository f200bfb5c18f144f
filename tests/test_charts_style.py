"""House style of survey_kit.charts: template, Danish number format, palette in greyscale."""

from __future__ import annotations

import base64
import itertools

import plotly.io as pio
import pytest
from test_charts_tables import compare_table

from survey_kit.charts import (
    TEMPLATE_NAME,
    HouseStyle,
    Palette,
    get_style,
    set_style,
    share_bars,
    use_style,
)
from survey_kit.charts.style import lightness

# a 1x1 transparent PNG (the smallest valid file)
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_template_registered_with_danish_separators_and_offline_font():
    tpl = pio.templates[TEMPLATE_NAME]
    assert tpl.layout.separators == ",."
    assert tpl.layout.font.family.startswith("Liberation Sans")
    assert "Arial" in tpl.layout.font.family and "sans-serif" in tpl.layout.font.family
    # registered, never made plotly's process default: each chart carries the template itself,
    # and other plotly figures in the same notebook keep plotly's own look
    from test_charts_tables import compare_table

    from survey_kit.charts import share_bars

    fig = share_bars(compare_table())
    assert pio.templates.default != TEMPLATE_NAME
    assert fig.layout.template.layout.separators == ",."


def test_lightness_matches_cielab_reference_points():
    # CIELAB L* of pure white, black and mid grey #777777 (L* = 50.03 by the sRGB/CIE formulas)
    assert lightness("#FFFFFF") == pytest.approx(100.0, abs=1e-6)
    assert lightness("#000000") == pytest.approx(0.0, abs=1e-6)
    assert lightness("#777777") == pytest.approx(50.03, abs=0.05)


def test_diverging_palette_reads_in_greyscale():
    p = Palette()
    five = p.diverging(2, True, 2)
    assert len(five) == 5 and len(set(five)) == 5
    grey = [lightness(c) for c in five]
    # every pair of the five categories differs clearly in grey (>= 10 L*)
    assert min(abs(a - b) for a, b in itertools.combinations(grey, 2)) >= 10
    # from the neutral centre outward each side gets monotonically darker
    neg = [lightness(c) for c in p.negative]  # strong -> mild
    pos = [lightness(c) for c in p.positive]  # mild -> strong
    assert neg == sorted(neg) and pos == sorted(pos, reverse=True)
    assert lightness(p.neutral) > max(lightness(p.negative[0]), lightness(p.positive[-1]))
    # the strongest negative and strongest positive are not the same grey
    assert abs(lightness(p.negative[0]) - lightness(p.positive[-1])) >= 10


def test_diverging_takes_outermost_colours_for_short_scales():
    p = Palette()
    assert p.diverging(1, False, 1) == [p.negative[0], p.positive[-1]]
    assert p.diverging(3, True, 3) == [*p.negative, p.neutral, *p.positive]
    with pytest.raises(ValueError, match="n_negative"):
        p.diverging(4, False, 4)


def test_use_style_overrides_font_and_palette_then_restores():
    before = get_style()
    custom = HouseStyle(palette=Palette(bar="#123456"), font="DejaVu Sans, sans-serif")
    with use_style(custom):
        fig = share_bars(compare_table())
        assert pio.templates[TEMPLATE_NAME].layout.font.family == "DejaVu Sans, sans-serif"
        assert fig.layout.template.layout.font.family == "DejaVu Sans, sans-serif"
        assert fig.data[0].marker.color == "#123456"
    assert get_style() is before
    assert pio.templates[TEMPLATE_NAME].layout.font.family == before.font
    with pytest.raises(ValueError, match="style"):
        set_style("not a style")


def test_logo_is_embedded_as_layout_image(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1PX)
    with use_style(HouseStyle(logo=logo)):
        fig = share_bars(compare_table())
    (img,) = fig.layout.images
    assert img.source.startswith("data:image/png;base64,")
    assert base64.b64decode(img.source.split(",", 1)[1]) == PNG_1PX
    assert share_bars(compare_table()).layout.images == ()
    with use_style(HouseStyle(logo=tmp_path / "missing.png")), pytest.raises(ValueError,
                                                                            match="logo"):
        share_bars(compare_table())


def test_likert_palettes_read_in_greyscale_by_lightness():
    """Issue 13: "Helt uenig" and "Overvejende enig" were almost the same grey (10 L* apart)."""
    p = Palette()
    for n_side, neutral in ((1, False), (1, True), (2, False), (2, True), (3, False),
                            (3, True)):
        grey = [lightness(c) for c in p.diverging(n_side, neutral, n_side)]
        # neighbours differ by at least 15 L* on every scale
        assert min(abs(a - b) for a, b in itertools.pairwise(grey)) >= 15, grey
        if len(grey) <= 5:  # up to 5 points every two categories do
            assert min(abs(a - b) for a, b in itertools.combinations(grey, 2)) >= 15, grey
    five = p.diverging(2, True, 2)  # Helt uenig .. Helt enig
    assert abs(lightness(five[0]) - lightness(five[3])) >= 15


def test_text_on_every_fill_has_wcag_contrast():
    from survey_kit.charts.layout import contrast_ratio, text_color_on

    # WCAG reference values: black on white 21:1, #777777 on white 4.48:1
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    p = Palette()
    fills = [*p.negative, p.neutral, *p.positive, p.bar, p.dont_know, *p.sequential]
    for c in fills:
        assert contrast_ratio(text_color_on(c), c) >= 4.5, c


def test_heatmap_colour_range_is_fixed_not_the_data_range():
    from test_charts_tables import heat_table

    from survey_kit.charts import heatmap
    from survey_kit.charts.waves import scale_range

    t = heat_table()  # means between 2.2 and 4.6 on a 1-5 scale
    fig = heatmap(t)
    assert (fig.data[0].zmin, fig.data[0].zmax) == (1, 5)
    assert scale_range(t.assign(value=t["value"] / 5, stat="share")) == (0, 1)
    assert scale_range(t.assign(value=t["value"] * 1.5)) == (1, 7)
    fig = heatmap(t, color_range=(0, 10))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (0, 10)
    with pytest.raises(ValueError, match="color_range"):
        heatmap(t, color_range=(1, 5), value_range=(0, 10))
    # two area reports with different data still share one colour scale
    a, b = heatmap(t.iloc[:10]), heatmap(t.iloc[10:])
    assert (a.data[0].zmin, a.data[0].zmax) == (b.data[0].zmin, b.data[0].zmax)
