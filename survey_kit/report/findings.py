"""Key findings as plain Danish sentences, generated from the numbers.

A sentence is only made when the numbers support it: a share is called "ni ud af ti" only when it
rounds to 90 %, "næsten halvdelen" only between 40 % and 50 %, and a difference is only called a
difference when its test says so. Functions return ``None`` when nothing can be said honestly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey_kit.fmt import fmt_num, fmt_pct, fmt_pp

_TENTHS = {
    1: "En ud af ti",
    2: "To ud af ti",
    3: "Tre ud af ti",
    4: "Fire ud af ti",
    5: "Halvdelen",
    6: "Seks ud af ti",
    7: "Syv ud af ti",
    8: "Otte ud af ti",
    9: "Ni ud af ti",
}


def share_phrase(share: float) -> str | None:
    """Words for a proportion, or None when no plain phrase fits it.

    >>> share_phrase(0.902), share_phrase(0.47), share_phrase(0.62)
    ('Ni ud af ti', 'Næsten halvdelen', 'Seks ud af ti')
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return None
    if 0.40 <= share < 0.485:
        return "Næsten halvdelen"
    if 0.485 <= share <= 0.515:
        return "Halvdelen"
    if 0.515 < share < 0.55:
        return "Lidt over halvdelen"
    tenth = round(share * 10)
    if 1 <= tenth <= 9 and abs(share - tenth / 10) <= 0.025:
        return _TENTHS[tenth]
    if share >= 0.95:
        return "Næsten alle"
    return None


def share_sentence(share: float, who: str, predicate: str, *, decimals: int = 0) -> str | None:
    """``"Ni ud af ti ledere (90 %) har deltaget i et ledernetværk ..."``.

    ``who`` is the plural noun ("ledere"), ``predicate`` the rest of the sentence.
    """
    phrase = share_phrase(share)
    pct = fmt_pct(share, decimals)
    if phrase is None:
        return f"{pct} af {who} {predicate}."
    if phrase in ("Næsten halvdelen", "Halvdelen", "Lidt over halvdelen", "Næsten alle"):
        return f"{phrase} af {who} ({pct}) {predicate}."
    return f"{phrase} {who} ({pct}) {predicate}."


def change_sentence(label: str, value_from: float, value_to: float, significant: bool, *,
                    wave_from: str, wave_to: str, stat: str = "share") -> str:
    """A change between two waves, called a change only when it is significant."""
    fmt = fmt_pct if stat == "share" else (lambda v: f"{v:.2f}".replace(".", ","))
    if not significant:
        return (f"{label}: {fmt(value_to)} i {wave_to} mod {fmt(value_from)} i {wave_from}; "
                "forskellen er ikke statistisk sikker.")
    direction = "steget" if value_to > value_from else "faldet"
    diff = abs(float(value_to) - float(value_from))
    by = fmt_pp(diff).lstrip("+") if stat == "share" else f"{fmt_num(diff, 2)} point"
    return (f"{label} er {direction} {by} fra {fmt(value_from)} i {wave_from} "
            f"til {fmt(value_to)} i {wave_to}.")


def changes_sentence(waves, *, wave_from: str, wave_to: str, stat: str = "share") -> str | None:
    """The significant changes of a published ``compare_waves`` table in one or two sentences:
    each named when there are at most two, else how many rose or fell, with the largest change."""
    w = waves[~waves["suppressed"].fillna(False).astype(bool) & waves["value_to"].notna()
              & waves["significant"].fillna(False).astype(bool)]
    if w.empty:
        return None
    if len(w) <= 2:
        return " ".join(change_sentence(r["item_label"], r["value_from"], r["value_to"], True,
                                        wave_from=wave_from, wave_to=wave_to, stat=stat)
                        for _, r in w.iterrows())
    up = w[w["value_to"] > w["value_from"]]
    down = w[w["value_to"] < w["value_from"]]
    what = "spørgsmål" if stat == "share" else "indeks"
    parts = []
    for part, verb in ((up, "steget"), (down, "faldet")):
        if part.empty:
            continue
        big = part.loc[(part["value_to"] - part["value_from"]).abs().idxmax()]
        many = f"Alle {len(part)} {what}" if len(part) == len(waves) else f"{len(part)} af {len(waves)} {what}"
        fmt = fmt_pct if stat == "share" else (lambda v: fmt_num(v, 2))
        diff = float(big["value_to"]) - float(big["value_from"])
        by = fmt_pp(diff) if stat == "share" else f"{'+' if diff > 0 else '−'}{fmt_num(abs(diff), 2)} point"
        parts.append(f"{many} er {verb} statistisk sikkert fra {wave_from} til {wave_to}, mest "
                     f"'{big['item_label']}': fra {fmt(big['value_from'])} til {fmt(big['value_to'])} ({by}).")
    return " ".join(parts)


