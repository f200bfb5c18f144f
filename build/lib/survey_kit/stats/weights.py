"""Calibration of survey weights: raking (iterative proportional fitting) to known population
margins (post-stratification is raking on one margin), and trimming.

Standard errors after calibration: the statistics treat the calibrated weights as design
weights (``weight=`` on a raked or trimmed column). They do **not** account for the calibration
(R's ``svymean`` on a ``rake()``/``postStratify()`` design would); for variables related to the
margins the reported standard errors are then conservative (too wide), for others about right.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook
from survey_kit.errors import DataError
from survey_kit.stats._common import encode, require_column, resolve, weights_of


@dataclass(frozen=True)
class RakeResult:
    """Raked weights (index as the data, summing to the initial weight total) and convergence."""

    weights: pd.Series
    iterations: int
    converged: bool
    max_error: float  # largest |weighted share - target| over every margin at the end

    def _repr_html_(self) -> str:  # JupyterLab
        from survey_kit._reprs import rake_html

        return rake_html(self)


def rake(
    data: Any,
    margins: Mapping[str, Mapping[Any, float]] | None = None,
    *,
    weight: str | None = None,
    max_iter: int = 100,
    tol: float = 1e-8,
    codebook: Codebook | None = None,
) -> RakeResult:
    """Rake weights to population margins by iterative proportional fitting (Deming-Stephan).

    Each iteration scales the weights of every category of every margin variable in turn so that
    the weighted share matches the target; it stops when the largest absolute difference between
    a weighted share and its target is below ``tol`` (``converged=True``) or after ``max_iter``
    iterations (``converged=False``; the weights of the last iteration are returned).

    Parameters
    ----------
    data : Survey or DataFrame
    margins : mapping, optional
        Column -> {code: population share}; the shares of a column must sum to 1. Every
        respondent needs a code of every margin column (else :class:`DataError`). Default: the
        population sizes of ``codebook.population`` (every item there, sizes as shares); one
        margin is post-stratification.
    weight : str, optional
        Starting (design) weights; default 1.
    max_iter : int
    tol : float
    codebook : Codebook, optional
        Source of the default margins (a :class:`Survey` brings its own).

    Returns
    -------
    RakeResult

    Examples
    --------
    >>> rake(df, {"sektor": {1: 0.4, 2: 0.35, 3: 0.2, 4: 0.05}}).weights  # doctest: +SKIP
    """
    df, cb = resolve(data, codebook)
    if margins is None:
        if cb is None or not cb.population:
            raise ValueError("margins: give margins, or a codebook with population sizes")
        margins = {
            g: {c: n / sum(sizes.values()) for c, n in sizes.items()}
            for g, sizes in cb.population.items()
        }
    if not isinstance(margins, Mapping) or not margins:
        raise ValueError("margins: expected a non-empty mapping column -> {code: share}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"max_iter: must be a positive integer, got {max_iter!r}")
    if not isinstance(tol, int | float) or tol <= 0:
        raise ValueError(f"tol: must be a positive number, got {tol!r}")
    w0 = weights_of(df, weight)
    w = np.ones(len(df)) if w0 is None else w0.copy()
    total = w.sum()
    specs = []
    for col, target in margins.items():
        require_column(df, col, "margins")
        if not isinstance(target, Mapping) or not target:
            raise ValueError(f"margins: {col!r} needs a mapping code -> share")
        codes = list(target)
        shares = np.array([float(target[c]) for c in codes])
        if (shares < 0).any() or abs(shares.sum() - 1) > 1e-6:
            raise ValueError(
                f"margins: the shares of {col!r} must be non-negative and sum to 1 "
                f"(they sum to {shares.sum():.6g})"
            )
        idx = encode(df[col], codes)
        bad = np.flatnonzero(idx >= len(codes))
        if bad.size and idx[bad[0]] == len(codes):
            raise DataError(
                f"column {col!r}, row {df.index[bad[0]]!r}: blank; raking needs a code of every "
                f"margin column for every respondent (drop or impute the row first)"
            )
        if bad.size:
            raise DataError(
                f"column {col!r}, row {df.index[bad[0]]!r}: value "
                f"{df[col].iloc[bad[0]]!r} has no population share in margins"
            )
        have = np.bincount(idx, weights=w, minlength=len(codes))
        empty = [c for c, h, s in zip(codes, have, shares, strict=True) if h == 0 and s > 0]
        if empty:
            raise DataError(
                f"column {col!r}: no respondent (with positive weight) has code "
                f"{empty[0]!r}, so its population share cannot be reached"
            )
        specs.append((idx, shares, len(codes)))

    def error() -> float:
        return max(
            float(np.abs(np.bincount(i, weights=w, minlength=k) / w.sum() - s).max())
            for i, s, k in specs
        )

    it, err = 0, error()
    while err >= tol and it < max_iter:
        it += 1
        for idx, shares, k in specs:
            have = np.bincount(idx, weights=w, minlength=k) / w.sum()
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(have > 0, shares / have, 0.0)
            w = w * factor[idx]
        w *= total / w.sum()
        err = error()
    if err >= tol:
        warnings.warn(
            f"rake: vægtene konvergerede ikke efter {it} iterationer (største afvigelse fra en "
            f"målandel {err:.2g} >= tol {tol:g}); resultatet har converged=False.",
            UserWarning,
            stacklevel=2,
        )
    return RakeResult(pd.Series(w, index=df.index, name="weight"), it, err < tol, err)


def trim_weights(
    data: Any,
    weight: str,
    *,
    upper: float = np.inf,
    lower: float = -np.inf,
    strict: bool = False,
) -> pd.Series:
    """Trim weights to ``[lower, upper]`` keeping their total, as R's ``trimWeights()``.

    Weights outside the bounds are set to the bound; the amount trimmed is spread evenly over
    the weights inside (which may push some of them over a bound: ``strict=True`` repeats until
    none is). The data is not modified.

    Returns
    -------
    Series
        The trimmed weights (index as the data, name ``weight``).

    Examples
    --------
    >>> trim_weights(df, "pw", upper=40)  # doctest: +SKIP
    """
    df, _ = resolve(data, None)
    w = weights_of(df, weight)
    if w is None:
        raise ValueError("weight: give the weight column to trim")
    if not lower <= upper:
        raise ValueError(f"lower: must not exceed upper ({lower!r} > {upper!r})")
    for _ in range(1000):
        outside = (w < lower) | (w > upper)
        if not outside.any() or outside.all():
            break
        new = np.clip(w, lower, upper)
        trimmed = (w - new).sum()
        new[~outside] += trimmed / (~outside).sum()
        w = new
        if not strict:
            break
    return pd.Series(w, index=df.index, name=weight)
