"""One report engine for any survey: every split right, small groups without a crash, the numbers
on the page say what they are (issue 11)."""

from __future__ import annotations

import numpy as np
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
from survey_kit.report.content import Figure, Table
from survey_kit.survey import Survey

pytestmark = pytest.mark.slow


def _survey(name: str) -> Survey:
    cb = instrument(name)
    make = {
        "lederudvikling_2008": lambda: leader_survey(seed=1),
        "temperaturmaaling": lambda: temperature_survey(n_per_wave=500, seed=3),
        "netvaerksevaluering": lambda: network_evaluation(seed=2),
        "kompetencekortlaegning": lambda: simulate(cb, seed=4, hints=demo_hints(name)),
    }[name]
    return Survey(data=make(), codebook=cb)


SURVEYS: dict[str, Survey] = {}


def survey(name: str) -> Survey:
    if name not in SURVEYS:
        SURVEYS[name] = _survey(name)
    return SURVEYS[name]


def _groups(name: str) -> list[str]:
    cb = instrument(name)
    skip = {cb.wave.column} if cb.wave else set()
    return [it.code for it in cb.items if it.group and it.is_categorical and it.code not in skip]


CASES = [(name, by) for name in ("lederudvikling_2008", "temperaturmaaling", "netvaerksevaluering",
                                 "kompetencekortlaegning") for by in _groups(name)]


def _respondents(report) -> int:
    basis = next(b for b in report.blocks if isinstance(b, Table) and b.name == "datagrundlag")
    return int(basis.data["n"].iloc[0])


def _current(s: Survey) -> pd.DataFrame:
    cb = s.codebook
    if cb.wave is None:
        return s.data
    w = cb.wave.column
    return s.data[s.data[w] == s.data[w].max()]


@pytest.mark.parametrize("name,by", CASES)
def test_a_split_gives_the_whole_plus_one_report_per_group_with_its_own_data(name, by):
    s = survey(name)
    run = build_run(s, by=by)
    whole, parts = run.reports[0], run.reports[1:]
    assert whole.scope.conditions == ()
    now = _current(s)
    assert _respondents(whole.report) == len(now)
    item = s.codebook[by]
    present = {int(c) for c in now[by].dropna().unique()} & set(item.values)  # not "Ved ikke"
    reported = {b.scope.code for b in parts}
    skipped = {label for label, _ in run.skipped}
    for code in present:
        label = item.values[code]
        assert (code in reported) != (label in skipped), f"{label}: reported and skipped, or neither"
    for b in parts:
        assert b.scope.var == by
        label = item.values[b.scope.code]
        assert label in b.report.title, "a group's report is titled with the group, not the whole"
        # the report holds that group's data only: its data basis counts the group's respondents
        assert _respondents(b.report) == int((now[by] == b.scope.code).sum())
    if parts:
        assert {_respondents(b.report) for b in parts} != {len(now)}


def test_a_group_too_small_in_the_wave_gets_no_report_and_no_crash():
    s = survey("temperaturmaaling")
    data = s.data.copy()
    cb = s.codebook
    # area 8 (Administration) keeps 3 answers in the current wave
    now = data["bolge"] == 2
    area8 = data.index[now & (data["omraade"] == 8)]
    data = data.drop(area8[3:])
    run = build_run(Survey(data=data, codebook=cb), by="omraade")
    labels = [b.scope.label for b in run.reports]
    assert cb["omraade"].values[8] not in labels
    reasons = dict(run.skipped)
    assert cb["omraade"].values[8] in reasons
    # the whole municipality's breakdown by area hides it (and a second area to protect it)
    whole = run.reports[0].report
    heat = next(b for b in whole.blocks if isinstance(b, Table) and b.name.startswith("indeks_omraade"))
    rows = heat.data[heat.data["group_code"] == 8]
    assert rows["suppressed"].all() and rows["n"].isna().all()
    hidden = heat.data[heat.data["suppressed"].astype(bool) & heat.data["group_code"].notna()]
    assert hidden["group_code"].nunique() >= 2


