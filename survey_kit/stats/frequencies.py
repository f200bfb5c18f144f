"""Frequency tables: counts and shares of every answer code, per group.

``share`` is over the valid base: declared missing codes ("Ved ikke") are outside the base and
counted in ``n_dont_know``; blanks are counted in ``n_missing``. Intervals are Wilson score
intervals. With a design (``weight=``, ``strata=``, ``cluster=``, ``fpc=`` or the codebook's
``design:`` block) the shares are weighted domain estimates with Taylor-linearised ``se``,
``deff`` and design ``df`` as R's ``svymean``/``svyby``, and ``svyciprop`` intervals
(``ci_method``: "logit" by default, "beta", "mean", "asin"); see :mod:`survey_kit.stats.design`.

Suppression: a group whose valid base is below the item's minimum n is hidden, with complementary
groups so that the total row minus the others does not give it back. With ``min_cell=`` an answer
count of 1 to ``min_cell - 1`` inside a shown group is hidden too, and so many more that it cannot be
worked out: the group's valid codes add up to its published ``n_valid`` (its "Ved ikke" codes to
``n_dont_know``) and each code's groups to the total row, so the same two-dimensional
complementary suppression and integer-programming audit as :func:`~survey_kit.stats.crosstab` runs
on the groups x codes table (and on the total row's codes); a group whose ``n_valid`` would have to
be hidden is hidden whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook
from survey_kit.stats._common import (
    as_list,
    check_ci,
    check_min_n,
    code_array,
    expand_items,
    group_rows,
    item_min_n,
    item_spec,
    make_groups,
    merge_missing,
    resolve,
    suppress_by_item,
    tabulate,
    wilson,
    with_total,
)
from survey_kit.stats.crosstab import suppress_cells
from survey_kit.stats.design import domain_stats, domain_tables, resolve_design, tabulate_design
from survey_kit.stats.raoscott import check_ci_method, ciprop

FREQUENCY_COLUMNS = [
    "item",
    "item_label",
    "by",
    "group",
    "group_code",
    "code",
    "label",
    "is_missing_code",
    "n",
    "share",
    "ci_low",
    "ci_high",
    "n_valid",
    "n_dont_know",
    "n_missing",
    "suppressed",
    "is_total",
    "ci_method",
    "se",
    "deff",
    "df",
]


def frequencies(
    data: Any,
    items: str | Sequence[str],
    *,
    by: str | None = None,
    weight: str | None = None,
    ci: float = 0.95,
    min_n: int | None = None,
    codebook: Codebook | None = None,
    dont_know: Sequence[Any] | None = None,
    min_cell: int | None = None,
    missing: Sequence[Any] | None = None,
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
    ci_method: str | None = None,
) -> pd.DataFrame:
    """Count every answer code of ``items``, overall or per group of ``by``.

    Parameters
    ----------
    data : Survey or DataFrame
        Processed data (never modified). A DataFrame takes ``codebook=``; without a codebook the
        observed values are the codes and their own labels.
    items : str or list of str
        Item codes (one column each; an option column ``f"{code}_{option}"`` of a multiple item
        counts as a 0/1 item).
    by : str, optional
        A grouping column; every group gets its rows, followed by the total row (``"I alt"``,
        over every respondent, also those without a group).
    weight, strata, cluster, fpc : str, optional
        Design columns (see :mod:`survey_kit.stats.design`); default the codebook's ``design:``
        block. With a design the shares are weighted (``n`` stays the unweighted count) with
        Taylor-linearised ``se``, ``deff`` and design ``df``.
    ci : float
        Confidence level of the Wilson score interval.
    min_n : int, optional
        Minimum base; the applied minimum is ``max(min_n, codebook.min_n_for(item))``. A group
        whose valid base is below it is suppressed (``suppressed=True``, NA numbers).
    dont_know, missing : list, optional
        Codes outside the base in addition to the codebook's ``missing`` codes (``missing`` is
        another name for the same thing, for data without a codebook).
    ci_method : str, optional
        Interval of a share: "wilson" without a design; with one, a ``svyciprop`` method
        ("logit", the default, "beta", "mean", "asin", "xlogit", "likelihood").
    min_cell : int, optional
        Also hide answer counts of 1 to ``min_cell - 1`` in shown groups, with complementary cells
        (see the module docstring); hidden rows have ``suppressed=True``. Default: answer counts
        are shown for every group whose base reaches the minimum n.

    Returns
    -------
    DataFrame
        One row per item x group x code with the columns of :data:`FREQUENCY_COLUMNS`.

    Examples
    --------
    >>> import pandas as pd
    >>> frequencies(pd.DataFrame({"q": [1, 1, 2, 9, None]}), "q", dont_know=[9], min_n=1)[
    ...     ["code", "n", "share"]]  # doctest: +SKIP
    """
    df, cb = resolve(data, codebook)
    if min_cell is not None:
        min_cell = check_min_n(min_cell, "min_cell")
    cols = expand_items(as_list(items, "items"), cb)
    ci = check_ci(ci)
    min_n = check_min_n(min_n)
    dont_know = merge_missing(dont_know, missing)
    groups = make_groups(df, by, cb)
    d = resolve_design(df, cb, weight=weight, strata=strata, cluster=cluster, fpc=fpc,
                       lonely_psu=lonely_psu, repweights=repweights, rep_type=rep_type,
                       rho=rho, scale=scale, rscales=rscales, mse=mse)
    method = check_ci_method(ci_method, d)
    labels, gcodes = group_rows(groups)
    frames, min_ns = [], {}
    for col in cols:
        spec = item_spec(df, col, cb, dont_know=dont_know)
        if spec.numeric:
            raise ValueError(f"items: column {col!r} holds numbers, not answer codes")
        if d is None:
            spec, tabs = tabulate(df, spec, groups, (None,))
            cnt = with_total(tabs[0], groups)
        else:
            spec, utabs = tabulate_design(df, spec, groups, d)
            dom = domain_tables(utabs, groups)
            cnt = dom["n"].sum(axis=0)
        codes = spec.codes
        k, nv = len(codes), len(spec.values)
        n_valid = cnt[:, :nv].sum(axis=1)
        g = cnt.shape[0]
        if d is None:
            wc, wvalid = cnt[:, :nv].astype(float), n_valid.astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(wvalid[:, None] > 0, wc / wvalid[:, None], np.nan)
            low, high = wilson(wc, np.repeat(wvalid[:, None], nv, 1), ci)
            se = deff = np.full((g, nv), np.nan)
            dfree = np.full((g, nv), np.nan)
        else:
            st = domain_stats(d, dom, np.arange(nv))
            share, se, deff = st["value"], st["se"], st["deff"]
            dfree = np.repeat(st["df"][:, None], nv, 1)
            low, high = ciprop(share, se, dfree, st["nrow"][:, None], ci, method,
                               se_logit=st.get("se_logit"), npos=st["npos"][:, None],
                               replicate=d.rep is not None,
                               glm=_likelihood_fits(df, spec, groups, d, nv, method))
        nan_tail = np.full((g, k - nv), np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "item": col,
                    "item_label": spec.label,
                    "by": by,
                    "group": np.repeat(labels, k),
                    "group_code": code_array(np.repeat(np.array(gcodes, dtype=object), k)),
                    "code": code_array(codes * g),
                    "label": [*spec.values.values(), *spec.missing.values()] * g,
                    "is_missing_code": np.tile([False] * nv + [True] * (k - nv), g),
                    "n": cnt[:, :k].reshape(-1).astype(np.int64),
                    "share": np.hstack([share, nan_tail]).reshape(-1),
                    "ci_low": np.hstack([low, nan_tail]).reshape(-1),
                    "ci_high": np.hstack([high, nan_tail]).reshape(-1),
                    "n_valid": np.repeat(n_valid, k).astype(np.int64),
                    "n_dont_know": np.repeat(cnt[:, nv:k].sum(axis=1), k).astype(np.int64),
                    "n_missing": np.repeat(cnt[:, k], k).astype(np.int64),
                    "ci_method": method,
                    "se": np.hstack([se, nan_tail]).reshape(-1),
                    "deff": np.hstack([deff, nan_tail]).reshape(-1),
                    "df": np.hstack([dfree, nan_tail]).reshape(-1),
                }
            )
        )
        min_ns[col] = item_min_n(cb, col, min_n)
    table = pd.concat(frames, ignore_index=True)
    out = suppress_by_item(
        table,
        min_ns,
        partition=["item", "code"],
        n_column="n_valid",
        value_columns=[
            "n", "share", "ci_low", "ci_high", "n_dont_know", "n_missing", "se", "deff", "df"
        ],
    )
    if min_cell is not None and min_cell > 1:
        out = _hide_small_codes(table, out, min_cell)
    return out[FREQUENCY_COLUMNS]


_HIDE = ["n", "share", "ci_low", "ci_high", "n_valid", "n_dont_know", "n_missing"]


def _hide_small_codes(table: pd.DataFrame, out: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Cell suppression of answer counts within groups (module docstring); ``out`` is copied."""
    out = out.copy()
    hide = out["suppressed"].to_numpy(dtype=bool).copy()
    items = table["item"].to_numpy()
    for item in pd.unique(items):
        at = np.flatnonzero(items == item)
        block = table.iloc[at]
        k = int((block["group"] == block["group"].iloc[0]).sum())
        g = len(at) // k
        n = block["n"].to_numpy(dtype=float).reshape(g, k)
        missing = block["is_missing_code"].to_numpy(dtype=bool)[:k]
        h = hide[at].reshape(g, k)
        total = g - 1  # the last row of the block is the total row
        for codes in (~missing, missing):
            if not codes.any():
                continue
            parts = [
                (slice(0, total), h[:total].any(axis=1)),
                (slice(total, g), h[total:].any(axis=1)),
            ]
            for rows, whole in parts:
                m = n[rows][:, codes]
                if m.size == 0:
                    continue
                cells, row_margin, _ = suppress_cells(m, min_cell, whole[:, None] & (m >= 0))
                sub = h[rows]
                sub[:, codes] |= cells
                sub[row_margin] = True  # its n_valid (n_dont_know) would have to go: hide it all
                h[rows] = sub
        hide[at] = h.reshape(-1)
    newly = hide & ~out["suppressed"].to_numpy(dtype=bool)
    if newly.any():
        for c in _HIDE:
            if (
                c in out
                and pd.api.types.is_integer_dtype(out[c])
                and not isinstance(out[c].dtype, pd.api.extensions.ExtensionDtype)
            ):
                out[c] = out[c].astype("Int64")
        whole = (
            pd.Series(hide, index=out.index).groupby([out["item"], out["group"]]).transform("all")
        )
        cols = [c for c in ("n", "share", "ci_low", "ci_high") if c in out]
        out.loc[newly, cols] = pd.NA
        gone = whole.to_numpy() & newly
        out.loc[gone, [c for c in _HIDE if c in out]] = pd.NA
        out["suppressed"] = hide
    return out


