"""Design-based intervals and tests, as R's ``survey`` package computes them.

* :func:`ciprop`: ``svyciprop(method=...)`` intervals for a share from its estimate, standard
  error and design degrees of freedom ("logit", "beta" (Korn-Graubard), "mean", "asin",
  "xlogit"; "likelihood" is not available).
* :func:`rao_scott`: ``svychisq(statistic="F")`` (and "Chisq") for an r x c table: Pearson's X^2
  of the weighted table scaled to the number of rows, divided by the trace of the generalised
  design-effect matrix Delta, referred to F(d0, d0 * nu) with ``d0 = tr(Delta)^2 / tr(Delta^2)``.
* :func:`wald_means`: ``regTermTest(svyglm(y ~ group), ~group)`` (method "Wald"): the joint test
  that every domain mean equals the first, F with (G - 1, df - G + 1) degrees of freedom; for two
  groups this is ``svyttest(y ~ group)`` (t^2 = F).
"""

from __future__ import annotations

import numpy as np
from scipy import linalg as sla
from scipy import special as spc
from scipy import stats as sps

from survey_kit.stats._design_rep import rep_totals, rep_var
from survey_kit.stats.design import Design, cov_totals

CI_METHODS = ("logit", "beta", "mean", "asin", "xlogit")


def check_ci_method(method: str | None, design: Design | None) -> str:
    """The share interval of a call: "wilson" without a design, "logit" by default with one."""
    if method is None:
        return "wilson" if design is None else "logit"
    if design is None:
        if method != "wilson":
            raise ValueError(
                f"ci_method: {method!r} needs a design (weight=, strata=, cluster=); "
                "without one the interval is 'wilson'"
            )
        return method
    if method not in CI_METHODS:
        raise ValueError(f"ci_method: expected one of {', '.join(CI_METHODS)}, got {method!r}")
    return method


def _tq(ci: float, df) -> np.ndarray:
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        q = sps.t.isf((1 - ci) / 2, np.where(df > 0, df, np.nan))
    return np.where(np.isinf(df), sps.norm.isf((1 - ci) / 2), q)


def ciprop(p, se, df, nrow, ci: float, method: str = "logit",
           se_logit=None) -> tuple[np.ndarray, np.ndarray]:
    """``svyciprop`` interval of a share ``p`` with standard error ``se``, design df ``df`` and
    ``nrow`` rows in the base (used by "beta" only); ``se_logit``: the standard error of
    ``logit(p)`` when the design gives it directly (replicate weights), else ``se / (p (1 - p))``."""
    if method not in CI_METHODS:
        raise ValueError(f"ci_method: expected one of {', '.join(CI_METHODS)}, got {method!r}")
    p, se = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    t = _tq(ci, df)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method == "mean":
            lo, hi = p - t * se, p + t * se
        elif method in ("logit", "xlogit"):  # xlogit: always the delta method on logit(p)
            if se_logit is None or method == "xlogit":
                s = se / (p * (1 - p))
            else:
                s = np.asarray(se_logit, dtype=float)
            lg = spc.logit(p)
            lo, hi = spc.expit(lg - t * s), spc.expit(lg + t * s)
            edge = ((p == 0) | (p == 1)) & np.isfinite(t)  # R: NA without design df
            lo = np.where(edge, p, lo)
            hi = np.where(edge, p, hi)
        elif method == "asin":
            s = se / (2 * np.sqrt(p * (1 - p)))
            a = np.arcsin(np.sqrt(p))
            lo, hi = np.sin(a - t * s) ** 2, np.sin(a + t * s) ** 2
        else:  # beta: Korn-Graubard with the effective n rescaled to the design df
            alpha = 1 - ci
            neff = p * (1 - p) / se**2
            ratio = sps.t.ppf(alpha / 2, np.asarray(nrow, dtype=float) - 1) / sps.t.ppf(
                alpha / 2, np.where(np.asarray(df) > 0, df, np.nan)
            )
            neff = neff * ratio**2
            lo = sps.beta.ppf(alpha / 2, neff * p, neff * (1 - p) + 1)
            hi = sps.beta.ppf(1 - alpha / 2, neff * p + 1, neff * (1 - p))
            # a share of 0 or 1 has no effective n: R gives (NA, NA)
    bad = ~np.isfinite(p)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def _main_effects(r: int, c: int) -> np.ndarray:
    """Design matrix (cells in row-major order) of the independence model: 1, rows, columns."""
    rows = np.repeat(np.arange(r), c)
    cols = np.tile(np.arange(c), r)
    x = [np.ones(r * c)]
    x += [(rows == i).astype(float) for i in range(1, r)]
    x += [(cols == j).astype(float) for j in range(1, c)]
    return np.column_stack(x)


def rao_scott(
    d: Design, t: np.ndarray, t2: np.ndarray | None, nrow: float, nu: float
) -> dict[str, float]:
    """Rao-Scott corrected Pearson test of an r x c table from unit totals.

    ``t`` is (U, r, c): weighted totals of each cell per unit (PSU, or stratum when rows are the
    PSUs, then ``t2`` holds the squared-weight sums); ``nrow`` the rows in the base (R's ``N``);
    ``nu`` the design df (PSUs minus strata of the rows in the base). Rows or columns with zero
    weight are left out. A table with an empty cell (where R's ``svychisq`` stops with
    "computationally singular") uses the pseudo-inverse: Delta of the estimable contrasts. Returns ``chi2`` (Pearson X^2 on the table scaled to ``nrow``), ``F``,
    ``ndf``, ``ddf``, ``p_val`` (F) and ``p_chisq`` (``statistic="Chisq"``).
    """
    tot = t.sum(axis=0)
    keep_r, keep_c = tot.sum(axis=1) > 0, tot.sum(axis=0) > 0
    if keep_r.sum() < 2 or keep_c.sum() < 2:
        return {
            k: float(v[0]) for k, v in rao_scott_batch(d, t[:, None, :1, :1], None, 1, 0).items()
        }
    t = t[:, keep_r][:, :, keep_c]
    t2 = None if t2 is None else t2[:, keep_r][:, :, keep_c][:, None]
    out = rao_scott_batch(d, t[:, None], t2, np.array([nrow]), nu)
    return {k: float(v[0]) for k, v in out.items()}


