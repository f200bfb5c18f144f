"""Benchmark survey_kit at national scale: N respondents x 100 five-point items.

Usage::

    .venv/bin/python benchmarks/run.py                       # 10k, 100k, 1M; repeat 3
    .venv/bin/python benchmarks/run.py --quick               # 2,000 rows, repeat 1, 2-chart stage
    .venv/bin/python benchmarks/run.py --sizes 100000 --stages ingest,compare_10

For every N the script generates a synthetic survey (``_data.py``), writes it as a windows-1252
semicolon CSV export and as processed parquet, and runs every stage and its floor in a fresh
spawned child process (``_stages.py``): the median wall-clock time of ``--repeat`` runs and the
child's peak resident memory. The floor is the same job done by the plainest fast tool on the
same data in the same run; ``ratio`` = stage / floor. See README.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _data  # noqa: E402
import _report  # noqa: E402
from _stages import FLOORS  # noqa: E402

DATA_STAGES = ("ingest", "infer", "validate", "compare_10", "compare_100", "compare_design",
               "compare_replicates", "scale_scores", "compare_waves", "ingest_wave", "simulate")
ALL_STAGES = (*DATA_STAGES, "charts")
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK_N = 2_000  # the smoke test's size: every stage end to end, in seconds
QUICK_CHARTS = 2
FULL_CHARTS = 20


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=",".join(str(n) for n in DEFAULT_SIZES),
                   help="comma-separated numbers of respondents (default 10000,100000,1000000)")
    p.add_argument("--repeat", type=int, default=3, help="runs per stage; the median is reported")
    p.add_argument("--out", default=str(HERE / "results" / "latest.json"), help="JSON results")
    p.add_argument("--stages", default=",".join(ALL_STAGES),
                   help=f"comma-separated stages among {', '.join(ALL_STAGES)}")
    p.add_argument("--charts", type=int, default=None,
                   help=f"figures in the chart stage (default {FULL_CHARTS}; {QUICK_CHARTS} with --quick)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: N=10,000, repeat 1, a 2-chart chart stage")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--work-dir", default=None, help="folder for the generated files (default: a temp dir)")
    p.add_argument("--keep", action="store_true", help="keep the generated files")
    p.add_argument("--markdown", metavar="JSON", default=None,
                   help="print the table of an earlier results file as Markdown and exit")
    args = p.parse_args(argv)
    try:
        args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        p.error(f"--sizes: expected comma-separated integers, got {args.sizes!r}")
    args.stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    bad = [s for s in args.stages if s not in ALL_STAGES]
    if bad:
        p.error(f"--stages: unknown stage(s) {', '.join(bad)}; choose among {', '.join(ALL_STAGES)}")
    if args.quick:
        args.sizes, args.repeat = [QUICK_N], 1
        args.charts = QUICK_CHARTS if args.charts is None else args.charts
    if args.charts is None:
        args.charts = FULL_CHARTS
    if args.repeat < 1 or not args.sizes or min(args.sizes) < 100:
        p.error("--repeat must be >= 1 and every size >= 100")
    return args


def in_child(name: str, ctx: dict, repeat: int) -> dict:
    """Run one stage in a fresh spawned process (so its peak memory is its own)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"),
                             max_tasks_per_child=1) as pool:
        return pool.submit(_child, name, ctx, repeat).result()


