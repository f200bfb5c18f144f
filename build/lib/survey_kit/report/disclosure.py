"""Attack our own reports: can any hidden number be recovered from everything a run publishes?

:func:`disclosure_check` builds every report of a run (the whole survey and one per group of
``by``) exactly as :func:`survey_kit.report.render_reports` does, takes every protected table the
reports were composed from (with the population each describes), and hands them to
:func:`survey_kit.privacy.recoverable`, which bounds each hidden count by integer programming over
all of them at once: across reports, waves, scales and the hierarchy, with respondent counts, staff
numbers from the codebook and the test-statistic side channel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

COLUMNS = ["key", "level", "group_code", "wave", "quantity", "low", "high", "recoverable"]


def published_tables(run) -> tuple[list[pd.DataFrame], list[dict]]:
    """The tables a run publishes (stats shape) and the population (scope) of each."""
    tables, scopes = [], []
    for table, scope in run.published:
        if "n" not in table and "n_from" not in table:
            continue
        tables.append(table)
        scopes.append(scope)
    return tables, scopes


def disclosure_check(
    data: Any,
    codebook: Any = None,
    *,
    spec: Any = None,
    by: str | None = None,
    wave: str | int | None = None,
    min_n: int | None = None,
    min_width: float = 1,
    tests: bool = True,
) -> pd.DataFrame:
    """Feasible ranges of every hidden count over all reports of one run.

    Returns the checker's table (``key, level, group_code, wave, quantity, low, high,
    recoverable``); a safe run has no row with ``recoverable`` True.
    """
    from survey_kit.privacy import recoverable
    from survey_kit.report import _survey, _swap_old_order
    from survey_kit.report.engine import build_run

    data, codebook = _swap_old_order(data, codebook)
    survey = _survey(data if not isinstance(data, str | Path) else Path(data), codebook)
    run = build_run(survey, spec, by=by, wave=wave, min_n=min_n)
    tables, scopes = published_tables(run)
    if not tables:
        return pd.DataFrame(columns=COLUMNS)
    return recoverable(tables, scopes=scopes, codebook=survey.codebook, zeros_hidden=True,
                       min_width=min_width, tests=tests)
