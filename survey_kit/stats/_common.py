"""Shared helpers of the statistics family: resolving data and items, integer encoding, counting,
interval formulas, multiple-testing adjustment and suppression.

Everything here is vectorised over groups: an item is counted with one
``np.bincount(group_index * width + code)``. Integer codes are counted raw (the column's own
codes, offset to be non-negative, with NA in an extra bin) and the small count table is reordered
to codebook order afterwards; other values are first encoded into category positions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import special as spc
from scipy import stats as sps

from survey_kit.codebook import DEFAULT_MIN_N, Codebook
from survey_kit.errors import DataError
from survey_kit.privacy.suppression import suppress_table

TOTAL_LABEL = "I alt"
HIGHER = "higher"  # vs_total codes; Danish words in survey_kit.fmt.flag_text
LOWER = "lower"


# -- data and codebook ---------------------------------------------------------------------------
def resolve(data: Any, codebook: Codebook | None) -> tuple[pd.DataFrame, Codebook | None]:
    """Return the frame and codebook of ``data`` (a :class:`~survey_kit.survey.Survey` or a DataFrame).

    A Survey is recognised by what it holds (a ``data`` frame and a ``codebook``), so stats does not
    import the survey object that is built on top of it.
    """
    if not isinstance(data, pd.DataFrame) and isinstance(getattr(data, "data", None), pd.DataFrame) \
            and isinstance(getattr(data, "codebook", None), Codebook):
        return data.data, codebook if codebook is not None else data.codebook
    if isinstance(data, pd.DataFrame):
        if codebook is not None and not isinstance(codebook, Codebook):
            raise ValueError("codebook: expected a Codebook or None")
        return data, codebook
    raise ValueError(f"data: expected a Survey or a pandas DataFrame, got {type(data).__name__}")


def total_mask(table: pd.DataFrame) -> pd.Series:
    """The total rows of a result table, by what they are: ``is_total`` (every result table of
    :mod:`survey_kit.stats` has it), else the rows without a group code; the label "I alt" only for
    a table built by hand without either. The one way later stages find a total."""
    if "is_total" in table:
        return table["is_total"].fillna(False).astype(bool)
    if "group_code" in table:
        return table["group_code"].isna()
    if "group" in table:
        return table["group"].eq(TOTAL_LABEL)
    return pd.Series(False, index=table.index)


def as_list(value: str | Sequence[str] | None, name: str) -> list[str]:
    if value is None:
        raise ValueError(f"{name}: give at least one column")
    if isinstance(value, str):
        return [value]
    out = list(value)
    if not out or not all(isinstance(v, str) for v in out):
        raise ValueError(f"{name}: expected a column name or a list of column names")
    return out


def expand_items(cols: list[str], codebook: Codebook | None) -> list[str]:
    """Replace a multiple item's code by its 0/1 option columns; refuse ranking and text items."""
    out: list[str] = []
    for c in cols:
        it = codebook._by_code.get(c) if codebook is not None else None  # noqa: SLF001
        if it is not None and it.type == "multiple":
            out.extend(it.columns)
        elif it is not None and it.type == "ranking":
            raise ValueError(f"items: {c!r} is a ranking item; use rank_shares()")
        elif it is not None and it.type in ("text", "date"):
            raise ValueError(f"items: {c!r} is a {it.type} item without statistics")
        else:
            out.append(c)
    return out


def merge_missing(dont_know: Sequence[Any] | None, missing: Sequence[Any] | None) -> list | None:
    """``dont_know=`` and ``missing=`` (two names for codes outside the base), checked and merged."""
    out: list | None = None
    for name, v in (("dont_know", dont_know), ("missing", missing)):
        if v is None:
            continue
        if isinstance(v, str | bytes) or not hasattr(v, "__iter__"):
            raise ValueError(f"{name}: expected a list of codes")
        out = [*(out or []), *[c for c in v if c not in (out or [])]]
    return out


def check_ci(ci: float) -> float:
    if not isinstance(ci, int | float) or not 0 < float(ci) < 1:
        raise ValueError(f"ci: must be a confidence level between 0 and 1, got {ci!r}")
    return float(ci)


