"""Scale scores and their reliability.

A scale score is the respondent's mean over the scale's items after reverse scoring
(``min + max - code`` over the item's answer codes), with declared missing codes ("Ved ikke") and
blanks as NA; NaN when fewer than ``min_items`` items are answered. Integer-coded items are summed
item by item as integers (a sum and a count of answered items per respondent, one division at the
end: the same values as the mean of the floats, without an n x k float matrix). Reliability is Cronbach's
alpha on complete cases (after reverse scoring) with Feldt's (1965) F-based interval, as
``pingouin.cronbach_alpha``; with a sampling design the design-weighted alpha of R's
``svycralpha`` (no interval). ``with_scale_scores`` keeps a filtered survey's domain, so index
means with a design are R's ``svyby(~score, ~group, design, svymean)`` on ``subset(design, ...)``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from survey_kit.codebook import Codebook
from survey_kit.stats._common import (
    _int_values,
    check_ci,
    check_min_n,
    item_spec,
    require_column,
    resolve,
    suppress_by_item,
    weights_of,
)
from survey_kit.stats.design import LonelyPSUWarning, domain_of, mark_domain, resolve_design


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


def _int_item(df: pd.DataFrame, cb: Codebook, code: str) -> tuple | None:
    """``(values, NA mask or None, missing codes, reverse constant or None)`` of an item held as
    integers of at most 4 bytes, or None (then :func:`_scored` gives its floats)."""
    require_column(df, code, "scale")
    spec = item_spec(df, code, cb)
    s = df[code]
    if not pd.api.types.is_integer_dtype(s) or pd.api.types.is_bool_dtype(s):
        return None
    iv = _int_values(s)
    if iv is None or iv[0].dtype.kind not in "iu" or iv[0].dtype.itemsize > 4:
        return None
    if not all(isinstance(c, int | np.integer) and not isinstance(c, bool) for c in spec.missing):
        return None
    info = np.iinfo(iv[0].dtype)
    missing = [int(c) for c in spec.missing if info.min <= c <= info.max]
    it = cb[code] if code in cb else None
    const = min(it.values) + max(it.values) if it is not None and it.reverse else None
    if const is not None and not isinstance(const, int | np.integer):
        return None
    return iv[0], iv[1], missing, const


def _int_scale(parts: list[tuple], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer sum of the scored answers and number of answered items per respondent.

    Per item: ``invalid = NA | code in missing``; the answer (or ``const - code`` when reversed)
    is added where valid. The accumulator is the smallest integer type that cannot overflow.
    """
    bound = 0
    for vals, _, _, const in parts:
        big = max(abs(int(np.iinfo(vals.dtype).min)), int(np.iinfo(vals.dtype).max))
        bound += big + (abs(int(const)) if const is not None else 0)
    acc = np.int16 if bound < 2**15 else np.int32 if bound < 2**31 else np.int64
    total = np.zeros(n, dtype=acc)
    n_invalid = np.zeros(n, dtype=np.int16 if len(parts) < 2**15 else np.int64)
    invalid = np.empty(n, dtype=bool)
    for vals, mask, missing, const in parts:
        if mask is not None:
            invalid[...] = mask
        else:
            invalid[...] = False
        for c in missing:
            invalid |= vals == c
        if const is None:
            np.add(total, np.where(invalid, vals.dtype.type(0), vals), out=total)
        else:
            scored = np.subtract(const, vals, dtype=acc)
            np.copyto(scored, 0, where=invalid)
            np.add(total, scored, out=total)
        np.add(n_invalid, invalid, out=n_invalid)
    return total, len(parts) - n_invalid


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
    # one row per scale: the frame takes the transposed block as it is (no copy on construction)
    out = np.empty((len(cb.scales), len(df)), dtype=float)
    for row, scale in zip(out, cb.scales, strict=True):
        need = min_items or scale.min_items or -(-len(scale.items) // 2)
        parts = [_int_item(df, cb, c) for c in scale.items]
        if all(p is not None for p in parts):
            total, answered = _int_scale(parts, len(df))
            with np.errstate(invalid="ignore", divide="ignore"):
                np.divide(total, answered, out=row)
        else:
            x = np.column_stack([_scored(df, cb, c) for c in scale.items])
            answered = (~np.isnan(x)).sum(axis=1)
            with np.errstate(invalid="ignore"):
                row[:] = np.nanmean(np.where(answered[:, None] > 0, x, 0), axis=1)
        np.copyto(row, np.nan, where=answered < min(need, len(scale.items)))
    columns = pd.Index([s.code for s in cb.scales])
    return pd.DataFrame(out.T, index=df.index, columns=columns, copy=False)


def with_scale_scores(
    data: Any, codebook: Codebook | None = None, *, min_items: int | None = None
) -> pd.DataFrame:
    """A copy of the data with one score column per scale added (see :func:`scale_scores`).

    The result can go straight into ``compare``/``compare_waves`` with ``stat="mean"``; the score
    columns are labelled with the scales' labels there. Every column of the data stays, the design
    columns included, and the data of a filtered survey stay a domain of the whole design (R's
    ``subset(design, ...)``): an index mean per group is R's ``svyby(~score, ~group, design,
    svymean)``, its test ``svyttest`` / ``regTermTest``.
    """
    df, cb = resolve(data, codebook)
    scores = scale_scores(df, _need_codebook(cb, "with_scale_scores"), min_items=min_items)
    clash = [c for c in scores.columns if c in df.columns]
    if clash:
        raise ValueError(f"data: already has columns named like scales: {clash}")
    out = pd.concat([df, scores], axis=1)
    dom = domain_of(df)  # concat drops attrs that differ between its inputs: mark the domain again
    return out if dom is None else mark_domain(out, dom.full, dom.mask)


def cronbach_alpha(x: np.ndarray, ci: float = 0.95) -> tuple[float, float, float]:
    """Cronbach's alpha of complete cases ``x`` (n x k) with Feldt's interval."""
    n, k = x.shape
    cov = np.cov(x, rowvar=False, ddof=1)
    alpha = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * sps.f.isf((1 - ci) / 2, df1, df2)
    high = 1 - (1 - alpha) * sps.f.isf(1 - (1 - ci) / 2, df1, df2)
    return float(alpha), float(low), float(high)


def weighted_alpha(x: np.ndarray, w: np.ndarray) -> float:
    """Cronbach's alpha with weights (R's ``svycralpha``): the weighted item variances over the
    weighted variance of their sum, on complete cases ``x`` (n x k)."""
    w = w / w.sum()
    dev = x - w @ x
    cov = (dev * w[:, None]).T @ dev
    k = x.shape[1]
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def _alpha_weights(df, cb, weight, strata, cluster, fpc, lonely_psu, repweights, rep_type):
    """The weights of the call's design (None without one): alpha depends on the weights only.
    A replicate design's are its full-sample weights; strata and clusters add nothing."""
    if rep_type is not None and repweights is None:
        raise ValueError("rep_type: only with repweights=")
    block = getattr(cb, "design", None) if cb is not None else None
    given = any(v is not None for v in (weight, strata, cluster, fpc, repweights))
    if repweights is not None or (not given and getattr(block, "repweights", None) is not None):
        col = weight if given else block.weight
        return np.ones(len(df)) if col is None else weights_of(df, col)
    with warnings.catch_warnings():  # lonely PSUs change variances, not weights
        warnings.simplefilter("ignore", LonelyPSUWarning)
        d = resolve_design(df, cb, weight=weight, strata=strata, cluster=cluster, fpc=fpc,
                           lonely_psu=None if lonely_psu == "fail" else lonely_psu)
    return None if d is None else d.w


def reliability(
    data: Any,
    scale: str | Sequence[str],
    codebook: Codebook | None = None,
    *,
    ci: float = 0.95,
    min_n: int | None = None,
    weight: str | None = None,
    strata: str | None = None,
    cluster: str | list[str] | None = None,
    fpc: str | list[str] | None = None,
    lonely_psu: str | None = None,
    repweights: str | list[str] | None = None,
    rep_type: str | None = None,
) -> pd.DataFrame:
    """Cronbach's alpha of a scale with Feldt's confidence interval.

    With a sampling design (the design arguments, else the codebook's ``design:`` block) alpha is
    R's ``svycralpha(..., na.rm=TRUE)``: the design's weights in every variance (weights from the
    fpc when there is no weight column; a filtered survey's domain weights; a replicate design's
    full-sample weights). R gives no interval for it and Feldt's assumes simple random sampling,
    so ``ci_low`` and ``ci_high`` are empty then.

    Parameters
    ----------
    data : Survey or DataFrame
    scale : str or list of str
        A scale code of the codebook, or item columns (reverse-keyed codebook items are reversed).
    ci : float
    min_n : int, optional
        Minimum complete cases (``max(min_n, codebook.min_n_for(scale))``), else suppressed.
    weight, strata, cluster, fpc, lonely_psu, repweights, rep_type : optional
        The design (as in :func:`~survey_kit.stats.compare`); only its weights enter alpha.

    Returns
    -------
    DataFrame
        One row: ``scale, n, n_items, alpha, ci_low, ci_high, suppressed`` (n: complete cases
        with a positive weight).
    """
    df, cb = resolve(data, codebook)
    ci, min_n = check_ci(ci), check_min_n(min_n)
    w = _alpha_weights(df, cb, weight, strata, cluster, fpc, lonely_psu, repweights, rep_type)
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
    keep = ~np.isnan(x).any(axis=1)
    if w is None:
        x = x[keep]
        alpha, low, high = cronbach_alpha(x, ci) if len(x) >= 2 else (np.nan,) * 3
    else:
        keep &= w > 0
        x, wk = x[keep], w[keep]
        alpha = weighted_alpha(x, wk) if len(x) >= 2 else np.nan
        low = high = np.nan  # no design-based interval (R's svycralpha has none)
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
