"""Machine description, the printed tables and the PASS/FAIL targets of the benchmark run."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

LIBRARIES = ("survey_kit", "numpy", "pandas", "pyarrow", "scipy", "pandera", "plotly", "kaleido")
GB = 1024  # MB

# (name, stage, measure, limit): measure is "ratio", "peak_mb" or "growth"
TARGETS = (
    ("ingest+validation <= 3x pyarrow floor", "ingest", "ratio", 3.0),
    ("compare by 10 levels <= 2x bincount floor", "compare_10", "ratio", 2.0),
    ("validate_frame of the processed data <= 15 s", "validate", "seconds", 15.0),
    ("demo generators (leader n + temperature n/2 per wave) <= 25 s", "simulate", "seconds", 25.0),
    ("compare with a design <= 5x the unweighted call", "compare_design", "ratio", 5.0),
    ("compare with 100 replicate weights <= 10x the unweighted call", "compare_replicates",
     "ratio", 10.0),
    ("peak memory of ingest < 3 GB", "ingest", "peak_mb", 3 * GB),
    ("codebook infer (a draft from the export) <= 10 s", "infer", "seconds", 10.0),
    ("peak memory of compare by 10 levels < 3 GB", "compare_10", "peak_mb", 3 * GB),
)
#: targets measured at their own N: (name, stage, measure, limit, N)
TARGETS_AT_N = (
    ("adding a 6th wave of 100,000 rows <= 1.1x ingesting it alone", "ingest_wave", "ratio", 1.10, 100_000),
)
GROWTH_LIMIT = 12.0
TARGET_N, GROWTH_FROM = 1_000_000, 100_000


def machine() -> dict:
    """CPU model, cores, RAM, Python and library versions, date (UTC), load average."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_gb = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal"):
                    ram_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    libs = {}
    for lib in LIBRARIES:
        try:
            libs[lib] = version(lib)
        except PackageNotFoundError:
            libs[lib] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": ram_gb,
            "python": platform.python_version(), "platform": platform.platform(),
            "libraries": libs, "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "loadavg_start": list(os.getloadavg())}


def fmt_s(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def fmt_x(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}x"


def fmt_mb(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def cpu_ratio(r: dict) -> float | None:
    """Stage CPU seconds / floor CPU seconds (all threads): steadier than wall time on a busy
    machine, but pyarrow's floor reader uses several threads, so read it with care."""
    a, b = r.get("cpu_seconds"), r.get("floor_cpu_seconds")
    return a / b if a is not None and b else None


def table(rows: list[dict]) -> str:
    """The results as a fixed-width text table (one line per stage x N)."""
    head = ("stage", "N", "seconds", "floor s", "ratio", "cpu ratio", "peak MB", "floor MB",
            "growth")
    lines = [head]
    for r in rows:
        if r.get("error"):
            lines.append((r["stage"], f"{r['n']:,}", "ERROR", "", "", "", "", "", r["error"][:60]))
            continue
        lines.append((r["stage"], f"{r['n']:,}", fmt_s(r["seconds"]), fmt_s(r.get("floor_seconds")),
                      fmt_x(r.get("ratio")), fmt_x(cpu_ratio(r)), fmt_mb(r.get("peak_mb")),
                      fmt_mb(r.get("floor_peak_mb")), fmt_x(r.get("growth"))))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = []
    for j, line in enumerate(lines):
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(line, widths, strict=True))]
        out.append("  ".join(cells).rstrip())
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown(rows: list[dict]) -> str:
    """The same table in Markdown (for the README)."""
    out = ["| stage | N | seconds | floor s | ratio | CPU ratio | peak MB | floor peak MB | growth |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        if r.get("error"):
            out.append(f"| {r['stage']} | {r['n']:,} | error | | | | | | |")
            continue
        out.append(f"| {r['stage']} | {r['n']:,} | {fmt_s(r['seconds'])} | "
                   f"{fmt_s(r.get('floor_seconds'))} | {fmt_x(r.get('ratio'))} | "
                   f"{fmt_x(cpu_ratio(r))} | "
                   f"{fmt_mb(r.get('peak_mb'))} | {fmt_mb(r.get('floor_peak_mb'))} | "
                   f"{fmt_x(r.get('growth'))} |")
    return "\n".join(out)


def targets(rows: list[dict]) -> list[dict]:
    """PASS/FAIL of the targets at N = 1,000,000 (growth: 100,000 -> 1,000,000)."""
    at = {(r["stage"], r["n"]): r for r in rows if not r.get("error")}
    out = []
    for name, stage, measure, limit in TARGETS:
        r = at.get((stage, TARGET_N))
        value = None if r is None else r.get(measure)
        t = _target(name, stage, measure, value, limit)
        if measure == "ratio" and r is not None:
            t["cpu_ratio"] = cpu_ratio(r)  # for reading a result from a busy machine
        out.append(t)
    for name, stage, measure, limit, n in TARGETS_AT_N:
        r = at.get((stage, n))
        out.append(_target(name, stage, measure, None if r is None else r.get(measure), limit))
    for r in rows:
        if r["n"] == TARGET_N and r["stage"] != "charts" and not r.get("error"):
            prev = at.get((r["stage"], GROWTH_FROM))
            value = None if prev is None else r["seconds"] / prev["seconds"]
            out.append(_target(f"growth 100k -> 1M of {r['stage']} <= {GROWTH_LIMIT:g}x",
                               r["stage"], "growth", value, GROWTH_LIMIT))
    return out


def _target(name: str, stage: str, measure: str, value: float | None, limit: float) -> dict:
    status = "n/a" if value is None else ("PASS" if value <= limit else "FAIL")
    return {"target": name, "stage": stage, "measure": measure, "value": value, "limit": limit,
            "status": status}


def targets_text(results: list[dict]) -> str:
    lines = []
    for t in results:
        v = t["value"]
        if v is None:
            shown = "-"
        elif t["measure"] == "peak_mb":
            shown = fmt_mb(v) + " MB"
        elif t["measure"] == "seconds":
            shown = f"{v:.1f} s"
        else:
            shown = fmt_x(v)
        if t.get("cpu_ratio") is not None:
            shown += f" (CPU time ratio {fmt_x(t['cpu_ratio'])})"
        lines.append(f"  {t['status']:<5} {t['target']}: {shown}")
    if all(t["status"] == "n/a" for t in results):
        lines.append(f"  (targets are checked at N = {TARGET_N:,}; growth needs {GROWTH_FROM:,} too)")
    return "\n".join(lines)
