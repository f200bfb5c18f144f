"""DisclosureGuard: hierarchy, waves and repeated breakdowns, attacked by the LP checker."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_privacy_suppression import breakdown, hidden_codes

from survey_kit.codebook import instrument, parse_codebook
from survey_kit.privacy import DisclosureGuard, recoverable, suppress_table

VALUES = ["value"]
CODEBOOK = parse_codebook(
    {
        "instrument": "test_hierarki",
        "version": "1",
        "title": "Test",
        "respondent_id": {"column": "id"},
        "min_n": 5,
        "hierarchy": ["omraade", "enhed"],
        "items": [
            {
                "code": "omraade",
                "text": "Område",
                "label": "Område",
                "type": "single",
                "group": True,
                "values": {1: "Børn", 2: "Skole", 3: "Ældre"},
            },
            {
                "code": "enhed",
                "text": "Enhed",
                "label": "Enhed",
                "type": "single",
                "group": True,
                "values": {101: "a", 102: "b", 103: "c", 201: "d", 202: "e", 301: "f", 302: "g"},
                "parent": {101: 1, 102: 1, 103: 1, 201: 2, 202: 2, 301: 3, 302: 3},
            },
            {
                "code": "q",
                "text": "Spørgsmål",
                "label": "Q",
                "type": "single",
                "values": {1: "Ja", 2: "Nej"},
                "positive": [1],
            },
            {
                "code": "chikane",
                "text": "Chikane",
                "label": "Chikane",
                "type": "single",
                "values": {1: "Ja", 2: "Nej"},
                "positive": [1],
                "min_n": 10,
            },
        ],
    }
)
PARENT = CODEBOOK["enhed"].parent


def unit_data(sizes: dict[int, int], item: str = "q") -> pd.DataFrame:
    """Respondents per unit with area codes; in each unit the first 40 % (rounded) answer Ja."""
    rows = []
    for unit, n in sizes.items():
        k = max(1, min(n - 1, round(0.4 * n))) if n > 1 else 1
        rows += [
            {"omraade": PARENT[unit], "enhed": unit, item: 1 if i < k else 2} for i in range(n)
        ]
    return pd.DataFrame(rows).astype("Int64")


def change_table(w1: pd.DataFrame, w2: pd.DataFrame, item: str, by: str) -> pd.DataFrame:
    """A ``compare_waves``-shaped table from two level tables (unpaired)."""
    a = breakdown(w1, item, by)
    b = breakdown(w2, item, by)
    m = a.merge(b, on=["item", "stat", "by", "group", "group_code"], suffixes=("_from", "_to"))
    out = m[["item", "stat", "by", "group", "group_code"]].copy()
    out["wave_from"], out["wave_to"] = 1, 2
    out["n_from"], out["n_to"] = m["n_from"], m["n_to"]
    out["value_from"], out["value_to"] = m["value_from"], m["value_to"]
    out["change"] = m["value_to"] - m["value_from"]
    out["suppressed"] = False
    return out


# area 1: 101 is small; area 3: both units small, so the area itself is small
SIZES = {101: 3, 102: 20, 103: 25, 201: 8, 202: 40, 301: 2, 302: 2}
# 101 is small and its complement on its own would be 201 in another area
LEAKY = {101: 3, 102: 20, 103: 25, 201: 8, 202: 40, 301: 30, 302: 35}


def test_independent_tables_leak_through_the_hierarchy():
    data = unit_data(LEAKY)
    units = suppress_table(
        breakdown(data, "q", "enhed"), min_n=5, partition=["item"], value_columns=VALUES
    )
    areas = suppress_table(
        breakdown(data, "q", "omraade"), min_n=5, partition=["item"], value_columns=VALUES
    )
    assert not recoverable([units])["recoverable"].any()  # each table is safe on its own
    found = recoverable([units, areas], codebook=CODEBOOK)
    leaked = found[found["recoverable"]]
    assert 101 in set(leaked["group_code"])  # area 1 minus its visible units


@pytest.mark.parametrize("sizes", [SIZES, LEAKY])
@pytest.mark.parametrize("order", ["units_first", "areas_first"])
def test_guard_protects_units_areas_and_total(order, sizes):
    data = unit_data(sizes)
    guard = DisclosureGuard(CODEBOOK)
    t_units, t_areas = breakdown(data, "q", "enhed"), breakdown(data, "q", "omraade")
    if order == "units_first":
        units = guard.protect(t_units, by="enhed", value_columns=VALUES, where="enheder")
        areas = guard.protect(t_areas, by="omraade", value_columns=VALUES, where="områder")
    else:
        areas = guard.protect(t_areas, by="omraade", value_columns=VALUES, where="områder")
        units = guard.protect(t_units, by="enhed", value_columns=VALUES, where="enheder")
    assert {u for u, n in sizes.items() if n < 5} <= hidden_codes(units)
    assert (3 in hidden_codes(areas)) == (sizes[301] + sizes[302] < 5)
    found = recoverable([units, areas], codebook=CODEBOOK)
    assert not found["recoverable"].any(), found[found["recoverable"]]
    log = guard.audit.to_frame()
    assert log["why"].str.startswith("primær").any() and log["why"].str.startswith("sekundær").any()
    assert "enheder" in set(log["where"])


def test_same_breakdown_in_two_tables_hides_the_same_cells():
    sizes = {101: 3, 102: 20, 103: 20, 201: 30, 202: 40, 301: 30, 302: 35}
    data = unit_data(sizes)
    first = breakdown(data, "q", "enhed")
    second = first.iloc[[0, *range(len(first) - 1, 0, -1)]].reset_index(drop=True)  # other order
    # on their own, the tie between 102 and 103 is broken differently: together they leak 101
    a = suppress_table(first, min_n=5, partition=["item"], value_columns=VALUES)
    b = suppress_table(second, min_n=5, partition=["item"], value_columns=VALUES)
    assert hidden_codes(a) != hidden_codes(b)
    assert recoverable([a, b], codebook=CODEBOOK)["recoverable"].any()
    guard = DisclosureGuard(CODEBOOK)
    a = guard.protect(first, by="enhed", value_columns=VALUES)
    b = guard.protect(second, by="enhed", value_columns=VALUES)
    assert hidden_codes(a) == hidden_codes(b)
    assert not recoverable([a, b], codebook=CODEBOOK)["recoverable"].any()
    assert guard.audit.to_frame()["why"].str.contains("tidligere tabel").any()


def test_waves_and_change_table():
    w1 = unit_data({101: 6, 102: 20, 103: 25, 201: 30, 202: 40, 301: 30, 302: 35})
    w2 = unit_data({101: 3, 102: 20, 103: 22, 201: 30, 202: 40, 301: 30, 302: 35})
    lv1, lv2, chg = (
        breakdown(w1, "q", "enhed"),
        breakdown(w2, "q", "enhed"),
        change_table(w1, w2, "q", "enhed"),
    )
    # naive: each level table on its own, the change table only where a wave is small
    n1 = suppress_table(lv1, min_n=5, partition=["item"], value_columns=VALUES)
    n2 = suppress_table(lv2, min_n=5, partition=["item"], value_columns=VALUES)
    small = (chg["n_from"] < 5) | (chg["n_to"] < 5)
    nc = chg.astype(
        {
            "n_from": "Int64",
            "n_to": "Int64",
            "value_from": "Float64",
            "value_to": "Float64",
            "change": "Float64",
        }
    )
    nc.loc[small, ["n_from", "n_to", "value_from", "value_to", "change"]] = pd.NA
    nc["suppressed"] = small
    assert recoverable([n1, n2, nc], waves=[1, 2, None], codebook=CODEBOOK)["recoverable"].any()

    guard = DisclosureGuard(CODEBOOK)
    p1 = guard.protect(lv1, by="enhed", wave=1, value_columns=VALUES)
    p2 = guard.protect(lv2, by="enhed", wave=2, value_columns=VALUES)
    pc = guard.protect(chg, by="enhed", where="udvikling")
    assert hidden_codes(p1) == set()  # 101 had 6 answers in wave 1: its wave-1 value is shown
    assert hidden_codes(p2) == hidden_codes(pc) == {101, 102}  # 102: smallest other unit in area 1
    row = pc[pc["group_code"] == 101].iloc[0]
    assert pd.isna(row["change"]) and pd.isna(row["value_from"]) and pd.isna(row["n_from"])
    found = recoverable([p1, p2, pc], waves=[1, 2, None], codebook=CODEBOOK)
    targets = found[found["wave"] == 2]
    assert len(targets) and not targets["recoverable"].any()
    # wave-1 cells of hidden change rows are published in the wave-1 table: no target there
    assert found[found["wave"] == 1].empty


def test_paired_change_table_hides_both_waves():
    w = unit_data({101: 3, 102: 20, 103: 25, 201: 30, 202: 40, 301: 30, 302: 35})
    chg = change_table(w, w, "q", "enhed")
    guard = DisclosureGuard(CODEBOOK)
    guard.protect(chg, by="enhed")
    cells = guard.hidden_cells()
    assert set(cells.loc[cells["group_code"] == 101, "wave"]) == {1, 2}
    assert not recoverable([guard.protect(chg, by="enhed")], codebook=CODEBOOK)["recoverable"].any()


def test_item_min_n_from_codebook_is_stricter():
    data = unit_data({101: 8, 102: 20, 103: 25, 201: 30, 202: 40, 301: 30, 302: 35}, item="chikane")
    out = DisclosureGuard(CODEBOOK).protect(
        breakdown(data, "chikane", "enhed"), by="enhed", value_columns=VALUES
    )
    assert 101 in hidden_codes(out)


def test_conflict_with_an_earlier_table_is_refused_and_state_kept():
    data = unit_data({101: 3, 102: 20, 103: 25, 201: 30, 202: 40, 301: 30, 302: 35})
    guard = DisclosureGuard(CODEBOOK)
    only_101 = data[data["enhed"] == 101]
    total = breakdown(only_101, "q", None)
    total.loc[0, "n"] = 9  # e.g. six respondents in the total left the unit question blank
    guard.protect(total, by=None)  # published total
    one_group = breakdown(only_101, "q", "enhed")
    one_group.loc[one_group["group_code"].isna(), "n"] = 9
    with pytest.raises(ValueError, match="already|allerede"):
        guard.protect(one_group, by="enhed", value_columns=VALUES)
    assert guard.hidden_cells().empty  # the failed call left no trace
    with pytest.raises(ValueError, match="group_code"):
        guard.protect(total.drop(columns="group_code"), by="enhed")


def test_shipped_hierarchy_loads():
    guard = DisclosureGuard(instrument("temperaturmaaling"))
    assert guard.min_n == 5 and "enhed" in guard._parents


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 30), min_size=7, max_size=7), st.booleans())
def test_property_hierarchy_never_recoverable(sizes, units_first):
    data = unit_data(dict(zip(PARENT, sizes, strict=True)))
    guard = DisclosureGuard(CODEBOOK)
    tables = {"enhed": breakdown(data, "q", "enhed"), "omraade": breakdown(data, "q", "omraade")}
    order = ["enhed", "omraade"] if units_first else ["omraade", "enhed"]
    try:
        published = [guard.protect(tables[by], by=by, value_columns=VALUES) for by in order]
    except ValueError as err:  # coarse table first: the guard may refuse, never leak
        assert not units_first and "finest breakdown first" in str(err)
        return
    found = recoverable(published, codebook=CODEBOOK)
    assert not found["recoverable"].any(), found[found["recoverable"]]


def test_suppress_table_on_a_change_table_protects_each_wave():
    w1 = unit_data({101: 6, 102: 20, 103: 25, 201: 30, 202: 40, 301: 30, 302: 35})
    w2 = unit_data({101: 3, 102: 20, 103: 22, 201: 30, 202: 40, 301: 30, 302: 35})
    chg = change_table(w1, w2, "q", "enhed")
    out = suppress_table(
        chg,
        min_n=5,
        partition=["item"],
        n_column=["n_from", "n_to"],
        share_column=["value_from", "value_to"],
        value_columns=["value_from", "value_to", "change"],
    )
    assert hidden_codes(out) == {101, 102}
    assert str(out["n_to"].dtype) == "Int64"
    found = recoverable([out], codebook=CODEBOOK)
    assert not found.loc[found["wave"] == 2, "recoverable"].any()
    primary = suppress_table(
        chg,
        min_n=5,
        partition=["item"],
        n_column=["n_from", "n_to"],
        value_columns=["value_from", "value_to", "change"],
        complementary=False,
    )
    assert recoverable([primary], codebook=CODEBOOK)["recoverable"].any()


def test_guard_on_a_frequencies_shaped_table():
    data = unit_data({101: 3, 102: 20, 103: 25, 201: 30, 202: 40, 301: 30, 302: 35})
    rows = []
    for code, grp in [(None, data), *data.groupby("enhed")]:
        for answer in (1, 2):
            rows.append(
                {
                    "item": "q",
                    "by": "enhed",
                    "group_code": code,
                    "code": answer,
                    "n": int((grp["q"] == answer).sum()),
                    "n_valid": len(grp),
                }
            )
    freq = pd.DataFrame(rows).astype({"group_code": "Int64"})
    out = DisclosureGuard(CODEBOOK).protect(
        freq, by="enhed", n_column="n_valid", value_columns=["n"]
    )
    hidden = out[out["suppressed"]]
    assert set(hidden["group_code"]) == {101, 102} and len(hidden) == 4
    assert hidden["n"].isna().all() and str(out["n"].dtype) == "Int64"
