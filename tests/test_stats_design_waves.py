"""compare_waves with a design, and the Wilcoxon methods, against R (tests/r/waves_refs.R)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_kit.stats import compare_waves
from tests.conftest import REALDATA

REFS = json.loads((Path(__file__).parent / "r" / "waves_refs.json").read_text(encoding="utf-8"))
NH = pd.read_csv(Path(__file__).parent / "r" / "data" / "nhanes.csv")
KW = {"weight": "WTMEC2YR", "strata": "SDMVSTRA", "cluster": "SDMVPSU"}
TOL = 1e-6


@pytest.mark.parametrize("stat", ["share", "mean"])
def test_design_change_between_domains_matches_svycontrast(stat):
    # gender plays the two waves: domains of one design that share strata and PSUs
    out = compare_waves(
        NH, "HI_CHOL", wave="RIAGENDR", by="race", stat=stat, positive=[1], min_n=1, **KW
    )
    for ref in REFS["nhanes_gender"]["rows"]:
        row = out[out["group"] == str(ref["race"])].iloc[0]
        # R: svycontrast(svyby(~HI_CHOL, ~RIAGENDR, sub, svymean, covmat=TRUE), c(-1, 1))
        assert abs(row["value_from"] - ref["value_from"]) < TOL
        assert abs(row["value_to"] - ref["value_to"]) < TOL
        assert abs(row["change"] - ref["change"]) < TOL
        assert abs(row["se"] - np.ravel(ref["se"])[0]) < TOL
        assert row["df"] == ref["df"]
        # R: svychisq(~HI_CHOL + RIAGENDR, sub, statistic='F') / svyttest(HI_CHOL ~ RIAGENDR, sub)
        p = ref["p_share"] if stat == "share" else ref["p_mean"]
        assert row["p_val"] == pytest.approx(p, rel=TOL, abs=1e-12)
        assert row["test"] == ("rao_scott_f" if stat == "share" else "design_t")


def test_design_paired_without_linked_members_is_empty():
    # paired with a design is R's svymean(~I(post - pre)) on the linked rows (see
    # tests/test_stats_design_panel.py); here no key answers both "waves": no pair, no number
    out = compare_waves(NH, "HI_CHOL", wave="RIAGENDR", paired_on="row", positive=[1], min_n=1,
                        **KW)
    assert len(out) == 1 and out["paired"].all() and (out["n_from"] == 0).all()
    assert out[["change", "se", "p_val"]].isna().all().all()


def _hands():
    mass = pd.read_csv(REALDATA / "rdatasets" / "MASS_survey.csv")
    m = mass.dropna(subset=["NW.Hnd", "Wr.Hnd"]).reset_index(drop=True)
    n = len(m)
    return pd.DataFrame(
        {
            "id": np.tile(np.arange(n), 2),
            "w": np.repeat([1, 2], n),
            "x": np.concatenate([m["Wr.Hnd"], m["NW.Hnd"]]),
        }
    )


@pytest.mark.parametrize("method", ["normal_cc", "normal", "r"])
def test_wilcoxon_methods_match_wilcox_test(method):
    out = compare_waves(
        _hands(), "x", wave="w", paired_on="id", stat="mean", min_n=1, wilcoxon=method
    )
    key = "normal_cc" if method == "r" else method  # n >= 50: R's rule is the normal + cc
    # R: wilcox.test(m$NW.Hnd, m$Wr.Hnd, paired=TRUE[, correct=FALSE])
    assert out["p_val"].iloc[0] == pytest.approx(REFS["wilcoxon"][key]["p"], rel=1e-9)
    assert out["test"].iloc[0] == f"wilcoxon_{key}"


def test_wilcoxon_exact_small_sample_as_r_default():
    x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    df = pd.DataFrame({"id": list(range(9)) * 2, "w": [1] * 9 + [2] * 9, "v": x + y})
    for method in ("r", "exact"):
        out = compare_waves(
            df, "v", wave="w", paired_on="id", stat="mean", min_n=1, wilcoxon=method
        )
        # R: wilcox.test(x, y, paired=TRUE) (exact: n < 50, no ties) = 0.0390625
        assert out["p_val"].iloc[0] == pytest.approx(REFS["wilcoxon"]["exact_small"]["p"])
        assert out["test"].iloc[0] == "wilcoxon_exact"
    with pytest.raises(ValueError, match="wilcoxon"):
        compare_waves(df, "v", wave="w", paired_on="id", stat="mean", wilcoxon="auto")
