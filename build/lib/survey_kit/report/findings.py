"""Key findings as plain Danish sentences, generated from the numbers.

A sentence is only made when the numbers support it: a share is called "ni ud af ti" only when it
rounds to 90 %, "næsten halvdelen" only between 40 % and 50 %, and a difference is only called a
difference when its test says so. Functions return ``None`` when nothing can be said honestly.
"""

from __future__ import annotations

import math

from survey_kit.fmt import fmt_pct

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
    return f"{label} er {direction} fra {fmt(value_from)} i {wave_from} til {fmt(value_to)} i {wave_to}."


# -- named findings functions a report spec can refer to (``findings: [name]``) -----------------
# Each takes the section context while the run computes, registers the tables it needs with the
# run's protector, and returns a function that states its sentences (``ctx.finding``) from the
# protected tables once the run is protected.
def _total(table):
    row = table[table["group"] == "I alt"]
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
        total = m[(m["group"] == "I alt") & ~m["suppressed"].astype(bool)].sort_values("value", ascending=False)
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
    from survey_kit.report import publish
    from survey_kit.report.engine import next_level

    level = next_level(ctx.cb, ctx.scope)
    if level is None or "st_plan" not in ctx.cb:
        return lambda ctx: None
    finest = ctx.cb.hierarchy[-1]
    tid = publish.compare(ctx, ctx.now, ["st_plan"], by=finest)

    def state(ctx) -> None:
        units = publish.retested(ctx, tid)
        units = units[(units["group"] != "I alt") & ~units["suppressed"].astype(bool) & (units["n"] > 0)]
        if len(units):
            no_plan = int((units["value"] < 0.5).sum())
            ctx.finding(f"{no_plan} af {len(units)} enheder med mindst {ctx.min_n} svar har endnu ikke en plan "
                        "for det videre arbejde ifølge flertallet af deres ledere og medarbejdere.", 3)

    return state


FINDINGS = {
    "leader_headlines": leader_headlines,
    "units_without_plan": units_without_plan,
}
