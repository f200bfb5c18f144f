"""Is there a Chrome, Chromium or Microsoft Edge for static figures and PDF printing? (A leaf
module: the demo pipeline and the project runner ask it before they decide what to write.)"""

from __future__ import annotations

import os
from pathlib import Path


def browser_available() -> bool:
    """True when kaleido (static figures) and the PDF printer can find a Chrome/Chromium/Edge:
    ``BROWSER_PATH`` when set, else the browsers choreographer looks for on this system."""
    hint = os.environ.get("BROWSER_PATH")
    if hint:
        return Path(hint).is_file()
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # choreographer missing or unable to look: treat as no browser
        return False
    return bool(found) and Path(found).is_file()
