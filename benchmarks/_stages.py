"""The benchmark stages and their floors; each runs in its own spawned child process.

A stage is a pair ``setup(ctx) -> state`` (untimed: imports, loading the input) and
``work(state, ctx)`` (timed with ``time.perf_counter``). :func:`run_stage` runs ``setup`` once and
``work`` ``repeat`` times in the child and returns the wall-clock times, the resident memory
after setup and the peak resident memory of the child (``VmHWM``): the peak is per stage
because every stage gets a fresh process. For the chart stage it is the Python process only;
chromium's own processes are not counted.
"""

from __future__ import annotations

import os
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _data
import numpy as np
import pandas as pd

N_CODES = 7  # codes 0 (blank) .. 6 (Ved ikke)
CHART_FORMATS = ("png", "svg", "pdf")


def rss_mb() -> float:
    """Current resident memory of this process in MB (from /proc/self/statm)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    """Peak resident memory of this process in MB: ``VmHWM`` of /proc/self/status.

    Not ``getrusage().ru_maxrss``: Linux keeps that across fork + exec, so a spawned child
    would report the parent's memory at the time it was started (measured: a 10 MB floor
    reported the 1.1 GB of the parent that had generated the data).
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- ingest -----------------------------------------------------------------------------------
def _ingest_setup(ctx: dict) -> dict:
    from survey_kit.ingest import ingest

    out = Path(ctx["work_dir"]) / "ingest_out"
    shutil.rmtree(out, ignore_errors=True)
    return {"ingest": ingest, "codebook": _data.make_codebook(), "out": out, "runs": 0}


def _ingest_work(state: dict, ctx: dict) -> None:
    res = state["ingest"](ctx["csv"], state["codebook"], out_dir=state["out"], name="bench")
    state["result"] = {"rows_valid": len(res.data), "rows_quarantined": len(res.quarantine),
                       "problems": len(res.problems)}


def _ingest_verify(state: dict, ctx: dict) -> dict:
    """Does the parquet ingest wrote hold exactly the generated data? (checked after timing)"""
    import pandas as pd

    got = pd.read_parquet(state["out"] / "bench.parquet")
    want = pd.read_parquet(ctx["parquet"])
    try:
        pd.testing.assert_frame_equal(got[want.columns], want, check_dtype=False)
    except AssertionError as err:
        return {"matches_generated": False, "mismatch": str(err)[:500]}
    return {"matches_generated": True}


def _ingest_floor_setup(ctx: dict) -> dict:
    import pyarrow.csv as pacsv

    return {"read": pacsv.read_csv,
            "read_opts": pacsv.ReadOptions(encoding="cp1252"),
            "parse_opts": pacsv.ParseOptions(delimiter=";")}


def _ingest_floor_work(state: dict, ctx: dict) -> None:
    table = state["read"](ctx["csv"], read_options=state["read_opts"],
                          parse_options=state["parse_opts"])
    state["result"] = {"rows": table.num_rows}


# -- a new wave into a dataset of five (issue 24) ----------------------------------------------
WAVE_ROUNDS = 6


def _wave_codebook():
    """The benchmark codebook with a round column ``runde`` (six rounds) as its wave."""
    from survey_kit.codebook import parse_codebook

    raw = _data.make_codebook().model_dump(mode="json", exclude_defaults=True)
    raw["wave"] = {"column": "runde", "labels": {k: str(2020 + k) for k in range(1, WAVE_ROUNDS + 1)}}
    return parse_codebook(raw, source="benchmarks/_stages.py")


def _ingest_wave_setup(ctx: dict) -> dict:
    """A dataset of five waves (the first ingested, its part copied as the other four), untimed."""
    import json

    from survey_kit.ingest import ingest
    from survey_kit.ingest.waves import DATASET_MANIFEST, part_name, update_dataset

    cb = _wave_codebook()
    out = Path(ctx["work_dir"]) / "wave_out"
    shutil.rmtree(out, ignore_errors=True)
    first = ingest(ctx["csv"], cb, out_dir=out, wave=1)
    folder = out / cb.instrument
    for w in range(2, WAVE_ROUNDS):
        name = part_name(cb, w)
        shutil.copyfile(first.paths["data"], folder / f"{name}.parquet")
        shutil.copyfile(first.paths["quarantine"], folder / f"{name}.quarantine.csv")
        manifest = dict(first.manifest, wave=w, wave_label=cb.wave.labels[w],
                        outputs={"data": f"{name}.parquet", "quarantine": f"{name}.quarantine.csv",
                                 "manifest": f"{name}.manifest.json"})
        (folder / f"{name}.manifest.json").write_text(json.dumps(manifest, default=str), encoding="utf-8")
        update_dataset(folder, cb, manifest)
    assert len(json.loads((folder / DATASET_MANIFEST).read_text())["waves"]) == WAVE_ROUNDS - 1
    return {"ingest": ingest, "codebook": cb, "out": out}


