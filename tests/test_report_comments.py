"""Comments in reports (issue 21, part 3): an equal comment is shown once (case, spaces and
punctuation aside, across groups); a limited selection is a seeded random sample spread over the
groups, said in the method sentence, never the first ones alphabetically."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from survey_kit.codebook import instrument
from survey_kit.datasets import temperature_survey
from survey_kit.privacy.text import select_comments
from survey_kit.report import build_report, build_run
from survey_kit.report.content import Comments
from survey_kit.report.spec import ReportSpec, Section, Select
from survey_kit.survey import Survey


def _frame() -> pd.DataFrame:
    rows = []
    for unit, k in ((1, 20), (2, 10), (3, 6)):
        rows += [(unit, f"Kommentar {unit}-{i:02d} om arbejdet") for i in range(k)]
    return pd.DataFrame(rows, columns=["enhed", "kommentar"])


def test_equal_comments_are_shown_once_across_groups_whatever_case_spaces_and_punctuation():
    frame = pd.DataFrame({"enhed": [1] * 5 + [2] * 5,
                          "kommentar": ["Godt initiativ!", "Mere tid, tak", None, "", "x y",
                                        "godt   initiativ", "GODT INITIATIV.", "Mere tid tak", None, "z"]})
    sel = select_comments(frame, "kommentar", by="enhed", min_n=5)
    keys = [re.sub(r"\W+", " ", c.lower()).strip() for c in sel.comments["comment"]]
    assert len(keys) == len(set(keys)) == 4
    row = sel.comments[sel.comments["comment"] == "Godt initiativ!"].iloc[0]
    assert (row["enhed"], row["count"]) == (1, 3)  # under the first group that gave it
    assert sel.n_duplicates == 3


def test_a_limited_selection_is_a_seeded_sample_spread_over_the_groups():
    frame = _frame()
    sel = select_comments(frame, "kommentar", by="enhed", min_n=5, limit=9)
    assert sel.n_shown == 9 and sel.n_available == 36
    per = sel.comments["enhed"].value_counts().to_dict()
    assert per == {1: 5, 2: 2, 3: 2} or per == {1: 5, 2: 3, 3: 1}  # in proportion, each at least one
    assert min(per.values()) >= 1
    first = sorted(frame["kommentar"])[:9]
    assert sorted(sel.comments["comment"]) != first  # not an alphabetical cut
    again = select_comments(frame, "kommentar", by="enhed", min_n=5, limit=9)
    assert again.comments["comment"].tolist() == sel.comments["comment"].tolist()  # seeded
    other = select_comments(frame, "kommentar", by="enhed", min_n=5, limit=9, seed=7)
    assert set(other.comments["comment"]) != set(sel.comments["comment"])
    assert "Her vises 9 af 36 kommentarer, udtrukket tilfældigt" in sel.method
    assert "startværdi 0" in sel.method
    everything = select_comments(frame, "kommentar", by="enhed", min_n=5)
    assert everything.n_shown == 36 and "Her vises" not in everything.method
    with pytest.raises(ValueError, match="limit"):
        select_comments(frame, "kommentar", limit=0)
    with pytest.raises(ValueError, match="order"):
        select_comments(frame, "kommentar", order="alphabetical")


@pytest.fixture(scope="module")
def temperature() -> Survey:
    return Survey(data=temperature_survey(n_per_wave=500, seed=3), codebook=instrument("temperaturmaaling"))


def _comment_code(cb) -> str:
    return next(it.code for it in cb.items if it.type == "text")


def test_the_spec_chooses_all_or_a_sample(temperature):
    cb = temperature.codebook
    code = _comment_code(cb)

    def shown(opts):
        spec = ReportSpec(instrument=cb.instrument, title="T", sections=(
            Section(kind="comments", items=Select(codes=(code,)), **opts),))
        rep = build_report(temperature, spec=spec)
        block = next(b for b in rep.blocks if isinstance(b, Comments))
        note = next(b.text for b in rep.blocks if getattr(b, "css", "") == "sk-note")
        return block.plain_texts(), note

    every, note_all = shown({"comments": {"limit": None}})
    some, note_some = shown({"comments": {"limit": 5, "order": "random"}})
    assert len(every) > 5 and len(some) == 5 and set(some) <= set(every)
    assert "Her vises" not in note_all and f"Her vises 5 af {len(every)}" in note_some


def test_no_report_of_a_run_shows_a_comment_twice(temperature):
    run = build_run(temperature, by="omraade")
    for built in run.reports:
        for block in built.report.blocks:
            if isinstance(block, Comments):
                keys = [" ".join(re.sub(r"[\W_]+", " ", t.casefold()).split()) for t in block.plain_texts()]
                assert len(keys) == len(set(keys)), built.scope.label
