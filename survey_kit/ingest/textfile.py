"""Delimited text exports (CSV/TSV): encoding, delimiter, title rows, decimal comma, line numbers.

The cells are parsed by pyarrow's CSV reader (all as strings, straight from the file's bytes);
pandas' C parser reads what pyarrow cannot point into (see ``_read_decoded``), and the :mod:`csv`
module is used only on a sample (to choose the delimiter and find the header) and, when quoted
fields hold line breaks, to count the physical line on which each record starts.

Nothing is lost when a record's field count differs from the header's (a first :mod:`csv` pass
counts them): such a file is read record by record. A record with more fields keeps the extra
values in ``_extra_fields`` (its count in ``_n_fields``) and validation quarantines it (rule
``extra_fields``). A record with fewer fields is padded with empty cells and kept, with a warning
(rule ``short_row``), because Excel leaves out trailing empty fields when it saves CSV.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from survey_kit.errors import DataError
from survey_kit.ingest._common import column_names, data_error, find_header, integer_cells
from survey_kit.ingest._encoding import (  # noqa: F401 - decode and sniff_encoding are used by surveyxact
    _SAMPLE_CHARS,
    _decode_all,
    _decode_head,
    decode,
    looks_binary,
    sniff_encoding,
)

DELIMITERS = (";", ",", "\t")
_DELIM_NAMES = {";": "semicolon", ",": "comma", "\t": "tab"}
#: Columns added when records and header disagree in field count (see :func:`_read_ragged`).
EXTRA_FIELDS = "_extra_fields"
N_FIELDS = "_n_fields"
N_HEADER_FIELDS = "n_header_fields"  # key in ``frame.attrs``
_DK_NUMBER = r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"


@dataclass
class TextTable:
    frame: pd.DataFrame
    source_rows: np.ndarray
    encoding: str
    delimiter: str
    header_row: int
    notes: list[str] = field(default_factory=list)
    #: column -> its cells cast to int8, for the columns of plain small integers (see RawExport)
    integer_columns: dict[str, object] = field(default_factory=dict)


def _sample_records(text: str, delimiter: str, n: int = 60) -> tuple[list[list[str]], list[int]]:
    """Parse the first records; returns (records, physical start line of each, 1-based)."""
    reader = csv.reader(io.StringIO(text[:_SAMPLE_CHARS], newline=""), delimiter=delimiter)
    rows, starts, prev = [], [], 0
    try:
        for row in reader:
            rows.append(row)
            starts.append(prev + 1)
            prev = reader.line_num
            if len(rows) >= n:
                break
    except csv.Error:
        pass
    return rows, starts


def sniff_delimiter(text: str) -> str:
    """The delimiter among ``;`` ``,`` tab that splits the sample into the most consistent rows.

    Each candidate parses the sample (quotes respected); the score is the share of non-blank rows
    having the most common field count, then that count. Candidates that never split a row lose.
    """
    best, best_score = ";", (-1.0, 0)
    for d in DELIMITERS:
        rows, _ = _sample_records(text, d)
        widths = [len(r) for r in rows if any(c.strip() for c in r)]
        if len(rows) > 1:  # the last sampled record may be cut by the sample window
            widths = widths[:-1] or widths
        if not widths:
            continue
        values, counts = np.unique(widths, return_counts=True)
        mode = int(values[np.argmax(counts)])
        if mode < 2:
            continue
        score = (float(counts.max()) / len(widths), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def read_text(
    path: Path, data: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> TextTable:
    """Read a delimited text export as strings (see the module docstring).

    The records are parsed by :func:`pyarrow.csv.read_csv` straight from ``data`` (no decoded copy
    of the file is held); a file that pyarrow cannot read as a regular table (records whose field
    count differs from the header's, an encoding it cannot transcode) is read by the record-by-record
    path, which gives the same result.
    """
    if delimiter is not None and (len(delimiter) != 1 or delimiter in "\"\r\n"):
        raise ValueError(f"delimiter: must be one character other than a quote or newline, got {delimiter!r}")
    enc, notes = sniff_encoding(path, data, encoding)
    head, complete = _decode_head(data, enc)
    if looks_binary(head):
        raise data_error(path, "is not a text table (it holds binary data) and not a format survey_kit reads")
    bom = head.startswith("\ufeff")
    if bom:
        head = head[1:]
    if not head.strip() and (complete or not _decode_all(data, enc).strip()):
        raise data_error(path, "holds no text (only blank lines)")
    delim = delimiter or sniff_delimiter(head)
    rows, starts = _sample_records(head, delim)
    h = find_header(rows)
    header_line = starts[h]
    if header_line > 1:
        notes.append(f"{header_line - 1} title row(s) above the header; header on line {header_line}")
    names, name_notes = column_names(rows[h])
    notes += name_notes
    n_min = len(rows[h])  # a row may leave out fields whose header cell is blank (trailing ";")
    while n_min > 1 and not rows[h][n_min - 1].strip():
        n_min -= 1
    table = None
    try:
        data_line, data_offset = _data_start(path, head, header_line, delim)
    except DataError:
        if complete:
            raise
        data_offset = len(head)  # the header record may run past the decoded start
    if complete or data_offset < len(head) - 1:
        table = _read_arrow(data, enc, head, bom, data_offset, delim, names, data_line, notes)
    if table is None:  # ragged records or an unusual encoding: read the decoded text
        text = _decode_all(data, enc)
        data_line, data_offset = _data_start(path, text, header_line, delim)
        table = _read_decoded(path, text, data_offset, delim, names, data_line, n_min, notes)
    frame, source_rows, ragged, with_comma, integers = table
    frame, source_rows, more = _drop_trailing_blank(frame, source_rows)
    notes += more
    integers = {c: arr.slice(0, len(frame)) for c, arr in integers.items() if c in frame.columns}
    frame, more = _decimal_comma(frame, with_comma)
    notes += more
    if ragged:
        frame.attrs[N_HEADER_FIELDS] = n_min
    notes.append(f"{_DELIM_NAMES.get(delim, repr(delim))}-delimited, encoding {enc}")
    return TextTable(frame, source_rows, enc, delim, header_line, notes, integers)


def _data_start(path: Path, text: str, header_line: int, delim: str) -> tuple[int, int]:
    """(physical line, character offset) where the records after the header start."""
    sio = io.StringIO(text, newline="")
    for _ in range(header_line - 1):
        sio.readline()
    reader = csv.reader(sio, delimiter=delim)
    try:
        next(reader)
    except csv.Error as err:
        raise data_error(path, f"the header on line {header_line} cannot be parsed ({err})") from None
    except StopIteration:
        pass
    data_line = header_line + reader.line_num  # first physical line after the header record
    sio.seek(0)
    for _ in range(data_line - 1):
        sio.readline()
    return data_line, sio.tell()


def _read_decoded(
    path: Path, text: str, data_offset: int, delim: str, names: list[str], data_line: int,
    n_min: int, notes: list[str],
) -> tuple[pd.DataFrame, np.ndarray, bool, None]:
    """The records of the decoded text (the fallback when pyarrow cannot read the bytes): pandas'
    C parser, or record by record when ragged (then the third value is True)."""
    widths = _record_widths(text, data_offset, delim)
    if widths is not None and _irregular(widths, n_min, len(names)):
        frame, source_rows, more = _read_ragged(text, data_offset, delim, names, data_line, n_min)
        notes += more
        frame, more = _tidy(frame)
        notes += more
        return frame, source_rows, True, None, {}
    sio = io.StringIO(text, newline="")
    sio.seek(data_offset)
    spare = f"Unnamed: {len(names)}"
    try:
        frame = pd.read_csv(
            sio, sep=delim, header=None, names=[*names, spare], dtype=str, keep_default_na=False,
            na_values=[""], skip_blank_lines=False, quotechar='"', engine="c", index_col=False,
        )
    except pd.errors.ParserError as err:
        raise data_error(path, _parser_problem(str(err), data_line, len(names))) from None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame({n: pd.Series([], dtype=str) for n in [*names, spare]})
    if frame[spare].isna().all():
        frame = frame.drop(columns=spare)
    else:
        notes.append(f"some rows have one field more than the header; kept as column {spare!r}")
    frame, more = _tidy(frame)
    notes += more
    return frame, _record_lines(text, data_offset, delim, data_line, len(frame), notes), False, None, {}


#: Encodings whose bytes pyarrow can be pointed into at a character offset (see _byte_offset).
_ARROW_ENCODINGS = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252",
                    "iso8859-1", "iso8859-15"}


def _byte_offset(data: bytes, enc: str, prefix: str) -> tuple[int, str] | None:
    """(byte offset of the end of ``prefix``, encoding to read the bytes after it), or None."""
    name = codecs.lookup(enc).name
    if name not in _ARROW_ENCODINGS:
        return None
    start = 0
    if name == "utf-8-sig":
        name, start = "utf-8", len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    elif name == "utf-16":
        big = data.startswith(codecs.BOM_UTF16_BE)
        start = 2 if big or data.startswith(codecs.BOM_UTF16_LE) else 0
        name = "utf-16-be" if big else "utf-16-le"
    offset = start + len(prefix.encode(name))
    if data[start:offset].decode(name, errors="replace") != prefix:
        return None
    return offset, name


def _read_arrow(
    data: bytes, enc: str, head: str, bom: bool, data_offset: int, delim: str, names: list[str],
    data_line: int, notes: list[str],
) -> tuple[pd.DataFrame, np.ndarray, bool, set[str]] | None:
    """The records from character ``data_offset`` of the text (``head`` is its start, without a
    byte-order mark) parsed by pyarrow as strings, or None when they do not form a regular table
    (then the caller reads the decoded text). The last value names the columns holding a comma."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    where = _byte_offset(data, enc, ("\ufeff" if bom else "") + head[:data_offset]) if names else None
    if where is None:
        return None
    offset, arrow_enc = where
    quotes = data.find(b'"', offset) != -1  # memchr: far quicker than counting
    keys = [f"f{i}" for i in range(len(names))]  # header names may be anything; position is key
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[offset:]),
            read_options=pacsv.ReadOptions(
                column_names=keys, encoding="utf8" if arrow_enc == "utf-8" else arrow_enc),
            parse_options=pacsv.ParseOptions(
                delimiter=delim, quote_char='"', double_quote=True, escape_char=False,
                newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={k: pa.large_string() for k in keys}, null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError, LookupError):
        return None
    columns = _tidy_columns(table)
    if quotes and any(c.quote for c in columns):
        return None  # a value holds a quote (stray or doubled): the parsers may split differently
    multiline = any(c.newline for c in columns)  # a quoted value spans lines
    # an unclosed quote (which pandas' parser refuses, pyarrow not) runs to the end of the file:
    # across lines, or, when no value spans lines, within the last line
    if quotes and _last_line(data, offset).count(b'"') % 2 or multiline and data.count(b'"', offset) % 2:
        return None
    frame, more = _arrow_frame([c.array for c in columns], names, table.num_rows)
    notes += more
    with_comma = {n for n, c in zip(names, columns, strict=True) if c.comma}
    integers = {n: c.integers for n, c in zip(names, columns, strict=True)
                if c.integers is not None and n in frame.columns}
    if not multiline:  # one record per line
        source_rows = np.arange(data_line, data_line + len(frame), dtype=np.int64)
    else:  # quoted fields span lines: count them on the text
        source_rows = _record_lines(_decode_all(data, enc), data_offset, delim, data_line,
                                    len(frame), notes)
    return frame, source_rows, False, with_comma, integers


