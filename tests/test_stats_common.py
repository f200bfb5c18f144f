"""Interval and test formulas of survey_kit.stats against statsmodels and scipy (to 1e-9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from survey_kit.stats import _tests as T
from survey_kit.stats._common import bh, chi2_table, encode, fpc_factor, wilson

TOL = 1e-9


@pytest.mark.parametrize(("x", "n"), [(0, 10), (3, 7), (85, 436), (50, 50), (1, 1000)])
def test_wilson_matches_statsmodels(x, n):
    low, high = wilson(np.array([x]), np.array([n]), 0.95)
    exp_low, exp_high = proportion_confint(x, n, alpha=0.05, method="wilson")  # statsmodels
    assert low[0] == pytest.approx(exp_low, abs=TOL)
    assert high[0] == pytest.approx(exp_high, abs=TOL)


def test_wilson_other_level():
    low, high = wilson(np.array([30.0]), np.array([80.0]), 0.9)
    exp = proportion_confint(30, 80, alpha=0.1, method="wilson")  # statsmodels, 90 %
    assert (low[0], high[0]) == pytest.approx(exp, abs=TOL)


def test_bh_matches_multipletests():
    rng = np.random.default_rng(5)
    p = np.concatenate([rng.uniform(0, 0.05, 8), rng.uniform(0, 1, 30)])
    exp = multipletests(p, method="fdr_bh")[1]  # statsmodels multipletests(p, method="fdr_bh")
    np.testing.assert_allclose(bh(p), exp, atol=TOL, rtol=0)
    with_nan = np.append(p, np.nan)
    q = bh(with_nan)
    assert np.isnan(q[-1])
    np.testing.assert_allclose(q[:-1], exp, atol=TOL, rtol=0)


def test_chi2_table_matches_scipy():
    t = np.array([[12, 30, 7], [20, 18, 9], [5, 6, 14]])
    chi2, dof, p = chi2_table(t)
    ref = sps.chi2_contingency(t, correction=False)  # scipy chi2_contingency(correction=False)
    assert chi2 == pytest.approx(ref.statistic, abs=TOL)
    assert dof == ref.dof and p == pytest.approx(ref.pvalue, abs=TOL)


def test_welch_and_cohens_d():
    rng = np.random.default_rng(1)
    a, b = rng.normal(3, 1, 40), rng.normal(3.4, 2, 25)
    t, df, p, _ = T.welch(a.mean(), a.var(ddof=1), a.size, b.mean(), b.var(ddof=1), b.size)
    ref = sps.ttest_ind(a, b, equal_var=False)  # scipy ttest_ind(equal_var=False)
    assert t == pytest.approx(ref.statistic, abs=TOL)
    assert p == pytest.approx(ref.pvalue, abs=TOL)
    assert df == pytest.approx(ref.df, abs=TOL)
    d = T.cohens_d(a.mean(), a.var(ddof=1), a.size, b.mean(), b.var(ddof=1), b.size)
    pooled = np.sqrt(((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / 63)
    assert d == pytest.approx((a.mean() - b.mean()) / pooled, abs=TOL)  # textbook pooled-SD d


def test_anova_matches_f_oneway():
    rng = np.random.default_rng(2)
    gs = [rng.normal(m, 1, n) for m, n in [(1, 10), (1.5, 14), (0.8, 9), (1.1, 30)]]
    f, _, _, p, eta2 = T.anova(
        [g.mean() for g in gs], [g.var(ddof=1) for g in gs], [g.size for g in gs]
    )
    ref = sps.f_oneway(*gs)  # scipy f_oneway
    assert f == pytest.approx(ref.statistic, abs=TOL)
    assert p == pytest.approx(ref.pvalue, abs=TOL)
    allv = np.concatenate(gs)
    ssb = sum(g.size * (g.mean() - allv.mean()) ** 2 for g in gs)
    assert eta2 == pytest.approx(ssb / ((allv - allv.mean()) ** 2).sum(), abs=TOL)


def test_mann_whitney_and_kruskal_on_ties():
    rng = np.random.default_rng(3)
    a, b, c = rng.integers(1, 6, 30), rng.integers(2, 6, 22), rng.integers(1, 4, 15)
    pooled = np.concatenate([a, b])
    ranks = sps.rankdata(pooled)
    u1, p, r = T.mann_whitney(ranks[: a.size].sum(), a.size, b.size, T.tie_sum(pooled))
    ref = sps.mannwhitneyu(a, b, method="asymptotic")  # scipy mannwhitneyu(method="asymptotic")
    assert u1 == pytest.approx(ref.statistic, abs=TOL)
    assert p == pytest.approx(ref.pvalue, abs=TOL)
    assert r == pytest.approx(2 * ref.statistic / (a.size * b.size) - 1, abs=TOL)
    pooled3 = np.concatenate([a, b, c])
    ranks3 = sps.rankdata(pooled3)
    sums = [ranks3[:30].sum(), ranks3[30:52].sum(), ranks3[52:].sum()]
    h, df, p3, eps = T.kruskal(sums, [30, 22, 15], T.tie_sum(pooled3))
    ref3 = sps.kruskal(a, b, c)  # scipy kruskal
    assert h == pytest.approx(ref3.statistic, abs=TOL)
    assert p3 == pytest.approx(ref3.pvalue, abs=TOL)
    assert eps == pytest.approx(ref3.statistic / (pooled3.size - 1), abs=TOL)


def test_two_proportion_is_2x2_chi2():
    p = T.two_proportion(18, 40, 30, 45)
    ref = sps.chi2_contingency([[18, 22], [30, 15]], correction=False)  # scipy, no Yates
    assert p == pytest.approx(ref.pvalue, abs=TOL)


def test_encode_nullable_and_unknown():
    s = pd.Series([1, 6, None, 3, 7], dtype="Int8")
    np.testing.assert_array_equal(encode(s, [1, 2, 3, 6]), [0, 3, 4, 2, 5])
    s = pd.Series(["a", None, "b", "zz"])
    np.testing.assert_array_equal(encode(s, ["a", "b"]), [0, 2, 1, 3])


def test_fpc_factor():
    f = fpc_factor(np.array([10, 10, 5]), np.array([10, 20, np.nan]))
    np.testing.assert_allclose(f, [0.0, np.sqrt(10 / 19), 1.0])
