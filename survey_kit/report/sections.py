"""The section kinds of a report spec: each computes its tables, then composes its blocks.

``compute(ctx, section)`` runs the statistics for one section of one report and registers every
table it would publish with the run's protector; it returns a *composer* that, after the whole run
is protected, turns the protected tables into blocks. A composer reads only protected tables.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from survey_kit import charts, stats
from survey_kit.codebook.model import Codebook
from survey_kit.fmt import fmt_int, fmt_pct, method_name
from survey_kit.report import publish
from survey_kit.report.content import (
    Block,
    Column,
    Comments,
    Figure,
    Findings,
    Heading,
    Paragraph,
    Table,
)
from survey_kit.report.context import Context, Scope
from survey_kit.report.findings import note_group_differences, note_levels
from survey_kit.report.levels import _ancestors, next_level
from survey_kit.report.spec import CommentOptions, Section, Select
from survey_kit.stats.design import design_arguments, domain_of, mark_domain
from survey_kit.stats.frequencies import option_shares
from survey_kit.survey import COMPLETE

Composer = Callable[[Context], list[Block]]
TOTAL = "I alt"
_NOTHING: Composer = lambda ctx: []  # noqa: E731


# -- item selection ----------------------------------------------------------------------------
def select(cb: Codebook, sel: Select | None) -> list[str]:
    """The item (or scale) codes a selector names, in codebook order (``codes`` in given order)."""
    if sel is None:
        return []
    scales = {s.code: s for s in cb.scales}
    if sel.codes is not None:
        pool = list(sel.codes)
    else:
        pool = [it.code for it in cb.items]
    out = []
    for code in pool:
        if code in scales:
            if sel.type in (None, "scale"):
                out.append(code)
            continue
        it = cb[code]
        if sel.scale is not None and it.scale != sel.scale:
            continue
        if sel.type is not None and it.type != sel.type:
            continue
        if sel.group is not None and it.group != sel.group:
            continue
        if sel.values is not None and tuple(it.values.values()) != tuple(sel.values):
            continue
        out.append(code)
    return out


def _skip_groups(ctx: Context) -> set[str]:
    """Group variables that make no breakdown in this report: the wave, the report's own level
    and the levels above it."""
    cb = ctx.cb
    out = {ctx.wave_col} if ctx.wave_col else set()
    for var, _ in ctx.scope.conditions:
        out.add(var)
        if var in cb.hierarchy:
            out.update(cb.hierarchy[: cb.hierarchy.index(var) + 1])
    return out


def breakdowns(ctx: Context, sec: Section) -> list[str]:
    out = []
    skip = _skip_groups(ctx)
    for b in sec.by:
        var = next_level(ctx.cb, ctx.scope) if b == "next_level" else b
        if var is None or var in skip or var in out or var not in ctx.survey.data:
            continue
        out.append(var)
    return out


def _scale_range(cb: Codebook, code: str) -> tuple[float, float] | None:
    items = [cb[c] for c in cb.scale(code).items] if code in {s.code for s in cb.scales} else [cb[code]]
    vals = [v for it in items for v in it.values]
    return (float(min(vals)), float(max(vals))) if vals else None


def asked(cb: Codebook, df: pd.DataFrame, code: str) -> pd.DataFrame:
    """The rows an item was put to: those meeting its ``ask_if`` condition (every row without one).

    Single and Likert items are blank for those not asked, but the 0/1 columns of a multiple-choice
    item are 0 for everyone who did not tick (SurveyXact writes 0 even for those never shown the
    question), so without this a multiple-choice share would be of the whole sample. Conditions on
    conditioned items hold too: a respondent not asked the first question has no answer to it.
    """
    cond = cb[code].ask_if if code in cb else None
    if cond is None or cond.item not in df:
        return df
    return df[df[cond.item].isin(list(cond.codes)).fillna(False).to_numpy()]


def source_line(ctx: Context, data: pd.DataFrame | None) -> str:
    """The source line of a chart with the chart's own base: ``antal svar = 683`` or, when its
    items or waves rest on different numbers, ``antal svar = 683–690``."""
    head = ctx.source().rsplit(", antal svar =", 1)[0]
    ns = _bases(data) if data is not None else []
    if not ns:
        ns = [len(ctx.now)]
    lo, hi = min(ns), max(ns)
    n = fmt_int(lo) if lo == hi else f"{fmt_int(lo)}–{fmt_int(hi)}"
    return f"{head}, antal svar = {n}"


def _bases(data: pd.DataFrame) -> list[int]:
    """The respondent counts a chart's numbers rest on: per item (and wave) of its total rows."""
    if data.empty:
        return []
    rows = data
    if "suppressed" in rows:
        rows = rows[~rows["suppressed"].fillna(False).astype(bool).to_numpy()]
    if "is_total" in rows and rows["is_total"].fillna(False).astype(bool).any():
        rows = rows[rows["is_total"].fillna(False).astype(bool).to_numpy()]
    elif "group_code" in rows and "by" in rows and rows["by"].notna().any() \
            and rows["group_code"].isna().any() and (rows["by"] != "item").all():
        rows = rows[rows["group_code"].isna().to_numpy()]
    cols = [c for c in ("n_valid", "n_from", "n_to") if c in rows] or (["n"] if "n" in rows else [])
    out = []
    for c in cols:
        v = pd.to_numeric(rows[c], errors="coerce").dropna()
        out += [int(x) for x in v if x > 0]
    return out


def _group_header(ctx: Context, by: str | None) -> str:
    return ctx.cb[by].label if by and by in ctx.cb else "Gruppe"


def _base_note(ctx: Context, codes: list[str]) -> str:
    """'Asked only of ...' for items with ask_if."""
    cb = ctx.cb
    notes = []
    for code in codes:
        if code not in cb:
            continue
        cond = cb[code].ask_if
        if cond is None:
            continue
        src = cb[cond.item]
        answers = " eller ".join(f"'{src.values.get(c, c)}'" for c in cond.codes)
        note = f"Spørgsmålet er kun stillet til dem, der svarede {answers} til '{src.label}'; tallene er beregnet blandt dem."
        if note not in notes:
            notes.append(note)
    return " ".join(notes)


