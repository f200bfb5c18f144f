"""The leader-survey demo reproduces KL's published 2008 figures, computed with survey_kit's own
functions (published in "Ledernetværk i strategisk lys", KL 2008; seed 003)."""

from __future__ import annotations

import pytest

from survey_kit import compare, rank_shares
from survey_kit.codebook import instrument
from survey_kit.datasets import leader_survey
from survey_kit.survey import Survey


def headline_figures(survey: Survey) -> dict:
    """KL's four headline figures, computed with survey_kit's own public functions."""
    part = compare(survey, ["net_deltaget"])
    good = compare(survey, ["net_godt"])
    ranks = rank_shares(survey, "prioritet", k=3)
    net = ranks.loc[ranks["code"] == 1].iloc[0]
    return {
        "share_network": float(part.loc[part["is_total"], "value"].iloc[0]),
        "share_good": float(good.loc[good["is_total"], "value"].iloc[0]),
        "network_top3": float(net["share_top_k"]),
        "network_top_of_list": bool(net["share_top_k"] >= ranks["share_top_k"].max()
                                    and net["share_first"] >= ranks["share_first"].max()),
    }


@pytest.fixture(scope="module")
def survey():
    return Survey(leader_survey(), instrument("lederudvikling_2008"))


def test_764_leaders(survey):
    assert survey.n == 764


def test_nine_in_ten_joined_a_network(survey):
    h = headline_figures(survey)
    assert h["share_network"] == pytest.approx(0.90, abs=0.02)  # "ni ud af ti"


def test_ninety_percent_of_participants_rate_networks_good(survey):
    h = headline_figures(survey)
    assert h["share_good"] == pytest.approx(0.90, abs=0.02)  # "90 %"
    # the base is those who tried a network, Ved ikke outside it
    comp = compare(survey, ["net_godt"])
    total = comp[comp["group"] == "I alt"].iloc[0]
    joined = survey.data["net_deltaget"].isin([1, 2]).sum()
    assert total["n"] < joined


def test_networks_top_the_priority_list_and_nearly_half_rank_them_top_three(survey):
    h = headline_figures(survey)
    assert h["network_top_of_list"]
    assert 0.40 <= h["network_top3"] < 0.50  # "næsten halvdelen"
    assert h["network_top3"] == pytest.approx(0.47, abs=0.02)
    ranks = rank_shares(survey, "prioritet", k=3)
    assert ranks.sort_values("share_top_k").iloc[-1]["label"] == "Ledernetværk"


def test_networks_on_a_par_with_leadership_education(survey):
    means = compare(survey, ["udb_netvaerk", "udb_uddannelse", "udb_kursus", "udb_coaching", "udb_sparring"], stat="mean")
    total = means[means["group"] == "I alt"].set_index("item")["value"]
    assert set(total.nlargest(2).index) == {"udb_netvaerk", "udb_uddannelse"}
    assert abs(total["udb_netvaerk"] - total["udb_uddannelse"]) < 0.15