def rao_scott_batch(d: Design, t: np.ndarray, t2, nrow, nu) -> dict[str, np.ndarray]:
    """:func:`rao_scott` for a batch of tables of one shape: ``t`` (U, B, r, c), no category
    dropping (NaN where a margin is zero). Values are arrays over the batch."""
    u, b, r, c = t.shape
    k = r * c
    dof = (r - 1) * (c - 1)
    nrow = np.broadcast_to(np.asarray(nrow, dtype=float), (b,))
    nu = np.broadcast_to(np.asarray(nu, dtype=float), (b,))
    if dof == 0:
        nan = np.full(b, np.nan)
        return {
            "chi2": nan,
            "F": nan,
            "ndf": nan,
            "ddf": nan,
            "p_val": nan,
            "p_chisq": nan,
            "dof": np.full(b, dof),
        }
    w = t.sum(axis=(0, 2, 3))  # (B,)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = t.sum(axis=0).reshape(b, k) / w[:, None]
        if d.rep is not None:  # the replicates' own cell proportions (svychisq.svyrep.design)
            tr = rep_totals(d, t.reshape(u, b, k))
            v = rep_var(d, m, tr / tr.sum(axis=2, keepdims=True))
        else:
            s = cov_totals(d, t.reshape(u, b, k), None if t2 is None else t2.reshape(u, b, k))
            j = (np.eye(k)[None] - m[:, :, None]) / w[:, None, None]  # d mean / d totals
            v = j @ s @ j.transpose(0, 2, 1)
        mm = m.reshape(b, r, c)
        e = mm.sum(axis=2)[:, :, None] * mm.sum(axis=1)[:, None, :]
        chi2 = nrow * ((mm - e) ** 2 / e).sum(axis=(1, 2))
        cmat = sla.null_space(_main_effects(r, c).T)  # (k, dof)
        idm = np.where(m > 0, 1 / np.where(m > 0, m, 1), 0.0)  # (B, k)
        cd = cmat[None] * idm[:, :, None]  # D^-1 C
        denom = np.einsum("kd,bke->bde", cmat, cd) / nrow[:, None, None]
        numr = cd.transpose(0, 2, 1) @ v @ cd
        ok = np.isfinite(denom).all(axis=(1, 2)) & np.isfinite(numr).all(axis=(1, 2))
        empty = (m == 0).any(axis=1)  # an empty cell: Delta only on the estimable contrasts
        delta = np.full((b, dof, dof), np.nan)
        solve = ok & ~empty
        if solve.any():
            delta[solve] = np.linalg.solve(denom[solve], numr[solve])
        if (ok & empty).any():  # R's svychisq stops ("computationally singular") here
            delta[ok & empty] = np.linalg.pinv(denom[ok & empty], hermitian=True) @ numr[ok & empty]
        tr = np.trace(delta, axis1=1, axis2=2)
        tr2 = np.trace(delta @ delta, axis1=1, axis2=2)
        d0 = tr * tr / tr2
        f = chi2 / tr
        good = (tr > 0) & (nu > 0)
        p = np.where(good, spc.fdtrc(d0, d0 * nu, f), np.nan)
        pc = np.where(good, spc.chdtrc(dof, chi2 / (tr / dof)), np.nan)
    return {
        "chi2": chi2,
        "F": np.where(good, f, np.nan),
        "ndf": np.where(good, d0, np.nan),
        "ddf": np.where(good, d0 * nu, np.nan),
        "p_val": p,
        "p_chisq": pc,
        "dof": np.full(b, dof),
    }


def wald_means(means: np.ndarray, cov: np.ndarray, df: float) -> dict[str, float]:
    """``regTermTest(svyglm(y ~ g), ~g)``: F = d' V^-1 d / (G - 1) for the differences ``d`` of
    each mean from the first, on (G - 1, df + 1 - G) degrees of freedom (``df``: design df)."""
    g = means.size
    ddf = df + 1 - g
    if g < 2 or not ddf > 0:
        return {"F": np.nan, "t": np.nan, "ndf": g - 1, "ddf": ddf, "p_val": np.nan}
    cm = np.hstack([-np.ones((g - 1, 1)), np.eye(g - 1)])
    diff = cm @ means
    vd = cm @ cov @ cm.T
    try:
        stat = float(diff @ np.linalg.solve(vd, diff)) / (g - 1)
    except np.linalg.LinAlgError:
        return {"F": np.nan, "t": np.nan, "ndf": g - 1, "ddf": ddf, "p_val": np.nan}
    tval = float(diff[0] / np.sqrt(vd[0, 0])) if g == 2 else np.nan
    return {
        "F": stat,
        "t": tval,
        "ndf": g - 1,
        "ddf": ddf,
        "p_val": float(spc.fdtrc(g - 1, ddf, stat)),
    }
