"""The explorer in a real JupyterLab in Chromium: open notebook 2.0, run all cells, change the
breakdown dropdown of the explorer, and see the chart and the table change."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "2.0-temperaturmaaling-to-maalinger.ipynb"
TOKEN = "survey-kit-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server from this interpreter's environment, rooted in a temporary project."""
    shutil.copy(NOTEBOOK, tmp_path / NOTEBOOK.name)
    port = _free_port()
    env = {**os.environ, "SURVEY_KIT_HOME": str(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(NOTEBOOK.parents[1]), os.environ.get("PYTHONPATH", "")])}
    log = open(tmp_path / "jupyterlab.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={tmp_path}",
         "--ServerApp.allow_root=True", "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail((tmp_path / "jupyterlab.log").read_text()[-2000:])
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _ticks(page) -> list[str]:
    # SVG text has no innerText: read textContent
    return page.locator(".sk-explorer .js-plotly-plot .ytick text").evaluate_all(
        "els => els.map(e => e.textContent)")


def _accept_kernel_dialog(page) -> bool:
    """On a busy machine JupyterLab may open the notebook before it has the kernel specs, and then
    asks which kernel to start ("Select Kernel", the notebook's own Python 3 preselected): accept
    it, as the analyst would. True when there was such a dialog."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    if dialog.count() and dialog.first.is_visible():
        dialog.first.locator(".jp-mod-accept").first.click()
        return True
    return False


def _kernel_ready(page, timeout: float) -> None:
    """Wait until the notebook's kernel is idle (the toolbar's execution indicator) with no kernel
    dialog in the way for two seconds."""
    deadline, quiet_since = time.time() + timeout, None
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    while time.time() < deadline:
        if _accept_kernel_dialog(page) or not idle.count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif time.time() - quiet_since >= 2:
            return
        time.sleep(0.5)
    pytest.fail(f"the notebook's kernel was not idle within {timeout:.0f} s")


def _run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def _wait_for_explorer(page, explorer, artifacts, timeout: float) -> None:
    """Wait until the explorer widget shows; fail at once, with the cell's error, when a cell of
    the notebook fails (Run All stops there), and with what the last outputs say on a timeout."""
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    deadline = time.time() + timeout
    while time.time() < deadline:
        if explorer.count() and explorer.first.is_visible():
            return
        if _accept_kernel_dialog(page):  # asked only now: the cells did not run, run them again
            _kernel_ready(page, timeout=120)
            _run_all(page)
        failed = [t for t in errors.all_inner_texts() if "Error" in t or "Traceback" in t]
        if failed:
            page.screenshot(path=str(artifacts / "explorer_cell_error.png"))
            pytest.fail(f"a notebook cell failed:\n{failed[0][-3000:]}")
        time.sleep(1)
    page.screenshot(path=str(artifacts / "explorer_timeout.png"))
    status = page.locator(".jp-Notebook-ExecutionIndicator").first.get_attribute("data-status")
    last = page.locator(".jp-OutputArea-output").all_inner_texts()[-3:]
    pytest.fail(f"no explorer after {timeout:.0f} s (kernel {status}); last outputs: {last}")


@pytest.mark.slow
@pytest.mark.browser
def test_explorer_in_jupyterlab(jupyterlab, browser, artifacts):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(f"{jupyterlab}/lab/tree/{NOTEBOOK.name}?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    _kernel_ready(page, timeout=180)
    _run_all(page)
    explorer = page.locator(".sk-explorer")
    _wait_for_explorer(page, explorer, artifacts, timeout=300)
    page.wait_for_selector(".sk-explorer .js-plotly-plot .ytick text", timeout=120_000)
    explorer.scroll_into_view_if_needed()
    before = _ticks(page)
    assert before, "no chart in the explorer"
    page.screenshot(path=str(artifacts / "explorer_before.png"))

    by = explorer.locator(".widget-dropdown", has_text="Opdelt på").locator("select")
    by.select_option(label="Fagområde")
    deadline = time.time() + 30
    after = before
    while time.time() < deadline and after == before:
        time.sleep(0.3)
        after = _ticks(page)
    page.screenshot(path=str(artifacts / "explorer_after.png"))
    assert after != before
    assert any("Børn og Familie" in t for t in after)
    headers = explorer.locator(".sk-present th").evaluate_all("els => els.map(e => e.textContent)")
    assert "Fagområde" in headers and "Antal svar" in headers
    assert not {"ci_low", "q_val", "vs_total"} & set(headers)
    page.close()
