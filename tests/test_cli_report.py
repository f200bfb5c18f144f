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


def _shipped_yaml(name: str) -> str:
    from importlib import resources

    return str(resources.files("survey_kit.codebook") / "instruments" / f"{name}.yaml")


@pytest.mark.parametrize(
    "args,status,phrase",
    [
        (["temperaturmaaling", "--data", "{missing}"], 1, "processed data not found"),
        (["lederudvikling_2008", "--data", "{data}"], 1, "ingested with instrument 'temperaturmaaling'"),
        (["temperaturmaaling", "--data", "{readme}"], 1, "not a readable parquet file"),
        (["temperaturmaaling", "--data", "{data}", "--wave", "2012"], 2, "'2012' is not in the data"),
        (["temperaturmaaling", "--data", "{data}", "--by", "sektor"], 2, "not a grouping variable"),
        (["temperaturmaaling", "--data", "{data}", "--format", "odt"], 2, "unknown format"),
        (["min_undersoegelse", "--data", "{data}"], 2, "ukendt instrument 'min_undersoegelse'"),
        (["--data", "{data}", "--codebook", "{bad_spec_cb}", "--spec", "{bad_spec}"], 1, "sections[2].items.scale: no scale 'trivsel'"),
    ],
)
def test_report_refuses_bad_input_without_traceback(processed, tmp_path, args, status, phrase):
    readme = tmp_path / "README.md"
    readme.write_text("# not parquet", encoding="utf-8")
    bad_spec = tmp_path / "spec.yaml"
    bad_spec.write_text(
        "instrument: temperaturmaaling\ntitle: T\nsections:\n  - {kind: response}\n"
        "  - {kind: items, items: {codes: [st_plan]}}\n  - {kind: scales, items: {scale: trivsel}}\n",
        encoding="utf-8",
    )
    filled = [
        a.format(missing=tmp_path / "none.parquet", data=processed, readme=readme, bad_spec=bad_spec,
                 bad_spec_cb=_shipped_yaml("temperaturmaaling"))
        for a in args
    ]
    res = subprocess.run([*EXE, *filled, "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert res.returncode == status, res.stderr
    assert "Traceback" not in res.stderr
    assert phrase in res.stderr
