"""The variance of replicate-weight designs (R's ``svrepdesign``): the replicate columns, their
totals and R's ``svrVar``; the designs are built in :mod:`survey_kit.stats.design` and jackknife
weights of a Taylor design made in :mod:`survey_kit.stats.replicates`.

Rows whose replicate weights are the same multiples ("factors") of their weight form one unit, so
the per-unit tables of the Taylor path serve here too: the replicate totals are ``a' t``
(:func:`rep_totals`), every ratio is computed per replicate and combined as R's ``svrVar``
(:func:`rep_var`), and ``df`` is the rank of the domain's replicate weights minus 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from survey_kit.errors import DataError
from survey_kit.stats._common import require_column

if TYPE_CHECKING:
    from survey_kit.stats.design import Design


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
