"""Ranking items: how often each option is ranked first and within the top k.

Base: respondents who ranked at least one option (``n``). Intervals: Wilson score intervals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook
from survey_kit.stats._common import (
    check_ci,
    check_min_n,
    item_min_n,
    require_column,
    resolve,
    suppress_by_item,
    wilson,
)

RANK_COLUMNS = [
    "item",
    "code",
    "label",
    "n",
    "n_first",
    "share_first",
    "first_ci_low",
    "first_ci_high",
    "n_top_k",
    "share_top_k",
    "top_k_ci_low",
    "top_k_ci_high",
    "k",
    "suppressed",
]


def rank_shares(
    data: Any,
    ranking: str | Sequence[str],
    *,
    k: int = 3,
    min_n: int = 5,
    ci: float = 0.95,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Share of respondents placing each option first and in their top ``k``.

    Parameters
    ----------
    data : Survey or DataFrame
    ranking : str or list of str
        A ranking item code (its option columns ``f"{code}_{option}"`` hold ranks, 1 = first, NA
        = unranked), or a list of rank columns (then the column names are codes and labels).
    k : int
        How many places count as the top.
    min_n : int
        Minimum base (``max(min_n, codebook.min_n_for(item))``); below it every row is
        suppressed.
    ci : float
        Confidence level of the Wilson score intervals.

    Returns
    -------
    DataFrame
        One row per option, columns :data:`RANK_COLUMNS`.
    """
    df, cb = resolve(data, codebook)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k: must be a positive integer, got {k!r}")
    min_n, ci = check_min_n(min_n), check_ci(ci)
    if isinstance(ranking, str):
        if cb is None or ranking not in cb or cb[ranking].type != "ranking":
            raise ValueError(
                f"ranking: {ranking!r} is not a ranking item of the codebook; pass "
                "its rank columns as a list instead"
            )
        it = cb[ranking]
        name, cols = ranking, it.columns
        codes, labels = list(it.values), list(it.values.values())
    else:
        cols = list(ranking)
        if len(cols) < 2:
            raise ValueError("ranking: give at least two rank columns")
        name, codes, labels = "+".join(cols), cols, cols
    for c in cols:
        require_column(df, c, "ranking")
    ranks = np.column_stack(
        [pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan) for c in cols]
    )
    ranked = ~np.isnan(ranks) & (ranks >= 1)
    n = int(ranked.any(axis=1).sum())
    n_first = (ranks == 1).sum(axis=0)
    n_top = (ranked & (ranks <= k)).sum(axis=0)
    nn = np.full(len(cols), n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        s1, sk = n_first / nn, n_top / nn
    l1, h1 = wilson(n_first, nn, ci)
    lk, hk = wilson(n_top, nn, ci)
    table = pd.DataFrame(
        {
            "item": name,
            "code": codes,
            "label": labels,
            "n": n,
            "n_first": n_first.astype(np.int64),
            "share_first": s1,
            "first_ci_low": l1,
            "first_ci_high": h1,
            "n_top_k": n_top.astype(np.int64),
            "share_top_k": sk,
            "top_k_ci_low": lk,
            "top_k_ci_high": hk,
            "k": int(k),
        }
    )
    mn = item_min_n(cb, name if isinstance(ranking, str) else cols[0], min_n)
    out = suppress_by_item(
        table,
        {name: mn},
        partition=["item"],
        value_columns=[
            "n_first",
            "share_first",
            "first_ci_low",
            "first_ci_high",
            "n_top_k",
            "share_top_k",
            "top_k_ci_low",
            "top_k_ci_high",
        ],
    )
    return out[RANK_COLUMNS]