# -- columns -----------------------------------------------------------------------------------
def compare_columns(stat: str, by_header: str, *, item: bool = True, group: bool = True) -> tuple[Column, ...]:
    """The columns of a comparison table; ``group=False`` leaves out the group column (a table
    of totals only, where every row would say "I alt")."""
    kind = "pct" if stat == "share" else "num"
    head = "Andel" if stat == "share" else "Gennemsnit"
    cols = [Column("item_label", "Spørgsmål")] if item else []
    cols += [Column("group", by_header)] if group else []
    cols += [Column("n", "Antal svar", "int"), Column("value", head, kind),
             Column("ci_low", "95\u00a0%\u2011KI, nedre", kind), Column("ci_high", "95\u00a0%\u2011KI, øvre", kind)]
    return tuple(cols)


def wave_columns(stat: str) -> tuple[Column, ...]:
    kind = "pct" if stat == "share" else "num"
    change = "pp" if stat == "share" else "num"
    return (Column("item_label", "Spørgsmål"), Column("n_from", "Antal svar, før", "int"),
            Column("value_from", "Før", kind), Column("n_to", "Antal svar, nu", "int"),
            Column("value_to", "Nu", kind), Column("change", "Ændring", change),
            Column("p_val", "p\u2011værdi", "p"))


#: A breakdown table of several questions longer than this many rows becomes one table per question
LONG_TABLE_ROWS = 24


def by_tables(name: str, title: str, comp: pd.DataFrame, stat: str, header: str, by_label: str) -> list[Block]:
    """The table(s) of a breakdown: one table, or, when several questions (indices) would repeat
    on every row of a long table, one table per question with its own test line."""
    items = list(dict.fromkeys(comp["item"])) if "item" in comp else []
    if len(items) < 2 or len(comp) <= LONG_TABLE_ROWS:  # one question: named in the title, not on every row
        return [Table(name, title, comp, compare_columns(stat, header, item=len(items) > 1),
                      note=publish.test_note(comp))]
    out: list[Block] = []
    for item in items:
        part = comp[comp["item"] == item].reset_index(drop=True)
        label = str(part["item_label"].iloc[0])
        out.append(Table(f"{name}_{item}"[:60], f"{label} fordelt på {by_label.lower()}", part,
                         compare_columns(stat, header, item=False), note=publish.test_note(part)))
    return out


# -- one title per figure ----------------------------------------------------------------------
_WHAT = {"likert_bars": "Svarfordeling", "wave_dumbbell": "Udvikling", "prepost": "Før og efter",
         "ranking_bars": "Andel på førstepladsen og blandt de foretrukne", "heatmap": "Oversigt"}


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _described(fig: Figure) -> str:
    """What a figure shows, for a caption that would repeat its section heading."""
    raw = object.__getattribute__(fig, "figure")
    name = getattr(getattr(raw, "func", None), "__name__", "")
    if name in _WHAT:
        return _WHAT[name]
    stat = fig.data["stat"].iloc[0] if "stat" in fig.data and len(fig.data) else "share"
    d = fig.data
    if stat == "share" and {"by", "item"} <= set(d.columns) and len(d) and (d["by"] == d["item"]).all():
        return "Andel, der har valgt svaret"  # one bar per answer of one question (option shares)
    return "Andel" if stat == "share" else "Gennemsnit"


def _measure_caption(cb: Codebook, codes: list[str], stat: str, positive) -> str:
    """'Andel, der har svaret ja' / 'Gennemsnit' for a chart of several items' totals."""
    if stat != "share":
        return "Gennemsnit"
    pos = tuple(positive) if positive else (cb[codes[0]].positive if codes and codes[0] in cb else ())
    labels = [cb[codes[0]].values[c].lower() for c in pos if codes and c in cb[codes[0]].values]
    return f"Andel, der har svaret {' eller '.join(labels)}" if labels else "Andel"


def _table_described(table: Table) -> str:
    kinds = {c.name: c.kind for c in table.columns}
    if kinds.get("value") == "pct":
        return "Andel med 95 %-konfidensinterval"
    if kinds.get("value") == "num":
        return "Gennemsnit med 95 %-konfidensinterval"
    return "Tal"


def one_title(blocks: list[Block]) -> list[Block]:
    """Each figure has one title, its caption: the chart is drawn without a title of its own, and
    a caption (or table title) that would repeat the section heading says what is shown instead."""
    from dataclasses import replace

    out: list[Block] = []
    heading = None
    for b in blocks:
        if isinstance(b, Heading):
            heading = _norm(b.text)
        elif isinstance(b, Figure):
            raw = object.__getattribute__(b, "figure")
            caption = b.title
            if isinstance(raw, partial) and "title" in raw.keywords:
                caption = caption or raw.keywords["title"] or ""
                raw = partial(raw.func, *raw.args, **{**raw.keywords, "title": None})
            if not caption or _norm(caption) == heading:
                caption = _described(b)
            b = replace(b, figure=raw, title=caption)
        elif isinstance(b, Table) and heading is not None and _norm(b.title) == heading:
            b = replace(b, title=_table_described(b))
        out.append(b)
    return out


def _heading(sec: Section, default: str) -> list[Block]:
    out: list[Block] = [Heading(sec.heading or default)]
    if sec.intro:
        out.append(Paragraph(sec.intro))
    return out


# -- findings ----------------------------------------------------------------------------------
class FindingsSlot(Findings):
    """Placeholder filled by the engine once every other section has composed."""


def _findings(ctx: Context, sec: Section) -> Composer:
    from survey_kit.report.findings import FINDINGS

    named = [FINDINGS[name](ctx) for name in sec.findings]

    def compose(ctx: Context) -> list[Block]:
        from survey_kit.report.findings import state_generic

        for c in named:
            c(ctx)
        state_generic(ctx)
        return [*_heading(sec, "Hovedresultater"), FindingsSlot(())]

    return compose