def test_a_unit_report_shows_the_unit_beside_its_area_and_the_whole():
    s = survey("kompetencekortlaegning")
    counts = s.data["enhed"].value_counts()
    unit = int(counts.idxmax())
    rep = build_report(s, group=("enhed", unit))
    cb = s.codebook
    bench = next(b for b in rep.blocks if isinstance(b, Table) and b.name == "sammenligning_mean")
    area = cb["enhed"].parent[unit]
    assert list(dict.fromkeys(bench.data["group"])) == [
        cb["enhed"].values[unit], cb["omraade"].values[area], "Hele kommunen"]
    ns = bench.data.groupby("group", sort=False)["n"].max().tolist()
    assert ns[0] < ns[1] < ns[2]
    # the chart draws a row per level too: no level is taken for a breakdown's total and merged
    fig = next(b for b in rep.blocks if isinstance(b, Figure) and b.name == "sammenligning_mean").figure
    assert [len(set(tr.y)) for tr in fig.data if tr.type == "heatmap"] == [3]
    assert [str(t).replace("<b>", "").replace("</b>", "") for t in fig.layout.yaxis.ticktext] == [
        cb["enhed"].values[unit], cb["omraade"].values[area], "Hele kommunen"]


def test_the_competence_gap_is_needed_minus_today_per_competence():
    s = survey("kompetencekortlaegning")
    rep = build_report(s)
    gap = next(b for b in rep.blocks if isinstance(b, Table) and b.name == "gab").data
    row = gap[gap["item"] == "k_digital_nu"].iloc[0]
    d = s.data
    both = d[(d["k_digital_nu"] <= 5) & (d["k_digital_behov"] <= 5)]
    assert row["n_to"] == len(both)
    expect = (both["k_digital_behov"].astype(float) - both["k_digital_nu"].astype(float)).mean()
    assert row["change"] == pytest.approx(expect, abs=0.006)  # published to 2 decimals
    assert row["value_from"] == pytest.approx(both["k_digital_nu"].astype(float).mean(), abs=0.006)
    assert any(isinstance(b, Figure) and b.name == "gab" for b in rep.blocks)


def test_changes_in_shares_are_in_percentage_points_on_the_page():
    s = survey("temperaturmaaling")
    rep = build_report(s)
    wave_table = next(b for b in rep.blocks if isinstance(b, Table) and b.name == "udvikling_share")
    shown = wave_table.display_frame()
    assert shown["Ændring"].str.contains("procentpoint").all()
    raw = wave_table.data
    first = raw.iloc[0]
    assert first["change"] == pytest.approx(first["value_to"] - first["value_from"], abs=0.0011)


def test_items_asked_of_some_are_on_the_base_of_those_asked():
    s = survey("lederudvikling_2008")
    rep = build_report(s)
    table = next(b for b in rep.blocks if isinstance(b, Table) and b.name.startswith("net_godt_by_sektor"))
    asked = s.data[s.data["net_deltaget"].isin([1, 2]) & s.data["net_godt"].between(1, 5)]
    assert int(table.data.loc[table.data["is_total"], "n"].iloc[0]) == len(asked)
    assert table.columns[0].header == "Sektor"  # the column is headed by the breakdown, not "Gruppe"
    assert any("kun stillet til dem" in getattr(b, "text", "") for b in rep.blocks)


def test_the_method_section_says_what_was_done():
    rep = build_report(survey("temperaturmaaling"))
    text = " ".join(getattr(b, "text", "") for b in rep.blocks)
    assert "chi-i-anden" in text and "McNemar" not in text
    assert "endelig population" in text  # staff numbers are known: FPC is used and said
    assert "færre end 5 svar" in text


def test_published_p_values_and_effects_are_rounded():
    run = build_run(survey("temperaturmaaling"), by="omraade")
    for table, _ in run.published:
        for col, dec in (("p_val", 3), ("effect", 2)):
            if col in table:
                v = pd.to_numeric(table[col], errors="coerce").dropna().to_numpy(dtype=float)
                assert np.allclose(v, np.round(v, dec)), col


