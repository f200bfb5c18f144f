"""Scale scores and their reliability.

A scale score is the respondent's mean over the scale's items after reverse scoring
(``min + max - code`` over the item's answer codes), with declared missing codes ("Ved ikke") and
blanks as NA; NaN when fewer than ``min_items`` items are answered. Reliability is Cronbach's
alpha on complete cases (after reverse scoring) with Feldt's (1965) F-based interval, as
``pingouin.cronbach_alpha``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from survey_kit.codebook import Codebook
from survey_kit.stats._common import (
    check_ci,
    check_min_n,
    item_spec,
    require_column,
    resolve,
    suppress_by_item,
)


def _scored(df: pd.DataFrame, cb: Codebook, code: str) -> np.ndarray:
    """The item's values as floats: missing codes NA, reversed when the item is reverse-keyed."""
    require_column(df, code, "scale")
    spec = item_spec(df, code, cb)
    x = pd.to_numeric(df[code], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if spec.missing:
        x = np.where(np.isin(x, [float(c) for c in spec.missing]), np.nan, x)
    it = cb[code] if code in cb else None
    if it is not None and it.reverse:
        lo, hi = min(it.values), max(it.values)
        x = lo + hi - x
    return x


def _need_codebook(cb: Codebook | None, fn: str) -> Codebook:
    if cb is None:
        raise ValueError(f"codebook: {fn} needs a codebook that declares the scales")
    return cb


def scale_scores(
    data: Any, codebook: Codebook | None = None, *, min_items: int | None = None
) -> pd.DataFrame:
    """One score column per scale of the codebook (index as ``data``).

    Parameters
    ----------
    data : Survey or DataFrame
    codebook : Codebook, optional
        Required for a DataFrame.
    min_items : int, optional
        Answered items needed for a score, for every scale; default each scale's ``min_items``,
        else half its items rounded up.

    Returns
    -------
    DataFrame
        Columns named by the scale codes, float (NaN: too few items answered).
    """
    df, cb = resolve(data, codebook)
    cb = _need_codebook(cb, "scale_scores")
    min_items = check_min_n(min_items, "min_items")
    out = {}
    for scale in cb.scales:
        x = np.column_stack([_scored(df, cb, c) for c in scale.items])
        answered = (~np.isnan(x)).sum(axis=1)
        need = min_items or scale.min_items or -(-len(scale.items) // 2)
        with np.errstate(invalid="ignore"):
            mean = np.nanmean(np.where(answered[:, None] > 0, x, 0), axis=1)
        out[scale.code] = np.where(answered >= min(need, len(scale.items)), mean, np.nan)
    return pd.DataFrame(out, index=df.index)


def cronbach_alpha(x: np.ndarray, ci: float = 0.95) -> tuple[float, float, float]:
    """Cronbach's alpha of complete cases ``x`` (n x k) with Feldt's interval."""
    n, k = x.shape
    cov = np.cov(x, rowvar=False, ddof=1)
    alpha = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * sps.f.isf((1 - ci) / 2, df1, df2)
    high = 1 - (1 - alpha) * sps.f.isf(1 - (1 - ci) / 2, df1, df2)
    return float(alpha), float(low), float(high)


def reliability(
    data: Any,
    scale: str | Sequence[str],
    codebook: Codebook | None = None,
    *,
    ci: float = 0.95,
    min_n: int | None = None,
) -> pd.DataFrame:
    """Cronbach's alpha of a scale with Feldt's confidence interval.

    Parameters
    ----------
    data : Survey or DataFrame
    scale : str or list of str
        A scale code of the codebook, or item columns (reverse-keyed codebook items are reversed).
    ci : float
    min_n : int, optional
        Minimum complete cases (``max(min_n, codebook.min_n_for(scale))``), else suppressed.

    Returns
    -------
    DataFrame
        One row: ``scale, n, n_items, alpha, ci_low, ci_high, suppressed`` (n: complete cases).
    """
    df, cb = resolve(data, codebook)
    ci, min_n = check_ci(ci), check_min_n(min_n)
    if isinstance(scale, str):
        cb = _need_codebook(cb, "reliability")
        try:
            items = list(cb.scale(scale).items)
        except KeyError:
            raise ValueError(f"scale: the codebook has no scale {scale!r}") from None
        name, own = scale, cb.min_n_for(scale)
    else:
        items = list(scale)
        name, own = "+".join(items), cb.min_n if cb is not None else 5
    if len(items) < 2:
        raise ValueError("scale: Cronbach's alpha needs at least two items")
    if cb is not None:
        x = np.column_stack([_scored(df, cb, c) for c in items])
    else:
        for c in items:
            require_column(df, c, "scale")
        x = np.column_stack(
            [
                pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                for c in items
            ]
        )
    x = x[~np.isnan(x).any(axis=1)]
    alpha, low, high = cronbach_alpha(x, ci) if len(x) >= 2 else (np.nan,) * 3
    table = pd.DataFrame(
        {
            "scale": [name],
            "n": [len(x)],
            "n_items": [len(items)],
            "alpha": [alpha],
            "ci_low": [low],
            "ci_high": [high],
        }
    )
    mn = max(min_n or 0, own)
    out = suppress_by_item(
        table,
        {name: mn},
        partition=[],
        item_column="scale",
        value_columns=["alpha", "ci_low", "ci_high"],
    )
    return out
