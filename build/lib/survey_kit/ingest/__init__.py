"""Ingest: read an export (``read_export``), map it onto a codebook, validate, write the outcome.

The orchestrating stage: read (:mod:`.readers`) -> map (:mod:`.mapping`) -> validate
(:mod:`survey_kit.validate`, via :mod:`.check`) -> write (:mod:`.core`); drafting a codebook from
an export (:mod:`.infer`) lives here too.
"""

from __future__ import annotations

from typing import Any

from survey_kit.ingest.core import IngestResult, ingest, read_raw
from survey_kit.ingest.mapping import map_to_codebook, normalise_text
from survey_kit.ingest.raw import RawExport

__all__ = ["IngestResult", "RawExport", "draft_codebook", "infer_codebook", "ingest", "map_to_codebook",
           "normalise_text", "read_export", "read_raw", "validate_export", "validate_frame"]

_LAZY = {
    "read_export": "survey_kit.ingest.readers",
    "validate_export": "survey_kit.ingest.check",
    "validate_frame": "survey_kit.ingest.check",
    "draft_codebook": "survey_kit.ingest.infer",
    "infer_codebook": "survey_kit.ingest.infer",
}


def __getattr__(name: str) -> Any:  # loaded on first use: import survey_kit.ingest stays light
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'survey_kit.ingest' has no attribute {name!r}")
