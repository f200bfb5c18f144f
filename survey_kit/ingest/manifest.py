"""Atomic, deterministic writing of ingest outputs, and the manifest that records provenance."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from survey_kit._files import atomic_write_bytes
from survey_kit.codebook import Codebook

__all__ = ["PARQUET_OPTIONS", "atomic_write_bytes", "missing_code_counts", "parquet_bytes", "survey_kit_version",
           "utc_now", "write_json_atomic"]

#: snappy (pyarrow's default, read by every parquet reader). Integer columns (answer codes, ids,
#: source rows) are DELTA_BINARY_PACKED (Parquet 2.0, read by Arrow, DuckDB, Spark, polars, R's
#: arrow) instead of dictionary-encoded: at 1,000,000 x 100 codes the file encodes in about 2.3 s
#: instead of 2.7 s (zstd with dictionaries: 3.4 s), 55 MB instead of 51 MB (zstd: 41 MB).
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "snappy",
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
}
INTEGER_ENCODING = "DELTA_BINARY_PACKED"


def parquet_bytes(frame: pd.DataFrame | pa.Table) -> bytes:
    """The frame (or its arrow table) as parquet with fixed pyarrow options: the same frame gives
    the same bytes. Called with a table, it touches no pandas object (safe in a thread)."""
    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    integers = [f.name for f in table.schema if pa.types.is_integer(f.type)]
    others = [f.name for f in table.schema if not pa.types.is_integer(f.type)]
    buf = io.BytesIO()
    pq.write_table(table, buf, use_dictionary=others, column_encoding=dict.fromkeys(integers, INTEGER_ENCODING),
                   **PARQUET_OPTIONS)
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
        out[item.code] = {str(code): int(col.eq(code).sum()) for code in sorted(item.missing)}  # NA not counted
    return out


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
