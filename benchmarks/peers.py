"""The whole job side by side with the tools analysts would otherwise use: PSPP and base R.

The job, as a user runs it, each step a fresh process (start-up and imports included): read the
benchmark's windows-1252 CSV export of N respondents x 100 five-point items and compare every item
across the 10 areas (100 comparisons: the share agreeing by area and its chi-square test).

- survey_kit: ``survey-kit ingest export.csv --codebook cb.yaml`` (read, map, validate, parquet),
  then ``python -c "... sk.compare(survey, items, by='omraade')"`` (shares, Wilson intervals,
  chi-square, Benjamini-Hochberg, suppression);
- PSPP (``pspp``, Debian): ``GET DATA /TYPE=TXT`` + ``CROSSTABS /TABLES=q001 TO q100 BY omraade
  /STATISTICS=CHISQ``;
- base R (``Rscript``, Debian ``r-base-core``): ``read.csv`` + per item ``table`` +
  ``chisq.test`` + ``prop.test`` of the agreeing share by area.

A peer that is not installed is reported as such (nothing fails). survey_kit's and R's p-values
of the 100 share tests are compared (they test the same 2 x 10 table), so the race is between jobs
that give the same answers. Targets at N = 1,000,000: survey_kit >= 10x faster than PSPP and >= 6x
faster than R (wall-clock medians of ``--repeat`` runs, all in this run, on this machine).

    .venv/bin/python benchmarks/peers.py                      # N = 1,000,000, repeat 3
    .venv/bin/python benchmarks/peers.py --n 20000 --repeat 1 # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _data  # noqa: E402

TARGETS = {"pspp": 10.0, "R": 6.0}  # survey_kit at least this many times faster, at 1,000,000

_SK_COMPARE = """
import sys
import survey_kit as sk
from survey_kit.codebook import load_codebook
survey = sk.load_processed(sys.argv[1], codebook=load_codebook(sys.argv[3]))
items = [f"q{i:03d}" for i in range(1, 101)]
out = sk.compare(survey, items, by="omraade")
total = out[out["is_total"]]
total[["item", "p_val"]].to_csv(sys.argv[2], index=False)
"""

_R_JOB = r"""
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], sep = ";", fileEncoding = "windows-1252", na.strings = "")
items <- sprintf("q%03d", 1:100)
p <- numeric(length(items))
for (i in seq_along(items)) {
  x <- d[[items[i]]]
  ok <- !is.na(x) & x != 6
  tb <- table(x[ok], d$omraade[ok])
  cs <- suppressWarnings(chisq.test(tb))
  agree <- tapply(x[ok] >= 4, d$omraade[ok], sum)
  n <- tapply(x[ok] >= 0, d$omraade[ok], sum)
  p[i] <- suppressWarnings(prop.test(agree, n))$p.value
}
write.csv(data.frame(item = items, p_val = p), args[2], row.names = FALSE)
"""


def _pspp_syntax(csv: Path) -> str:
    variables = ["respondentid F8.0", "omraade F2.0", "enhed F3.0", "bolge F1.0", "sektor F1.0",
                 "rolle F1.0", *[f"{q} F1.0" for q in _data.ITEMS], "kommentar A80"]
    return "\n".join([
        f"GET DATA /TYPE=TXT /FILE='{csv}' /ENCODING='windows-1252' /ARRANGEMENT=DELIMITED",
        "  /FIRSTCASE=2 /DELIMITERS=';' /QUALIFIER='\"'",
        "  /VARIABLES=" + "\n    ".join(variables) + ".",
        f"MISSING VALUES {_data.ITEMS[0]} TO {_data.ITEMS[-1]} (6).",
        f"CROSSTABS /TABLES={_data.ITEMS[0]} TO {_data.ITEMS[-1]} BY omraade /STATISTICS=CHISQ.",
        "",
    ])


def _run(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-1500:]}")
    return elapsed


def survey_kit_job(work: Path) -> tuple[float, Path]:
    exe = Path(sys.executable).with_name("survey-kit")
    out = work / "sk_out"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ}
    t = _run([str(exe), "ingest", str(work / "export.csv"), "--codebook", str(work / "cb.yaml"),
              "--out", str(out), "--name", "bench"], env)
    result = work / "sk_p.csv"
    t += _run([sys.executable, "-c", _SK_COMPARE, str(out / "bench.parquet"), str(result),
               str(work / "cb.yaml")], env)
    return t, result


def pspp_job(work: Path) -> tuple[float, Path | None]:
    syntax = work / "job.sps"
    syntax.write_text(_pspp_syntax(work / "export.csv"), encoding="utf-8")
    return _run(["pspp", "-O", "format=txt", "-o", str(work / "pspp.txt"), str(syntax)]), None


def r_job(work: Path) -> tuple[float, Path]:
    script = work / "job.R"
    script.write_text(_R_JOB, encoding="utf-8")
    result = work / "r_p.csv"
    return _run(["Rscript", "--vanilla", str(script), str(work / "export.csv"), str(result)]), result


PEERS = {"pspp": ("pspp", pspp_job), "R": ("Rscript", r_job)}


def _agreement(sk_csv: Path, r_csv: Path) -> float:
    import pandas as pd

    a = pd.read_csv(sk_csv).set_index("item")["p_val"]
    b = pd.read_csv(r_csv).set_index("item")["p_val"]
    return float((a - b.reindex(a.index)).abs().max())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=1_000_000, help="respondents (default 1,000,000)")
    p.add_argument("--repeat", type=int, default=3, help="runs per job; the median is reported")
    p.add_argument("--out", type=Path, default=HERE / "results" / "peers.json")
    p.add_argument("--seed", type=int, default=20261122)
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="survey_kit_peers_"))
    try:
        cols = _data.generate(args.n, args.seed)
        _data.write_export(cols, work / "export.csv")
        (work / "cb.yaml").write_text(_data.make_codebook().to_yaml(), encoding="utf-8")
        with open(work / "export.csv", "rb") as fh:
            os.fsync(fh.fileno())
        del cols
        jobs = {"survey_kit": survey_kit_job}
        missing = []
        for name, (program, job) in PEERS.items():
            (jobs.__setitem__(name, job) if shutil.which(program) else missing.append(name))
        times: dict[str, list[float]] = {name: [] for name in jobs}
        results: dict[str, Path | None] = {}
        for _ in range(args.repeat):  # interleaved, so drift on a busy machine hits every job
            for name, job in jobs.items():
                t, res = job(work)
                times[name].append(t)
                results[name] = res
        med = {name: statistics.median(ts) for name, ts in times.items()}
        rows = []
        for name in jobs:
            ratio = med[name] / med["survey_kit"]
            row = {"job": name, "seconds": med[name], "runs": times[name], "times_survey_kit": ratio}
            if name in TARGETS:
                row["target"] = TARGETS[name]
                row["status"] = ("PASS" if ratio >= TARGETS[name] else "FAIL") if args.n == 1_000_000 else "n/a"
            rows.append(row)
        agree = _agreement(results["survey_kit"], results["R"]) if "R" in results else None
        payload = {"n": args.n, "repeat": args.repeat, "rows": rows, "not_installed": missing,
                   "max_abs_p_difference_survey_kit_vs_R": agree}
        print(f"The whole job at N = {args.n:,} (CSV -> 100 comparisons by 10 areas; fresh processes; "
              f"median of {args.repeat}):")
        for r in rows:
            extra = f"  target >= {r['target']:g}x: {r['status']}" if "target" in r else ""
            print(f"  {r['job']:<11} {r['seconds']:7.1f} s  {r['times_survey_kit']:5.1f}x survey_kit{extra}")
        for name in missing:
            print(f"  {name:<11} not installed (Debian: apt-get install {'pspp' if name == 'pspp' else 'r-base-core'})")
        if agree is not None:
            print(f"  p-values of the 100 share tests, survey_kit vs R: largest difference {agree:.1e}")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
