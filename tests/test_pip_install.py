"""The pip route: the built wheel installs into a fresh venv (no make, apt or sudo) and
``survey-kit demo --format html``, run in a project folder, writes the HTML reports and Excel
workbooks there (never into the installed package's folder); without a browser it says in one
Danish sentence what to install.

By default the wheel goes in with ``--no-deps`` and the venv sees this environment's packages
through a path file (not its editable install: a ``.pth`` line adds a folder without running the
folder's own ``.pth`` files), so the test costs seconds, not a resolve. Set
``SURVEY_KIT_TEST_PIP_RESOLVE=1`` for the full route: pip resolves every dependency from PyPI."""

from __future__ import annotations

import os
import site
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
    if os.environ.get("SURVEY_KIT_TEST_PIP_RESOLVE"):
        # dependencies from PyPI or the shared pip cache; nothing from this checkout but the wheel
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                       capture_output=True, timeout=1800)
    else:
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
                       check=True, capture_output=True, timeout=600)
        purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip()
        Path(purelib, "survey_kit_test_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SURVEY_KIT_HOME")}
    installed = subprocess.run([str(py), "-c", "import survey_kit; print(survey_kit.__file__)"],
                               env=env, cwd=tmp_path, check=True, capture_output=True, text=True).stdout.strip()
    assert str(env_dir) in installed, installed  # the wheel's package, not this checkout
    exe = py.parent / "survey-kit"
    env["BROWSER_PATH"] = str(tmp_path / "no-such-browser")  # a machine without Chrome
    project = tmp_path / "projekt"
    project.mkdir()
    proc = subprocess.run([str(exe), "demo", "--format", "html", "--n-temperature", "150"],
                          env=env, cwd=project, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    if os.environ.get("SURVEY_KIT_TEST_PIP_RESOLVE"):  # the core alone: no pdf extra
        assert 'pip install "survey_kit[pdf]"' in proc.stderr
    else:
        assert "Ingen Chrome, Chromium eller Microsoft Edge fundet" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(Path(installed).parents[1].glob("data")), "the demo wrote into site-packages"
    reports = project / "reports"
    for name in ("lederudvikling_2008", "temperaturmaaling", "netvaerksevaluering"):
        assert (reports / name / "samlet" / "rapport.html").stat().st_size > 10_000
        assert (reports / name / "samlet" / "tabeller.xlsx").is_file()
        assert not (reports / name / "samlet" / "rapport.pdf").exists()
