"""Report of the one-year network evaluation (instrument ``netvaerksevaluering``): a pre/post panel
linked by a pseudonymous key; paired comparisons and attrition."""

from __future__ import annotations

import pandas as pd

from survey_kit import charts, stats
from survey_kit.fmt import fmt_int
from survey_kit.report.builders._common import (
    comments_block,
    method_blocks,
    provenance_blocks,
    response_blocks,
)
from survey_kit.report.content import Column, Figure, Findings, Heading, Paragraph, Report, Table
from survey_kit.report.findings import change_sentence
from survey_kit.survey import Survey

PAIRED_COLUMNS = (
    Column("item_label", "Spørgsmål"),
    Column("group", "Gruppe"),
    Column("n_to", "Antal ledere med begge målinger", "int"),
    Column("value_from", "Før", "num"),
    Column("value_to", "Efter et år", "num"),
    Column("change", "Ændring", "num"),
    Column("ci_low", "95 %-KI, nedre", "num"),
    Column("ci_high", "95 %-KI, øvre", "num"),
    Column("p_val", "p-værdi", "p"),
    Column("test", "Test", "method"),
)


def build(survey: Survey, *, min_n: int | None = None, **_: object) -> Report:
    """Build the pre/post network-evaluation report."""
    cb = survey.codebook
    min_n = max(min_n or cb.min_n, cb.min_n)
    wcol, key = cb.wave.column, cb.panel_key.column
    wl = cb.wave.labels
    data = stats.with_scale_scores(survey)
    scales = [s.code for s in cb.scales]
    n_leaders = data[key].nunique()
    source = f"Kilde: {cb.title}, {fmt_int(n_leaders)} ledere"
    rep = Report(title=cb.title, subtitle=f"{cb.source}. {fmt_int(n_leaders)} ledere i {cb['netvaerk'].values.__len__()} netværk.")

    scale_w = stats.compare_waves(data, scales, wave=wcol, paired_on=key, stat="mean", codebook=cb, min_n=min_n)
    home_w = stats.compare_waves(
        data, scales, wave=wcol, paired_on=key, by="hjemmenetvaerk", stat="mean", codebook=cb, min_n=min_n
    )
    spar = stats.compare_waves(data, ["sparring_kollega"], wave=wcol, paired_on=key, codebook=cb, min_n=min_n)

    findings = []
    for _, r in pd.concat([scale_w, spar]).iterrows():
        if r["suppressed"] or pd.isna(r["value_to"]):
            continue
        findings.append(change_sentence(r["item_label"], r["value_from"], r["value_to"], bool(r["significant"]),
                                        wave_from="førmålingen", wave_to="eftermålingen", stat=r["stat"]))
    home = home_w[(home_w["group"] != "I alt") & home_w["significant"].fillna(False).astype(bool) & (home_w["change"] > 0)]
    for _, r in home.iterrows():
        if r["group_code"] == 1:
            findings.append(f"Ledere i hjemmenetværk (samme fag og niveau) har forbedret sig på {r['item_label'].lower()}.")
    rep.add(Heading("Hovedresultater"), Findings(tuple(findings)))
    rep.add(*response_blocks(survey))

    att = stats.attrition(data, wave=wcol, paired_on=key, codebook=cb, min_n=min_n)
    rep.add(Heading("Frafald mellem målingerne"))
    rep.add(Paragraph("Sammenligningerne er parrede: kun ledere, der har svaret både før og efter, indgår i ændringerne."))
    att_cols = (
        Column("pattern", "Målinger besvaret"),
        Column("n", "Antal ledere", "int"),
        Column("share", "Andel", "pct"),
    )
    rep.add(Table("frafald", "Ledere fordelt på, hvilke målinger de har svaret på", att, att_cols))

    rep.add(Heading("Før og efter et år i netværk"))
    rep.add(Figure("foer_efter", charts.prepost(scale_w, title="Indeks før og efter et år i netværk", source=source), scale_w))
    rep.add(Table("foer_efter", "Parret sammenligning af indeks (1-5)", scale_w, PAIRED_COLUMNS))
    rep.add(Figure("hjemmenetvaerk", charts.wave_dumbbell(home_w, title="Ændring fordelt på hjemmenetværk", source=source), home_w))
    rep.add(Table("hjemmenetvaerk", "Parret sammenligning fordelt på hjemmenetværk", home_w, PAIRED_COLUMNS))
    spar_cols = tuple(c if c.kind != "num" else Column(c.name, c.header, "pct") for c in PAIRED_COLUMNS)
    rep.add(Table("sparring", "Sparring med lederkollega: andel ja før og efter", spar, spar_cols))

    items = [it.code for it in cb.items if it.type == "likert"]
    freq = stats.frequencies(data, items, by=wcol, codebook=cb, min_n=min_n)
    rep.add(Figure("udsagn", charts.likert_bars(freq, title="Svar på udsagnene før og efter", source=source), freq))

    rep.add(Heading("Kommentarer"))
    after = Survey(data=data[data[wcol] == max(wl)], codebook=cb)
    rep.add(comments_block(after, "kommentar", by="netvaerk", min_n=min_n, title="Hvad netværket har betydet"))
    rep.add(*method_blocks(survey, min_n), *provenance_blocks(survey))
    return rep
