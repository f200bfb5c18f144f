"""Report of the 2008 leader-development survey (instrument ``lederudvikling_2008``).

Reproduces the comparisons KL published: participation in leader networks, how participants rate
networks, the priority list of development offers, and breakdowns by sector, network type,
mandatory/voluntary participation and facilitation.
"""

from __future__ import annotations

from survey_kit import charts, stats
from survey_kit.fmt import fmt_int, fmt_pct
from survey_kit.report.builders._common import (
    FREQ_COLUMNS,
    MEAN_COLUMNS,
    comments_block,
    compare_table,
    method_blocks,
    provenance_blocks,
    response_blocks,
)
from survey_kit.report.content import Column, Figure, Findings, Heading, Paragraph, Report, Table
from survey_kit.report.findings import share_phrase, share_sentence
from survey_kit.survey import Survey

BREAKDOWNS = (
    ("sektor", "sektor"),
    ("net_type", "netværkstype"),
    ("net_deltagelse", "obligatorisk eller frivillig deltagelse"),
    ("net_facilitering", "facilitering"),
)
UDBYTTE = ("udb_netvaerk", "udb_uddannelse", "udb_kursus", "udb_coaching", "udb_sparring")


def headline_figures(survey: Survey, *, min_n: int = 5) -> dict[str, float]:
    """The four published headline figures, computed with survey_kit's own functions."""
    part = stats.compare(survey, ["net_deltaget"], min_n=min_n)
    good = stats.compare(survey, ["net_godt"], min_n=min_n)
    ranks = stats.rank_shares(survey, "prioritet", k=3, min_n=min_n)
    net = ranks.loc[ranks["code"] == 1].iloc[0]
    return {
        "n": float(survey.n),
        "share_network": float(part.loc[part["group"] == "I alt", "value"].iloc[0]),
        "share_good": float(good.loc[good["group"] == "I alt", "value"].iloc[0]),
        "network_first": float(net["share_first"]),
        "network_top3": float(net["share_top_k"]),
        "network_top_of_list": bool(
            net["share_top_k"] >= ranks["share_top_k"].max() and net["share_first"] >= ranks["share_first"].max()
        ),
    }


def _findings(survey: Survey, h: dict, means, min_n: int) -> list[str]:
    out = []
    out.append(
        share_sentence(h["share_network"], "ledere", "har deltaget i et ledernetværk inden for de seneste tre år")
    )
    freq = stats.frequencies(survey, ["net_deltaget"], min_n=min_n)
    many = freq.loc[freq["code"] == 1, "n"].iloc[0]
    once = freq.loc[freq["code"] == 2, "n"].iloc[0]
    if many > once:
        out[-1] = out[-1][:-1] + ", de fleste mere end én gang."
    out.append(
        f"{fmt_pct(h['share_good'])} af dem, der har prøvet et ledernetværk, vurderer det som en god "
        "måde at udvikle sig som leder på."
    )
    if h["network_top_of_list"]:
        out.append(
            "Ledernetværk topper listen, når lederne prioriterer de tilbud, der i højeste grad vil gøre "
            f"dem til bedre ledere: {fmt_pct(h['network_first'])} har det på førstepladsen."
        )
    top3 = share_phrase(h["network_top3"])
    if top3:
        out.append(
            f"{top3} af lederne ({fmt_pct(h['network_top3'])}) har deltagelse i ledernetværk blandt "
            "deres tre foretrukne udviklingsaktiviteter."
        )
    total = means[means["group"] == "I alt"].sort_values("value", ascending=False)
    if len(total) >= 2 and total.iloc[0]["item"] in ("udb_netvaerk", "udb_uddannelse"):
        a, b = total.iloc[0], total.iloc[1]
        pair = {a["item"], b["item"]}
        if pair == {"udb_netvaerk", "udb_uddannelse"}:
            overlap = a["ci_low"] <= b["ci_high"]
            if overlap:
                out.append(
                    "Ledernetværk og lederuddannelse vurderes som de mest udbytterige former for "
                    "lederudvikling, og de to ligger på niveau med hinanden."
                )
            else:
                out.append(f"{a['item_label']} vurderes som den mest udbytterige form for lederudvikling.")
    return out


