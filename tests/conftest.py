"""Shared test set-up: where the real files are, the artifacts folder, one browser per session,
and a derandomised hypothesis profile for CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from survey_kit.report.render import CHROMIUM_FLAGS, chromium_path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"


def _realdata() -> Path:
    """The shared real survey files: beside the checkout (as CI lays it out), or $SURVEY_KIT_REALDATA."""
    candidates = [os.environ.get("SURVEY_KIT_REALDATA"), ROOT.parent / "shared" / "realdata", "/work/shared/realdata"]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return ROOT.parent / "shared" / "realdata"


REALDATA = _realdata()

# Property tests are derandomised in CI: the same examples every run, so a landing never depends
# on luck; locally they explore new examples each run.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# the same closed-network flags the report renderer uses (minus --headless: Playwright adds it)
CHROMIUM_ARGS = [f for f in CHROMIUM_FLAGS if f != "--headless"]


def chromium_executable() -> str:
    try:
        return chromium_path()
    except RuntimeError as err:
        pytest.fail(str(err))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) driven by Playwright for the whole session.

    It comes from the same Playwright driver as the report's PDF printer (one sync driver per
    thread), so the tests can print PDFs while this browser is open.
    """
    from survey_kit.report.render import launch_chromium

    b = launch_chromium(executable_path=chromium_executable())
    yield b
    b.close()



#: every chart of a report page drawn: one plot with its layout and SVG per chart spec in the page
CHARTS_DRAWN_JS = """() => {
  const specs = document.querySelectorAll('script.sk-figdata').length;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return plots.length >= specs && plots.every(p => p._fullLayout && p.querySelector('svg.main-svg'));
}"""


def wait_for_charts(page) -> None:
    """Wait on the state, not on time: the page loaded and every chart it carries drawn."""
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_DRAWN_JS)
