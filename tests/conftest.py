"""Shared fixtures: a demo project rendered once per test session (in one xdist worker group)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_executable() -> str:
    exe = os.environ.get("BROWSER_PATH") or shutil.which("chromium")
    if not exe:
        pytest.fail("Debian's chromium is required (make test installs it)")
    return exe


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) driven by Playwright for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        yield b
        b.close()