# -- findings for any survey: gathered while the sections compose, stated by the findings section --
@dataclass(frozen=True)
class GroupDifference:
    """The test across the published groups of one item of a breakdown, with its extremes."""

    item_label: str
    by_label: str
    stat: str
    p: float
    high: str
    high_value: float
    low: str
    low_value: float


@dataclass(frozen=True)
class ItemLevels:
    """The totals of the items of one published table, to name the highest and the lowest."""

    what: str  # "share" (positive answers), "mean", "index", "option" (multiple choice)
    question: str  # the question (multiple choice) or the section's heading
    rows: tuple[tuple[str, float, float, float], ...]  # (label, value, ci_low, ci_high)


def _fmt_value(value: float, stat: str) -> str:
    return fmt_pct(value) if stat == "share" else fmt_num(value, 2)


def note_group_differences(ctx, comp, by_label: str) -> None:
    """Remember, per item of a published breakdown (``compare`` rounded, hidden groups marked),
    the test across the groups and its highest and lowest *published* group. Nothing is noted for
    an item with fewer than two published groups or without a test."""
    if comp.empty or "p_val" not in comp:
        return
    for _, part in comp.groupby("item", sort=False):
        groups = part[part["group_code"].notna() & ~part["suppressed"].fillna(False).astype(bool)]
        groups = groups[pd.to_numeric(groups["n"], errors="coerce").gt(0).fillna(False).to_numpy()
                        & groups["value"].notna().to_numpy()]
        p = pd.to_numeric(part["p_val"], errors="coerce").dropna()
        if len(groups) < 2 or p.empty:
            continue
        values = pd.to_numeric(groups["value"], errors="coerce")
        hi, lo = groups.loc[values.idxmax()], groups.loc[values.idxmin()]
        if hi["value"] == lo["value"]:
            continue
        ctx.candidates.append(GroupDifference(str(part["item_label"].iloc[0]), by_label,
                                              str(part["stat"].iloc[0]), float(p.iloc[0]),
                                              str(hi["group"]), float(hi["value"]),
                                              str(lo["group"]), float(lo["value"])))


def note_levels(ctx, table, *, what: str, question: str = "", label_column: str = "item_label") -> None:
    """Remember the published totals of several items (or options) of one table."""
    t = table
    if "group_code" in t and label_column != "group":
        t = t[t["group_code"].isna()]
    t = t[~t["suppressed"].fillna(False).astype(bool)] if "suppressed" in t else t
    t = t[t["value"].notna()]
    if len(t) < 2 or not {"ci_low", "ci_high"} <= set(t.columns):
        return
    rows = tuple((str(r[label_column]), float(r["value"]), float(r["ci_low"]), float(r["ci_high"]))
                 for _, r in t.iterrows() if pd.notna(r["ci_low"]) and pd.notna(r["ci_high"]))
    if len(rows) >= 2:
        ctx.candidates.append(ItemLevels(what, question, rows))


