"""Is there a Chrome, Chromium or Microsoft Edge for static figures and PDF printing? (A leaf
module: the demo pipeline and the project runner ask it before they decide what to write.)"""

from __future__ import annotations

import os
from pathlib import Path


def pdf_packages_installed() -> bool:
    """Whether the ``pdf`` extra is installed (playwright, pikepdf): PDFs, Word figures, figure files."""
    from survey_kit._extras import installed

    return installed("playwright") and installed("pikepdf")


def browser_available() -> bool:
    """True when the ``pdf`` extra is installed and it can find a Chrome/Chromium/Edge:
    ``BROWSER_PATH`` when set, else the browsers choreographer looks for on this system."""
    if not pdf_packages_installed():
        return False
    hint = os.environ.get("BROWSER_PATH")
    if hint:
        return Path(hint).is_file()
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # choreographer missing or unable to look: treat as no browser
        return False
    return bool(found) and Path(found).is_file()
