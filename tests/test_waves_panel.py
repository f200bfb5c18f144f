"""A panel across separate exports (issue 24 part 3): each round of the network evaluation is its
own SurveyXact workbook holding the leaders' e-mail addresses as the panel key; ingested wave by
wave with the same key file, the pseudonyms link, and leaders in one round only are attrition."""

from __future__ import annotations

import pytest

from survey_kit import load_processed
from survey_kit.codebook import instrument
from survey_kit.datasets.network import network_evaluation
from survey_kit.datasets.surveyxact import round_codebook, write_surveyxact_xlsx
from survey_kit.ingest import ingest

KEY = b"the same key file, round after round"


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    cb = instrument("netvaerksevaluering")
    df = network_evaluation(n_leaders=60, seed=7)
    folder = tmp_path_factory.mktemp("panel")
    for w in (2, 1):  # the later round first: order does not matter
        part = df[df["maaling"].eq(w)].drop(columns="maaling")
        rcb = round_codebook(cb, w)
        path = write_surveyxact_xlsx(part[rcb.data_columns + [c for c in ("_complete",) if c in part]], rcb,
                                     folder / f"runde_{w}.xlsx", seed=w)
        ingest(path, cb, out_dir=folder / "processed", wave=w, key=KEY)
    return cb, df, load_processed(folder / "processed" / "netvaerksevaluering")


def test_panel_links_across_two_separately_ingested_exports(panel):
    cb, df, survey = panel
    keys = {w: set(survey.data.loc[survey.data["maaling"].eq(w), "leder_id"]) for w in (1, 2)}
    truth = {w: set(df.loc[df["maaling"].eq(w), "leder_id"]) for w in (1, 2)}
    assert len(keys[1] & keys[2]) == len(truth[1] & truth[2]) > 0      # the same leaders link
    assert not (keys[1] | keys[2]) & (truth[1] | truth[2])            # pseudonyms, not e-mails
    scale = cb.scales[0].code
    paired = survey.with_scale_scores().compare_waves([scale], stat="mean", min_n=1)
    assert int(paired["n_from"].iloc[0]) == len(truth[1] & truth[2])  # only leaders in both rounds
    assert bool(paired["paired"].iloc[0])


def test_respondents_in_one_round_only_are_attrition(panel):
    cb, df, survey = panel
    att = survey.attrition(min_n=1).set_index("pattern")
    truth = {w: set(df.loc[df["maaling"].eq(w), "leder_id"]) for w in (1, 2)}
    assert int(att.loc["Før + Efter et år", "n"]) == len(truth[1] & truth[2])
    assert int(att.loc["Kun Før", "n"]) == len(truth[1] - truth[2])
    late = len(truth[2] - truth[1])  # joined after the start: too few to show (min_n 5)
    assert 0 < late < cb.min_n and bool(att.loc["Kun Efter et år", "suppressed"])
