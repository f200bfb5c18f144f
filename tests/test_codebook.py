"""The codebook model: the shipped instruments load, and a bad codebook names its bad field."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from survey_kit.codebook import (
    CodebookError,
    instrument,
    instruments,
    load_codebook,
    parse_codebook,
)

SHIPPED = ["kompetencekortlaegning", "lederudvikling_2008", "netvaerksevaluering", "temperaturmaaling"]


def _raw(name: str) -> dict:
    root = Path(__file__).resolve().parents[1] / "survey_kit" / "codebook" / "instruments"
    return yaml.safe_load((root / f"{name}.yaml").read_text(encoding="utf-8"))


def test_shipped_instruments_are_listed():
    assert instruments() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_instrument_loads_and_round_trips(name):
    cb = instrument(name)
    assert cb.instrument == name
    again = parse_codebook(yaml.safe_load(cb.to_yaml()))
    assert again == cb
    # every item has Danish text and a short label, codes are unique
    assert all(it.text and it.label for it in cb.items)
    assert len({c for c in cb.data_columns}) == len(cb.data_columns)


def test_leader_codebook_content():
    cb = instrument("lederudvikling_2008")
    assert cb["net_godt"].missing == {6: "Ved ikke"}
    assert cb["net_godt"].positive == (4, 5)
    assert cb["net_godt"].ask_if.item == "net_deltaget"
    assert cb["prioritet"].columns == [f"prioritet_{i}" for i in range(1, 9)]
    assert cb.item_for_column("net_formaal_3").code == "net_formaal"
    assert cb.item_for_column("no_such_column") is None
    assert {g.code for g in cb.groups} >= {"sektor", "net_type", "net_deltagelse", "net_facilitering"}


def test_temperature_hierarchy_and_population():
    cb = instrument("temperaturmaaling")
    assert cb.hierarchy == ("omraade", "enhed")
    units = cb["enhed"]
    assert len(units.values) == 99  # 100 units until Ældrecenter Hoven merged into Bork in 2012 (issue 24)
    assert set(units.parent.values()) == set(cb["omraade"].values)
    assert set(cb.population["enhed"]) == set(units.values)
    assert cb["ml_3"].reverse and cb["ml_3"].scale == "miljoe_for_laering"
    assert cb.wave.labels == {1: "2008/09", 2: "2010", 3: "2012"}
    assert cb.recode_for("enhed", 1).codes == {315: 313} and cb.asked_in("st_velkomst", 3)
    assert not cb.asked_in("st_velkomst", 2)


def test_network_panel_key_is_personal():
    cb = instrument("netvaerksevaluering")
    assert cb.panel_key.column == "leder_id" and cb.panel_key.personal
    assert cb.wave.column == "maaling"


def test_min_n_is_never_below_the_survey_minimum():
    raw = _raw("lederudvikling_2008")
    raw["items"][0]["min_n"] = 10
    raw["items"][10]["min_n"] = 3  # udb_netvaerk, in scale udbytte
    cb = parse_codebook(raw)
    assert cb.min_n_for("sektor") == 10
    assert cb.min_n_for("udb_netvaerk") == 5  # 3 < survey's 5
    assert cb.min_n_for(None) == 5


def _mutate(path: list, value):
    def apply(raw):
        node = raw
        for step in path[:-1]:
            node = node[step]
        if value is KeyError:
            del node[path[-1]]
        else:
            node[path[-1]] = value
        return raw

    return apply


BAD = [
    (_mutate(["instrument"], "Bad Name"), "field instrument"),
    (_mutate(["respondent_id"], KeyError), "field respondent_id"),
    (_mutate(["items", 0, "type"], "slider"), "field items[0] (code 'sektor').type"),
    (_mutate(["items", 0, "values"], {"x": "a"}), "is not an integer"),
    (_mutate(["items", 0, "values"], {}), "needs 'values'"),
    (_mutate(["items", 1, "code"], "sektor"), "appear more than once"),
    (_mutate(["items", 3, "positive"], [7]), "'positive' codes [7] are not in 'values'"),
    (_mutate(["items", 4, "ask_if"], {"item": "nope", "codes": [1]}), "unknown item 'nope'"),
    (_mutate(["items", 9, "scale"], "nope"), "scale 'nope' is not declared"),
    (_mutate(["scales", 0, "items"], ["udb_netvaerk", "ghost"]), "item 'ghost' is not declared"),
    (_mutate(["items", 0, "unknown_field"], 1), "unknown_field"),
    (_mutate(["min_n"], 0), "field min_n"),
    (_mutate(["items", 10, "missing"], {5: "Ved ikke"}), "both in 'values' and 'missing'"),
]


@pytest.mark.parametrize("mutate,expected", BAD)
def test_bad_codebook_error_names_the_field(mutate, expected):
    raw = mutate(copy.deepcopy(_raw("lederudvikling_2008")))
    with pytest.raises(CodebookError) as err:
        parse_codebook(raw, source="bad.yaml")
    assert "bad.yaml" in str(err.value)
    assert expected in str(err.value)


def test_unit_without_area_is_refused():
    raw = _raw("temperaturmaaling")
    units = next(it for it in raw["items"] if it["code"] == "enhed")
    del units["parent"][101]
    with pytest.raises(CodebookError, match=r"codes \[101\] have no parent in 'omraade'"):
        parse_codebook(raw)


def test_load_codebook_file_errors(tmp_path):
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("instrument: [unclosed", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid YAML"):
        load_codebook(bad)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: Ældre".encode("cp1252"))
    with pytest.raises(CodebookError, match="not UTF-8"):
        load_codebook(latin)


def test_cli_codebook_check_exit_codes(tmp_path):
    exe = [sys.executable, "-m", "survey_kit.cli"]
    good = tmp_path / "good.yaml"
    good.write_text(instrument("netvaerksevaluering").to_yaml(), encoding="utf-8")
    ok = subprocess.run([*exe, "codebook", "check", str(good)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    raw = _raw("netvaerksevaluering")
    raw["items"][0]["type"] = "slider"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    res = subprocess.run([*exe, "codebook", "check", str(bad)], capture_output=True, text=True)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and "items[0]" in res.stderr
    usage = subprocess.run([*exe, "codebook", "check"], capture_output=True, text=True)
    assert usage.returncode == 2