# -- response ----------------------------------------------------------------------------------
def population_in_scope(cb: Codebook, scope: Scope) -> int | None:
    """Staff numbers (``codebook.population``) summed over the units in the report's population."""
    if not cb.population:
        return None
    cond = scope.as_dict()
    for var, pop in cb.population.items():
        if var in cond:
            return pop.get(cond[var])
    var, pop = next(iter(cb.population.items()))
    total = 0
    for code, n in pop.items():
        ups = dict(_ancestors(cb, var, code)) if var in cb.hierarchy else {}
        if all(ups.get(k) == v for k, v in cond.items()):
            total += n
    return total or None


def _response(ctx: Context, sec: Section) -> Composer:
    now = ctx.now
    n = len(now)
    partial = int((~now[COMPLETE].astype(bool)).sum()) if COMPLETE in now else 0
    counts = pd.DataFrame({"item": ["_respondents"], "item_label": ["Besvarelser"], "stat": ["count"],
                           "by": [None], "group": [TOTAL], "group_code": [pd.NA], "n": [n],
                           "suppressed": [False]})
    tid = ctx.register(counts, "count")
    att_tid = None
    cb = ctx.cb
    if cb.panel_key is not None and cb.wave is not None and cb.panel_key.column in ctx.scoped:
        # wave patterns of panel members, suppressed on their own (min_n, complementary); they
        # describe participation, not answers, and no other table publishes them
        att_tid = stats.attrition(ctx.scoped, wave=cb.wave.column, paired_on=cb.panel_key.column,
                                  codebook=cb, min_n=ctx.min_n)
    population = population_in_scope(cb, ctx.scope)
    manifest = ctx.survey.manifest if not ctx.scope.conditions else {}

    def compose(ctx: Context) -> list[Block]:
        n_pub = ctx.get(tid)["n"].iloc[0]
        rows: list[tuple[str, object, object]] = [(f"Besvarelser i analysen ({ctx.spec.noun})", n_pub, pd.NA)]
        if partial:
            rows.append(("heraf delvist besvarede", partial, pd.NA))
        # an export with only answers (no invited who did not answer) says nothing about who was
        # invited: no "0 not answered" and no 100 % response rate from it
        knows_invited = bool(manifest.get("rows_not_answered"))
        for key, label in (("rows_read", "Rækker i eksportfilen"),
                           ("rows_not_answered", "Inviterede, der ikke har svaret"),
                           ("rows_quarantined", "Rækker sat i karantæne (ugyldige eller ikke besvaret)")):
            if key in manifest and (key != "rows_not_answered" or knows_invited):
                rows.append((label, int(manifest[key]), pd.NA))
        invited = manifest.get("rows_read")
        rate = None
        if invited and ctx.wave is None and knows_invited:
            answered = invited - manifest["rows_not_answered"]
            rate = answered / invited
            rows.append(("Svarprocent (besvarede af inviterede)", pd.NA, rate))
        if population and pd.notna(n_pub):
            rows.append(("Antal ansatte (inviterede)", population, pd.NA))
            rate = min(1.0, n_pub / population)
            rows.append(("Svarprocent (svar i forhold til antal ansatte)", pd.NA, rate))
        if pd.notna(n_pub):
            ctx.finding(f"{fmt_int(n_pub)} {ctx.spec.noun} har svaret"
                        + (f", en svarprocent på {fmt_pct(rate)}." if rate is not None else "."), 2)
        blocks: list[Block] = [*_heading(sec, "Datagrundlag")]
        if att_tid is not None:
            att = att_tid
            full = att[att["n_waves"] == att["n_waves"].max()]
            first = att[att["waves"].astype(str).str.startswith(str(min(cb.wave.labels)))]
            asked = pd.to_numeric(first["n"], errors="coerce").sum(min_count=1)
            both = pd.to_numeric(full["n"], errors="coerce").sum(min_count=1)
            if pd.notna(asked) and pd.notna(both) and not first["suppressed"].any():
                rows.append((f"Svarede ved {cb.wave.labels[min(cb.wave.labels)]}", int(asked), pd.NA))
                rows.append(("Svarede begge gange", int(both), pd.NA))
                rows.append(("Faldet fra", int(asked - both), pd.NA))
                rows.append(("Svarprocent ved sidste måling (frafald medregnet)", pd.NA, both / asked if asked else pd.NA))
            blocks.append(Table("frafald", f"{ctx.spec.noun.capitalize()} fordelt på, hvilke målinger de har svaret på", att,
                                (Column("pattern", "Målinger besvaret"), Column("n", f"Antal {ctx.spec.noun}", "int"),
                                 Column("share", "Andel", "pct"))))
        frame = pd.DataFrame(rows, columns=["label", "n", "share"]).astype({"n": "Int64", "share": "Float64"})
        frame["suppressed"] = False
        blocks.insert(len(_heading(sec, "")), Table("datagrundlag", "Besvarelser og svarprocent", frame,
                                                     (Column("label", ""), Column("n", "Antal", "int"),
                                                      Column("share", "Andel", "pct"))))
        return blocks

    return compose


# -- items -------------------------------------------------------------------------------------
def _stat_for(stat: str | None) -> str:
    """The section's statistic; a distribution of the answers by default."""
    return stat if stat is not None else "distribution"


def _measure_stat(cb: Codebook, codes: list[str], positive) -> str:
    """share when every item has positive codes (or they are given), else mean."""
    if positive or all(c in cb and (cb[c].positive or cb[c].type == "multiple") for c in codes):
        return "share"
    return "mean"


def _multiple_columns(ctx: Context, codes: list[str]) -> list[str]:
    return [c for code in codes for c in ctx.cb[code].columns if c in ctx.survey.data]


