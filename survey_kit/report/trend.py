"""The ``trend`` section kind: every round of a recurring survey on one chart, with the changes.

For the report's population and every round up to the report's wave:

* each round's share (or mean) and n: :func:`survey_kit.stats.compare` per round, registered with
  the run's guard as that round's cells (the same cells other sections publish for the round);
* the change since the previous round and since the first, in percentage points (points for
  means), with the test of :func:`survey_kit.stats.compare_waves` (2x2 chi-square = R's
  ``prop.test(correct = FALSE)``; Welch for means), registered as wave changes;
* the trend over all rounds (three or more): :func:`survey_kit.stats.trend` (a logistic trend
  for shares, R's ``glm(binomial)``; least squares for means), published only when every round of
  the item is published;
* a finding per item whose change since the first round is significant ("steget fra 55 % i
  2008/09 over 63 % i 2010 til 75 % i 2012").

An item's rounds are those that asked it (``waves:``) and whose answers compare
(``recode`` with ``comparison: broken`` leaves a round out); the section says which and why.
With ``by`` (the first breakdown), one chart per item with a line per group.
With fewer than three rounds in the data the section is left out (a ``waves`` section compares
two rounds).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from survey_kit import stats
from survey_kit.fmt import fmt_num, fmt_pct, fmt_pp
from survey_kit.report import publish
from survey_kit.report.content import Block, Column, Figure, Paragraph, Table
from survey_kit.report.context import Context
from survey_kit.report.sections import (
    _heading,
    _scale_range,
    _split_by_stat,
    breakdowns,
    select,
    source_line,
)
from survey_kit.report.spec import Section

MIN_ROUNDS = 3
CHANGE_VALUES = ("value_from", "value_to", "change", "ci_low", "ci_high")


def _rounds(ctx: Context) -> list[int]:
    df = ctx.scoped
    present = sorted(int(x) for x in df[ctx.wave_col].dropna().unique())
    return [w for w in present if ctx.wave is None or w <= ctx.wave]


def _item_rounds(ctx: Context, code: str, rounds: list[int]) -> list[int]:
    """The rounds in which ``code`` (an item, or every item of a scale) was asked and compares."""
    cb = ctx.cb
    scales = {s.code: s for s in cb.scales}
    members = list(scales[code].items) if code in scales else [code]
    broken = set(cb.broken_waves(code))
    return [w for w in rounds if w not in broken and all(cb.asked_in(m, w) for m in members)]


def _label(ctx: Context, code: str) -> str:
    cb = ctx.cb
    if code in cb:
        return cb[code].label
    return next((s.label for s in cb.scales if s.code == code), code)


def _notes(ctx: Context, codes: list[str], rounds: list[int]) -> list[str]:
    """Why an item is not compared over every round (a new scale, asked only in some rounds)."""
    cb = ctx.cb
    out = []
    for code in codes:
        members = [s.items for s in cb.scales if s.code == code]
        members = list(members[0]) if members else [code]
        for w in cb.broken_waves(code):
            if w in rounds:
                why = "; ".join(dict.fromkeys(r.note for m in members if (r := cb.recode_for(m, w)) is not None
                                              and r.comparison == "broken" and r.note)) or "svarskalaen er ændret"
                out.append(f"«{_label(ctx, code)}» sammenlignes ikke med {ctx.wave_label(w)}: {why}.")
        asked = [w for w in rounds if all(cb.asked_in(m, w) for m in members)]
        if len(asked) < len(rounds) and asked:
            out.append(f"«{_label(ctx, code)}» er kun spurgt i {', '.join(ctx.wave_label(w) for w in asked)}.")
    return out


def compute(ctx: Context, sec: Section) -> Callable[[Context], list[Block]]:
    """Compute and register the section's tables; returns the composer (see the module)."""
    cb = ctx.cb
    if ctx.wave_col is None:
        return lambda ctx: [*_heading(sec, "Udvikling over tid"),
                            Paragraph("Undersøgelsen har kun én måling, så der er ingen udvikling at vise.")]
    rounds = _rounds(ctx)
    if len(rounds) < MIN_ROUNDS:  # two rounds: the 'waves' section compares them
        return lambda ctx: []
    codes = select(cb, sec.items) if sec.items else [s.code for s in cb.scales]
    shares, means = _split_by_stat(cb, codes)
    by = (breakdowns(ctx, sec) or [None])[0]
    df = ctx.scoped
    col = ctx.wave_col
    plans = []
    for stat, items in (("share", shares), ("mean", means)):
        if not items:
            continue
        used = {c: _item_rounds(ctx, c, rounds) for c in items}
        per_round = {}
        for w in rounds:
            now = df[df[col].eq(w).fillna(False).to_numpy()]
            asked = [c for c in items if w in used[c]]
            if asked:
                t = stats.compare(now, asked, stat=stat, by=by, **ctx.stats_kw())
                per_round[w] = ctx.register(t, "compare", ("value", "ci_low", "ci_high"), wave=w)
        changes, firsts, trends = {}, {}, {}
        for ws in sorted({tuple(v) for v in used.values()}):
            group = [c for c in items if tuple(used[c]) == ws]
            if len(ws) < 2:
                continue
            sub = df[df[col].isin(list(ws)).to_numpy()]
            if sub[col].nunique() < 2:  # fewer than two of its rounds in this report's population
                continue
            kw = dict(wave=col, stat=stat, **ctx.stats_kw())
            changes[ws] = ctx.register(stats.compare_waves(sub, group, by=by, **kw), "waves", CHANGE_VALUES, wave=None)
            ends = sub[sub[col].isin([ws[0], ws[-1]]).to_numpy()]
            if len(ws) > 2 and ends[col].nunique() == 2:
                firsts[ws] = ctx.register(stats.compare_waves(ends, group, by=by, **kw), "waves", CHANGE_VALUES,
                                          wave=None)
                trends[ws] = stats.trend(sub, group, wave=col, stat=stat, by=by, codebook=ctx.stats_codebook,
                                         min_n=ctx.stats_min_n)
        plans.append((stat, items, used, per_round, changes, firsts, trends))
    notes = _notes(ctx, codes, rounds)

    def compose(ctx: Context) -> list[Block]:
        first, last = ctx.wave_label(rounds[0]), ctx.wave_label(rounds[-1])
        blocks = _heading(sec, f"Udvikling fra {first} til {last}")
        for stat, items, used, per_round, changes, firsts, trends in plans:
            long = _long_table(ctx, stat, items, used, per_round, changes, firsts, by)
            if long.empty:
                continue
            trend_rows = _trend_rows(ctx, stat, items, used, trends, long, by)
            _state_findings(ctx, stat, items, used, long)
            what = "Andel" if stat == "share" else "Indeks"
            rng = (0.0, 1.0) if stat == "share" else _scale_range(cb, items[0])
            if by is None:
                chart = long.assign(series=long["item_label"])
                blocks.append(Figure(f"tendens_{stat}", partial(
                    _chart, chart, title=f"{what} i hver måling, {first}-{last}",
                    source=source_line(ctx, chart), rng=rng), chart))
            else:
                for code in items:
                    part = long[long["item"] == code].assign(series=lambda t: t["group"])
                    blocks.append(Figure(f"tendens_{stat}_{code}", partial(
                        _chart, part, title=f"{_label(ctx, code)}: {what.lower()} i hver måling",
                        source=source_line(ctx, part), rng=rng), part))
            if sec.table:
                unit = "procentpoint" if stat == "share" else "point"
                blocks.append(Table(f"tendens_{stat}", f"{what} i hver måling og ændring siden forrige (i {unit})",
                                    long, _columns(stat, by, ctx)))
                if not trend_rows.empty:
                    change = "pp" if stat == "share" else "num"
                    group = (Column("group", _by_header(ctx, by)),) if by else ()
                    blocks.append(Table(f"tendens_test_{stat}", f"Ændring fra første til sidste måling og tendens "
                                        f"over alle målinger (i {unit})", trend_rows,
                                        (Column("item_label", "Spørgsmål"), *group, Column("waves", "Målinger"),
                                         Column("change_first", "Ændring", change), Column("p_first", "p (ændring)", "p"),
                                         Column("direction", "Tendens"), Column("p_val", "p (tendens)", "p"))))
        for note in notes:
            blocks.append(Paragraph(note, "sk-note"))
        blocks.append(Paragraph(
            "Ændringer mellem to målinger er testet med en test af to andele (chi-i-anden); tendensen over "
            "alle målinger med en logistisk regression på målingens nummer (for indeks: lineær regression). "
            "Hver måling er en ny stikprøve af medarbejderne.", "sk-note"))
        return blocks

    return compose


