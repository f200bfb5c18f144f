"""Ranking items: how often each option is ranked first and within the top k.

Base: respondents who ranked at least one option (``n``). Intervals: Wilson score intervals;
with a design (``weight=``, ``strata=``, ``cluster=``, ``fpc=`` or the codebook's ``design:``)
the shares are weighted, with Taylor-linearised standard errors (``se_first``, ``se_top_k``), the
design ``df`` and ``svyciprop`` intervals (``ci_method``, default "logit"); ``n_first`` and
``n_top_k`` stay unweighted counts.
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
    merge_missing,
    require_column,
    resolve,
    suppress_by_item,
    wilson,
)
from survey_kit.stats.design import Design, domain_stats, resolve_design
from survey_kit.stats.raoscott import check_ci_method, ciprop, glm_intercepts

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
    "ci_method",
    "se_first",
    "se_top_k",
    "df",
]


def rank_shares(
    data: Any,
    ranking: str | Sequence[str],
    *,
    k: int = 3,
    min_n: int | None = None,
    ci: float = 0.95,
    codebook: Codebook | None = None,
    weight: str | None = None,
    strata: str | None = None,
    cluster: str | list[str] | None = None,
    lonely_psu: str | None = None,
    repweights: str | list[str] | None = None,
    rep_type: str | None = None,
    rho: float | None = None,
    scale: float | None = None,
    rscales: float | list[float] | None = None,
    mse: bool | None = None,
    fpc: str | None = None,
    missing: Sequence[Any] | None = None,
    ci_method: str | None = None,
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
    min_n : int, optional
        Minimum base (``max(min_n, codebook.min_n_for(item))``; the codebook's own minimum when
        None, 5 without a codebook); below it every row is suppressed.
    ci : float
        Confidence level of the intervals.
    weight, strata, cluster, fpc : str, optional
        Design columns (default the codebook's ``design:``).
    missing : list, optional
        Rank values that mean "not ranked" (e.g. a don't-know code) for data without a codebook.
    ci_method : str, optional
        "wilson" without a design; a ``svyciprop`` method with one ("logit", default).

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
    missing = merge_missing(None, missing)
    if missing:
        ranks = np.where(np.isin(ranks, [float(m) for m in missing]), np.nan, ranks)
    d = resolve_design(df, cb, weight=weight, strata=strata, cluster=cluster, fpc=fpc,
                       lonely_psu=lonely_psu, repweights=repweights, rep_type=rep_type,
                       rho=rho, scale=scale, rscales=rscales, mse=mse)
    method = check_ci_method(ci_method, d)
    ranked = ~np.isnan(ranks) & (ranks >= 1)
    n = int(ranked.any(axis=1).sum())
    n_first = (ranks == 1).sum(axis=0)
    n_top = (ranked & (ranks <= k)).sum(axis=0)
    nn = np.full(len(cols), n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        s1, sk = n_first / nn, n_top / nn
    se1 = sek = dfree = np.full(len(cols), np.nan)
    if d is None:
        l1, h1 = wilson(n_first, nn, ci)
        lk, hk = wilson(n_top, nn, ci)
    else:
        base = ranked.any(axis=1)
        (s1, se1, df1, nr, x1), (sk, sek, _, _, xk) = (
            _design_shares(d, base, ranks == 1, method),
            _design_shares(d, base, ranked & (ranks <= k), method),
        )
        dfree = df1
        l1, h1 = ciprop(s1, se1, df1, nr, ci, method, **x1)
        lk, hk = ciprop(sk, sek, df1, nr, ci, method, **xk)
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
            "ci_method": method,
            "se_first": se1,
            "se_top_k": sek,
            "df": dfree,
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
            "se_first",
            "se_top_k",
            "df",
        ],
    )
    return out[RANK_COLUMNS]


def _design_shares(d: Design, base: np.ndarray, hit: np.ndarray, method: str | None = None):
    """Design-based share of ``hit`` (rows x options) among the ``base`` rows, per option:
    (share, se, df, rows in the base, what :func:`ciprop` needs besides: the replicates' SE of
    the logit, rows with a positive weight, R's glm fit for "likelihood")."""
    shares, ses, se_logit, npos = [], [], [], []
    b = base.astype(float)
    u = d.n_units
    for j in range(hit.shape[1]):
        cell = np.where(base, np.where(hit[:, j], 0, 1), 2)  # hit, no hit, outside the base

        def tab(weights, cell=cell):
            return np.bincount(d.unit * 3 + cell, weights=weights, minlength=u * 3).reshape(u, 1, 3)

        tabs = {"n": tab(None), "t": tab(d.w), "t2": None if d.clustered else tab(d.w2)}
        tabs["npos"] = tab(d.wpos) if d.has_zero_weights else tabs["n"]
        st = domain_stats(d, tabs, np.array([0, 1]))
        shares.append(st["value"][0, 0])
        ses.append(st["se"][0, 0])
        se_logit.append(st["se_logit"][0, 0] if "se_logit" in st else np.nan)
        npos.append(st["npos"][0])
    dfree = np.full(hit.shape[1], st["df"][0]) if hit.shape[1] else np.array([])
    nrow = np.full(hit.shape[1], b.sum())
    extra = {"npos": np.array(npos, dtype=float), "replicate": d.rep is not None}
    if d.rep is not None:
        extra["se_logit"] = np.array(se_logit, dtype=float)
    if method == "likelihood":
        fits = [glm_intercepts(d.w, hit[:, j], [base]) for j in range(hit.shape[1])]
        extra["glm"] = (np.array([f[0][0] for f in fits]), np.array([f[1][0] for f in fits]))
    return np.array(shares), np.array(ses), dfree, nrow, extra