def group_difference_sentences(diffs: list[GroupDifference], *, limit: int = 3) -> list[str]:
    """The clearest group differences after Benjamini-Hochberg adjustment over every test of the
    report (q < 0.05), smallest q first, one per question."""
    if not diffs:
        return []
    from scipy.stats import false_discovery_control

    q = false_discovery_control(np.clip([d.p for d in diffs], 0.0, 1.0), method="bh")
    order = sorted((i for i in range(len(diffs)) if q[i] < 0.05),
                   key=lambda i: (q[i], -abs(diffs[i].high_value - diffs[i].low_value)))
    out, seen = [], set()
    for i in order:
        d = diffs[i]
        if d.item_label in seen:
            continue
        seen.add(d.item_label)
        hi, lo = _fmt_value(d.high_value, d.stat), _fmt_value(d.low_value, d.stat)
        out.append(f"'{d.item_label}' er forskellig fordelt på {d.by_label.lower()}: højest for "
                   f"{d.high} ({hi}) og lavest for {d.low} ({lo}).")
        if len(out) >= limit:
            break
    return out


def level_sentence(levels: ItemLevels) -> str | None:
    """The highest and the lowest item of a table, when their 95 % intervals do not overlap."""
    rows = sorted(levels.rows, key=lambda r: r[1], reverse=True)
    if levels.what == "mode":  # the most common answer, when it is clearly ahead of the next
        top, second = rows[0], rows[1]
        if top[2] <= second[3]:
            return None
        return f"Det hyppigste svar på '{levels.question}' er '{top[0]}' ({fmt_pct(top[1])})."
    top, bottom = rows[0], rows[-1]
    if top[2] <= bottom[3]:  # the intervals overlap: the data do not tell them apart
        return None
    stat = "mean" if levels.what in ("mean", "index") else "share"
    a, b = _fmt_value(top[1], stat), _fmt_value(bottom[1], stat)
    if levels.what == "option":
        return f"{levels.question}: flest har valgt '{top[0]}' ({a}), færrest '{bottom[0]}' ({b})."
    if levels.what == "index":
        return f"Det højeste indeks er {top[0].lower()} ({a}), det laveste {bottom[0].lower()} ({b})."
    if levels.what == "mean":
        return f"{levels.question}: højest ligger '{top[0]}' ({a}), lavest '{bottom[0]}' ({b})."
    return f"{levels.question}: den højeste andel har '{top[0]}' ({a}), den laveste '{bottom[0]}' ({b})."


def state_generic(ctx) -> None:
    """State what every report can say from its published, tested tables: the clearest group
    differences (adjusted for multiple testing) and the highest and lowest items."""
    diffs = [c for c in ctx.candidates if isinstance(c, GroupDifference)]
    for sentence in group_difference_sentences(diffs):
        ctx.finding(sentence, 4)
    modes = 0
    for c in ctx.candidates:
        if isinstance(c, ItemLevels) and c.what != "mode":
            ctx.finding(level_sentence(c), 5)
    for c in ctx.candidates:  # at most three "most common answer" sentences
        if isinstance(c, ItemLevels) and c.what == "mode" and modes < 3:
            sentence = level_sentence(c)
            modes += sentence is not None
            ctx.finding(sentence, 7)


# -- named findings functions a report spec can refer to (``findings: [name]``) -----------------
# Each takes the section context while the run computes, registers the tables it needs with the
# run's protector, and returns a function that states its sentences (``ctx.finding``) from the
# protected tables once the run is protected.
def _total(table):
    from survey_kit.stats import total_mask

    row = table[total_mask(table).to_numpy()]
    if row.empty or bool(row["suppressed"].iloc[0]):
        return None
    return row.iloc[0]


