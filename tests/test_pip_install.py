"""The pip route: the built wheel installs into a fresh venv (no make, apt or sudo) and
``survey-kit demo --format html`` writes the HTML reports and Excel workbooks; without a browser it
says in one Danish sentence what to install."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_in_fresh_venv_runs_the_html_demo(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    wheel = next(wheels.glob("survey_kit-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    py = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    # dependencies from PyPI or the shared pip cache; nothing from this checkout but the wheel
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True, timeout=1800)
    exe = py.parent / "survey-kit"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["BROWSER_PATH"] = str(tmp_path / "no-such-browser")  # a machine without Chrome
    proc = subprocess.run([str(exe), "demo", "--format", "html", "--n-temperature", "150",
                           "--out", str(tmp_path / "projekt")], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Ingen Chrome, Chromium eller Microsoft Edge fundet" in proc.stderr
    assert "Traceback" not in proc.stderr
    reports = tmp_path / "projekt" / "reports"
    for name in ("lederudvikling_2008", "temperaturmaaling", "netvaerksevaluering"):
        assert (reports / name / "samlet" / "rapport.html").stat().st_size > 10_000
        assert (reports / name / "samlet" / "tabeller.xlsx").is_file()
        assert not (reports / name / "samlet" / "rapport.pdf").exists()
