"""Smoke test of the benchmark suite: ``benchmarks/run.py --quick`` end to end.

Runs the real script in a subprocess (N = 2,000, repeat 1, a 2-chart chart stage with the real
kaleido/chromium) and checks the JSON it writes: every stage present with positive times, floors
and ratios, a per-stage peak memory, the machine description, and the ingest stage really read
every generated row and wrote it back unchanged.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAGES = {
    "ingest", "infer", "validate", "compare_10", "compare_100", "compare_design", "scale_scores",
    "compare_waves", "simulate", "charts",
    "ingest_wave",  # a sixth wave into a dataset of five (issue 24)
    "compare_replicates",
}
N = 2_000

pytestmark = pytest.mark.xdist_group("benchmarks")


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "quick.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--out", str(out),
         "--work-dir", str(tmp / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,  # a ceiling for a hung run only
    )
    assert out.exists(), proc.stdout + proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), proc.stdout + proc.stderr


def test_every_stage_has_positive_times_and_ratios(quick: tuple[dict, str]) -> None:
    payload, log = quick
    rows = {r["stage"]: r for r in payload["stages"]}
    assert set(rows) == STAGES, log
    for stage, r in rows.items():
        assert not r.get("error"), f"{stage}: {r.get('error')}\n{r.get('traceback')}"
        assert r["n"] == N
        assert len(r["times"]) == 1 and len(r["floor_times"]) == 1
        assert r["seconds"] > 0 and r["floor_seconds"] > 0, stage
        assert r["ratio"] == pytest.approx(r["seconds"] / r["floor_seconds"])
        assert r["peak_mb"] > 0 and r["floor_peak_mb"] > 0, stage
        assert r["floor"], stage


def test_ingest_round_trips_the_generated_survey(quick: tuple[dict, str]) -> None:
    payload, _ = quick
    ingest = next(r for r in payload["stages"] if r["stage"] == "ingest")
    assert ingest["floor_result"]["rows"] == N
    assert ingest["result"]["rows_valid"] + ingest["result"]["rows_quarantined"] == N
    # the parquet ingest wrote holds exactly the generated survey (checked by run.py)
    assert ingest["result"]["matches_generated"] is True, ingest["result"]
    infer = next(r for r in payload["stages"] if r["stage"] == "infer")
    # the draft of the benchmark export: its id column, and the 100 answer columns on one scale
    assert infer["result"]["respondent_id"] == "respondentid", infer["result"]
    assert infer["result"]["types"].get("likert", 0) >= 100, infer["result"]
    validate = next(r for r in payload["stages"] if r["stage"] == "validate")
    assert validate["result"]["problems"] == 1, validate["result"]  # the one planted bad code
    charts = next(r for r in payload["stages"] if r["stage"] == "charts")
    assert charts["result"]["charts"] == 2 == charts["floor_result"]["charts"]


def test_machine_description_and_targets(quick: tuple[dict, str]) -> None:
    payload, log = quick
    m = payload["machine"]
    assert m["cores"] >= 1 and m["ram_gb"] > 0 and m["python"] and m["cpu"]
    assert m["libraries"]["pandas"] and m["libraries"]["pyarrow"]
    # targets are defined at N = 1,000,000: a quick run reports them as not evaluated
    assert payload["targets"] and {t["status"] for t in payload["targets"]} == {"n/a"}
    assert "ratio" in log and "ingest" in log


@pytest.mark.slow
def test_report_benchmark_runs_and_reports_against_its_floor(tmp_path: Path) -> None:
    """``benchmarks/reports.py --quick``: the report and guard stages give times and ratios."""
    before = set((ROOT / "benchmarks" / "results").glob("reports-*.json"))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "reports.py"), "--quick", "--repeat", "1",
         "--stages", "report,guard"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    new = set((ROOT / "benchmarks" / "results").glob("reports-*.json")) - before
    assert new, proc.stdout
    rows = {r["stage"]: r for r in json.loads(max(new).read_text(encoding="utf-8"))["rows"]}
    assert rows["report"]["median_s"] > 0 and rows["report"]["floor_s"] > 0
    assert rows["report"]["ratio"] == pytest.approx(rows["report"]["median_s"] / rows["report"]["floor_s"], rel=0.1)
    assert rows["guard"]["with_guard_s"] > 0 and rows["guard"]["per_table_s"] > 0
    for path in new:
        path.unlink()