def test_a_report_is_built_once_for_the_whole_and_each_group():
    """A group's report from build_report equals the one in the run (same protection)."""
    s = survey("temperaturmaaling")
    run = build_run(s, by="omraade")
    one = run.reports[1]
    again = build_report(s, group=("omraade", one.scope.code))
    a = [b.data for b in one.report.blocks if isinstance(b, Table)]
    b = [b.data for b in again.blocks if isinstance(b, Table)]
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True))


def test_a_table_of_totals_has_no_group_column():
    """Status items without a breakdown: every row is the whole survey, so the table has no
    "Gruppe" column saying "I alt" on every row; a broken-down table keeps its group column."""
    rep = build_report(survey("temperaturmaaling"))
    tables = [b for b in rep.blocks if isinstance(b, Table)]
    totals = [t for t in tables if "group_code" in t.data and t.data["group_code"].isna().all()
              and any(c.name == "value" for c in t.columns)]
    assert totals, [t.name for t in tables]
    for t in totals:
        assert "Gruppe" not in [c.header for c in t.columns], t.name
        assert "Gruppe" not in t.display_frame().columns


def test_every_chart_of_the_default_reports_draws_a_row_per_group_of_its_table():
    """A chart shows every row its table shows: no option of a multiple-choice question, level of
    a unit report or item is taken for a breakdown's total and merged into one "I alt" row."""
    checked = 0
    for name in ("lederudvikling_2008", "kompetencekortlaegning"):
        s = survey(name)
        unit = int(s.data["enhed"].value_counts().idxmax()) if name == "kompetencekortlaegning" else None
        rep = build_report(s) if unit is None else build_report(s, group=("enhed", unit))
        for fig in (b for b in rep.blocks if isinstance(b, Figure)):
            data = fig.data if isinstance(fig.data, pd.DataFrame) else None
            if data is None or "group" not in data or data["item"].nunique() != 1:
                continue
            shown = data[~data["suppressed"].astype(bool)] if "suppressed" in data else data
            if "is_total" in shown and (~shown["is_total"].astype(bool)).any():
                shown = shown[~shown["is_total"].astype(bool)]  # the total: a line beside the bars
            ticks = [t for ax in ("yaxis", "xaxis") for t in (fig.figure.layout[ax].ticktext or ())]
            if fig.figure.data and fig.figure.data[0].type in ("bar", "heatmap") and ticks:
                assert len(ticks) >= shown["group"].nunique(), (name, fig.name, ticks)
                checked += 1
    assert checked >= 5


def test_an_option_chart_under_its_question_says_what_it_shows(tmp_path):
    """A multiple-choice question's chart right under the question's heading is captioned by
    what it shows ("Andel, der har valgt svaret"), not a bare "Andel" (untouched draft of a real
    Spanish Google Forms export)."""
    from pathlib import Path

    import survey_kit as sk
    from survey_kit.ingest.infer import draft_codebook

    path = next((Path(__file__).parent / "data" / "corpus" / "google_forms_es").glob("*.csv"))
    cb = draft_codebook(path).codebook
    s = sk.Survey(sk.ingest(path, cb, out_dir=tmp_path, name="d").data, cb)
    rep = build_report(s)
    multiple = [b for b in rep.blocks if isinstance(b, Figure) and b.name.endswith("_multiple")]
    assert multiple
    assert all(b.title == "Andel, der har valgt svaret" for b in multiple), [b.title for b in multiple]


def test_a_share_by_group_says_which_answers_it_counts():
    """A share broken down by group is captioned with the answers it counts ("Andel, der har
    svaret helt enig eller delvis enig: ..."), not a bare question title over an axis of %."""
    s = survey("lederudvikling_2008")
    rep = build_report(s)
    figs = [b for b in rep.blocks if isinstance(b, Figure) and "_by_" in b.name
            and isinstance(b.data, pd.DataFrame) and set(b.data.get("stat", [])) == {"share"}]
    assert figs
    for fig in figs:
        code = fig.data["item"].iloc[0]
        words = [s.codebook[code].values[c].lower() for c in s.codebook[code].positive]
        assert fig.title.startswith(f"Andel, der har svaret {' eller '.join(words)}: "), fig.title
