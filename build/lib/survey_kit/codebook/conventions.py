"""Data conventions every stage relies on: the columns ingest adds, code and date dtypes.

Processed data holds the codebook's ``data_columns`` plus :data:`SOURCE_ROW` (the row of the
source file; header = row 1) and :data:`COMPLETE` (False for a partial complete). Codes are the
smallest nullable integer dtype that holds them (:func:`code_dtype`); dates are
:data:`DATE_DTYPE`.
"""

from __future__ import annotations

import numpy as np

SOURCE_ROW = "_source_row"
COMPLETE = "_complete"
#: Dates are held at microsecond resolution (``datetime64[us]``), which spans years 1-9999 (a
#: nanosecond column stops at 1677-2262 and SPSS files hold dates such as 1583-01-01).
DATE_DTYPE = "datetime64[us]"

__all__ = ["COMPLETE", "DATE_DTYPE", "SOURCE_ROW", "code_dtype"]


def code_dtype(codes: list[int]) -> str:
    """The smallest nullable integer dtype that holds every code (``Int8``, ``Int16``, ``Int32``)."""
    lo, hi = (min(codes), max(codes)) if codes else (0, 0)
    for name, info in (("Int8", np.iinfo(np.int8)), ("Int16", np.iinfo(np.int16))):
        if info.min <= lo and hi <= info.max:
            return name
    return "Int32"