def _by_header(ctx: Context, by: str | None) -> str:
    return ctx.cb[by].label if by and by in ctx.cb else "Gruppe"


def _columns(stat: str, by: str | None, ctx: Context) -> tuple[Column, ...]:
    kind = "pct" if stat == "share" else "num"
    change = "pp" if stat == "share" else "num"
    cols = [Column("item_label", "Spørgsmål")]
    if by:
        cols.append(Column("group", _by_header(ctx, by)))
    return (*cols, Column("wave", "Måling"), Column("n", "Antal svar", "int"),
            Column("value", "Andel" if stat == "share" else "Gennemsnit", kind),
            Column("change_prev", "Ændring siden forrige", change), Column("p_prev", "p-værdi", "p"))


def _chart(table: pd.DataFrame, *, title: str | None, source: str, rng) -> object:
    from survey_kit.charts.trend import trend_lines

    return trend_lines(table, title=title, source=source, value_range=rng, size="full")


def _is_total(r: pd.Series) -> bool:
    """The total row of a result table: its ``is_total`` flag (the row without a group code)."""
    return bool(r["is_total"]) if "is_total" in r and pd.notna(r["is_total"]) else pd.isna(r["group_code"])


def _same_group(t: pd.DataFrame, total: bool, code: object) -> pd.Series:
    """The rows of ``t`` for one group, found by its code (the total by ``is_total``), never by
    its label: a category may be called "I alt" too."""
    tot = t["is_total"].fillna(False).astype(bool) if "is_total" in t else t["group_code"].isna()
    if total:
        return tot
    return ~tot & t["group_code"].astype(object).eq(code).fillna(False).astype(bool)