def _items(ctx: Context, sec: Section) -> Composer:
    cb = ctx.cb
    codes = [c for c in select(cb, sec.items) if c in cb]
    if not codes:
        return _NOTHING
    now = ctx.now
    kw = ctx.stats_kw()
    stat = _stat_for(sec.stat)
    multiple = [c for c in codes if cb[c].type == "multiple"]
    plain = [c for c in codes if cb[c].type != "multiple"]
    registered: list[tuple[str, str, object]] = []  # (what, tid, extra)
    for code in multiple:  # each on the base of those it was put to (ask_if)
        cols = _multiple_columns(ctx, [code])
        comp = publish.compare(ctx, asked(cb, now, code), cols, positive=[1])
        registered.append(("multiple", comp, [code]))
    if plain and stat == "distribution":
        freq = stats.frequencies(now, plain, **kw)
        registered.append(("freq", ctx.register(freq, "frequencies", ("share", "ci_low", "ci_high")), plain))
    elif plain:
        positive = list(sec.positive) if sec.positive else None
        comp = publish.compare(ctx, now, plain, stat=stat, positive=positive)
        registered.append(("total", comp, stat))
    measure = sec.stat if sec.stat in ("share", "mean") else _measure_stat(cb, plain, sec.positive)
    for by in breakdowns(ctx, sec) if plain else []:
        positive = list(sec.positive) if sec.positive else None
        comp = publish.compare(ctx, now, plain, by=by, stat=measure, positive=positive)
        registered.append(("by", comp, by))

    def compose(ctx: Context) -> list[Block]:
        blocks = _heading(sec, cb[codes[0]].label)
        note = _base_note(ctx, codes)
        if note:
            blocks.append(Paragraph(note, "sk-note"))
        for what, tid, extra in registered:
            name = f"{sec_name(sec, codes)}_{what}" + (f"_{extra}" if what == "by" else "")
            if what == "multiple" and len(multiple) > 1:
                name = f"{extra[0][:30]}_{what}"
            if what == "freq":
                freq = ctx.get(tid)
                shown = ~freq["suppressed"].astype(bool) & pd.to_numeric(freq["share"], errors="coerce").notna()
                if not shown.any():  # every row hidden or unanswered here: no chart of empty rows
                    pass  # (the table, when the section has one, says "for få svar" per row)
                elif sec.chart in ("likert", None) and all(cb[c].type in ("likert", "single") for c in extra):
                    title = sec.heading or cb[extra[0]].label
                    if sec.chart != "none":
                        blocks.append(Figure(name, partial(charts.likert_bars, freq, title=title, source=source_line(ctx, freq), size=sec.size), freq, size=sec.size))
                elif sec.chart == "share_bars":
                    bars = _freq_as_compare(freq)
                    blocks.append(Figure(name, partial(charts.share_bars, bars, title=sec.heading or cb[extra[0]].label, source=source_line(ctx, bars), size=sec.size), bars, size=sec.size))
                if sec.table:
                    wide, cols = wide_frequencies(freq)
                    blocks.append(Table(name, f"Svarfordeling: {sec.heading or cb[extra[0]].label}", wide, cols))
                positive_finding(ctx, freq, sec)
                for code in extra:
                    if cb[code].type == "single" and not cb[code].group and not cb[code].positive:
                        options = _freq_as_compare(freq[freq["item"] == code]).rename(columns={"group": "option"})
                        note_levels(ctx, options.assign(group_code=pd.NA), what="mode",
                                    question=cb[code].label, label_column="option")
            elif what == "multiple":
                comp = publish.retested(ctx, tid)
                item = cb[extra[0]]
                comp = comp[stats.total_mask(comp)].copy()
                comp["group"] = [item_option(cb, c) for c in comp["item"]]
                comp["group_code"] = comp["item"]  # each option is a row of its own, not a total
                comp["is_total"] = False
                comp["item"] = comp["by"] = extra[0]  # the options of one question
                comp["item_label"] = item.label
                comp = comp.sort_values("value", ascending=False, na_position="last")
                if sec.chart != "none":
                    blocks.append(Figure(name, partial(charts.share_bars, comp, title=item.label, source=source_line(ctx, comp), show_ci=True, size=sec.size), comp, size=sec.size))
                note_levels(ctx, comp, what="option", question=item.label, label_column="group")
                if sec.table:
                    blocks.append(Table(name, f"{item.text} (andel, der har valgt svaret)", comp,
                                        compare_columns("share", "Svar", item=False)))
            elif what == "total":
                comp = publish.retested(ctx, tid)
                note_levels(ctx, comp, what="share" if extra == "share" else "mean",
                            question=sec.heading or "Spørgsmålene")
                # one question broken down: its breakdown chart draws the total as a line already
                alone = len(plain) == 1 and any(w == "by" for w, _, _ in registered)
                if sec.chart != "none" and not alone:
                    rows = items_as_rows(comp, sec.heading or "I alt")
                    blocks.append(Figure(name, partial(charts.share_bars, rows, title=sec.heading or "I alt", source=source_line(ctx, rows), size=sec.size), rows, size=sec.size,
                                         title=_measure_caption(cb, plain, extra, sec.positive)))
                if sec.table:
                    groups = bool(comp["group_code"].notna().any()) if "group_code" in comp else True
                    blocks.append(Table(name, sec.heading or "I alt", comp, compare_columns(extra, "Gruppe", group=groups)))
            else:
                comp = publish.retested(ctx, tid)
                by_label = cb[extra].label
                note_group_differences(ctx, comp, by_label)
                base = sec.heading or cb[codes[0]].label
                if "fordelt på" in base.lower():  # "fordelt på" once: the question's own label
                    base = cb[codes[0]].label if len(plain) == 1 else base.split(" fordelt på")[0]
                title = f"{base} fordelt på {by_label.rstrip(' :').lower()}"
                if measure == "share":  # which answers the share counts, said where it is shown
                    title = f"{_measure_caption(cb, plain, measure, sec.positive)}: {title}"
                if len(plain) > 1 and sec.chart != "none":
                    rng = (0.0, 1.0) if measure == "share" else _scale_range(cb, plain[0])
                    blocks.append(Figure(name, partial(charts.heatmap, comp, title=title, source=source_line(ctx, comp), value_range=rng, size="full"), comp))
                elif sec.chart != "none":
                    blocks.append(Figure(name, partial(charts.share_bars, comp, title=title, source=source_line(ctx, comp), size=sec.size), comp, size=sec.size))
                if sec.table:
                    blocks += by_tables(name, title, comp, measure, _group_header(ctx, extra), by_label)
        return blocks

    return compose


