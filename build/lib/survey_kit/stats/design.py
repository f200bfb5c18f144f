"""A sampling design as data: weights, strata, clusters (PSUs) and finite population correction.

A :class:`Design` is resolved once per call from ``weight=``, ``strata=``, ``cluster=`` and
``fpc=`` (column names), or from the codebook's ``design:`` block when none of them is given.
Without any of them there is no design and the statistics keep their census/SRS formulas.

Variance estimation follows R's ``survey`` package (``svydesign(ids=~cluster, strata=~strata,
weights=~weight, fpc=~fpc, nest=TRUE)``, one stage, ``options(survey.lonely.psu = "adjust")``):
every estimate is a ratio of weighted cell totals, linearised (Taylor), and the design covariance
of the cell totals is

``sum_h f_h n_h / (n_h - 1) * sum_{i in h} (t_hi - tbar_h)(t_hi - tbar_h)'``

over the PSUs ``i`` of stratum ``h`` (``n_h`` PSUs in the whole design, ``f_h = 1 - n_h / N_h``);
a stratum with a single PSU contributes ``f_h t_hi t_hi'`` (not centred: R's "adjust"). Domains
(groups) are estimated as ``svyby`` does: rows outside the domain count as zeros, the PSU count
of the full design is kept. Without ``cluster`` every row is its own PSU.

Design degrees of freedom (``df``) are R's ``degf()``: PSUs minus strata among the rows with a
positive weight in the base of the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook
from survey_kit.errors import DataError
from survey_kit.stats._common import Groups, require_column, weights_of


@dataclass
class Design:
    """A resolved one-stage stratified cluster design (arrays aligned with the data rows)."""

    w: np.ndarray  # weight of every row (1 without a weight column)
    clustered: bool  # False: every row is its own PSU (units are the strata)
    unit: np.ndarray  # per row: PSU index (clustered) or stratum index (not clustered)
    unit_stratum: np.ndarray  # (U,) stratum of each unit; units are sorted by stratum
    n_h: np.ndarray  # (H,) PSUs (rows when not clustered) per stratum in the whole design
    f_h: np.ndarray  # (H,) 1 - n_h / N_h (1 without fpc)
    weight: str | None = None
    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def n_units(self) -> int:
        return int(self.unit_stratum.size)

    @property
    def n_strata(self) -> int:
        return int(self.n_h.size)

    @property
    def starts(self) -> np.ndarray:
        """First unit of every stratum (units are sorted by stratum)."""
        if "starts" not in self._cache:
            counts = np.bincount(self.unit_stratum, minlength=self.n_h.size)
            self._cache["starts"] = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        return self._cache["starts"]

    @property
    def scale_h(self) -> np.ndarray:
        """``f_h n_h / (n_h - 1)``; ``f_h`` for a stratum with a single PSU."""
        if "scale" not in self._cache:
            n = self.n_h.astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                self._cache["scale"] = np.where(n > 1, self.f_h * n / (n - 1), self.f_h)
        return self._cache["scale"]

    @property
    def center_h(self) -> np.ndarray:
        """``1 / n_h`` (centring at the stratum mean); 0 for a lonely PSU ("adjust")."""
        if "center" not in self._cache:
            n = self.n_h.astype(float)
            self._cache["center"] = np.where(n > 1, 1 / np.maximum(n, 1), 0.0)
        return self._cache["center"]

    @property
    def w2(self) -> np.ndarray:
        if "w2" not in self._cache:
            self._cache["w2"] = self.w * self.w
        return self._cache["w2"]

    @property
    def has_zero_weights(self) -> bool:
        if "zero" not in self._cache:
            self._cache["zero"] = bool((self.w == 0).any())
        return self._cache["zero"]

    @property
    def wpos(self) -> np.ndarray:
        if "wpos" not in self._cache:
            self._cache["wpos"] = (self.w > 0).astype(float)
        return self._cache["wpos"]

    def describe(self) -> str:
        """The design in one Danish sentence (for method sections of reports)."""
        parts = [f"vægt {self.weight!r}" if self.weight else "ingen vægt"]
        if self.strata:
            parts.append(f"strata {self.strata!r} ({self.n_strata})")
        if self.cluster:
            parts.append(f"klynger (PSU) {self.cluster!r} ({self.n_units})")
        if self.fpc:
            parts.append(f"endelighedskorrektion {self.fpc!r}")
        return (
            "Designbaseret analyse (Taylor-linearisering, som R's survey-pakke): "
            + ", ".join(parts)
            + "."
        )


def _codes(df: pd.DataFrame, column: str, name: str) -> np.ndarray:
    require_column(df, column, name)
    s = df[column]
    na = s.isna().to_numpy()
    if na.any():
        i = int(np.flatnonzero(na)[0])
        raise DataError(
            f"column {column!r}, row {df.index[i]!r}: blank {name}; every row needs one"
        )
    codes, _ = pd.factorize(s, sort=True)
    return codes.astype(np.intp)


def resolve_design(
    df: pd.DataFrame,
    codebook: Codebook | None,
    *,
    weight: str | None = None,
    strata: str | None = None,
    cluster: str | None = None,
    fpc: str | None = None,
) -> Design | None:
    """The design of a call: the arguments, else the codebook's ``design:`` block, else None.

    Raises :class:`DataError` for blank strata/PSUs, negative weights or an fpc that varies within
    a stratum or is smaller than the sample.
    """
    for name, v in (("weight", weight), ("strata", strata), ("cluster", cluster), ("fpc", fpc)):
        if v is not None and not isinstance(v, str):
            raise ValueError(f"{name}: expected a column name")
    if weight is None and strata is None and cluster is None and fpc is None:
        block = getattr(codebook, "design", None) if codebook is not None else None
        if block is None:
            return None
        weight, strata, cluster, fpc = block.weight, block.strata, block.cluster, block.fpc
        for name, v in (("weight", weight), ("strata", strata), ("cluster", cluster)):
            if v is not None and v not in df.columns:
                raise ValueError(f"codebook design: {name} column {v!r} is not in the data")
        if weight is None and strata is None and cluster is None and fpc is None:
            return None
    n = len(df)
    w = weights_of(df, weight) if weight is not None else np.ones(n)
    h = _codes(df, strata, "strata") if strata is not None else np.zeros(n, dtype=np.intp)
    n_strata = int(h.max()) + 1 if n else 1
    if cluster is not None:
        c = _codes(df, cluster, "cluster")
        # nested PSUs: (stratum, cluster) pairs, numbered in stratum order
        pair = h.astype(np.int64) * (int(c.max()) + 1 if n else 1) + c
        uniq, unit = np.unique(pair, return_inverse=True)
        unit_stratum = (uniq // (int(c.max()) + 1 if n else 1)).astype(np.intp)
        n_h = np.bincount(unit_stratum, minlength=n_strata)
        unit = unit.astype(np.intp)
    else:
        unit = h
        unit_stratum = np.arange(n_strata, dtype=np.intp)
        n_h = np.bincount(h, minlength=n_strata)
    f_h = np.ones(n_strata)
    if fpc is not None:
        require_column(df, fpc, "fpc")
        pop = pd.to_numeric(df[fpc], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = np.flatnonzero(~np.isfinite(pop) | (pop <= 0))
        if bad.size:
            raise DataError(
                f"column {fpc!r}, row {df.index[bad[0]]!r}: population size "
                f"{df[fpc].iloc[bad[0]]!r} is not a positive number"
            )
        lo = np.full(n_strata, np.inf)
        hi = np.full(n_strata, -np.inf)
        np.minimum.at(lo, h, pop)
        np.maximum.at(hi, h, pop)
        varies = np.flatnonzero(lo != hi)
        if varies.size:
            raise DataError(f"column {fpc!r}: the population size varies within a stratum")
        big = np.where(lo <= 1, n_h / lo, lo)  # R: values <= 1 are sampling fractions
        if (big < n_h - 1e-9).any():
            s = int(np.flatnonzero(big < n_h - 1e-9)[0])
            raise DataError(
                f"column {fpc!r}: stratum {s + 1} has {int(n_h[s])} sampled units but a "
                f"population of only {big[s]:g}"
            )
        f_h = np.where(np.isinf(big), 1.0, (big - n_h) / big)
    return Design(
        w=w,
        clustered=cluster is not None,
        unit=unit,
        unit_stratum=unit_stratum,
        n_h=n_h,
        f_h=f_h,
        weight=weight,
        strata=strata,
        cluster=cluster,
        fpc=fpc,
    )


# -- tables per unit -------------------------------------------------------------------------------
def unit_groups(groups: Groups, d: Design) -> Groups:
    """A :class:`Groups` over unit x group (reused by every item of a call)."""
    key = ("ug", id(groups))
    if key not in d._cache:  # noqa: SLF001
        g1 = groups.n_groups + 1
        idx = d.unit * g1 + groups.index
        d._cache[key] = Groups(idx, [None] * (d.n_units * g1 - 1), [], "design")  # noqa: SLF001
    return d._cache[key]  # noqa: SLF001


def design_weights(d: Design) -> tuple:
    """The weights counted per unit x group x code: None (counts), w, and when rows are the PSUs
    w^2 (second moments) and the positive-weight indicator (only when some weight is 0)."""
    ws: list = [None, d.w]
    if not d.clustered:
        ws.append(d.w2)
    if d.has_zero_weights:
        ws.append(d.wpos)
    return tuple(ws)


def split_tables(tabs: list[np.ndarray], d: Design, g1: int) -> dict[str, np.ndarray | None]:
    """Tables from :func:`~survey_kit.stats._common.tabulate` over :func:`unit_groups`, reshaped
    to (U, g1, k): ``n`` counts, ``t`` weight sums, ``t2`` squared-weight sums (rows as PSUs),
    ``npos`` positive-weight counts."""
    u = d.n_units

    def r(a):
        return a.reshape(u, g1, a.shape[-1])

    out = {"n": r(tabs[0]), "t": r(tabs[1]), "t2": None}
    i = 2
    if not d.clustered:
        out["t2"] = r(tabs[2])
        i = 3
    out["npos"] = r(tabs[i]) if len(tabs) > i else out["n"]
    return out


# -- covariance of cell totals ----------------------------------------------------------------------
def cov_totals(d: Design, t: np.ndarray, t2: np.ndarray | None) -> np.ndarray:
    """Design covariance of cell totals, batched: ``t`` is (U, B, K) unit totals; ``t2`` (rows
    as PSUs only) the within-stratum second moments, (U, B, K) when every row lies in one cell or
    (U, B, K, K). Returns (B, K, K)."""
    c = d.scale_h
    if d.clustered:
        # centre each PSU at its stratum mean (lonely PSUs: not centred), scale, cross product
        th = np.add.reduceat(t, d.starts, axis=0) if d.n_units else t
        us = d.unit_stratum
        x = (t - (d.center_h[us])[:, None, None] * th[us]) * np.sqrt(c[us])[:, None, None]
        xb = np.ascontiguousarray(x.transpose(1, 0, 2))  # (B, U, K)
        return np.matmul(xb.transpose(0, 2, 1), xb)
    if t2.ndim == t.ndim:
        diag = np.tensordot(c, t2, axes=1)  # (B, K)
        k = diag.shape[-1]
        s = np.zeros((*diag.shape, k))
        s[:, np.arange(k), np.arange(k)] = diag
    else:
        s = np.tensordot(c, t2, axes=1)
    y = np.ascontiguousarray((t * np.sqrt(c * d.center_h)[:, None, None]).transpose(1, 0, 2))
    return s - np.matmul(y.transpose(0, 2, 1), y)


def degf(d: Design, counts: np.ndarray) -> np.ndarray:
    """PSUs minus strata among the rows counted in ``counts`` ((U, ...) per unit, e.g. positive-
    weight rows in the base of each estimate): R's ``degf()`` of the domain."""
    if d.clustered:
        has = counts > 0
        psu = has.sum(axis=0)
        strata = (np.add.reduceat(has, d.starts, axis=0) > 0).sum(axis=0)
    else:
        psu = counts.sum(axis=0)
        strata = (counts > 0).sum(axis=0)
    return (psu - strata).astype(float)


