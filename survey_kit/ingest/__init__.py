"""Ingest: read an export (``read_export``), map it onto a codebook, validate, write the outcome."""

from __future__ import annotations

from typing import Any

from survey_kit.ingest.core import IngestResult, ingest, read_raw
from survey_kit.ingest.mapping import map_to_codebook, normalise_text
from survey_kit.ingest.raw import RawExport

__all__ = ["IngestResult", "RawExport", "ingest", "map_to_codebook", "normalise_text", "read_export", "read_raw"]


def __getattr__(name: str) -> Any:  # read_export lives in readers.py, written separately
    if name == "read_export":
        from survey_kit.ingest.readers import read_export

        return read_export
    raise AttributeError(f"module 'survey_kit.ingest' has no attribute {name!r}")