def build(survey: Survey, *, min_n: int | None = None, **_: object) -> Report:
    """Build the leader-survey report."""
    cb = survey.codebook
    min_n = max(min_n or cb.min_n, cb.min_n)
    source = f"Kilde: {cb.title}, antal svar = {fmt_int(survey.n)}"
    rep = Report(title=cb.title, subtitle=f"{cb.source}. Antal besvarelser: {fmt_int(survey.n)}.")

    h = headline_figures(survey, min_n=min_n)
    means = stats.compare(survey, list(UDBYTTE), stat="mean", min_n=min_n)
    rep.add(Heading("Hovedresultater"), Findings(tuple(_findings(survey, h, means, min_n))))
    rep.add(*response_blocks(survey))

    # participation
    rep.add(Heading("Deltagelse i ledernetværk"))
    freq = stats.frequencies(survey, ["net_deltaget"], min_n=min_n)
    rep.add(Table("deltagelse", cb["net_deltaget"].text, freq, FREQ_COLUMNS))
    part = stats.compare(survey, ["net_deltaget"], by="sektor", min_n=min_n)
    rep.add(compare_table("deltagelse_sektor", "Andel, der har deltaget i et ledernetværk, fordelt på sektor", part))
    rep.add(Figure("deltagelse_sektor", charts.share_bars(part, title="Har deltaget i ledernetværk", source=source), part))

    # rating by breakdown
    rep.add(Heading("Vurdering af ledernetværk"))
    rep.add(Paragraph(f"{cb['net_godt'].text} Andel, der er helt eller overvejende enig, blandt dem, der har deltaget."))
    rating_freq = stats.frequencies(survey, ["net_godt"], min_n=min_n)
    rep.add(Figure("vurdering_fordeling", charts.likert_bars(rating_freq, title="Ledernetværk er en god måde at udvikle sig som leder på", source=source), rating_freq))
    for by, words in BREAKDOWNS:
        comp = stats.compare(survey, ["net_godt"], by=by, min_n=min_n)
        rep.add(compare_table(f"vurdering_{by}", f"Netværk er en god måde at udvikle sig, fordelt på {words}", comp))
        rep.add(Figure(f"vurdering_{by}", charts.share_bars(comp, title=f"Enig i, at netværk er en god måde at udvikle sig – {words}", source=source), comp, size="half"))

    # development forms
    rep.add(Heading("Udbytte af forskellige former for lederudvikling"))
    udb = stats.frequencies(survey, list(UDBYTTE), min_n=min_n)
    rep.add(Figure("udbytte", charts.likert_bars(udb, title="Udbytte af lederudvikling", source=source), udb))
    rep.add(Table("udbytte_gennemsnit", "Gennemsnitligt udbytte (1 = i meget lav grad, 5 = i meget høj grad)", means[means["group"] == "I alt"], MEAN_COLUMNS))

    # ranking
    rep.add(Heading("Prioritering af udviklingstilbud"))
    rep.add(Paragraph(cb["prioritet"].text))
    ranks = stats.rank_shares(survey, "prioritet", k=3, min_n=min_n).sort_values("share_top_k", ascending=False)
    rep.add(Figure("prioritering", charts.ranking_bars(ranks, title="Tilbud, der vil gøre lederne til bedre ledere", source=source), ranks))
    rep.add(
        Table(
            "prioritering",
            "Andel, der har tilbuddet på førstepladsen og blandt top tre",
            ranks,
            (
                Column("label", "Tilbud"),
                Column("n_first", "Antal på 1. plads", "int"),
                Column("share_first", "Andel på 1. plads", "pct"),
                Column("n_top_k", "Antal i top tre", "int"),
                Column("share_top_k", "Andel i top tre", "pct"),
                Column("top_k_ci_low", "95 %-KI, nedre", "pct"),
                Column("top_k_ci_high", "95 %-KI, øvre", "pct"),
            ),
        )
    )

    # purposes (multiple choice)
    purposes = cb["net_formaal"]
    cols = [c for c in purposes.columns if c in survey.data]
    if cols:
        purp = stats.compare(survey, cols, positive=[1], min_n=min_n)
        purp = purp[purp["group"] == "I alt"].copy()
        purp["item_label"] = [purposes.option_label(c) for c in purp["item"]]
        purp["group"] = purp["item_label"]
        rep.add(Heading("Netværkenes formål"))
        rep.add(compare_table("formaal", purposes.text, purp.sort_values("value", ascending=False)))

    rep.add(Heading("Kommentarer"))
    rep.add(comments_block(survey, "kommentar", by="sektor", min_n=min_n, title="Udvalgte kommentarer"))
    rep.add(*method_blocks(survey, min_n), *provenance_blocks(survey))
    return rep
