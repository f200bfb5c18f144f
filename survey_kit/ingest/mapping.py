"""Map an export (a :class:`RawExport`) onto a codebook: columns, codes, dates, numbers, ids.

Columns are matched by data column name (``s_11_3``), item code, or question text (normalised
for case, whitespace and punctuation, for label-header exports). Answers may be codes in any
spelling (``4``, ``"4"``, ``"4.0"``, ``4.0``) or label text (``"Helt enig"``, ``"Ved ikke"``);
multiple-choice answers may be 0/1 option columns or one cell ``"a;b;"`` (Microsoft Forms).
Every column is converted on its *distinct* values (``pd.factorize``), so a million rows cost
little more than the few distinct answers they hold.

Values that cannot be read are set to NA and recorded as issues (rule ``wrong_type``); values
that can be read but break a codebook rule are left in the frame for validation to report.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook, Item
from survey_kit.codebook.conventions import COMPLETE, DATE_DTYPE, SOURCE_ROW, code_dtype
from survey_kit.errors import DataError
from survey_kit.ingest.raw import RawExport
from survey_kit.validate.rules import ISSUE_COLUMNS

__all__ = ["COMPLETE", "DATE_DTYPE", "SOURCE_ROW", "Mapped", "code_dtype", "map_export", "map_to_codebook",
           "match_columns", "normalise_text", "not_answered_mask", "resolve_key"]

KEY_ENV = "SURVEY_KIT_KEY"
NOT_ANSWERED_STATUS = ("not_started", "distributed", "new")
ID_ALIASES = ("respondentid", "responde", "id", "respondent_id", "respondent")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_NUMERIC = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def normalise_text(value: object) -> str:
    """Case-fold, drop punctuation and collapse whitespace: ``" Helt  enig!"`` -> ``"helt enig"``."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Target:
    """What a source column becomes: ``kind`` is id, panel, wave, item, option or cell."""

    kind: str
    column: str
    item: Item | None = None


@dataclass
class Mapped:
    """The result of mapping: the frame, its issues (internal form) and what was matched."""

    frame: pd.DataFrame
    issues: pd.DataFrame
    matched: dict[str, str]
    status: pd.Series
    ephemeral_key: bool


def resolve_key(key: bytes | str | None) -> bytes | None:
    """The pseudonymisation key: the argument, else ``$SURVEY_KIT_KEY``, else None."""
    if key is None:
        key = os.environ.get(KEY_ENV) or None
    if key is None:
        return None
    key = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    return key.strip() or None


def _targets(codebook: Codebook) -> tuple[dict[str, Target], dict[str, Target]]:
    """Targets by exact data-column name, and by normalised name/text/label."""
    exact: dict[str, Target] = {}
    fuzzy: dict[str, Target] = {}
    exact[codebook.respondent_id.column] = Target("id", codebook.respondent_id.column)
    if codebook.panel_key is not None:
        exact[codebook.panel_key.column] = Target("panel", codebook.panel_key.column)
    if codebook.wave is not None and codebook.wave.column not in codebook:
        exact[codebook.wave.column] = Target("wave", codebook.wave.column)
    for item in codebook.items:
        if item.type in ("multiple", "ranking"):
            for col, label in zip(item.columns, item.values.values(), strict=True):
                exact[col] = Target("option", col, item)
                # "Question text - Option label" headers (SurveyXact's Complete sheet, Excel re-saves)
                for head in (item.text, item.label):
                    fuzzy.setdefault(normalise_text(f"{head} {label}"), Target("option", col, item))
            cell = Target("cell", item.code, item)  # Forms: all options in one "a;b;" cell
            exact.setdefault(item.code, cell)
            fuzzy.setdefault(normalise_text(item.text), cell)
            fuzzy.setdefault(normalise_text(item.label), cell)
        else:
            target = Target("item", item.code, item)
            exact[item.code] = target
            fuzzy.setdefault(normalise_text(item.text), target)
            fuzzy.setdefault(normalise_text(item.label), target)
    for name, target in exact.items():
        fuzzy.setdefault(normalise_text(name), target)
    return exact, fuzzy