def _ingest_wave_work(state: dict, ctx: dict) -> None:
    res = state["ingest"](ctx["csv"], state["codebook"], out_dir=state["out"], wave=WAVE_ROUNDS)
    state["result"] = {"rows_valid": len(res.data), "waves_in_dataset": WAVE_ROUNDS}


def _ingest_alone_setup(ctx: dict) -> dict:
    from survey_kit.ingest import ingest

    out = Path(ctx["work_dir"]) / "alone_out"
    shutil.rmtree(out, ignore_errors=True)
    return {"ingest": ingest, "codebook": _wave_codebook(), "out": out}


def _ingest_alone_work(state: dict, ctx: dict) -> None:
    res = state["ingest"](ctx["csv"], state["codebook"], out_dir=state["out"], name="alone")
    state["result"] = {"rows_valid": len(res.data)}


# -- codebook infer: a draft codebook from the same export ---------------------------------------
def _infer_setup(ctx: dict) -> dict:
    from survey_kit.ingest.infer import draft_codebook

    return {"draft": draft_codebook}


def _infer_work(state: dict, ctx: dict) -> None:
    draft = state["draft"](ctx["csv"])
    yaml = draft.to_yaml()
    types: dict[str, int] = {}
    for item in draft.codebook.items:
        types[item.type] = types.get(item.type, 0) + 1
    state["result"] = {"items": len(draft.codebook.items), "types": types, "yaml_chars": len(yaml),
                       "respondent_id": draft.codebook.respondent_id.column}


# -- statistics on the processed data ---------------------------------------------------------
def stat_function(name: str) -> Callable:
    """``survey_kit.stats.<name>``, or the submodule of ``survey_kit.stats`` that defines it
    (while the package does not export it yet)."""
    import importlib
    import pkgutil

    import survey_kit.stats as stats

    if callable(getattr(stats, name, None)):  # not a submodule of the same name
        return getattr(stats, name)
    for mod in pkgutil.iter_modules(stats.__path__):
        module = importlib.import_module(f"survey_kit.stats.{mod.name}")
        if callable(getattr(module, name, None)):
            return getattr(module, name)
    raise AttributeError(f"survey_kit.stats has no function {name!r}")


class _Stats:
    """Attribute access to the statistics functions through :func:`stat_function`."""

    def __getattr__(self, name: str) -> Callable:
        return stat_function(name)


def _frame_setup(ctx: dict) -> dict:
    import pandas as pd

    return {"df": pd.read_parquet(ctx["parquet"]), "codebook": _data.make_codebook(),
            "stats": _Stats()}


def _compare_work(by: str) -> Callable[[dict, dict], None]:
    def work(state: dict, ctx: dict) -> None:
        t = state["stats"].compare(state["df"], _data.ITEMS, by=by, codebook=state["codebook"])
        state["result"] = {"rows": len(t)}
    return work


def _design_setup(ctx: dict) -> dict:
    """The processed frame plus a design: a weight (uniform 0.5-2), 20 strata, 400 PSUs (20 per
    stratum), drawn with a fixed seed (untimed)."""
    state = _frame_setup(ctx)
    df = state["df"]
    rng = np.random.default_rng(20261129)
    n = len(df)
    stratum = rng.integers(0, 20, n).astype(np.int16)
    state["df"] = df.assign(
        vaegt=rng.uniform(0.5, 2.0, n), stratum=stratum,
        psu=(stratum * 20 + rng.integers(0, 20, n)).astype(np.int16),
    )
    return state