def wide_frequencies(freq: pd.DataFrame) -> tuple[pd.DataFrame, tuple[Column, ...]]:
    """One row per item: answers as columns (shares of the valid base), n and 'Ved ikke' counts."""
    f = freq[freq["group_code"].isna()] if "group_code" in freq else freq
    valid = f[~f["is_missing_code"].astype(bool)]
    missing = f[f["is_missing_code"].astype(bool)]
    labels = list(dict.fromkeys(valid["label"]))
    rows = []
    for item, part in f.groupby("item", sort=False):
        v = valid[valid["item"] == item].set_index("label")
        sup = bool(part["suppressed"].astype(bool).all())
        row = {"item_label": part["item_label"].iloc[0], "n": part["n_valid"].iloc[0], "suppressed": sup}
        for j, lab in enumerate(labels):
            row[f"a{j}"] = v["share"].get(lab, np.nan)
        if len(missing):
            row["dk"] = part["n_dont_know"].iloc[0]
        rows.append(row)
    wide = pd.DataFrame(rows)
    cols = [Column("item_label", "Spørgsmål"), Column("n", "Antal svar", "int")]
    cols += [Column(f"a{j}", str(lab), "pct") for j, lab in enumerate(labels)]
    if len(missing):
        names = " / ".join(dict.fromkeys(missing["label"]))
        cols.append(Column("dk", f"{names} (antal)", "int"))
    return wide, tuple(cols)


def positive_finding(ctx: Context, freq: pd.DataFrame, sec: Section) -> None:
    """'Flest er enige i ...': the item of a battery with the largest share of positive answers."""
    cb = ctx.cb
    f = freq[(freq["group_code"].isna()) & ~freq["is_missing_code"].astype(bool) & ~freq["suppressed"].astype(bool)]
    shares, bases = {}, {}
    for item, part in f.groupby("item", sort=False):
        pos = cb[item].positive if item in cb else ()
        if pos and not cb[item].group:  # background variables are who answered, not findings
            shares[item] = float(part.loc[part["code"].isin(pos), "share"].sum())
            bases[item] = float(pd.to_numeric(part["n_valid"], errors="coerce").max())
    if len(shares) < 2:
        return
    best = max(shares, key=shares.get)
    worst = min(shares, key=shares.get)
    if shares[best] - shares[worst] < 0.05:
        return
    from survey_kit.stats import wilson

    lo, _ = wilson(np.array([shares[best] * bases[best]]), np.array([bases[best]]), 0.95)
    _, hi = wilson(np.array([shares[worst] * bases[worst]]), np.array([bases[worst]]), 0.95)
    if not lo[0] > hi[0]:  # the 95 % intervals overlap: the data do not tell the two apart
        return
    pos_labels = " eller ".join(f"'{cb[best].values[c].lower()}'" for c in cb[best].positive)
    ctx.finding(f"{sec.heading or 'Udsagnene'}: flest svarer {pos_labels} til '{cb[best].label}' "
                f"({fmt_pct(shares[best])}), færrest til '{cb[worst].label}' ({fmt_pct(shares[worst])}).", 6)


def items_as_rows(comp: pd.DataFrame, label: str) -> pd.DataFrame:
    """Totals of several items as the rows of one chart panel (not one panel per item)."""
    total = comp[comp["group_code"].isna()].copy()
    if total["item"].nunique() < 2:
        return comp
    total["group"] = total["item_label"]
    total["group_code"] = range(1, len(total) + 1)
    total["by"] = "item"
    total["item"] = "_items"
    total["item_label"] = label
    if "is_total" in total:
        total["is_total"] = False
    if "vs_total" in total:
        total["vs_total"] = ""
    return total.reset_index(drop=True)


def sec_name(sec: Section, codes: list[str]) -> str:
    return (codes[0] if codes else sec.kind)[:30]


def item_option(cb: Codebook, column: str) -> str:
    item = cb.item_for_column(column)
    return item.option_label(column) if item is not None else column


def _freq_as_compare(freq: pd.DataFrame) -> pd.DataFrame:
    return option_shares(freq)


# -- scales ------------------------------------------------------------------------------------
def _scale_codes(ctx: Context, sec: Section) -> list[str]:
    cb = ctx.cb
    chosen = select(cb, sec.items)
    scales = [s.code for s in cb.scales if s.code in chosen or any(i in chosen for i in s.items)]
    return scales


def _scales(ctx: Context, sec: Section) -> Composer:
    cb = ctx.cb
    codes = _scale_codes(ctx, sec)
    if not codes:
        return _NOTHING
    now = ctx.now
    total = publish.compare(ctx, now, codes, stat="mean")
    alpha_tids = []
    for code in codes:
        rel = stats.reliability(now, code, cb, min_n=ctx.min_n)
        alpha_tids.append(rel)
    by_tids = [(by, publish.compare(ctx, now, codes, by=by, stat="mean")) for by in breakdowns(ctx, sec)]
    rng = _scale_range(cb, codes[0])

    def compose(ctx: Context) -> list[Block]:
        blocks = _heading(sec, "Indeks")
        lo, hi = rng or (1, 5)
        blocks.append(Paragraph(
            f"Et indeks er gennemsnittet af de udsagn, der hører til (fra {lo:g} til {hi:g}); negativt "
            "formulerede udsagn er vendt. Cronbachs alfa viser, hvor godt udsagnene hænger sammen "
            "(0,7 eller mere regnes for godt)."))
        t = publish.retested(ctx, total)
        alpha = pd.concat(alpha_tids, ignore_index=True)
        t = t.merge(alpha[["scale", "alpha"]].rename(columns={"scale": "item"}), on="item", how="left")
        t.loc[t["suppressed"].astype(bool), "alpha"] = np.nan
        t["alpha"] = t["alpha"].round(2)
        note_levels(ctx, t, what="index")
        rows = items_as_rows(t, "Indeks")
        blocks.append(Figure("indeks", partial(charts.share_bars, rows, title="Indeks", source=source_line(ctx, rows), value_range=rng, size="full"), rows))
        if sec.table:
            blocks.append(Table("indeks", "Indeks og Cronbachs alfa", t,
                                (Column("item_label", "Indeks"), Column("n", "Antal svar", "int"),
                                 Column("value", "Gennemsnit", "num"), Column("ci_low", "95\u00a0%\u2011KI, nedre", "num"),
                                 Column("ci_high", "95\u00a0%\u2011KI, øvre", "num"), Column("alpha", "Cronbachs alfa", "num"))))
        for by, tid in by_tids:
            comp = publish.retested(ctx, tid)
            note_group_differences(ctx, comp, cb[by].label)
            title = f"Indeks fordelt på {cb[by].label.lower()}"
            blocks.append(Figure(f"indeks_{by}", partial(charts.heatmap, comp, title=title, source=source_line(ctx, comp), value_range=rng, size="full"), comp))
            if sec.table:
                blocks += by_tables(f"indeks_{by}", title, comp, "mean", _group_header(ctx, by), cb[by].label)
        return blocks

    return compose