def match_columns(raw: RawExport, codebook: Codebook) -> tuple[dict[str, Target], list[str], list[str]]:
    """Match source columns to targets: ``(matched, unknown, duplicates)``."""
    exact, fuzzy = _targets(codebook)
    matched: dict[str, Target] = {}
    taken: set[str] = set()
    unknown: list[str] = []
    duplicates: list[str] = []
    system = set(raw.system_columns)
    for col in map(str, raw.frame.columns):
        target = exact.get(col) or fuzzy.get(normalise_text(col))
        if target is None and col in raw.variable_labels:
            target = fuzzy.get(normalise_text(raw.variable_labels[col]))
        if target is None:
            if col not in system and not col.startswith("_") and col.strip():
                unknown.append(col)
            continue
        if target.column in taken:
            duplicates.append(col)
            continue
        matched[col] = target
        taken.add(target.column)
    id_col = codebook.respondent_id.column
    if id_col not in taken:  # Forms' "ID", SurveyXact's short "responde"
        for col in map(str, raw.frame.columns):
            if col not in matched and normalise_text(col).replace(" ", "") in ID_ALIASES:
                matched[col] = Target("id", id_col)
                if col in unknown:
                    unknown.remove(col)
                break
    return matched, unknown, duplicates


# -- conversion of distinct values -------------------------------------------------------------
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


def _as_date(value: object) -> pd.Timestamp | None | object:
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
            if _ISO.match(s):
                return _in_bounds(pd.Timestamp(s))
            m = _DMY.match(s)
            if m:
                d, mo, y, hh, mm, ss = m.groups()
                return _in_bounds(pd.Timestamp(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0)))
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
    import pyarrow.compute as pc

    arr = pa.array(series.array)  # the column's own arrow data (no copy)
    for width in (pa.int8(), pa.int64()):
        try:
            ints = pc.cast(arr, width)
            break
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    else:
        return None
    if (pc.max(pc.binary_length(arr)).as_py() or 0) > 2 and (  # "0x1" is the shortest hex
            pc.any(pc.match_substring(arr, "x")).as_py() or pc.any(pc.match_substring(arr, "X")).as_py()):
        return None  # pyarrow reads hexadecimal 0x1F, _as_code does not
    present = ints.is_valid().to_numpy(zero_copy_only=False)
    values = pc.fill_null(ints, 0).to_numpy(zero_copy_only=False)
    if values.dtype != np.int8 and len(values) and np.abs(values).max() >= 2**53:
        return None  # beyond float precision, where _as_code's float() rounds
    return values, present


def _map_integer_codes(series: pd.Series, parsed: tuple[np.ndarray, np.ndarray], dtype: str, col: str,
                       issues: _Issues, parse) -> pd.Series:
    """:func:`_map_codes` for a column of integer strings: arithmetic on the whole column, and
    ``parse`` (``_as_code``) only on the distinct cells whose code is not allowed."""
    codes, present = parsed
    slow = present & ~parse.allowed_mask(codes)
    if slow.any():  # codes outside the codebook: a label may read them (wave label "2010")
        d = _Distinct(series[slow], parse)
        labelled = np.array([p if isinstance(p, int) else 0 for p in d.parsed] or [0], dtype=np.int64)
        codes = codes.astype(np.int64)
        codes[slow] = labelled[d.codes]
    info = np.iinfo(dtype.lower())
    fits = ~present | ((codes >= info.min) & (codes <= info.max))
    out = pd.Series(pd.arrays.IntegerArray(np.where(fits, codes, 0).astype(dtype.lower()), ~(present & fits)))
    big = np.flatnonzero(~fits)
    if len(big):
        issues.add(big, col, [int(v) for v in codes[big]], "invalid_code")
    return out


