"""The explorer in a real JupyterLab in Chromium: open notebook 2.0, run all cells, change the
breakdown dropdown of the explorer, and see the chart and the table change.

The test drives JupyterLab through its own application object (``--expose-app-in-browser``: the
same ``window.jupyterapp`` JupyterLab's galata test helpers use) and waits on states, never on time:
the app restored and its kernel specs loaded, the notebook opened with the kernel named, the
session's kernel connected and idle, ``notebook:run-all-cells`` settled with every code cell given an
execution count, the explorer's chart shown, the chart's ticks changed. Clicking menus instead lost
"Run All" when it came before the kernel was attached (cells stayed ``[ ]``, kernel idle), and a
notebook opened before the kernel specs had loaded asked "Select Kernel" first; naming the kernel
after the specs are loaded removes both races."""

from __future__ import annotations

import contextlib
import json
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


@contextlib.contextmanager
def lab_server(root: Path, pythonpath: Path):
    """A JupyterLab server from this interpreter's environment, rooted in ``root``, with its own
    (empty) workspaces and settings, so no earlier session's layout is restored; yields its URL
    once it answers /api/status (a state, polled), and stops it on exit."""
    # a fresh user is asked "Would you like to get notified about official Jupyter news?" (a toast
    # over the notebook) while the setting fetchNews is "none": answered "no" the documented way,
    # in the user's settings of @jupyterlab/apputils-extension:notification (news_url=None only
    # stops the fetching, not the question)
    notification = root / ".settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    port = _free_port()
    env = {**os.environ, "SURVEY_KIT_HOME": str(root),
           "PYTHONPATH": os.pathsep.join([str(pythonpath), os.environ.get("PYTHONPATH", "")])}
    log = open(root / "jupyterlab.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--ServerApp.allow_root=True", "--LabApp.expose_app_in_browser=True",
         f"--LabApp.workspaces_dir={root / '.workspaces'}",
         f"--LabApp.user_settings_dir={root / '.settings'}",
         "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # the server answers /api/status once it is up; poll that state (or the process's death)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail((root / "jupyterlab.log").read_text()[-2000:])
                if time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not answer /api/status within 120 s")
                _wait_briefly(proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def jupyterlab(tmp_path):
    """The server of :func:`lab_server` over a project holding notebook 2.0."""
    shutil.copy(NOTEBOOK, tmp_path / NOTEBOOK.name)
    with lab_server(tmp_path, NOTEBOOK.parents[1]) as base:
        yield base


def _wait_briefly(proc) -> None:
    """Block until the server process exits or a short interval passes (a poll of its state)."""
    try:
        proc.wait(timeout=0.25)
    except subprocess.TimeoutExpired:
        pass


# Open the notebook through JupyterLab's document manager once the kernel specs are loaded, naming
# the kernel, and resolve when the session's kernel is connected and idle.
_OPEN_NOTEBOOK = """
async (path) => {
  const app = window.jupyterapp;
  await app.restored;
  await app.serviceManager.ready;
  await app.serviceManager.kernelspecs.ready;
  const widget = await app.commands.execute('docmanager:open',
      {path, factory: 'Notebook', kernel: {name: 'python3'}});
  await widget.context.ready;
  await widget.sessionContext.ready;
  if (!widget.sessionContext.session || !widget.sessionContext.session.kernel) {
    await widget.sessionContext.changeKernel({name: 'python3'});
  }
  app.shell.activateById(widget.id);
  window.__skNotebook = widget;
  return widget.sessionContext.session.kernel.name;
}
"""

_KERNEL_IDLE = """
() => {
  const k = window.__skNotebook.sessionContext.session?.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}
"""

# Run every cell through JupyterLab's command; resolve with each code cell's execution count and
# the first error output (the run stops there).
_RUN_ALL = """
async () => {
  const app = window.jupyterapp, widget = window.__skNotebook;
  app.shell.activateById(widget.id);
  await app.commands.execute('notebook:run-all-cells');
  const cells = [], errors = [];
  for (const cell of widget.content.widgets) {
    if (cell.model.type !== 'code') continue;
    cells.push(cell.model.executionCount);
    for (const out of cell.model.outputs.toJSON()) {
      if (out.output_type === 'error') errors.push(out.ename + ': ' + out.evalue + '\\n' + (out.traceback || []).join('\\n'));
    }
  }
  return {counts: cells, errors};
}
"""


def _ticks(page) -> list[str]:
    # SVG text has no innerText: read textContent
    return page.locator(".sk-explorer .js-plotly-plot .ytick text").evaluate_all(
        "els => els.map(e => e.textContent)")


@pytest.mark.slow
@pytest.mark.browser
def test_explorer_in_jupyterlab(jupyterlab, browser, artifacts):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(300_000)  # a ceiling for a hung state only; every wait is on a state
    page.goto(f"{jupyterlab}/lab?token={TOKEN}")
    page.wait_for_function("() => !!window.jupyterapp")
    assert page.evaluate(_OPEN_NOTEBOOK, NOTEBOOK.name) == "python3"
    page.wait_for_function(_KERNEL_IDLE)
    run = page.evaluate(_RUN_ALL)
    if run["errors"]:
        page.screenshot(path=str(artifacts / "explorer_cell_error.png"))
        pytest.fail(f"a notebook cell failed:\n{run['errors'][0][-3000:]}")
    assert run["counts"] and all(isinstance(c, int) for c in run["counts"]), run["counts"]

    explorer = page.locator(".sk-explorer")
    explorer.wait_for(state="visible")
    page.wait_for_selector(".sk-explorer .js-plotly-plot .ytick text")
    explorer.scroll_into_view_if_needed()
    before = _ticks(page)
    assert before, "no chart in the explorer"
    page.screenshot(path=str(artifacts / "explorer_before.png"))
    # long after the app was restored (when the news question would be asked): no toast
    assert page.get_by_text("official Jupyter news").count() == 0

    by = explorer.locator(".widget-dropdown", has_text="Opdelt på").locator("select")
    by.select_option(label="Fagområde")
    # the kernel redraws chart and table: wait until the ticks name a Fagområde and the table
    # is headed by the breakdown
    page.wait_for_function(
        """() => [...document.querySelectorAll('.sk-explorer .js-plotly-plot .ytick text')]
                   .some(e => e.textContent.includes('Børn og Familie'))
              && [...document.querySelectorAll('.sk-explorer .sk-present th')]
                   .some(e => e.textContent === 'Fagområde')""")
    after = _ticks(page)
    page.screenshot(path=str(artifacts / "explorer_after.png"))
    assert after != before
    assert any("Børn og Familie" in t for t in after)
    headers = explorer.locator(".sk-present th").evaluate_all("els => els.map(e => e.textContent)")
    assert "Fagområde" in headers and "Antal svar" in headers
    assert not {"ci_low", "q_val", "vs_total"} & set(headers)
    page.close()
