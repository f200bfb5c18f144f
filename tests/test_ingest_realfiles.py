"""Every real file end to end: ``codebook infer`` then ``ingest`` through the CLI, in-process.

For each file in ``/work/shared/realdata/{pyreadstat_test_data,pallant,rdatasets}`` the CLI must
exit 0 or 1 with a sentence (never a traceback); when it exits 0 the manifest must account for
every row: ``rows_read == rows_valid + rows_quarantined`` and ``rows_read`` equals the number of
data rows counted independently (pyreadstat for SPSS/Stata/SAS, pandas for CSV).
"""

from __future__ import annotations

import json
import traceback
from pathlib import Path

import pandas as pd
import pytest
from conftest import REALDATA
from typer.testing import CliRunner

from survey_kit.cli import app
from survey_kit.errors import DataError

FILES = sorted(
    [p for p in (REALDATA / "pyreadstat_test_data").iterdir() if p.is_file()]
    + sorted((REALDATA / "pallant").glob("*.sav"))
    + sorted((REALDATA / "rdatasets").glob("*.csv"))
) if REALDATA.exists() else []

#: Files survey_kit refuses on purpose (exit 1 with a sentence); every other file must ingest (exit 0).
REFUSED = {"basic_sample.xpt": "SAS transport"}

pytestmark = pytest.mark.realdata


def independent_row_count(path: Path) -> int:
    """Data rows as pyreadstat / pandas count them (not survey_kit's readers)."""
    import pyreadstat

    suffix = path.suffix.lower()
    readers = {".sav": pyreadstat.read_sav, ".zsav": pyreadstat.read_sav, ".por": pyreadstat.read_por,
               ".dta": pyreadstat.read_dta, ".xpt": pyreadstat.read_xport}
    if suffix in readers:
        _, meta = readers[suffix](str(path), metadataonly=True)
        if meta.number_rows is not None:
            return int(meta.number_rows)
        frame, _ = readers[suffix](str(path))
        return len(frame)
    return len(pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=True))


def run(args: list[str]) -> tuple[int, str]:
    """Invoke the CLI in-process as ``survey_kit.cli.main`` would (DataError -> exit 1)."""
    result = CliRunner().invoke(app, args)
    exc = result.exception
    if isinstance(exc, DataError):
        return 1, result.output + f"survey-kit: {exc}"
    if exc is not None and not isinstance(exc, SystemExit):
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return 99, result.output + "Traceback (most recent call last):\n" + tb
    return result.exit_code, (result.stdout if args[:2] == ["codebook", "infer"] else result.output)


def test_the_shared_real_files_are_there():
    """Without them every real-data test would quietly shrink to nothing: fail instead."""
    assert REALDATA.is_dir(), f"{REALDATA} is missing (CI lays out ../shared beside the checkout)"
    assert len(FILES) >= 30, FILES


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_infer_then_ingest(path: Path, tmp_path: Path) -> None:
    code, out = run(["codebook", "infer", str(path)])
    assert code in (0, 1), out
    assert "Traceback" not in out
    if path.name in REFUSED:
        assert code == 1 and REFUSED[path.name] in out, out
        return
    assert code == 0, out
    cb = tmp_path / "cb.yaml"
    cb.write_text(out, encoding="utf-8")
    code, out = run(["ingest", str(path), "--codebook", str(cb), "--out", str(tmp_path / "out")])
    assert code in (0, 1), out
    assert "Traceback" not in out
    assert code == 0, out
    manifest = json.loads(next((tmp_path / "out").glob("*.manifest.json")).read_text(encoding="utf-8"))
    assert manifest["rows_read"] == manifest["rows_valid"] + manifest["rows_quarantined"]
    assert manifest["rows_read"] == independent_row_count(path)


def test_dates_before_1677_are_kept(tmp_path: Path) -> None:
    """basic_sample.sav holds 1583-01-01: a valid date, kept (microsecond resolution), not a problem."""
    import pyreadstat

    path = REALDATA / "pyreadstat_test_data" / "basic_sample.sav"
    code, out = run(["codebook", "infer", str(path)])
    assert code == 0, out
    (tmp_path / "cb.yaml").write_text(out, encoding="utf-8")
    code, out = run(["ingest", str(path), "--codebook", str(tmp_path / "cb.yaml"), "--out", str(tmp_path / "o")])
    assert code == 0 and "Traceback" not in out, out
    data = pd.read_parquet(tmp_path / "o" / "basic_sample.parquet")
    expected, _ = pyreadstat.read_sav(str(path))  # the reference reader
    assert len(data) == len(expected)
    got = [None if pd.isna(v) else pd.Timestamp(v).date().isoformat() for v in data["mydate"]]
    want = [None if pd.isna(v) else pd.Timestamp(v).date().isoformat() for v in expected["mydate"]]
    assert got == want and "1583-01-01" in got
    assert pd.Timestamp("1583-01-01") in set(data["dtime"].dropna())


def test_export_without_id_column_uses_the_source_row(tmp_path: Path) -> None:
    """No id column: infer writes ``respondent_id.column: _source_row`` and ingest uses the row."""
    source = pd.read_csv(REALDATA / "rdatasets" / "vcd_JobSatisfaction.csv", dtype=str)
    export = tmp_path / "job.csv"
    source.drop(columns="rownames").to_csv(export, index=False)
    code, out = run(["codebook", "infer", str(export)])
    assert code == 0, out
    assert "column: _source_row" in out
    (tmp_path / "cb.yaml").write_text(out, encoding="utf-8")
    code, out = run(["ingest", str(export), "--codebook", str(tmp_path / "cb.yaml"), "--out", str(tmp_path / "o")])
    assert code == 0 and "Traceback" not in out, out
    data = pd.read_parquet(tmp_path / "o" / "job.parquet")
    assert data["_source_row"].tolist() == list(range(2, len(source) + 2))
    assert data["Freq"].tolist() == source["Freq"].astype(float).tolist()
