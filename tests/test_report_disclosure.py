"""The attacker against whole runs of the report engine (issue 12): everything a run publishes
(every report of the split, every wave, counts, tests) and nothing hidden comes back, on runs with
many small units at min_n 5 and 10 and on a small leader survey. The checker itself is shown to
find leaks in tests/test_privacy_checker_runs.py."""

from __future__ import annotations

import pytest

from survey_kit.codebook import instrument
from survey_kit.datasets import leader_survey, temperature_survey
from survey_kit.report import disclosure_check
from survey_kit.survey import Survey

pytestmark = [pytest.mark.slow]


@pytest.mark.parametrize(
    "n_per_wave,min_n,by",
    [(100, 5, "omraade"), (200, 5, "enhed"), (200, 10, "omraade"), (100, 10, "enhed")],
)
def test_no_hidden_cell_is_recoverable_from_a_run_with_many_small_units(n_per_wave, min_n, by):
    survey = Survey(temperature_survey(n_per_wave=n_per_wave, seed=11), instrument("temperaturmaaling"))
    res = disclosure_check(survey, by=by, min_n=min_n)
    assert len(res) > 20, "small units: there must be hidden cells to attack"
    leaks = res[res["recoverable"]]
    assert leaks.empty, leaks.head(10).to_string()


def test_no_hidden_cell_is_recoverable_from_a_small_leader_survey():
    data = leader_survey(n=90, seed=5)
    res = disclosure_check(Survey(data, instrument("lederudvikling_2008")), by="sektor")
    assert len(res) > 20, "90 leaders in many breakdowns: there must be hidden cells to attack"
    leaks = res[res["recoverable"]]
    assert leaks.empty, leaks.head(10).to_string()
