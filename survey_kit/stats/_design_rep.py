"""Replicate-weight designs (R's ``svrepdesign``) and jackknife weights of a Taylor design
(``as.svrepdesign``); see :mod:`survey_kit.stats.design`.

Rows whose replicate weights are the same multiples ("factors") of their weight form one unit, so
the per-unit tables of the Taylor path serve here too: the replicate totals are ``a' t``
(:func:`rep_totals`), every ratio is computed per replicate and combined as R's ``svrVar``
(:func:`rep_var`), and ``df`` is the rank of the domain's replicate weights minus 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook
from survey_kit.errors import DataError
from survey_kit.stats._common import require_column, weights_of
from survey_kit.stats.design import REP_TYPES, Design, Replicates, resolve_design


def _rep_columns(df: pd.DataFrame, repweights) -> list[str]:
    if isinstance(repweights, str):
        cols = [c for c in df.columns if str(c).startswith(repweights)]
        if not cols:
            raise ValueError(f"repweights: no column name starts with {repweights!r}")
        return cols
    if isinstance(repweights, list | tuple) and repweights:
        for c in repweights:
            require_column(df, c, "repweights")
        return list(repweights)
    raise ValueError("repweights: expected the replicate-weight columns or their name prefix")


def _build_rep(df, weight, repweights, *, rep_type=None, rho=None, scale=None, rscales=None,
               mse=None) -> Design:
    """A replicate-weight design (R's ``svrepdesign(..., combined.weights=TRUE)``)."""
    cols = _rep_columns(df, repweights)
    r = len(cols)
    if rep_type not in REP_TYPES:
        raise ValueError(
            f"rep_type: expected one of {', '.join(REP_TYPES)} for the replicate weights, "
            f"got {rep_type!r}"
        )
    if r < 2:
        raise ValueError(f"repweights: {r} replicate column; a replicate design needs at least 2")
    if rep_type == "Fay" and rho is None:
        raise ValueError("rho: rep_type='Fay' needs Fay's rho (e.g. rho=0.5)")
    if rho is not None and rep_type != "Fay":
        raise ValueError(f"rho: only rep_type='Fay' uses rho, not {rep_type!r}")
    if rep_type == "JKn" and rscales is None:
        raise ValueError("rscales: rep_type='JKn' needs rscales ((n_h - 1) / n_h per replicate)")
    if rep_type in ("BRR", "Fay") and scale is not None:
        raise ValueError(f"scale: rep_type={rep_type!r} sets the scale itself")
    if rep_type == "BRR":
        scale = 1 / r
    elif rep_type == "Fay":
        scale = 1 / (r * (1 - float(rho)) ** 2)
    elif rep_type == "bootstrap" and scale is None:
        scale = 1 / (r - 1)
    elif rep_type == "JK1" and scale is None:
        scale = (r - 1) / r  # R: guessing n = the number of replicates
    elif scale is None:
        scale = 1.0
    if rscales is None:
        rs = np.ones(r)
    else:
        rs = np.broadcast_to(np.asarray(rscales, dtype=float), (r,)).copy() if np.ndim(
            rscales) == 0 or len(np.atleast_1d(rscales)) == r else None
        if rs is None:
            raise ValueError(f"rscales: {len(rscales)} values for {r} replicate columns")
    n = len(df)
    w = weights_of(df, weight) if weight is not None else np.ones(n)
    # the factors of every row, hashed twice in one pass over column chunks (the data may be
    # large): rows with equal first hashes form a unit, the second hash confirms it
    rng = np.random.default_rng(20251207)
    key = np.zeros(n)
    check = np.zeros(n)
    chunk = max(1, 4_000_000 // max(n, 1))
    pos = w > 0
    for j in range(0, r, chunk):
        block = np.round(_rep_block(df, cols[j : j + chunk], w, pos), 12)
        g1, g2 = rng.standard_normal(block.shape[1]), rng.standard_normal(block.shape[1])
        for c in range(block.shape[1]):  # column by column: equal rows, bit-equal sums
            key += block[:, c] * g1[c]
            check += block[:, c] * g2[c]
    codes, _ = pd.factorize(key)
    unit = codes.astype(np.intp)
    u = int(unit.max()) + 1 if n else 0
    first = np.full(u, n, dtype=np.intp)
    np.minimum.at(first, unit, np.arange(n))
    if (check != check[first][unit]).any():
        raise DataError("repweights: two rows share a hash but not their replicate factors")
    a = _rep_block(df.iloc[first], cols, w[first], pos[first])
    rep = Replicates(a=a, scale=float(scale), rscales=rs, mse=bool(mse), rep_type=rep_type,
                     columns=tuple(cols), degf=np.nan)
    d = Design(
        w=w, clustered=True, unit=unit, unit_stratum=np.zeros(u, dtype=np.intp),
        n_h=np.array([u]), f_h=np.ones(1), weight=weight, rep=rep,
    )
    present = np.zeros(u, dtype=bool)
    present[unit[pos]] = True
    rep.degf = float(_rank_present(d, present) - 1)
    return d


def _rep_block(df, cols, w, pos) -> np.ndarray:
    """Replicate factors (replicate weight / weight) of ``cols`` for every row."""
    sub = df[cols]
    if all(dt.kind in "fiu" for dt in sub.dtypes):
        raw = sub.to_numpy(dtype=float)
    else:
        raw = sub.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(raw) | (raw < 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise DataError(
            f"column {cols[j]!r}, row {df.index[i]!r}: replicate weight {df[cols[j]].iloc[i]!r} "
            "is not a non-negative number"
        )
    zero = ~pos & (raw > 0).any(axis=1)
    if zero.any():
        i = int(np.flatnonzero(zero)[0])
        raise DataError(
            f"row {df.index[i]!r}: weight 0 but a positive replicate weight; replicate weights "
            "are combined weights (weight x factor), as R's svrepdesign default"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pos[:, None], raw / np.where(pos, w, 1)[:, None], 0.0)


def rep_var(d: Design, theta: np.ndarray, theta_r: np.ndarray) -> np.ndarray:
    """Replicate covariance (R's ``svrVar``) of estimates ``theta`` (B, M) from their replicates
    ``theta_r`` (R, B, M): ``scale * sum_r rscales_r (theta_r - c)(theta_r - c)'``, ``c`` the
    estimate (``mse``) or the mean of the replicates. Replicates giving NaN are left out (R drops
    them with a warning). Returns (B, M, M)."""
    rep = d.rep
    ok = np.isfinite(theta_r).all(axis=2)  # (R, B)
    rs = rep.rscales[:, None] * ok
    x = np.where(ok[:, :, None], theta_r, 0.0)
    if rep.mse:
        c = theta
    else:
        use = (rep.rscales[:, None] > 0) & ok
        with np.errstate(divide="ignore", invalid="ignore"):
            c = (x * use[:, :, None]).sum(axis=0) / use.sum(axis=0)[:, None]
    dev = (x - c[None]) * np.sqrt(rs)[:, :, None]
    dev = np.where(ok[:, :, None], dev, 0.0)
    return rep.scale * np.einsum("rbm,rbn->bmn", dev, dev)


def rep_totals(d: Design, t: np.ndarray) -> np.ndarray:
    """Replicate totals (R, ...) of unit totals ``t`` (U, ...)."""
    if "aT" not in d._cache:  # noqa: SLF001
        d._cache["aT"] = np.ascontiguousarray(d.rep.a.T)  # noqa: SLF001
    flat = np.ascontiguousarray(t).reshape(t.shape[0], -1)
    out = np.einsum("ru,uk->rk", d._cache["aT"], flat)  # noqa: SLF001  (no BLAS threads)
    return out.reshape(d.rep.a.shape[1], *t.shape[1:])


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


def refuse_replicates(d: Design | None, what: str) -> None:
    """A clear error where replicate weights are not supported (never a different number)."""
    if d is not None and d.rep is not None:
        raise ValueError(
            f"repweights: {what} is not available for replicate-weight designs yet (R computes "
            "it from the replicates in its own way); use shares, means or totals, or a Taylor "
            "design (weight=, strata=, cluster=)"
        )


def _rep_degf(d: Design, counts: np.ndarray) -> np.ndarray:
    """Rank of the replicate weights of the rows counted, minus 1 (R's ``degf()`` of a subset of
    a ``svrepdesign``), once per pattern of units present."""
    has = (counts > 0).reshape(counts.shape[0], -1)
    out = np.empty(has.shape[1])
    cache = d._cache.setdefault("rank", {})  # noqa: SLF001
    for j in range(has.shape[1]):
        key = np.packbits(has[:, j]).tobytes()
        if key not in cache:
            cache[key] = float(_rank_present(d, has[:, j]) - 1)
        out[j] = cache[key]
    return out.reshape(counts.shape[1:])


def _rank_present(d: Design, present: np.ndarray) -> int:
    """``rank(a[present])``: with few units absent from the whole design's row space ``V``
    (``a V`` of full column rank ``r``, Gram ``G``), ``r`` minus the eigenvalues 1 of
    ``B G^-1 B'`` over the absent rows ``B`` (an m x m problem); else directly."""
    if "rowspace" not in d._cache:  # noqa: SLF001
        a = d.rep.a
        ev, vec = np.linalg.eigh(np.einsum("ur,us->rs", a, a))  # (small BLAS calls thrash)
        keep = ev > (ev.max() if ev.size else 0) * 1e-10
        r = int(keep.sum())
        av = np.einsum("ur,rs->us", a, vec[:, keep])
        g = np.einsum("ur,us->rs", av, av)
        d._cache["rowspace"] = (av, np.linalg.inv(g) if r else None, r)  # noqa: SLF001
    av, ginv, r = d._cache["rowspace"]  # noqa: SLF001
    absent = ~present
    m, p = int(absent.sum()), int(present.sum())
    if m == 0 or r == 0:
        return r if p else 0
    if m <= p:
        b = av[absent]
        ev = np.linalg.eigvalsh(b @ ginv @ b.T)
        return r - int((ev > 1 - 1e-8).sum())
    if not p:
        return 0
    sub = av[present]
    ev = np.linalg.eigvalsh(np.einsum("ur,us->rs", sub, sub))
    return int((ev > ev.max() * 1e-10).sum())
