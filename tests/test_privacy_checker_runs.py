"""The attacker against whole demo runs with many small units: today's per-table suppression
leaks, the RunGuard does not; and the test-statistic side channel on a run built to have it."""

from __future__ import annotations

import pandas as pd
import pytest
from privacy_runs import CB, demo_data, guarded, raw_tables, today
from test_privacy_guard import CODEBOOK, unit_data

from survey_kit import stats
from survey_kit.privacy import RunGuard, recoverable


@pytest.mark.parametrize(("n_per_wave", "min_n"), [(200, 5), (200, 10)])
def test_attacker_finds_leaks_today_and_none_after_the_run_guard(n_per_wave, min_n):
    df = demo_data(n_per_wave)
    tables, scopes = today(df, min_n, units=False)
    before = recoverable(tables, scopes=scopes, codebook=CB)
    # today: each table suppressed on its own, the report's own respondent count printed as is
    assert before["recoverable"].any(), "today's per-table suppression must leak on this run"
    tables, scopes, guard = guarded(df, min_n, units=False)
    after = recoverable(tables, scopes=scopes, codebook=CB, zeros_hidden=True)
    assert len(after) > 100  # many hidden cells to attack
    assert not after["recoverable"].any(), after[after["recoverable"]].head()
    # every hidden count keeps a range of at least 2 values, and so do positives and negatives
    assert (after["high"] - after["low"] >= 1).all()


def test_test_statistic_side_channel():
    """compare tests across every group with n >= min_n, including 102, hidden only to protect 101:
    from p and Cramér's V the test's N follows (166 = 160 shown + 6), so the one hidden group in
    the test has 6; unit 101 has 4 staff (public), so that group is 102 and 101 has 3."""
    data = unit_data({101: 3, 102: 6, 103: 25, 201: 30, 202: 40, 301: 30, 302: 35})
    staff = {101: 4, 102: 12, 103: 30, 201: 35, 202: 45, 301: 35, 302: 40}
    cb = CODEBOOK.model_copy(update={"population": {"enhed": staff}})
    today_table = stats.compare(data, "q", by="enhed", codebook=CODEBOOK, min_n=5)
    assert set(today_table.loc[today_table["suppressed"], "group_code"]) == {101, 102}
    blind = recoverable([today_table], codebook=cb, tests=False)
    assert not blind["recoverable"].any()  # subtraction alone: 101 + 102 = 9, not each
    found = recoverable([today_table], codebook=cb)
    n102 = found[(found["group_code"] == 102) & (found["quantity"] == "n")].iloc[0]
    assert n102["recoverable"] and n102["low"] == 6  # the true n of unit 102
    # after the run guard the test is blanked (or recomputed over the shown groups): nothing
    guard = RunGuard(CODEBOOK)
    raw = CODEBOOK.model_copy(update={"min_n": 1})
    tid = guard.add(stats.compare(data, "q", by="enhed", codebook=raw, min_n=1), scope={}, kind="compare")
    guard.protect()
    shown = data[~data["enhed"].isin([101, 102])]
    retest = stats.compare(shown, "q", by="enhed", codebook=raw, min_n=1)
    for published in (guard.table(tid), guard.table(tid, tests=retest)):
        assert not recoverable([published], codebook=cb)["recoverable"].any()


def test_run_guard_on_100_unit_reports():
    """Whole + 8 area + 100 unit reports, two waves, level, change and count tables: every table is
    registered, planned and published (its speed is benchmarks/reports.py's guard stage)."""
    raw = list(raw_tables(demo_data(200), 1))
    guard = RunGuard(CB, min_n=5)
    ids = [guard.add(t, scope=s, kind=k) for t, s, k in raw]
    guard.protect()
    tables = [guard.table(i) for i in ids]
    assert len(tables) == len(raw) > 600
    # no published count of 1-4 respondents anywhere, and the small units are hidden, not dropped
    ns = pd.concat([pd.to_numeric(t["n"], errors="coerce") for t in tables if "n" in t])
    assert not ((ns > 0) & (ns < 5)).any()
    assert ns.isna().sum() > 100
