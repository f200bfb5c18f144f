"""What a reader hands to the rest of ingest: the export as read, with its provenance.

Contract between the readers (``readers.py``, ``platforms.py``) and mapping/validation (``core.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class RawExport:
    """An export file as read, before it is mapped onto a codebook.

    Attributes
    ----------
    frame
        One row per data row of the file, columns named as in the file's header (variable names, or
        question texts for label-header exports). Values as the file holds them: numbers as numbers
        where the format types them (xlsx, sav, dta), else strings; empty cells are NA. Nothing is
        dropped: a fully empty row is kept (validation reports it).
    source_rows
        For each row of ``frame``, its row number in the source file as a person opening the file
        would count (CSV: physical line of the record's start, header line = its own number;
        xlsx: the Excel row number; sav/dta: case number + 1, as if the header were row 1).
    path, sha256, n_bytes
        The file read (never written), its SHA-256 hex digest and size.
    format
        ``"csv"``, ``"xlsx"``, ``"xml"`` (Excel 2003 XML), ``"sav"``, ``"zsav"``, ``"por"``, ``"dta"``.
    platform
        ``"surveyxact"``, ``"forms"``, ``"qualtrics"``, ``"limesurvey"`` or ``None`` for a plain file.
    encoding, delimiter, sheet, header_row
        How the file was read (``header_row`` is 1-based; > 1 when title rows stood above it).
    variable_labels
        column -> question text (SPSS variable labels, SurveyXact Variables/Structure sheet).
    value_labels
        column -> {code: label} (SPSS value labels, SurveyXact Labels sheet / labels.csv).
    missing_codes
        column -> codes declared user-missing in the file (SPSS user-defined missing values).
    status
        Per row of ``frame``: "complete", "partial", "not_started", "distributed", "rejected" or NA,
        from SurveyXact's ``statoverall_1..5`` dummies (None when the platform has no status).
    system_columns
        Columns the platform adds that are not answers (respondentid, closetime, statoverall_*, ...).
    notes
        Human-readable remarks about how the file was read (e.g. "2 title rows above the header").
    n_fields, extra_fields, n_header_fields
        Text exports whose records do not all have the header's field count: per row the record's
        field count where it differs (else NA), the extra fields as delimited text (else NA), and
        the header's count of named fields. None when every record fits the header.
    integer_columns
        column -> its cells already cast to a pyarrow int8 array (nulls for empty cells), for the
        columns a reader found to hold only plain small integers, row for row with ``frame``. The
        text reader parses them anyway to tidy the table; mapping reuses them instead of parsing
        the same strings again. Optional: a column not here is parsed from ``frame``.
    """

    frame: pd.DataFrame
    source_rows: np.ndarray
    path: Path
    sha256: str
    n_bytes: int
    format: str
    platform: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    variable_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[int, str]] = field(default_factory=dict)
    missing_codes: dict[str, list] = field(default_factory=dict)
    status: pd.Series | None = None
    system_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    n_fields: pd.Series | None = None
    extra_fields: pd.Series | None = None
    n_header_fields: int | None = None
    integer_columns: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for col, ints in self.integer_columns.items():
            if len(ints) != len(self.frame) or col not in self.frame.columns:
                raise ValueError(f"integer_columns[{col!r}]: {len(ints)} cells do not line up with the "
                                 f"frame's {len(self.frame)} rows")

    @property
    def n_rows(self) -> int:
        return len(self.frame)
