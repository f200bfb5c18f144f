"""Every base right and stated (issue 21, part 1).

A question put only to some (``ask_if``) is reported on the base of those asked, whatever its type:
multiple choice (whose 0/1 columns SurveyXact writes as 0 for everyone not asked), rankings, Likert
grids and single choice. Each chart's source line gives the chart's own number of answers. Tested
on every shipped instrument: where an instrument has no filtered question of a type, one of its
questions of that type is given a filter on one of its single-choice questions.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pytest

from survey_kit.codebook import instrument
from survey_kit.codebook.model import Condition
from survey_kit.datasets import demo_hints, leader_survey, simulate
from survey_kit.report import build_report
from survey_kit.report.content import Figure, Table
from survey_kit.report.spec import ReportSpec, Section, Select
from survey_kit.survey import Survey

INSTRUMENTS = ("lederudvikling_2008", "temperaturmaaling", "netvaerksevaluering", "kompetencekortlaegning")
TYPES = ("multiple", "ranking", "likert", "single")


def _filter_item(cb):
    """A single-choice question with at least two answers to filter on (not a hierarchy level,
    wave or id)."""
    skip = set(cb.hierarchy) | ({cb.wave.column} if cb.wave else set())
    for it in cb.items:
        if it.type == "single" and len(it.values) >= 2 and it.code not in skip and it.ask_if is None:
            return it
    return None


@cache
def filtered(name: str):
    """The instrument with one question of each type asked only of some, and data as exported
    (0 in the multiple-choice columns of those not asked)."""
    cb = instrument(name)
    f = _filter_item(cb)
    chosen: dict[str, str] = {}
    items = []
    for it in cb.items:
        if it.type in TYPES and it.type not in chosen and not it.group and f is not None and it.code != f.code:
            chosen[it.type] = it.code
            if it.ask_if is None:
                keep = tuple(sorted(f.values))[: max(1, len(f.values) // 2)]
                it = it.model_copy(update={"ask_if": Condition(item=f.code, codes=keep)})
        items.append(it)
    cb2 = cb.model_copy(update={"items": tuple(items)})
    if name == "lederudvikling_2008":
        data = leader_survey(seed=1)
    else:
        data = simulate(cb2, seed=5, hints=demo_hints(name) if name == "kompetencekortlaegning" else None)
    for code in chosen.values():
        it = cb2[code]
        if it.type == "multiple":  # as SurveyXact exports them: 0 for everyone who did not tick
            for c in it.columns:
                data[c] = data[c].fillna(0)
    return cb2, data, chosen


def _now(cb, data):
    if cb.wave is None:
        return data
    return data[data[cb.wave.column] == data[cb.wave.column].max()]


def _asked(cb, data, code):
    cond = cb[code].ask_if
    return data[data[cond.item].isin(list(cond.codes)).fillna(False)]


def _source_n(fig: Figure) -> str:
    src = [a.text for a in fig.figure.layout.annotations if a.name == "source"]
    assert src, "the chart has a source line"
    return re.sub(r"<br>", " ", src[0]).split("antal svar = ")[1]


def _kinds(name: str) -> set[str]:
    """The question types ``filtered`` finds in an instrument (read from its codebook alone)."""
    cb = instrument(name)
    f = _filter_item(cb)
    return {it.type for it in cb.items
            if f is not None and it.type in TYPES and not it.group and it.code != f.code}


#: only the combinations that exist: an instrument without a ranking question has no ranking case
CASES = [(name, t) for name in INSTRUMENTS for t in TYPES if t in _kinds(name)]


def test_every_type_has_a_case():
    # no type of question goes untested because no shipped instrument has it
    assert {t for _, t in CASES} == set(TYPES)


@pytest.mark.parametrize("name,kind", CASES)
def test_a_filtered_question_is_reported_on_the_base_of_those_asked(name, kind):
    cb, data, chosen = filtered(name)
    code = chosen[kind]
    it = cb[code]
    now = _now(cb, data)
    asked = _asked(cb, now, code)
    assert 0 < len(asked) < len(now)
    if kind == "ranking":
        sec = Section(kind="ranking", heading="Prioritering", items=Select(codes=(code,)), chart="ranking")
    elif kind == "multiple":
        sec = Section(kind="items", heading="Flervalg", items=Select(codes=(code,)), stat="share", chart="share_bars")
    else:
        sec = Section(kind="items", heading="Svar", items=Select(codes=(code,)), stat="distribution",
                      chart="likert" if kind == "likert" else "share_bars")
    spec = ReportSpec(instrument=cb.instrument, title="Test", sections=(sec,))
    rep = build_report(Survey(data=data, codebook=cb), spec=spec)
    table = next(b for b in rep.blocks if isinstance(b, Table))
    fig = next(b for b in rep.blocks if isinstance(b, Figure))
    if kind == "multiple":
        base = len(asked)
        first = it.columns[0]
        row = table.data[table.data["group"] == it.option_label(first)].iloc[0]
        assert int(row["n"]) == base
        assert row["value"] == pytest.approx(pd.to_numeric(asked[first]).eq(1).mean(), abs=0.0006)
    elif kind == "ranking":
        ranked = asked[it.columns].notna().any(axis=1)
        base = int(ranked.sum())
        assert int(table.data["n"].dropna().iloc[0]) == base
    else:
        valid = asked[code].isin(list(it.values))
        base = int(valid.sum())
        assert int(table.data["n"].iloc[0]) == base
    assert _source_n(fig) == f"{base:,}".replace(",", ".")
    note = " ".join(getattr(b, "text", "") for b in rep.blocks)
    assert "kun stillet til dem" in note


def test_the_leader_report_shows_the_purpose_on_the_base_of_network_participants():
    """The issue's example: 'Rum for refleksion og kollegial sparring' among those asked."""
    cb = instrument("lederudvikling_2008")
    data = leader_survey(seed=1)
    it = cb["net_formaal"]
    for c in it.columns:
        data[c] = data[c].fillna(0)  # as exported
    rep = build_report(Survey(data=data, codebook=cb))
    table = next(b for b in rep.blocks if isinstance(b, Table) and b.name.startswith("net_formaal"))
    asked = data[data["net_deltaget"].isin([1, 2])]
    col = next(c for c in it.columns if it.option_label(c).startswith("Rum for refleksion"))
    row = table.data[table.data["group"] == it.option_label(col)].iloc[0]
    assert int(row["n"]) == len(asked)
    assert row["value"] == pytest.approx(asked[col].eq(1).mean(), abs=0.0006)


def test_a_chart_of_several_items_states_the_range_of_its_bases():
    cb = instrument("lederudvikling_2008")
    data = leader_survey(seed=1)
    spec = ReportSpec(instrument=cb.instrument, title="Test", sections=(
        Section(kind="items", heading="Udbytte", items=Select(scale="udbytte"), stat="distribution", chart="likert"),))
    rep = build_report(Survey(data=data, codebook=cb), spec=spec)
    fig = next(b for b in rep.blocks if isinstance(b, Figure))
    ns = [int(data[c].isin(list(cb[c].values)).sum()) for c in cb.scale("udbytte").items]
    lo, hi = min(ns), max(ns)
    expect = str(lo) if lo == hi else f"{lo}–{hi}"
    assert _source_n(fig) == expect
    assert hi < len(data)  # the whole sample is not the base
