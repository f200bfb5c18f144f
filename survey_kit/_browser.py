"""The browser behind PDFs and figure files: is there one, and a :class:`Browser` session object.

A leaf module (nothing heavy at import): the demo pipeline and the project runner ask
:func:`browser_available` before they decide what to write; the report's PDF printer
(:class:`survey_kit.report.render.PdfPrinter`) draws and prints in a :class:`Browser`::

    with Browser() as browser:          # one headless Chromium, closed at the end of the block
        page = browser.new_page()

No module-level browser handle: each :class:`Browser` owns its Chromium. Playwright's sync API
allows one driver per thread, so the Browsers of a thread share that thread's driver: the first
one started starts it, the last one closed stops it.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM_FLAGS", "Browser", "browser_available", "chromium_path", "pdf_packages_installed"]

#: Chromium flags for a closed network, as root, without a screen (see TECH-NOTES).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)


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


def chromium_path() -> str:
    """The Chromium executable: ``BROWSER_PATH`` if set, else Debian's ``chromium``."""
    candidates = [os.environ.get("BROWSER_PATH"), "chromium", "chromium-browser", "google-chrome"]
    for c in candidates:
        if c and (found := shutil.which(c)):
            return found
    raise RuntimeError(
        "Chromium was not found: install Debian's chromium (make install does) or set BROWSER_PATH"
    )


# -- the Playwright driver of a thread, shared by the thread's Browsers ----------------------------
_local = threading.local()


def _acquire_driver() -> Any:
    """This thread's Playwright driver, started by its first user (one more user counted)."""
    users = getattr(_local, "users", 0)
    if users == 0:
        from survey_kit._extras import require

        _local.driver = require("playwright.sync_api").sync_playwright().start()
    _local.users = users + 1
    return _local.driver


def _release_driver() -> None:
    """One user fewer; the last one stops the driver."""
    _local.users = getattr(_local, "users", 1) - 1
    if _local.users <= 0:
        _local.users = 0
        driver, _local.driver = getattr(_local, "driver", None), None
        if driver is not None:
            try:
                driver.stop()
            except Exception:  # noqa: BLE001 - the driver may already be gone
                pass


def hold_driver() -> Any:
    """This thread's Playwright driver, held until the process exits (counted once per thread)."""
    if not getattr(_local, "held", False):
        import atexit

        driver = _acquire_driver()
        _local.held = True
        atexit.register(_release_driver)
        return driver
    return _local.driver


def driver_users() -> int:
    """How many Browsers (and other users) hold this thread's Playwright driver (0: stopped)."""
    return getattr(_local, "users", 0)


class Browser:
    """One headless Chromium (Debian's, closed-network flags) driven by Playwright.

    A context manager: ``with Browser() as b:`` starts it and closes it at the end of the block;
    :meth:`start` and :meth:`close` do the same by hand (both may be called again). Use it in the
    thread that started it (Playwright's sync API is bound to a thread). Once started, attributes
    other than its own are those of the Playwright ``Browser`` (``new_context``, ``version``).

    Parameters
    ----------
    executable : str, optional
        The Chrome/Chromium program; default :func:`chromium_path` (``BROWSER_PATH`` first).
    **launch
        Further arguments to Playwright's ``chromium.launch``.
    """

    def __init__(self, *, executable: str | None = None, **launch: Any) -> None:
        self.executable = executable
        self.launch = launch
        self._chromium: Any = None

    @property
    def running(self) -> bool:
        """Whether this browser is started and its Chromium still connected."""
        return self._chromium is not None and self._chromium.is_connected()

    @property
    def chromium(self) -> Any:
        """The Playwright ``Browser`` (started on first use)."""
        return self.start()._chromium

    def start(self) -> Browser:
        """Launch the Chromium unless it runs already; returns the browser."""
        if self._chromium is None:
            driver = _acquire_driver()
            try:
                self._chromium = driver.chromium.launch(
                    executable_path=self.executable or chromium_path(),
                    args=[f for f in CHROMIUM_FLAGS if f != "--headless"],
                    **self.launch,
                )
            except BaseException:
                _release_driver()
                raise
        return self

    def close(self) -> None:
        """Close the Chromium (and the thread's driver when no other Browser holds it)."""
        chromium, self._chromium = self._chromium, None
        if chromium is not None:
            try:
                chromium.close()
            except Exception:  # noqa: BLE001 - a crashed browser is closed already
                pass
            finally:
                _release_driver()

    def new_page(self, **kwargs: Any) -> Any:
        """A new page (tab) in this browser."""
        return self.chromium.new_page(**kwargs)

    def __enter__(self) -> Browser:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        # the Playwright Browser's own attributes, once started (looking never launches a browser)
        if name.startswith("_") or self.__dict__.get("_chromium") is None:
            raise AttributeError(name)
        return getattr(self._chromium, name)

    def __repr__(self) -> str:
        return f"<Browser {'running' if self.running else 'closed'}>"