def _design_work(state: dict, ctx: dict) -> None:
    t = state["stats"].compare(state["df"], _data.ITEMS, by="omraade", codebook=state["codebook"],
                               weight="vaegt", strata="stratum", cluster="psu")
    state["result"] = {"rows": len(t), "tests": sorted(set(t["test"]))}


def _replicate_setup(ctx: dict) -> dict:
    """The design frame plus 100 bootstrap-like replicate weights (the weight times a Poisson(1)
    factor per PSU and replicate), combined as survey files ship them (untimed)."""
    state = _design_setup(ctx)
    df = state["df"]
    rng = np.random.default_rng(20261207)
    factor = rng.poisson(1.0, (400, 100)).astype(float)
    psu = df["psu"].to_numpy()
    w = df["vaegt"].to_numpy()
    reps = pd.DataFrame(w[:, None] * factor[psu], index=df.index,
                        columns=[f"rep_{i + 1}" for i in range(100)])
    state["df"] = pd.concat([df, reps], axis=1)
    return state


def _replicate_work(state: dict, ctx: dict) -> None:
    t = state["stats"].compare(state["df"], _data.ITEMS, by="omraade", codebook=state["codebook"],
                               weight="vaegt", repweights="rep_", rep_type="bootstrap")
    state["result"] = {"rows": len(t), "tests": sorted(set(t["test"]))}


def _waves_work(state: dict, ctx: dict) -> None:
    t = state["stats"].compare_waves(state["df"], _data.ITEMS, wave="bolge",
                                     codebook=state["codebook"])
    state["result"] = {"rows": len(t)}


def _scales_work(state: dict, ctx: dict) -> None:
    t = state["stats"].scale_scores(state["df"], codebook=state["codebook"])
    state["result"] = {"columns": int(t.shape[1])}


def _codes_setup(group: str | None) -> Callable[[dict], dict]:
    def setup(ctx: dict) -> dict:
        codes = _data.code_matrix(Path(ctx["parquet"]), _data.ITEMS)
        g = None if group is None else _data.code_matrix(Path(ctx["parquet"]), [group])[0]
        return {"codes": codes, "group": g}
    return setup


def _bincount_work(state: dict, ctx: dict) -> None:
    """One ``np.bincount(group * 7 + code)`` per item over int8 codes."""
    base = state["group"].astype(np.intp) * N_CODES
    k = (int(state["group"].max()) + 1) * N_CODES
    counts = [np.bincount(base + item, minlength=k) for item in state["codes"]]
    state["result"] = {"cells": int(sum(c.size for c in counts))}