def _last_line(data: bytes, offset: int) -> bytes:
    """The bytes of the last line of ``data[offset:]`` (without its line end)."""
    end = len(data.rstrip(b"\r\n")) if data.endswith((b"\n", b"\r")) else len(data)
    start = max(data.rfind(b"\n", offset, end), data.rfind(b"\r", offset, end)) + 1
    return data[max(start, offset):end]


class _Column(NamedTuple):
    """One column as pyarrow read it, tidied (see :func:`_tidy_column`)."""

    array: object  # whitespace-only cells set to null
    quote: bool  # a value holds a quote
    comma: bool  # a value holds a comma (a decimal comma, perhaps)
    newline: bool  # a value holds a line break
    integers: object  # the cells cast to int8 when all are plain small integers, else None


def _tidy_columns(table) -> list[_Column]:
    """:func:`_tidy_column` of every column of ``table``, in threads (pyarrow releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(_tidy_column, table.columns))


def _tidy_column(arr) -> _Column:
    import pyarrow as pa
    import pyarrow.compute as pc

    ints = integer_cells(arr)
    if ints is not None:  # small integers (answer codes): no blank, quote, comma or line break
        return _Column(arr, False, False, False,
                       ints.combine_chunks() if isinstance(ints, pa.ChunkedArray) else ints)

    def holds(text: str) -> bool:
        return bool(pc.any(pc.match_substring(arr, text)).as_py())

    quote, comma, newline = holds('"'), holds(","), holds("\n") or holds("\r")  # before blanking
    blank = pc.utf8_is_space(arr)
    if pc.any(blank).as_py():
        arr = pc.if_else(blank, pa.scalar(None, arr.type), arr)
    return _Column(arr, quote, comma, newline, None)


def _arrow_frame(arrays: list, names: list[str], n_rows: int) -> tuple[pd.DataFrame, list[str]]:
    """Arrow string columns -> a frame of ``str`` columns (no copy), dropping empty columns
    without a header, as :func:`_tidy` does."""
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    columns: dict[str, pd.Series] = {}
    empty_unnamed = 0
    for name, arr in zip(names, arrays, strict=True):
        if name.startswith("Unnamed: ") and arr.null_count == len(arr):
            empty_unnamed += 1
            continue
        columns[name] = pd.Series(pd.array(arr, dtype=dtype), copy=False)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n_rows), copy=False)
    if not columns:
        frame = pd.DataFrame(index=pd.RangeIndex(n_rows))
    notes = []
    if empty_unnamed:
        notes.append(f"dropped {empty_unnamed} empty column(s) without a header (trailing delimiters)")
    return frame, notes


def _record_widths(text: str, offset: int, delim: str) -> np.ndarray | None:
    """Field count of every data record (0 for a blank line), or None if the text cannot be split."""
    reader = csv.reader(io.StringIO(text[offset:], newline=""), delimiter=delim)
    try:
        return np.fromiter((len(r) if any(r) or len(r) > 1 else 0 for r in reader), dtype=np.int64)
    except csv.Error:
        return None


def _irregular(widths: np.ndarray, n_min: int, n_header: int) -> bool:
    """True when some record has fewer fields than the header's named ones (and is not blank),
    or more fields than the header."""
    return bool(((widths > 0) & (widths < n_min)).any() or (widths > n_header).any())


def _read_ragged(
    text: str, offset: int, delim: str, names: list[str], first_line: int, n_min: int
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """Records whose field count differs from the header's; nothing is lost.

    * more fields than the header: the first ``n`` fill the columns; non-empty extra fields are
      kept, as delimited text, in :data:`EXTRA_FIELDS` and the record's field count in
      :data:`N_FIELDS`; validation quarantines the row (rule ``extra_fields``). Extra fields that
      are all empty (trailing delimiters) are dropped silently: they hold nothing.
    * fewer fields (not a blank line): padded with empty cells, the count in :data:`N_FIELDS`;
      validation warns (rule ``short_row``) and keeps the row. Excel writes CSV rows this way when
      their last cells are empty, so such a row is an answer with blank trailing questions.
    """
    n = len(names)
    reader = csv.reader(io.StringIO(text[offset:], newline=""), delimiter=delim)
    cells: list[list[str | None]] = []
    extra: list[str | None] = []
    n_fields: list[int | None] = []
    starts: list[int] = []
    prev = 0
    n_long = n_short = 0
    for rec in reader:
        starts.append(first_line + prev)
        prev = reader.line_num
        width = len(rec) if any(rec) or len(rec) > 1 else 0
        row: list[str | None] = [c if c != "" else None for c in rec[:n]]
        row += [None] * (n - len(row))
        cells.append(row)
        rest = rec[n:]
        if rest and any(c.strip() for c in rest):
            buf = io.StringIO()
            csv.writer(buf, delimiter=delim, lineterminator="").writerow(rest)
            extra.append(buf.getvalue())
            n_fields.append(width)
            n_long += 1
        elif 0 < width < n_min:
            extra.append(None)
            n_fields.append(width)
            n_short += 1
        else:
            extra.append(None)
            n_fields.append(None)
    frame = pd.DataFrame({c: pd.Series([r[j] for r in cells], dtype=str) for j, c in enumerate(names)})
    notes = []
    if n_long:
        frame[EXTRA_FIELDS] = pd.Series(extra, dtype=str)
        notes.append(f"{n_long} row(s) have more fields than the header ({n}); the extra fields are kept "
                     f"in column {EXTRA_FIELDS!r} and the rows are quarantined")
    if n_short:
        notes.append(f"{n_short} row(s) have fewer fields than the header ({n_min}); the missing trailing "
                     "fields are read as empty (Excel leaves out trailing empty fields)")
    if n_long or n_short:
        frame[N_FIELDS] = pd.array(n_fields, dtype="Int64")
    return frame, np.asarray(starts, dtype=np.int64), notes


def _parser_problem(message: str, data_line: int, n_header: int) -> str:
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if m:
        line = int(m.group(2)) + data_line - 1
        return (
            f"line {line} has {m.group(3)} fields but the header has {n_header}; "
            "check the delimiter and quoting"
        )
    return f"cannot be parsed as delimited text ({message.strip()})"


def _tidy(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Whitespace-only cells -> NA; drop unnamed columns that hold nothing (trailing delimiters)."""
    notes = []
    frame = frame.copy(deep=False)  # a frame this module built: cells are replaced, not changed
    for col in frame.columns:
        if col in (EXTRA_FIELDS, N_FIELDS):
            continue
        s = frame[col]
        blank = s.notna() & (s.str.strip() == "")
        if blank.any():
            frame[col] = s.mask(blank)
    empty_unnamed = [c for c in frame.columns if str(c).startswith("Unnamed: ") and frame[c].isna().all()]
    if empty_unnamed:
        frame = frame.drop(columns=empty_unnamed)
        notes.append(f"dropped {len(empty_unnamed)} empty column(s) without a header (trailing delimiters)")
    return frame, notes