class _CodeParser:
    """``_as_code`` with a fixed label lookup and allowed codes (and a vectorised allowed test)."""

    def __init__(self, lookup: dict[str, int], allowed: frozenset[int]) -> None:
        self.lookup = lookup
        self.allowed = allowed

    def __call__(self, value: object):
        return _as_code(value, self.lookup, self.allowed)

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


def _map_cell(series: pd.Series, item: Item, issues: _Issues) -> dict[str, pd.Series]:
    """One ``"a;b;"`` cell per respondent (Microsoft Forms) -> one column per option: 0/1 for a
    multiple item, the option's place in the cell (1 = first) for a ranking item."""
    ranking = item.type == "ranking"
    by_label = {normalise_text(lbl): code for code, lbl in item.values.items()}
    options = list(item.values)

    def parse(u: object):
        if _as_number(u) is _BLANK:
            return _BLANK
        chosen: dict[int, int] = {}
        for piece in (p.strip() for p in re.split(r"[;\n]", str(u))):
            if not piece:
                continue
            code = by_label.get(normalise_text(piece))
            if code is None:
                n = _as_number(piece)
                code = int(n) if isinstance(n, float) and n.is_integer() and int(n) in item.values else None
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
        d = _Distinct(series, _as_date)
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


def map_export(raw: RawExport, codebook: Codebook, *, key: bytes | str | None = None,
               require_key: bool = True) -> Mapped:
    """Map ``raw`` onto ``codebook`` (see the module docstring); issues in internal form."""
    personal = [r.column for r in (codebook.respondent_id, codebook.panel_key) if r is not None and r.personal]
    key_bytes = resolve_key(key)
    ephemeral = False
    matched, unknown, duplicates = match_columns(raw, codebook)
    if personal and key_bytes is None:
        present = [t.column for t in matched.values() if t.column in personal]
        if present and require_key:
            raise DataError(
                f"{raw.path}: kolonnen {present[0]!r} indeholder personhenførbare id'er, som skal "
                f"pseudonymiseres, men der er ingen nøgle. Angiv en hemmelig nøgle med --key-file "
                f"FIL eller miljøvariablen {KEY_ENV} (rule: personal_id_needs_key).",
                en=f"{raw.path}: column {present[0]!r} holds personal ids that must be pseudonymised, but "
                   f"there is no key. Give a secret key with --key-file FILE or the environment variable "
                   f"{KEY_ENV} (rule: personal_id_needs_key).",
            )
        key_bytes, ephemeral = secrets.token_bytes(32), True
    n = raw.n_rows
    issues = _Issues()
    src = raw.frame
    by_target = {t.column: (col, t) for col, t in matched.items()}
    if not any(t.kind in ("item", "option", "cell") for t in matched.values()) and len(src.columns):
        raise DataError(
            f"{raw.path}: ingen af filens kolonner passer til kodebogen {codebook.instrument!r} "
            f"(kolonner i filen: {', '.join(map(str, list(src.columns)[:8]))}); "
            f"er det den rigtige kodebog? (rule: no_matching_columns)",
            en=f"{raw.path}: none of the file's columns fits the codebook {codebook.instrument!r} (columns in "
               f"the file: {', '.join(map(str, list(src.columns)[:8]))}); is it the right codebook? "
               f"(rule: no_matching_columns)",
        )
    answer_columns = [c for it in codebook.items for c in it.columns]
    found = {t.column for t in matched.values()}
    found |= {c for t in matched.values() if t.kind == "cell" for c in t.item.columns}
    share_missing = 1 - len(found & set(answer_columns)) / len(answer_columns)
    if len(src.columns) and len(unknown) > len(matched) and share_missing > 0.5:
        raise DataError(
            f"{raw.path}: filen passer ikke til kodebogen {codebook.instrument!r}: "
            f"{len(unknown)} af filens kolonner er ukendte (fx {', '.join(unknown[:5])}) og "
            f"{share_missing:.0%} af kodebogens kolonner mangler; er det den rigtige kodebog? "
            f"(rule: codebook_mismatch)",
            en=f"{raw.path}: the file does not fit the codebook {codebook.instrument!r}: {len(unknown)} of the "
               f"file's columns are unknown (e.g. {', '.join(unknown[:5])}) and {share_missing:.0%} of the "
               f"codebook's columns are missing; is it the right codebook? (rule: codebook_mismatch)",
        )
    id_col = codebook.respondent_id.column
    if n and id_col not in by_target and id_col != SOURCE_ROW:
        raise DataError(
            f"{raw.path}: kolonnen {id_col!r} med respondent-id mangler i filen, så besvarelserne "
            f"kan ikke skelnes (kolonner i filen: {', '.join(map(str, list(src.columns)[:8]))}) "
            f"(rule: missing_id_column)",
            en=f"{raw.path}: the respondent id column {id_col!r} is missing from the file, so the answers "
               f"cannot be told apart (columns in the file: {', '.join(map(str, list(src.columns)[:8]))}) "
               f"(rule: missing_id_column)",
        )
    for col in unknown:
        issues.add([-1], col, [None], "unknown_column")
    for col in duplicates:
        issues.add([-1], col, [None], "duplicate_column")
    columns: dict[str, pd.Series] = {}
    positions = {str(c): i for i, c in reversed(list(enumerate(src.columns)))}
    pos_of = {t.column: positions[c] for c, t in matched.items()}
    cell_items = {t.column: t for t in matched.values() if t.kind == "cell"}
    ints = _parse_integer_columns(
        {c: src.iloc[:, pos_of[c]] for c, (_, t) in by_target.items() if _integer_target(t, personal)})
    for data_col in codebook.data_columns:
        if data_col == SOURCE_ROW and data_col not in by_target:  # no id column: the row is the id
            columns[data_col] = pd.Series(pd.array(np.asarray(raw.source_rows, dtype=np.int64), dtype="Int64"))
            continue
        if data_col in by_target:
            source_col, target = by_target[data_col]
            series = src.iloc[:, pos_of[data_col]].reset_index(drop=True)
            columns[data_col] = _map_target(series, target, codebook, raw, source_col, issues, personal, key_bytes,
                                            ints.get(data_col, _UNPARSED))
            continue
        owner = codebook.item_for_column(data_col)
        if owner is not None and owner.code in cell_items:
            if data_col == owner.columns[0]:
                series = src.iloc[:, pos_of[owner.code]].reset_index(drop=True)
                columns.update(_map_cell(series, owner, issues))
            continue
        issues.add([-1], data_col, [None], "missing_column")
        columns[data_col] = _empty_column(data_col, codebook, n)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n))
    frame = frame[[c for c in codebook.data_columns]]
    status = raw.status.reset_index(drop=True) if raw.status is not None else pd.Series([pd.NA] * n, dtype=object)
    frame[SOURCE_ROW] = pd.array(np.asarray(raw.source_rows, dtype=np.int64), dtype="Int64")
    frame[COMPLETE] = (status.astype(object) != "partial").to_numpy(dtype=bool)
    return Mapped(frame, issues.frame(), {c: t.column for c, t in matched.items()}, status, ephemeral)