def check_min_n(min_n: int | None, name: str = "min_n") -> int | None:
    if min_n is None:
        return None
    if isinstance(min_n, bool) or not isinstance(min_n, int | np.integer) or min_n < 1:
        raise ValueError(f"{name}: must be a positive integer, got {min_n!r}")
    return int(min_n)


def require_column(df: pd.DataFrame, column: str, name: str) -> None:
    if column not in df.columns:
        raise ValueError(f"{name}: no column {column!r} in the data")


def item_min_n(codebook: Codebook | None, code: str, min_n: int | None) -> int:
    """``max(min_n argument, codebook.min_n_for(item))``; the survey default without a codebook."""
    if codebook is None:
        return min_n if min_n is not None else DEFAULT_MIN_N
    base = codebook.item_for_column(code)
    own = codebook.min_n_for(base.code if base is not None else code)
    return max(min_n or 0, own)


@dataclass(frozen=True)
class ItemSpec:
    """What statistics need to know about one data column."""

    column: str
    label: str
    values: dict[Any, str]  # answer codes (the base) -> label, in order
    missing: dict[Any, str]  # codes outside the base ("Ved ikke") -> label
    positive: tuple[Any, ...] = ()
    numeric: bool = False  # a number item / scale score: no category list
    declared: bool = False  # categories come from a codebook: other values are data errors
    provisional: bool = False  # a code range from the data: unused codes are dropped by tabulate

    @property
    def codes(self) -> list[Any]:
        return [*self.values, *self.missing]


def _scale_label(codebook: Codebook | None, column: str) -> str:
    """A scale-score column (from ``scale_scores``) is labelled with its scale's label."""
    if codebook is not None:
        for scale in codebook.scales:
            if scale.code == column:
                return scale.label
    return column


def item_spec(
    df: pd.DataFrame,
    column: str,
    codebook: Codebook | None,
    *,
    dont_know: Sequence[Any] | None = None,
    name: str = "items",
) -> ItemSpec:
    """Describe ``column`` from the codebook, or from the data when the codebook does not know it.

    Without codebook information the observed values are the codes and their own labels, and only
    ``dont_know`` codes are outside the base.
    """
    require_column(df, column, name)
    dk = tuple(dont_know or ())
    it = codebook.item_for_column(column) if codebook is not None else None
    if it is not None and it.code == column and it.is_categorical:
        missing = dict(it.missing)
        for c in dk:
            missing.setdefault(c, str(c))
        return ItemSpec(
            column, it.label, dict(it.values), missing, tuple(it.positive), declared=True
        )
    if it is not None and it.type == "multiple":
        label = f"{it.label}: {it.option_label(column)}"
        return ItemSpec(column, label, {0: "Ikke valgt", 1: "Valgt"}, {}, (1,), declared=True)
    if it is not None and it.type == "number":
        return ItemSpec(column, it.label, {}, dict(it.missing), numeric=True)
    label = it.label if it is not None else _scale_label(codebook, column)
    s = df[column]
    iv = _int_values(s) if not pd.api.types.is_bool_dtype(s) else None
    if iv is not None and not pd.api.types.is_float_dtype(s):
        # integer codes: every code of the observed range; unused ones are dropped after counting
        vals, mask = iv
        present = vals if mask is None else vals[~mask]
        if present.size == 0:
            rng: list[Any] = []
        elif int(present.max()) - int(present.min()) > 4096:  # ids, counts: the observed values
            rng = [int(v) for v in np.unique(present)]
        else:
            rng = list(range(int(present.min()), int(present.max()) + 1))
        values = {v: str(v) for v in rng if v not in dk}
        return ItemSpec(column, label, values, {c: str(c) for c in dk}, provisional=True)
    if pd.api.types.is_bool_dtype(s):
        observed: list[Any] = [v for v in (False, True) if (s == v).any()]
    else:
        uniq = pd.unique(s.dropna())
        observed = _sorted_values(uniq.tolist())
        if pd.api.types.is_float_dtype(s) and all(float(v).is_integer() for v in observed):
            observed = [int(v) for v in observed]
    if pd.api.types.is_float_dtype(s) and not all(isinstance(v, int) for v in observed):
        return ItemSpec(column, label, {}, {c: str(c) for c in dk}, numeric=True)
    values = {v: str(v) for v in observed if v not in dk}
    missing = {v: str(v) for v in dk}
    return ItemSpec(column, label, values, missing)