# -- waves -------------------------------------------------------------------------------------
def _split_by_stat(cb: Codebook, codes: list[str]) -> tuple[list[str], list[str]]:
    scales = {s.code for s in cb.scales}
    shares = [c for c in codes if c not in scales and c in cb and cb[c].positive]
    means = [c for c in codes if c in scales or (c in cb and not cb[c].positive and cb[c].type in ("likert", "number"))]
    return shares, means


def _waves(ctx: Context, sec: Section) -> Composer:
    cb = ctx.cb
    if ctx.previous is None or ctx.wave_col is None:
        def nothing(ctx: Context) -> list[Block]:
            return [*_heading(sec, "Udvikling"), Paragraph("Der er ingen tidligere måling at sammenligne med.")]
        return nothing
    codes = select(cb, sec.items) if sec.items else [s.code for s in cb.scales]
    shares, means = _split_by_stat(cb, codes)
    df = ctx.scoped
    pair = df[df[ctx.wave_col].isin([ctx.previous, ctx.wave]).to_numpy()]
    tids = []
    for stat, items in (("share", shares), ("mean", means)):
        if items:
            w = stats.compare_waves(pair, items, wave=ctx.wave_col, stat=stat, **ctx.stats_kw())
            cols = ("value_from", "value_to", "change", "ci_low", "ci_high")
            tids.append((stat, ctx.register(w, "waves", cols, wave=None)))

    def compose(ctx: Context) -> list[Block]:
        wf, wt = ctx.wave_label(ctx.previous), ctx.wave_label(ctx.wave)
        blocks = _heading(sec, f"Udvikling fra {wf} til {wt}")
        from survey_kit.report.findings import changes_sentence

        for stat, tid in tids:
            w = publish.rounded(ctx.get(tid), ctx)
            ctx.finding(changes_sentence(w, wave_from=wf, wave_to=wt, stat=stat), 2)
            what = "Andel" if stat == "share" else "Indeks"
            title = f"{what}: {wf} og {wt}"
            rng = (0.0, 1.0) if stat == "share" else _scale_range(cb, w["item"].iloc[0])
            blocks.append(Figure(f"udvikling_{stat}", partial(charts.wave_dumbbell, w, title=title, source=source_line(ctx, w), value_range=rng, size="full"), w))
            if sec.table:
                blocks.append(Table(f"udvikling_{stat}", f"{title} (ændring i {'procentpoint' if stat == 'share' else 'point'})",
                                    w, wave_columns(stat)))
        return blocks

    return compose


# -- panel -------------------------------------------------------------------------------------
def _panel(ctx: Context, sec: Section) -> Composer:
    cb = ctx.cb
    key = cb.panel_key.column
    codes = select(cb, sec.items) if sec.items else [s.code for s in cb.scales]
    shares, means = _split_by_stat(cb, codes)
    df = ctx.scoped
    tids = []
    for stat, items in (("mean", means), ("share", shares)):
        if items:
            w = stats.compare_waves(df, items, wave=ctx.wave_col, paired_on=key, stat=stat, **ctx.stats_kw())
            tids.append((stat, None, ctx.register(w, "waves", ("value_from", "value_to", "change", "ci_low", "ci_high"), wave=None)))
            for by in breakdowns(ctx, sec):
                w = stats.compare_waves(df, items, wave=ctx.wave_col, paired_on=key, by=by, stat=stat, **ctx.stats_kw())
                tids.append((stat, by, ctx.register(w, "waves", ("value_from", "value_to", "change", "ci_low", "ci_high"), wave=None)))
    labels = cb.wave.labels

    def compose(ctx: Context) -> list[Block]:
        blocks = _heading(sec, "Før og efter")
        blocks.append(Paragraph(f"Sammenligningerne er parrede: kun {ctx.spec.noun}, der har svaret både "
                                f"{labels[min(labels)].lower()} og {labels[max(labels)].lower()}, indgår i ændringerne."))
        from survey_kit.report.findings import change_sentence

        for stat, by, tid in tids:
            w = publish.rounded(ctx.get(tid), ctx)
            kind = "pct" if stat == "share" else "num"
            # the test is named in the note under the table (a column of its own is too wide for A4)
            one = w["item"].nunique() == 1  # one question: named in the title, not in a column
            cols = (*(() if one else (Column("item_label", "Spørgsmål"),)),
                    *((Column("group", _group_header(ctx, by)),) if by else ()),
                    Column("n_to", "Antal (begge målinger)", "int"), Column("value_from", "Før", kind),
                    Column("value_to", "Efter", kind), Column("change", "Ændring", "pp" if stat == "share" else "num"),
                    Column("ci_low", "95\u00a0%\u2011KI, nedre", "pp" if stat == "share" else "num"),
                    Column("ci_high", "95\u00a0%\u2011KI, øvre", "pp" if stat == "share" else "num"),
                    Column("p_val", "p\u2011værdi", "p"))
            tests = [method_name(t) for t in dict.fromkeys(w["test"].dropna()) if str(t)]
            note = ("Test: " + ", ".join(tests) + ".") if tests else ""
            if by is None:
                for _, r in w.iterrows():
                    if not r["suppressed"] and pd.notna(r["value_to"]):
                        ctx.finding(change_sentence(r["item_label"], r["value_from"], r["value_to"], bool(r["significant"]),
                                                    wave_from="førmålingen", wave_to="eftermålingen", stat=stat), 2)
                chart = partial(charts.prepost, w, title=f"{'Indeks' if stat == 'mean' else 'Andel'} før og efter", source=source_line(ctx, w), size="full")
                name = f"foer_efter_{stat}"
            else:
                chart = partial(charts.wave_dumbbell, w, title=f"Før og efter fordelt på {cb[by].label.lower()}", source=source_line(ctx, w), size="full")
                name = f"foer_efter_{stat}_{by}"
            blocks.append(Figure(name, chart, w))
            if sec.table:
                title = "Parret sammenligning" + (f": {w['item_label'].iloc[0]}" if one else "")
                title += f", fordelt på {cb[by].label.lower()}" if by else ""
                blocks.append(Table(name, title, w, cols, note=note))
        return blocks

    return compose


