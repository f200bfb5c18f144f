"""RunGuard: one disclosure control for a whole report run (cells, relations, tests, rounding)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_privacy_guard import CODEBOOK, unit_data

from survey_kit import stats
from survey_kit.privacy import RunGuard, Scope, recoverable, respondent_counts
from survey_kit.privacy._scope import Hierarchy

RAW = CODEBOOK.model_copy(update={"min_n": 1})  # stats apply max(min_n, codebook.min_n)
SIZES = {101: 3, 102: 6, 103: 25, 201: 30, 202: 40, 301: 30, 302: 35}


def run(data: pd.DataFrame, min_n: int = 5):
    """The municipality report by unit and by area, and each area's report by unit."""
    guard = RunGuard(CODEBOOK, min_n=min_n)
    ids = {}
    ids["kommune_enhed"] = guard.add(
        stats.compare(data, "q", by="enhed", codebook=RAW, min_n=1), scope={}, kind="compare"
    )
    ids["kommune_omraade"] = guard.add(
        stats.compare(data, "q", by="omraade", codebook=RAW, min_n=1), scope={}, kind="compare"
    )
    ids["kommune_antal"] = guard.add(respondent_counts(data, "enhed"), scope={}, kind="count")
    for a in (1, 2, 3):
        part = data[data["omraade"] == a]
        ids[f"omraade_{a}"] = guard.add(
            stats.compare(part, "q", by="enhed", codebook=RAW, min_n=1), scope={"omraade": a},
            kind="compare",
        )
    guard.protect()
    return guard, ids


def hidden(t: pd.DataFrame) -> set:
    return {None if pd.isna(c) else int(c) for c in t.loc[t["suppressed"], "group_code"]}


def test_scope_normalised_by_hierarchy():
    h = Hierarchy(CODEBOOK)
    assert Scope.of({"omraade": 1, "enhed": 101}, h) == Scope.of({"enhed": 101}, h)
    with pytest.raises(ValueError, match="belongs to omraade=1"):
        Scope.of({"omraade": 2, "enhed": 101}, h)


def test_same_cell_hidden_alike_in_every_report():
    guard, ids = run(unit_data(SIZES))
    whole = guard.table(ids["kommune_enhed"])
    area = guard.table(ids["omraade_1"])
    # 101 (n=3) primary; 102 (n=6) its complement: hidden in the municipality AND the area report
    assert hidden(whole) == {101, 102} == hidden(area)
    # 101 has 3 < 5 respondents; 102's respondent count protects it in the count table: neither
    # group can have a report of its own
    assert guard.hidden_groups("enhed", {"omraade": 1}) == {101, 102}
    # the area-1 report's total is the municipality's area-1 row: one variable, shown in both
    assert not guard.table(ids["kommune_omraade"])["suppressed"].any()
    published = [guard.table(i) for i in ids.values()]
    scopes = [{}, {}, {}, {"omraade": 1}, {"omraade": 2}, {"omraade": 3}]
    found = recoverable(published, scopes=scopes, codebook=CODEBOOK, zeros_hidden=True)
    assert len(found) and not found["recoverable"].any()


def test_tests_blanked_rounded_or_recomputed_over_published_groups():
    data = unit_data(SIZES)
    guard, ids = run(data)
    whole = guard.table(ids["kommune_enhed"])
    assert whole["p_val"].isna().all() and (whole["test"] == "").all()  # 101, 102 hidden
    # the engine recomputes the test without the hidden groups: published, rounded
    shown = data[~data["enhed"].isin([101, 102])]
    retest = stats.compare(shown, "q", by="enhed", codebook=RAW, min_n=1)
    out = guard.table(ids["kommune_enhed"], tests=retest)
    p = float(retest["p_val"].iloc[0])
    assert out["p_val"].iloc[0] == (0.0 if p < 0.001 else round(p, 3))
    assert out["effect"].iloc[0] == round(float(retest["effect"].iloc[0]), 2)
    assert (out["test_scope"] == "published").all()
    # a "recomputed" test that still contains a hidden group is refused
    bad = stats.compare(data, "q", by="enhed", codebook=RAW, min_n=1)
    assert guard.table(ids["kommune_enhed"], tests=bad)["p_val"].isna().all()
    # tables without hidden groups keep their test, rounded; CIs rounded as shown (shares: 3)
    areas = guard.table(ids["kommune_omraade"])
    assert areas["p_val"].notna().all()
    ci = areas["ci_low"].dropna().to_numpy(dtype=float)
    np.testing.assert_allclose(ci, np.round(ci, 3))


def test_respondents_without_a_group_are_a_residual_not_an_error():
    data = unit_data(SIZES)
    data.loc[data.index[-4:], "enhed"] = pd.NA  # 4 people in area 3 gave no unit
    guard, ids = run(data[data["omraade"].notna()])
    assert hidden(guard.table(ids["kommune_enhed"])) >= {101}


def test_small_group_hidden_in_every_measure_including_zeros():
    data = unit_data({**SIZES, 101: 2})
    data["r"] = data["q"]
    data.loc[data["enhed"] == 101, "r"] = pd.NA  # nobody in 101 answered r: n = 0
    guard = RunGuard(CODEBOOK)
    comp = stats.compare(data, ["q", "r"], by="enhed", positive=[1], codebook=RAW, min_n=1)
    t = guard.add(comp, scope={}, kind="compare")
    guard.add(respondent_counts(data, "enhed"), scope={}, kind="count")
    guard.protect()
    out = guard.table(t)
    rows = out[out["group_code"] == 101]
    assert rows["suppressed"].all() and rows["n"].isna().all()  # the 0 of r is not printed


def test_change_row_hidden_when_either_wave_is():
    w1 = unit_data(SIZES).assign(bolge=1)
    w2 = unit_data({**SIZES, 101: 8, 102: 2}).assign(bolge=2)
    both = pd.concat([w1, w2], ignore_index=True)
    guard = RunGuard(CODEBOOK)
    chg = guard.add(
        stats.compare_waves(both, "q", wave="bolge", by="enhed", codebook=RAW, min_n=1),
        scope={}, kind="waves",
    )
    for w, d in ((1, w1), (2, w2)):
        guard.add(stats.compare(d, "q", by="enhed", codebook=RAW, min_n=1), scope={"bolge": w}, kind="compare")
    guard.protect()
    out = guard.table(chg)
    assert {101, 102} <= hidden(out)
    row = out[out["group_code"] == 101].iloc[0]
    assert pd.isna(row["n_from"]) and pd.isna(row["change"]) and pd.isna(row["p_val"])


def test_bad_input_is_a_sentence():
    guard = RunGuard(CODEBOOK)
    with pytest.raises(ValueError, match="kind"):
        guard.add(pd.DataFrame({"n": [1]}), scope={}, kind="pie")
    with pytest.raises(ValueError, match="protect"):
        guard.table("t0")
