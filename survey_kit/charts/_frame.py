"""The frame every builder puts its plot into: title, legend, margins, source line, print size.

Everything is measured for the canvas (see :mod:`survey_kit.charts.layout`): the title and the
source line wrap to the canvas width, the legend takes the rows plotly will wrap it into, and the
margins hold the row labels (left) and whatever the builder draws right of the plot. The figure
gets ``layout.width``/``height`` of its print size, so the HTML chart, the PDF page and the
figure files are the same drawing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from survey_kit.charts.layout import PAD, Canvas, mm_to_px, n_lines
from survey_kit.charts.style import TEMPLATE_NAME, _logo_source, _table_meta, get_style

LEGEND_SYMBOL_PX = 44  # plotly's legend item: 40 px from the item's left edge to its text


def canvas_for(size: str | tuple[float, float]) -> Canvas:
    style = get_style()
    return Canvas.for_size(size, style.font, style.font_size)


def legend_layout(fig: go.Figure, canvas: Canvas, avail: float) -> float:
    """Wrap long legend names and return the height the horizontal legend takes (px) when plotly
    wraps it at ``avail`` px: plotly.js (legend/draw.js, ``computeLegendDimensions``) puts the
    entries in one row when they fit, else in columns as wide as the widest entry, and it wraps a
    legend placed over the plot at the width of the plot area, not of the figure."""
    size = canvas.base
    seen, items = set(), []
    for tr in fig.data:
        if tr.showlegend is False or not tr.name:
            continue
        key = tr.legendgroup or tr.name
        if key in seen:
            continue
        seen.add(key)
        if canvas.measure(tr.name, size) + LEGEND_SYMBOL_PX > avail:
            name = canvas.wrap(tr.name, avail - LEGEND_SYMBOL_PX - 8, size)
            for t in fig.data:
                if (t.legendgroup or t.name) == key:
                    t.name = name
            tr.name = name
        items.append(tr.name)
    if not items:
        return 0.0
    widths = [LEGEND_SYMBOL_PX + canvas.measure(name, size) + 12 for name in items]
    heights = [max(n_lines(name) * canvas.line_px(size), 17) + 6 for name in items]
    if sum(widths) < avail:  # one row, each entry as wide as its text
        return max(heights) + 4
    per_row = max(int(avail // max(widths)), 1)  # columns as wide as the widest entry
    return sum(max(heights[i:i + per_row]) for i in range(0, len(heights), per_row)) + 4


def finish(
    fig: go.Figure,
    *,
    chart: str,
    table: pd.DataFrame,
    canvas: Canvas,
    title: str | None,
    source: str | None,
    alt: Sequence[str],
    plot_px: float,
    left_px: float,
    right_px: float = 0.0,
    top_px: float = 0.0,
    axis_px: float | None = None,
    notes: Sequence[str] = (),
    build: dict | None = None,
) -> go.Figure:
    """Apply the house style and lay the chart out on its canvas.

    Parameters
    ----------
    plot_px : float
        Height of the plot area (rows) in px.
    left_px, right_px : float
        Room the builder needs left of the plot (row labels) and right of it (markers, colour
        bar, annotations), measured in px.
    top_px : float
        Room between the legend and the plot (column labels, panel titles).
    axis_px : float, optional
        Room under the plot for the x axis (tick labels and title); default one line of ticks.
    build : dict, optional
        The builder's keyword arguments, to lay the chart out again at another size.
    """
    style = get_style()
    W = canvas.width
    small = canvas.small
    title_size = canvas.title
    logo_px = 64 if style.logo is not None else 0
    title_txt = canvas.wrap(title, W - 2 * PAD - logo_px, title_size) if title else ""
    title_block = (PAD + n_lines(title_txt) * canvas.line_px(title_size) + 6) if title else PAD
    left = PAD + left_px
    right = PAD + right_px
    legend_block = legend_layout(fig, canvas, W - left - right)  # plotly wraps it at the plot's width
    top = title_block + legend_block + top_px + 6

    xtitled = any(fig.layout[k].title.text for k in fig.layout if k.startswith("xaxis")
                  and fig.layout[k].side != "top")
    if axis_px is None:
        axis_px = 8 + canvas.line_px() + (canvas.line_px() + 4 if xtitled else 0)
    lines = [(n, "note") for n in notes] + ([(source, "source")] if source else [])
    wrapped = [(canvas.wrap(t, W - 2 * PAD, small), kind) for t, kind in lines]
    text_px = sum(n_lines(t) * canvas.line_px(small) for t, _ in wrapped)
    bottom = axis_px + (text_px + 6 if wrapped else 0) + PAD

    height = mm_to_px(canvas.height_mm) if canvas.height_mm else top + plot_px + bottom
    height = round(height, 2)
    # plotly gives the first line of a multi-line title dy=0 (its baseline at y): move it down
    title_y = PAD + (0.8 * title_size if "<br>" in title_txt else 0)
    plot_w = max(W - left - right, 1)
    plot_h = max(height - top - bottom, 1)
    fig.update_layout(
        template=pio.templates[TEMPLATE_NAME],
        width=W, height=height, autosize=False,
        margin=dict(l=left, r=right, t=top, b=bottom, pad=0, autoexpand=True),
        title=dict(text=title_txt, x=PAD / W, xref="container", xanchor="left",
                   yref="container", y=1 - title_y / height, yanchor="top",
                   font=dict(size=title_size), pad=dict(l=0, t=0)),
        legend=dict(xref="container", x=PAD / W, yref="container",
                    y=1 - title_block / height, yanchor="top", xanchor="left",
                    orientation="h", font=dict(size=canvas.base), entrywidthmode="pixels"),
        separators=",.",
        uniformtext=dict(minsize=canvas.small, mode="hide"),
        meta={"survey_kit": chart, "alt": list(alt), "table": _table_meta(table),
              "print_mm": [canvas.width_mm, round(height / 96 * 25.4, 2)],
              "build": build or {}, "logo": style.logo is not None},
    )
    y = -axis_px
    for text, kind in wrapped:
        # placed in pixels from the plot's left edge: a fraction of the plot width would move the
        # line when plotly widens a margin (autoexpand), pushing its end off a half-width canvas
        fig.add_annotation(
            text=text, xref="paper", yref="paper", x=0, xshift=-(left - PAD), y=0,
            xanchor="left", yanchor="top", yshift=y - 4, showarrow=False, align="left",
            font=dict(size=small, color=style.palette.muted), name=kind)
        y -= n_lines(text) * canvas.line_px(small)
    if style.logo is not None:
        fig.add_layout_image(
            source=_logo_source(style.logo), xref="paper", yref="paper",
            x=1 + (right - PAD) / plot_w, y=1 + (top - PAD) / plot_h, xanchor="right",
            yanchor="top", sizex=logo_px / plot_w, sizey=28 / plot_h, layer="above", name="logo")
    return fig


def x_ticks(lo: float, hi: float, plot_w: float, label_px: float,
            steps: Sequence[float]) -> float:
    """The smallest step among ``steps`` whose tick labels fit side by side in ``plot_w``."""
    for step in steps:
        n = int(round((hi - lo) / step)) + 1
        if n * (label_px + 10) <= plot_w:
            return step
    return steps[-1]
