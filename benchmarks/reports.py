"""Report benchmarks (issue 11 point 6, issue 12 point 7), each beside a floor measured in the same run.

Stages, on the demo temperaturmåling (a census of 100 units in 8 areas, two waves):

* ``report``: one report (the whole municipality) written as HTML + PDF with one reused browser;
  the first write (browser start, plotly.js loaded) and the median of the next ones. Floor: the
  same writer printing a report with one heading and one small table.
* ``split``: ``--by enhed``: the whole plus one report per unit, built (one run-wide disclosure
  control) and written as HTML + PDF without figure files. Floor: the ``report`` floor times the
  number of reports.
* ``guard``: building the ``--by omraade`` run with the run-wide guard against the same run with
  per-table suppression only (``LocalProtector``): the cost of planning disclosure for the run.

    python benchmarks/reports.py            # full demo census
    python benchmarks/reports.py --quick    # 200 answers per wave (CI smoke test)

Results: a table on stdout and ``benchmarks/results/reports-<time>.json``. Quote medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _survey(quick: bool):
    from survey_kit.codebook import instrument
    from survey_kit.datasets import temperature_survey
    from survey_kit.survey import Survey

    data = temperature_survey(n_per_wave=200 if quick else None, seed=2010)
    return Survey(data=data, codebook=instrument("temperaturmaaling"))


def _floor_report():
    import pandas as pd

    from survey_kit.report.content import Column, Heading, Report, Table

    t = pd.DataFrame({"label": ["a", "b"], "n": [1, 2], "suppressed": [False, False]})
    rep = Report(title="Gulv", subtitle="")
    rep.add(Heading("Afsnit"), Table("t", "Tabel", t, (Column("label", ""), Column("n", "Antal", "int"))))
    return rep


def bench_report(survey, out: Path, repeat: int) -> dict:
    from survey_kit.report import build_report
    from survey_kit.report.output import ReportWriter

    report = build_report(survey)
    floor = _floor_report()
    times, floors = [], []
    with ReportWriter(formats=("html", "pdf"), figures=False) as w:
        t = time.perf_counter()
        w.write(report, out / "first")
        first = time.perf_counter() - t
        for i in range(repeat):
            t = time.perf_counter()
            w.write(report, out / f"next{i}")
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            w.write(floor, out / f"floor{i}")
            floors.append(time.perf_counter() - t)
    med, fl = statistics.median(times), statistics.median(floors)
    return {"stage": "report", "first_s": round(first, 2), "median_s": round(med, 2),
            "floor_s": round(fl, 2), "ratio": round(med / fl, 1), "target_s": 3.0,
            "met": med <= 3.0}


def bench_split(survey, out: Path, floor_s: float) -> dict:
    from survey_kit.report import render_reports

    t = time.perf_counter()
    res = render_reports(survey, by="enhed", out_dir=out, formats=("html", "pdf"), figures=False,
                         progress=False)
    wall = time.perf_counter() - t
    n_reports = sum(1 for p in res if p.name == "rapport.html")
    return {"stage": "split", "reports": n_reports, "skipped": len(res.skipped),
            "seconds": round(wall, 1), "floor_s": round(floor_s * n_reports, 1),
            "ratio": round(wall / max(floor_s * n_reports, 1e-9), 1), "target_s": 180.0,
            "met": wall <= 180.0}


def bench_guard(survey, repeat: int) -> dict:
    from survey_kit.report import engine

    def build(local: bool) -> float:
        t = time.perf_counter()
        engine.build_run(survey, by="omraade", _per_table=local)
        return time.perf_counter() - t

    build(False), build(True)  # warm-up: imports and caches are not the guard's cost
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(repeat):  # interleaved, so a machine that speeds up or slows down favours neither
        for local in (False, True):
            times[local].append(build(local))
    guarded, local = statistics.median(times[False]), statistics.median(times[True])
    return {"stage": "guard", "with_guard_s": round(guarded, 2), "per_table_s": round(local, 2),
            "added": f"{100 * (guarded / local - 1):+.0f} %", "target": "<= +10 %",
            "met": guarded <= 1.10 * local}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="200 answers per wave (smoke test)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--stages", default="report,split,guard")
    args = p.parse_args(argv)
    stages = args.stages.split(",")
    survey = _survey(args.quick)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        floor = 1.0
        if "report" in stages:
            rows.append(bench_report(survey, out / "report", args.repeat))
            floor = rows[-1]["floor_s"]
        if "split" in stages:
            rows.append(bench_split(survey, out / "split", floor))
        if "guard" in stages:
            rows.append(bench_guard(survey, args.repeat))
    for r in rows:
        print("  ".join(f"{k}={v}" for k, v in r.items()))
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (results / f"reports-{stamp}.json").write_text(json.dumps({"quick": args.quick, "rows": rows},
                                                              indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
