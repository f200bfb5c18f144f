"""Issue 25, part 6: an index (scale score) compared across groups with a sampling design, against
R's survey package (tests/r/design4_refs.json, made by tests/r/design4_refs.R): ``svyby(~score,
~g, D, svymean)`` per group, ``svymean`` overall, ``svyttest`` / ``regTermTest`` across groups, on a
two-stage design (apiclus2), a stratified design (apistrat) and R's JK1 replicate weights
(apiclus1), whole and as a ``filter`` domain (R's ``subset(D, ...)``), with the design from the
codebook's ``design:`` block; estimate, SE, CI, df, deff and p to 1e-6."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from survey_kit.codebook import parse_codebook
from survey_kit.stats import compare, reliability, scale_scores, with_scale_scores
from survey_kit.stats.design import domain_of
from survey_kit.survey import Survey
from tests._design_refs import HERE
from tests.test_stats_design_domains import _close

# apiclus2 has districts with one sampled school (stage 2): R's "adjust", as survey_kit's default
pytestmark = pytest.mark.filterwarnings("ignore::survey_kit.stats.design.LonelyPSUWarning")

REFS = json.loads((HERE / "design4_refs.json").read_text(encoding="utf-8"))
JK1_SCALE = json.loads((HERE / "design2_refs.json").read_text(encoding="utf-8"))[
    "replicate_options"]["jk1"]["scale"]

#: R design -> (data file in tests/r/data, the codebook's design: block)
DESIGNS = {
    "clus2": ("apiclus2_index", {"cluster": ["dnum", "snum"], "fpc": ["fpc1", "fpc2"]}),
    "strat": ("apistrat", {"weight": "pw", "strata": "stype", "fpc": "fpc"}),
    "rep_jk1": ("apiclus1_jk1", {"weight": "pw", "repweights": "jk", "rep_type": "JK1",
                                 "scale": JK1_SCALE}),
}


def _name(column: str) -> str:
    return column.replace(".", "_")  # item codes are identifiers: acs.k3 -> acs_k3


def _survey(name: str) -> tuple[Survey, dict]:
    ref = REFS["index"][name]
    file, design = DESIGNS[name.rsplit("_", 1)[0]]
    df = pd.read_csv(HERE / "data" / f"{file}.csv")
    df.columns = [_name(c) for c in df.columns]
    items = [_name(c) for c in ref["items"]]
    cb = parse_codebook({
        "instrument": "api", "version": "1", "title": "California API", "min_n": 1,
        "respondent_id": {"column": "cds"},
        "items": [{"code": c, "type": "number", "label": c, "text": f"{c}?", "scale": "indeks"}
                  for c in items],
        "scales": [{"code": "indeks", "label": "Indeks", "items": items}],
        "design": design,
    })
    return Survey(data=df, codebook=cb), ref


def _check(out: pd.DataFrame, ref: dict, what: str) -> None:
    tot = out[out["is_total"]].iloc[0]
    r = ref["mean"]
    for col, key in (("value", "value"), ("se", "se"), ("deff", "deff"), ("df", "df"),
                     ("ci_low", "low"), ("ci_high", "high")):
        _close(tot[col], r[key], f"{what} {col}: {r['r']}")
    groups = out[~out["is_total"]]
    assert [str(g) for g in groups["group"]] == [g["group"] for g in ref["groups"]], what
    for (_, row), g in zip(groups.iterrows(), ref["groups"], strict=True):
        for col, key in (("value", "value"), ("se", "se"), ("deff", "deff"), ("df", "df"),
                         ("ci_low", "low"), ("ci_high", "high")):
            _close(row[col], g[key], f"{what} group {g['group']} {col}: {g['r']}")
    test = ref["test"]
    assert (out["test"] == ("design_t" if "svyttest" in test["r"] else "wald_f")).all(), what
    _close(tot["p_val"], test["p"], f"{what} p: {test['r']}")


CASES = list(REFS["index"])


@pytest.mark.parametrize("name", CASES)
def test_index_means_across_groups_as_svyby(name):
    survey, ref = _survey(name)
    scored = survey.with_scale_scores()
    assert int(scored.data["indeks"].notna().sum()) == ref["n_index"]
    out = scored.compare("indeks", by=_name(ref["g"]), stat="mean", min_n=1)
    assert (out["item_label"] == "Indeks").all()
    _check(out, ref["full"], name)


@pytest.mark.parametrize("name", CASES)
def test_index_means_in_a_filter_domain_as_subset(name):
    """Scores made before or after filter: either way the domain keeps the whole design."""
    survey, ref = _survey(name)
    col, val = _name(ref["dom"][0]), ref["dom"][1]
    after = survey.filter(**{col: val}).with_scale_scores()
    assert domain_of(after.data) is not None  # the scores keep the domain of the filter
    before = survey.with_scale_scores().filter(**{col: val})
    for s, how in ((after, "filter then scores"), (before, "scores then filter")):
        out = s.compare("indeks", by=_name(ref["g"]), stat="mean", min_n=1)
        _check(out, ref["domain"], f"{name} ({how}): {ref['domain']['subset']}")


def test_scores_of_a_domain_frame_keep_the_domain():
    """The functions on a filtered survey's data frame (not the Survey) keep the domain too."""
    survey, ref = _survey("clus2_class")
    dom = survey.filter(stype="E")
    frame = with_scale_scores(dom.data, survey.codebook)
    assert domain_of(frame) is not None and "indeks" in frame
    got = compare(frame, "indeks", by="sch_wide", stat="mean", min_n=1, codebook=survey.codebook)
    _check(got, ref["domain"], "with_scale_scores(frame)")
    # scale_scores alone returns the scores (no design columns): its index is the data's
    scores = scale_scores(dom)
    assert scores.index.equals(dom.data.index) and list(scores.columns) == ["indeks"]
    np.testing.assert_array_equal(scores["indeks"].to_numpy(), frame["indeks"].to_numpy())


@pytest.mark.parametrize("name", CASES)
def test_cronbach_alpha_with_the_design_weights_as_svycralpha(name):
    survey, ref = _survey(name)
    r = ref["alpha"]  # svycralpha(~items, D, na.rm=TRUE), whole and on subset(D, ...)
    col, val = _name(ref["dom"][0]), ref["dom"][1]
    whole = survey.reliability("indeks", min_n=1).iloc[0]
    dom = survey.filter(**{col: val}).reliability("indeks", min_n=1).iloc[0]
    assert whole["n"] == r["n"]
    _close(whole["alpha"], r["full"], f"{name}: {r['r']}")
    _close(dom["alpha"], r["domain"], f"{name} {ref['domain']['subset']}: {r['r']}")
    # Feldt's interval assumes simple random sampling; R has none for a design: empty
    assert np.isnan(whole["ci_low"]) and np.isnan(whole["ci_high"])
    # the same design as arguments, on a codebook without design:
    args = dict(DESIGNS[name.rsplit("_", 1)[0]][1])
    for k in ("scale",):  # the replicate scale does not enter alpha (reliability's scale= is
        args.pop(k, None)  # the scale to measure)
    cb = survey.codebook.model_copy(update={"design": None})
    by_args = reliability(survey.data, "indeks", cb, min_n=1, **args).iloc[0]
    _close(by_args["alpha"], r["full"], f"{name} by arguments: {r['r']}")
