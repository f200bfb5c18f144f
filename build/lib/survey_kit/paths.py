"""Project paths in one place (cookiecutter-data-science convention).

``SURVEY_KIT_HOME`` overrides the project root, e.g. for a notebook run outside the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(os.environ.get("SURVEY_KIT_HOME", Path(__file__).resolve().parents[1]))
DATA_DIR = PROJ_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJ_ROOT / "reports"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
