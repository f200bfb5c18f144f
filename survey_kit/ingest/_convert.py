"""Converting a column's cells, one distinct value at a time: codes, numbers, dates, ids, option cells.

Every column is converted on its *distinct* values (``pd.factorize``), so a million rows cost little
more than the few distinct answers they hold. Values that cannot be read become NA and an issue
(rule ``wrong_type``); used by :mod:`survey_kit.ingest.mapping`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

import numpy as np
import pandas as pd

from survey_kit.codebook import Item
from survey_kit.codebook.conventions import DATE_DTYPE
from survey_kit.ingest import _checkbox, _dates
from survey_kit.ingest._common import integer_cells
from survey_kit.validate.rules import ISSUE_COLUMNS

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_NUMERIC = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def normalise_text(value: object) -> str:
    """Case-fold, drop punctuation and collapse whitespace: ``" Helt  enig!"`` -> ``"helt enig"``."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())



_BLANK = object()


def _as_number(value: object) -> float | None | object:
    """A float, ``_BLANK`` for an empty cell, or None when the value is not a number."""
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        return _BLANK if math.isnan(v) else (v if math.isfinite(v) else None)
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        if not s:
            return _BLANK
        if "," in s:  # Danish decimal comma, thousands point
            s = s.replace(".", "").replace(",", ".")
        elif s.count(".") > 1:
            s = s.replace(".", "")
        if _NUMERIC.match(s):
            v = float(s)
            return v if math.isfinite(v) else None
    return None


def _as_code(value: object, labels: dict[str, int], allowed: frozenset[int] = frozenset()) -> int | None | object:
    """An integer code from a number, a numeric string or a label; a label that looks like a
    number (the wave label ``"2010"``) wins over a code that is not allowed."""
    num = _as_number(value)
    if num is _BLANK:
        return _BLANK
    if isinstance(num, float):
        code = int(num) if num.is_integer() else None
        if (code is None or (allowed and code not in allowed)) and isinstance(value, str):
            return labels.get(normalise_text(value), code)
        return code
    if isinstance(value, str):
        return labels.get(normalise_text(value))
    return None




def _in_bounds(ts: pd.Timestamp) -> pd.Timestamp | None:
    """Dates a microsecond datetime column holds (years 1-9999); others are not dates."""
    return ts if 1 <= ts.year <= 9999 else None


def _as_date(value: object, order: str = "dmy") -> pd.Timestamp | None | object:
    try:
        if isinstance(value, pd.Timestamp | datetime | date | np.datetime64):
            ts = pd.Timestamp(value)
            if pd.isna(ts):
                return _BLANK
            return _in_bounds(ts.tz_localize(None) if ts.tzinfo else ts)
        if isinstance(value, str):
            s = value.strip()
            if not s:
                return _BLANK
            if _dates.ISO.match(s) or _dates.NUMERIC.match(s):  # one reader shared with the draft
                ts = _dates.parse(s, order)
                return None if ts is None else _in_bounds(ts)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    num = _as_number(value)
    if num is _BLANK:
        return _BLANK
    if isinstance(num, float) and 1 <= num < 109_575:  # an Excel serial day number (before 2200)
        return _EXCEL_EPOCH + pd.Timedelta(days=num)
    return None


class _Distinct:
    """A column as its distinct values: ``codes`` per row (-1 = NA) and ``parsed`` per value."""

    def __init__(self, series: pd.Series, parse) -> None:
        self.series = series
        self.codes, uniques = pd.factorize(series, use_na_sentinel=True)
        self.uniques = list(uniques)
        self.parsed = [parse(u) for u in self.uniques]

    def per_row(self, per_unique: np.ndarray, na_value) -> np.ndarray:
        """Spread one value per distinct value to the rows (``na_value`` where the cell is NA)."""
        ext = np.append(per_unique, np.array([na_value], dtype=per_unique.dtype))
        return ext[self.codes]

    def mask(self, flags: list[bool]) -> np.ndarray:
        return self.per_row(np.array(flags, dtype=bool), False)

    def bad(self) -> np.ndarray:
        return self.mask([p is None for p in self.parsed])

    def present(self) -> np.ndarray:
        return self.mask([p is not None and p is not _BLANK for p in self.parsed])

    def originals(self, rows: np.ndarray) -> list[object]:
        idx = self.codes[rows]
        return [self.uniques[i] for i in idx]


