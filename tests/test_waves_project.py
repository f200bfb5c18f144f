"""One command per round (issue 24 part 5): ``survey-kit run projekt.yaml`` ingests what changed
and rebuilds the reports; a second run with the same inputs does nothing."""

from __future__ import annotations

import pytest
import yaml
from test_waves_ingest import CODEBOOK, round_frame  # noqa: F401 - the same three rounds
from typer.testing import CliRunner

from survey_kit.cli import app
from survey_kit.codebook import parse_codebook
from survey_kit.datasets.surveyxact import round_codebook, write_surveyxact_xlsx
from survey_kit.errors import DataError
from survey_kit.project import load_project, run_project


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("projekt")
    cb = parse_codebook(CODEBOOK)
    (root / "kodebog.yaml").write_text(cb.to_yaml(), encoding="utf-8")
    for w in (1, 2, 3):
        write_surveyxact_xlsx(round_frame(cb, w, seed=w), round_codebook(cb, w), root / f"runde_{w}.xlsx", seed=w)
    conf = {"codebook": "kodebog.yaml", "exports": {"2008/09": "runde_1.xlsx", "2010": "runde_2.xlsx"},
            "formats": ["html"], "figures": False, "by": "enhed"}
    (root / "projekt.yaml").write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
    return root, conf


def _stamps(root):
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in root.rglob("*") if p.is_file() and p.suffix in (".parquet", ".html")}


def test_run_twice_rebuilds_nothing_the_second_time(project):
    root, conf = project
    first = run_project(root / "projekt.yaml")
    assert first.ingested == ["2008/09", "2010"] and first.rebuilt and first.reports
    before = _stamps(root)
    res = CliRunner().invoke(app, ["run", str(root / "projekt.yaml")])
    assert res.exit_code == 0, res.output
    assert "Intet er ændret" in res.output and "Uændrede målinger (samme indhold som sidst): 2008/09, 2010." in res.output
    assert _stamps(root) == before  # no part ingested again, no report written again
    log = (root / "reports" / "trivsel_test" / "koerselslog.txt").read_text(encoding="utf-8")
    assert log.count("== Kørsel") == 2 and "SHA-256" in log


def test_a_new_wave_is_ingested_and_the_reports_rebuilt(project):
    root, conf = project
    run_project(root / "projekt.yaml")
    before = _stamps(root)
    conf = {**conf, "exports": {**conf["exports"], "2012": "runde_3.xlsx"}}
    (root / "projekt.yaml").write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
    run = run_project(root / "projekt.yaml")
    assert run.ingested == ["2012"] and run.unchanged == ["2008/09", "2010"] and run.rebuilt
    after = _stamps(root)
    for part in ("2008-09.parquet", "2010.parquet"):
        key = f"data/processed/trivsel_test/{part}"
        assert after[key] == before[key]
    # the rebuilt reports replaced the folder; its history (run log, ledger) was carried over
    folder = root / "reports" / "trivsel_test"
    log = (folder / "koerselslog.txt").read_text(encoding="utf-8")
    assert log.count("== Kørsel") == 4 and "2012" in log
    assert (folder / "anonymitet_historik.json").is_file() and (folder / "koersel.json").is_file()
    html = (folder / "samlet" / "rapport.html").read_text(encoding="utf-8")
    assert "Udvikling over tid" in html and "tendens over alle målinger" in html  # the trend, three rounds
    assert "«Tilfredshed» sammenlignes ikke med 2008/09: I 2008/09 havde skalaen fire trin uden midte." in html


def test_bad_project_file_is_one_sentence(tmp_path):
    (tmp_path / "p.yaml").write_text("instrument: temperaturmaaling\ncodebook: x.yaml\nexports: {2010: a.csv}\n")
    with pytest.raises(DataError, match="exactly one of 'instrument' or 'codebook'"):
        load_project(tmp_path / "p.yaml")
    res = CliRunner().invoke(app, ["run", str(tmp_path / "p.yaml")])
    assert res.exit_code != 0