def leader_headlines(ctx):
    """KL's four published headlines of the 2008 leader survey, stated when the numbers hold."""
    from survey_kit import stats
    from survey_kit.report import publish

    now = ctx.now
    kw = ctx.stats_kw()
    part = publish.compare(ctx, now, ["net_deltaget"])
    good = publish.compare(ctx, now, ["net_godt"])
    freq = ctx.register(stats.frequencies(now, ["net_deltaget"], **kw), "frequencies", ("share",))
    ranks = ctx.register(stats.rank_shares(now, "prioritet", k=3, **kw), "rank", ("share_first", "share_top_k"))
    means = publish.compare(ctx, now, ["udb_netvaerk", "udb_uddannelse", "udb_kursus", "udb_coaching",
                                       "udb_sparring"], stat="mean")

    def state(ctx) -> None:
        p = _total(publish.retested(ctx, part))
        if p is not None:
            sentence = share_sentence(p["value"], ctx.spec.noun, "har deltaget i et ledernetværk inden for de seneste tre år")
            f = ctx.get(freq)
            many = f.loc[f["code"] == 1, "n"]
            once = f.loc[f["code"] == 2, "n"]
            if len(many) and len(once) and many.iloc[0] > once.iloc[0]:
                sentence = sentence[:-1] + ", de fleste mere end én gang."
            ctx.finding(sentence, 1)
        g = _total(publish.retested(ctx, good))
        if g is not None:
            ctx.finding(f"{fmt_pct(g['value'])} af dem, der har prøvet et ledernetværk, vurderer det som en god "
                        "måde at udvikle sig som leder på.", 1)
        r = publish.rounded(ctx.get(ranks), ctx)
        net = r[r["code"] == 1]
        if len(net) and not bool(net["suppressed"].iloc[0]):
            net = net.iloc[0]
            if net["share_top_k"] >= r["share_top_k"].max() and net["share_first"] >= r["share_first"].max():
                ctx.finding("Ledernetværk topper listen, når lederne prioriterer de tilbud, der i højeste grad vil "
                            f"gøre dem til bedre ledere: {fmt_pct(net['share_first'])} har det på førstepladsen.", 1)
            top3 = share_phrase(net["share_top_k"])
            if top3:
                ctx.finding(f"{top3} af lederne ({fmt_pct(net['share_top_k'])}) har deltagelse i ledernetværk "
                            "blandt deres tre foretrukne udviklingsaktiviteter.", 1)
        m = publish.retested(ctx, means)
        total = m[stats.total_mask(m) & ~m["suppressed"].astype(bool)].sort_values("value", ascending=False)
        if len(total) >= 2 and {total.iloc[0]["item"], total.iloc[1]["item"]} == {"udb_netvaerk", "udb_uddannelse"}:
            a, b = total.iloc[0], total.iloc[1]
            if a["ci_low"] <= b["ci_high"]:
                ctx.finding("Ledernetværk og lederuddannelse vurderes som de mest udbytterige former for "
                            "lederudvikling, og de to ligger på niveau med hinanden.", 1)
            else:
                ctx.finding(f"{a['item_label']} vurderes som den mest udbytterige form for lederudvikling.", 1)

    return state


def units_without_plan(ctx):
    """How many units (with at least min_n answers) do not yet have a plan (temperaturmåling)."""
    from survey_kit import stats
    from survey_kit.report import publish
    from survey_kit.report.levels import next_level

    level = next_level(ctx.cb, ctx.scope)
    if level is None or "st_plan" not in ctx.cb:
        return lambda ctx: None
    finest = ctx.cb.hierarchy[-1]
    tid = publish.compare(ctx, ctx.now, ["st_plan"], by=finest)

    def state(ctx) -> None:
        units = publish.retested(ctx, tid)
        units = units[~stats.total_mask(units) & ~units["suppressed"].astype(bool) & (units["n"] > 0)]
        if len(units):
            no_plan = int((units["value"] < 0.5).sum())
            if no_plan == 0:
                ctx.finding(f"Alle {len(units)} enheder med mindst {ctx.min_n} svar har en plan for det videre "
                            "arbejde ifølge flertallet af deres ledere og medarbejdere.", 3)
                return
            ctx.finding(f"{no_plan} af {len(units)} enheder med mindst {ctx.min_n} svar har endnu ikke en plan "
                        "for det videre arbejde ifølge flertallet af deres ledere og medarbejdere.", 3)

    return state


FINDINGS = {
    "leader_headlines": leader_headlines,
    "units_without_plan": units_without_plan,
}
