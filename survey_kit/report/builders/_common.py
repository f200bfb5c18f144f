"""Pieces every report builder uses: standard tables, the method note and the provenance."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from survey_kit.fmt import fmt_int
from survey_kit.report.content import Column, Comments, Heading, Paragraph, Table
from survey_kit.survey import COMPLETE, Survey

COMPARE_COLUMNS = (
    Column("group", "Gruppe"),
    Column("n", "Antal svar", "int"),
    Column("value", "Andel", "pct"),
    Column("ci_low", "95 %-KI, nedre", "pct"),
    Column("ci_high", "95 %-KI, øvre", "pct"),
)
MEAN_COLUMNS = (
    Column("item_label", "Spørgsmål"),
    Column("group", "Gruppe"),
    Column("n", "Antal svar", "int"),
    Column("value", "Gennemsnit", "num"),
    Column("ci_low", "95 %-KI, nedre", "num"),
    Column("ci_high", "95 %-KI, øvre", "num"),
)
FREQ_COLUMNS = (
    Column("label", "Svar"),
    Column("n", "Antal svar", "int"),
    Column("share", "Andel", "pct"),
    Column("ci_low", "95 %-KI, nedre", "pct"),
    Column("ci_high", "95 %-KI, øvre", "pct"),
)


def present(table: pd.DataFrame) -> pd.DataFrame:
    """Drop groups nobody in the data belongs to (n == 0); suppressed rows stay (marked)."""
    n = pd.to_numeric(table["n"], errors="coerce")
    keep = table["suppressed"].fillna(False).astype(bool) | (n > 0) | (table["group"] == "I alt")
    return table[keep.to_numpy()].reset_index(drop=True)


def test_note(comp: pd.DataFrame) -> str:
    """One sentence on the test across groups of a compare table (first item)."""
    if comp.empty or comp["test"].isna().all():
        return ""
    tested = comp[comp["test"].fillna("").astype(str) != ""]
    if tested.empty:
        return ""
    row = tested.iloc[0]
    from survey_kit.fmt import fmt_num, fmt_p, method_name

    effect = ""
    if pd.notna(row.get("effect")):
        effect = f", {method_name(row['effect_name'])} = {fmt_num(row['effect'], 2)}"
    return f"Test på tværs af grupperne: {method_name(row['test'])}, {fmt_p(row['p_val'])}{effect}."


def compare_table(name: str, title: str, comp: pd.DataFrame, *, stat: str = "share") -> Table:
    cols = COMPARE_COLUMNS if stat == "share" else MEAN_COLUMNS
    return Table(name=name, title=title, data=comp.reset_index(drop=True), columns=cols, note=test_note(comp))


def response_blocks(survey: Survey, *, whole_file: bool = True, population: int | None = None) -> list:
    """Datagrundlag: answers kept, partial completes, not answered, quarantined.

    ``whole_file=False`` (a report on part of the file, e.g. one area) leaves out the file's own
    counts; ``population`` (the number of employees asked, for a census) gives the response rate.
    """
    m = (survey.manifest or {}) if whole_file else {}
    n = survey.n
    partial = int((~survey.data[COMPLETE].astype(bool)).sum()) if COMPLETE in survey.data else 0
    rows: list[tuple[str, object, object]] = [
        ("Besvarelser i analysen", n, pd.NA),
        ("heraf delvist besvarede", partial, pd.NA),
    ]
    if m:
        for key, label in (
            ("rows_read", "Rækker i eksportfilen"),
            ("rows_not_answered", "Inviterede, der ikke har svaret"),
            ("rows_quarantined", "Rækker sat i karantæne (ugyldige eller ikke besvaret)"),
        ):
            if key in m:
                rows.append((label, int(m[key]), pd.NA))
        invited = m.get("rows_read")
        if invited:
            answered = invited - m.get("rows_not_answered", 0)
            rows.append(("Svarprocent (besvarede af inviterede)", pd.NA, answered / invited))
    if population:
        rows.append(("Antal ansatte i enhederne", population, pd.NA))
        rows.append(("Svarprocent (svar i forhold til antal ansatte)", pd.NA, min(1.0, n / population)))
    frame = pd.DataFrame(rows, columns=["label", "n", "share"]).astype({"n": "Int64", "share": "Float64"})
    table = Table(
        name="datagrundlag",
        title="Besvarelser og svarprocent",
        data=frame,
        columns=(Column("label", ""), Column("n", "Antal", "int"), Column("share", "Andel", "pct")),
    )
    return [Heading("Datagrundlag"), table]


def method_blocks(survey: Survey, min_n: int) -> list:
    return [
        Heading("Metode"),
        Paragraph(
            "Andele er beregnet blandt dem, der har svaret; 'Ved ikke' og tilsvarende svar indgår "
            "ikke i grundlaget for andelene, men tælles for sig. Usikkerheden er vist som 95 %-"
            "konfidensintervaller (Wilson score-interval for andele, t-interval for gennemsnit). "
            "Forskelle mellem grupper er testet med chi-i-anden-test (andele) eller Welch's t-test/"
            "ANOVA (gennemsnit), og p-værdier er justeret for mange test med Benjamini-Hochbergs "
            "metode. En forskel kaldes kun en forskel, når testen er statistisk signifikant (5 %)."
        ),
        Paragraph(
            f"Anonymitet: resultater for grupper med færre end {min_n} besvarelser vises ikke, og "
            "der skjules om nødvendigt yderligere grupper, så et skjult tal ikke kan regnes ud ved "
            "at trække de viste tal fra totalen. Fritekstsvar er renset for e-mail-"
            "adresser, telefonnumre og CPR-numre og vises ikke for små grupper."
        ),
    ]


def provenance_blocks(survey: Survey) -> list:
    m = survey.manifest or {}
    cb = survey.codebook
    lines = [f"Spørgeskema: {cb.title} ({cb.instrument}, version {cb.version})."]
    if m:
        src = Path(str(m.get("source_path", "?"))).name
        lines.append(f"Kildefil: {src}; SHA-256 {m.get('sha256', '?')}.")
        lines.append(
            f"Rækker læst: {fmt_int(m.get('rows_read'))}; gyldige: {fmt_int(m.get('rows_valid'))}; "
            f"i karantæne: {fmt_int(m.get('rows_quarantined'))}."
        )
        if m.get("survey_kit_version"):
            lines.append(f"Behandlet med survey_kit {m['survey_kit_version']} ({m.get('created_utc', '')}).")
    return [Heading("Datakilde", 3), *(Paragraph(t, "sk-note") for t in lines)]


def comments_block(survey: Survey, column: str, *, by: str | None, min_n: int, title: str, limit: int = 12) -> Comments:
    from survey_kit.privacy import safe_comments

    safe = safe_comments(survey.data, column, by=by, min_n=min_n)
    texts = tuple(safe["comment"].head(limit).tolist()) if len(safe) else ()
    return Comments(title=title, texts=texts)
