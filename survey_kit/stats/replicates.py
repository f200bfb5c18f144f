"""Jackknife replicate weights of a Taylor design, as R's ``as.svrepdesign``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook
from survey_kit.stats.design import resolve_design


@dataclass(frozen=True)
class ReplicateWeights:
    """Replicate weights made from a Taylor design (:func:`replicate_weights`): ``weights`` (one
    column per replicate, combined with the design weight, aligned with the data's index) and
    ``options``, the arguments that use them: ``compare(data.join(rw.weights), ...,
    weight=..., **rw.options)``."""

    weights: pd.DataFrame
    options: dict


def replicate_weights(
    data,
    codebook: Codebook | None = None,
    *,
    rep_type: str = "JKn",
    weight: str | None = None,
    strata: str | None = None,
    cluster: str | list[str] | None = None,
    fpc: str | list[str] | None = None,
    prefix: str = "repw_",
) -> ReplicateWeights:
    """Jackknife replicate weights of a Taylor design, as R's ``as.svrepdesign(design, type=)``.

    ``rep_type="JK1"`` (unstratified designs: one replicate per PSU, ``scale = f (n - 1) / n``)
    or ``"JKn"`` (one replicate per PSU within its stratum, ``rscales = f_h (n_h - 1) / n_h``);
    the first sampling stage only, as R. A stratum with one PSU cannot be jackknifed (an error).

    Examples
    --------
    >>> rw = replicate_weights(df, rep_type="JKn", weight="pw", strata="stype", fpc="fpc")  # doctest: +SKIP
    >>> compare(df.join(rw.weights), "api00", stat="mean", weight="pw", **rw.options)  # doctest: +SKIP
    """
    from survey_kit.stats._common import resolve

    df, cb = resolve(data, codebook)
    if rep_type not in ("JK1", "JKn"):
        raise ValueError(
            f"rep_type: replicate weights are made for 'JK1' or 'JKn', not {rep_type!r} (a "
            "bootstrap needs R's random draws; give its weights with repweights=)"
        )
    d = resolve_design(df, cb, weight=weight, strata=strata, cluster=cluster, fpc=fpc,
                       lonely_psu="fail")
    if d is None:
        raise ValueError("replicate_weights: give a design (weight=, strata=, cluster=, fpc=)")
    if d.rep is not None:
        raise ValueError("replicate_weights: the design has replicate weights already")
    # units: PSUs (rows without clusters), in stratum order
    if d.clustered:
        psu = d.unit if d.psu_starts is None else np.searchsorted(
            d.psu_starts, d.unit, side="right") - 1
        n_psu, psu_stratum = d.n_psu, d.unit_stratum
    else:
        psu = np.arange(len(df))
        order = np.argsort(d.unit, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        psu, n_psu = rank, order.size
        psu_stratum = d.unit[order]
    if n_psu > 5000:
        raise ValueError(
            f"replicate_weights: {n_psu} PSUs would make {n_psu} jackknife replicates; give "
            "cluster= (the PSUs) or use the Taylor design itself"
        )
    n_h = np.bincount(psu_stratum, minlength=d.n_strata).astype(float)
    if rep_type == "JK1" and d.n_strata > 1:
        raise ValueError("rep_type: 'JK1' is for unstratified designs; use 'JKn' with strata")
    factor = np.ones((n_psu, n_psu))
    same = psu_stratum[:, None] == psu_stratum[None, :]
    with np.errstate(divide="ignore"):
        factor = np.where(same, (n_h / (n_h - 1))[psu_stratum][:, None], 1.0)
    np.fill_diagonal(factor, 0.0)
    weights = pd.DataFrame(d.w[:, None] * factor[psu], index=df.index,
                           columns=[f"{prefix}{i + 1}" for i in range(n_psu)])
    f = d.f_h[psu_stratum]
    if rep_type == "JK1":
        options = {"repweights": list(weights.columns), "rep_type": "JK1",
                   "scale": float(f[0] * (n_psu - 1) / n_psu)}
    else:
        options = {"repweights": list(weights.columns), "rep_type": "JKn", "scale": 1.0,
                   "rscales": (f * (n_h[psu_stratum] - 1) / n_h[psu_stratum]).tolist()}
    return ReplicateWeights(weights=weights, options=options)
