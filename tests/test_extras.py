"""The optional parts (extras ``pdf`` and ``notebook``): without them the core runs, and what needs
them says in one sentence which extra to install (in a fresh process where the package cannot be
imported, as on a machine that installed only ``pip install survey_kit``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

BLOCK = "import sys\nfor m in {mods!r}: sys.modules[m] = None  # cannot be imported\n"


def _run(mods: list[str], code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCK.format(mods=mods) + code],
                          capture_output=True, text=True)


@pytest.mark.parametrize("module, code, extra", [
    ("playwright", "from survey_kit.report.render import playwright; playwright()", "pdf"),
    ("kaleido", "import plotly.graph_objects as go\nfrom survey_kit.charts import export\n"
                "export(go.Figure(), 'x', formats=('png',))", "pdf"),
    ("pikepdf", "from survey_kit.report.pdfpost import finish_pdf; finish_pdf('x.pdf', 'y.pdf', title='t', lang='da')", "pdf"),
])
def test_a_missing_extra_is_one_sentence(module, code, extra):
    proc = _run([module, f"{module}.sync_api"] if module == "playwright" else [module], code)
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert f'pip install "survey_kit[{extra}]"' in last and module in last, proc.stderr[-1500:]


def test_the_explorer_without_widgets_names_the_notebook_extra():
    code = ("from survey_kit import Survey\nfrom survey_kit.codebook import instrument\n"
            "from survey_kit.datasets import temperature_survey\nfrom survey_kit.explorer import Explorer\n"
            "Explorer(Survey(temperature_survey(n_per_wave=60, seed=1), instrument('temperaturmaaling')))")
    proc = _run(["ipywidgets"], code)
    assert proc.returncode != 0
    assert 'pip install "survey_kit[notebook]"' in proc.stderr.strip().splitlines()[-1], proc.stderr[-1500:]


def test_the_core_needs_no_extra():
    # ingest, statistics and an HTML report with none of the extras importable
    code = ("import tempfile, pathlib\nimport survey_kit as sk\n"
            "from survey_kit.codebook import instrument\nfrom survey_kit.datasets import leader_survey\n"
            "from survey_kit._browser import browser_available\n"
            "assert not browser_available()\n"
            "s = sk.Survey(leader_survey(n=120, seed=2), instrument('lederudvikling_2008'))\n"
            "out = pathlib.Path(tempfile.mkdtemp())\n"
            "files = sk.render_reports(s, out_dir=out, formats=('html',), figures=False, progress=False)\n"
            "print(sorted(p.name for p in files))\n")
    proc = _run(["playwright", "playwright.sync_api", "pikepdf", "kaleido", "ipywidgets"], code)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "rapport.html" in proc.stdout