def _number(v: Any) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if np.isfinite(x) else None


def _sorted_values(values: list) -> list:
    """Observed values in order: numbers (also numeric strings "1".."11") by value, else as
    text."""
    if values and all(isinstance(v, str) for v in values):
        nums = [_number(v) for v in values]
        if all(x is not None for x in nums):
            return [v for _, v in sorted(zip(nums, values, strict=True), key=lambda p: p[0])]
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def group_spec(
    df: pd.DataFrame,
    by: str,
    codebook: Codebook | None,
    name: str = "by",
    dont_know: Sequence[Any] | None = None,
) -> ItemSpec:
    """The groups of ``by``: the item's answer codes (missing codes and NA form no group)."""
    spec = item_spec(df, by, codebook, name=name, dont_know=dont_know)
    if spec.numeric and not spec.values:
        raise ValueError(f"{name}: column {by!r} is numeric, not a grouping variable")
    return spec


# -- encoding and counting -----------------------------------------------------------------------
def _int_values(s: pd.Series) -> tuple[np.ndarray, np.ndarray | None] | None:
    """(values, NA mask) of an integer-coded column without copying, or None if not integer."""
    arr = s.array
    if isinstance(arr, pd.arrays.IntegerArray):
        mask = arr._mask  # noqa: SLF001 - zero-copy access to the masked array (read only)
        return arr._data, (mask if mask.any() else None)  # noqa: SLF001
    if pd.api.types.is_integer_dtype(s) and not pd.api.types.is_extension_array_dtype(s):
        return s.to_numpy(), None
    if pd.api.types.is_float_dtype(s):
        x = s.to_numpy(dtype=float, na_value=np.nan)
        mask = np.isnan(x)
        good = x[~mask]
        if good.size and not np.array_equal(good, np.round(good)):
            return None
        vals = np.where(mask, 0, x).astype(np.int64)
        return vals, (mask if mask.any() else None)
    return None


def encode(s: pd.Series, codes: Sequence[Any]) -> np.ndarray:
    """Category positions of ``s`` in ``codes``: ``len(codes)`` for NA, ``len(codes)+1`` otherwise.

    Integer codes go through a look-up table (one gather over the column); other values through
    ``pd.Index.get_indexer``.
    """
    k = len(codes)
    iv = (
        _int_values(s)
        if all(isinstance(c, int | np.integer) and not isinstance(c, bool) for c in codes)
        else None
    )
    if iv is not None:
        vals, mask = iv
        if vals.size == 0:
            return np.empty(0, dtype=np.intp)
        lo, hi = int(vals.min()), int(vals.max())
        lo = min(lo, 0)
        lut = np.full(hi - lo + 1, k + 1, dtype=np.int16 if k < 32000 else np.intp)
        for pos, c in enumerate(codes):
            if lo <= c <= hi:
                lut[c - lo] = pos
        idx = np.take(lut, vals if lo == 0 else vals.astype(np.int64) - lo)
        if mask is not None:
            idx[mask] = k
        return idx
    na = s.isna().to_numpy()
    idx = pd.Index(list(codes), dtype=object).get_indexer(s.astype(object).to_numpy())
    idx = np.where(idx < 0, k + 1, idx).astype(np.intp)
    idx[na] = k
    return idx


