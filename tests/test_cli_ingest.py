"""The installed ``survey-kit`` console script: ingest and validate, exit status and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from test_ingest import ledere_rows, sha256, write_rows
from test_ingest_corpus import run_cli

# the console script installed beside the interpreter running the tests (make test's venv)
SURVEY_KIT = Path(sys.executable).parent / "survey-kit"


def survey_kit(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    assert SURVEY_KIT.exists(), f"{SURVEY_KIT} is not installed: run make test (pip install -e .)"
    full_env = {k: v for k, v in os.environ.items() if k != "SURVEY_KIT_KEY"} | (env or {})
    return subprocess.run([str(SURVEY_KIT), *args], capture_output=True, text=True, env=full_env, timeout=120)


def test_ingest_and_validate_through_console_script(tmp_path: Path) -> None:
    rows = ledere_rows(8)
    rows[2]["net_godt"] = "7"
    export = write_rows(tmp_path / "ledere.csv", rows)
    before = sha256(export)
    done = survey_kit("ingest", str(export), "--instrument", "lederudvikling_2008", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Læste 8 rækker" in done.stdout and "1 række er sat i karantæne" in done.stdout
    manifest = json.loads((tmp_path / "out" / "ledere.manifest.json").read_text(encoding="utf-8"))
    assert (manifest["rows_valid"], manifest["rows_quarantined"]) == (7, 1)
    assert sha256(export) == before

    problems = tmp_path / "problems.csv"
    done = survey_kit("validate", str(export), "--instrument", "lederudvikling_2008", "--problems", str(problems),
                      "--lang", "en")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Row 4 (respondent 1003), column net_godt: the value 7 is not a valid code" in done.stdout
    table = pd.read_csv(problems, dtype=str)
    assert list(table.columns) == ["respondent_id", "row", "column", "value", "rule", "message"]
    assert table[["row", "column", "value", "rule"]].values.tolist() == [["4", "net_godt", "7", "invalid_code"]]


def test_personal_key_through_console_script(tmp_path: Path, capsys, monkeypatch) -> None:
    export = write_rows(tmp_path / "net.csv", [
        {"respondentid": "1", "leder_id": "anna@kommune.dk", "maaling": "1", "sh_1": "4"},
        {"respondentid": "2", "leder_id": "anna@kommune.dk", "maaling": "2", "sh_1": "5"},
    ])
    done = survey_kit("ingest", str(export), "--instrument", "netvaerksevaluering", "--out", str(tmp_path / "o"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("survey-kit: ") and "--key-file" in done.stderr and "SURVEY_KIT_KEY" in done.stderr
    key = tmp_path / "key.txt"
    key.write_text("hemmelig nøgle\n", encoding="utf-8")
    monkeypatch.delenv("SURVEY_KIT_KEY", raising=False)
    code, _, err = run_cli(["ingest", str(export), "--instrument", "netvaerksevaluering", "--out",
                            str(tmp_path / "o"), "--key-file", str(key)], capsys, monkeypatch)
    assert code == 0, err
    data = pd.read_parquet(tmp_path / "o" / "net.parquet")
    assert data["leder_id"].nunique() == 1 and "@" not in data["leder_id"].iloc[0]
    monkeypatch.setenv("SURVEY_KIT_KEY", "hemmelig nøgle")
    code, _, err = run_cli(["ingest", str(export), "--instrument", "netvaerksevaluering", "--out",
                            str(tmp_path / "p")], capsys, monkeypatch)
    assert code == 0, err
    # the same key from the file and from the environment gives the same pseudonyms
    assert pd.read_parquet(tmp_path / "p" / "net.parquet")["leder_id"].tolist() == data["leder_id"].tolist()


def test_cli_in_process_name_and_sheet(tmp_path: Path, capsys, monkeypatch) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Forside"
    wb.active.append(["Denne fane er ikke data"])
    ws = wb.create_sheet("Data")
    rows = ledere_rows(3)
    ws.append(list(rows[0]))
    for r in rows:
        ws.append([int(v) if v.isdigit() else (v or None) for v in r.values()])
    wb.save(tmp_path / "ark.xlsx")
    code, out, err = run_cli(["ingest", str(tmp_path / "ark.xlsx"), "--instrument", "lederudvikling_2008",
                              "--out", str(tmp_path / "o"), "--name", "ledere_2008", "--sheet", "Data"],
                             capsys, monkeypatch)
    assert code == 0, err
    manifest = json.loads((tmp_path / "o" / "ledere_2008.manifest.json").read_text(encoding="utf-8"))
    assert manifest["sheet"] == "Data" and manifest["rows_valid"] == 3 and manifest["format"] == "xlsx"
