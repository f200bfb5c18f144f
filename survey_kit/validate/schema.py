"""Codebook -> pandera schema, and the cross-column rules as vectorised checks.

Column rules are element-wise pandera checks (one ``isin`` or range test per column), so the
failure cases name row and value directly. Rules that span columns (duplicate ids, skip logic,
rankings, empty rows) are DataFrame checks that return one boolean; when one fails, the same
vectorised function is run again to find the violating cells (:func:`wide_violations`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from survey_kit.codebook import Codebook, Item
from survey_kit.codebook.conventions import COMPLETE, DATE_DTYPE, SOURCE_ROW, code_dtype


@dataclass(frozen=True)
class WideRule:
    """A rule over several columns: ``violations(frame)`` is a boolean frame (True = broken)."""

    rule: str
    name: str
    columns: tuple[str, ...]
    violations: Callable[[pd.DataFrame], pd.DataFrame]


def date_bounds(item: Item, codebook: Codebook) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The allowed dates of a date item: its ``date_range``, else the codebook ``period``."""
    rng = item.date_range or codebook.period
    if rng is None:
        return None
    lo, hi = pd.Timestamp(rng[0]), pd.Timestamp(rng[1]) + pd.Timedelta(days=1) - pd.Timedelta(1)
    return lo, hi


def _isin(allowed: list[int]) -> Callable[[pd.Series], pd.Series]:
    """A code check; NA passes (so pandera need not copy the column without its NA). An ``Int8``
    column is looked up in a table of its 256 possible values."""
    values = np.asarray(allowed)
    table = np.zeros(256, dtype=bool)
    table[[int(v) % 256 for v in allowed if -128 <= v <= 127]] = True

    fill = int(values[0]) if len(values) and -128 <= values[0] <= 127 else None

    def check(s: pd.Series) -> pd.Series:
        if isinstance(s.dtype, pd.Int8Dtype) and fill is not None:
            codes = s.array.to_numpy(dtype=np.int8, na_value=fill).view(np.uint8)  # NA reads as allowed
            counts = np.bincount(codes, minlength=256)
            if not counts[~table].any():  # the usual case: every code allowed (a count, not a lookup per row)
                return pd.Series(np.ones(len(s), dtype=bool), index=s.index)
            return pd.Series(table[codes], index=s.index)
        return s.isin(values) | s.isna()

    return check


def _code_check(allowed: list[int]) -> pa.Check:
    return pa.Check(_isin(allowed), name="invalid_code", ignore_na=False)


def _item_columns(codebook: Codebook, item: Item) -> dict[str, pa.Column]:
    out: dict[str, pa.Column] = {}
    if item.type in ("likert", "single"):
        out[item.code] = pa.Column(code_dtype(item.allowed_codes), _code_check(item.allowed_codes), nullable=True)
    elif item.type == "multiple":
        for col in item.columns:
            out[col] = pa.Column("Int8", _code_check([0, 1]), nullable=True)
    elif item.type == "ranking":
        k = item.k
        for col in item.columns:
            check = pa.Check(lambda s, k=k: (s >= 1) & (s <= k), name="rank_out_of_range")
            out[col] = pa.Column("Int8", check, nullable=True)
    elif item.type == "number":
        checks = []
        if item.range is not None:
            lo, hi = item.range
            checks.append(pa.Check(lambda s, lo=lo, hi=hi: (s >= lo) & (s <= hi), name="out_of_range"))
        out[item.code] = pa.Column("Float64", checks, nullable=True)
    elif item.type == "date":
        checks = []
        bounds = date_bounds(item, codebook)
        if bounds is not None:
            lo, hi = bounds
            checks.append(pa.Check(lambda s, lo=lo, hi=hi: (s >= lo) & (s <= hi), name="date_range"))
        out[item.code] = pa.Column(DATE_DTYPE, checks, nullable=True)
    else:
        out[item.code] = pa.Column("string", nullable=True)
    return out


def answered(frame: pd.DataFrame, item: Item) -> pd.Series:
    """True where the respondent answered the item (a multiple item: chose at least one option)."""
    cols = frame[item.columns]
    if item.type == "multiple":
        return cols.eq(1).fillna(False).any(axis=1)
    return cols.notna().any(axis=1)


