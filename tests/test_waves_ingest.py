"""Recurring surveys (issue 24 parts 1-3): each round its own SurveyXact export, one dataset.

Three rounds of a small instrument are written as real SurveyXact workbooks (each as its round
named things: a question renamed and reworded, one added in the last round, two units merged, a
scale changed) and ingested wave by wave.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from survey_kit import load_processed
from survey_kit.codebook import parse_codebook
from survey_kit.datasets.surveyxact import round_codebook, write_surveyxact_xlsx
from survey_kit.errors import DataError
from survey_kit.ingest import ingest

ENIG = {1: "Helt uenig", 2: "Overvejende uenig", 3: "Hverken enig eller uenig", 4: "Overvejende enig",
        5: "Helt enig"}
OLD_UNITS = {2: "Skole B", 3: "Skole C"}
CODEBOOK = {
    "instrument": "trivsel_test",
    "version": "1",
    "title": "Trivselsmåling",
    "respondent_id": {"column": "respondentid"},
    "wave": {"column": "bolge", "labels": {1: "2008/09", 2: "2010", 3: "2012"}},
    "items": [
        {"code": "bolge", "text": "Måling", "label": "Måling", "type": "single", "group": True,
         "values": {1: "2008/09", 2: "2010", 3: "2012"}},
        {"code": "enhed", "text": "Hvor arbejder du?", "label": "Enhed", "type": "single", "group": True,
         "values": {1: "Skole A", 2: "Skole B og C"},
         "recode": {"2008/09": {"codes": {3: 2}, "labels": OLD_UNITS,
                                "note": "Skole B og Skole C er lagt sammen i 2012"},
                    "2010": {"codes": {3: 2}, "labels": OLD_UNITS}}},
        {"code": "q1", "text": "Jeg trives på min arbejdsplads", "label": "Trivsel", "type": "likert",
         "values": ENIG, "missing": {6: "Ved ikke"}, "positive": [4, 5]},
        {"code": "q2", "text": "Min leder giver mig sparring om mit arbejde", "label": "Sparring",
         "type": "likert", "values": ENIG, "missing": {6: "Ved ikke"}, "positive": [4, 5],
         "sources": {"2008/09": {"column": "s_2", "text": "Min leder sparrer med mig"},
                     "2010": {"column": "s_2", "text": "Min leder sparrer med mig"}}},
        {"code": "q3", "text": "Jeg kender kommunens nye strategi", "label": "Strategi", "type": "likert",
         "values": ENIG, "missing": {6: "Ved ikke"}, "positive": [4, 5], "waves": ["2012"]},
        {"code": "q4", "text": "Jeg er tilfreds med mit job", "label": "Tilfredshed", "type": "likert",
         "values": ENIG, "positive": [4, 5],
         "recode": {"2008/09": {"codes": {1: 1, 2: 2, 3: 4, 4: 5}, "comparison": "broken",
                                "labels": {1: "Meget utilfreds", 2: "Utilfreds", 3: "Tilfreds", 4: "Meget tilfreds"},
                                "note": "I 2008/09 havde skalaen fire trin uden midte"}}},
    ],
}
N = {1: 60, 2: 70, 3: 80}


@pytest.fixture(scope="module")
def cb():
    return parse_codebook(CODEBOOK)


def round_frame(cb, wave: int, seed: int) -> pd.DataFrame:
    """One round's answers in that round's own codes and column names."""
    rng = np.random.default_rng(seed)
    rcb = round_codebook(cb, wave)
    n = N[wave]
    df = pd.DataFrame({"respondentid": np.arange(1, n + 1) + 1000 * wave})
    units = [1, 2, 3] if wave < 3 else [1, 2]
    df["enhed"] = rng.choice(units, n)
    for item in rcb.items:
        if item.code in ("enhed",):
            continue
        codes = sorted(item.labels)
        p = np.linspace(1, 2, len(codes)) * (1 + 0.3 * wave)
        df[item.code] = rng.choice(codes, n, p=p / p.sum())
    return df[rcb.data_columns]


@pytest.fixture(scope="module")
def exports(cb, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rounds")
    out = {}
    for w in (1, 2, 3):
        df = round_frame(cb, w, seed=w)
        out[w] = (write_surveyxact_xlsx(df, round_codebook(cb, w), folder / f"runde_{w}.xlsx", seed=w), df)
    return out


@pytest.fixture(scope="module")
def dataset(cb, exports, tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    results = {}
    for w in (3, 1, 2, 1):  # any order, one wave ingested twice
        results[w] = ingest(exports[w][0], cb, out_dir=out, wave=cb.wave.labels[w])
    return out / "trivsel_test", results


def test_round_exports_name_things_as_the_round(exports):
    import openpyxl

    heads = {w: [c.value for c in next(openpyxl.load_workbook(p, read_only=True)["Dataset"].iter_rows(max_row=1))]
             for w, (p, _) in exports.items()}
    assert "s_2" in heads[1] and "q2" not in heads[1] and "q3" not in heads[1]
    assert "q2" in heads[3] and "q3" in heads[3] and "s_2" not in heads[3]


def test_three_exports_make_one_dataset(cb, dataset, exports):
    folder, results = dataset
    survey = load_processed(folder, cb)
    assert len(survey.data) == sum(r.manifest["rows_valid"] for r in results.values()) == sum(N.values())
    assert survey.data["bolge"].tolist() == sorted(survey.data["bolge"].tolist())  # waves in order
    assert survey.data.groupby("bolge").size().to_dict() == N
    manifest = json.loads((folder / "dataset.json").read_text())
    assert [w["wave_label"] for w in manifest["waves"]] == ["2008/09", "2010", "2012"]
    for w in manifest["waves"]:
        part = json.loads((folder / w["manifest"]).read_text())
        assert part["rows_read"] == part["rows_valid"] + part["rows_quarantined"]
        assert part["sha256"] == w["sha256"] and part["wave"] == w["wave"]
    assert survey.manifest["total"]["rows_valid"] == len(survey.data)
    assert survey.manifest["rows_valid"] == N[3]  # the top level describes the latest wave
    assert sorted(p.name for p in folder.glob("*.parquet")) == ["2008-09.parquet", "2010.parquet", "2012.parquet"]


def test_reingesting_a_wave_touches_no_other(cb, dataset, exports):
    folder, _ = dataset
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.glob("20*.parquet")}
    again = ingest(exports[2][0], cb, out_dir=folder.parent, wave="2010")
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.glob("20*.parquet")}
    assert after["2008-09.parquet"] == before["2008-09.parquet"]
    assert after["2012.parquet"] == before["2012.parquet"]
    assert after["2010.parquet"][1] == before["2010.parquet"][1]  # same export, same bytes
    assert len(load_processed(folder, cb).data) == sum(N.values()) and again.manifest["rows_valid"] == N[2]


def test_renamed_and_reworded_item_is_one_item(cb, dataset, exports):
    survey = load_processed(dataset[0], cb)
    for w in (1, 2, 3):
        src = exports[w][1]["s_2" if w < 3 else "q2"].to_numpy()
        got = survey.data.loc[survey.data["bolge"].eq(w), "q2"].to_numpy(dtype=np.int64)
        assert (got == src).all()
    assert "s_2" not in survey.data


def test_added_item_is_missing_for_earlier_waves_without_a_problem(cb, dataset):
    folder, results = dataset
    data = load_processed(folder, cb).data
    assert data.loc[data["bolge"] < 3, "q3"].isna().all()
    assert data.loc[data["bolge"] == 3, "q3"].notna().all()
    for w in (1, 2):
        assert "q3" not in results[w].manifest["columns_missing"]
        assert "bolge" not in results[w].manifest["columns_missing"]


def test_merged_unit_is_reported_as_the_codebook_says(cb, dataset, exports):
    survey = load_processed(dataset[0], cb)
    data = survey.data
    for w in (1, 2):
        src = exports[w][1]["enhed"].to_numpy()
        got = data.loc[data["bolge"].eq(w), "enhed"].to_numpy(dtype=np.int64)
        assert (got == np.where(src == 3, 2, src)).all()
    freq = survey.frequencies("enhed", by="bolge")
    assert set(freq["label"].dropna()) == {"Skole A", "Skole B og C"}
    old = exports[1][1]["enhed"].isin([2, 3]).sum()
    row = freq[(freq["group_code"] == 1) & (freq["code"] == 2)]
    assert int(row["n"].iloc[0]) == old


def test_changed_scale_is_recoded_and_marked_broken(cb, dataset, exports):
    data = load_processed(dataset[0], cb).data
    src = exports[1][1]["q4"].to_numpy()
    got = data.loc[data["bolge"].eq(1), "q4"].to_numpy(dtype=np.int64)
    assert (got == np.array([{1: 1, 2: 2, 3: 4, 4: 5}[v] for v in src])).all()
    assert cb.broken_waves("q4") == [1] and cb.broken_waves("q1") == []


def test_export_with_rows_of_another_wave_is_one_sentence(cb, tmp_path):
    rcb = round_codebook(cb, 3)
    df = round_frame(cb, 3, seed=9)
    df.insert(1, "bolge", 2)
    items = [i.model_dump(exclude_defaults=True) for i in rcb.items]
    with_wave = parse_codebook({**rcb.model_dump(exclude_defaults=True), "items": [
        {"code": "bolge", "text": "Måling", "label": "Måling", "type": "single", "values": {2: "2010", 3: "2012"}},
        *items]})
    path = write_surveyxact_xlsx(df[with_wave.data_columns], with_wave, tmp_path / "x.xlsx")
    with pytest.raises(DataError, match="anden måling"):
        ingest(path, cb, out_dir=tmp_path, wave="2012")


def test_unknown_wave_is_one_sentence(cb, exports, tmp_path):
    with pytest.raises(DataError, match="2011.*2008/09, 2010, 2012"):
        ingest(exports[1][0], cb, out_dir=tmp_path, wave="2011")


def test_codebook_refuses_a_wave_it_does_not_have():
    bad = json.loads(json.dumps(CODEBOOK))
    bad["items"][3]["sources"]["2009"] = {"column": "x"}
    with pytest.raises(DataError, match="2009"):
        parse_codebook(bad)


def test_cli_ingest_wave_and_codebook_diff(cb, exports, tmp_path):
    from survey_kit.cli import app

    path = tmp_path / "cb.yaml"
    path.write_text(cb.to_yaml(), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(exports[3][0]), "--codebook", str(path), "--wave", "2012",
                              "--out", str(tmp_path / "p")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p" / "trivsel_test" / "2012.parquet").exists()
    res = runner.invoke(app, ["codebook", "diff", str(exports[2][0]), str(exports[3][0])])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert "tilføjet: q3 (Jeg kender kommunens nye strategi)" in lines
    assert "fjernet: s_2 (Min leder sparrer med mig)" in lines
    assert "tilføjet: q2 (Min leder giver mig sparring om mit arbejde)" in lines
    assert ("svarmuligheder: enhed (Hvor arbejder du?): kun i A: 2=Skole B, 3=Skole C; "
            "kun i B: 2=Skole B og C") in lines


def test_codebook_round_trips_its_wave_fields(cb):
    again = parse_codebook(__import__("yaml").safe_load(cb.to_yaml()))
    assert again == cb
