"""Charts for council papers: plotly builders in the house style and static export.

Builders take survey_kit result tables and return a ``plotly.graph_objects.Figure``::

    fig = share_bars(compare(survey, ["q1"], by="omraade"), title="...", source="Kilde: ...")
    save_chart(fig, "reports/figur1", size="full")   # png, svg, pdf + csv + alt text

    with ChartExporter() as charts:                  # one browser for many charts, closed after
        charts.save(fig, "reports/figur1")

``export`` is the deprecated name of ``save_chart``.
"""

from __future__ import annotations

from survey_kit.charts.bars import likert_bars, ranking_bars, share_bars
from survey_kit.charts.export import (
    ChartExporter,
    alt_text,
    chart_table,
    export,  # noqa: F401 - the deprecated name of save_chart, kept importable
    exporting,
    figure_size,
    fit_width,
    save_chart,
)
from survey_kit.charts.style import (
    SIZES,
    TEMPLATE_NAME,
    HouseStyle,
    Palette,
    get_style,
    set_style,
    use_style,
)
from survey_kit.charts.trend import trend_lines
from survey_kit.charts.waves import heatmap, prepost, wave_dumbbell

__all__ = [
    "ChartExporter",
    "SIZES",
    "TEMPLATE_NAME",
    "HouseStyle",
    "Palette",
    "alt_text",
    "chart_table",
    "exporting",
    "figure_size",
    "fit_width",
    "get_style",
    "heatmap",
    "likert_bars",
    "prepost",
    "ranking_bars",
    "save_chart",
    "set_style",
    "share_bars",
    "trend_lines",
    "use_style",
    "wave_dumbbell",
]
