"""Optional parts of survey_kit and the one sentence when one is missing.

The core (ingest, validate, statistics, anonymity, HTML and Excel reports) needs no browser and no
notebook. Two extras add to it:

- ``pdf``: PDF reports, Word figures and figure files (``playwright`` drives a Chrome/Chromium/
  Edge, ``pikepdf`` finishes the PDF for PDF/UA-1, ``kaleido`` exports single charts):
  ``pip install "survey_kit[pdf]"``;
- ``notebook``: JupyterLab with the explorer's widgets (``jupyterlab``, ``ipykernel``,
  ``ipywidgets``): ``pip install "survey_kit[notebook]"``.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from survey_kit.errors import DataError

#: module -> (extra, what it is for in Danish, in English)
PURPOSE = {
    "playwright": ("pdf", "PDF-rapporter og figurfiler", "PDF reports and figure files"),
    "pikepdf": ("pdf", "tilgængelige PDF-rapporter (PDF/UA)", "accessible PDF reports (PDF/UA)"),
    "kaleido": ("pdf", "statiske figurer (PNG/SVG/PDF)", "static figures (PNG/SVG/PDF)"),
    "ipywidgets": ("notebook", "udforskeren i JupyterLab", "the explorer in JupyterLab"),
    "ruamel": ("notebook", "gennemgangen af et kodebogsudkast (sk.review)", "the review of a codebook draft (sk.review)"),
}


def installed(module: str) -> bool:
    """Whether ``module`` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require(module: str) -> ModuleType:
    """``module`` imported, or a DataError naming the extra that brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        extra, da, en = PURPOSE.get(top, ("pdf", "denne del", "this part"))
        raise DataError(
            f"{da} kræver pakken {top}, som ikke er installeret: pip install \"survey_kit[{extra}]\"",
            en=f"{en} need the package {top}, which is not installed: pip install \"survey_kit[{extra}]\"",
        ) from None
