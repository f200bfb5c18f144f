"""Atomic, deterministic writing of ingest outputs, and the manifest that records provenance."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from survey_kit._files import atomic_write_bytes
from survey_kit.codebook import Codebook

__all__ = ["PARQUET_OPTIONS", "atomic_write_bytes", "missing_code_counts", "parquet_bytes", "survey_kit_version",
           "utc_now", "write_json_atomic"]

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
}


def parquet_bytes(frame: pd.DataFrame | pa.Table) -> bytes:
    """The frame (or its arrow table) as parquet with fixed pyarrow options: the same frame gives
    the same bytes. Called with a table, it touches no pandas object (safe in a thread)."""
    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    buf = io.BytesIO()
    pq.write_table(table, buf, **PARQUET_OPTIONS)
    return buf.getvalue()


def write_json_atomic(path: Path, payload: dict[str, Any]) -> Path:
    text = json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n"
    return atomic_write_bytes(path, text.encode("utf-8"))


def survey_kit_version() -> str:
    try:
        return metadata.version("survey_kit")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def missing_code_counts(data: pd.DataFrame, codebook: Codebook) -> dict[str, dict[str, int]]:
    """For each item with declared missing codes: code -> number of valid rows holding it."""
    out: dict[str, dict[str, int]] = {}
    for item in codebook.items:
        if not item.missing or item.code not in data:
            continue
        col = data[item.code]
        values = col.to_numpy(dtype="float64", na_value=np.nan) if col.dtype != "float64" else col.to_numpy()
        out[item.code] = {str(code): int(np.count_nonzero(values == code)) for code in sorted(item.missing)}
    return out


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
