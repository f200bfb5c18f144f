"""Charts of change and of many units at once: wave dumbbells, pre/post change, heatmaps.

Builders take survey_kit result tables (``compare_waves``, ``compare``) and return a
``plotly.graph_objects.Figure`` in the house style; suppressed rows are never drawn.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from survey_kit.charts._common import (
    ROW_PX,
    TOTAL_KEY,
    add_annotations,
    check_columns,
    extreme_sentence,
    group_keys,
    group_labels,
    group_order,
    is_suppressed,
    label_of,
    mark_suppressed,
    n_text,
    ordered_unique,
    pct_axis,
    row_axis,
    row_pitch,
    suppressed_sentence,
    wrap_rows,
)
from survey_kit.charts._common import (
    value_range as _vrange,
)
from survey_kit.charts._frame import canvas_for, finish, x_ticks
from survey_kit.charts.layout import PAD, text_color_on
from survey_kit.charts.style import SUPPRESSED_TEXT, get_style
from survey_kit.fmt import fmt_num, fmt_pct

__all__ = ["heatmap", "prepost", "scale_range", "wave_dumbbell"]

WAVE_COLUMNS = ["item", "item_label", "stat", "group", "wave_from", "wave_to", "n_from", "n_to",
                "value_from", "value_to", "change", "ci_low", "ci_high", "significant",
                "suppressed"]
HEAT_COLUMNS = ["item", "item_label", "stat", "group", "n", "value", "suppressed"]
SIG_NAME = "Signifikant ændring"


def _wave_rows(t: pd.DataFrame) -> tuple[list[tuple[object, str]], list[str], list[bool]]:
    """Row keys (item, group key), labels (groups when there is one item, else items (x
    groups)) and which labels are bold (the total's, when the row is labelled by its group)."""
    items = ordered_unique(t["item"])
    groups = group_order(t["_key"])
    labels = dict(zip(t["item"], t["item_label"], strict=False))
    keys, ticks, bold = [], [], []
    for item in items:
        for g in groups:
            if not ((t["item"] == item) & (t["_key"] == g)).any():
                continue
            keys.append((item, g))
            bold.append(False)
            if len(items) == 1:
                ticks.append(label_of(g))
                bold[-1] = g == TOTAL_KEY
            elif len(groups) == 1:
                ticks.append(str(labels[item]))
            else:
                ticks.append(f"{labels[item]}: {label_of(g)}")
    return keys, ticks, bold


def _prepare(table: pd.DataFrame) -> pd.DataFrame:
    t = table.copy()
    t["_key"] = group_keys(t)
    t["group"] = group_labels(t["_key"])
    t["_supp"] = is_suppressed(t) | t["value_from"].isna() | t["value_to"].isna()
    t["_sig"] = t["significant"].fillna(False).astype(bool)
    return t


def wave_dumbbell(
    waves: pd.DataFrame, *, title: str | None = None, source: str | None = None,
    value_range: tuple[float, float] | None = None, size: str | tuple[float, float] = "full",
) -> go.Figure:
    """Dumbbell chart of two waves per unit or item from a ``compare_waves`` table.

    One dot per wave joined by a line: the earlier wave light and round, the later wave dark;
    a significant change (``significant``) gets a dark diamond instead of a round dot and the
    legend "Signifikant ændring", so it reads in greyscale. Shares on a fixed 0-100 % axis.
    ``size`` is the print size the chart is laid out for ("full", "half", (width_cm, height_cm)).
    """
    check_columns(waves, WAVE_COLUMNS, "waves")
    style = get_style()
    cv = canvas_for(size)
    p = style.palette
    t = _prepare(waves)
    keys, ticks, bold = _wave_rows(t)
    pos = {k: i for i, k in enumerate(keys)}
    t["_pos"] = [pos.get((it, g)) for it, g in zip(t["item"], t["_key"], strict=True)]
    drawn = t[~t["_supp"]].dropna(subset=["_pos"])
    is_share = set(t["stat"].dropna()) <= {"share"}
    scale = 100.0 if is_share else 1.0
    w_from = str(ordered_unique(t["wave_from"])[0])
    w_to = str(ordered_unique(t["wave_to"])[0])
    a = drawn["value_from"].astype(float) * scale
    b = drawn["value_to"].astype(float) * scale
    y = drawn["_pos"].astype(int).tolist()
    xs, ys = [], []
    for x0, x1, yy in zip(a, b, y, strict=True):
        xs += [x0, x1, None]
        ys += [yy, yy, None]
    fig = go.Figure()
    fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color="#8C8C8C", width=2),
                    showlegend=False, hoverinfo="skip", cliponaxis=False)
    suffix = " %" if is_share else ""
    dec = ".0f" if is_share else ".2f"
    fig.add_scatter(
        x=a.tolist(), y=y, mode="markers", name=w_from, cliponaxis=False,
        marker=dict(symbol="circle", size=9, color=p.wave_from, line=dict(color="#4D4D4D",
                                                                          width=1)),
        customdata=list(zip(drawn["group"], drawn["n_from"].astype(float), strict=True)),
        hovertemplate=f"%{{customdata[0]}} {w_from}: %{{x:{dec}}}{suffix}"
                      "<br>n = %{customdata[1]:,d}<extra></extra>")
    for sig, name, symbol, size in ((False, w_to, "circle", 9), (True, SIG_NAME, "diamond", 11)):
        d = drawn[drawn["_sig"] == sig]
        fig.add_scatter(
            x=(d["value_to"].astype(float) * scale).tolist(), y=d["_pos"].astype(int).tolist(),
            mode="markers", name=name if not sig else f"{w_to}, {SIG_NAME.lower()}",
            cliponaxis=False,
            marker=dict(symbol=symbol, size=size, color=p.wave_to, line=dict(color="white",
                                                                              width=1)),
            customdata=list(zip(d["group"], d["n_to"].astype(float), strict=True)),
            hovertemplate=f"%{{customdata[0]}} {w_to}: %{{x:{dec}}}{suffix}"
                          "<br>n = %{customdata[1]:,d}<extra></extra>")
    wrapped, label_px, lines = wrap_rows(cv, ticks, bold=bold)
    row_axis(fig, wrapped, standoff=12)  # room for a marker at the axis start
    left = label_px + 14
    if is_share:
        lo, hi = 0.0, 100.0
        tick_px = cv.measure("100 %")
    else:
        both = pd.concat([t["value_from"], t["value_to"]])
        lo, hi = _vrange(both, both, value_range)
        tick_px = cv.measure(fmt_num(hi, 1))
    right = max(tick_px / 2 + 2, 8.0)  # a marker at the axis end is drawn whole
    plot_w = cv.width - 2 * PAD - left - right
    if is_share:
        pct_axis(fig, dtick=x_ticks(0, 100, plot_w, tick_px, (20, 25, 50, 100)))
    else:
        fig.update_xaxes(range=[lo, hi], tickformat=",.1f",
                         nticks=max(2, int(plot_w // (tick_px + 14))))
    sup = [int(x) for x in t.loc[t["_supp"], "_pos"].dropna()]
    mark_suppressed(fig, sup, x=lo + 0.01 * (hi - lo), size=cv.small)
    fmt = (lambda v: fmt_num(v, 0) + " procentpoint") if is_share else (
        lambda v: fmt_num(v, 2))
    ch = drawn["change"].astype(float) * scale
    alt = [f"Prikker viser resultatet i {w_from} (lys prik) og {w_to} (mørk prik) for hver "
           "række, forbundet af en streg; en mørk rombe markerer en signifikant ændring.",
           extreme_sentence([ticks[i] for i in y], ch.tolist(), fmt, "ændring"),
           f"{int(drawn['_sig'].sum())} af {len(drawn)} viste ændringer er signifikante.",
           suppressed_sentence(len(sup))]
    return finish(fig, chart="wave_dumbbell", table=waves, canvas=cv, title=title,
                  source=source, alt=[s for s in alt if s],
                  plot_px=row_pitch(cv, lines) * len(keys), left_px=left, right_px=right,
                  build=dict(title=title, source=source, value_range=value_range))


def prepost(
    waves_paired: pd.DataFrame, *, title: str | None = None, source: str | None = None,
    change_range: tuple[float, float] | None = None, size: str | tuple[float, float] = "full",
) -> go.Figure:
    """Mean (or share) change with its CI per item or scale, for a paired pre/post table.

    Takes a ``compare_waves(..., paired_on=...)`` table. Each row shows the change from the
    first to the second wave as a dot with its confidence interval (``ci_low``, ``ci_high``)
    and a zero line; filled dots are significant changes, hollow ones are not; the two wave
    values are printed on the right ("3,2 → 3,6"). Shares are shown in percentage points.
    ``size`` is the print size the chart is laid out for ("full", "half", (width_cm, height_cm)).
    """
    check_columns(waves_paired, WAVE_COLUMNS, "waves_paired")
    style = get_style()
    cv = canvas_for(size)
    p = style.palette
    t = _prepare(waves_paired)
    keys, ticks, bold = _wave_rows(t)
    pos = {k: i for i, k in enumerate(keys)}
    t["_pos"] = [pos.get((it, g)) for it, g in zip(t["item"], t["_key"], strict=True)]
    drawn = t[~t["_supp"] & t["change"].notna()].dropna(subset=["_pos"])
    is_share = set(t["stat"].dropna()) <= {"share"}
    scale = 100.0 if is_share else 1.0
    unit = " procentpoint" if is_share else ""
    c = drawn["change"].astype(float) * scale
    lo_ci = drawn["ci_low"].astype(float) * scale
    hi_ci = drawn["ci_high"].astype(float) * scale
    if change_range is None:
        m = float(pd.concat([lo_ci.abs(), hi_ci.abs(), c.abs()]).max()) if len(c) else 1.0
        m = m * 1.15 if m > 0 else 1.0
        lo, hi = -m, m
    else:
        lo, hi = _vrange(None, None, change_range)
    fig = go.Figure()
    for sig, name in ((True, SIG_NAME), (False, "Ikke signifikant ændring")):
        d = drawn["_sig"] == sig
        fig_y = drawn.loc[d, "_pos"].astype(int).tolist()
        fig.add_scatter(
            x=c[d].tolist(), y=fig_y, mode="markers", name=name, cliponaxis=False,
            marker=dict(symbol="circle" if sig else "circle-open", size=10, color=p.wave_to,
                        line=dict(width=2, color=p.wave_to)),
            error_x=dict(type="data", symmetric=False, color=p.ci, thickness=1.2, width=3,
                         array=(hi_ci[d] - c[d]).tolist(), arrayminus=(c[d] - lo_ci[d]).tolist()),
            customdata=list(zip(drawn.loc[d, "n_to"].astype(float), strict=True)),
            hovertemplate=f"Ændring: %{{x:+.2f}}{unit}<br>n = %{{customdata[0]:,d}}"
                          "<extra></extra>")
    fig.add_vline(x=0, line=dict(color="#404040", width=1))
    wrapped, label_px, lines = wrap_rows(cv, ticks, bold=bold)
    row_axis(fig, wrapped)
    left = label_px + 8
    fmt_v = (lambda v: fmt_pct(v)) if is_share else (lambda v: fmt_num(v, 1))
    w_from = str(ordered_unique(t["wave_from"])[0])
    w_to = str(ordered_unique(t["wave_to"])[0])
    pair_text = [f"{fmt_v(v0)} → {fmt_v(v1)}" for v0, v1 in
                 zip(drawn["value_from"], drawn["value_to"], strict=True)]
    head = f"<b>{w_from} → {w_to}</b>"
    right = max([cv.measure(x, cv.small) for x in pair_text] + [cv.measure(head, cv.small)]) + 10
    plot_w = cv.width - 2 * PAD - left - right
    tick_px = cv.measure(fmt_num(hi, 0 if is_share else 1))
    fig.update_xaxes(range=[lo, hi], zeroline=False, tickformat=",.0f" if is_share else ",.1f",
                     nticks=max(2, int(plot_w // (tick_px + 14))),
                     title=dict(text=cv.wrap("Ændring i procentpoint" if is_share else "Ændring",
                                             plot_w)))
    add_annotations(fig, [dict(x=1, xref="paper", y=int(yy), xanchor="left", xshift=8,
                               showarrow=False, text=txt,
                               font=dict(size=cv.small, color=style.palette.text))
                          for yy, txt in zip(drawn["_pos"], pair_text, strict=True)])
    fig.add_annotation(x=1, xref="paper", y=-0.5, yref="y", yanchor="bottom", xanchor="left",
                       xshift=8, showarrow=False, text=head, font=dict(size=cv.small))
    sup = [int(x) for x in t.loc[t["_supp"] | t["change"].isna(), "_pos"].dropna()]
    mark_suppressed(fig, sup, x=lo + 0.01 * (hi - lo), size=cv.small)
    fmt = (lambda v: fmt_num(v, 0) + unit) if is_share else (lambda v: fmt_num(v, 2))
    alt = [f"Prikker viser ændringen fra {w_from} til {w_to} for hver række med "
           "95 %-konfidensinterval som vandret streg; fyldte prikker er signifikante ændringer, "
           "hule prikker er ikke. Den lodrette linje er ingen ændring.",
           extreme_sentence([ticks[i] for i in drawn["_pos"].astype(int)], c.tolist(), fmt,
                            "ændring"),
           f"Parrede besvarelser: {n_text(pd.to_numeric(drawn['n_to']).max())}."
           if len(drawn) else "",
           suppressed_sentence(len(sup))]
    pitch = row_pitch(cv, lines, minimum=ROW_PX * 1.2)
    return finish(fig, chart="prepost", table=waves_paired, canvas=cv, title=title,
                  source=source, alt=[s for s in alt if s], plot_px=pitch * len(keys),
                  top_px=cv.line_px(cv.small) + 4,
                  left_px=left, right_px=right,
                  build=dict(title=title, source=source, change_range=change_range))


#: Answer scales a mean can be on, narrowest first (the default colour range of a heatmap).
SCALES: tuple[tuple[float, float], ...] = ((1, 4), (1, 5), (0, 6), (1, 7), (0, 10), (1, 10),
                                           (0, 100))


def scale_range(comp: pd.DataFrame) -> tuple[float, float]:
    """The fixed value range of a ``compare`` table's measure: 0-1 for shares, else the answer
    scale the means lie on (1-5 for 1-5 items, ...), never the data's min/max.

    Means are placed on the narrowest common scale that holds them (1-4, 1-5, 0-6, 1-7, 0-10,
    1-10, 0-100); give ``color_range`` when the scale is known and the data are near one end.
    """
    stats = set(comp["stat"].dropna()) if "stat" in comp.columns else set()
    if stats and stats <= {"share"}:
        return 0.0, 1.0
    v = pd.to_numeric(comp["value"], errors="coerce").dropna()
    if v.empty:
        return 0.0, 1.0
    lo, hi = float(v.min()), float(v.max())
    for a, b in SCALES:
        if a <= lo and hi <= b and (a, b) != (1, 4):
            return float(a), float(b)
    return lo, hi if hi > lo else lo + 1


def heatmap(
    comp: pd.DataFrame, *, title: str | None = None, source: str | None = None,
    value_range: tuple[float, float] | None = None, decimals: int = 1,
    color_range: tuple[float, float] | None = None, size: str | tuple[float, float] = "full",
) -> go.Figure:
    """Units x characteristics heatmap of index scores from a ``compare`` table.

    ``comp`` holds ``stat="mean"`` rows with ``item`` = scale (a learning-organisation
    characteristic) and ``group`` = unit; rows are units (the total "I alt" last), columns
    characteristics. Values are printed in the cells with a decimal comma; suppressed cells are
    blank and read "For få".

    Parameters
    ----------
    color_range : (low, high), optional
        The values at the ends of the colour scale. Give the same range to every report of a run
        so a colour means the same value everywhere; default :func:`scale_range` (the answer
        scale, e.g. 1-5, or 0-1 for shares), never the data's min/max.
    value_range : (low, high), optional
        Older name of ``color_range``.
    size : "full", "half" or (width_cm, height_cm)
        The print size the chart is laid out for.
    """
    check_columns(comp, HEAT_COLUMNS, "comp")
    if color_range is not None and value_range is not None and tuple(color_range) != tuple(
            value_range):
        raise ValueError("color_range: give either color_range or value_range, not both")
    given = color_range if color_range is not None else value_range
    style = get_style()
    cv = canvas_for(size)
    t = comp.copy()
    t["_key"] = group_keys(t)
    t["group"] = group_labels(t["_key"])
    t["_supp"] = is_suppressed(t) | t["value"].isna()
    items = ordered_unique(t["item"])
    col_labels = [str(t.loc[t["item"] == it, "item_label"].iloc[0]) for it in items]
    groups = group_order(t["_key"])
    lo, hi = _vrange(None, None, given) if given is not None else scale_range(t)
    # shares are shown as percentages ("72 %", as in the table beside it), never as "0,7"
    is_share = "stat" in t and bool(len(t)) and bool((t["stat"] == "share").all())
    tickfmt = ",.1f" if hi - lo < 20 else ",.0f"
    cell_text = (lambda v: fmt_pct(v)) if is_share else (lambda v: fmt_num(v, decimals))
    ticks, label_px, lines = wrap_rows(cv, [label_of(g) for g in groups],
                                       bold=[g == TOTAL_KEY for g in groups])
    left = label_px + 8
    bar_ticks = [fmt_num(v, 1 if tickfmt == ",.1f" else 0) for v in (lo, hi, (lo + hi) / 2)]
    if is_share:
        bar_ticks = [fmt_pct(v) for v in (lo, hi, (lo + hi) / 2)]
    bar_w = 10
    right = 8 + bar_w + 4 + max(cv.measure(x, cv.small) for x in bar_ticks) + 4
    plot_w = cv.width - 2 * PAD - left - right
    col_w = plot_w / len(items)
    heads = [cv.wrap(c, col_w - 6, cv.small) for c in col_labels]
    head_px = max(h.count("<br>") + 1 for h in heads) * cv.line_px(cv.small) + 8
    colors = style.palette.sequential
    colorscale = [[i / (len(colors) - 1), c] for i, c in enumerate(colors)]
    z, sup_cells, cells = [], [], []
    lookup = {}  # (group, item) -> (suppressed, value); first row wins, as a filter would
    for g, it, sp, v in zip(t["_key"], t["item"], t["_supp"], t["value"], strict=True):
        lookup.setdefault((g, it), (bool(sp), v))
    for gi, g in enumerate(groups):
        zr = []
        for ii, it in enumerate(items):
            cell = lookup.get((g, it))
            if cell is None or cell[0]:
                zr.append(None)
                if cell is not None:
                    sup_cells.append((ii, gi))
            else:
                val = float(cell[1])
                zr.append(val)
                cells.append((ii, gi, val))
        z.append(zr)
    fig = go.Figure(go.Heatmap(
        z=z, x=list(range(len(items))), y=list(range(len(groups))),
        zmin=lo, zmax=hi, colorscale=colorscale, xgap=2, ygap=2,
        colorbar=dict(thickness=bar_w, len=1, lenmode="fraction", y=0.5, yanchor="middle",
                      x=1 + 8 / plot_w, xanchor="left", xpad=0, ypad=0, tickformat=tickfmt,
                      outlinewidth=0, ticks="outside", ticklen=3, nticks=5,
                      tickfont=dict(size=cv.small),
                      **(dict(tickmode="array", tickvals=[lo + (hi - lo) * k / 4 for k in range(5)],
                              ticktext=[fmt_pct(lo + (hi - lo) * k / 4) for k in range(5)])
                         if is_share else {})),
        customdata=[[[label_of(g), c] for c in col_labels] for g in groups],
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}: "
                      + ("%{z:.0%}" if is_share else "%{z:,." + str(decimals) + "f}")
                      + "<extra></extra>", hoverongaps=False))
    # cell values as annotations: each gets the text colour that contrasts with its cell
    # (added in one go: plotly re-validates every annotation on each add_annotation call)
    add_annotations(fig, [
        *(dict(x=ii, y=gi, text=cell_text(val), showarrow=False,
               font=dict(size=cv.small, color=text_color_on(
                   _scale_color(colors, (val - lo) / (hi - lo)))), name="value")
          for ii, gi, val in cells),
        *(dict(x=ii, y=gi, text="<i>For få</i>", showarrow=False,
               font=dict(size=cv.small, color=style.palette.text), name="suppressed")
          for ii, gi in sup_cells),
    ])
    row_axis(fig, ticks)
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(items))), ticktext=heads,
                     tickfont=dict(size=cv.small), side="top", showgrid=False, showline=False,
                     ticks="", range=[-0.5, len(items) - 0.5], tickangle=0)
    fig.update_yaxes(showline=False)
    means = t[~t["_supp"]]
    alt = [f"Et farvekort med {len(groups)} enheder i rækkerne og {len(items)} kendetegn i "
           f"kolonnerne; tallet i hver celle er {'andelen' if is_share else 'gennemsnittet'}, og jo "
           "mørkere farven er, jo højere er det (skala fra "
           f"{cell_text(lo) if is_share else fmt_num(lo, 1)} til {cell_text(hi) if is_share else fmt_num(hi, 1)}).",
           extreme_sentence([f"{g} – {c}" for g, c in zip(
               means["group"], means["item_label"].astype(str), strict=True)],
               means["value"].astype(float).tolist(), cell_text,
               "værdi"),
           f"{len(sup_cells)} celler er tomme, fordi der er for få besvarelser ({SUPPRESSED_TEXT})."
           if sup_cells else ""]
    pitch = row_pitch(cv, lines, minimum=26)
    return finish(fig, chart="heatmap", table=comp, canvas=cv, title=title, source=source,
                  alt=[s for s in alt if s], plot_px=pitch * len(groups), left_px=left,
                  right_px=right, top_px=head_px, axis_px=4,
                  build=dict(title=title, source=source, decimals=decimals,
                             color_range=[lo, hi]))


def _scale_color(colors: tuple[str, ...], f: float) -> str:
    """The colour at fraction ``f`` of a piecewise-linear colour scale (as plotly draws it)."""
    f = min(max(f, 0.0), 1.0) * (len(colors) - 1)
    i = min(int(f), len(colors) - 2)
    a, b = colors[i], colors[i + 1]
    w = f - i
    rgb = [round(int(a[k: k + 2], 16) * (1 - w) + int(b[k: k + 2], 16) * w) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in rgb)
