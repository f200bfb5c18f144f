"""Project paths in one place (cookiecutter-data-science convention).

The project root is, in this order: ``SURVEY_KIT_HOME``; the source checkout this package sits in
(a folder with ``pyproject.toml`` beside ``survey_kit/``: an editable install or a clone); otherwise
the current folder when survey_kit is imported. A pip-installed package never writes into its own
folder (``site-packages``).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder ``data/``, ``reports/`` and ``notebooks/`` belong under (see the module text)."""
    home = os.environ.get("SURVEY_KIT_HOME")
    if home:
        return Path(home)
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / "survey_kit").is_dir():
        return checkout
    return Path.cwd()


PROJ_ROOT = project_root()
DATA_DIR = PROJ_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJ_ROOT / "reports"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
