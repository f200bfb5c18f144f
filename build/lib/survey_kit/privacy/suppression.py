"""Minimum-n and complementary suppression of published tables.

Contract used by every function that publishes numbers (statistics, charts, reports, exports):

    table = suppress_table(table, min_n=5, partition=["item"], value_columns=[...])

* **Primary**: a row resting on 1 to ``min_n - 1`` respondents (``n_column``), or already marked
  ``suppressed``, is suppressed: ``suppressed`` is True and ``n_column`` and every column in
  ``value_columns`` become NA. Nothing else is drawn or printed for it; its label is
  :data:`SUPPRESSED_LABEL` (the same label for primary and secondary suppression, so a reader cannot
  tell which hidden row is the small one).
* **Complementary**: ``partition`` names the columns whose value combinations form sets of rows that
  add up to a published total (for ``compare(..., by="sektor")``: each item's groups add up to the
  item's total row). Inside each set (rules R1-R4 of :mod:`survey_kit.privacy._engine`):
  when a part is hidden, at least two parts are hidden and the hidden parts together rest on at
  least ``min_n`` respondents (the next smallest parts are hidden until this holds); with
  ``share_column`` the hidden parts must also not all answer alike (all positive or all negative);
  when no part is left to hide (only the total and one group), the total is hidden as well; a hidden
  total never stands beside only visible parts.
* A change table (``compare_waves``) passes both counts, ``n_column=["n_from", "n_to"]``: each row
  holds one cell per wave, a row is hidden when either of its cells is, and complementary
  suppression runs on each wave's cells. (The other wave's value of a hidden row is hidden as
  well, but not protected: it may be published elsewhere.)
* The total of a set is the row where ``total_column`` is True; without ``total_column`` it is the
  row whose ``group_code`` is NA (the "I alt" row of a breakdown). A set without a total row gets
  primary suppression only (nothing publishes its sum).
* Every suppression is recorded in ``audit`` (an :class:`AuditLog`) when one is given:
  where, what, why ("primær: n=3 < 5", "sekundær: beskytter ...").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from survey_kit.privacy._engine import Relation, complete_suppression

SUPPRESSED_LABEL = "For få besvarelser (n<{min_n})"


@dataclass
class AuditLog:
    """What was suppressed, where and why. For the analyst; reports never print it."""

    records: list[dict] = field(default_factory=list)

    def add(self, *, where: str, what: str, why: str, n: float | None = None) -> None:
        self.records.append({"where": where, "what": what, "why": why, "n": n})

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.records, columns=["where", "what", "why", "n"])

    def __len__(self) -> int:
        return len(self.records)

    def _repr_html_(self) -> str:  # JupyterLab
        from survey_kit._reprs import audit_html

        return audit_html(self)


def _numeric(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def total_mask(table: pd.DataFrame, total_column: str | None = None) -> np.ndarray:
    """Which rows are totals: ``total_column`` when given, else rows with NA ``group_code``."""
    if total_column is not None:
        if total_column not in table:
            raise ValueError(f"total_column: {total_column!r} is not a column of the table")
        return table[total_column].fillna(False).to_numpy(dtype=bool)
    if "group_code" in table:
        return table["group_code"].isna().to_numpy(dtype=bool)
    return np.zeros(len(table), dtype=bool)


def blank_rows(
    table: pd.DataFrame,
    hide: np.ndarray,
    columns: Sequence[str],
    *,
    count_columns: Sequence[str] = (),
) -> pd.DataFrame:
    """Set ``suppressed`` and NA in ``columns`` on the rows in ``hide`` (modifies ``table``).

    Plain integer columns become ``Int64`` (``count_columns``) or ``Float64``; bool ``boolean``.
    """
    table["suppressed"] = hide
    for c in columns:
        if c in table:
            col = table[c]
            if pd.api.types.is_bool_dtype(col):
                table[c] = col.astype("boolean")
            elif pd.api.types.is_integer_dtype(col) and not pd.api.types.is_extension_array_dtype(
                col
            ):
                table[c] = col.astype("Int64" if c in count_columns else "Float64")
            table.loc[hide, c] = pd.NA
    return table


def _what(row: pd.Series, columns: Sequence[str]) -> str:
    parts = [f"{c}={row[c]}" for c in columns if c in row.index]
    return ", ".join(parts) or f"række {row.name}"


def suppress_table(
    table: pd.DataFrame,
    *,
    min_n: int,
    partition: Sequence[str] = (),
    value_columns: Sequence[str] = (),
    n_column: str | Sequence[str] = "n",
    total_column: str | None = None,
    audit: AuditLog | None = None,
    where: str = "",
    share_column: str | Sequence[str] | None = None,
    complementary: bool = True,
) -> pd.DataFrame:
    """Return a copy of ``table`` with primary and complementary suppression applied.

    Method: primary suppression of rows with ``0 < n < min_n``, then complementary suppression
    inside each ``partition`` set by the rules in the module docstring (a greedy fixed point that
    hides the smallest remaining rows first).

    Parameters
    ----------
    table : DataFrame
        A result table; not modified.
    min_n : int
        The minimum number of respondents behind a published row.
    partition : sequence of str
        Columns whose combinations form the additive sets (``["item"]`` for ``compare``).
    value_columns : sequence of str
        Columns blanked on suppressed rows (besides ``n_column``).
    n_column : str or sequence of str
        The respondent count; for a change table both, ``["n_from", "n_to"]``: a row is hidden
        when either wave's cell is hidden, and complementary suppression runs per wave.
    total_column : str, optional
        Boolean column marking total rows; default: rows whose ``group_code`` is NA.
    audit : AuditLog, optional
        Receives one record per suppressed row.
    where : str
        Name of the table in the audit.
    share_column : str or sequence of str, optional
        Shares in [0, 1], one per ``n_column``; positives ``round(share * n)`` then enter rule R2.
        Default: ``value`` (``value_from``, ``value_to``) when every row has ``stat == "share"``.
    complementary : bool
        False gives primary suppression only (unsafe beside a total; for comparison and tests).

    Examples
    --------
    >>> t = pd.DataFrame({"item": "q", "group": ["I alt", "A", "B", "C"],
    ...                   "group_code": [pd.NA, 1, 2, 3], "n": [40, 3, 12, 25]})
    >>> suppress_table(t, min_n=5, partition=["item"])["suppressed"].tolist()
    [False, True, True, False]
    """
    if min_n < 1:
        raise ValueError("min_n: must be at least 1")
    n_cols = [n_column] if isinstance(n_column, str) else list(n_column)
    if not n_cols or any(c not in table for c in n_cols):
        raise ValueError(
            f"n_column: {n_column!r} is not a column (or list of columns) of the table"
        )
    missing = [c for c in partition if c not in table]
    if missing:
        raise ValueError(f"partition: columns {missing} are not in the table")
    if share_column is None and "stat" in table and len(table) and (table["stat"] == "share").all():
        auto = {"n": "value", "n_from": "value_from", "n_to": "value_to"}
        if all(auto.get(c) in table for c in n_cols):
            share_column = [auto[c] for c in n_cols]
    if share_column is None:
        s_cols: list[str | None] = [None] * len(n_cols)
    else:
        s_cols = [share_column] if isinstance(share_column, str) else list(share_column)
        if len(s_cols) != len(n_cols) or any(c not in table for c in s_cols):
            raise ValueError(
                f"share_column: {share_column!r} must name one column of shares per n_column"
            )
    out = table.copy()
    ns = [_numeric(out[c]) for c in n_cols]
    already = (
        out["suppressed"].fillna(False).to_numpy(dtype=bool)
        if "suppressed" in out
        else np.zeros(len(out), bool)
    )
    # a cell is (row, j): the row's count in n_cols[j] (two cells per row in a change table)
    hidden: dict[tuple[int, int], str] = {}
    for j, n in enumerate(ns):
        small = (n > 0) & (n < min_n)
        for i in np.flatnonzero(small | already):
            hidden[(int(i), j)] = (
                f"primær: n={n[i]:g} < {min_n}" if small[i] else "primær: markeret som skjult"
            )

    totals = total_mask(out, total_column)
    relations: list[Relation] = []
    keys = [out[c] for c in partition] if partition else [pd.Series(0, index=out.index)]
    groups = out.groupby(keys, dropna=False, sort=False).indices.items() if complementary else []
    for _, idx in groups:
        idx = [int(i) for i in idx]
        tot = [i for i in idx if totals[i]]
        parts = [i for i in idx if not totals[i]]
        if not parts or not tot:
            continue
        if len(tot) > 1:
            raise ValueError(
                f"partition: a set of rows has {len(tot)} total rows; add the column that tells "
                "them apart (e.g. 'code' for frequencies) to partition"
            )
        for j in range(len(ns)):
            relations.append(
                Relation(total=(tot[0], j), parts=tuple((i, j) for i in parts), min_n=min_n)
            )

    counts = {(i, j): n[i] for j, n in enumerate(ns) for i in range(len(out))}
    pos = None
    if share_column is not None:
        pos = {}
        for j, (n, sc) in enumerate(zip(ns, s_cols, strict=True)):
            share = _numeric(out[sc])
            pos.update({(i, j): np.round(share[i] * n[i]) for i in range(len(out))})
    label_cols = [*partition, *(c for c in ("by", "group") if c in out and c not in partition)]

    def describe(cell: tuple[int, int]) -> str:
        what = _what(out.iloc[cell[0]], label_cols)
        return what if len(n_cols) == 1 else f"{what} ({n_cols[cell[1]]})"

    conflicts = complete_suppression(counts, hidden, relations, pos=pos, describe=describe)
    if conflicts:  # cannot happen: nothing is fixed here, so a total can always be hidden
        raise RuntimeError("; ".join(conflicts))
    if audit is not None:
        for (i, j), why in sorted(hidden.items()):
            n = ns[j][i]
            audit.add(
                where=where, what=describe((i, j)), why=why, n=None if np.isnan(n) else float(n)
            )
    hide = np.zeros(len(out), dtype=bool)
    hide[[i for i, _ in hidden]] = True
    counts_cols = [c for c in [*n_cols, *value_columns] if c == "n" or c.startswith("n_")]
    return blank_rows(out, hide, [*n_cols, *value_columns], count_columns=counts_cols)
