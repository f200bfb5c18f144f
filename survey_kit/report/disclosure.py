"""Attack our own reports: can any hidden number be recovered from everything they publish?

:func:`disclosure_check` builds every report of a run (the whole survey and one per group of
``by``), collects every breakdown table and chart table they publish, and hands them to
:func:`survey_kit.privacy.recoverable`, which bounds each hidden count by linear programming over
all published numbers, across tables and up the hierarchy (unit -> area -> municipality).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from survey_kit.report.content import Figure, Table

_NEEDED = {"item", "group", "group_code", "n", "suppressed", "by"}


def published_breakdowns(report, *, area: int | None = None, area_column: str = "omraade") -> list[pd.DataFrame]:
    """The group breakdowns a report publishes, as level tables for the checker.

    In a report on one area (``area``), the total row of a breakdown is that area's row: it is
    relabelled as such so that the checker relates it to the other reports' area tables.
    """
    out = []
    for block in report.blocks:
        if not isinstance(block, Figure | Table):
            continue
        t = block.data
        if not _NEEDED <= set(t.columns) or "code" in t:
            continue  # per-answer-code tables and change tables have their own shape
        is_total = t["group"].eq("I alt") & t["group_code"].isna()
        t = t[t["group_code"].notna() | is_total].copy()
        if area is not None:
            tot = t["group_code"].isna()
            t.loc[tot, "by"] = area_column
            t.loc[tot, "group_code"] = area
        out.append(t)
    return out


def disclosure_check(instrument: str, data: str | Path, *, by: str | None = None, min_width: float = 1) -> pd.DataFrame:
    """Feasible ranges of every hidden count over all reports of one run (see module docstring).

    Returns the checker's table (``key, level, group_code, wave, quantity, low, high,
    recoverable``); a safe run has no row with ``recoverable`` True.
    """
    from survey_kit.privacy import recoverable
    from survey_kit.report import build_report, plan_jobs
    from survey_kit.survey import load_processed

    survey = load_processed(Path(data), instrument)
    tables: list[pd.DataFrame] = []
    for job in plan_jobs(instrument, Path(data), out_dir=Path("."), by=by):
        rep = build_report(instrument, survey, area=job.area)
        tables.extend(published_breakdowns(rep, area=job.area, area_column=by or "omraade"))
    if not tables:
        return pd.DataFrame(columns=["key", "level", "group_code", "wave", "quantity", "low", "high", "recoverable"])
    return recoverable(tables, codebook=survey.codebook, min_width=min_width)