def _int_series(d: _Distinct, dtype: str) -> tuple[pd.Series, np.ndarray]:
    """Parsed integers -> a nullable integer Series; also the rows whose value does not fit."""
    info = np.iinfo(dtype.lower())
    ints = [p if isinstance(p, int) else 0 for p in d.parsed]
    fits = [isinstance(p, int) and info.min <= p <= info.max for p in d.parsed]
    big = [isinstance(p, int) and not f for p, f in zip(d.parsed, fits, strict=True)]
    u_vals = np.array([v if f else 0 for v, f in zip(ints, fits, strict=True)], dtype=dtype.lower())
    values = d.per_row(u_vals, 0)
    ok = d.mask(fits)
    return pd.Series(pd.arrays.IntegerArray(values, ~ok)), d.mask(big)


def _label_lookup(item: Item | None, raw_labels: dict[int, str] | None,
                  extra: dict[str, int] | None = None) -> dict[str, int]:
    """Normalised label -> code: the file's labels, then ``extra`` words, then the codebook's."""
    lookup: dict[str, int] = {}
    for code, label in (raw_labels or {}).items():
        try:
            lookup[normalise_text(label)] = int(float(code))
        except (TypeError, ValueError):
            continue
    lookup.update(extra or {})
    if item is not None:
        for code, label in item.labels.items():
            lookup[normalise_text(label)] = code
    return lookup


class _Issues:
    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, pos, column, values, rule: str, detail: dict | None = None) -> None:
        pos = np.atleast_1d(np.asarray(pos))
        if len(pos) == 0:
            return
        vals = list(values) if isinstance(values, list | tuple | np.ndarray) else [values] * len(pos)
        self.parts.append(
            pd.DataFrame(
                {"pos": pos.astype("int64"), "column": column, "value": pd.Series(vals, dtype=object),
                 "rule": rule, "detail": [detail or {}] * len(pos)}
            )
        )

    def add_bad(self, d: _Distinct, column: str, kind: str) -> None:
        rows = np.flatnonzero(d.bad())
        self.add(rows, column, d.originals(rows), "wrong_type", {"kind": kind})

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS}).astype({"pos": "int64"})
        return pd.concat(self.parts, ignore_index=True)


_UNPARSED = object()  # _integer_strings not run yet


