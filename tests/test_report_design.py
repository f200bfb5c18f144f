"""A report of one unit with a sampling design (the codebook's ``design:`` block): the unit is a
domain of the whole design, as ``Survey.filter`` and R's ``subset(design, ...)`` make it, so its
intervals keep the variance of the whole sample. R's values: tests/r/design2_refs.R (apiclus1,
``subset(des, stype == "H")``), stored in tests/r/design2_refs.json."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import survey_kit as sk
from survey_kit.codebook import parse_codebook
from survey_kit.report import build_report
from survey_kit.report.content import Table

HERE = Path(__file__).parent
R = json.loads((HERE / "r" / "design2_refs.json").read_text(encoding="utf-8"))["clus1"]["options"]["adjust"]


@pytest.fixture(scope="module")
def api():
    d = pd.read_csv(HERE / "r" / "data" / "apiclus1.csv")
    d["stype"] = d["stype"].map({"E": 1, "H": 2, "M": 3}).astype("Int8")
    d["awards"] = d["awards"].map({"No": 0, "Yes": 1}).astype("Int8")
    cb = parse_codebook({
        "instrument": "api", "version": "1", "title": "API", "respondent_id": {"column": "cds"},
        "design": {"weight": "pw", "cluster": "dnum", "fpc": "fpc"},
        "items": [
            {"code": "stype", "type": "single", "label": "Skoletype", "text": "Skoletype",
             "values": {1: "E", 2: "H", 3: "M"}, "group": True},
            {"code": "awards", "type": "single", "label": "Pris", "text": "Pris?",
             "values": {0: "Nej", 1: "Ja"}, "positive": [1]},
        ]})
    return sk.Survey(d, cb)


def test_a_unit_report_keeps_the_whole_design(api):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rep = build_report(api, group=("stype", 2))
    table = next(b.data for b in rep.blocks if isinstance(b, Table) and b.name == "awards_total")
    row = table[table["is_total"].astype(bool)].iloc[0]
    ref = R["domain"]["share"]  # svyciprop(~pos_, subset(des, stype == "H"), method="logit")
    assert row["se"] == pytest.approx(ref["se"], rel=1e-6)
    assert row["value"] == pytest.approx(ref["value"], abs=5e-4)  # published to 3 decimals
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ref["low"], abs=5e-4),
                                               pytest.approx(ref["high"], abs=5e-4))
    # the same as the analyst's filter, and not the slice taken as a design of its own
    dom = sk.compare(api.filter(stype=2), "awards", min_n=1)
    assert dom["se"].iloc[-1] == pytest.approx(ref["se"], rel=1e-9)
    data = api.data
    alone = sk.compare(data[data["stype"] == 2], "awards", codebook=api.codebook, min_n=1)
    assert abs(alone["se"].iloc[-1] - ref["se"]) > 1e-3
