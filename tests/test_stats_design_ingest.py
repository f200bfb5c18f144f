"""Issue 25: ingest keeps the columns of the codebook's ``design:`` block, so a design declared in
the codebook is used on the processed data (``ingest`` -> ``load_processed`` -> ``compare``) with
R's numbers (tests/r/design2_refs.json: R's apiclus2 and apistrat, written as CSV exports by
tests/r/design2_refs.R); a design column that is missing, blank or not a number stops the ingest
with one sentence naming the file, row and column."""

from __future__ import annotations

import shutil
import warnings

import pytest
import yaml

from survey_kit.codebook import load_codebook
from survey_kit.errors import DataError
from survey_kit.ingest.core import ingest
from survey_kit.stats.design import LonelyPSUWarning
from survey_kit.survey import load_processed
from tests._design_refs import HERE, scenario2
from tests.test_stats_design_domains import _check

ITEMS = [
    {"code": "stype", "type": "single", "label": "Skoletype", "text": "stype",
     "values": {1: "E", 2: "H", 3: "M"}},
    {"code": "awards", "type": "single", "label": "Awards", "text": "awards",
     "values": {1: "No", 2: "Yes"}, "positive": [2]},
    {"code": "sch_wide", "type": "single", "label": "Skolemål", "text": "sch.wide",
     "values": {1: "No", 2: "Yes"}},
    {"code": "api00", "type": "number", "label": "API 2000", "text": "api00"},
]
PLAN = {"x": "api00", "y": "awards", "pos": [2], "g": "sch_wide"}


def _codebook(tmp_path, design: dict, name: str = "api"):
    raw = {"instrument": name, "version": "1", "title": "California API", "min_n": 1,
           "respondent_id": {"column": "cds"}, "items": ITEMS, "design": design}
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _ingest(tmp_path, csv: str, design: dict, text: str | None = None):
    export = tmp_path / csv
    if text is None:
        shutil.copyfile(HERE / "data" / csv, export)
    else:
        export.write_text(text, encoding="utf-8")
    cb_path = _codebook(tmp_path, design)
    res = ingest(export, load_codebook(cb_path), out_dir=tmp_path / "processed")
    return res, load_processed(res.paths["data"], codebook=cb_path)


@pytest.mark.parametrize(
    ("scen", "csv", "design", "dom"),
    [
        # two stages, weights from the fpc: svydesign(id=~dnum+snum, fpc=~fpc1+fpc2)
        ("clus2", "apiclus2_stages.csv",
         {"cluster": ["dnum", "snum"], "fpc": ["fpc1", "fpc2"]}, {"stype": 1}),
        # the stratum is an item too: svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc)
        ("strat", "apistrat.csv", {"weight": "pw", "strata": "stype", "fpc": "fpc"},
         {"stype": 2}),
    ],
)
def test_ingested_design_columns_give_r_numbers(tmp_path, scen, csv, design, dom):
    _, _, ref = scenario2(scen)
    res, survey = _ingest(tmp_path, csv, design)
    for col in [c for c in (design.get("weight"), *design.get("cluster", ()), design.get("fpc"))
                if c]:
        for c in ([col] if isinstance(col, str) else col):
            assert c in survey.data.columns, c
    assert res.manifest["rows_quarantined"] == 0
    unknown = set(res.problems.loc[res.problems["rule"] == "unknown_column", "column"])
    assert not unknown & set(survey.codebook.design.columns)  # design columns are known
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LonelyPSUWarning)
        _check(survey, {}, "adjust", ref["options"]["adjust"]["full"], PLAN)
        # a domain of the ingested survey keeps the whole design (R's subset(design, ...))
        _check(survey.filter(**dom), {}, "adjust", ref["options"]["adjust"]["domain"], PLAN)


