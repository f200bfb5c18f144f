"""Weight trimming against R's trimWeights (tests/r/calibration_refs.R), raking defaults."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_kit.stats import rake, trim_weights

HERE = Path(__file__).parent / "r"
REFS = json.loads((HERE / "calibration_refs.json").read_text())
API = pd.read_csv(HERE / "data" / "apistrat.csv")


def test_trim_matches_r_trimweights():
    before = API.copy()
    got = trim_weights(API, "pw", upper=40, lower=20)
    # R: weights(trimWeights(d, upper=40, lower=20))
    np.testing.assert_allclose(got.to_numpy(), REFS["trim"]["w"], rtol=1e-12)
    assert got.sum() == pytest.approx(API["pw"].sum())
    pd.testing.assert_frame_equal(API, before)


def test_trim_strict_matches_r():
    got = trim_weights(API, "pw", upper=35, strict=True)
    # R: weights(trimWeights(d, upper=35, strict=TRUE))
    np.testing.assert_allclose(got.to_numpy(), REFS["trim_strict"]["w"], rtol=1e-12)
    assert got.max() <= 35 + 1e-9


def test_rake_warns_and_says_when_not_converged():
    df = pd.DataFrame({"a": [1, 1, 2, 2, 1], "b": [1, 2, 1, 2, 2]})
    with pytest.warns(UserWarning, match="konvergerede ikke"):
        res = rake(df, {"a": {1: 0.5, 2: 0.5}, "b": {1: 0.3, 2: 0.7}}, max_iter=1, tol=1e-15)
    assert not res.converged


def test_rake_without_margins_needs_population():
    with pytest.raises(ValueError, match="margins"):
        rake(pd.DataFrame({"a": [1, 2]}))


def test_rake_defaults_to_codebook_population_poststratification():
    from survey_kit.codebook import instrument
    from survey_kit.datasets import temperature_survey

    cb = instrument("temperaturmaaling")
    df = temperature_survey()
    df = df[df["enhed"].notna()].reset_index(drop=True)
    sizes = cb.population["enhed"]
    res = rake(df, codebook=cb)
    assert res.converged and res.iterations <= 2  # one margin: post-stratification
    got = res.weights.groupby(df["enhed"].to_numpy()).sum() / res.weights.sum()
    total = sum(sizes.values())
    for code, share in got.items():
        assert share == pytest.approx(sizes[int(code)] / total, abs=1e-9)
