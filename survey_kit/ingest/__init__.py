"""Ingest: read an export (``read_export``), map it onto a codebook, validate, write the outcome.

The orchestrating stage: read (:mod:`.readers`) -> map (:mod:`.mapping`) -> validate
(:mod:`survey_kit.validate`, via :mod:`.check`) -> write (:mod:`.core`); drafting a codebook from
an export (:mod:`.infer`) lives here too.
"""

from __future__ import annotations

from typing import Any

__all__ = ["IngestResult", "RawExport", "draft_codebook", "ingest", "map_to_codebook",
           "normalise_text", "read_export", "read_raw", "validate_export", "validate_frame"]

_LAZY = {
    "IngestResult": "survey_kit.ingest.core",
    "ingest": "survey_kit.ingest.core",
    "read_raw": "survey_kit.ingest.readers",
    "map_to_codebook": "survey_kit.ingest.check",
    "normalise_text": "survey_kit.ingest.mapping",
    "RawExport": "survey_kit.ingest.raw",
    "read_export": "survey_kit.ingest.readers",
    "validate_export": "survey_kit.ingest.check",
    "validate_frame": "survey_kit.ingest.check",
    "draft_codebook": "survey_kit.ingest.infer",
    "infer_codebook": "survey_kit.ingest.infer",
}


def __getattr__(name: str) -> Any:  # loaded on first use: import survey_kit.ingest stays light
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'survey_kit.ingest' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
