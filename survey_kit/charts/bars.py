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
    value_range,
    wrap_rows,
)
from survey_kit.charts._frame import canvas_for, finish, x_ticks
from survey_kit.charts.layout import PAD, text_color_on
from survey_kit.charts.style import get_style
from survey_kit.fmt import fmt_num, fmt_pct

__all__ = ["likert_bars", "ranking_bars", "share_bars"]

FREQ_COLUMNS = ["item", "item_label", "group", "code", "label", "is_missing_code", "n",
                "share", "n_valid", "n_dont_know", "suppressed"]
COMPARE_COLUMNS = ["item", "item_label", "stat", "group", "n", "value", "ci_low", "ci_high",
                   "vs_total", "suppressed"]
RANK_COLUMNS = ["item", "code", "label", "n", "share_first", "first_ci_low", "first_ci_high",
                "share_top_k", "top_k_ci_low", "top_k_ci_high", "k", "suppressed"]


def _likert_rows(freq: pd.DataFrame) -> list[tuple[str, object, str, bool]]:
    """(kind, key, label, bold) rows: item headers when several items are broken down by groups;
    a key is (item, group key), the total row's label is bold."""
    items = ordered_unique(freq["item"])
    groups = group_order(freq["_key"])
    labels = dict(zip(freq["item"], freq["item_label"], strict=False))
    rows: list[tuple[str, object, str, bool]] = []
    for item in items:
        if len(groups) == 1:
            rows.append(("bar", (item, groups[0]), str(labels[item]), False))
            continue
        if len(items) > 1:
            rows.append(("header", item, f"<b>{labels[item]}</b>", False))
        rows.extend(("bar", (item, g), label_of(g), g == TOTAL_KEY) for g in groups)
    return rows


