"""A disclosure ledger across runs (issue 22): an area run then a unit run on the same wave are
protected as one (the second reads what the first published), and the ledger file round-trips."""

from __future__ import annotations

import pandas as pd
import pytest

import survey_kit as sk
from survey_kit.codebook import instrument
from survey_kit.datasets import temperature_survey
from survey_kit.privacy import Ledger, recoverable
from survey_kit.report.engine import build_run
from survey_kit.report.spec import ReportSpec, Section, Select

SPEC = ReportSpec(instrument="temperaturmaaling", title="T", sections=(Section(
    kind="items", items=Select(codes=("ml_1",)), stat="share", by=("stilling",), chart="none"),))


@pytest.fixture(scope="module")
def runs():
    temp = sk.Survey(temperature_survey(seed=5), instrument("temperaturmaaling"))
    ledger = Ledger(instrument="temperaturmaaling")
    area = build_run(temp, SPEC, by="omraade", wave=2, ledger=ledger)
    after_area = {(tuple(r["measure"]), tuple(map(tuple, r["cell"]))): r["hidden"] for r in ledger.records()}
    unit = build_run(temp, SPEC, by="enhed", wave=2, ledger=ledger)
    return temp, ledger, area, unit, after_area


def test_the_unit_run_keeps_hidden_what_the_area_run_hid(runs):
    temp, ledger, area, unit, after_area = runs
    now = {(tuple(r["measure"]), tuple(map(tuple, r["cell"]))): r["hidden"] for r in ledger.records()}
    assert all(now[k] == hidden for k, hidden in after_area.items())  # as the area run showed them
    assert len(now) > len(after_area) and any(now.values())  # the unit run's cells were added


def test_area_and_unit_runs_together_recover_nothing(runs):
    temp, _, area, unit, _ = runs
    pub = area.published + unit.published
    found = recoverable([t for t, _ in pub], scopes=[s for _, s in pub], codebook=temp.codebook,
                        zeros_hidden=True)
    rec = found[found["recoverable"]]
    # a group whose published share is 0 % or 100 % tells everyone's answer without a difference
    homogeneous = set()
    for t, scope in pub:
        if {"value", "group_code"} <= set(t.columns):
            v = pd.to_numeric(t["value"], errors="coerce")
            homogeneous |= {int(c) for c in t.loc[v.isin([0.0, 1.0]) & (t["by"] == "enhed"), "group_code"].dropna()}
            if "enhed" in scope and (v.isin([0.0, 1.0]) & t["group_code"].isna()).any():
                homogeneous.add(int(scope["enhed"]))
    unit_code = rec["key"].str.extract(r"enhed=(\d+)")[0].astype(float)
    rec = rec[~(rec["quantity"].isin(["n_positive", "n_negative"]) & unit_code.isin(homogeneous))]
    assert rec.empty, rec.head().to_string()


def test_the_ledger_file_round_trips_and_a_fresh_start_warns(runs, tmp_path):
    _, ledger, *_ = runs
    ledger.path = tmp_path / "anonymitet_historik.json"
    ledger.save()
    again = Ledger.load(ledger.path, instrument="temperaturmaaling")
    assert len(again) == len(ledger)
    with pytest.raises(ValueError, match="hører til"):
        Ledger.load(ledger.path, instrument="lederudvikling_2008")
    with pytest.warns(UserWarning, match="Ny start"):
        fresh = Ledger.load(ledger.path, instrument="temperaturmaaling", fresh=True)
    assert len(fresh) == 0 and not ledger.path.exists()


def _section(by):
    return ReportSpec(instrument="temperaturmaaling", title="T", sections=(Section(
        kind="items", items=Select(codes=("ml_1",)), stat="share", by=(by,), chart="none"),))


def test_areas_this_week_and_units_next_week_recover_nothing():
    # this week's report shows the areas, next week's the units, of the same wave: with a guard
    # per run, an area minus its shown units gave back its hidden units (unit 101: n = 3, 2 agree)
    temp = sk.Survey(temperature_survey(seed=5), instrument("temperaturmaaling"))
    ledger = Ledger(instrument="temperaturmaaling")
    pub = []
    for by in ("omraade", "enhed"):
        pub += build_run(temp, _section(by), wave=1, ledger=ledger).published
    found = recoverable([t for t, _ in pub], scopes=[s for _, s in pub], codebook=temp.codebook,
                        zeros_hidden=True)
    assert found["recoverable"].sum() == 0, found[found["recoverable"]].head().to_string()
    assert len(found) > 0  # hidden units were attacked


def test_render_reports_keeps_the_ledger_beside_the_reports(tmp_path):
    from survey_kit.privacy.ledger import LEDGER_FILE
    from survey_kit.report import render_reports

    data, other = tmp_path / "t.parquet", tmp_path / "u.parquet"
    temperature_survey(seed=5).to_parquet(data)
    temperature_survey(seed=6).to_parquet(other)
    kw = dict(spec=_section("omraade"), out_dir=tmp_path, formats=("html",), figures=False,
              progress=False, wave=1)
    render_reports(data, "temperaturmaaling", **kw)
    path = tmp_path / "temperaturmaaling" / LEDGER_FILE
    first = Ledger.load(path, instrument="temperaturmaaling")
    assert len(first) > 0 and len(first.runs) == 1
    render_reports(data, "temperaturmaaling", **{**kw, "spec": _section("enhed")})
    assert len(Ledger.load(path).runs) == 2
    # other data into the same folder: one sentence naming the fresh start
    with pytest.raises(ValueError, match="--ny-start"):
        render_reports(other, "temperaturmaaling", **kw)
    with pytest.warns(UserWarning, match="Ny start"):
        render_reports(other, "temperaturmaaling", **kw, fresh_start=True)
    assert len(Ledger.load(path).runs) == 1