def _mean_work(state: dict, ctx: dict) -> None:
    """Per scale, the mean of the valid codes (1-5) of its 10 items per respondent."""
    per = _data.N_ITEMS // _data.N_SCALES
    out = []
    for j in range(_data.N_SCALES):
        block = state["codes"][j * per:(j + 1) * per]
        valid = (block >= 1) & (block <= 5)
        total = np.where(valid, block, 0).sum(axis=0, dtype=np.int16)
        n = valid.sum(axis=0, dtype=np.int16)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(np.where(n >= per // 2, total / n, np.nan))
    state["result"] = {"columns": len(out)}


# -- charts -----------------------------------------------------------------------------------
def _charts_setup(ctx: dict) -> dict:
    """The result tables the report's charts are built from (computed here, untimed)."""
    import pandas as pd

    from survey_kit import charts

    stats = _Stats()
    df = pd.read_parquet(ctx["parquet"])
    cb = _data.make_codebook()
    n_charts = int(ctx["n_charts"])
    items = _data.ITEMS
    specs: list[tuple[Callable, Any]] = []
    one = stats.compare(df, items[:10], by="omraade", codebook=cb)
    sector = stats.compare(df, items[10:15], by="sektor", codebook=cb)
    freq = stats.frequencies(df, items[20:25], codebook=cb)
    try:
        scores = pd.concat([df[["omraade"]], stats.scale_scores(df, codebook=cb)], axis=1)
    except AttributeError:  # not written yet: share bars instead of the heatmaps
        scores = None
    try:
        waves = stats.compare_waves(df, items[30:40], wave="bolge", codebook=cb)
    except AttributeError:
        waves = None
    for i in range(8):
        specs.append((charts.share_bars, one[one["item"] == items[i]]))
    specs += [(charts.share_bars, sector)] * 4
    specs += [(charts.likert_bars, freq)] * 4
    if scores is not None:
        heat = stats.compare(scores, _data.SCALES, by="omraade", stat="mean", codebook=cb)
        specs += [(charts.heatmap, heat)] * 2
    else:
        specs += [(charts.share_bars, one)] * 2
    specs += [(charts.wave_dumbbell, waves)] * 2 if waves is not None else \
        [(charts.share_bars, one)] * 2
    return {"charts": charts, "specs": specs[:n_charts], "out": Path(ctx["work_dir"]) / "charts"}


def _charts_work(state: dict, ctx: dict) -> None:
    charts = state["charts"]
    with charts.exporting():
        for i, (build, table) in enumerate(state["specs"]):
            fig = build(table, title=f"Figur {i + 1}", source="Kilde: benchmark")
            charts.save_chart(fig, state["out"] / f"fig{i + 1:02d}", formats=CHART_FORMATS,
                          size="full")
    state["result"] = {"charts": len(state["specs"])}


def _charts_floor_setup(ctx: dict) -> dict:
    import kaleido
    import plotly.graph_objects as go
    import plotly.io as pio

    pio.defaults.mathjax = None
    figs = [go.Figure(go.Bar(x=[1, 2, 3], y=[i, i + 1, i + 2])) for i in range(int(ctx["n_charts"]))]
    return {"kaleido": kaleido, "figs": figs, "out": Path(ctx["work_dir"]) / "charts_floor"}


def _charts_floor_work(state: dict, ctx: dict) -> None:
    """kaleido alone: one sync server, trivial figures, the same formats and size as the report."""
    kaleido = state["kaleido"]
    state["out"].mkdir(parents=True, exist_ok=True)
    w, h = 16 / 2.54 * 96, 10 / 2.54 * 96
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    try:
        for i, fig in enumerate(state["figs"]):
            spec = fig.to_plotly_json()
            for fmt in CHART_FORMATS:
                scale = 300 / 96 if fmt == "png" else 1
                data = kaleido.calc_fig_sync(spec, opts=dict(format=fmt, width=w, height=h,
                                                             scale=scale))
                (state["out"] / f"fig{i + 1:02d}.{fmt}").write_bytes(data)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    state["result"] = {"charts": len(state["figs"])}


# -- validate: the codebook's rules over the processed frame, one planted bad code ---------------
def _validate_setup(ctx: dict) -> dict:
    from survey_kit.ingest import validate_frame

    state = _frame_setup(ctx)
    df = state["df"].copy()
    col = _data.ITEMS[41]
    df[col] = df[col].astype("Int8")
    df.iloc[len(df) // 2, df.columns.get_loc(col)] = 7  # outside the scale's codes 1-6
    state.update(df=df, validate=validate_frame, bad=(len(df) // 2, col))
    return state


def _validate_work(state: dict, ctx: dict) -> None:
    report = state["validate"](state["df"], state["codebook"])
    state["result"] = {"problems": len(report.problems),
                       "columns": sorted(set(report.problems["column"]))}


def _validate_floor_work(state: dict, ctx: dict) -> None:
    """The same rule (codes within the allowed range, NA allowed) as one numpy test per column."""
    bad = 0
    for item in state["codes"]:
        bad += int(((item < 0) | (item > N_CODES - 1)).sum())
    state["result"] = {"bad": bad}


# -- simulate: the demo generators at scale (vectorised, not a loop per respondent) -----------
def _simulate_setup(ctx: dict) -> dict:
    from survey_kit.datasets import leader_survey, temperature_survey

    return {"leader": leader_survey, "temperature": temperature_survey}


def _simulate_work(state: dict, ctx: dict) -> None:
    n = int(ctx["n"])
    a = state["leader"](n=n, seed=1)
    b = state["temperature"](n_per_wave=max(n // 2, 1), seed=2)
    state["result"] = {"leader_rows": len(a), "temperature_rows": len(b)}


def _simulate_floor_work(state: dict, ctx: dict) -> None:
    """numpy drawing the same number of int8 codes (100 items per respondent) without labels."""
    rng = np.random.default_rng(1)
    n = int(ctx["n"])
    state["result"] = {"cells": int(rng.integers(1, 7, size=(n, 100), dtype=np.int8).size)}


# -- registry ---------------------------------------------------------------------------------
# name -> (setup, work, floor name, floor description)
STAGES: dict[str, tuple[Callable, Callable]] = {
    "ingest": (_ingest_setup, _ingest_work),
    "ingest.floor": (_ingest_floor_setup, _ingest_floor_work),
    "infer": (_infer_setup, _infer_work),
    "infer.floor": (_ingest_floor_setup, _ingest_floor_work),
    "compare_10": (_frame_setup, _compare_work("omraade")),
    "compare_10.floor": (_codes_setup("omraade"), _bincount_work),
    "compare_100": (_frame_setup, _compare_work("enhed")),
    "compare_100.floor": (_codes_setup("enhed"), _bincount_work),
    "compare_design": (_design_setup, _design_work),
    "compare_design.floor": (_design_setup, _compare_work("omraade")),
    "compare_replicates": (_replicate_setup, _replicate_work),
    "compare_replicates.floor": (_design_setup, _compare_work("omraade")),
    "scale_scores": (_frame_setup, _scales_work),
    "scale_scores.floor": (_codes_setup(None), _mean_work),
    "compare_waves": (_frame_setup, _waves_work),
    "compare_waves.floor": (_codes_setup("bolge"), _bincount_work),
    "validate": (_validate_setup, _validate_work),
    "validate.floor": (_codes_setup(None), _validate_floor_work),
    "simulate": (_simulate_setup, _simulate_work),
    "simulate.floor": (lambda ctx: {}, _simulate_floor_work),
    "charts": (_charts_setup, _charts_work),
    "charts.floor": (_charts_floor_setup, _charts_floor_work),
    "ingest_wave": (_ingest_wave_setup, _ingest_wave_work),
    "ingest_wave.floor": (_ingest_alone_setup, _ingest_alone_work),
}

# checks run after timing: stage name -> verify(state, ctx) -> dict merged into the result
VERIFY = {"ingest": _ingest_verify}

FLOORS = {
    "ingest": "pyarrow.csv.read_csv of the same cp1252 file (encoding='cp1252', delimiter ';')",
    "infer": "pyarrow.csv.read_csv of the same cp1252 file (the draft also reads it)",
    "compare_10": "np.bincount(group * 7 + code) per item on int8 codes, 10-level group",
    "compare_100": "np.bincount(group * 7 + code) per item on int8 codes, 100-level group",
    "compare_design": "the same compare call without the design (unweighted, 10 areas)",
    "compare_replicates": "the same compare call without the design (unweighted, 10 areas)",
    "scale_scores": "numpy mean of the valid codes (1-5) of each scale's 10 items per respondent",
    "compare_waves": "np.bincount(wave * 7 + code) per item on int8 codes, 2 waves",
    "validate": "one numpy range test per int8 item column (the same rule, no problems table)",
    "simulate": "numpy drawing n x 100 int8 codes (no labels, no structure)",
    "charts": "kaleido alone: one sync server, trivial one-trace figures, PNG+SVG+PDF",
    "ingest_wave": "ingesting the same export alone (no dataset): the sixth wave may cost <= 1.1x that",
}


# stages timed after one untimed warm-up call (cheap ones; the ingest and chart stages are timed
# from their first call: their one-time costs are small next to the work)
WARM_UP = {"compare_10", "compare_100", "compare_design", "compare_replicates", "scale_scores",
           "compare_waves"}


def run_stage(name: str, ctx: dict, repeat: int) -> dict:
    """Run stage ``name`` in this process: setup once, (a warm-up call,) ``work`` ``repeat`` times."""
    setup, work = STAGES[name]
    t0 = time.perf_counter()
    state = setup(ctx)
    setup_s = time.perf_counter() - t0
    first = None
    if name.split(".")[0] in WARM_UP:  # the first call pays lazy imports: time it apart
        t0 = time.perf_counter()
        work(state, ctx)
        first = time.perf_counter() - t0
    before = rss_mb()
    times, cpu = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        work(state, ctx)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    peak = peak_mb()  # before the (untimed) verification
    if name in VERIFY:
        state.setdefault("result", {}).update(VERIFY[name](state, ctx))
    return {"times": times, "cpu_times": cpu, "first_call_s": first, "setup_s": setup_s,
            "rss_after_setup_mb": before, "peak_mb": peak, "result": state.get("result", {})}
