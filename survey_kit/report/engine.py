"""One report engine: a :class:`~survey_kit.report.spec.ReportSpec` + a survey -> every report of a run.

A run is the whole survey plus one report per group of ``by`` (any categorical variable or
hierarchy level). It is built in three phases, so that disclosure control sees every number of
the run before anything is composed or written:

1. **compute**: each section of each report computes its statistics (:mod:`survey_kit.stats`) and
   registers every table it would publish with the run's protector, with the table's *scope*
   (the population it describes: the report's group and wave);
2. **protect**: the protector decides, for the whole run at once, which cells are hidden
   (:class:`survey_kit.privacy.RunGuard` when available);
3. **compose**: each section turns its protected tables into blocks (tables, charts, sentences).

Groups too small to report (fewer than ``min_n`` answers in the wave) get no report and a line in
the run's summary (:attr:`Run.skipped`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from survey_kit.privacy.run import raw_codebook
from survey_kit.report import sections, trend
from survey_kit.report.content import Block, Findings, Report
from survey_kit.report.context import Context, Scope, _protector, slug
from survey_kit.report.levels import _ancestors
from survey_kit.report.spec import ReportSpec, spec_for
from survey_kit.survey import Survey


@dataclass
class Built:
    """One report of a run: where it goes and what it holds."""

    scope: Scope
    report: Report


@dataclass
class Run:
    """Every report of a run, and the groups that got none (with the reason)."""

    reports: list[Built]
    skipped: list[tuple[str, str]]  # (group label, reason in Danish)
    audit: pd.DataFrame | None = None
    published: list[tuple[pd.DataFrame, dict]] = field(default_factory=list)  # (table, scope)


# -- planning ----------------------------------------------------------------------------------
def _waves(survey: Survey, wave: str | int | None) -> tuple[int | None, int | None]:
    w = survey.codebook.wave
    if w is None or w.column not in survey.data:
        if wave is not None:
            raise ValueError("wave: the codebook has no waves")
        return None, None
    present = sorted(int(x) for x in survey.data[w.column].dropna().unique())
    if not present:
        return None, None
    if wave is None:
        current = present[-1]
    else:
        by_label = {v: k for k, v in w.labels.items()}
        try:
            current = int(by_label.get(str(wave), wave))
        except (TypeError, ValueError):
            current = None  # type: ignore[assignment]
        if current not in present:
            shown = ", ".join(w.labels.get(p, str(p)) for p in present)
            raise ValueError(f"wave: {wave!r} is not in the data (waves present: {shown})")
    earlier = [p for p in present if p < current]
    return current, (earlier[-1] if earlier else None)


def plan_scopes(survey: Survey, by: str | None, *, wave: int | None, min_n: int) -> tuple[list[Scope], list[tuple[str, str]]]:
    """The whole survey plus one scope per group of ``by`` big enough to report."""
    cb = survey.codebook
    scopes = [Scope((), "", "samlet")]
    skipped: list[tuple[str, str]] = []
    if by is None:
        return scopes, skipped
    if by not in cb or not cb[by].is_categorical or by not in survey.data:
        groups = ", ".join(it.code for it in cb.items if it.group) or "ingen"
        raise ValueError(f"by: {by!r} is not a grouping variable of {cb.instrument} (group variables: {groups})")
    item = cb[by]
    df = survey.data
    if wave is not None and cb.wave is not None:
        df = df[df[cb.wave.column].eq(wave).fillna(False).to_numpy()]
    counts = df[by].value_counts()
    used: set[str] = set()
    for code, label in item.values.items():
        n = int(counts.get(code, 0))
        if n == 0:
            continue
        if n < min_n:
            skipped.append((label, f"{n} svar i målingen, færre end mindstegrænsen på {min_n}"))
            continue
        conditions = tuple((p, c) for p, c in _ancestors(cb, by, code)) + ((by, int(code)),)
        s = slug(label)
        while s in used or s == "samlet":
            s += f"-{code}"
        used.add(s)
        scopes.append(Scope(conditions, label, s))
    return scopes, skipped


# -- the sections ------------------------------------------------------------------------------
#: Section kind -> its compute function (``sections`` has every kind but the trend, which has its
#: own module and builds on ``sections``).
COMPUTE: dict[str, Callable] = {**sections.KINDS, "trend": trend.compute}


def compute_section(ctx: Context, sec: Any) -> Callable:
    """Phase 1 of one section: its tables registered; returns its composer (phase 3), which
    gives every figure one title."""
    composer = COMPUTE[sec.kind](ctx, sec)
    return lambda ctx: sections.one_title(composer(ctx))


# -- the run -----------------------------------------------------------------------------------
def build_run(
    survey: Survey,
    spec: ReportSpec | str | None = None,
    *,
    by: str | None = None,
    wave: str | int | None = None,
    min_n: int | None = None,
    _per_table: bool = False,
    ledger: Any = None,
) -> Run:
    """Build every report of a run (the whole + one per group of ``by``), protected together.

    ``_per_table`` (benchmarks only, never for publication) skips the run-wide guard.
    ``ledger`` (a :class:`survey_kit.privacy.Ledger`): what earlier runs on the same data published;
    the run protects its numbers together with them and adds its own to it (the caller saves it).
    """
    from survey_kit import stats

    cb = survey.codebook
    spec = spec_for(cb, spec)
    min_n = max(min_n or 0, spec.min_n or 0, cb.min_n)
    current, previous = _waves(survey, wave)
    scopes, skipped = plan_scopes(survey, by, wave=current, min_n=min_n)
    data = survey.data
    if cb.scales and not all(s.code in data for s in cb.scales):
        data = stats.with_scale_scores(data, cb)
    # columns ingest found personal without the codebook saying so are never drawn (issue 22)
    ids = {r.column for r in (cb.respondent_id, cb.panel_key) if r is not None}
    pii = [c for c in dict((survey.manifest or {}).get("personal_columns") or {}) if c in data and c not in ids]
    if pii:
        data = data.assign(**{c: pd.Series(pd.NA, index=data.index, dtype="string") for c in pii})
    full = Survey(data=data, codebook=cb, manifest=survey.manifest)
    protector = _protector(cb, min_n, per_table=_per_table)
    stats_cb = raw_codebook(cb) if protector.raw else cb
    stats_min_n = 1 if protector.raw else min_n
    plans: list[tuple[Context, list[tuple[str, sections.Composer]]]] = []
    for scope in scopes:
        ctx = Context(full, spec, scope, min_n, protector, current, previous, stats_cb, stats_min_n)
        plans.append((ctx, [(sec.kind, compute_section(ctx, sec)) for sec in spec.sections]))
    # every breakdown variable's respondent counts, so the guard knows the groups of the whole run
    if by is not None:
        register_counts(protector, full, Scope(), by, current)
    if ledger is not None and hasattr(protector.inner, "prior"):
        protector.inner.prior(ledger.records())
        protector.inner.strict = False
    protector.protect()
    if ledger is not None and hasattr(protector.inner, "records"):
        ledger.add(protector.inner.records())
    built = []
    hidden_by = set()
    if by is not None:
        sc = {cb.wave.column: current} if current is not None and cb.wave is not None else {}
        hidden_by = protector.hidden_groups(by, sc)
    for ctx, composers in plans:
        if ctx.scope.code is not None and ctx.scope.code in hidden_by:
            skipped.append((ctx.scope.label, "skjult for at beskytte en mindre gruppe (ellers kunne den regnes ud)"))
            continue
        parts: dict[int, list[Block]] = {}
        # findings and the method section are composed last: they state what the others found/used
        order = sorted(range(len(composers)), key=lambda i: composers[i][0] in ("findings", "method"))
        for i in order:
            parts[i] = composers[i][1](ctx)
        sentences = tuple(dict.fromkeys(s for _, s in sorted(ctx.findings, key=lambda x: x[0])))
        blocks = [Findings(sentences) if isinstance(b, sections.FindingsSlot) else b
                  for i in range(len(composers)) for b in parts[i]]
        report = Report(title=_title(ctx), subtitle=_subtitle(ctx))
        report.add(*_without_empty(blocks, ctx.min_n))
        built.append(Built(ctx.scope, report))
    audit = protector.audit.to_frame()
    return Run(built, skipped, audit, list(protector.published.values()))


def _all_hidden(data: pd.DataFrame) -> bool:
    if "suppressed" not in data or data.empty:
        return False
    return bool(data["suppressed"].fillna(False).astype(bool).all())


def _without_empty(blocks: list[Block], min_n: int) -> list[Block]:
    """A chart or table whose every number is hidden becomes one sentence saying so."""
    from survey_kit.report.content import Figure, Paragraph, Table

    note = f"Ikke vist: for få svar (færre end {min_n}) til at vise resultatet uden at afsløre nogen."
    nobody = "Ingen har svaret på spørgsmålet her."
    out: list[Block] = []
    for b in blocks:
        text = None
        if isinstance(b, Figure | Table):
            if _all_hidden(b.data):
                text = note
            elif _no_answers(b.data):
                text = nobody
        if text is None:
            out.append(b)
        elif not (out and isinstance(out[-1], Paragraph) and out[-1].text == text):
            out.append(Paragraph(text, "sk-note"))
    return out


def _no_answers(data: pd.DataFrame) -> bool:
    for col in ("n", "n_to", "n_valid"):
        if col in data and not data.empty:
            return bool(pd.to_numeric(data[col], errors="coerce").fillna(0).sum() == 0)
    return False


def register_counts(protector, survey: Survey, scope: Scope, by: str | None, wave: int | None) -> str | None:
    """Register respondents per group of ``by`` (and in total) in ``scope`` and the wave."""
    try:
        from survey_kit.privacy import respondent_counts
    except ImportError:
        return None
    df = survey.data[scope.mask(survey.data).to_numpy()]
    sc = scope.as_dict()
    cb = survey.codebook
    if wave is not None and cb.wave is not None:
        df = df[df[cb.wave.column].eq(wave).fillna(False).to_numpy()]
        sc[cb.wave.column] = wave
    return protector.add(respondent_counts(df, by), scope=sc, kind="count")


def _title(ctx: Context) -> str:
    label = ctx.wave_label(ctx.wave)
    wave = (f" {label}" if label[:1].isdigit() else f" ({label.lower()})") if label else ""
    scope = f": {ctx.scope.label}" if ctx.scope.label else ""
    return f"{ctx.spec.title}{wave}{scope}"


def _subtitle(ctx: Context) -> str:
    parts = [ctx.spec.subtitle] if ctx.spec.subtitle else []
    if ctx.scope.conditions and len(ctx.scope.conditions) > 1:
        cb = ctx.cb
        up = [cb[v].values.get(c, str(c)) for v, c in ctx.scope.conditions[:-1]]
        parts.append("Del af " + ", ".join(up))
    return ". ".join(parts)
