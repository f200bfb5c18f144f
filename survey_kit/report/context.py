"""What every section of a report sees: the report's scope (its population), the run's recorder
of published tables, and the :class:`Context` a section computes in. Shared by the engine, the
sections, the trend section and the findings (which the engine imports, never the reverse).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from survey_kit.codebook.model import Codebook
from survey_kit.fmt import fmt_int
from survey_kit.report.content import Block
from survey_kit.report.spec import ReportSpec
from survey_kit.survey import Survey


@dataclass(frozen=True)
class Scope:
    """The population of one report: conditions on group columns (empty for the whole survey)."""

    conditions: tuple[tuple[str, int], ...] = ()
    label: str = ""
    slug: str = "samlet"

    @property
    def var(self) -> str | None:
        return self.conditions[-1][0] if self.conditions else None

    @property
    def code(self) -> int | None:
        return self.conditions[-1][1] if self.conditions else None

    def as_dict(self) -> dict[str, int]:
        return dict(self.conditions)

    def mask(self, df: pd.DataFrame) -> pd.Series:
        m = pd.Series(True, index=df.index)
        for col, code in self.conditions:
            m &= df[col].eq(code).fillna(False).astype(bool)
        return m


def slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
    return re.sub(r"[^a-z0-9]+", "-", str(text).translate(table).lower()).strip("-") or "gruppe"


class LocalProtector:
    """Per-table suppression, as the statistics functions apply it (the tables arrive protected).

    The run-wide :class:`survey_kit.privacy.RunGuard` replaces it where available; both take the
    same calls.
    """

    def __init__(self, codebook: Codebook, *, min_n: int) -> None:
        self.codebook, self.min_n = codebook, min_n
        self._tables: dict[str, pd.DataFrame] = {}
        from survey_kit.privacy import AuditLog

        self.audit = AuditLog()

    def add(self, table: pd.DataFrame, *, scope: dict[str, int], kind: str,
            value_columns: tuple[str, ...] | list[str] = ()) -> str:
        tid = f"t{len(self._tables)}"
        self._tables[tid] = table
        return tid

    def protect(self) -> None:
        return None

    def table(self, tid: str, **_: object) -> pd.DataFrame:
        return self._tables[tid]


class Recorder:
    """The run's protector, recording what it hands out: every protected table with its scope
    (what the run publishes, for the attacker in :func:`survey_kit.report.disclosure_check`) and
    how each compare table was made (for tests recomputed over published groups)."""

    def __init__(self, inner, *, raw: bool) -> None:
        self.inner, self.raw = inner, raw
        self.audit = inner.audit
        self.scopes: dict[str, dict] = {}
        self.made: dict[str, object] = {}
        self.published: dict[str, tuple[pd.DataFrame, dict]] = {}

    def add(self, table: pd.DataFrame, *, scope: dict, kind: str, value_columns=()) -> str:
        tid = self.inner.add(table, scope=scope, kind=kind, value_columns=tuple(value_columns))
        self.scopes[tid] = dict(scope)
        return tid

    def protect(self) -> None:
        self.inner.protect()

    def table(self, tid: str, **kw) -> pd.DataFrame:
        out = self.inner.table(tid, **kw)
        self.published[tid] = (out, self.scopes[tid])
        return out

    def hidden_groups(self, by: str, scope: dict) -> set[int]:
        return self.inner.hidden_groups(by, scope) if hasattr(self.inner, "hidden_groups") else set()


def _protector(codebook: Codebook, min_n: int, *, per_table: bool = False) -> Recorder:
    """The run-wide guard; ``per_table`` (benchmarks only) the statistics' own suppression."""
    if per_table:
        return Recorder(LocalProtector(codebook, min_n=min_n), raw=False)
    from survey_kit.privacy import RunGuard

    return Recorder(RunGuard(codebook, min_n=min_n), raw=True)


@dataclass
class Context:
    """What a section knows while it computes: the data in scope, the waves, the protector."""

    survey: Survey  # the whole survey (all waves), scale scores added
    spec: ReportSpec
    scope: Scope
    min_n: int
    protector: Any
    wave: int | None  # the current wave's code (None without waves)
    previous: int | None  # the previous wave's code
    stats_codebook: Codebook  # the codebook the stats are called with (min_n 1 in raw mode)
    stats_min_n: int
    findings: list[tuple[int, str]] = field(default_factory=list)  # (priority, sentence)
    methods: set[str] = field(default_factory=set)  # test/interval codes used, for the method section
    candidates: list[Any] = field(default_factory=list)  # findings stated after adjustment (findings.py)

    @property
    def cb(self) -> Codebook:
        return self.survey.codebook

    @property
    def wave_col(self) -> str | None:
        return self.cb.wave.column if self.cb.wave is not None else None

    def wave_label(self, code: int | None) -> str:
        if code is None or self.cb.wave is None:
            return ""
        return self.cb.wave.labels.get(int(code), str(code))

    @property
    def scoped(self) -> pd.DataFrame:
        """Every wave of the report's population."""
        df = self.survey.data
        return self._domain(df, self.scope.mask(df).to_numpy())

    @property
    def now(self) -> pd.DataFrame:
        """The report's population in the current wave."""
        df = self.survey.data
        mask = self.scope.mask(df).to_numpy()
        if self.wave is not None:
            mask = mask & df[self.wave_col].eq(self.wave).fillna(False).to_numpy()
        return self._domain(df, mask)

    def _domain(self, df: pd.DataFrame, mask) -> pd.DataFrame:
        """The rows ``mask`` of the data; with a sampling design (the codebook's ``design:``
        block) marked as a domain of the whole design, as :meth:`Survey.filter` marks them (R's
        ``subset``): a unit's intervals and tests keep the variance of the whole sample."""
        sub = df[mask]
        if self.cb.design is not None and not bool(mask.all()):
            from survey_kit.stats.design import mark_domain

            sub = mark_domain(sub.copy(deep=False), df, mask)
        return sub

    def table_scope(self, *, wave: int | None | str = "current", extra: dict | None = None) -> dict:
        s = self.scope.as_dict()
        if self.wave_col is not None and wave is not None:
            s[self.wave_col] = self.wave if wave == "current" else wave
        if extra:
            s.update(extra)
        return s

    def register(self, table: pd.DataFrame, kind: str, value_columns=(), *, wave="current") -> str:
        return self.protector.add(table, scope=self.table_scope(wave=wave), kind=kind,
                                  value_columns=tuple(value_columns))

    def get(self, tid: str) -> pd.DataFrame:
        return self.protector.table(tid)

    def stats_kw(self) -> dict[str, Any]:
        return {"codebook": self.stats_codebook, "min_n": self.stats_min_n}

    def source(self) -> str:
        parts = [self.spec.title]
        if self.wave is not None:
            parts[0] += f" {self.wave_label(self.wave)}" if self.wave_label(self.wave)[:1].isdigit() else ""
        if self.scope.label:
            parts.append(self.scope.label)
        return f"Kilde: {', '.join(parts)}, antal svar = {fmt_int(len(self.now))}"

    def finding(self, sentence: str | None, priority: int = 5) -> None:
        if sentence:
            self.findings.append((priority, sentence))


Composer = Callable[[Context], list[Block]]
