"""The Survey object keeps its codebook: selectors, filters by label or code, scale scores, and
statistics/charts called with the survey's codebook."""

from __future__ import annotations

import pandas as pd
import pytest

import survey_kit as sk
from survey_kit.codebook import instrument
from survey_kit.datasets import temperature_survey


@pytest.fixture(scope="module")
def temp():
    return sk.Survey(temperature_survey(seed=7), instrument("temperaturmaaling"))


def test_item_selectors(temp):
    assert temp.items(scale="miljoe_for_laering") == ["ml_1", "ml_2", "ml_3"]
    assert temp.items(scale="Miljø for læring") == ["ml_1", "ml_2", "ml_3"]  # by label too
    likert = temp.items(type="likert")
    assert len(likert) == 14 and likert[0] == "ml_1"
    assert temp.items(group=True) == ["bolge", "omraade", "enhed", "stilling"]
    assert temp.items(battery="st") == [
        "st_praesenteret", "st_ideer", "st_plan", "st_videndeler", "st_kerneviden",
        "st_velkomst"]  # added in 2012 (issue 24)
    assert temp.items(type="likert", codes=["ml_1", "st_plan"]) == ["ml_1"]
    with pytest.raises(ValueError, match="ingen skala 'miljoe'.*miljoe_for_laering"):
        temp.items(scale="miljoe")


def test_filter_by_label_equals_filter_by_code(temp):
    by_label = temp.filter(omraade="Skole")
    by_code = temp.filter(omraade=2)
    assert by_label.n == by_code.n == int((temp.data["omraade"] == 2).sum())
    assert by_label.filters == ("Fagområde: Skole",)
    assert temp.filter(omraade=["skole", "Ældre"]).n == int(temp.data["omraade"].isin([2, 3]).sum())
    with pytest.raises(ValueError, match="ingen kategori 'Skoler' \\(mente du 'Skole'\\?\\)"):
        temp.filter(omraade="Skoler")
    assert temp.n == len(temperature_survey(seed=7))  # the original survey is unchanged


def test_filter_drops_categories_that_no_longer_occur(temp):
    skole = temp.filter(omraade="Skole")
    cb = temp.codebook
    # the units of the area, from the codebook's hierarchy (unit -> area)
    units = {c for c, parent in cb["enhed"].parent.items() if parent == 2}
    seen = set(skole.data["enhed"].dropna().unique().tolist())
    assert seen <= units
    assert set(skole.codebook["enhed"].values) == seen
    assert skole.codebook["omraade"].values == {2: "Skole"}
    comp = skole.compare(["ml_1"], by="enhed")
    groups = comp[~comp["is_total"]]
    # no unit of another area comes back with n = 0 (notebook 2.0's problem)
    assert len(groups) == len(seen) and (groups["n"].fillna(1) > 0).all()
    assert len(cb["enhed"].values) > 3 * len(seen)
    # answer codes of the items are never dropped (a category nobody chose still has its 0 %)
    assert skole.codebook["ml_1"].values == cb["ml_1"].values


def test_with_scale_scores_keeps_the_codebook(temp):
    scored = temp.filter(bolge="2010").with_scale_scores()
    assert isinstance(scored, sk.Survey) and scored.codebook is not None
    assert scored.filters == ("Måling: 2010",)
    assert "miljoe_for_laering" in scored.data
    comp = scored.compare(["miljoe_for_laering"], by="omraade", stat="mean")
    assert comp["item_label"].iloc[0] == "Miljø for læring"
    ref = sk.scale_scores(temp.data[temp.data["bolge"] == 2], temp.codebook)["miljoe_for_laering"]
    total = comp[comp["is_total"]].iloc[0]
    assert total["value"] == pytest.approx(ref.mean())


def test_methods_use_the_codebook(temp):
    pd.testing.assert_frame_equal(
        temp.compare(["ml_1"], by="omraade"),
        sk.compare(temp.data, ["ml_1"], by="omraade", codebook=temp.codebook),
    )
    waves = temp.compare_waves(["ml_1"])  # the wave column comes from the codebook
    assert waves["wave_from"].iloc[0] == "2008/09"
    assert len(temp.reliability()) == len(temp.codebook.scales)
    fig = temp.likert(["ml_1", "ml_2"], title="Miljø for læring")
    assert len(fig.data) > 0
    assert temp.source().startswith("Kilde: Temperaturmåling")
