"""The explorer: its views compute the same (suppressed) tables as the statistics functions,
answer within the time budget on 100,000 respondents, and export figure files and Excel."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import survey_kit as sk
from survey_kit.codebook import instrument
from survey_kit.datasets import temperature_survey
from survey_kit.explorer import CHANGE, MAX_DIST_ROWS, Explorer, View, choices, compute, hows


@pytest.fixture(scope="module")
def temp():
    return sk.Survey(temperature_survey(seed=5), instrument("temperaturmaaling")).with_scale_scores()


def test_choices(temp):
    opts = choices(temp)
    values = [v for _, v in opts["what"]]
    assert "item:ml_1" in values and "battery:st" in values and "scale:miljoe_for_laering" in values
    assert [v for _, v in opts["by"]] == ["", "omraade", "enhed", "stilling"]
    assert [lab for lab, _ in opts["wave"]] == [
        "Alle målinger lagt sammen", "2008/09", "2010", "Udvikling mellem målinger"]


def test_views_equal_the_statistics_functions(temp):
    res = compute(temp, View("item:ml_1", how="share", by="omraade", wave="2"))
    # the same numbers a report publishes for the same breakdown (one disclosure control)
    from survey_kit.report import build_run
    from survey_kit.report.spec import ReportSpec, Section, Select

    spec = ReportSpec(instrument="temperaturmaaling", title="T", sections=(Section(
        kind="items", items=Select(codes=("ml_1",)), stat="share", by=("omraade",), chart="none"),))
    run = build_run(temp, spec, wave=2)
    ref = next(t for t, _ in run.published if "by" in t and t["by"].eq("omraade").any())
    cols = ["group", "group_code", "n", "value", "ci_low", "ci_high", "suppressed", "is_total"]
    pd.testing.assert_frame_equal(res.table[cols].reset_index(drop=True),
                                  ref[cols].reset_index(drop=True))
    raw = sk.compare(temp.data[temp.data["bolge"] == 2], ["ml_1"], by="omraade", codebook=temp.codebook)
    assert (res.table["value"] - raw["value"]).abs().max() < 0.0006  # only rounded for publication
    assert "Andel" in res.presentation.frame.columns
    assert not {"ci_low", "q_val", "vs_total"} & set(res.presentation.frame.columns)
    # a unit breakdown inside one area: only that area's units, suppression as in compare()
    res = compute(temp, View("scale:miljoe_for_laering", by="enhed", filter=("omraade", 2)))
    units = {c for c, p in temp.codebook["enhed"].parent.items() if p == 2}
    groups = res.table[~res.table["is_total"]]
    assert set(groups["group_code"]) <= units
    small = groups[groups["n"].isna()]
    assert small["suppressed"].all()
    assert res.view.how == "dist" and res.table["stat"].eq("mean").all()  # a scale is a mean
    # the change between waves
    res = compute(temp, View("item:st_plan", how="share", wave=CHANGE))
    assert res.table["wave_from"].iloc[0] == "2008/09"
    assert res.presentation.frame["Ændring"].iloc[0].endswith("pct.-point")


def test_many_rows_draw_shares(temp):
    res = compute(temp, View("item:ml_1", how="dist", by="enhed"))
    assert res.table["group"].nunique() > MAX_DIST_ROWS
    assert res.note and res.figure.layout.meta["survey_kit"] == "share_bars"
    assert "Helt enig" in res.presentation.frame.columns  # the table keeps the distribution


def test_widget_changes_redraw(temp, capsys):
    ex = Explorer(temp)
    first = ex.result
    # one wave by default, the latest: a pooled view's numbers belong to no wave
    assert first is not None and first.view.by is None and first.view.wave == "2"
    assert "2010" in first.presentation.title or "2010" in first.figure.layout.annotations[-1].text
    ex.by.value = "omraade"
    assert ex.result.view.by == "omraade"
    assert len(ex.result.figure.layout.yaxis.ticktext) > len(first.figure.layout.yaxis.ticktext)
    ex.filter_col.value = "omraade"
    skole = [v for lab, v in ex.filter_val.options if lab == "Skole"][0]
    ex.filter_val.value = skole
    ex.by.value = "enhed"
    assert ex.result.n == int(((temp.data["omraade"] == 2) & (temp.data["bolge"] == 2)).sum())
    assert "Skole" in ex.result.figure.layout.annotations[-1].text or ex.result.n < temp.n
    capsys.readouterr()


@pytest.mark.browser
@pytest.mark.slow
def test_export_writes_figures_and_excel(temp, tmp_path, capsys):
    ex = Explorer(temp, what="item:ml_1", by="omraade")
    files = ex.export(tmp_path / "udforsk")
    names = sorted(p.name for p in files)
    stem = "item-ml_1_dist_efter-omraade_maaling-2"  # the explorer opens on the latest wave
    assert names == sorted(f"{stem}.{s}" for s in ("png", "svg", "pdf", "csv", "alt.txt", "xlsx"))
    assert all(p.stat().st_size > 0 for p in files)
    wb = openpyxl.load_workbook(tmp_path / "udforsk" / f"{stem}.xlsx")
    assert "Fagområde" in [c.value for c in wb["Tabel"][3]]
    capsys.readouterr()


EXPLORE_VIEWS = [View("item:ml_1"), View("item:ml_1", by="omraade"),
                 View("item:ml_1", how="share", by="enhed"),
                 View("scale:miljoe_for_laering", by="enhed", filter=("omraade", 2)),
                 View("item:st_plan", how="share", by="omraade", wave=CHANGE)]


@pytest.mark.slow
def test_views_on_100000_respondents():
    # every kind of view answers on a large survey (its speed, <= 1 s a view, is
    # benchmarks/reports.py's `explore` stage, not a test)
    big = sk.Survey(temperature_survey(n_per_wave=50_000, seed=3),
                    instrument("temperaturmaaling")).with_scale_scores()
    assert big.n == 100_000
    for v in EXPLORE_VIEWS:
        res = compute(big, v)
        assert "<table" in res.presentation.to_html()
        assert res.figure.to_json()  # what the kernel sends to JupyterLab


# -- the first view on real exports others wrote, untouched drafts ---------------------------------
CORPUS = Path(__file__).parent / "data" / "corpus"
REAL_EXPORTS = ["google_forms/autistica_form_responses.csv", "sosci/survey_english_version.csv",
                "sosci/survey_german_version.csv", "readsx_xlsx/ex_survey2.xlsx"]


@pytest.fixture(scope="module", params=REAL_EXPORTS)
def real(request, tmp_path_factory):
    from survey_kit.ingest.infer import draft_codebook

    path = CORPUS / request.param
    cb = draft_codebook(path).codebook
    result = sk.ingest(path, cb, out_dir=tmp_path_factory.mktemp("explore_real"), name="d")
    return request.param, sk.Survey(result.data, cb).with_scale_scores()


def test_first_view_and_every_offered_view_on_an_untouched_draft(real, capsys):
    """A new user's first view is a chart and a table, not an error, and every ``how`` the
    dropdown offers for a question computes: questions whose answers have no order and no positive
    side (nominal answers, one answer, eleven answers) show the share choosing each answer."""
    name, survey = real
    ex = Explorer(survey, ledger=False)
    assert ex.result is not None, (name, ex.status.value)
    assert not ex.status.value.startswith("<span style='color:#a00'>"), (name, ex.status.value)
    for _label, what in ex.what.options[:8]:
        ex.what.value = what
        offered = [v for _, v in ex.how.options]
        assert offered == hows(survey, what), (name, what)
        for how in offered:
            ex.how.value = how
            assert ex.result is not None, (name, what, how, ex.status.value)
        kind, items = what.split(":")[0], ex.result.table["item"].unique()
        if kind == "item" and survey.codebook[items[0]].type != "likert":
            assert "mean" not in offered, (name, what)
            if not survey.codebook[items[0]].positive:
                assert offered == ["dist"], (name, what)
                assert ex.result.figure.data, (name, what)  # drawn, not refused


def test_a_how_that_means_nothing_falls_back_to_the_distribution_in_words(tmp_path):
    from survey_kit.ingest.infer import draft_codebook

    path = CORPUS / "google_forms/autistica_form_responses.csv"
    cb = draft_codebook(path).codebook
    survey = sk.Survey(sk.ingest(path, cb, out_dir=tmp_path, name="d").data, cb)
    nominal = next(it.code for it in cb.items if it.type == "single" and not it.positive)
    for how, words in (("mean", "ingen rækkefølge"), ("share", "ingen positive svar")):
        res = compute(survey, View(what=f"item:{nominal}", how=how))
        assert res.view.how == how and words in res.note
        assert set(res.table.columns) >= {"code", "label", "share"}  # the distribution's table
