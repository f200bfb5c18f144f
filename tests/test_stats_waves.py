"""compare_waves() and attrition(): independent and paired changes against statsmodels/scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import confint_proportions_2indep

from survey_kit.codebook import instrument
from survey_kit.stats import attrition, compare_waves
from survey_kit.survey import Survey

TOL = 1e-9


@pytest.fixture(scope="module")
def panel():
    """netvaerksevaluering: 150 leaders before, 120 of them (plus 10 new) after a year."""
    cb = instrument("netvaerksevaluering")
    rng = np.random.default_rng(8)
    n = 150
    before = pd.DataFrame(
        {
            "leder_id": [f"k{i}" for i in range(n)],
            "maaling": 1,
            "sektor": np.r_[np.full(3, 3), rng.integers(1, 3, n - 3)],
            "sh_1": rng.integers(1, 7, n),
            "pl_1": rng.integers(1, 6, n),
        }
    )
    after = before.iloc[:120].copy()
    after["maaling"] = 2
    after["sh_1"] = np.clip(after["sh_1"] + rng.integers(-1, 3, 120), 1, 6)
    after["pl_1"] = rng.integers(2, 6, 120)
    new = before.iloc[:10].assign(leder_id=[f"n{i}" for i in range(10)], maaling=2)
    df = pd.concat([before, after, new], ignore_index=True)
    for c in ("maaling", "sektor", "sh_1", "pl_1"):
        df[c] = df[c].astype("Int8")
    return Survey(df, cb)


def _shares(df, item, wave, pos=(4, 5)):
    x = df.loc[df["maaling"] == wave, item].astype(float)
    x = x[x.isin([1, 2, 3, 4, 5])]
    return int(x.isin(pos).sum()), len(x)


def test_independent_shares_newcombe(panel):
    df = panel.data
    before = df.copy()
    out = compare_waves(panel, ["sh_1", "pl_1"], wave="maaling")
    assert list(out.columns[:20]) == [
        "item",
        "item_label",
        "stat",
        "by",
        "group",
        "group_code",
        "wave_from",
        "wave_to",
        "n_from",
        "n_to",
        "value_from",
        "value_to",
        "change",
        "ci_low",
        "ci_high",
        "p_val",
        "q_val",
        "test",
        "significant",
        "suppressed",
    ]
    ps = []
    for _, r in out.iterrows():
        x0, n0 = _shares(df, r["item"], 1)
        x1, n1 = _shares(df, r["item"], 2)
        assert (r["n_from"], r["n_to"]) == (n0, n1)
        assert r["change"] == pytest.approx(x1 / n1 - x0 / n0, abs=TOL)
        # statsmodels confint_proportions_2indep(method="newcomb", compare="diff")
        low, high = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff")
        assert (r["ci_low"], r["ci_high"]) == pytest.approx((low, high), abs=TOL)
        ref = sps.chi2_contingency([[x1, n1 - x1], [x0, n0 - x0]], correction=False)  # scipy
        assert r["p_val"] == pytest.approx(ref.pvalue, abs=TOL)
        ps.append(ref.pvalue)
    assert out["wave_from"].iloc[0] == "Før" and out["wave_to"].iloc[0] == "Efter et år"
    q = sps.false_discovery_control(ps)  # scipy BH (= statsmodels fdr_bh)
    np.testing.assert_allclose(out["q_val"], q, atol=TOL)
    pd.testing.assert_frame_equal(df, before)


def test_independent_means_welch(panel):
    df = panel.data
    out = compare_waves(panel, "pl_1", wave="maaling", by="sektor", stat="mean")
    shown = out[~out["suppressed"]]
    assert len(shown) >= 2  # Dagtilbud may be hidden by complementary suppression
    for _, r in shown.iterrows():
        sel = df if r["group"] == "I alt" else df[df["sektor"] == r["group_code"]]
        a = sel.loc[sel["maaling"] == 2, "pl_1"].astype(float).to_numpy()
        b = sel.loc[sel["maaling"] == 1, "pl_1"].astype(float).to_numpy()
        ref = sps.ttest_ind(a, b, equal_var=False)  # scipy ttest_ind(equal_var=False)
        assert r["p_val"] == pytest.approx(ref.pvalue, abs=TOL)
        assert r["change"] == pytest.approx(a.mean() - b.mean(), abs=TOL)
        ci = ref.confidence_interval(0.95)  # Welch interval of the difference
        assert (r["ci_low"], r["ci_high"]) == pytest.approx((ci.low, ci.high), abs=TOL)
    small = out[out["group"] == "Ældrepleje"].iloc[0]  # 3 leaders: suppressed
    assert small["suppressed"] and pd.isna(small["change"]) and not small["significant"]


def _pairs(df, item):
    a = df[df["maaling"] == 1].set_index("leder_id")[item].astype(float)
    b = df[df["maaling"] == 2].set_index("leder_id")[item].astype(float)
    both = a.index.intersection(b.index)
    return a[both], b[both]


def test_paired_shares_mcnemar(panel):
    df = panel.data
    out = compare_waves(panel, "sh_1", wave="maaling", paired_on="leder_id")
    a, b = _pairs(df, "sh_1")
    ok = a.isin([1, 2, 3, 4, 5]) & b.isin([1, 2, 3, 4, 5])
    p0, p1 = a[ok].isin([4, 5]), b[ok].isin([4, 5])
    table = (
        pd.crosstab(p0, p1)
        .reindex(index=[True, False], columns=[True, False], fill_value=0)
        .to_numpy()
    )
    r = out.iloc[0]
    assert r["n_from"] == ok.sum()
    assert r["change"] == pytest.approx(p1.mean() - p0.mean(), abs=TOL)
    bc = table[0, 1] + table[1, 0]
    ref = mcnemar(table, exact=bc < 25, correction=True)  # statsmodels mcnemar
    assert r["p_val"] == pytest.approx(ref.pvalue, abs=TOL)
    assert r["test"] == ("mcnemar_exact" if bc < 25 else "mcnemar_chi2")


def test_paired_newcombe_published_example():
    # Fagerland, Lydersen & Laake (2017), Cavo et al. 2012: [[59, 6], [16, 80]];
    # contingencytables::Newcombe_square_and_add_CI_paired_2x2 prints
    # "estimate = -0.0621 (95% CI -0.1186 to -0.0046)" for before - after.
    cells = [(1, 1, 59), (1, 0, 6), (0, 1, 16), (0, 0, 80)]
    rows = [(f, t) for f, t, k in cells for _ in range(k)]
    df = pd.DataFrame(
        {
            "id": np.tile(np.arange(len(rows)), 2),
            "w": np.repeat([1, 2], len(rows)),
            "q": [f for f, _ in rows] + [t for _, t in rows],
        }
    )
    out = compare_waves(df, "q", wave="w", paired_on="id", positive=[1])
    r = out.iloc[0]
    assert r["change"] == pytest.approx(0.0621, abs=5e-5)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.0046, 0.1186), abs=5e-5)
    ref = mcnemar([[59, 6], [16, 80]], exact=True)  # statsmodels mcnemar(exact=True)
    assert r["p_val"] == pytest.approx(ref.pvalue, abs=TOL)


def test_paired_means_wilcoxon(panel):
    df = panel.data
    out = compare_waves(panel, "pl_1", wave="maaling", paired_on="leder_id", stat="mean")
    a, b = _pairs(df, "pl_1")
    r = out.iloc[0]
    # scipy wilcoxon, normal approximation with continuity correction (one method per call)
    ref = sps.wilcoxon(b - a, method="approx", correction=True).pvalue
    assert r["p_val"] == pytest.approx(ref, abs=TOL)
    ci = sps.ttest_rel(b, a).confidence_interval(0.95)  # scipy ttest_rel interval
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((ci.low, ci.high), abs=TOL)
    assert r["test"] == "wilcoxon_normal_cc" and r["n_from"] == len(a)


def test_attrition(panel):
    out = attrition(panel, wave="maaling", paired_on="leder_id")
    got = dict(zip(out["pattern"], out["n"], strict=True))
    assert got == {"Før + Efter et år": 120, "Kun Før": 30, "Kun Efter et år": 10}
    assert out["share"].sum() == pytest.approx(1.0)


def test_bad_arguments(panel):
    with pytest.raises(ValueError, match="wave"):
        compare_waves(panel, "sh_1", wave="nope")
    with pytest.raises(ValueError, match="stat"):
        compare_waves(panel, "sh_1", wave="maaling", stat="median")
    with pytest.raises(ValueError, match="paired_on"):
        compare_waves(panel, "sh_1", wave="maaling", paired_on="nope")
