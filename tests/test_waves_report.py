"""The ``trend`` section (issue 24 part 4): its numbers are the per-round ``compare`` and
``compare_waves`` results (which tests/test_waves_trend.py checks against R), through the run's
disclosure guard; broken items are not compared and the report says why."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_waves_trend import CB, HERE

from survey_kit import Survey, stats
from survey_kit.codebook import parse_codebook
from survey_kit.report.content import Figure, Findings, Paragraph, Table
from survey_kit.report.engine import build_run
from survey_kit.report.spec import default_spec, parse_spec


def _codebook():
    raw = CB.model_dump(mode="json", exclude_defaults=True)
    raw["min_n"] = 5
    raw["items"] = [*raw["items"], {
        "code": "q2", "text": "Andet", "label": "Andet spørgsmål", "type": "likert",
        "values": raw["items"][1]["values"], "positive": [4, 5],
        "recode": {"2010": {"comparison": "broken", "note": "I 2010 havde skalaen fire trin"}}}]
    return parse_codebook(raw)


@pytest.fixture(scope="module")
def survey():
    d = pd.read_csv(HERE / "r" / "data" / "waves_trend.csv")
    d.insert(0, "rid", np.arange(len(d)))
    rng = np.random.default_rng(3)
    d["q2"] = rng.choice([1, 2, 3, 4, 5], len(d))
    d = d.astype({"bolge": "Int8", "grp": "Int8", "q": "Int8", "score": "Float64", "q2": "Int8"})
    return Survey(d, _codebook())


@pytest.fixture(scope="module")
def report(survey):
    spec = parse_spec({"instrument": "trend_test", "title": "Trend", "sections": [
        {"kind": "findings"}, {"kind": "trend", "items": {"codes": ["q", "q2"]}}]}, survey.codebook)
    return build_run(survey, spec).reports[0].report


def _table(report, name):
    return next(b for b in report.blocks if isinstance(b, Table) and b.name == name).data


def test_each_rounds_numbers_are_the_rounds_compare(survey, report):
    long = _table(report, "tendens_share").set_index(["item", "wave_code"])
    for w in (1, 2, 3):
        comp = stats.compare(survey.data[survey.data["bolge"].eq(w)], ["q"], codebook=survey.codebook)
        row = long.loc[("q", w)]
        assert row["n"] == comp["n"].iloc[0]
        assert row["value"] == pytest.approx(round(float(comp["value"].iloc[0]), 3), abs=1e-12)


def test_changes_are_compare_waves(survey, report):
    long = _table(report, "tendens_share").set_index(["item", "wave_code"])
    cw = stats.compare_waves(survey, ["q"], wave="bolge")
    ends = stats.compare_waves(survey.data[survey.data["bolge"].isin([1, 3])], ["q"], wave="bolge",
                               codebook=survey.codebook)
    for _, r in cw.iterrows():
        got = long.loc[("q", int(r["wave_to_code"]))]
        assert got["change_prev"] == pytest.approx(round(r["change"], 3), abs=1e-12)
        assert got["p_prev"] == pytest.approx(round(r["p_val"], 3), abs=1e-12)
    assert long.loc[("q", 3), "change_first"] == pytest.approx(round(ends["change"].iloc[0], 3), abs=1e-12)
    assert pd.isna(long.loc[("q", 2), "change_first"])


def test_trend_test_is_published_rounded(survey, report):
    t = _table(report, "tendens_test_share").set_index("item")
    ref = stats.trend(survey, "q", wave="bolge").iloc[0]
    assert t.loc["q", "p_val"] == round(ref["p_val"], 3) and t.loc["q", "direction"] == "stigende"
    assert t.loc["q2", "direction"] == "to målinger: ingen tendenstest" and pd.isna(t.loc["q2", "p_val"])
    long = _table(report, "tendens_share").set_index(["item", "wave_code"])
    assert t.loc["q", "change_first"] == long.loc[("q", 3), "change_first"]  # first to last round


def test_broken_item_is_not_compared_and_the_report_says_why(report):
    long = _table(report, "tendens_share")
    q2 = long[long["item"] == "q2"]
    assert q2["wave_code"].tolist() == [1, 3]  # 2010 left out
    notes = [b.text for b in report.blocks if isinstance(b, Paragraph)]
    assert "«Andet spørgsmål» sammenlignes ikke med 2010: I 2010 havde skalaen fire trin." in notes


def test_finding_sentence(report):
    sentences = next(b for b in report.blocks if isinstance(b, Findings)).sentences
    # published shares are rounded to 0.1 percentage point first (0.53476 -> 0.535), as in every section
    assert "Spørgsmål er steget fra 57 % i 2008/09 over 54 % i 2010 til 75 % i 2012 (+18 procentpoint)." in sentences


def test_chart_draws_every_round(report):
    fig = next(b for b in report.blocks if isinstance(b, Figure) and b.name == "tendens_share").figure
    q = next(t for t in fig.data if t.name == "Spørgsmål")
    assert list(q.x) == ["2008/09", "2010", "2012"] and all(v is not None for v in q.y)


def test_a_small_group_hides_its_round_and_its_trend(survey):
    data = survey.data.copy()
    small = data.index[(data["bolge"] == 1) & (data["grp"] == 1)][3:]
    data = data.drop(small).reset_index(drop=True)  # group A: 3 answers in 2008/09
    spec = parse_spec({"instrument": "trend_test", "title": "Trend", "sections": [
        {"kind": "trend", "items": {"codes": ["q"]}, "by": ["grp"]}]}, survey.codebook)
    rep = build_run(Survey(data, survey.codebook), spec).reports[0].report
    long = _table(rep, "tendens_share")
    first = long[long["wave_code"] == 1].set_index("group")
    # A is too small; B is hidden too, else A = total - B (complementary suppression)
    assert first.loc[["A", "B"], "suppressed"].all() and first.loc[["A", "B"], "value"].isna().all()
    assert not first.loc["I alt", "suppressed"]
    later = long[long["wave_code"] > 1]
    assert not later["suppressed"].any()
    tests = _table(rep, "tendens_test_share")
    assert set(tests["group"]) == {"I alt"}  # no trend over a hidden round


def test_default_spec_uses_trend_from_three_rounds():
    assert "trend" in [s.kind for s in default_spec(_codebook()).sections]
    raw = CB.model_dump(mode="json", exclude_defaults=True)
    raw["wave"]["labels"] = {1: "2008/09", 2: "2010"}
    raw["items"] = [i for i in raw["items"] if i["code"] != "q2"]
    kinds = [s.kind for s in default_spec(parse_codebook(raw)).sections]
    assert "waves" in kinds and "trend" not in kinds