def _record_lines(
    text: str, offset: int, delim: str, first_line: int, n: int, notes: list[str]
) -> np.ndarray:
    """Physical line on which each data record starts (1-based, as an editor counts)."""
    plain = np.arange(first_line, first_line + n, dtype=np.int64)
    if text.find('"', offset) == -1:
        return plain
    reader = csv.reader(io.StringIO(text[offset:], newline=""), delimiter=delim)
    starts, prev = [], 0
    try:
        for _ in reader:
            starts.append(first_line + prev)
            prev = reader.line_num
    except csv.Error:
        starts = []
    if len(starts) < n:
        notes.append("could not count physical lines of every record; source_rows count records")
        return plain
    out = np.asarray(starts[:n], dtype=np.int64)
    if n and out[-1] != plain[-1]:
        notes.append("quoted fields span several lines; source_rows give each record's first line")
    return out


def _drop_trailing_blank(
    frame: pd.DataFrame, rows: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    if frame.empty:
        return frame, rows, []
    if frame.iloc[-1].notna().any():  # the usual case: the last record holds something
        return frame, rows, []
    filled = frame.notna().any(axis=1).to_numpy()
    last = np.flatnonzero(filled)
    keep = int(last[-1]) + 1 if last.size else 0
    if keep == len(frame):
        return frame, rows, []
    dropped = len(frame) - keep
    return (
        frame.iloc[:keep].reset_index(drop=True),
        rows[:keep],
        [f"dropped {dropped} blank line(s) at the end of the file"],
    )


def _has_comma(column: pd.Series) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        return bool(pc.any(pc.match_substring(pa.array(column.array), ",")).as_py())
    return bool(column.str.contains(",", regex=False).any())  # NA -> False


def _decimal_comma(frame: pd.DataFrame, with_comma: set[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Columns whose every value is a Danish number (``1.234,5``) and at least one has a decimal
    comma are rewritten as plain decimal strings (``1234.5``); other columns are left as read."""
    changed = []
    out = frame
    for col in frame.columns:
        if col in (EXTRA_FIELDS, N_FIELDS):
            continue
        if col not in with_comma if with_comma is not None else not _has_comma(frame[col]):
            continue
        s = frame[col].dropna()
        if not s.str.fullmatch(_DK_NUMBER).all():
            continue
        if out is frame:
            out = frame.copy(deep=False)  # a frame this module built: columns are replaced
        full = frame[col]
        out[col] = full.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        changed.append(str(col))
    notes = []
    if changed:
        shown = ", ".join(changed[:10]) + (" ..." if len(changed) > 10 else "")
        notes.append(f"decimal comma read in column(s) {shown} (values rewritten as 1234.5)")
    return out, notes
