"""Report of the temperaturmåling of Den Lærende Organisation (instrument ``temperaturmaaling``).

One report for the whole municipality, or one per area (``area=``): the latest wave against the
previous one, status items (step 1 and 2), the learning-organisation characteristics as indices,
units against their area and the municipality.
"""

from __future__ import annotations

import pandas as pd

from survey_kit import charts, stats
from survey_kit.fmt import fmt_int
from survey_kit.report.builders._common import (
    comments_block,
    method_blocks,
    present,
    provenance_blocks,
    response_blocks,
)
from survey_kit.report.content import Column, Figure, Findings, Heading, Paragraph, Report, Table
from survey_kit.report.findings import change_sentence
from survey_kit.survey import Survey

STATUS = ("st_praesenteret", "st_ideer", "st_plan", "st_videndeler", "st_kerneviden")

WAVE_COLUMNS = (
    Column("item_label", "Spørgsmål"),
    Column("n_from", "Antal svar, før", "int"),
    Column("value_from", "Før", "pct"),
    Column("n_to", "Antal svar, nu", "int"),
    Column("value_to", "Nu", "pct"),
    Column("change", "Ændring", "pct"),
    Column("p_val", "p-værdi", "p"),
)


def _wave_code(survey: Survey, wave: str | int | None) -> tuple[int, int | None]:
    w = survey.codebook.wave
    waves_present = sorted(int(x) for x in survey.data[w.column].dropna().unique())
    if wave is None:
        current = waves_present[-1]
    else:
        by_label = {v: k for k, v in w.labels.items()}
        current = int(by_label.get(str(wave), wave))
        if current not in waves_present:
            raise ValueError(f"wave: {wave!r} is not in the data (waves present: {waves_present})")
    earlier = [p for p in waves_present if p < current]
    return current, (earlier[-1] if earlier else None)


