"""SPSS (.sav, .zsav, .por) and Stata (.dta) files read with pyreadstat: data, variable labels,
value labels and user-defined missing values."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survey_kit.ingest._common import data_error

#: An SPSS missing range wider than this many integer codes is recorded by its two ends only.
_MAX_RANGE_EXPANSION = 100


@dataclass
class StatTable:
    frame: pd.DataFrame
    source_rows: np.ndarray
    encoding: str | None
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[int, str]]
    missing_codes: dict[str, list]
    notes: list[str] = field(default_factory=list)


def _code(value: Any) -> Any:
    """1.0 -> 1; other values unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_stat(path: Path, fmt: str) -> StatTable:
    """Read a .sav/.zsav/.por/.dta file. SPSS user-missing codes stay in the data as codes
    (``user_missing=True``) and are listed in ``missing_codes``; integer codes come back as float64
    (pyreadstat), their labels are keyed by int."""
    import pyreadstat

    notes: list[str] = []
    try:
        if fmt in ("sav", "zsav"):
            frame, meta = pyreadstat.read_sav(path, user_missing=True)
        elif fmt == "por":
            frame, meta = pyreadstat.read_por(path)
        elif fmt == "dta":
            frame, meta = pyreadstat.read_dta(path)
            notes.append("Stata extended missing values (.a-.z) are read as blank")
        else:  # pragma: no cover - dispatch guarantees the format
            raise ValueError(f"fmt: unknown statistics format {fmt!r}")
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as err:
        raise data_error(path, f"cannot be read as a {fmt} file ({err})") from None
    except (UnicodeDecodeError, OSError, pd.errors.ParserError) as err:
        raise data_error(path, f"cannot be read as a {fmt} file ({type(err).__name__}: {err})") from None
    variable_labels = {c: str(lab) for c, lab in meta.column_names_to_labels.items() if lab}
    value_labels: dict[str, dict[int, str]] = {}
    text_labelled = []
    for col, labels in meta.variable_value_labels.items():
        codes = {_code(k): str(v) for k, v in labels.items()}
        if all(isinstance(k, int) for k in codes):
            value_labels[col] = dict(sorted(codes.items()))
        else:
            text_labelled.append(col)
    if text_labelled:
        notes.append(
            f"value labels on text codes in {', '.join(text_labelled[:10])} are not kept "
            "(survey_kit codes are integers)"
        )
    missing_codes = _missing(meta, notes)
    if meta.file_encoding:
        notes.append(f"file encoding {meta.file_encoding}")
    if missing_codes:
        notes.append(
            f"user-defined missing values kept as codes in {len(missing_codes)} column(s)"
        )
    frame = frame.reset_index(drop=True)
    rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    return StatTable(frame, rows, meta.file_encoding, variable_labels, value_labels, missing_codes, notes)


def _missing(meta: Any, notes: list[str]) -> dict[str, list]:
    """Column -> user-missing codes from SPSS discrete values and ranges (ranges of integer codes
    are expanded; a wider range keeps its two ends and is noted)."""
    out: dict[str, list] = {}
    ranges = getattr(meta, "missing_ranges", None) or {}
    for col, spans in ranges.items():
        codes: list = []
        for span in spans:
            lo, hi = _code(span["lo"]), _code(span["hi"])
            if lo == hi:
                codes.append(lo)
            elif (
                isinstance(lo, int) and isinstance(hi, int) and hi - lo <= _MAX_RANGE_EXPANSION
            ):
                codes.extend(range(lo, hi + 1))
            else:
                codes.extend([lo, hi])
                notes.append(f"column {col}: user-missing range {lo} thru {hi} recorded by its ends")
        if codes:
            out[col] = sorted(set(codes), key=lambda c: (isinstance(c, str), c))
    for col, values in (getattr(meta, "missing_user_values", None) or {}).items():
        if col not in out and values:
            out[col] = sorted({_code(v) for v in values}, key=str)
    return out