def test_replicate_weights_by_prefix_are_kept(tmp_path):
    """A prefix (``repweights: jk``) keeps every column whose name starts with it."""
    _, kw, ref = scenario2("rep_jk1")
    design = {"weight": "pw", "repweights": "jk", "rep_type": "JK1", "scale": kw["scale"]}
    res, survey = _ingest(tmp_path, "apiclus1_jk1.csv", design)
    jk = [c for c in survey.data.columns if c.startswith("jk")]
    unknown = set(res.problems.loc[res.problems["rule"] == "unknown_column", "column"])
    assert len(jk) == 15 and not unknown & {"pw", *jk}
    out = survey.compare("api00", stat="mean", min_n=1).iloc[-1]
    r = ref["options"]["adjust"]["full"]["mean"]
    assert abs(out["value"] - r["value"]) < 1e-6 and abs(out["se"] - r["se"]) < 1e-6


def _broken(tmp_path, change):
    lines = (HERE / "data" / "apistrat.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    i = header.index('"pw"')
    cells = lines[5].split(",")
    cells[i] = change
    lines[5] = ",".join(cells)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("cell", "da", "en"),
    [
        ("", r"række 6: kolonnen 'pw' \(vægt i kodebogens design:-blok\) er tom",
         r"row 6: the column 'pw' \(weight in the codebook's design: block\) is blank"),
        ('"mange"', r"række 6: kolonnen 'pw' .* er 'mange', ikke et tal",
         r"row 6: the column 'pw' .* is 'mange', not a number"),
        ("-44.21", r"række 6: kolonnen 'pw' .* er '-44.21'; en vægt kan ikke være negativ",
         r"row 6: the column 'pw' .* is '-44.21'; a weight cannot be negative"),
    ],
)
def test_a_blank_text_or_negative_weight_stops_the_ingest_in_one_sentence(tmp_path, cell, da, en):
    design = {"weight": "pw", "strata": "stype", "fpc": "fpc"}
    with pytest.raises(DataError, match=da) as err:
        _ingest(tmp_path, "apistrat.csv", design, text=_broken(tmp_path, cell))
    assert "apistrat.csv" in str(err.value) and "\n" not in str(err.value)
    assert err.value.text("en").startswith(str(tmp_path))
    assert pytest.importorskip("re").search(en, err.value.text("en"))


def test_a_design_column_missing_from_the_file_is_named(tmp_path):
    design = {"weight": "vaegt", "strata": "stype"}
    with pytest.raises(DataError, match=r"kolonnen 'vaegt' \(vægt i kodebogens design:-blok\) "
                                        r"mangler i filen") as err:
        _ingest(tmp_path, "apistrat.csv", design)
    assert "'vaegt' (weight in the codebook's design: block) is missing" in err.value.text("en")
    with pytest.raises(DataError, match=r"kolonnen 'snum2' \(klynge \(PSU\)"):
        _ingest(tmp_path, "apistrat.csv", {"cluster": ["dnum", "snum2"], "fpc": ["fpc", "fpc"]})


def test_psu_ids_that_look_like_phone_numbers_stay_ids(tmp_path):
    """PSU ids written as "12 34 32 69" look like Danish phone numbers; as design columns they
    are kept as they are (masking them would merge every PSU into one, silently)."""
    lines = (HERE / "data" / "apiclus2_stages.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    j = header.index('"snum"')
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        v = int(cells[j])
        cells[j] = f'"12 34 {v // 100:02d} {v % 100:02d}"'
        out.append(",".join(cells))
    design = {"cluster": ["dnum", "snum"], "fpc": ["fpc1", "fpc2"]}
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no "looks like a phone number" warning
        _, survey = _ingest(tmp_path, "apiclus2_stages.csv", design, text="\n".join(out) + "\n")
    assert survey.data["snum"].str.fullmatch(r"12 34 \d\d \d\d").all()
    _, _, ref = scenario2("clus2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LonelyPSUWarning)
        _check(survey, {}, "adjust", ref["options"]["adjust"]["full"], PLAN)