def tabulate(
    df: pd.DataFrame,
    spec: ItemSpec,
    groups: Groups,
    weights: Sequence[np.ndarray | None] = (None,),
) -> tuple[ItemSpec, list[np.ndarray]]:
    """Count an item per group: one (G + 1, k + 2) table per entry of ``weights``.

    Columns: the answer codes, the missing codes, NA, other values. Raises :class:`DataError` for
    values outside a codebook item's codes; drops unused codes of a provisional (data) code range.
    """
    s = df[spec.column]
    k = len(spec.codes)
    idx = None
    tables = _count_raw(s, spec.codes, groups, weights)
    if tables is None:
        idx = encode(s, spec.codes)
        tables = [count(groups, idx, k + 2, w) for w in weights]
    check_codes(tables[0], spec, s, idx)
    if spec.provisional:
        used = tables[0].sum(axis=0) > 0
        keep_v = [c for i, c in enumerate(spec.values) if used[i]]
        nv = len(spec.values)
        cols = [i for i in range(nv) if used[i]] + list(range(nv, k + 2))
        spec = ItemSpec(
            spec.column,
            spec.label,
            {c: spec.values[c] for c in keep_v},
            spec.missing,
            spec.positive,
        )
        tables = [t[:, cols] for t in tables]
    return spec, tables


def _count_raw(
    s: pd.Series,
    codes: Sequence[Any],
    groups: Groups,
    weights: Sequence[np.ndarray | None],
) -> list[np.ndarray] | None:
    """The tables of :func:`tabulate` counted from the raw integer codes, or None when the column
    or the codes are not integers (or span too wide a range).

    One ``np.bincount(group * width + code - lo + 1)`` per weight over the column's own values
    (bin 0 of each group: NA), then the (G + 1, width) table is reordered to ``codes``, NA and
    "other" (values that are no code). No per-row look-up table and no per-row mask arithmetic.
    """
    if not all(isinstance(c, int | np.integer) and not isinstance(c, bool) for c in codes):
        return None
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_float_dtype(s):
        return None
    iv = _int_values(s)
    if iv is None:
        return None
    vals, mask = iv
    if vals.dtype.kind not in "iu" or vals.dtype.itemsize > 8 or vals.dtype == np.uint64:
        return None
    g1 = groups.n_groups + 1
    if vals.dtype.itemsize == 1 and g1 < 256:
        return _count_bytes(vals, mask, codes, groups, weights)
    if vals.dtype.itemsize == 1 and g1 * 257 <= 65536:  # the whole int8 range: no min/max pass
        lo = -128 if vals.dtype.kind == "i" else 0
        hi = lo + 255
    elif vals.size:
        lo, hi = int(vals.min()), int(vals.max())
    else:
        lo = hi = 0
    width = hi - lo + 2  # bin 0: NA, bins 1..: the values lo..hi
    if width > 4096 or g1 * width > 4 * vals.size + 65536:
        return None  # a wide code range (e.g. ids) or very many groups: encode the codes instead
    flat = np.add(groups.scaled(width, 1 - lo), vals, out=groups.work())
    if mask is not None:
        np.copyto(flat, groups.scaled(width, 0), where=mask)  # NA into each group's bin 0
    pos = np.array([c - lo + 1 for c in codes], dtype=np.intp)
    inside = (pos >= 1) & (pos < width)
    known = np.zeros(width, dtype=bool)
    known[pos[inside]] = True
    known[0] = True
    other = np.flatnonzero(~known)
    out = []
    for w in weights:
        raw = np.bincount(flat, weights=w, minlength=g1 * width).reshape(g1, width)
        table = np.zeros((g1, len(codes) + 2), dtype=raw.dtype)
        table[:, : len(codes)][:, inside] = raw[:, pos[inside]]
        table[:, -2] = raw[:, 0]
        table[:, -1] = raw[:, other].sum(axis=1)
        out.append(table)
    return out


