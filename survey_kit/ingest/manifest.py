"""Atomic, deterministic writing of ingest outputs, and the manifest that records provenance."""

from __future__ import annotations

import io
import json
import os
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from survey_kit.codebook import Codebook

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
}


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temp file in the same folder, fsync it, then ``os.replace`` onto ``path``.

    A reader never sees a half-written file, and a crash leaves the old file (or none) in place.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as parquet with fixed pyarrow options: the same frame gives the same bytes."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
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
        counts = data[item.code].value_counts(dropna=True)
        out[item.code] = {str(code): int(counts.get(code, 0)) for code in sorted(item.missing)}
    return out


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
