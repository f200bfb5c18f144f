"""Issue 25, part 6: a panel with a sampling design. ``compare_waves(paired_on=...)`` with a design
is R's ``svymean(~I(post - pre))`` on the design of the linked rows (one row per panel member who
answered both waves), ``svyttest(I(post - pre) ~ 0, ...)`` its test, per group and in a ``filter``
domain (``subset()`` of that design), against tests/r/design4_refs.json (tests/r/design4_refs.R).

The panel is real: the California schools' API in 1999 and in 2000 (the same schools measured
twice; R's api data), in long form with one row per school and year; the 2000 row of every school
with ``snum % 7 == 0`` is dropped (attrition). Designs: two stages with fpc (apiclus2), strata with
fpc (apistrat), R's JK1 replicate weights (apiclus1); estimate, SE, CI, df and p to 1e-6."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from survey_kit.codebook import parse_codebook
from survey_kit.errors import DataError
from survey_kit.stats import compare_waves
from survey_kit.survey import Survey
from tests._design_refs import HERE
from tests.test_stats_design_domains import _close
from tests.test_stats_design_index import DESIGNS, _name

pytestmark = pytest.mark.filterwarnings("ignore::survey_kit.stats.design.LonelyPSUWarning")

REFS = json.loads((HERE / "design4_refs.json").read_text(encoding="utf-8"))["panel"]


def _long(name: str) -> pd.DataFrame:
    """One row per school and year: ``api`` the school's API that year, ``hoej`` 1 when >= 700."""
    file, _ = DESIGNS[name]
    wide = pd.read_csv(HERE / "data" / f"{file}.csv")
    wide.columns = [_name(c) for c in wide.columns]
    y99 = wide.drop(columns=["api00"]).rename(columns={"api99": "api"}).assign(aar=1999)
    y00 = wide.drop(columns=["api99"]).rename(columns={"api00": "api"}).assign(aar=2000)
    y00 = y00[y00["snum"] % 7 != 0]  # attrition: these schools did not answer in 2000
    long = pd.concat([y99, y00], ignore_index=True)
    return long.assign(hoej=(long["api"] >= 700).astype(int))


def _survey(name: str, design: dict | None = None) -> Survey:
    cb = parse_codebook({
        "instrument": "api_panel", "version": "1", "title": "California API 1999-2000",
        "min_n": 1, "respondent_id": {"column": "row_id"},
        "panel_key": {"column": "cds"},
        "wave": {"column": "aar", "labels": {1999: "1999", 2000: "2000"}},
        "items": [
            {"code": "api", "type": "number", "label": "API", "text": "API?"},
            {"code": "hoej", "type": "single", "label": "API >= 700", "text": "Høj?",
             "values": {0: "Nej", 1: "Ja"}, "positive": [1]},
        ],
        "design": DESIGNS[name][1] if design is None else design,
    })
    return Survey(data=_long(name), codebook=cb)


def _check(out: pd.DataFrame, ref: dict, what: str) -> None:
    rows = [(None, ref["total"])] + [(g["group"], g) for g in ref["groups"]]
    assert len(out) == len(rows), what
    for group, r in rows:
        row = out[out["is_total"]].iloc[0] if group is None else out[
            out["group"].astype(str) == group].iloc[0]
        msg = f"{what} {group or 'I alt'}: {r['r']}"
        assert row["n_from"] == row["n_to"] == r["n"], msg
        assert row["paired"] and row["test"] == "design_t", msg
        for col, key in (("value_from", "value_from"), ("value_to", "value_to"),
                         ("change", "change"), ("se", "se"), ("df", "df"),
                         ("ci_low", "low"), ("ci_high", "high"), ("p_val", "p")):
            _close(row[col], r[key], f"{col} {msg}")


@pytest.mark.parametrize("name", list(REFS))
@pytest.mark.parametrize("stat", ["mean", "share"])
def test_paired_change_with_a_design_as_svymean_of_the_difference(name, stat):
    ref = REFS[name]
    survey = _survey(name)
    item = "api" if stat == "mean" else "hoej"
    out = survey.compare_waves(item, stat=stat, by=_name(ref["g"]), min_n=1)
    _check(out, ref["full"][stat], f"{name} {stat}")
    dom = survey.filter(**{_name(ref["dom"][0]): ref["dom"][1]})
    out = dom.compare_waves(item, stat=stat, by=_name(ref["g"]), min_n=1)
    _check(out, ref["domain"][stat], f"{name} {stat} {ref['domain']['subset']}")


def test_design_arguments_give_the_same_as_the_codebook_block():
    """The design as arguments (a codebook without design:), no breakdown: the total row."""
    survey = _survey("clus2", design={})
    out = compare_waves(survey, "api", wave="aar", paired_on="cds", stat="mean", min_n=1,
                        **DESIGNS["clus2"][1])
    assert len(out) == 1
    _check(out, {"total": REFS["clus2"]["full"]["mean"]["total"], "groups": []}, "clus2 args")


def test_a_design_that_differs_between_waves_is_refused_in_one_sentence():
    survey = _survey("strat")
    data = survey.data.copy()
    data.loc[(data["aar"] == 2000) & (data["cds"] == data["cds"].iloc[0]), "pw"] += 1.0
    bad = Survey(data=data, codebook=survey.codebook)
    with pytest.raises(DataError) as err:
        bad.compare_waves("api", stat="mean")
    da, en = err.value.text("da"), err.value.text("en")
    assert str(err.value) == da and "compare_waves" in da and "'pw'" in da and "paired_on" in da
    assert "one design per member" in en and "compare_waves" in en
    assert "\n" not in da and "\n" not in en