def domain_stats(
    d: Design, tabs: dict, sel: np.ndarray, values: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Shares (``values`` None) or means of the codes ``values`` per domain, from unit tables.

    ``tabs`` holds (U, D, k) tables of the domains (rows: published groups and the total);
    ``sel`` picks the base columns (answer codes). Returns per domain (x code for shares):
    ``value``, ``se``, ``deff`` (R's ``deff="replace"``), ``df``, ``nrow`` (rows in the base),
    ``wsum``.
    """
    t = tabs["t"][:, :, sel]
    t2 = None if tabs["t2"] is None else tabs["t2"][:, :, sel]
    s = cov_totals(d, t, t2)  # (D, k, k)
    tot = t.sum(axis=0)  # (D, k)
    wd = tot.sum(axis=1)  # (D,)
    nrow = tabs["n"][:, :, sel].sum(axis=(0, 2))
    npos = tabs["npos"][:, :, sel]
    nobs = npos.sum(axis=(0, 2))
    df = degf(d, npos.sum(axis=2))
    with np.errstate(divide="ignore", invalid="ignore"):
        if values is None:
            p = tot / wd[:, None]
            rs = s.sum(axis=2)
            all_ = s.sum(axis=(1, 2))
            diag = np.diagonal(s, axis1=1, axis2=2)
            var = (diag - 2 * p * rs + p**2 * all_[:, None]) / wd[:, None] ** 2
            popvar = p * (1 - p)
        else:
            m = tot @ values / wd
            j = values[None, :] - m[:, None]  # (D, k)
            var = np.einsum("dk,dkl,dl->d", j, s, j) / wd**2
            p = m
            popvar = (tot * j**2).sum(axis=1) / wd
        n_ = nobs if values is not None else nobs[:, None]
        vsrs = popvar * n_ / (n_ - 1) / n_
        se = np.sqrt(np.maximum(var, 0))
        deff = np.where(vsrs > 0, var / vsrs, np.nan)
    return {"value": p, "se": se, "deff": deff, "df": df, "nrow": nrow, "wsum": wd}


def domain_tables(tabs: dict, groups: Groups) -> dict:
    """Unit tables (U, g1, k) -> (U, D, k) with the published domains: each group, then the total
    over every row (also rows in no group); unchanged without ``by``."""
    if groups.by is None:
        return tabs

    def dom(a):
        if a is None:
            return None
        return np.concatenate([a[:, :-1], a.sum(axis=1, keepdims=True)], axis=1)

    return {k: dom(v) for k, v in tabs.items()}


def tabulate_design(df: pd.DataFrame, spec, groups: Groups, d: Design):
    """:func:`~survey_kit.stats._common.tabulate` per unit: (spec, tables of :func:`split_tables`)."""
    from survey_kit.stats._common import tabulate

    spec, tabs = tabulate(df, spec, unit_groups(groups, d), design_weights(d))
    return spec, split_tables(tabs, d, groups.n_groups + 1)
