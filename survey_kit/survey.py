"""A survey in memory: processed data, the codebook it was validated against, and provenance."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from survey_kit.codebook import Codebook, instrument, instruments, load_codebook
from survey_kit.errors import DataError

#: Columns added by ingest; statistics ignore every column whose name starts with "_".
SOURCE_ROW = "_source_row"  # row number in the source file (the header is row 1)
COMPLETE = "_complete"  # True for a complete answer, False for a partial complete


@dataclass(frozen=True)
class Survey:
    """Processed survey data with its codebook.

    Statistics accept either a :class:`Survey` or a plain DataFrame (then pass ``codebook=``).
    """

    data: pd.DataFrame
    codebook: Codebook
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.data)

    def _repr_html_(self) -> str:  # JupyterLab
        cb = self.codebook
        return (
            f"<p><b>{cb.title}</b> ({cb.instrument} v{cb.version}): "
            f"{self.n:,} besvarelser, {len(cb.items)} spørgsmål</p>".replace(",", ".")
            + self.data.head(5).to_html(max_cols=12)
        )


def load_processed(path: str | Path, codebook: Codebook | str | Path | None = None) -> Survey:
    """Read a processed parquet file and its manifest (written by ``survey-kit ingest``).

    The codebook is taken from ``codebook`` when given (a Codebook, a shipped instrument name or a
    YAML path), else from the instrument named in the manifest.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: processed data not found (run `survey-kit ingest` first)")
    try:
        data = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several types for a file that is not parquet
        raise DataError(f"{path}: not a readable parquet file ({type(err).__name__})") from None
    manifest_path = path.with_name(path.name.removesuffix(".parquet") + ".manifest.json")
    manifest: dict[str, Any] = {}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if codebook is None:
        cb_ref = manifest.get("codebook_path") or manifest.get("instrument")
        if cb_ref is None:
            raise ValueError(f"{path}: no manifest names the instrument; pass codebook=")
        codebook = cb_ref
    ingested_as = manifest.get("instrument")
    if isinstance(codebook, str) and ingested_as and codebook in instruments() and codebook != ingested_as:
        raise DataError(
            f"{path}: the data were ingested with instrument {ingested_as!r}, not {codebook!r}"
        )
    if isinstance(codebook, Codebook):
        cb = codebook
    elif isinstance(codebook, Path) or str(codebook).endswith((".yaml", ".yml")):
        cb = load_codebook(codebook)
    else:
        cb = instrument(str(codebook))
    return Survey(data=data, codebook=cb, manifest=manifest)
