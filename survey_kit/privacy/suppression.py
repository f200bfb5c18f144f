"""Minimum-n suppression of published tables.

Contract used by every function that publishes numbers (statistics, charts, reports, exports):

    table = suppress_table(table, min_n=5, partition=["item"], value_columns=[...])

* A row resting on 1 to ``min_n - 1`` respondents (``n_column``) is suppressed: ``suppressed`` is
  True and ``n_column`` and every column in ``value_columns`` become NA. Nothing else is drawn or
  printed for it; its label is :data:`SUPPRESSED_LABEL`.
* ``partition`` names the columns whose value combinations form sets of rows that add up to a
  published total (for ``compare(..., by="sektor")``: each item's groups add up to the item's
  total row). Complementary suppression works inside each such set so that a hidden row cannot be
  recovered by subtracting the visible rows from the total.
* Rows where ``total_column`` is True are the totals of their partition.
* Every suppression is recorded in ``audit`` (an :class:`AuditLog`) when one is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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


def suppress_table(
    table: pd.DataFrame,
    *,
    min_n: int,
    partition: Sequence[str] = (),
    value_columns: Sequence[str] = (),
    n_column: str = "n",
    total_column: str | None = None,
    audit: AuditLog | None = None,
    where: str = "",
) -> pd.DataFrame:
    """Return a copy of ``table`` with rows below ``min_n`` suppressed (see module docstring)."""
    if min_n < 1:
        raise ValueError("min_n: must be at least 1")
    out = table.copy()
    n = pd.to_numeric(out[n_column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    small = (n > 0) & (n < min_n)
    already = out["suppressed"].fillna(False).to_numpy(dtype=bool) if "suppressed" in out else False
    hide = small | already
    out["suppressed"] = hide
    if audit is not None:
        for idx in np.flatnonzero(small):
            what = ", ".join(f"{c}={out.iloc[idx][c]}" for c in partition if c in out) or str(idx)
            audit.add(where=where, what=what, why=f"n={int(n[idx])} < min_n={min_n}", n=n[idx])
    cols = [n_column, *value_columns]
    for c in cols:
        if c in out:
            if pd.api.types.is_integer_dtype(out[c]) and not pd.api.types.is_extension_array_dtype(out[c]):
                out[c] = out[c].astype("Float64" if c != n_column else "Int64")
            out.loc[hide, c] = pd.NA
    return out
