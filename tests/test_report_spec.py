"""Report specifications: checked like a codebook, drafted from any codebook, shipped for every
instrument (issue 11)."""

from __future__ import annotations

import pytest
import yaml

from survey_kit.codebook import instrument, instruments
from survey_kit.report.spec import (
    ReportSpec,
    SpecError,
    default_spec,
    load_spec,
    parse_spec,
    shipped_spec_path,
)

TEMP = instrument("temperaturmaaling")


def _spec(**over) -> dict:
    base = {
        "instrument": "temperaturmaaling",
        "title": "Temperaturmåling",
        "sections": [
            {"kind": "response"},
            {"kind": "items", "items": {"codes": ["st_plan"]}, "stat": "share"},
            {"kind": "scales", "items": {"type": "likert"}, "by": ["next_level"]},
        ],
    }
    base.update(over)
    return base


def test_a_good_spec_parses():
    spec = parse_spec(_spec(), TEMP)
    assert [s.kind for s in spec.sections] == ["response", "items", "scales"]


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda d: d["sections"][1].update(kind="pie"), "sections[1].kind"),
        (lambda d: d["sections"][1]["items"].update(codes=["st_planen"]), "sections[1].items.codes: no item or scale 'st_planen'"),
        (lambda d: d["sections"][2]["items"].update(scale="trivsel"), "sections[2].items.scale: no scale 'trivsel'"),
        (lambda d: d["sections"][2].update(by=["kommune"]), "sections[2].by: 'kommune' is not a categorical item"),
        (lambda d: d["sections"][1].update(stat="median"), "sections[1].stat"),
        (lambda d: d["sections"][1].update(chart="pie"), "sections[1].chart"),
        (lambda d: d["sections"][0].update(findings=["magic"]), "sections[0].findings: unknown findings function 'magic'"),
        (lambda d: d["sections"].append({"kind": "gap", "items": {"codes": ["ml_1"]}}), "sections[3].pair"),
        (lambda d: d["sections"].append({"kind": "panel"}), "sections[3].kind: 'panel' needs a panel key"),
        (lambda d: d["sections"].append({"kind": "items"}), "sections[3].items: a 'items' section needs items"),
        (lambda d: d.update(instrument="andet"), "field instrument"),
        (lambda d: d.update(sections=[]), "field sections"),
        (lambda d: d.update(colour="blå"), "field colour"),
        (lambda d: d["sections"][1].update(limit=0), "sections[1].limit"),
    ],
)
def test_a_bad_spec_names_the_field(mutate, field):
    data = _spec()
    mutate(data)
    with pytest.raises(SpecError) as err:
        parse_spec(data, TEMP, source="min_spec.yaml")
    assert "min_spec.yaml" in str(err.value)
    assert field in str(err.value)


def test_a_spec_file_with_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text("instrument: temperaturmaaling\ntitle: [x\nsections: []\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"spec.yaml: ikke gyldig YAML \(linje \d\)"):
        load_spec(path, TEMP)


@pytest.mark.parametrize("name", instruments())
def test_every_instrument_ships_a_spec_that_checks(name):
    cb = instrument(name)
    path = shipped_spec_path(cb)
    assert path is not None, f"{name}: no {name}.report.yaml beside the codebook"
    spec = load_spec(path, cb)
    assert spec.sections[-1].kind == "method"


@pytest.mark.parametrize("name", instruments())
def test_the_default_spec_of_any_codebook_round_trips_through_yaml(name, tmp_path):
    cb = instrument(name)
    spec = default_spec(cb)
    path = tmp_path / "spec.yaml"
    path.write_text(spec.to_yaml(), encoding="utf-8")
    again = load_spec(path, cb)
    assert again == spec
    kinds = [s.kind for s in spec.sections]
    assert kinds[0] == "findings" and kinds[1] == "response" and kinds[-1] == "method"
    # two rounds: the wave comparison; three or more (temperaturmåling since 2012): the trend (issue 24)
    rounds = len(cb.wave.labels) if cb.wave is not None else 0
    assert ("waves" in kinds) == (cb.wave is not None and cb.panel_key is None and rounds < 3)
    assert ("trend" in kinds) == (cb.wave is not None and cb.panel_key is None and rounds >= 3)
    assert ("panel" in kinds) == (cb.panel_key is not None)
    assert ("comments" in kinds) == any(it.type == "text" for it in cb.items)
    assert ("ranking" in kinds) == any(it.type == "ranking" for it in cb.items)


def test_the_default_spec_breaks_down_by_the_next_hierarchy_level_and_every_group():
    spec = default_spec(TEMP)
    scales = next(s for s in spec.sections if s.kind == "scales")
    assert scales.by[0] == "next_level"
    assert "stilling" in scales.by
    assert "bolge" not in scales.by  # the wave is compared in its own section, not as a group


def test_a_spec_is_data_that_survives_yaml():
    spec = default_spec(instrument("lederudvikling_2008"))
    data = yaml.safe_load(spec.to_yaml())
    assert ReportSpec.model_validate(data) == spec