def build(survey: Survey, *, min_n: int | None = None, wave: str | int | None = None,
          area: int | None = None, **_: object) -> Report:
    """Build the temperaturmåling report for the municipality or for one area."""
    cb = survey.codebook
    min_n = max(min_n or cb.min_n, cb.min_n)
    wcol = cb.wave.column
    current, previous = _wave_code(survey, wave)
    wl = cb.wave.labels
    data = stats.with_scale_scores(survey)
    scale_codes = [s.code for s in cb.scales]
    area_label = cb["omraade"].values.get(area) if area is not None else None
    scope = area_label or "Hele kommunen"
    scoped = data if area is None else data[data["omraade"] == area]
    now = scoped[scoped[wcol] == current]
    n_now = len(now)
    source = f"Kilde: Temperaturmåling {wl[current]}, {scope}, antal svar = {fmt_int(n_now)}"

    rep = Report(
        title=f"Temperaturmåling {wl[current]}: {scope}",
        subtitle=f"{cb.title}. {cb.source}. Antal besvarelser i {wl[current]}: {fmt_int(n_now)}.",
    )
    sub = Survey(data=scoped, codebook=cb, manifest=survey.manifest)

    # waves: status items and indices
    findings: list[str] = []
    if previous is not None:
        pair = scoped[scoped[wcol].isin([previous, current])]
        st_w = stats.compare_waves(pair, list(STATUS), wave=wcol, codebook=cb, min_n=min_n)
        idx_w = stats.compare_waves(pair, scale_codes, wave=wcol, stat="mean", codebook=cb, min_n=min_n)
        for _, r in pd.concat([st_w, idx_w]).iterrows():
            if r["suppressed"] or pd.isna(r["value_to"]):
                continue
            if r["significant"]:
                findings.append(change_sentence(
                    r["item_label"], r["value_from"], r["value_to"], True,
                    wave_from=wl[previous], wave_to=wl[current], stat=r["stat"],
                ))
        flat = idx_w[(~idx_w["significant"].fillna(False).astype(bool)) & (~idx_w["suppressed"])]
        if len(flat):
            findings.append(
                "Ingen statistisk sikker ændring i: " + ", ".join(flat["item_label"]) + "."
            )
    else:
        st_w = idx_w = None

    # units without a plan
    plan = stats.compare(
        now, ["st_plan"], by="enhed", codebook=cb, min_n=min_n
    )
    units = present(plan)
    units = units[(units["group"] != "I alt") & (~units["suppressed"])]
    no_plan = units[units["value"] < 0.5]
    if len(units):
        findings.append(
            f"{len(no_plan)} af {len(units)} enheder med mindst {min_n} svar har endnu ikke en plan "
            "for det videre arbejde ifølge flertallet af deres ledere og medarbejdere."
        )
    rep.add(Heading("Hovedresultater"), Findings(tuple(findings)))
    units_asked = list(cb["enhed"].values) if area is None else [
        u for u, a in cb["enhed"].parent.items() if a == area
    ]
    population = sum(cb.population.get("enhed", {}).get(int(u), 0) for u in units_asked) or None
    rep.add(*response_blocks(
        Survey(data=now, codebook=cb, manifest=survey.manifest),
        whole_file=False, population=population,
    ))

    rep.add(Heading("Status på arbejdet med Den Lærende Organisation"))
    status_now = stats.compare(now, list(STATUS), codebook=cb, min_n=min_n)
    status_now = status_now[status_now["group"] == "I alt"]
    rep.add(Table("status", f"Andel, der svarer ja ({wl[current]})", status_now,
                  (Column("item_label", "Spørgsmål"), Column("n", "Antal svar", "int"),
                   Column("value", "Andel ja", "pct"), Column("ci_low", "95 %-KI, nedre", "pct"),
                   Column("ci_high", "95 %-KI, øvre", "pct"))))
    if st_w is not None:
        rep.add(Table("status_udvikling", f"Udvikling fra {wl[previous]} til {wl[current]}", st_w, WAVE_COLUMNS))
        rep.add(Figure("status_udvikling", charts.wave_dumbbell(st_w, title="Andel ja: før og nu", source=source), st_w))

    rep.add(Heading("Den lærende organisations kendetegn"))
    rep.add(Paragraph(
        "Indeks pr. kendetegn: gennemsnittet af kendetegnets udsagn (1 = helt uenig, 5 = helt enig), "
        "efter vending af negativt formulerede udsagn."
    ))
    if idx_w is not None:
        cols = tuple(c if c.kind != "pct" else Column(c.name, c.header, "num") for c in WAVE_COLUMNS)
        rep.add(Table("kendetegn_udvikling", f"Indeks pr. kendetegn, {wl[previous]} og {wl[current]}", idx_w, cols))
        rep.add(Figure("kendetegn_udvikling", charts.wave_dumbbell(idx_w, title="Indeks pr. kendetegn: før og nu", source=source), idx_w))
    likert_items = [it.code for it in cb.items if it.type == "likert"]
    freq = stats.frequencies(now, likert_items, codebook=cb, min_n=min_n)
    rep.add(Figure("udsagn", charts.likert_bars(freq, title=f"Svar på udsagnene, {wl[current]}", source=source), freq))

    # units against area and municipality
    by = "omraade" if area is None else "enhed"
    level = "fagområde" if area is None else "enhed"
    by_group = present(stats.compare(now, scale_codes, by=by, stat="mean", codebook=cb, min_n=min_n))
    rep.add(Heading(f"Kendetegn pr. {level}"))
    rep.add(Figure(f"heatmap_{by}", charts.heatmap(by_group, title=f"Indeks pr. {level} og kendetegn, {wl[current]}", source=source), by_group))
    if area is not None:
        muni = data[data[wcol] == current]
        total = stats.compare(muni, scale_codes, stat="mean", codebook=cb, min_n=min_n)
        total = total.assign(group="Hele kommunen")
        area_row = by_group[by_group["group"] == "I alt"].assign(group=scope)
        bench = pd.concat([by_group[by_group["group"] != "I alt"], area_row, total], ignore_index=True)
        rep.add(Table("enheder_mod_omraade", "Enhederne sammenlignet med fagområdet og hele kommunen", bench,
                      (Column("item_label", "Kendetegn"), Column("group", "Enhed"),
                       Column("n", "Antal svar", "int"), Column("value", "Indeks", "num"),
                       Column("vs_total", "Forskel fra fagområdet", "flag"))))
    else:
        rep.add(Table("omraader", "Indeks pr. fagområde og kendetegn", by_group,
                      (Column("item_label", "Kendetegn"), Column("group", "Fagområde"),
                       Column("n", "Antal svar", "int"), Column("value", "Indeks", "num"),
                       Column("vs_total", "Forskel fra kommunen", "flag"))))

    rep.add(Heading("Kommentarer"))
    rep.add(comments_block(Survey(data=now, codebook=cb), "kommentar", by="enhed", min_n=min_n, title="Udvalgte kommentarer"))
    rep.add(*method_blocks(sub, min_n), *provenance_blocks(survey))
    return rep