def _likelihood_fits(df, spec, groups, d, nv: int, method: str):
    """R's IRLS fits of ``svyglm(code == c ~ 1)`` per domain and answer code (D, nv), for the
    "likelihood" interval only (None otherwise)."""
    if method != "likelihood":
        return None
    from survey_kit.stats._common import encode
    from survey_kit.stats._design_compare import domain_masks
    from survey_kit.stats.raoscott import glm_intercepts

    idx = encode(df[spec.column], spec.codes)
    masks = domain_masks(groups, idx < nv)
    fits = [glm_intercepts(d.w, idx == c, masks) for c in range(nv)]
    return np.stack([f[0] for f in fits], axis=1), np.stack([f[1] for f in fits], axis=1)


def option_shares(freq: pd.DataFrame) -> pd.DataFrame:
    """A :func:`frequencies` table as a :func:`compare`-shaped table of the share choosing each
    answer (missing codes left out), for bar charts of answers without an order or positive side.

    Without a breakdown each answer is a group of the item (``by`` = the item); with one, each
    answer is a row block (``item_label`` = the answer) holding the groups, so a chart shows the
    share choosing that answer in every group. Shares, intervals, bases and suppression are the
    frequency table's own: nothing is recomputed.
    """
    f = freq[~freq["is_missing_code"].astype(bool)]
    broken = "group_code" in f and f["group_code"].notna().any()
    out = pd.DataFrame({
        "item": f["item"].astype(str) + ("=" + f["code"].astype(str) if broken else ""),
        "item_label": f["label"] if broken else f["item_label"],
        "stat": "share",
        "by": f["by"] if broken else f["item"],
        "group": f["group"] if broken else f["label"],
        "group_code": f["group_code"] if broken else f["code"],
        "n": f["n_valid"], "n_valid": f["n_valid"], "value": f["share"],  # n: the base, as in compare
        "ci_low": f["ci_low"], "ci_high": f["ci_high"], "vs_total": "",
        "suppressed": f["suppressed"],
    })
    if broken and "is_total" in f:
        out["is_total"] = f["is_total"].to_numpy()
    return out.reset_index(drop=True)
