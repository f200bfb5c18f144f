"""Helpers shared by the format readers: header detection, column names, blank cells."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from survey_kit.errors import DataError

#: How many leading rows are searched for the header row.
HEADER_SCAN_ROWS = 25


def data_error(path: Path | str, problem: str) -> DataError:
    """A :class:`DataError` whose message names the file: ``"<path>: <problem>"`` (English, with
    its Danish wording from :mod:`._danish` for the command line)."""
    from survey_kit.ingest._danish import danish

    da = danish(problem)
    return DataError(f"{path}: {problem}", da=f"{path}: {da}" if da else None)


def is_blank(value: Any) -> bool:
    """True for None, NaN/NA and strings holding only whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def filled(row: Sequence[Any]) -> int:
    """Number of non-blank cells in a row."""
    return sum(not is_blank(v) for v in row)


def find_header(rows: Sequence[Sequence[Any]]) -> int:
    """Index of the header row among the first rows of a table.

    Title rows (a report title, an export date) stand above the header and fill far fewer cells
    than it. The header is the first row that fills at least half as many cells as the widest of
    the scanned rows (and at least two, unless the table has a single column). Leading blank rows
    are skipped the same way.
    """
    counts = [filled(r) for r in rows[:HEADER_SCAN_ROWS]]
    if not counts:
        return 0
    widest = max(counts)
    if widest == 0:
        return 0
    need = max(min(2, widest), (widest + 1) // 2)
    for i, n in enumerate(counts):
        if n >= need:
            return i
    return 0


def column_names(cells: Sequence[Any]) -> tuple[list[str], list[str]]:
    """Column names from header cells: text as written (stripped), blanks named ``Unnamed: i``,
    duplicates suffixed ``.1``, ``.2`` as pandas does. Returns (names, notes)."""
    names: list[str] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    blanks = []
    for i, cell in enumerate(cells):
        if is_blank(cell):
            name = f"Unnamed: {i}"
            blanks.append(i + 1)
        else:
            name = _header_text(cell)
        if name in seen:
            seen[name] += 1
            new = f"{name}.{seen[name]}"
            notes.append(f"column {name!r} appears more than once; later copy named {new!r}")
            name = new
        seen.setdefault(name, 0)
        names.append(name)
    if blanks:
        notes.append(f"header cells {blanks} are empty; columns named 'Unnamed: <index>'")
    return names, notes


def _header_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def integer_cells(arr, width=None):
    """An arrow string array whose every cell is a plain decimal integer (``"4"``, ``"-1"``,
    ``"04"``; nulls allowed) cast to ``width`` (default int8), or None when a cell is something
    else or does not fit. Hexadecimal cells (``"0x1F"``, which pyarrow's cast accepts) are
    something else: the per-value parser of the mapping reads them as text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        ints = pc.cast(arr, width or pa.int8())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if not _one_character_each(arr) and (pc.max(pc.binary_length(arr)).as_py() or 0) > 2 and (
            pc.any(pc.match_substring(arr, "x")).as_py() or pc.any(pc.match_substring(arr, "X")).as_py()):
        return None  # "0x1" is the shortest hexadecimal cell
    return ints


def _one_character_each(arr) -> bool:
    """True when every non-null cell of a (large) string array is one byte long, read off the
    offsets alone (answer codes 1-9 usually are): then no cell can be hexadecimal."""
    import numpy as np
    import pyarrow as pa

    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    for chunk in chunks:
        if not (pa.types.is_large_string(chunk.type) or pa.types.is_string(chunk.type)):
            return False
        dtype = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(chunk.buffers()[1], dtype=dtype)
        start, end = offsets[chunk.offset], offsets[chunk.offset + len(chunk)]
        if end - start != len(chunk) - chunk.null_count:  # an empty cell is null, so each has >= 1 byte
            return False
    return True
