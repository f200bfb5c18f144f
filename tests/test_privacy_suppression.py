"""suppress_table (primary + complementary) checked by the adversarial LP checker."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from survey_kit.privacy import SUPPRESSED_LABEL, AuditLog, recoverable, suppress_table

VALUES = ["value"]


def respondents(
    sizes: dict[int, int], positives: dict[int, int], *, by: str = "enhed", item: str = "q"
) -> pd.DataFrame:
    """One row per respondent: ``positives[g]`` of ``sizes[g]`` in group g answer 1 (Ja), the rest 2."""
    rows = []
    for g, n in sizes.items():
        rows += [{by: g, item: 1 if i < positives[g] else 2} for i in range(n)]
    return pd.DataFrame(rows, columns=[by, item]).astype("Int64")


def breakdown(data: pd.DataFrame, item: str, by: str | None, *, positive: int = 1) -> pd.DataFrame:
    """A ``compare(stat="share")``-shaped table computed by plain pandas groupby."""
    answered = data[data[item].notna()]
    rows = [
        {
            "item": item,
            "stat": "share",
            "by": by or "",
            "group": "I alt",
            "group_code": pd.NA,
            "n": len(answered),
            "value": (answered[item] == positive).mean(),
        }
    ]
    if by is not None:
        for code, grp in answered.groupby(by):
            rows.append(
                {
                    "item": item,
                    "stat": "share",
                    "by": by,
                    "group": f"gruppe {code}",
                    "group_code": code,
                    "n": len(grp),
                    "value": (grp[item] == positive).mean(),
                }
            )
    out = pd.DataFrame(rows)
    out["group_code"] = out["group_code"].astype("Int64")
    out["n"] = out["n"].astype("int64")
    out["suppressed"] = False
    return out


def table(sizes: dict[int, int], positives: dict[int, int]) -> pd.DataFrame:
    return breakdown(respondents(sizes, positives), "q", "enhed")


def hidden_codes(t: pd.DataFrame) -> set:
    return {None if pd.isna(c) else int(c) for c in t.loc[t["suppressed"], "group_code"]}


def test_primary_suppression_blanks_n_and_values_and_keeps_input():
    t = table({1: 3, 2: 20, 3: 30}, {1: 1, 2: 10, 3: 12})
    before = t.copy()
    out = suppress_table(t, min_n=5, partition=["item"], value_columns=VALUES)
    pd.testing.assert_frame_equal(t, before)  # the caller's frame is untouched
    row = out[out["group_code"] == 1].iloc[0]
    assert row["suppressed"] and pd.isna(row["n"]) and pd.isna(row["value"])
    assert SUPPRESSED_LABEL.format(min_n=5) == "For få besvarelser (n<5)"


def test_checker_recovers_a_single_hidden_group_without_complementary_suppression():
    t = table({1: 3, 2: 20, 3: 30}, {1: 1, 2: 10, 3: 12})
    primary = suppress_table(
        t, min_n=5, partition=["item"], value_columns=VALUES, complementary=False
    )
    found = recoverable([primary]).set_index("quantity")
    # total 53 - 20 - 30 = 3 respondents; positives 23 - 10 - 12 = 1
    assert found.loc["n", ["low", "high"]].tolist() == [3, 3]
    assert found.loc["n_positive", ["low", "high"]].tolist() == [1, 1]
    assert found["recoverable"].all()


def test_complementary_hides_next_smallest_and_nothing_is_recoverable():
    t = table({1: 3, 2: 20, 3: 30, 4: 12}, {1: 1, 2: 10, 3: 12, 4: 5})
    audit = AuditLog()
    out = suppress_table(
        t,
        min_n=5,
        partition=["item"],
        value_columns=VALUES,
        audit=audit,
        where="tabel 1",
        share_column="value",
    )
    assert hidden_codes(out) == {1, 4}  # 4 has the fewest respondents after the small group
    assert not recoverable([out])["recoverable"].any()
    log = audit.to_frame()
    assert log["why"].str.startswith("primær: n=3 < 5").sum() == 1
    assert log["why"].str.startswith("sekundær: beskytter").sum() == 1
    assert (log["where"] == "tabel 1").all()


def test_two_hidden_groups_summing_below_min_n_get_a_third():
    t = table({1: 1, 2: 2, 3: 9, 4: 30}, {1: 1, 2: 1, 3: 4, 4: 20})
    primary = suppress_table(
        t, min_n=5, partition=["item"], value_columns=VALUES, complementary=False
    )
    found = recoverable([primary])
    # n1 + n2 = 3: each lies in 1..2, so the checker with a safe width of 3 flags them
    n_rows = found[found["quantity"] == "n"]
    assert (n_rows["high"] <= 2).all()
    assert recoverable([primary], min_width=3)["recoverable"].any()
    out = suppress_table(t, min_n=5, partition=["item"], value_columns=VALUES, share_column="value")
    assert hidden_codes(out) == {1, 2, 3}
    assert not recoverable([out], min_width=3)["recoverable"].any()


def test_homogeneous_hidden_groups_are_widened():
    # groups 1 and 2 answer "Ja" to a person: hidden together, their shares would both be 100 %
    t = table({1: 3, 2: 6, 3: 20, 4: 25}, {1: 3, 2: 6, 3: 5, 4: 10})
    # without a stat column suppress_table does not know that value is a share: rule R2 is off
    without_r2 = suppress_table(
        t.drop(columns="stat"), min_n=5, partition=["item"], value_columns=VALUES
    ).assign(stat="share")
    assert hidden_codes(without_r2) == {1, 2}
    assert recoverable([without_r2])["recoverable"].any()  # n_negative = 0: everyone said Ja
    out = suppress_table(t, min_n=5, partition=["item"], value_columns=VALUES)  # stat == "share"
    assert hidden_codes(out) == {1, 2, 3}
    assert not recoverable([out])["recoverable"].any()


def test_total_and_one_group_hides_the_total():
    t = table({1: 3}, {1: 1})
    out = suppress_table(t, min_n=5, partition=["item"], value_columns=VALUES)
    assert out["suppressed"].all()


def test_only_one_group_beside_the_small_one_hides_both_and_keeps_total():
    t = table({1: 2, 2: 40}, {1: 1, 2: 30})
    out = suppress_table(t, min_n=5, partition=["item"], value_columns=VALUES)
    assert hidden_codes(out) == {1, 2}
    assert not out.loc[out["group_code"].isna(), "suppressed"].any()
    assert not recoverable([out])["recoverable"].any()


def test_single_ones_are_not_left_exactly_known():
    t = table({1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 30}, {1: 1, 2: 0, 3: 1, 4: 0, 5: 1, 6: 10})
    out = suppress_table(t, min_n=5, partition=["item"], value_columns=VALUES, share_column="value")
    assert not recoverable([out])["recoverable"].any()


def test_partition_sets_are_separate_and_multiple_totals_refused():
    a = table({1: 3, 2: 20, 3: 30}, {1: 1, 2: 10, 3: 12})
    b = breakdown(respondents({1: 8, 2: 20, 3: 30}, {1: 1, 2: 10, 3: 12}, item="r"), "r", "enhed")
    both = pd.concat([a, b], ignore_index=True)
    out = suppress_table(both, min_n=5, partition=["item"], value_columns=VALUES)
    assert hidden_codes(out[out["item"] == "r"]) == set()
    assert hidden_codes(out[out["item"] == "q"]) == {1, 2}
    found = recoverable([out])
    assert set(found["key"]) == {"q"} and not found["recoverable"].any()
    with pytest.raises(ValueError, match="partition"):
        suppress_table(both, min_n=5, partition=[], value_columns=VALUES)
    with pytest.raises(ValueError, match="min_n"):
        suppress_table(both, min_n=0)
    with pytest.raises(ValueError, match="n_column"):
        suppress_table(both, min_n=5, n_column="antal")


def test_rows_marked_suppressed_stay_suppressed_and_get_protected():
    t = table({1: 10, 2: 20, 3: 30}, {1: 1, 2: 10, 3: 12})
    t.loc[t["group_code"] == 1, "suppressed"] = True
    out = suppress_table(t, min_n=5, partition=["item"], value_columns=VALUES)
    assert hidden_codes(out) == {1, 2}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 25), st.floats(0, 1)), min_size=1, max_size=7),
    st.sampled_from([3, 5, 10]),
)
def test_property_nothing_recoverable_after_suppression(groups, min_n):
    sizes = {i + 1: n for i, (n, _) in enumerate(groups) if n > 0}
    assume(sizes)
    positives = {g: int(round(groups[g - 1][1] * n)) for g, n in sizes.items()}
    total_n, total_pos = sum(sizes.values()), sum(positives.values())
    assume(0 < total_pos < total_n)  # a homogeneous total tells everyone's answer by itself
    t = table(sizes, positives)
    out = suppress_table(
        t, min_n=min_n, partition=["item"], value_columns=VALUES, share_column="value"
    )
    shown_n = out.loc[~out["suppressed"], "n"].astype(int)
    assert ((shown_n >= min_n) | (shown_n == 0)).all()
    if out["suppressed"].any():
        found = recoverable([out])
        assert not found["recoverable"].any(), found[found["recoverable"]]


def test_checker_lp_relaxation_agrees_on_exact_recovery():
    t = table({1: 3, 2: 20, 3: 30}, {1: 1, 2: 10, 3: 12})
    primary = suppress_table(
        t, min_n=5, partition=["item"], value_columns=VALUES, complementary=False
    )
    assert recoverable([primary], integral=False)["recoverable"].all()
    broken = primary.copy()
    broken.loc[0, "n"] = 10  # a total smaller than its visible parts
    with pytest.raises(ValueError, match="contradict"):
        recoverable([broken])
    assert np.isfinite(recoverable([primary], complete=False)["high"]).all()