def _integer_strings(series: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """A column of plain decimal integer strings (``"4"``, ``"-1"``, ``"04"``; NA allowed) parsed
    by pyarrow: ``(int64 values, present)``; None when any cell is something else."""
    if not (isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa

    arr = pa.array(series.array)  # the column's own arrow data (no copy)
    ints = integer_cells(arr, pa.int8())
    if ints is None:
        ints = integer_cells(arr, pa.int64())
    return None if ints is None else integer_values(ints)


def integer_values(ints) -> tuple[np.ndarray, np.ndarray] | None:
    """An arrow integer array (from :func:`~survey_kit.ingest._common.integer_cells`) as
    ``(values with nulls as 0, present)``; None when a value is beyond float precision, where
    ``_as_code``'s ``float()`` would round it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(ints, pa.ChunkedArray):
        ints = ints.combine_chunks()
    present = ints.is_valid().to_numpy(zero_copy_only=False)
    values = pc.fill_null(ints, 0).to_numpy(zero_copy_only=False)
    if values.dtype != np.int8 and len(values) and np.abs(values).max() >= 2**53:
        return None
    return values, present


def _map_integer_codes(series: pd.Series, parsed: tuple[np.ndarray, np.ndarray], dtype: str, col: str,
                       issues: _Issues, parse) -> pd.Series:
    """:func:`_map_codes` for a column of integer strings: arithmetic on the whole column, and
    ``parse`` (``_as_code``) only on the distinct cells whose code is not allowed."""
    codes, present = parsed
    if parse.any_outside(codes, present):  # codes outside the codebook: a label may read them (wave label "2010")
        slow = present & ~parse.allowed_mask(codes)
        d = _Distinct(series[slow], parse)
        labelled = np.array([p if isinstance(p, int) else 0 for p in d.parsed] or [0], dtype=np.int64)
        codes = codes.astype(np.int64)
        codes[slow] = labelled[d.codes]
    if codes.dtype == np.dtype(dtype.lower()):  # the usual case: every code fits the column's type
        codes = codes if codes.flags.writeable else codes.copy()
        return pd.Series(pd.arrays.IntegerArray(codes, ~present), copy=False)  # arrays made here
    info = np.iinfo(dtype.lower())
    fits = ~present | ((codes >= info.min) & (codes <= info.max))
    out = pd.Series(pd.arrays.IntegerArray(np.where(fits, codes, 0).astype(dtype.lower()), ~(present & fits)),
                    copy=False)
    big = np.flatnonzero(~fits)
    if len(big):
        issues.add(big, col, [int(v) for v in codes[big]], "invalid_code")
    return out


def _runs(values: list[int]) -> list[tuple[int, int]]:
    """Sorted integers as runs of consecutive values: [6, 7, 8, 11] -> [(6, 8), (11, 11)]."""
    runs: list[tuple[int, int]] = []
    for v in values:
        if runs and v == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return runs


class _CodeParser:
    """``_as_code`` with a fixed label lookup and allowed codes (and a vectorised allowed test)."""

    def __init__(self, lookup: dict[str, int], allowed: frozenset[int]) -> None:
        self.lookup = lookup
        self.allowed = allowed

    def __call__(self, value: object):
        return _as_code(value, self.lookup, self.allowed)

    def any_outside(self, codes: np.ndarray, present: np.ndarray) -> bool:
        """True when a present code is not allowed (absent cells hold 0). Quick: the codes' range,
        then a count of the codes in each run of disallowed values inside it."""
        if not self.allowed or not len(codes):
            return False
        lo, hi = int(codes.min()), int(codes.max())
        gaps = [c for c in range(lo, hi + 1) if c not in self.allowed] if hi - lo <= 64 else None
        if gaps is None or len(gaps) > 16:
            return bool((present & ~self.allowed_mask(codes)).any())
        n_absent = len(present) - int(np.count_nonzero(present))
        for a, b in _runs(gaps):
            inside = int(np.count_nonzero((codes >= a) & (codes <= b)))
            if inside > (n_absent if a <= 0 <= b else 0):
                return True
        return False

    def allowed_mask(self, codes: np.ndarray) -> np.ndarray:
        if not self.allowed:
            return np.ones(len(codes), dtype=bool)
        if codes.dtype == np.int8:  # a table of all 256 values, indexed by the byte
            table = np.zeros(256, dtype=bool)
            table[[c % 256 for c in self.allowed if -128 <= c <= 127]] = True
            return table[codes.view(np.uint8)]
        lo, hi = min(self.allowed), max(self.allowed)
        if hi - lo > 1 << 16:
            return np.isin(codes, np.fromiter(self.allowed, dtype=np.int64))
        table = np.zeros(hi - lo + 1, dtype=bool)
        table[np.fromiter(self.allowed, dtype=np.int64) - lo] = True
        inside = (codes >= lo) & (codes <= hi)
        return inside & table[np.where(inside, codes - lo, 0)]


def _map_codes(series, item, raw_labels, dtype, col, issues, extra_labels=None, allowed=(),
               ints=_UNPARSED) -> pd.Series:
    lookup = _label_lookup(item, raw_labels, extra_labels)
    allowed = frozenset(item.allowed_codes if item is not None else allowed)
    parse = _CodeParser(lookup, allowed)
    values = _integer_strings(series) if ints is _UNPARSED else ints
    if values is not None:
        return _map_integer_codes(series, values, dtype, col, issues, parse)
    d = _Distinct(series, parse)
    issues.add_bad(d, col, "code")
    out, big = _int_series(d, dtype)
    if big.any():
        rows = np.flatnonzero(big)
        issues.add(rows, col, [d.parsed[i] for i in d.codes[rows]], "invalid_code")
    return out


def _map_option(series: pd.Series, label: str, col: str, issues: _Issues, other: bool = False,
                ints=_UNPARSED) -> pd.Series:
    """One box of a multiple-choice question -> 0/1 (``Int8``): 0/1 codes, ticked / not-ticked
    words ("Valgt", "Oui"/"Non", "Y"), or the option's own text (Typeform writes the option into the
    cell when ticked). "N/A" (not shown) is NA; so is a blank cell (:func:`fill_unticked` makes it
    0 where the same question has a tick and no explicit 0). In an "other" box any written-in text
    is a tick."""
    values = _integer_strings(series) if ints is _UNPARSED else ints
    if values is not None:
        return _map_codes(series, None, None, "Int8", col, issues, None, (0, 1), values)
    mine = _checkbox._norm(label)
    words = {**{w: 1 for w in _checkbox.TICKED}, **{w: 0 for w in _checkbox.UNTICKED}}

    def parse(u: object):
        num = _as_number(u)
        if num is _BLANK:
            return _BLANK
        if isinstance(num, float):
            return int(num) if num.is_integer() else None
        text = _checkbox._norm(u)
        if text == mine:
            return 1
        if text in _checkbox.NOT_SHOWN:
            return _BLANK
        if text in words:
            return words[text]
        return 1 if other and text else None

    d = _Distinct(series, parse)
    issues.add_bad(d, col, "code")
    out, big = _int_series(d, "Int8")
    if big.any():
        rows = np.flatnonzero(big)
        issues.add(rows, col, [d.parsed[i] for i in d.codes[rows]], "invalid_code")
    return out


def fill_unticked(frame: pd.DataFrame, columns: list[str]) -> None:
    """Boxes written as a tick or nothing (Typeform's option text, LimeSurvey's "Y"): where a question
    has no explicit 0 anywhere, a blank box of a respondent who ticked another box of it is 0
    (not chosen); a respondent who ticked none keeps NA (not answered). In place."""
    cols = [c for c in columns if c in frame.columns]
    if len(cols) < 2:
        return
    block = frame[cols]
    if (block == 0).any().any():
        return
    answered = (block == 1).any(axis=1).to_numpy(dtype=bool)
    for c in cols:
        frame[c] = frame[c].mask(answered & frame[c].isna().to_numpy(dtype=bool), 0)


def _map_cell(series: pd.Series, item: Item, issues: _Issues) -> dict[str, pd.Series]:
    """One ``"a;b;"`` cell per respondent (Microsoft Forms) -> one column per option: 0/1 for a
    multiple item, the option's place in the cell (1 = first) for a ranking item."""
    ranking = item.type == "ranking"
    by_label = {normalise_text(lbl): code for code, lbl in item.values.items()}
    known_labels = {_checkbox._norm(lbl) for lbl in item.values.values()}
    other = next((c for c, lbl in item.values.items() if normalise_text(lbl) in _checkbox.OTHER_LABELS), None)
    options = list(item.values)

    def parse(u: object):
        if _as_number(u) is _BLANK:
            return _BLANK
        chosen: dict[int, int] = {}
        for piece, known in _checkbox.split_cell(u, known_labels):  # "a;b;" and Google's "a, b"
            code = by_label.get(normalise_text(piece))
            if code is None and not known:
                code = other  # a written-in answer ("Other: ...") counts under the other option
            if code is None:
                n = _as_number(piece)
                code = int(n) if isinstance(n, float) and n.is_integer() and int(n) in item.values else None
            if code is not None and code == other and code in chosen:
                continue  # two written-in answers: the other option once
            if code is None or code in chosen:
                return None
            chosen[code] = len(chosen) + 1
        if ranking:
            return tuple(chosen.get(o, -1) for o in options)
        return tuple(1 if o in chosen else 0 for o in options)

    d = _Distinct(series, parse)
    issues.add_bad(d, item.code, "option")
    ok = d.present()
    out = {}
    for j, opt in enumerate(options):
        u_vals = np.array([min(p[j], 127) if isinstance(p, tuple) else 0 for p in d.parsed], dtype=np.int8)
        values = d.per_row(u_vals, 0)
        mask = ~ok | (values < 0) if ranking else ~ok  # an unranked option is NA
        out[f"{item.code}_{opt}"] = pd.Series(pd.arrays.IntegerArray(values, mask))
    return out


def _map_plain(series, kind, col, issues) -> pd.Series:
    if kind == "number":
        d = _Distinct(series, _as_number)
        issues.add_bad(d, col, "number")
        u_vals = np.array([p if isinstance(p, float) else np.nan for p in d.parsed], dtype=np.float64)
        values = d.per_row(u_vals, np.nan)
        return pd.Series(pd.arrays.FloatingArray(values, ~d.present()))
    if kind == "date":
        order = _dates.column_order(series.dropna().unique())  # day/month order of the whole column
        d = _Distinct(series, lambda v: _as_date(v, order))
        issues.add_bad(d, col, "date")
        u_vals = np.array([p.as_unit("us").to_datetime64() if isinstance(p, pd.Timestamp) else np.datetime64("NaT", "us")
                           for p in d.parsed], dtype=DATE_DTYPE)
        return pd.Series(d.per_row(u_vals, np.datetime64("NaT", "us")), dtype=DATE_DTYPE)

    def text(u: object):
        if isinstance(u, float | np.floating) and float(u).is_integer():
            return str(int(u))
        s = str(u)
        return s if s.strip() else _BLANK

    d = _Distinct(series, text)
    u_vals = np.array([p if isinstance(p, str) else None for p in d.parsed] or [None], dtype=object)[: len(d.parsed)]
    return pd.Series(pd.array(d.per_row(u_vals, None), dtype="string"))


def _map_id(series: pd.Series, personal: bool, key: bytes | None, ints=_UNPARSED) -> pd.Series:
    """Respondent ids: ``Int64`` when every id is an integer (``"1001"``, ``1001.0``), else
    ``string``; a personal id becomes its keyed hash. Vectorised: ids are mostly all distinct."""
    if not personal:  # a text export's integer ids: parsed by pyarrow, no call per id
        parsed = _integer_strings(series) if ints is _UNPARSED else ints
        if parsed is not None and not (series.str.startswith("0") & (series.str.len() > 1)).any():
            values, present = parsed
            return pd.Series(pd.arrays.IntegerArray(values.astype(np.int64), ~present))
    from survey_kit.privacy import pseudonymise

    if pd.api.types.is_bool_dtype(series.dtype) or isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    text = series.astype(object).where(series.notna(), None).map(
        lambda v: None if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()),
        na_action="ignore",
    )
    text = text.where(text.notna() & (text != ""), None)
    number = pd.to_numeric(text, errors="coerce")
    present = text.notna().to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        integral = number.notna().to_numpy(dtype=bool) & (number.to_numpy(dtype=float) % 1 == 0)
        integral &= np.abs(number.to_numpy(dtype=float)) < 2**53
    leading_zero = text.str.match(r"^0\d", na=False).to_numpy(dtype=bool)
    canonical = text.copy()
    canonical[integral] = number[integral].astype("int64").astype(str)
    if personal:
        return pseudonymise(canonical, key).astype("string").reset_index(drop=True)
    if (integral | ~present).all() and not leading_zero.any():
        ints = np.zeros(len(text), dtype=np.int64)
        ints[integral] = number[integral].astype("int64").to_numpy()
        return pd.Series(pd.arrays.IntegerArray(ints, ~present))
    return canonical.astype("string").reset_index(drop=True)