def wide_rules(codebook: Codebook) -> list[WideRule]:
    """The cross-column rules of a codebook."""
    rules: list[WideRule] = []
    id_col = codebook.respondent_id.column
    subset = [id_col] + ([codebook.wave.column] if codebook.wave is not None else [])

    def duplicates(frame: pd.DataFrame) -> pd.DataFrame:
        dup = frame.duplicated(subset=subset, keep="first") & frame[id_col].notna()
        return pd.DataFrame({id_col: dup.to_numpy(dtype=bool)}, index=frame.index)

    rules.append(WideRule("duplicate_id", "duplicate_id", (id_col,), duplicates))
    for item in codebook.items:
        if item.ask_if is not None:
            cond = item.ask_if

            def skip(frame: pd.DataFrame, item=item, cond=cond) -> pd.DataFrame:
                if frame[cond.item].isna().all():  # the condition is not in the data: cannot judge
                    return pd.DataFrame(False, index=frame.index, columns=item.columns)
                asked = frame[cond.item].isin(np.asarray(cond.codes)).fillna(False).to_numpy(dtype=bool)
                cols = frame[item.columns]
                given = cols.eq(1) if item.type == "multiple" else cols.notna()
                given = given.fillna(False).to_numpy(dtype=bool)
                return pd.DataFrame(given & ~asked[:, None], index=frame.index, columns=item.columns)

            rules.append(WideRule("skip_logic", f"skip_logic:{item.code}", tuple(item.columns), skip))
        if item.type == "ranking":
            def repeated(frame: pd.DataFrame, item=item) -> pd.DataFrame:
                ranks = frame[item.columns].astype("float64").to_numpy()
                out = np.zeros(ranks.shape, dtype=bool)
                for j in range(ranks.shape[1]):  # loop over the few options, not the rows
                    same = (ranks == ranks[:, [j]]) & ~np.isnan(ranks[:, [j]])
                    out[:, j] = same.sum(axis=1) > 1
                return pd.DataFrame(out, index=frame.index, columns=item.columns)

            def too_many(frame: pd.DataFrame, item=item) -> pd.DataFrame:
                n = frame[item.columns].notna().sum(axis=1).to_numpy()
                return pd.DataFrame({item.code: n > item.k}, index=frame.index)

            rules.append(WideRule("rank_repeated", f"rank_repeated:{item.code}", tuple(item.columns), repeated))
            rules.append(WideRule("rank_too_many", f"rank_too_many:{item.code}", (item.code,), too_many))
    # background variables (group items) are often preloaded by the platform: not answers
    answer_items = [it for it in codebook.items if not it.group] or list(codebook.items)
    answer_cols = [c for it in answer_items for c in it.columns]
    multiple_cols = {c for it in codebook.items if it.type == "multiple" for c in it.columns}

    def empty(frame: pd.DataFrame) -> pd.DataFrame:
        filled = np.zeros(len(frame), dtype=bool)
        for col in answer_cols:
            s = frame[col]
            filled |= (s.eq(1).fillna(False) if col in multiple_cols else s.notna()).to_numpy(dtype=bool)
        return pd.DataFrame({"": ~filled}, index=frame.index)

    rules.append(WideRule("empty_row", "empty_row", (), empty))
    return rules


def build_schema(codebook: Codebook, *, strict: bool = True) -> pa.DataFrameSchema:
    """Generate a pandera ``DataFrameSchema`` from a codebook.

    The schema checks processed data (the output of mapping): one nullable integer column per
    categorical item with an ``isin`` check of its labelled codes (``invalid_code``), 0/1 option
    columns, ranks within ``1..k`` (``rank_out_of_range``), number ``range`` (``out_of_range``),
    date ``date_range`` or the codebook ``period`` (``date_range``), a non-missing respondent id,
    and DataFrame checks for duplicate ids (per wave), skip logic, rankings and empty rows.
    Validate with ``lazy=True`` to collect every failure.

    Examples
    --------
    >>> from survey_kit.codebook import instrument
    >>> schema = build_schema(instrument("lederudvikling_2008"))
    >>> schema.columns["net_godt"].dtype
    DataType(Int8)
    """
    columns: dict[str, pa.Column] = {}
    columns[codebook.respondent_id.column] = pa.Column(None, nullable=False)
    if codebook.wave is not None and codebook.wave.column not in codebook:
        codes = sorted(codebook.wave.labels)
        columns[codebook.wave.column] = pa.Column(
            code_dtype(codes), _code_check(codes), nullable=True
        )
    if codebook.panel_key is not None:
        columns.setdefault(codebook.panel_key.column, pa.Column(None, nullable=True))
    for item in codebook.items:
        columns.update(_item_columns(codebook, item))
    for col, role in codebook.design_roles().items():  # kept by ingest, checked there
        if role == "repweights_prefix":
            columns[f"^{re.escape(col)}"] = pa.Column(None, nullable=True, required=False, regex=True)
        else:
            columns.setdefault(col, pa.Column(None, nullable=True, required=False))
    columns[SOURCE_ROW] = pa.Column("Int64", nullable=True, required=False)
    columns[COMPLETE] = pa.Column(bool, required=False)
    checks = [
        pa.Check(lambda d, r=r: not bool(r.violations(d).to_numpy().any()), name=r.name)
        for r in wide_rules(codebook)
    ]
    return pa.DataFrameSchema(columns, checks=checks, strict=strict, name=codebook.instrument)
