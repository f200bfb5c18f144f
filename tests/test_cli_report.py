"""`survey-kit report` refuses bad input with one sentence: exit 1 for data, 2 for options."""

from __future__ import annotations

import subprocess
import sys

import pytest

from survey_kit.codebook import instrument
from survey_kit.datasets import temperature_survey, write_surveyxact_csv
from survey_kit.ingest import ingest

EXE = [sys.executable, "-m", "survey_kit.cli", "report"]


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    root = tmp_path_factory.mktemp("rep")
    cb = instrument("temperaturmaaling")
    files = write_surveyxact_csv(temperature_survey(n_per_wave=300), cb, root / "raw")
    ingest(files["dataset"], cb, out_dir=root / "processed", name="temperaturmaaling")
    return root / "processed" / "temperaturmaaling.parquet"


@pytest.mark.parametrize(
    "args,status,phrase",
    [
        (["temperaturmaaling", "--data", "{missing}"], 1, "processed data not found"),
        (["lederudvikling_2008", "--data", "{data}"], 1, "ingested with instrument 'temperaturmaaling'"),
        (["temperaturmaaling", "--data", "{readme}"], 1, "not a readable parquet file"),
        (["temperaturmaaling", "--data", "{data}", "--wave", "2012"], 2, "'2012' is not in the data"),
        (["temperaturmaaling", "--data", "{data}", "--by", "sektor"], 2, "not a grouping variable"),
        (["temperaturmaaling", "--data", "{data}", "--format", "pptx"], 2, "unknown format"),
    ],
)
def test_report_refuses_bad_input_without_traceback(processed, tmp_path, args, status, phrase):
    readme = tmp_path / "README.md"
    readme.write_text("# not parquet", encoding="utf-8")
    filled = [
        a.format(missing=tmp_path / "none.parquet", data=processed, readme=readme) for a in args
    ]
    res = subprocess.run([*EXE, *filled, "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert res.returncode == status, res.stderr
    assert "Traceback" not in res.stderr
    assert phrase in res.stderr
