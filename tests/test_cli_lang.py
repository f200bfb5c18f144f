"""Every command answers in one language (Danish by default, --lang en) and never with a traceback:
unknown --lang, an unwritable output folder, an unknown instrument (issue 14 point 5). Run through
the installed console script, as an analyst would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_exports import write_text

SCRIPT = Path(sys.executable).with_name("survey-kit")
ROOT = Path(__file__).resolve().parents[1]
HEADER = "respondentid;sektor\n1;1\n2;2\n"


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def export(tmp_path):
    return write_text(tmp_path / "e.csv", HEADER)


def test_unknown_lang_is_a_usage_error(export):
    for args in (["validate", str(export), "--instrument", "lederudvikling_2008", "--lang", "fr"],
                 ["ingest", str(export), "--instrument", "lederudvikling_2008", "--lang", "fr"],
                 ["codebook", "infer", str(export), "--lang", "fr"]):
        r = run(*args)
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr and "da eller en" in r.stderr


def test_unwritable_output_folder_is_a_sentence(export):
    r = run("ingest", str(export), "--instrument", "lederudvikling_2008", "--out", "/proc/x")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "kan ikke skrives" in r.stderr
    r = run("ingest", str(export), "--instrument", "lederudvikling_2008", "--out", "/proc/x", "--lang", "en")
    assert r.returncode == 1 and "cannot be written" in r.stderr and "kan ikke" not in r.stderr


def test_unknown_instrument_is_exit_2(export):
    r = run("ingest", str(export), "--instrument", "findes_ikke")
    assert r.returncode == 2 and "ukendt instrument" in r.stderr and "Traceback" not in r.stderr


def test_missing_file_in_danish_and_english(tmp_path):
    r = run("codebook", "infer", str(tmp_path / "mangler.csv"))
    assert r.returncode == 1 and "findes ikke" in r.stderr and "not found" not in r.stderr
    r = run("codebook", "infer", str(tmp_path / "mangler.csv"), "--lang", "en")
    assert r.returncode == 1 and "not found" in r.stderr and "findes ikke" not in r.stderr


def test_reader_problem_in_danish(tmp_path):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(b"%PDF-1.7 ...")
    r = run("validate", str(path), "--instrument", "lederudvikling_2008")
    assert r.returncode == 1 and "er et PDF-dokument" in r.stderr, r.stderr


def test_ingest_summary_in_english(export, tmp_path):
    r = run("ingest", str(export), "--instrument", "lederudvikling_2008", "--out", str(tmp_path / "o"), "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Read 2 rows") and "Læste" not in r.stdout
    r = run("ingest", str(export), "--instrument", "lederudvikling_2008", "--out", str(tmp_path / "o"))
    assert r.stdout.startswith("Læste 2 rækker")