def _child(name: str, ctx: dict, repeat: int) -> dict:
    import _stages

    try:
        return _stages.run_stage(name, ctx, repeat)
    except Exception as err:  # report the failure, keep benchmarking the other stages
        return {"error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}


def measure(stage: str, n: int, ctx: dict, repeat: int) -> dict:
    row: dict = {"stage": stage, "n": n, "floor": FLOORS[stage]}
    print(f"  {stage:<14} N={n:>9,} ...", end="", flush=True)
    main = in_child(stage, ctx, repeat)
    floor = in_child(f"{stage}.floor", ctx, repeat)
    if "error" in main or "error" in floor:
        row["error"] = main.get("error") or f"floor: {floor.get('error')}"
        row["traceback"] = main.get("traceback") or floor.get("traceback")
        print(f" ERROR {row['error'][:200]}")
        return row
    row.update(
        seconds=statistics.median(main["times"]), times=main["times"],
        floor_seconds=statistics.median(floor["times"]), floor_times=floor["times"],
        peak_mb=main["peak_mb"], floor_peak_mb=floor["peak_mb"],
        rss_after_setup_mb=main["rss_after_setup_mb"],
        floor_rss_after_setup_mb=floor["rss_after_setup_mb"],
        cpu_seconds=statistics.median(main["cpu_times"]),
        floor_cpu_seconds=statistics.median(floor["cpu_times"]),
        setup_s=main["setup_s"], first_call_s=main["first_call_s"], result=main["result"], floor_result=floor["result"],
    )
    row["ratio"] = row["seconds"] / row["floor_seconds"]
    print(f" {row['seconds']:.3f} s (floor {row['floor_seconds']:.3f} s, {row['ratio']:.2f}x, "
          f"peak {row['peak_mb']:,.0f} MB)")
    return row


def prepare(n: int, seed: int, folder: Path) -> tuple[dict, dict]:
    """Generate the survey of ``n`` respondents; write the cp1252 CSV export and the parquet."""
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    cols = _data.generate(n, seed)
    gen_s = time.perf_counter() - t0
    csv = folder / "export.csv"
    csv_s = _data.write_export(cols, csv)
    t0 = time.perf_counter()
    parquet = folder / "processed.parquet"
    _data.write_processed(cols, parquet)
    pq_s = time.perf_counter() - t0
    for done in (csv, parquet):  # the generated files reach the disk now, not while a timed stage writes
        with open(done, "rb") as fh:
            os.fsync(fh.fileno())
    info = {"generate_s": gen_s, "write_csv_s": csv_s, "write_parquet_s": pq_s,
            "csv_mb": csv.stat().st_size / 2**20, "parquet_mb": parquet.stat().st_size / 2**20}
    print(f"N={n:,}: generated in {gen_s:.1f} s, CSV {info['csv_mb']:.0f} MB written in "
          f"{csv_s:.1f} s, parquet in {pq_s:.1f} s")
    return {"csv": str(csv), "parquet": str(parquet), "work_dir": str(folder), "n": n}, info


def add_growth(rows: list[dict]) -> None:
    """Time ratio of each stage from one N to the next larger N."""
    last: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (r["stage"], r["n"])):
        if r.get("error"):
            continue
        prev = last.get(r["stage"])
        r["growth"] = None if prev is None else r["seconds"] / prev["seconds"]
        r["growth_from_n"] = None if prev is None else prev["n"]
        last[r["stage"]] = r


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.markdown:
        payload = json.loads(Path(args.markdown).read_text(encoding="utf-8"))
        print(_report.markdown(payload["stages"]))
        print()
        print(_report.targets_text(payload["targets"]))
        return 0
    info = _report.machine()
    print(f"survey_kit benchmark on {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, "
          f"Python {info['python']}; sizes {args.sizes}, repeat {args.repeat}")
    work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="survey_kit_bench_"))
    rows, sizes = [], {}
    try:
        for n in args.sizes:
            ctx, sizes[str(n)] = prepare(n, args.seed, work / f"n{n}")
            ctx["n_charts"] = args.charts
            for stage in args.stages:
                if stage == "charts" and n != args.sizes[0]:
                    continue  # the chart cost does not depend on N
                rows.append(measure(stage, n, ctx, args.repeat))
            if not args.keep:
                shutil.rmtree(work / f"n{n}", ignore_errors=True)
    finally:
        if not args.keep and not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    order = {s: i for i, s in enumerate(ALL_STAGES)}
    rows.sort(key=lambda r: (order[r["stage"]], r["n"]))
    add_growth(rows)
    results = _report.targets(rows)
    info["loadavg_end"] = list(os.getloadavg())
    print()
    print(_report.table(rows))
    print("\nTargets (N = 1,000,000 on this machine):")
    print(_report.targets_text(results))
    if "charts" in args.stages:
        print(f"\nThe chart stage ({args.charts} figures, PNG+SVG+PDF, one browser) runs at the "
              "smallest N only: its cost does not grow with N.")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": info, "args": {"sizes": args.sizes, "repeat": args.repeat,
                                         "stages": args.stages, "charts": args.charts,
                                         "seed": args.seed, "quick": args.quick},
               "data": sizes, "floors": {s: FLOORS[s] for s in args.stages},
               "stages": rows, "targets": results}
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults written to {out}")
    return 1 if any(r.get("error") for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