# -- ranking -----------------------------------------------------------------------------------
def _ranking(ctx: Context, sec: Section) -> Composer:
    cb = ctx.cb
    codes = [c for c in select(cb, sec.items) if c in cb and cb[c].type == "ranking"]
    tids = []
    for code in codes:
        k = min(3, cb[code].k or 3)
        r = stats.rank_shares(asked(cb, ctx.now, code), code, k=k, **ctx.stats_kw())
        tids.append((code, k, ctx.register(r, "rank", ("share_first", "first_ci_low", "first_ci_high",
                                                        "share_top_k", "top_k_ci_low", "top_k_ci_high"))))

    def compose(ctx: Context) -> list[Block]:
        blocks = _heading(sec, "Prioritering")
        for code, k, tid in tids:
            r = publish.rounded(ctx.get(tid), ctx).sort_values("share_top_k", ascending=False, na_position="last")
            blocks.append(Paragraph(cb[code].text))
            if _base_note(ctx, [code]):
                blocks.append(Paragraph(_base_note(ctx, [code]), "sk-note"))
            blocks.append(Figure(f"prioritering_{code}", partial(charts.ranking_bars, r, title=sec.heading or cb[code].label, source=source_line(ctx, r), size="full"), r))
            if sec.table:
                top = "top tre" if k == 3 else f"top {k}"
                blocks.append(Table(f"prioritering_{code}", f"Andel med svaret på førstepladsen og blandt {top}", r, (
                    Column("label", "Svar"), Column("n_first", "Antal på 1. plads", "int"),
                    Column("share_first", "Andel på 1. plads", "pct"), Column("n_top_k", f"Antal i {top}", "int"),
                    Column("share_top_k", f"Andel i {top}", "pct"), Column("top_k_ci_low", "95\u00a0%\u2011KI, nedre", "pct"),
                    Column("top_k_ci_high", "95\u00a0%\u2011KI, øvre", "pct"))))
        return blocks

    return compose


# -- benchmark: the report's group beside the levels above it ----------------------------------
def _benchmark(ctx: Context, sec: Section) -> Composer:
    cb = ctx.cb
    if not ctx.scope.conditions:
        return _NOTHING
    codes = select(cb, sec.items) if sec.items else [s.code for s in cb.scales]
    shares, means = _split_by_stat(cb, codes)
    levels: list[tuple[str, Scope]] = [(ctx.scope.label, ctx.scope)]
    conds = ctx.scope.conditions
    for i in range(len(conds) - 1, 0, -1):
        var, code = conds[i - 1]
        levels.append((cb[var].values.get(code, str(code)), Scope(conds[:i], cb[var].values.get(code, ""), "")))
    levels.append((ctx.spec.whole, Scope()))
    df = ctx.survey.data
    if ctx.wave_col is not None:
        df = df[df[ctx.wave_col].eq(ctx.wave).fillna(False).to_numpy()]
    tids = []
    for stat, items in (("mean", means), ("share", shares)):
        if not items:
            continue
        for label, scope in levels:
            part = df[scope.mask(df).to_numpy()]
            t = stats.compare(part, items, stat=stat, **ctx.stats_kw())
            sc = {**scope.as_dict(), **({ctx.wave_col: ctx.wave} if ctx.wave_col else {})}
            tid = ctx.protector.add(t, scope=sc, kind="compare", value_columns=("value", "ci_low", "ci_high"))
            tids.append((stat, label, tid))

    def compose(ctx: Context) -> list[Block]:
        if not tids:
            return []
        blocks = _heading(sec, f"{ctx.scope.label} sammenlignet med resten af organisationen")
        for stat in ("mean", "share"):
            parts = []
            for s, label, tid in tids:
                if s != stat:
                    continue
                t = publish.rounded(ctx.get(tid), ctx)
                t = t[stats.total_mask(t)].copy()
                t["group"] = label
                t["group_code"] = label  # each level is a row of its own, not the chart's total
                t["is_total"] = False
                t["by"] = "niveau"
                t[["p_val", "q_val", "effect"]] = np.nan
                t["test"] = ""
                t["vs_total"] = ""
                parts.append(t)
            if not parts:
                continue
            bench = pd.concat(parts, ignore_index=True)
            rng = (0.0, 1.0) if stat == "share" else _scale_range(cb, bench["item"].iloc[0])
            title = f"{'Indeks' if stat == 'mean' else 'Andel'}: {ctx.scope.label} og niveauerne over"
            blocks.append(Figure(f"sammenligning_{stat}", partial(charts.heatmap, bench, title=title, source=source_line(ctx, bench), value_range=rng, size="full"), bench))
            if sec.table:
                blocks.append(Table(f"sammenligning_{stat}", title, bench, compare_columns(stat, "Niveau")))
        return blocks

    return compose