def _integer_target(target: Target, personal: list[str]) -> bool:
    """True when the target's cells are codes or (non-personal) ids: worth parsing as integers."""
    if target.kind in ("id", "panel"):
        return target.column not in personal
    if target.kind in ("wave", "option"):
        return True
    return target.kind == "item" and target.item.type in ("likert", "single")


def _parse_integer_columns(series: dict[str, pd.Series]) -> dict[str, object]:
    """:func:`_integer_strings` of each column, in threads (pyarrow releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    if len(series) < 2:
        return {}
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return dict(zip(series, pool.map(_integer_strings, series.values()), strict=True))


def _map_target(series, target, codebook, raw, source_col, issues, personal, key_bytes,
                ints=_UNPARSED) -> pd.Series:
    col = target.column
    if target.kind in ("id", "panel"):
        return _map_id(series, col in personal, key_bytes, ints)
    raw_labels = raw.value_labels.get(source_col)
    if target.kind == "wave":
        codes = sorted(codebook.wave.labels)
        words = {normalise_text(v): k for k, v in codebook.wave.labels.items()}
        return _map_codes(series, None, raw_labels, code_dtype(codes), col, issues, words, codes, ints)
    item = target.item
    if target.kind == "option":
        if item.type == "multiple":
            opt = int(col.rsplit("_", 1)[1])
            words = {"ikke valgt": 0, "valgt": 1, "nej": 0, "ja": 1, "x": 1,
                     normalise_text(item.values[opt]): 1}
            return _map_codes(series, None, None, "Int8", col, issues, words, (0, 1), ints)
        return _map_codes(series, None, None, "Int8", col, issues, ints=ints)
    if item.type in ("likert", "single"):
        return _map_codes(series, item, raw_labels, code_dtype(item.allowed_codes), col, issues, ints=ints)
    return _map_plain(series, item.type, col, issues)


def _empty_column(data_col: str, codebook: Codebook, n: int) -> pd.Series:
    item = codebook.item_for_column(data_col)
    if item is None:
        if codebook.wave is not None and data_col == codebook.wave.column:
            return pd.Series(pd.array([pd.NA] * n, dtype=code_dtype(sorted(codebook.wave.labels))))
        return pd.Series(pd.array([pd.NA] * n, dtype="string"))
    dtype = {"number": "Float64", "date": DATE_DTYPE, "text": "string"}.get(item.type)
    if dtype is None:
        dtype = code_dtype(item.allowed_codes) if item.is_categorical else "Int8"
    if dtype == DATE_DTYPE:
        return pd.Series(pd.NaT, index=range(n), dtype=dtype)
    return pd.Series(pd.array([pd.NA] * n, dtype=dtype))


def not_answered_mask(status: pd.Series) -> np.ndarray:
    """Rows whose SurveyXact status says the respondent never answered."""
    if status.isna().all():  # no status column (a plain export)
        return np.zeros(len(status), dtype=bool)
    return status.astype(object).isin(NOT_ANSWERED_STATUS).to_numpy(dtype=bool)


def map_to_codebook(raw: RawExport, codebook: Codebook, *, key: bytes | str | None = None,
                    lang: str = "da") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Map an export onto a codebook: ``(frame, problems)``.

    ``frame`` has the codebook's ``data_columns`` (nullable ``Int8``/``Int16`` codes, ``Float64``
    numbers, ``datetime64[us]`` dates, ``string`` text) plus ``_source_row`` and ``_complete``;
    personal ids are replaced by ``survey_kit.privacy.pseudonymise`` with ``key`` (or
    ``$SURVEY_KIT_KEY``; a :class:`DataError` when neither is set). ``problems`` lists what could
    not be mapped (unknown/missing columns, values of the wrong type) as
    ``respondent_id, row, column, value, rule, message``; codebook rules are checked by
    :func:`survey_kit.validate.validate_frame`, not here.

    Examples
    --------
    >>> from survey_kit.codebook import instrument
    >>> raw = RawExport(pd.DataFrame({"respondentid": ["1"], "sektor": ["Skole"]}),
    ...                 np.array([2]), path=None, sha256="", n_bytes=0, format="csv")
    >>> frame, problems = map_to_codebook(raw, instrument("lederudvikling_2008"))
    >>> int(frame.loc[0, "sektor"])
    1
    """
    from survey_kit.ingest.check import check_mapped
    from survey_kit.validate.report import render_problems

    mapped = map_export(raw, codebook, key=key, require_key=True)
    checked = check_mapped(raw, mapped, codebook, rules=False)
    return mapped.frame.copy(), render_problems(checked, codebook, lang=lang)