def _count_bytes(
    vals: np.ndarray,
    mask: np.ndarray | None,
    codes: Sequence[Any],
    groups: Groups,
    weights: Sequence[np.ndarray | None],
) -> list[np.ndarray]:
    """:func:`_count_raw` for one-byte codes and fewer than 256 groups (what ingest writes).

    The key of a row is ``group * 256 + its code's byte`` in 16 bits, one cheap pass; rows with NA
    get ``255 * 256 + group``, a block no real group uses (group 255 would be the 256th). One
    ``np.bincount`` over the 65,536 keys, then the (256, 256) counts are read back per code.
    """
    g1 = groups.n_groups + 1
    keys = np.add(groups.byte_keys(), vals.view(np.uint8), out=groups.work16(), casting="unsafe")
    if mask is not None:
        np.copyto(keys, groups.na_keys(), where=mask)
    signed = vals.dtype.kind == "i"
    pos, inside = [], []
    for c in codes:
        ok = (-128 <= c <= 127) if signed else (0 <= c <= 255)
        inside.append(ok)
        pos.append(int(c) & 0xFF if ok else 0)
    pos_a = np.array(pos, dtype=np.intp)
    inside_a = np.array(inside, dtype=bool)
    known = np.zeros(256, dtype=bool)
    known[pos_a[inside_a]] = True
    other = np.flatnonzero(~known)
    out = []
    for w in weights:
        raw = np.bincount(keys, weights=w, minlength=65536).reshape(256, 256)
        table = np.zeros((g1, len(codes) + 2), dtype=raw.dtype)
        table[:, : len(codes)][:, inside_a] = raw[:g1, pos_a[inside_a]]
        table[:, -2] = raw[255, :g1]
        table[:, -1] = raw[:g1, other].sum(axis=1)
        out.append(table)
    return out


def check_codes(
    counts: np.ndarray, spec: ItemSpec, s: pd.Series, idx: np.ndarray | None = None
) -> None:
    """Raise :class:`DataError` when a declared item holds a value outside its codebook codes.

    ``idx`` (the category positions of :func:`encode`) is computed here when not given.
    """
    if counts[..., -1].sum() > 0 and spec.declared:
        if idx is None:
            idx = encode(s, spec.codes)
        bad = s[idx == len(spec.codes) + 1]
        raise DataError(
            f"column {spec.column!r}, row {bad.index[0]!r}: value {bad.iloc[0]!r} is not a code of "
            f"the item (allowed: {', '.join(map(str, spec.codes))})"
        )


@dataclass
class Groups:
    """Group index of every row: 0..G-1 for the groups of ``by``, G for rows in no group."""

    index: np.ndarray
    codes: list[Any]
    labels: list[str]
    by: str | None
    _scaled: dict[tuple[Any, int], np.ndarray] = field(default_factory=dict)
    _work: np.ndarray | None = None  # a reused per-row buffer of the bincount keys
    _work16: np.ndarray | None = None  # the same for 16-bit byte keys

    @property
    def n_groups(self) -> int:
        return len(self.codes)

    def scaled(self, k: int, offset: int = 0) -> np.ndarray:
        """``index * k + offset`` (cached: one multiplication per category count, not per item)."""
        key = (k, offset)
        if key not in self._scaled:
            out = self.index.astype(np.intp, copy=False) * k
            if offset:
                out += offset
            self._scaled[key] = out
        return self._scaled[key]

    def byte_keys(self) -> np.ndarray:
        """``index * 256`` as uint16 (fewer than 256 groups): the high byte of a row's key."""
        key = ("bytes", 0)
        if key not in self._scaled:
            self._scaled[key] = (self.index.astype(np.uint16) << 8).astype(np.uint16)
        return self._scaled[key]

    def na_keys(self) -> np.ndarray:
        """``255 * 256 + index`` as uint16: the key of a row whose value is NA."""
        key = ("bytes", 1)
        if key not in self._scaled:
            self._scaled[key] = (self.index.astype(np.uint16) + np.uint16(255 << 8)).astype(np.uint16)
        return self._scaled[key]

    def work16(self) -> np.ndarray:
        """A per-row uint16 buffer for the byte keys, reused by every item of a call."""
        if self._work16 is None or self._work16.shape != self.index.shape:
            self._work16 = np.empty(self.index.shape, dtype=np.uint16)
        return self._work16

    def work(self) -> np.ndarray:
        """A per-row intp buffer, reused by every item of a call (no new pages per item)."""
        if self._work is None or self._work.shape != self.index.shape:
            self._work = np.empty(self.index.shape, dtype=np.intp)
        return self._work