def likert_bars(
    freq: pd.DataFrame, *, title: str | None = None, source: str | None = None,
    negative_low: bool = True, size: str | tuple[float, float] = "full",
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
    size : "full", "half" or (width_cm, height_cm)
        The print size the chart is laid out for (170 mm or 82 mm wide).
    """
    check_columns(freq, FREQ_COLUMNS, "freq")
    style = get_style()
    cv = canvas_for(size)
    t = freq.copy()
    t["_key"] = group_keys(t)
    t["group"] = group_labels(t["_key"])
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

    plain, suffix, suppressed_pos, n_by_row, shares = [], [], [], {}, {}
    for i, (kind, key, label, _) in enumerate(rows):
        plain.append(label)
        if kind != "bar":
            suffix.append("")
            continue
        item, group = key
        sub = valid[(valid["item"] == item) & (valid["_key"] == group)]
        drawn = sub[~sub["_supp"] & sub["share"].notna()]
        n_valid = sub["n_valid"].dropna()
        if drawn.empty or n_valid.empty:
            suppressed_pos.append(i)
            suffix.append("")
            continue
        n_by_row[i] = n_valid.iloc[0]
        shares[i] = dict(zip(drawn["code"], drawn["share"].astype(float), strict=False))
        suffix.append(n_text(n_valid.iloc[0]))
    ticks, label_px, lines = wrap_rows(cv, plain, suffix=suffix, bold=[r[3] for r in rows])
    left = label_px + 8

    # horizontal room: label column | main panel | gap | "Ved ikke" panel
    tick_px = cv.measure("100 %")
    dk_label = str(ordered_unique(dk["label"])[0]) if has_dk else ""
    if has_dk:
        dk_counts = pd.to_numeric(dk["n"], errors="coerce")
        top_count = max(float(dk_counts.max()) if dk_counts.notna().any() else 1.0, 1.0)
        count_px = cv.measure(fmt_num(top_count, 0), cv.small)
        dk_title = f"{dk_label} (antal)"
        word_px = max(cv.measure(w) for w in dk_title.split())
        dk_w = max(word_px, count_px + 24, 44) + 4
        dk_title = cv.wrap(dk_title, dk_w)
        gap = tick_px / 2 + 10
        right = 4.0
    else:
        dk_w = gap = 0.0
        right = tick_px / 2 + 2
    plot_w = cv.width - PAD - left - right - PAD
    main_w = plot_w - gap - dk_w
    fig = make_subplots(rows=1, cols=2 if has_dk else 1, shared_yaxes=True,
                        column_widths=[main_w, dk_w] if has_dk else None,
                        horizontal_spacing=gap / plot_w if has_dk else 0.02)
    small = cv.small
    mid = k // 2
    # trace order = stacking order outward from zero: the neutral halves first
    order = ([(mid, -1), (mid, 1)] if k % 2 else []) + [
        (j, s) for d in range(1, n_side + 1) for j, s in
        ((mid - d if k % 2 else mid - d, -1), (mid + d if k % 2 else mid + d - 1, 1))]

    def fits(v: float, share_of_axis: float) -> bool:
        return cv.measure(f"{v:.0f}", small) + 4 <= share_of_axis * main_w / 200

    for j, sign in order:
        code = codes[j]
        neutral = k % 2 == 1 and j == mid
        pos = [i for i in shares if code in shares[i]]
        full = [100 * shares[i][code] for i in pos]
        x = [sign * v / 2 if neutral else sign * v for v in full]
        lab = str(code_labels[code])
        ink = text_color_on(colors[j])
        fig.add_bar(
            x=x, y=pos, orientation="h", name=lab, marker=dict(color=colors[j], line_width=0),
            legendgroup=lab, showlegend=not (neutral and sign < 0), legendrank=j,
            customdata=[[plain[i], v] for i, v in zip(pos, full, strict=True)],
            hovertemplate=f"%{{customdata[0]}}<br>{lab}: %{{customdata[1]:.1f}} %<extra></extra>",
            text=[] if neutral else [f"{v:.0f}" if fits(v, v) else "" for v in full],
            textposition="inside", insidetextanchor="middle", textangle=0,
            textfont=dict(size=small, color=ink), insidetextfont=dict(size=small, color=ink),
            row=1, col=1,
        )
        if neutral and sign > 0:
            add_annotations(fig, [dict(x=0, y=i, xref="x", yref="y", text=f"{v:.0f}", showarrow=False,
                                       font=dict(size=small, color=ink),
                                       bgcolor=colors[j], borderpad=0)
                                  for i, v in zip(pos, full, strict=True) if fits(v, v)])
    fig.update_layout(barmode="relative")
    fig.add_vline(x=0, line=dict(color="#404040", width=1), row=1, col=1)
    step = x_ticks(-100, 100, main_w, tick_px, (25, 50, 100))
    vals = [v for v in range(-100, 101, int(step))]
    fig.update_xaxes(range=[-100, 100], tickvals=vals, ticktext=[f"{abs(v)} %" for v in vals],
                     row=1, col=1)
    row_axis(fig, ticks, row=1, col=1)
    mark_suppressed(fig, suppressed_pos, x=-98, size=small)

    axis_title = cv.wrap("Andel af svar med holdning", main_w)
    title_lines = axis_title.count("<br>") + 1
    if has_dk:
        dk_rows = {bar_pos: n for it, g, sp, n in zip(
            dk["item"], dk["_key"], dk["_supp"], dk["n"], strict=True)
            if (bar_pos := _row_of(rows, it, g)) is not None and not sp and pd.notna(n)}
        pos = sorted(p for p in dk_rows if p not in suppressed_pos)
        counts = [float(dk_rows[p]) for p in pos]
        fig.add_bar(
            x=counts, y=pos, orientation="h", name=f"{dk_label} (antal)",
            marker=dict(color=style.palette.dont_know, line_width=0),
            text=[fmt_num(c, 0) for c in counts], textposition="outside", cliponaxis=False,
            textfont=dict(size=small, color=style.palette.text),
            hovertemplate=f"{dk_label}: %{{x:,d}}<extra></extra>", legendrank=k + 1,
            showlegend=False, row=1, col=2,
        )
        # the bars end where the longest count label still fits inside the panel
        reach = top_count * dk_w / max(dk_w - count_px - 8, 1)
        fig.update_xaxes(range=[0, reach], showticklabels=False, showgrid=False, ticks="",
                         title=dict(text=dk_title, font=dict(size=cv.base), standoff=8),
                         row=1, col=2)
        fig.update_yaxes(showline=False, ticks="", row=1, col=2)
        title_lines = max(title_lines, dk_title.count("<br>") + 1)
    fig.update_xaxes(title=dict(text=axis_title, standoff=8), row=1, col=1)

    n_rows = len(rows)
    alt = [
        f"Vandrette stablede søjler viser svarfordelingen på {k} svarkategorier fra "
        f"\"{code_labels[codes[0]]}\" til \"{code_labels[codes[-1]]}\" i procent af dem, der "
        "har svaret; negative svar ligger til venstre for midterlinjen, positive til højre.",
    ]
    pos_codes = codes[mid + (k % 2):]
    positive = {i: sum(s.get(c, 0) for c in pos_codes) for i, s in shares.items()}
    alt.append(extreme_sentence([plain[i] for i in positive],
                                list(positive.values()), fmt_pct, "andel positive svar"))
    if has_dk:
        alt.append(f"\"{dk_label}\" er vist for sig som antal.")
    if n_by_row:
        alt.append(f"Antal svar pr. række: {fmt_num(min(n_by_row.values()), 0)} til "
                   f"{fmt_num(max(n_by_row.values()), 0)}.")
    alt.append(suppressed_sentence(len(suppressed_pos)))
    fig.update_layout(bargap=0.35, legend=dict(traceorder="normal"))
    pitch = row_pitch(cv, lines, minimum=ROW_PX * 1.4)
    axis_px = 10 + cv.line_px() + 8 + title_lines * cv.line_px()
    return finish(fig, chart="likert_bars", table=freq, canvas=cv, title=title, source=source,
                  alt=[a for a in alt if a], plot_px=pitch * n_rows, left_px=left,
                  right_px=right, axis_px=axis_px,
                  build=dict(title=title, source=source, negative_low=negative_low))


def _row_of(rows: list, item: object, group: object) -> int | None:
    for i, (kind, key, _, _) in enumerate(rows):
        if kind == "bar" and key == (item, group):
            return i
    return None


def share_bars(
    comp: pd.DataFrame, *, title: str | None = None, source: str | None = None,
    value_range: tuple[float, float] | None = None, show_ci: bool = True,
    size: str | tuple[float, float] = "full",
) -> go.Figure:
    """Shares (or means) by group with confidence intervals from a ``compare`` table.

    One horizontal bar per group with its CI as an error bar; the total row ("I alt") is a
    dashed benchmark line, not a bar. Groups whose ``vs_total`` is "higher"/"lower" get a ▲/▼
    marker. Shares are drawn on a fixed 0-100 % axis; means on ``value_range`` (default: the
    data range). Several items give one panel per item on a shared axis. ``size`` is the print
    size the chart is laid out for ("full", "half" or (width_cm, height_cm)).
    """
    check_columns(comp, COMPARE_COLUMNS, "comp")
    return _share_bars(comp, title=title, source=source, rng=value_range, show_ci=show_ci,
                       size=size)


def _share_bars(comp, *, title, source, rng, show_ci, size):
    style = get_style()
    cv = canvas_for(size)
    t = comp.copy()
    t["_key"] = group_keys(t)
    t["group"] = group_labels(t["_key"])
    t["_supp"] = is_suppressed(t)
    items = ordered_unique(t["item"])
    is_share = set(t["stat"].dropna()) <= {"share"}
    scale = 100.0 if is_share else 1.0
    groups = [g for g in group_order(t["_key"]) if g != TOTAL_KEY] or [TOTAL_KEY]
    ticks, label_px, lines = wrap_rows(cv, [label_of(g) for g in groups],
                                       bold=[g == TOTAL_KEY for g in groups])
    left = label_px + 8
    has_flags = t["vs_total"].fillna("").isin(["højere", "lavere"]).any()
    if is_share:
        lo, hi = 0.0, 100.0
    else:
        lo, hi = value_range(t["ci_low"], t["ci_high"], rng) if show_ci else value_range(
            t["value"], t["value"], rng)
    fmt = (lambda v: fmt_pct(v / 100)) if is_share else (lambda v: fmt_num(v, 1))
    tick_px = cv.measure("100 %" if is_share else fmt_num(hi, 1))
    right = max(tick_px / 2 + 2, 18.0 if has_flags else 0.0)
    plot_w = cv.width - 2 * PAD - left - right
    item_labels = [str(t.loc[t["item"] == it, "item_label"].iloc[0]) for it in items]
    heads = [cv.wrap(lab, cv.width - 2 * PAD, bold=True) for lab in item_labels]
    head_px = max((h.count("<br>") + 1 for h in heads), default=1) * cv.line_px() + 6
    pitch = row_pitch(cv, lines)
    panel_px = pitch * len(groups)
    gap_px = head_px + 10 if len(items) > 1 else 0.0
    plot_px = panel_px * len(items) + gap_px * (len(items) - 1)
    fig = make_subplots(rows=len(items), cols=1, shared_xaxes=True,
                        vertical_spacing=gap_px / plot_px if len(items) > 1 else 0.0)
    hover_fmt = ":.1f} %" if is_share else ":.2f}"
    ink = text_color_on(style.palette.bar)
    px_per_unit = plot_w / (hi - lo)
    alt_sent, n_sup = [], 0
    for r, item in enumerate(items, start=1):
        sub = t[t["item"] == item]
        total = sub[sub["_key"] == TOTAL_KEY]
        body = sub[sub["_key"] != TOTAL_KEY] if groups != [TOTAL_KEY] else sub
        pos = {g: i for i, g in enumerate(groups)}
        drawn = body[~body["_supp"] & body["value"].notna()]
        sup = [pos[g] for g in body.loc[body["_supp"] | body["value"].isna(), "_key"]]
        n_sup += len(sup)
        y = [pos[g] for g in drawn["_key"]]
        v = drawn["value"].astype(float) * scale
        err = dict(type="data", symmetric=False, color=style.palette.text, thickness=1.2, width=3,
                   array=(drawn["ci_high"].astype(float) * scale - v).tolist(),
                   arrayminus=(v - drawn["ci_low"].astype(float) * scale).tolist())
        # a value label only where it fits inside the bar (left of its CI)
        room = ((drawn["ci_low"].astype(float) * scale if show_ci else v) - lo) * px_per_unit
        text = [fmt(x) if cv.measure(fmt(x), cv.small) + 8 <= w else ""
                for x, w in zip(v, room, strict=True)]
        fig.add_bar(
            x=v.tolist(), y=y, orientation="h", marker=dict(color=style.palette.bar),
            error_x=err if show_ci else None, name="Andel" if is_share else "Gennemsnit",
            showlegend=False,
            customdata=list(zip(drawn["group"], drawn["n"].astype(float), v, strict=True)),
            hovertemplate="%{customdata[0]}: %{x" + hover_fmt + "<br>n = %{customdata[1]:,d}"
                          "<extra></extra>",
            text=text, textposition="inside", insidetextanchor="start", textangle=0,
            textfont=dict(size=cv.small, color=ink), insidetextfont=dict(size=cv.small, color=ink),
            row=r, col=1,
        )
        for flag, symbol, name in (("higher", "triangle-up", "Signifikant højere end resten"),
                                   ("lower", "triangle-down", "Signifikant lavere end resten")):
            f = drawn[drawn["vs_total"].fillna("") == flag]
            if f.empty:
                continue
            end = (f["ci_high"] if show_ci else f["value"]).astype(float) * scale
            fig.add_scatter(
                x=(end + 9 / px_per_unit).tolist(), y=[pos[g] for g in f["_key"]],
                mode="markers", marker=dict(symbol=symbol, size=8, color=style.palette.text),
                cliponaxis=False, name=name, legendgroup=name, showlegend=not any(
                    tr.name == name for tr in fig.data), hoverinfo="skip", row=r, col=1)
        if not total.empty and not bool(total["_supp"].iloc[0]) and pd.notna(
                total["value"].iloc[0]) and body is not sub:
            tv = float(total["value"].iloc[0]) * scale
            fig.add_scatter(
                x=[tv, tv], y=[-0.5, len(groups) - 0.5], mode="lines",
                line=dict(color=style.palette.benchmark, dash="dash", width=1.5),
                name=f"I alt ({fmt(tv)}, {n_text(total['n'].iloc[0])})", legendgroup="total",
                showlegend=r == 1, hoverinfo="skip", row=r, col=1)
        row_axis(fig, ticks, row=r, col=1)
        xref = "x" if r == 1 else f"x{r}"
        yref = "y" if r == 1 else f"y{r}"
        mark_suppressed(fig, sup, x=lo + 0.01 * (hi - lo), xref=xref, yref=yref, size=cv.small)
        if len(items) > 1:
            fig.add_annotation(
                text=heads[r - 1], xref="paper", yref=f"{yref} domain", x=-left / plot_w, y=1,
                xanchor="left", yanchor="bottom", yshift=4, showarrow=False, align="left",
                font=dict(size=cv.base), name="panel_title")
        alt_sent.append(f"{item_labels[r - 1]}: " + extreme_sentence(
            drawn["group"].tolist(), v.tolist(), fmt, "andel" if is_share else "gennemsnit"))
    if is_share:
        pct_axis(fig, dtick=x_ticks(0, 100, plot_w, tick_px, (20, 25, 50, 100)))
    else:
        fig.update_xaxes(range=[lo, hi], tickformat=",.1f", nticks=max(
            2, int(plot_w // (tick_px + 14))))
    alt = [("Vandrette søjler viser andelen i procent" if is_share else
            "Vandrette søjler viser gennemsnittet") + " for hver gruppe"
           + (" med 95 %-konfidensinterval som streg" if show_ci else "")
           + "; den stiplede linje er resultatet for alle (I alt).", *alt_sent,
           suppressed_sentence(n_sup)]
    return finish(fig, chart="share_bars", table=comp, canvas=cv, title=title, source=source,
                  alt=[a for a in alt if a], plot_px=plot_px, left_px=left, right_px=right,
                  top_px=head_px + 4 if len(items) > 1 else 0.0,
                  build=dict(title=title, source=source, value_range=rng, show_ci=show_ci))


def ranking_bars(
    ranks: pd.DataFrame, *, title: str | None = None, source: str | None = None,
    show_ci: bool = True, size: str | tuple[float, float] = "full",
) -> go.Figure:
    """First choice and top-k shares of a ranking item from a ``rank_shares`` table.

    Two grouped horizontal bars per option ("Førstevalg" and "Blandt top k"), options sorted by
    the top-k share (largest first), suppressed options last with "For få besvarelser"; a fixed
    0-100 % axis. ``size`` is the print size the chart is laid out for.
    """
    check_columns(ranks, RANK_COLUMNS, "ranks")
    style = get_style()
    cv = canvas_for(size)
    t = ranks.copy()
    t["_supp"] = is_suppressed(t) | t["share_top_k"].isna()
    shown = t[~t["_supp"]].sort_values("share_top_k", ascending=False, kind="stable")
    hidden = t[t["_supp"]]
    labels = [str(x) for x in shown["label"]] + [str(x) for x in hidden["label"]]
    ticks, label_px, lines = wrap_rows(cv, labels)
    left = label_px + 8
    tick_px = cv.measure("100 %")
    right = tick_px / 2 + 2
    plot_w = cv.width - 2 * PAD - left - right
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
    row_axis(fig, ticks)
    pct_axis(fig, dtick=x_ticks(0, 100, plot_w, tick_px, (20, 25, 50, 100)))
    mark_suppressed(fig, list(range(len(shown), len(labels))), x=1, size=cv.small)
    n = pd.to_numeric(t["n"], errors="coerce").max()
    alt = [f"Vandrette søjler viser for hver mulighed andelen, der har sat den først, og "
           f"andelen, der har den blandt sine {k} første, i procent; sorteret efter top {k}.",
           extreme_sentence(shown["label"].astype(str).tolist(),
                            shown["share_top_k"].astype(float).tolist(), fmt_pct,
                            f"andel blandt top {k}"),
           f"{n_text(n)} har rangordnet mindst én mulighed." if pd.notna(n) else "",
           suppressed_sentence(len(hidden))]
    pitch = row_pitch(cv, lines, minimum=ROW_PX * 1.3)
    return finish(fig, chart="ranking_bars", table=ranks, canvas=cv, title=title, source=source,
                  alt=[a for a in alt if a], plot_px=pitch * len(labels), left_px=left,
                  right_px=right, build=dict(title=title, source=source, show_ci=show_ci))
