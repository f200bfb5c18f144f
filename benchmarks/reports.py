"""Report benchmarks (issue 11 point 6, issue 12 point 7, issue 21 point 8), each beside a floor
measured in the same run.

Stages, on the demo temperaturmåling (a census of 100 units in 8 areas, two waves), except
``items150``:

* ``report``: one report (the whole municipality) written as HTML + PDF with one reused browser;
  the first write (browser start, plotly.js loaded) and the median of the next ones (target
  <= 1 s). Floor: the same writer printing a report with one heading and one small table.
* ``items150``: the default report (no spec written) of a synthetic 150-item survey (15 scales
  of 10 agreement items, 400 answers in two waves, areas and roles), written as
  ``survey-kit report`` does by default: HTML + PDF + Word + Excel and the figure files, in a fresh
  process state (browsers started inside the timing). Target <= 20 s. Floor: the ``report`` first
  write of the floor report (starting the browser and printing one page).
* ``split``: ``--by enhed``: the whole plus one report per unit, built (one run-wide disclosure
  control) and written as HTML + PDF without figure files (target <= 90 s). Floor: the ``report``
  floor times the number of reports.
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


def _survey150(n: int = 400, seed: int = 150):
    """A synthetic survey of 150 agreement items in 15 scales, two waves, areas and roles."""
    import numpy as np
    import pandas as pd

    from survey_kit.codebook import parse_codebook
    from survey_kit.survey import Survey

    agree = {1: "Helt uenig", 2: "Overvejende uenig", 3: "Hverken enig eller uenig",
             4: "Overvejende enig", 5: "Helt enig"}
    codes = [f"q{i:03d}" for i in range(1, 151)]
    items = [
        {"code": "omraade", "text": "Hvilket område hører du til?", "label": "Område", "type": "single",
         "group": True, "values": {1: "Børn og unge", 2: "Sundhed og ældre", 3: "Teknik og miljø", 4: "Administration"}},
        {"code": "rolle", "text": "Er du leder eller medarbejder?", "label": "Rolle", "type": "single",
         "group": True, "values": {1: "Leder", 2: "Medarbejder"}},
        {"code": "bolge", "text": "Måling", "label": "Måling", "type": "single", "group": True,
         "values": {1: "2025", 2: "2026"}},
    ]
    for i, code in enumerate(codes):
        items.append({"code": code, "text": f"Udsagn {i + 1} om arbejdet og arbejdspladsen", "label": f"Udsagn {i + 1}",
                      "type": "likert", "values": dict(agree), "missing": {6: "Ved ikke"}, "positive": [4, 5],
                      "scale": f"s{i // 10 + 1:02d}"})
    scales = [{"code": f"s{j + 1:02d}", "label": f"Indeks {j + 1}", "items": codes[10 * j:10 * j + 10],
               "min_items": 5} for j in range(15)]
    cb = parse_codebook({"instrument": "items150", "version": "1.0", "title": "Trivselsmåling med 150 udsagn",
                         "respondent_id": {"column": "id"}, "min_n": 5,
                         "wave": {"column": "bolge", "labels": {1: "2025", 2: "2026"}},
                         "items": items, "scales": scales}, source="benchmarks/reports.py")
    rng = np.random.default_rng(seed)
    person = rng.normal(0, 0.8, n)
    frame = {"id": pd.array(np.arange(1, n + 1), dtype="Int64"),
             "omraade": pd.array(rng.integers(1, 5, n), dtype="Int8"),
             "rolle": pd.array(np.where(rng.random(n) < 0.15, 1, 2), dtype="Int8"),
             "bolge": pd.array(np.repeat([1, 2], [n // 2, n - n // 2]), dtype="Int8")}
    cuts = np.array([-1.6, -0.7, 0.2, 1.2])
    for code in codes:
        c = (np.searchsorted(cuts, person + rng.standard_normal(n)) + 1).astype("int8")
        c[rng.random(n) < 0.04] = 6
        frame[code] = pd.array(c, dtype="Int8")
    data = pd.DataFrame(frame)
    data["_source_row"] = pd.array(np.arange(2, n + 2), dtype="Int64")
    data["_complete"] = True
    return Survey(data=data, codebook=cb)


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
            "floor_s": round(fl, 2), "ratio": round(med / fl, 1), "target_s": 1.0,
            "met": med <= 1.0}


def bench_items150(out: Path, repeat: int) -> dict:
    """The default report of a 150-item survey, as ``survey-kit report`` writes it by default."""
    from survey_kit.report import render_reports
    from survey_kit.report.output import ReportWriter

    survey = _survey150()
    times, floors, n_figures = [], [], 0
    for i in range(repeat):
        t = time.perf_counter()
        res = render_reports(survey, out_dir=out / f"run{i}", formats=("html", "pdf", "docx"),
                             figures="whole", progress=False)
        times.append(time.perf_counter() - t)
        n_figures = sum(1 for p in res if p.suffix == ".svg")
        t = time.perf_counter()
        with ReportWriter(formats=("html", "pdf"), figures=False) as w:
            w.write(_floor_report(), out / f"floor{i}")
        floors.append(time.perf_counter() - t)
    med, fl = statistics.median(times), statistics.median(floors)
    return {"stage": "items150", "items": 150, "figures": n_figures, "median_s": round(med, 2),
            "floor_s": round(fl, 2), "ratio": round(med / fl, 1), "target_s": 20.0, "met": med <= 20.0}


def bench_split(survey, out: Path, floor_s: float) -> dict:
    from survey_kit.report import render_reports

    t = time.perf_counter()
    res = render_reports(survey, by="enhed", out_dir=out, formats=("html", "pdf"), figures=False,
                         progress=False)
    wall = time.perf_counter() - t
    n_reports = sum(1 for p in res if p.name == "rapport.html")
    return {"stage": "split", "reports": n_reports, "skipped": len(res.skipped),
            "seconds": round(wall, 1), "floor_s": round(floor_s * n_reports, 1),
            "ratio": round(wall / max(floor_s * n_reports, 1e-9), 1), "target_s": 90.0,
            "met": wall <= 90.0}


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


def bench_explore(repeat: int) -> dict:
    """The explorer's answer to a change of view on 100,000 respondents (two waves of 50,000):
    compute, the Danish table as HTML and the figure as the JSON the kernel sends; the median of
    each view's runs, the slowest view against 1 s. Floor: the same view's plain compare call."""
    import plotly.io  # noqa: F401 - loaded before timing

    from survey_kit import Survey, compare
    from survey_kit.codebook import instrument
    from survey_kit.datasets import temperature_survey
    from survey_kit.explorer import CHANGE, View, compute

    big = Survey(temperature_survey(n_per_wave=50_000, seed=3), instrument("temperaturmaaling")).with_scale_scores()
    views = [View("item:ml_1"), View("item:ml_1", by="omraade"), View("item:ml_1", how="share", by="enhed"),
             View("scale:miljoe_for_laering", by="enhed", filter=("omraade", 2)),
             View("item:st_plan", how="share", by="omraade", wave=CHANGE)]
    compute(big, views[0])  # warm-up: imports
    medians = []
    for v in views:
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            res = compute(big, v)
            res.presentation.to_html()
            res.figure.to_json()
            runs.append(time.perf_counter() - t)
        medians.append(statistics.median(runs))
    floor = []
    for _ in range(repeat):
        t = time.perf_counter()
        compare(big, ["ml_1"], by="enhed")
        floor.append(time.perf_counter() - t)
    slowest = max(medians)
    return {"stage": "explore", "views": len(views), "slowest_s": round(slowest, 3),
            "median_views_s": [round(m, 3) for m in medians], "floor_s": round(statistics.median(floor), 3),
            "target_s": 1.0, "met": slowest <= 1.0}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="200 answers per wave (smoke test)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--stages", default="report,items150,split,guard,explore")
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
        if "items150" in stages:
            rows.append(bench_items150(out / "items150", args.repeat))
        if "split" in stages:
            rows.append(bench_split(survey, out / "split", floor))
        if "guard" in stages:
            rows.append(bench_guard(survey, args.repeat))
        if "explore" in stages:
            rows.append(bench_explore(args.repeat))
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
