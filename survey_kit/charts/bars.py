"""Bar charts: Likert distributions, shares by group with CIs, ranking items.

Each builder takes a survey_kit result table (see docs/ARCHITECTURE.md, "Result tables") and
returns a ``plotly.graph_objects.Figure`` in the house style; none calls ``.show()``. Suppressed
rows are never drawn: their row keeps its label and reads "For få besvarelser".
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from survey_kit.charts._common import (
    ROW_PX,
    TOTAL,
    check_columns,
    extreme_sentence,
    group_label,
    group_order,
    is_suppressed,
    mark_suppressed,
    n_text,
    ordered_unique,
    pct_axis,
    row_axis,
    suppressed_sentence,
    value_range,
)
from survey_kit.charts.style import finish, get_style
from survey_kit.fmt import fmt_num, fmt_pct

__all__ = ["likert_bars", "ranking_bars", "share_bars"]

FREQ_COLUMNS = ["item", "item_label", "group", "code", "label", "is_missing_code", "n",
                "share", "n_valid", "n_dont_know", "suppressed"]
COMPARE_COLUMNS = ["item", "item_label", "stat", "group", "n", "value", "ci_low", "ci_high",
                   "vs_total", "suppressed"]
RANK_COLUMNS = ["item", "code", "label", "n", "share_first", "first_ci_low", "first_ci_high",
                "share_top_k", "top_k_ci_low", "top_k_ci_high", "k", "suppressed"]


def _likert_rows(freq: pd.DataFrame) -> list[tuple[str, object, str, bool]]:
    """(kind, key, label) rows: item headers when several items are broken down by groups."""
    items = ordered_unique(freq["item"])
    groups = group_order(freq["group"])
    labels = dict(zip(freq["item"], freq["item_label"], strict=False))
    rows: list[tuple[str, object, str]] = []
    for item in items:
        if len(groups) == 1:
            rows.append(("bar", (item, groups[0]), str(labels[item])))
            continue
        if len(items) > 1:
            rows.append(("header", item, f"<b>{labels[item]}</b>"))
        rows.extend(("bar", (item, g), g) for g in groups)
    return rows


def likert_bars(
    freq: pd.DataFrame, *, title: str | None = None, source: str | None = None,
    negative_low: bool = True,
) -> go.Figure:
    """Diverging stacked bars of Likert items from a ``frequencies`` table.

    Negative categories lie left of zero, the neutral (middle) category is split at zero,
    positive ones lie right; codes keep codebook order and colours, so charts of other groups
    or waves line up. Declared missing codes ("Ved ikke", ``is_missing_code``) are shown apart as
    counts in a narrow panel on the right. One row per item, or per item x group.

    Parameters
    ----------
    freq : DataFrame
        A ``survey_kit.stats.frequencies`` table (one row per item x group x code).
    title, source : str, optional
        Chart title and the source line under the chart ("Kilde: ..., n = 1.234").
    negative_low : bool
        True when low codes are the negative end (1 = "Helt uenig"), as in the codebooks.
    """
    check_columns(freq, FREQ_COLUMNS, "freq")
    style = get_style()
    t = freq.copy()
    t["group"] = t["group"].map(group_label)
    t["_supp"] = is_suppressed(t)
    missing = t["is_missing_code"].fillna(False).astype(bool)
    valid, dk = t[~missing], t[missing]
    codes = sorted(pd.unique(valid["code"].dropna()), reverse=not negative_low)
    k = len(codes)
    if k < 2:
        raise ValueError("freq: a Likert item needs at least two valid codes")
    n_side = k // 2
    colors = style.palette.diverging(n_side, k % 2 == 1, n_side)
    code_labels = dict(zip(valid["code"], valid["label"], strict=False))
    rows = _likert_rows(t)
    has_dk = not dk.empty

    fig = make_subplots(rows=1, cols=2 if has_dk else 1, shared_yaxes=True,
                        column_widths=[0.84, 0.16] if has_dk else None, horizontal_spacing=0.03)
    bar_pos = {key: i for i, (kind, key, _) in enumerate(rows) if kind == "bar"}
    shares = {}
    ticks, suppressed_pos, n_by_row = [], [], {}
    for i, (kind, key, label) in enumerate(rows):
        if kind != "bar":
            ticks.append(label)
            continue
        item, group = key
        sub = valid[(valid["item"] == item) & (valid["group"] == group)]
        drawn = sub[~sub["_supp"] & sub["share"].notna()]
        n_valid = sub["n_valid"].dropna()
        if drawn.empty or n_valid.empty:
            suppressed_pos.append(i)
            ticks.append(label)
            continue
        n_by_row[i] = n_valid.iloc[0]
        shares[i] = dict(zip(drawn["code"], drawn["share"].astype(float), strict=False))
        ticks.append(f"{label}<br><span style='font-size:{style.font_size - 2}px'>"
                     f"{n_text(n_valid.iloc[0])}</span>")

    mid = k // 2
    # trace order = stacking order outward from zero: the neutral halves first
    order = ([(mid, -1), (mid, 1)] if k % 2 else []) + [
        (j, s) for d in range(1, n_side + 1) for j, s in
        ((mid - d if k % 2 else mid - d, -1), (mid + d if k % 2 else mid + d - 1, 1))]
    for j, sign in order:
        code = codes[j]
        neutral = k % 2 == 1 and j == mid
        pos = [i for i in shares if code in shares[i]]
        full = [100 * shares[i][code] for i in pos]
        x = [sign * v / 2 if neutral else sign * v for v in full]
        lab = str(code_labels[code])
        fig.add_bar(
            x=x, y=pos, orientation="h", name=lab, marker=dict(color=colors[j], line_width=0),
            legendgroup=lab, showlegend=not (neutral and sign < 0), legendrank=j,
            customdata=[[ticks[i].split("<br>")[0], v] for i, v in zip(pos, full, strict=True)],
            hovertemplate=f"%{{customdata[0]}}<br>{lab}: %{{customdata[1]:.1f}} %<extra></extra>",
            text=[] if neutral else [f"{v:.0f}" if v >= 6 else "" for v in full],
            textposition="inside", insidetextanchor="middle", textangle=0,
            textfont=dict(size=style.font_size - 2), row=1, col=1,
        )
        if neutral and sign > 0:
            for i, v in zip(pos, full, strict=True):
                if v >= 6:
                    fig.add_annotation(x=0, y=i, text=f"{v:.0f}", showarrow=False,
                                       font=dict(size=style.font_size - 2, color=style.palette.text),
                                       bgcolor=colors[j], borderpad=0, row=1, col=1)
    fig.update_layout(barmode="relative")
    fig.add_vline(x=0, line=dict(color="#404040", width=1), row=1, col=1)
    fig.update_xaxes(range=[-100, 100], tickvals=list(range(-100, 101, 25)),
                     ticktext=[f"{abs(v)} %" for v in range(-100, 101, 25)], row=1, col=1)
    row_axis(fig, ticks, row=1, col=1)
    mark_suppressed(fig, suppressed_pos, x=-98)

    if has_dk:
        dk_rows = {bar_pos[(it, g)]: n for it, g, sp, n in zip(
            dk["item"], dk["group"], dk["_supp"], dk["n"], strict=True)
            if (it, g) in bar_pos and not sp and pd.notna(n)}
        dk_label = str(ordered_unique(dk["label"])[0])
        pos = sorted(p for p in dk_rows if p not in suppressed_pos)
        counts = [float(dk_rows[p]) for p in pos]
        fig.add_bar(
            x=counts, y=pos, orientation="h", name=f"{dk_label} (antal)",
            marker=dict(color=style.palette.dont_know, line_width=0),
            text=[fmt_num(c, 0) for c in counts], textposition="outside", cliponaxis=False,
            textfont=dict(size=style.font_size - 2),
            hovertemplate=f"{dk_label}: %{{x:,d}}<extra></extra>", legendrank=k + 1,
            showlegend=False, row=1, col=2,
        )
        top = max(float(pd.to_numeric(dk["n"], errors="coerce").max() or 1), 1.0)
        fig.update_xaxes(range=[0, top * 1.6], showticklabels=False, showgrid=False,
                         ticks="", title=dict(text=f"{dk_label} (antal)",
                             font=dict(size=style.font_size - 1)), row=1, col=2)
        fig.update_yaxes(showline=False, ticks="", row=1, col=2)
    fig.update_xaxes(title=dict(text="Andel af svar med holdning"), row=1, col=1)

    n_rows = len(rows)
    alt = [
        f"Vandrette stablede søjler viser svarfordelingen på {k} svarkategorier fra "
        f"\"{code_labels[codes[0]]}\" til \"{code_labels[codes[-1]]}\" i procent af dem, der "
        "har svaret; negative svar ligger til venstre for midterlinjen, positive til højre.",
    ]
    pos_codes = codes[mid + (k % 2):]
    positive = {i: sum(s.get(c, 0) for c in pos_codes) for i, s in shares.items()}
    alt.append(extreme_sentence([ticks[i].split("<br>")[0] for i in positive],
                                list(positive.values()), fmt_pct, "andel positive svar"))
    if has_dk:
        alt.append(f"\"{dk_label}\" er vist for sig som antal.")
    if n_by_row:
        alt.append(f"Antal svar pr. række: {fmt_num(min(n_by_row.values()), 0)} til "
                   f"{fmt_num(max(n_by_row.values()), 0)}.")
    alt.append(suppressed_sentence(len(suppressed_pos)))
    fig.update_layout(bargap=0.35, legend=dict(traceorder="normal"))
    return finish(fig, chart="likert_bars", table=freq, title=title, source=source,
                  alt=[a for a in alt if a], height=60 + ROW_PX * 1.4 * n_rows)


def share_bars(
    comp: pd.DataFrame, *, title: str | None = None, source: str | None = None,
    value_range: tuple[float, float] | None = None, show_ci: bool = True,
) -> go.Figure:
    """Shares (or means) by group with confidence intervals from a ``compare`` table.

    One horizontal bar per group with its CI as an error bar; the total row ("I alt") is a
    dashed benchmark line, not a bar. Groups whose ``vs_total`` is "higher"/"lower" get a ▲/▼
    marker. Shares are drawn on a fixed 0-100 % axis; means on ``value_range`` (default: the
    data range). Several items give one panel per item on a shared axis.
    """
    check_columns(comp, COMPARE_COLUMNS, "comp")
    return _share_bars(comp, title=title, source=source, rng=value_range, show_ci=show_ci)


def _share_bars(comp, *, title, source, rng, show_ci):
    style = get_style()
    t = comp.copy()
    t["group"] = t["group"].map(group_label)
    t["_supp"] = is_suppressed(t)
    items = ordered_unique(t["item"])
    is_share = set(t["stat"].dropna()) <= {"share"}
    scale = 100.0 if is_share else 1.0
    groups = [g for g in group_order(t["group"]) if g != TOTAL] or [TOTAL]
    fig = make_subplots(rows=len(items), cols=1, shared_xaxes=True, vertical_spacing=0.08 if
                        len(items) > 1 else 0.0, subplot_titles=[
                            str(t.loc[t["item"] == it, "item_label"].iloc[0]) for it in items]
                        if len(items) > 1 else None)
    if is_share:
        lo, hi = 0.0, 100.0
    else:
        lo, hi = value_range(t["ci_low"], t["ci_high"], rng) if show_ci else value_range(
            t["value"], t["value"], rng)
    fmt = (lambda v: fmt_pct(v / 100)) if is_share else (lambda v: fmt_num(v, 1))
    hover_fmt = ":.1f} %" if is_share else ":.2f}"
    alt_sent, n_sup = [], 0
    for r, item in enumerate(items, start=1):
        sub = t[t["item"] == item]
        total = sub[sub["group"] == TOTAL]
        body = sub[sub["group"] != TOTAL] if len(groups) > 1 or groups != [TOTAL] else sub
        pos = {g: i for i, g in enumerate(groups)}
        drawn = body[~body["_supp"] & body["value"].notna()]
        sup = [pos[g] for g in body.loc[body["_supp"] | body["value"].isna(), "group"]]
        n_sup += len(sup)
        y = [pos[g] for g in drawn["group"]]
        v = drawn["value"].astype(float) * scale
        err = dict(type="data", symmetric=False, color=style.palette.text, thickness=1.2, width=3,
                   array=(drawn["ci_high"].astype(float) * scale - v).tolist(),
                   arrayminus=(v - drawn["ci_low"].astype(float) * scale).tolist())
        fig.add_bar(
            x=v.tolist(), y=y, orientation="h", marker=dict(color=style.palette.bar),
            error_x=err if show_ci else None, name="Andel" if is_share else "Gennemsnit",
            showlegend=False,
            customdata=list(zip(drawn["group"], drawn["n"].astype(float), v, strict=True)),
            hovertemplate="%{customdata[0]}: %{x" + hover_fmt + "<br>n = %{customdata[1]:,d}"
                          "<extra></extra>",
            text=[fmt(x) for x in v], textposition="inside", insidetextanchor="start",
            textfont=dict(size=style.font_size - 2), row=r, col=1,
        )
        for flag, symbol, name in (("higher", "triangle-up", "Signifikant højere end resten"),
                                   ("lower", "triangle-down", "Signifikant lavere end resten")):
            f = drawn[drawn["vs_total"].fillna("") == flag]
            if f.empty:
                continue
            right = (f["ci_high"] if show_ci else f["value"]).astype(float) * scale
            fig.add_scatter(
                x=(right + 0.04 * (hi - lo)).tolist(), y=[pos[g] for g in f["group"]],
                mode="markers", marker=dict(symbol=symbol, size=8, color=style.palette.text),
                name=name, legendgroup=name, showlegend=not any(
                    tr.name == name for tr in fig.data), hoverinfo="skip", row=r, col=1)
        if not total.empty and not bool(total["_supp"].iloc[0]) and pd.notna(
                total["value"].iloc[0]) and body is not sub:
            tv = float(total["value"].iloc[0]) * scale
            fig.add_scatter(
                x=[tv, tv], y=[-0.5, len(groups) - 0.5], mode="lines",
                line=dict(color=style.palette.benchmark, dash="dash", width=1.5),
                name=f"I alt ({fmt(tv)}, {n_text(total['n'].iloc[0])})", legendgroup="total",
                showlegend=r == 1, hoverinfo="skip", row=r, col=1)
        ticks = [f"{g}" for g in groups]
        row_axis(fig, ticks, row=r, col=1)
        xref = "x" if r == 1 else f"x{r}"
        yref = "y" if r == 1 else f"y{r}"
        mark_suppressed(fig, sup, x=lo + 0.01 * (hi - lo), xref=xref, yref=yref)
        label = str(sub["item_label"].iloc[0])
        alt_sent.append(f"{label}: " + extreme_sentence(
            drawn["group"].tolist(), v.tolist(), fmt, "andel" if is_share else "gennemsnit"))
    if is_share:
        pct_axis(fig)
    else:
        fig.update_xaxes(range=[lo, hi], tickformat=",.1f")
    for ann in fig.layout.annotations:
        if ann.name is None and ann.yref == "paper":  # subplot titles
            ann.update(x=0, xanchor="left", font=dict(size=style.font_size + 1),
                       text=f"<b>{ann.text}</b>")
    alt = [("Vandrette søjler viser andelen i procent" if is_share else
            "Vandrette søjler viser gennemsnittet") + " for hver gruppe"
           + (" med 95 %-konfidensinterval som streg" if show_ci else "")
           + "; den stiplede linje er resultatet for alle (I alt).", *alt_sent,
           suppressed_sentence(n_sup)]
    height = 40 + ROW_PX * len(groups) * len(items) + 40 * (len(items) - 1)
    return finish(fig, chart="share_bars", table=comp, title=title, source=source,
                  alt=[a for a in alt if a], height=height, legend_gap=24 if len(items) > 1
                  else 0)


def ranking_bars(
    ranks: pd.DataFrame, *, title: str | None = None, source: str | None = None,
    show_ci: bool = True,
) -> go.Figure:
    """First choice and top-k shares of a ranking item from a ``rank_shares`` table.

    Two grouped horizontal bars per option ("Førstevalg" and "Blandt top k"), options sorted by
    the top-k share (largest first), suppressed options last with "For få besvarelser"; a fixed
    0-100 % axis.
    """
    check_columns(ranks, RANK_COLUMNS, "ranks")
    style = get_style()
    t = ranks.copy()
    t["_supp"] = is_suppressed(t) | t["share_top_k"].isna()
    shown = t[~t["_supp"]].sort_values("share_top_k", ascending=False, kind="stable")
    hidden = t[t["_supp"]]
    labels = [str(x) for x in shown["label"]] + [str(x) for x in hidden["label"]]
    k = int(pd.to_numeric(t["k"], errors="coerce").dropna().iloc[0]) if t["k"].notna().any() else 3
    y = list(range(len(shown)))
    series = (("share_top_k", "top_k_ci_low", "top_k_ci_high", f"Blandt top {k}",
               style.palette.bar, -0.2),
              ("share_first", "first_ci_low", "first_ci_high", "Førstevalg",
               style.palette.positive[1], 0.2))
    fig = go.Figure()
    for col, lo_c, hi_c, name, color, off in series:
        v = shown[col].astype(float) * 100
        err = dict(type="data", symmetric=False, color=style.palette.text, thickness=1, width=2,
                   array=(shown[hi_c].astype(float) * 100 - v).tolist(),
                   arrayminus=(v - shown[lo_c].astype(float) * 100).tolist())
        fig.add_bar(
            x=v.tolist(), y=[p + off for p in y], orientation="h", width=0.38, name=name,
            marker=dict(color=color), error_x=err if show_ci else None,
            customdata=list(zip(shown["label"], strict=True)),
            hovertemplate=f"%{{customdata[0]}}<br>{name}: %{{x:.1f}} %<extra></extra>",
        )
    fig.update_layout(barmode="overlay")
    row_axis(fig, labels)
    pct_axis(fig)
    mark_suppressed(fig, list(range(len(shown), len(labels))), x=1)
    n = pd.to_numeric(t["n"], errors="coerce").max()
    alt = [f"Vandrette søjler viser for hver mulighed andelen, der har sat den først, og "
           f"andelen, der har den blandt sine {k} første, i procent; sorteret efter top {k}.",
           extreme_sentence(shown["label"].astype(str).tolist(),
                            shown["share_top_k"].astype(float).tolist(), fmt_pct,
                            f"andel blandt top {k}"),
           f"{n_text(n)} har rangordnet mindst én mulighed." if pd.notna(n) else "",
           suppressed_sentence(len(hidden))]
    return finish(fig, chart="ranking_bars", table=ranks, title=title, source=source,
                  alt=[a for a in alt if a], height=40 + ROW_PX * 1.3 * len(labels))
