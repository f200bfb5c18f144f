"""The trend over three or more rounds (issue 24 part 4): survey_kit against R.

R's values come from tests/r/trend_refs.R (kept beside this test) over tests/r/data/waves_trend.csv
and are stored in tests/r/trend_refs.json."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_kit.codebook import parse_codebook
from survey_kit.stats import compare_waves, trend

HERE = Path(__file__).parent
R = json.loads((HERE / "r" / "trend_refs.json").read_text())
ENIG = {1: "Helt uenig", 2: "Overvejende uenig", 3: "Hverken enig eller uenig", 4: "Overvejende enig",
        5: "Helt enig"}
CB = parse_codebook({
    "instrument": "trend_test", "version": "1", "title": "Trend", "respondent_id": {"column": "rid"},
    "min_n": 1,
    "wave": {"column": "bolge", "labels": {1: "2008/09", 2: "2010", 3: "2012"}},
    "items": [
        {"code": "grp", "text": "Gruppe", "label": "Gruppe", "type": "single", "group": True,
         "values": {1: "A", 2: "B"}},
        {"code": "q", "text": "Spørgsmål", "label": "Spørgsmål", "type": "likert", "values": ENIG,
         "missing": {6: "Ved ikke"}, "positive": [4, 5]},
        {"code": "score", "text": "Indeks", "label": "Indeks", "type": "number"},
    ]})


@pytest.fixture(scope="module")
def data():
    d = pd.read_csv(HERE / "r" / "data" / "waves_trend.csv")
    d.insert(0, "rid", np.arange(len(d)))
    return d.astype({"bolge": "Int8", "grp": "Int8", "q": "Int8", "score": "Float64"})


def test_logistic_trend_matches_glm(data):
    t = trend(data, "q", wave="bolge", by="grp", codebook=CB).set_index("group")
    for label, ref in (("I alt", R["share_total"]), ("A", R["share_grp"][0]), ("B", R["share_grp"][1])):
        row = t.loc[label]
        # R: summary(glm(cbind(x, n - x) ~ t, family = binomial))$coefficients["t", ]
        assert row["slope"] == pytest.approx(ref["slope"], rel=1e-8)
        # R's IRLS stops when the deviance changes by < 1e-8 (its default) and takes the standard
        # error from that step's weights; survey_kit iterates to the maximum, as R does with
        # glm.control(epsilon = 1e-13): equal to 1e-9 there, to 1e-4 at R's default
        assert row["p_val"] == pytest.approx(ref["p_tight"], rel=1e-9)
        assert row["p_val"] == pytest.approx(ref["p"], rel=1e-4)
        assert row["ci_high"] - row["slope"] == pytest.approx(1.959963984540054 * ref["se_tight"], rel=1e-9)
        assert row["n"] == sum(ref["n"]) and row["n_waves"] == 3 and row["test"] == "logistic_trend"


def test_linear_trend_matches_lm(data):
    row = trend(data, "score", wave="bolge", stat="mean", codebook=CB).iloc[0]
    ref = R["mean_total"]  # R: summary(lm(score ~ t))
    assert row["slope"] == pytest.approx(ref["slope"], rel=1e-9)
    assert row["p_val"] == pytest.approx(ref["p"], rel=1e-6)


def test_changes_between_rounds_match_prop_test(data):
    ref = R["share_total"]
    w = compare_waves(data, "q", wave="bolge", codebook=CB)
    first_last = compare_waves(data[data["bolge"].isin([1, 3])], "q", wave="bolge", codebook=CB)
    got = [*w.itertuples(), *first_last.itertuples()]
    for row, r in zip(got, ref["changes"], strict=True):
        # R: prop.test(c(x_to, x_from), c(n_to, n_from), correct = FALSE) == chisq.test(2x2, correct = FALSE)
        assert (row.wave_from_code, row.wave_to_code) == (r["from"], r["to"])
        assert row.change == pytest.approx(r["change"], abs=1e-12)
        assert row.p_val == pytest.approx(r["p_prop"], rel=1e-6)
        assert row.p_val == pytest.approx(r["p_chisq"], rel=1e-6)


def test_a_round_below_min_n_suppresses_the_trend(data):
    t = trend(data, "q", wave="bolge", by="grp", codebook=CB, min_n=90).set_index("group")
    assert bool(t.loc["A", "suppressed"]) and pd.isna(t.loc["A", "p_val"])   # 83 answers in 2008/09
    assert not bool(t.loc["I alt", "suppressed"])


def test_broken_round_is_not_part_of_the_trend(data):
    raw = CB.model_dump(exclude_defaults=True)
    raw["items"][1]["recode"] = {"2008/09": {"codes": {}, "comparison": "broken", "note": "ny skala"}}
    cb = parse_codebook(raw)
    row = trend(data, "q", wave="bolge", codebook=cb).iloc[0]
    assert row["n_waves"] == 2 and row["waves"] == "2010, 2012"
    assert row["n"] == sum(R["share_total"]["n"][1:])


def test_compare_waves_skips_a_codebook_wave_without_rows(data):
    """Round 2010 left out (as for an item whose scale changed then): 2008/09 is compared with 2012
    directly, not each with an empty 2010."""
    raw = CB.model_dump(mode="json", exclude_defaults=True)
    raw["items"] = [{"code": "bolge", "text": "Måling", "label": "Måling", "type": "single", "group": True,
                     "values": {1: "2008/09", 2: "2010", 3: "2012"}}, *raw["items"]]
    cb = parse_codebook(raw)
    w = compare_waves(data[data["bolge"].isin([1, 3])], "q", wave="bolge", codebook=cb)
    assert len(w) == 1 and (w["wave_from"].iloc[0], w["wave_to"].iloc[0]) == ("2008/09", "2012")
    # R: prop.test(c(x3, x1), c(n3, n1), correct = FALSE)
    assert w["p_val"].iloc[0] == pytest.approx(R["share_total"]["changes"][2]["p_prop"], rel=1e-6)


def test_a_separated_trend_is_nan_not_an_error():
    # rounds that split into all-no and all-yes: R's glm warns (fitted probabilities 0 or 1) and
    # its slope runs off; the trend test is then not published (a small demo crashed here)
    from survey_kit.stats.waves import _logistic_trend

    slope, se = _logistic_trend(np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 5.0]),
                                np.array([5.0, 4.0, 5.0]))
    assert np.isnan(slope) and np.isnan(se)
    # a round without answers is left out, not a zero-weight row
    with_empty = _logistic_trend(np.array([1.0, 2.0, 3.0]), np.array([2.0, 0.0, 4.0]),
                                 np.array([5.0, 0.0, 5.0]))
    alone = _logistic_trend(np.array([1.0, 3.0]), np.array([2.0, 4.0]), np.array([5.0, 5.0]))
    assert with_empty == pytest.approx(alone)


def test_a_category_called_i_alt_is_no_total(data):
    """``is_total`` comes from the row without a group code, never from the label: a group
    named "I alt" keeps its own numbers and is not taken for the whole."""
    spec = CB.model_dump(mode="json", exclude_none=True)
    next(it for it in spec["items"] if it["code"] == "grp")["values"] = {1: "I alt", 2: "B"}
    cb = parse_codebook(spec)
    t = trend(data, "q", wave="bolge", by="grp", codebook=cb)
    assert t["is_total"].tolist() == [False, False, True]
    assert t.loc[~t["is_total"], "group_code"].tolist() == [1, 2]
    ref = R["share_grp"][0]  # the group "A" of the other tests, now labelled "I alt"
    assert t.iloc[0]["slope"] == pytest.approx(ref["slope"], rel=1e-8)