def _long_table(ctx, stat, items, used, per_round, changes, firsts, by) -> pd.DataFrame:
    """One row per item (x group) and round: n, value, change since the previous and the first."""
    rows = []
    prot = {w: publish.rounded(ctx.get(tid), ctx) for w, tid in per_round.items()}
    ch = {ws: publish.rounded(ctx.get(tid), ctx) for ws, tid in changes.items()}
    fi = {ws: publish.rounded(ctx.get(tid), ctx) for ws, tid in firsts.items()}
    for code in items:
        ws = tuple(used[code])
        for w in ws:
            t = prot[w]
            t = t[t["item"] == code]
            for _, r in t.iterrows():
                total = _is_total(r)
                if by is not None and not total and pd.isna(r["group_code"]):
                    continue
                row = {"item": code, "item_label": r["item_label"], "group": r["group"], "group_code": r["group_code"],
                       "is_total": total,
                       "wave": ctx.wave_label(w), "wave_code": w, "stat": stat, "n": r["n"], "value": r["value"],
                       "change_prev": np.nan, "p_prev": np.nan, "change_first": np.nan, "p_first": np.nan,
                       "suppressed": bool(r["suppressed"])}
                c = ch.get(ws)
                if c is not None:
                    m = c[(c["item"] == code) & _same_group(c, total, r["group_code"]) & (c["wave_to_code"] == w)]
                    if len(m) and not bool(m["suppressed"].iloc[0]):
                        row.update(change_prev=m["change"].iloc[0], p_prev=m["p_val"].iloc[0])
                if len(ws) > 2 and w == ws[-1]:
                    f = fi.get(ws)
                    m = f[(f["item"] == code) & _same_group(f, total, r["group_code"])] if f is not None else f
                    if m is not None and len(m) and not bool(m["suppressed"].iloc[0]):
                        row.update(change_first=m["change"].iloc[0], p_first=m["p_val"].iloc[0])
                elif len(ws) == 2 and w == ws[-1]:
                    row.update(change_first=row["change_prev"], p_first=row["p_prev"])
                rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    for c in ("change_prev", "p_prev", "change_first", "p_first"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("Float64")
    out["n"] = pd.to_numeric(out["n"], errors="coerce").astype("Int64")
    return out


def _trend_rows(ctx, stat, items, used, trends, long, by) -> pd.DataFrame:
    """Per item (x group) with two or more rounds: the change from its first to its last round and
    its test, and the trend test over every round (three or more), where every round is published."""
    rows = []
    for code in items:
        ws = tuple(used[code])
        if len(ws) < 2 or long.empty:
            continue
        t = trends.get(ws)
        mine = long[long["item"] == code]
        for total, gcode, group in dict.fromkeys(zip(mine["is_total"], mine["group_code"].astype(object),
                                                     mine["group"], strict=True)):
            pts = mine[_same_group(mine, total, gcode)]
            last = pts.iloc[-1]
            if pts["suppressed"].any() or len(pts) != len(ws):
                continue  # a hidden round: no change or test over it
            row = {"item": code, "item_label": last["item_label"], "group": group,
                   "waves": ", ".join(ctx.wave_label(w) for w in ws), "change_first": last["change_first"],
                   "p_first": last["p_first"], "direction": "to målinger: ingen tendenstest", "p_val": np.nan,
                   "slope": np.nan, "test": "", "suppressed": False}
            r = t[(t["item"] == code) & _same_group(t, total, gcode)] if t is not None else None
            if r is not None and len(r) and not bool(r["suppressed"].iloc[0]):
                r = r.iloc[0]
                p = float(r["p_val"]) if pd.notna(r["p_val"]) else np.nan
                if np.isnan(p):
                    direction = "kan ikke beregnes"
                elif p >= 0.05:
                    direction = "ingen sikker tendens"
                else:
                    direction = "stigende" if r["slope"] > 0 else "faldende"
                row.update(direction=direction, p_val=p, slope=r["slope"], test=r["test"])
            rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    for c in ("change_first", "p_first", "p_val"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("Float64")
    return publish.rounded(out, ctx)


def trend_sentence(label: str, points: list[tuple[str, float]], change: float, stat: str = "share") -> str:
    """"Label er steget fra 55 % i 2008/09 over 63 % i 2010 til 75 % i 2012 (+20 procentpoint)."""
    fmt = fmt_pct if stat == "share" else (lambda v: fmt_num(v, 2))
    (w0, v0), (w1, v1) = points[0], points[-1]
    middle = "".join(f" over {fmt(v)} i {w}" for w, v in points[1:-1])
    direction = "steget" if v1 > v0 else "faldet"
    size = fmt_pp(change) if stat == "share" else f"{fmt_num(change, 2)} point"
    return f"{label} er {direction} fra {fmt(v0)} i {w0}{middle} til {fmt(v1)} i {w1} ({size})."


def _state_findings(ctx, stat, items, used, long) -> None:
    if long.empty:
        return
    for code in items:
        pts = long[(long["item"] == code) & stats.total_mask(long)]
        if len(pts) < 2 or pts["suppressed"].any():
            continue
        last = pts.iloc[-1]
        if pd.isna(last["p_first"]) or float(last["p_first"]) >= 0.05:
            continue
        ctx.finding(trend_sentence(last["item_label"], list(zip(pts["wave"], pts["value"].astype(float), strict=True)),
                                   float(last["change_first"]), stat), 2)
