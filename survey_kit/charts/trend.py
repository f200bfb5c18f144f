"""A trend over the rounds of a recurring survey: one line per item (or group), every round a point.

:func:`trend_lines` takes a long table (one row per series and round: ``series``, ``wave``,
``value``, ``n``, ``stat``, ``suppressed``), as :mod:`survey_kit.report.trend` composes it from
per-round ``compare`` results. Rounds are equally spaced categories in their order; a hidden or
missing point breaks its line (never drawn, never guessed). Series differ in marker shape and
line dash as well as colour, so the chart reads in greyscale; with up to three lines each point is
labelled with its value. Means are shown on the data's range (half a point around it, within the
answer scale's ``value_range``).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from survey_kit.charts._common import check_columns, suppressed_sentence
from survey_kit.charts._frame import canvas_for, finish
from survey_kit.charts.style import get_style
from survey_kit.fmt import fmt_num, fmt_pct

__all__ = ["trend_lines"]

TREND_LINE_COLUMNS = ["series", "wave", "value", "n", "stat", "suppressed"]
_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon")
_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def trend_lines(table: pd.DataFrame, *, title: str | None = None, source: str | None = None,
                value_range: tuple[float, float] | None = None,
                size: str | tuple[float, float] = "full") -> go.Figure:
    """Lines over the rounds, one per ``series`` (an item, a scale or a group), shares 0-100 %.

    ``table`` is the long table above, or a ``compare(..., by=<wave column>)`` result (one line per
    item, its groups the rounds; the total row is left out)::

        trend_lines(survey.compare(["st_plan", "st_ideer"], by="bolge"), title="Andel ja")
    """
    if "series" not in table and {"item_label", "group", "value", "n", "stat"} <= set(table.columns):
        from survey_kit.stats import total_mask

        table = table[~total_mask(table).to_numpy()].assign(series=lambda t: t["item_label"], wave=lambda t: t["group"])
    check_columns(table, TREND_LINE_COLUMNS, "table")
    style = get_style()
    cv = canvas_for(size)
    p = style.palette
    t = table.copy()
    t["_supp"] = t["suppressed"].fillna(False).astype(bool)
    waves = list(dict.fromkeys(t["wave"].astype(str)))
    series = list(dict.fromkeys(t["series"].astype(str)))
    is_share = set(t["stat"].dropna()) <= {"share"}
    scale = 100.0 if is_share else 1.0
    colours = [p.wave_to, p.benchmark, p.primary, "#4D4D4D", p.negative[0], p.positive[0], p.muted, p.ci]
    fig = go.Figure()
    label = (lambda v: fmt_pct(v)) if is_share else (lambda v: fmt_num(v, 2))
    labelled = len(series) <= 3  # more lines: values in the table and on hover, not crowded on the chart
    for i, name in enumerate(series):
        s = t[t["series"].astype(str) == name].set_index(t["wave"].astype(str)[t["series"].astype(str) == name])
        ys, texts, ns = [], [], []
        for w in waves:
            if w in s.index and not bool(s.loc[w, "_supp"]) and pd.notna(s.loc[w, "value"]):
                v = float(s.loc[w, "value"])
                ys.append(v * scale)
                texts.append(label(v))
                ns.append(int(s.loc[w, "n"]) if pd.notna(s.loc[w, "n"]) else 0)
            else:
                ys.append(None)
                texts.append("")
                ns.append(0)
        fig.add_scatter(
            x=waves, y=ys, mode="lines+markers+text" if labelled else "lines+markers", name=name, text=texts,
            textposition="top center",
            textfont=dict(size=cv.small), connectgaps=False, cliponaxis=False,
            line=dict(color=colours[i % len(colours)], width=2, dash=_DASHES[i % len(_DASHES)]),
            marker=dict(symbol=_SYMBOLS[i % len(_SYMBOLS)], size=9, color=colours[i % len(colours)]),
            customdata=ns, hovertemplate=f"{name} %{{x}}: %{{text}}<br>n = %{{customdata:,d}}<extra></extra>")
    if is_share:
        lo, hi = 0.0, 100.0
        fig.update_yaxes(range=[lo, hi + 8], ticksuffix=" %", tickformat=",d", dtick=20)
        tick_px = cv.measure("100 %")
    else:
        vals = t.loc[~t["_supp"], "value"].astype(float)
        lo, hi = (float(vals.min()), float(vals.max())) if len(vals) else (value_range or (0.0, 1.0))
        lo, hi = lo - 0.5, hi + 0.5  # the data's range and half a point around it, within the scale
        if value_range is not None:
            lo, hi = max(lo, value_range[0]), min(hi, value_range[1])
        fig.update_yaxes(range=[lo, hi], tickformat=",.1f")
        tick_px = cv.measure(fmt_num(hi, 1))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=waves)
    n_supp = int(t["_supp"].sum())
    first, last = waves[0], waves[-1]
    alt = [f"Linjer viser resultatet i hver måling fra {first} til {last}, én linje pr. række "
           f"({', '.join(series)}).", suppressed_sentence(n_supp)]
    return finish(fig, chart="trend_lines", table=table, canvas=cv, title=title, source=source,
                  alt=[a for a in alt if a], plot_px=0.42 * cv.width, left_px=tick_px + 12,
                  right_px=cv.measure(last) / 2 + 4,
                  build=dict(title=title, source=source, value_range=value_range))