def make_groups(
    df: pd.DataFrame,
    by: str | None,
    codebook: Codebook | None,
    name: str = "by",
    dont_know: Sequence[Any] | None = None,
) -> Groups:
    if by is None:
        return Groups(np.zeros(len(df), dtype=np.intp), [], [], None)
    if not isinstance(by, str):
        raise ValueError(f"{name}: expected one column name")
    spec = group_spec(df, by, codebook, name, dont_know=dont_know)
    codes = list(spec.values)
    idx = encode(df[by], codes)
    idx = np.minimum(idx, len(codes))  # NA, missing codes and unknown values: no group
    labels = list(spec.values.values())
    if spec.provisional:  # a code range from the data: keep the codes that occur
        used = np.bincount(idx, minlength=len(codes) + 1)[: len(codes)] > 0
        remap = np.append(np.cumsum(used) - 1, used.sum())
        remap[:-1][~used] = used.sum()
        idx = remap[idx]
        codes = [c for c, u in zip(codes, used, strict=True) if u]
        labels = [lab for lab, u in zip(labels, used, strict=True) if u]
    return Groups(idx.astype(np.intp, copy=False), codes, labels, by)


def count(groups: Groups, idx: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Counts (or weight sums) of shape (G + 1, k): row G holds the rows in no group."""
    g1 = groups.n_groups + 1
    flat = groups.scaled(k) + idx
    out = np.bincount(flat, weights=weights, minlength=g1 * k)
    return out.reshape(g1, k)


def weights_of(df: pd.DataFrame, weight: str | None) -> np.ndarray | None:
    if weight is None:
        return None
    if not isinstance(weight, str):
        raise ValueError("weight: expected a column name")
    require_column(df, weight, "weight")
    w = pd.to_numeric(df[weight], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        row = df.index[bad[0]]
        raise DataError(
            f"column {weight!r}, row {row!r}: weight {df[weight].iloc[bad[0]]!r} is "
            "not a non-negative number"
        )
    return w


def numeric_values(s: pd.Series, spec: ItemSpec) -> np.ndarray:
    """Float values with NA and declared missing codes as NaN."""
    if pd.api.types.is_bool_dtype(s):
        x = s.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    else:
        try:
            x = s.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise ValueError(f"items: column {spec.column!r} is not numeric") from None
    if spec.missing:
        x = np.where(np.isin(x, [float(c) for c in spec.missing]), np.nan, x)
    return x


# -- intervals and tests -------------------------------------------------------------------------
@lru_cache(maxsize=32)
def z_value(ci: float) -> float:
    """The two-sided normal quantile of the confidence level ``ci`` (cached per level)."""
    return float(sps.norm.isf((1 - ci) / 2))


def wilson(count: np.ndarray, n: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``count / n`` (``n`` may be an effective, non-integer size).

    An infinite ``n`` (a census, after the finite population correction) gives ``[p, p]``.
    """
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    z = z_value(ci)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = count / n
        z2n = np.where(np.isinf(n), 0.0, z * z / n)
        denom = 1 + z2n
        center = (p + z2n / 2) / denom
        half = np.sqrt(np.where(np.isinf(n), 0.0, p * (1 - p) / n + z2n / n / 4)) * z / denom
    low, high = center - half, center + half
    low = np.where(n > 0, np.clip(low, 0, 1), np.nan)
    high = np.where(n > 0, np.clip(high, 0, 1), np.nan)
    return low, high


def fpc_factor(n: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Finite population correction ``sqrt((N - n) / (N - 1))`` (1 where N is unknown)."""
    n = np.asarray(n, dtype=float)
    big = np.asarray(population, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.sqrt((big - n) / (big - 1))
    f = np.where(np.isnan(big), 1.0, f)
    return np.where((big <= 1) & ~np.isnan(big), 0.0, f)


def bh(p: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (SciPy's ``false_discovery_control``); NaN p-values
    are left out of the family and stay NaN."""
    p = np.asarray(p, dtype=float)
    q = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q[ok] = sps.false_discovery_control(p[ok], method="bh")
    return q


def chi2_table(table: np.ndarray) -> tuple[float, int, float]:
    """Pearson chi-square (no continuity correction) of a contingency table: (chi2, dof, p).

    Rows and columns that are all zero are dropped; NaN when fewer than two remain.
    """
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.ndim != 2 or t.shape[0] < 2 or t.shape[1] < 2:
        return np.nan, 0, np.nan
    expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()
    chi2 = float(((t - expected) ** 2 / expected).sum())
    dof = (t.shape[0] - 1) * (t.shape[1] - 1)
    return chi2, dof, float(spc.chdtrc(dof, chi2))  # = scipy.stats.chi2.sf(chi2, dof)


def t_interval(mean: np.ndarray, se: np.ndarray, df: np.ndarray, ci: float):
    with np.errstate(invalid="ignore"):
        t = sps.t.isf((1 - ci) / 2, df)
    half = np.where(se == 0, 0.0, t * se)
    return mean - half, mean + half


# -- suppression ---------------------------------------------------------------------------------
def suppress_by_item(
    table: pd.DataFrame,
    min_ns: Mapping[str, int],
    *,
    partition: Sequence[str],
    value_columns: Sequence[str],
    n_column: str = "n",
    item_column: str = "item",
) -> pd.DataFrame:
    """Apply :func:`~survey_kit.privacy.suppress_table` with each item's own minimum n.

    Items sharing a minimum n are suppressed in one call; the row order is kept. Total rows are
    marked for complementary suppression by what they are, not by their label: the row without a
    group code (``group_code`` NA; a group whose label is "I alt" is still a group). A table with a
    ``group`` column gets the boolean column ``is_total`` (True on the total row), the one way
    every later stage finds a total.
    """
    if table.empty:
        out = table.copy()
        out["suppressed"] = pd.Series(dtype=bool)
        if "group" in out.columns:
            out["is_total"] = pd.Series(dtype=bool)
        return out
    table = table.copy()
    for c in table.columns:  # counts stay integers (nullable) when suppressed
        if pd.api.types.is_integer_dtype(table[c]) and not isinstance(
            table[c].dtype, pd.api.extensions.ExtensionDtype
        ):
            table[c] = table[c].astype("Int64")
    has_group = "group" in table.columns
    if has_group and "group_code" in table.columns:
        table["_total"] = table["group_code"].isna().to_numpy(dtype=bool)
    else:  # a table built without group codes (by hand): the total row by its label
        table["_total"] = (table["group"] == TOTAL_LABEL) if has_group else False
    if has_group:
        table["is_total"] = table["_total"].to_numpy(dtype=bool)
    parts = []
    items = table[item_column].to_numpy()
    for mn in sorted(set(min_ns.values())):
        keys = [k for k, v in min_ns.items() if v == mn]
        part = table[np.isin(items, keys)]
        if not part.empty:
            parts.append(
                suppress_table(
                    part,
                    min_n=mn,
                    partition=list(partition),
                    value_columns=list(value_columns),
                    n_column=n_column,
                    total_column="_total",
                )
            )
    out = pd.concat(parts).loc[table.index] if len(parts) > 1 else parts[0]
    return out.drop(columns="_total").reset_index(drop=True)


def code_array(values: Sequence[Any]) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """Codes as a nullable Int64 array when they are integers (NA for the total row)."""
    vals = list(values)
    if all(
        v is None or v is pd.NA or (isinstance(v, int | np.integer) and not isinstance(v, bool))
        for v in vals
    ):
        return pd.array([pd.NA if v is None else v for v in vals], dtype="Int64")
    return np.array([pd.NA if v is None else v for v in vals], dtype=object)


def group_rows(groups: Groups) -> tuple[list[str], list[Any]]:
    """Labels and codes of the published rows: each group, then the total row."""
    return [*groups.labels, TOTAL_LABEL], [*groups.codes, None]


def with_total(table: np.ndarray, groups: Groups) -> np.ndarray:
    """Rows of the groups followed by the total over every row (also those in no group)."""
    if groups.by is None:
        return table
    return np.vstack([table[:-1], table.sum(axis=0, keepdims=True)])
