"""Adversarial report runs built from the temperaturmåling demo generator, for the run-guard and
attacker tests: the whole municipality, each area and each unit, both waves, with level tables,
change tables and respondent counts, published two ways:

* ``today``: every table suppressed on its own by the stats functions (``min_n``), and the
  report's respondent count printed as is (as ``report.builders._common.response_blocks`` does);
* ``guard``: raw tables (``min_n=1``) registered with one :class:`RunGuard`, protected together.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from survey_kit import stats
from survey_kit.codebook import instrument
from survey_kit.datasets.temperature import temperature_survey
from survey_kit.privacy import RunGuard, respondent_counts

CB = instrument("temperaturmaaling")
#: The stats functions apply ``max(min_n, codebook.min_n_for(item))``: raw tables need a codebook
#: whose survey minimum is 1.
RAW_CB = CB.model_copy(update={"min_n": 1})
SHARES = ["st_plan"]
MEANS = ["miljoe_for_laering", "intern_udveksling"]


@cache
def demo_data(n_per_wave: int, seed: int = 7) -> pd.DataFrame:
    return stats.with_scale_scores(temperature_survey(n_per_wave=n_per_wave, seed=seed), CB)


def reports(df: pd.DataFrame, *, units: bool = True) -> list[tuple[dict, str | None, pd.DataFrame]]:
    """(scope, breakdown, data) of every report: the whole, each area by unit, each unit."""
    out: list[tuple[dict, str | None, pd.DataFrame]] = [({}, "omraade", df)]
    for a in sorted(df["omraade"].dropna().unique()):
        out.append(({"omraade": int(a)}, "enhed", df[df["omraade"] == a]))
    if units:
        for u in sorted(df["enhed"].dropna().unique()):
            out.append(({"enhed": int(u)}, None, df[df["enhed"] == u]))
    return out


def raw_tables(df: pd.DataFrame, min_n: int, *, units: bool = True, extra_whole: bool = True):
    """Yield (table, scope, kind) of the run; ``min_n`` as given to the stats functions (1: raw)."""
    cb = RAW_CB if min_n == 1 else CB
    for scope, by, data in reports(df, units=units):
        for w in (1, 2):
            now = data[data["bolge"] == w]
            if now.empty:
                continue
            sc = {**scope, "bolge": w}
            yield respondent_counts(now, by), sc, "count"
            yield stats.compare(now, SHARES, by=by, codebook=cb, min_n=min_n), sc, "compare"
            yield stats.compare(now, MEANS, by=by, stat="mean", codebook=cb, min_n=min_n), sc, "compare"
            if extra_whole and not scope:  # the municipality by unit as well
                yield respondent_counts(now, "enhed"), sc, "count"
                yield stats.compare(now, SHARES, by="enhed", codebook=cb, min_n=min_n), sc, "compare"
        if data.groupby("bolge").size().reindex([1, 2]).fillna(0).min() > 0:
            for items, stat in ((SHARES, "share"), (MEANS, "mean")):
                t = stats.compare_waves(data, items, wave="bolge", by=by, stat=stat, codebook=cb, min_n=min_n)
                yield t, scope, "waves"


def today(df: pd.DataFrame, min_n: int, **kw) -> tuple[list[pd.DataFrame], list[dict]]:
    """Today's publication: per-table suppression; the report's respondent count unsuppressed."""
    tables, scopes = [], []
    for t, sc, kind in raw_tables(df, min_n, **kw):
        if kind == "count":
            t = t[t["group_code"].isna()]  # "Besvarelser i analysen": the report's own n
        tables.append(t)
        scopes.append(sc)
    return tables, scopes


def guarded(df: pd.DataFrame, min_n: int, **kw) -> tuple[list[pd.DataFrame], list[dict], RunGuard]:
    """The same run through one RunGuard (raw tables, then one protect())."""
    guard = RunGuard(CB, min_n=min_n)
    ids, scopes = [], []
    for t, sc, kind in raw_tables(df, 1, **kw):
        ids.append(guard.add(t, scope=sc, kind=kind))
        scopes.append(sc)
    guard.protect()
    return [guard.table(i) for i in ids], scopes, guard