# -- gap: two item sets on one scale (today vs needed) -----------------------------------------
def _gap(ctx: Context, sec: Section) -> Composer:
    cb = ctx.cb
    today = select(cb, sec.items)
    needed = list(sec.pair or ())
    if len(today) != len(needed) or not today:
        raise ValueError(f"gap section {sec.heading!r}: items and pair must have the same length")
    now = ctx.now
    rid = cb.respondent_id.column
    keep = [rid, *(c for c in cb.design_roles(now.columns) if c in now.columns and c != rid)]

    def stacked(frame: pd.DataFrame) -> pd.DataFrame:
        """Today's and the needed answers as two rows per respondent (with the design columns)."""
        a = frame[[*keep, *today]].assign(_niveau=1)
        b = frame[[*keep, *needed]].rename(columns=dict(zip(needed, today, strict=True))).assign(_niveau=2)
        return pd.concat([a, b], ignore_index=True)

    dom = domain_of(now)
    if dom is None:
        long = stacked(now)
    else:  # a unit's report: its two rows per respondent stay a domain of the whole design
        whole = stacked(dom.full)
        twice = np.concatenate([dom.mask, dom.mask])
        long = mark_domain(whole[twice], whole, twice)
    w = stats.compare_waves(long, today, wave="_niveau", paired_on=rid, stat="mean", **ctx.stats_kw())
    labels = ("I dag", "Om fem år")
    tid = ctx.protector.add(w, scope=ctx.table_scope(extra={}), kind="waves",
                            value_columns=("value_from", "value_to", "change", "ci_low", "ci_high"))
    by_tids = []
    gaps = now.copy()
    gap_cols = []
    for t_code, n_code in zip(today, needed, strict=True):
        col = f"gap_{t_code}"
        gaps[col] = pd.to_numeric(gaps[n_code], errors="coerce") - pd.to_numeric(gaps[t_code], errors="coerce")
        gap_cols.append(col)
    gaps = gaps.rename(columns={f"gap_{c}": cb[c].label for c in today})
    label_cols = [cb[c].label for c in today]
    for by in breakdowns(ctx, sec):
        comp = stats.compare(gaps, label_cols, by=by, stat="mean", codebook=None, min_n=ctx.stats_min_n,
                             **design_arguments(cb))
        names = dict(cb[by].values)
        comp = comp.assign(group=[names.get(c, TOTAL) if pd.notna(c) else TOTAL for c in comp["group_code"]])
        by_tids.append((by, ctx.protector.add(comp, scope=ctx.table_scope(), kind="compare",
                                              value_columns=("value", "ci_low", "ci_high"))))

    def compose(ctx: Context) -> list[Block]:
        blocks = _heading(sec, "Kompetencegab")
        g = publish.rounded(ctx.get(tid), ctx).copy()
        g["wave_from"], g["wave_to"] = labels
        rng = _scale_range(cb, today[0])
        blocks.append(Figure("gab", partial(charts.wave_dumbbell, g, title=f"{sec.heading or 'Kompetencer'}: i dag og behov om fem år",
                                                         source=source_line(ctx, g), value_range=rng, size="full"), g))
        big = g[(~g["suppressed"].astype(bool)) & g["change"].notna()].sort_values("change", ascending=False)
        if len(big) and big["change"].iloc[0] > 0 and bool(big["significant"].iloc[0]):
            r = big.iloc[0]
            ctx.finding(f"Det største kompetencegab er {r['item_label'].lower()}: fra {r['value_from']:.1f} i dag "
                        f"til {r['value_to']:.1f} om fem år.".replace(".", ",", 1).replace(".", ",", 1), 3)
        if sec.table:
            blocks.append(Table("gab", "Kompetencer i dag og behov om fem år (gennemsnit, gab = behov minus i dag)", g, (
                Column("item_label", "Kompetence"), Column("n_to", "Antal svar", "int"), Column("value_from", "I dag", "num"),
                Column("value_to", "Om fem år", "num"), Column("change", "Gab", "num"),
                Column("ci_low", "95\u00a0%\u2011KI, nedre", "num"), Column("ci_high", "95\u00a0%\u2011KI, øvre", "num"), Column("p_val", "p\u2011værdi", "p"))))
        for by, btid in by_tids:
            comp = publish.rounded(ctx.get(btid), ctx)
            title = f"Kompetencegab fordelt på {cb[by].label.lower()}"
            blocks.append(Figure(f"gab_{by}", partial(charts.heatmap, comp, title=title, source=source_line(ctx, comp),
                                                             value_range=(-(rng[1] - rng[0]), rng[1] - rng[0]) if rng else None, size="full"), comp))
            if sec.table:
                blocks.append(Table(f"gab_{by}", title, comp, compare_columns("mean", _group_header(ctx, by))))
        return blocks

    return compose


# -- comments ----------------------------------------------------------------------------------
def _comments(ctx: Context, sec: Section) -> Composer:
    from survey_kit.privacy import text as ptext

    cb = ctx.cb
    codes = [c for c in select(cb, sec.items) if c in ctx.survey.data]
    finest = cb.hierarchy[-1] if cb.hierarchy else None
    by = finest if finest in ctx.survey.data else None
    opts = sec.comments or CommentOptions(limit=sec.limit)
    chosen = []
    for code in codes:
        sel = ptext.select_comments(ctx.now, code, by=by, min_n=ctx.min_n, limit=opts.limit,
                                    order=opts.order, seed=opts.seed)
        shown = tuple(sel.comments["comment"].tolist())
        chosen.append((code, shown, sel.method))

    def compose(ctx: Context) -> list[Block]:
        blocks = _heading(sec, "Kommentarer")
        for code, texts, sentence in chosen:
            blocks.append(Comments(title=cb[code].label, texts=texts))
            blocks.append(Paragraph(sentence, "sk-note"))
        return blocks

    return compose


# -- method ------------------------------------------------------------------------------------
def _method(ctx: Context, sec: Section) -> Composer:
    def compose(ctx: Context) -> list[Block]:
        return [*_heading(sec, "Metode"), *publish.method_paragraphs(ctx), *publish.provenance(ctx)]

    return compose


# -- dispatch (the engine adds the trend kind, which has its own module) ------------------------
#: Section kind -> the function computing it (phase 1; it returns the section's composer).
KINDS: dict[str, Callable[[Context, Section], Composer]] = {
    "findings": _findings, "response": _response, "items": _items, "scales": _scales,
    "waves": _waves, "panel": _panel, "ranking": _ranking, "benchmark": _benchmark,
    "gap": _gap, "comments": _comments, "method": _method,
}
