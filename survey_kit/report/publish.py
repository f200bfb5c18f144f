"""What a report publishes of a statistics table: registered, protected, re-tested, rounded.

* :func:`compare` runs :func:`survey_kit.stats.compare` for a section and registers the table with
  the run's protector, remembering how it was made;
* :func:`retested` gives the protected table back with the test across groups computed again over
  the *published* groups only when any group is hidden (so p-values and effect sizes say nothing
  about hidden groups), and rounded for publication (:func:`rounded`);
* :func:`method_paragraphs` writes the method section from what the report actually used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survey_kit import stats
from survey_kit.fmt import fmt_int, fmt_num, fmt_p, method_name
from survey_kit.report.content import Block, Heading, Paragraph

TOTAL = "I alt"


@dataclass(frozen=True)
class _Made:
    data: pd.DataFrame
    items: list[str]
    kwargs: dict[str, Any]
    zero: frozenset = frozenset()  # groups nobody in the data belongs to: left out of every table


def compare(ctx, data: pd.DataFrame, items: list[str], **kwargs: Any) -> str:
    """Compute and register a compare table; returns its id for :func:`retested`."""
    kw = {k: v for k, v in kwargs.items() if v is not None}
    table = stats.compare(data, items, **kw, **ctx.stats_kw())
    tid = ctx.protector.add(table, scope=ctx.table_scope(), kind="compare",
                            value_columns=("value", "ci_low", "ci_high"))
    n = pd.to_numeric(table["n"], errors="coerce")
    zero = frozenset(table.loc[table["group_code"].notna() & n.eq(0).fillna(False), "group_code"].astype(int))
    ctx.protector.made[tid] = _Made(data, items, kw, zero)
    return tid


def retested(ctx, tid: str) -> pd.DataFrame:
    """The protected table; where a group is hidden, the test across groups is computed again over
    the published groups only (or left out), so p and effect size say nothing about hidden groups."""
    table = ctx.get(tid)
    made = ctx.protector.made.get(tid)
    by = made.kwargs.get("by") if made else None
    if made is not None and by is not None:
        groups = table[table["group_code"].notna()]
        hidden = groups["suppressed"].fillna(False).astype(bool)
        if hidden.any():
            shown = set(groups.loc[~hidden & (pd.to_numeric(groups["n"], errors="coerce") > 0), "group_code"].astype(int))
            data = made.data
            sub = data[data[by].isin(shown).to_numpy()]
            again = stats.compare(sub, made.items, **made.kwargs, codebook=ctx.cb, min_n=ctx.min_n)
            table = ctx.protector.table(tid, tests=again)
    if made is not None and made.zero:
        codes = pd.to_numeric(table["group_code"], errors="coerce")
        table = table[~codes.isin(made.zero).to_numpy()].reset_index(drop=True)
    return rounded(table, ctx)


def rounded(table: pd.DataFrame, ctx=None) -> pd.DataFrame:
    """Round what is published: p to 3 decimals (below 0.001: 0), effect sizes to 2,
    shares/CIs to 3 decimals (0.1 percentage point), means to 2; records the methods used."""
    t = table.copy()
    for col in ("p_val", "q_val"):
        if col in t:
            p = pd.to_numeric(t[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            t[col] = np.where(p < 0.001, 0.0, np.round(p, 3))  # 0.0 is printed "< 0,001"
    if "effect" in t:
        t["effect"] = np.round(pd.to_numeric(t["effect"], errors="coerce").to_numpy(dtype=float, na_value=np.nan), 2)
    stat = t["stat"] if "stat" in t else pd.Series("share", index=t.index)
    is_share = (stat == "share").to_numpy()
    for col in ("value", "ci_low", "ci_high", "value_from", "value_to", "change", "share",
                "share_first", "share_top_k", "first_ci_low", "first_ci_high", "top_k_ci_low", "top_k_ci_high"):
        if col in t:
            v = pd.to_numeric(t[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            dec = np.where(is_share | col.startswith("share") | ("_k_" in col) | col.startswith("first"), 3, 2)
            t[col] = np.round(v * 10.0**dec) / 10.0**dec
    if ctx is not None:
        for col in ("test", "ci_method", "effect_name"):
            if col in t:
                ctx.methods.update(str(x) for x in t[col].dropna().unique() if str(x))
        if "test_scope" in t:
            ctx.methods.add("_published_groups_only")
    return t


def test_note(comp: pd.DataFrame) -> str:
    """One sentence on the test across groups of a compare table (first item with a test)."""
    if comp.empty or "test" not in comp or comp["test"].isna().all():
        return ""
    tested = comp[comp["test"].fillna("").astype(str) != ""]
    if tested.empty:
        return ""
    rows = tested.drop_duplicates("item") if "item" in tested else tested.iloc[:1]
    scope = " (kun de viste grupper)" if "test_scope" in comp else ""

    def effect(row) -> str:
        if pd.notna(row.get("effect")):
            return f", {method_name(row['effect_name'])} = {fmt_num(row['effect'], 2)}"
        return ""

    def named(row) -> str:
        label = row.get("item_label") if "item_label" in row else None
        return f"'{label}'" if isinstance(label, str) and label else ""

    if len(rows) == 1:  # the test names what it tests
        row = rows.iloc[0]
        what = f" for {named(row)}" if named(row) else ""
        return f"Test på tværs af grupperne{what}{scope}: {method_name(row['test'])}, {fmt_p(row['p_val'])}{effect(row)}."
    methods = list(dict.fromkeys(method_name(t) for t in rows["test"]))
    if len(methods) == 1:
        parts = [f"{named(r)} {fmt_p(r['p_val'])}{effect(r)}" for _, r in rows.iterrows()]
        return f"Test på tværs af grupperne{scope}, {methods[0]}: " + "; ".join(parts) + "."
    parts = [f"{named(r)} {method_name(r['test'])}, {fmt_p(r['p_val'])}{effect(r)}" for _, r in rows.iterrows()]
    return f"Test på tværs af grupperne{scope}: " + "; ".join(parts) + "."


# -- the method section ------------------------------------------------------------------------
#: Codes of tests (``test`` columns); effect sizes and interval methods are not tests.
_NOT_TESTS = {"cramers_v", "eta_squared", "epsilon_squared", "rank_biserial", "cohens_d", "wilson",
              "wilson_fpc", "t", "logit", "beta", "mean", "asin", "xlogit", "likelihood"}


def method_paragraphs(ctx) -> list[Block]:
    used = sorted(m for m in ctx.methods if not m.startswith("_") and m not in _NOT_TESTS)
    tests = list(dict.fromkeys(method_name(m) for m in used if method_name(m) != m))
    paras = [
        "Andele er beregnet blandt dem, der har svaret på spørgsmålet; 'Ved ikke' og tilsvarende svar "
        "indgår ikke i grundlaget for andelene, men tælles for sig. Spørgsmål, der kun er stillet til "
        "nogle, har dem, der fik spørgsmålet, som grundlag. Usikkerheden er vist som 95 %-"
        "konfidensintervaller (Wilson score-interval for andele, t-interval for gennemsnit). Ændringer "
        "i andele er angivet i procentpoint.",
    ]
    if tests:
        paras.append(
            "Forskelle er testet med " + ", ".join(tests) + ". p-værdier for flere spørgsmål på én gang er "
            "justeret med Benjamini-Hochbergs metode, og en forskel kaldes kun en forskel, når testen er "
            "statistisk signifikant på 5 %-niveau."
        )
    cb = ctx.cb
    design = _design_sentence(ctx)
    if design:
        paras.append(design + " Konfidensintervaller og test tager højde for designet (vægte, "
                     "strata og klynger); test på tværs af grupper er designbaserede (Rao-Scott for "
                     "andele, Wald F eller t for gennemsnit).")
    if cb.population and ctx.wave is not None:
        paras.append(
            "Svarprocenten er beregnet i forhold til antallet af ansatte i enhederne. Når en stor del af "
            "de ansatte har svaret, er usikkerheden mindre, end hvis man havde spurgt en stikprøve; der er "
            "korrigeret for det (korrektion for endelig population), hvor antallet af ansatte er kendt."
        )
    anon = (f"Anonymitet: resultater for grupper med færre end {ctx.min_n} svar vises ikke, og der "
            "skjules om nødvendigt yderligere grupper i alle rapporter fra samme kørsel, så et skjult tal "
            "hverken kan regnes ud fra totalen, fra andre rapporter eller fra en tidligere måling. ")
    if "_published_groups_only" in ctx.methods:
        anon += ("Test på tværs af grupper er beregnet alene på de viste grupper, når en gruppe er skjult, "
                 "og p-værdier og effektstørrelser er afrundede. ")
    anon += ("Grupper med færre end det mindste antal svar indgår ikke i testene. Fritekstsvar er renset "
             "for navne, e-mail-adresser, telefonnumre og CPR-numre og vises ikke for små grupper.")
    paras.append(anon)
    return [Paragraph(p) for p in paras]


def _design_sentence(ctx) -> str:
    """The sampling design in a sentence, when the codebook declares one."""
    if getattr(ctx.cb, "design", None) is None:
        return ""
    from survey_kit.stats.design import resolve_design

    try:
        design = resolve_design(ctx.now, ctx.cb)
    except (ValueError, KeyError):
        return ""
    return design.describe() if design is not None else ""


def provenance(ctx) -> list[Block]:
    m = ctx.survey.manifest or {}
    cb = ctx.cb
    lines = [f"Spørgeskema: {cb.title} ({cb.instrument}, version {cb.version})."]
    if m and not ctx.scope.conditions:
        src = Path(str(m.get("source_path", "?"))).name
        lines.append(f"Kildefil: {src}; SHA-256 {m.get('sha256', '?')}.")
        lines.append(f"Rækker læst: {fmt_int(m.get('rows_read'))}; gyldige: {fmt_int(m.get('rows_valid'))}; "
                     f"i karantæne: {fmt_int(m.get('rows_quarantined'))}.")
    if m.get("survey_kit_version"):
        lines.append(f"Behandlet med survey_kit {m['survey_kit_version']} ({m.get('created_utc', '')}).")
    return [Heading("Datakilde", 3), *(Paragraph(t, "sk-note") for t in lines)]
