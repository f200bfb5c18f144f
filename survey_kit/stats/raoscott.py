"""Design-based intervals and tests, as R's ``survey`` package computes them.

* :func:`ciprop`: ``svyciprop(method=...)`` intervals for a share from its estimate, standard
  error and design degrees of freedom ("logit", "beta" (Korn-Graubard), "mean", "asin",
  "xlogit", "likelihood": the profile-likelihood interval of ``svyglm(y ~ 1, family =
  quasibinomial)`` as R's ``confint(method="likelihood")`` computes it, see :func:`likelihood_ci`).
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

CI_METHODS = ("logit", "beta", "mean", "asin", "xlogit", "likelihood")


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
    if method == "likelihood" and design.rep is not None:
        raise ValueError(
            "ci_method: 'likelihood' has no interval with replicate weights (R's svyciprop "
            "gives NA there: summary.svrepglm's dispersion keeps the profile short of its "
            "limits); use 'logit' (the default) or 'xlogit'"
        )
    return method


def _tq(ci: float, df) -> np.ndarray:
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        q = sps.t.isf((1 - ci) / 2, np.where(df > 0, df, np.nan))
    return np.where(np.isinf(df), sps.norm.isf((1 - ci) / 2), q)


def ciprop(p, se, df, nrow, ci: float, method: str = "logit",
           se_logit=None, npos=None, replicate: bool = False,
           glm=None) -> tuple[np.ndarray, np.ndarray]:
    """``svyciprop`` interval of a share ``p`` with standard error ``se``, design df ``df`` and
    ``nrow`` rows in the base (used by "beta" and "likelihood"); ``se_logit``: the standard error
    of ``logit(p)`` when the design gives it directly (replicate weights), else
    ``se / (p (1 - p))``; ``npos`` (rows with a positive weight), ``replicate`` (a replicate
    design) and ``glm`` (R's IRLS fit, :func:`glm_intercepts`) for "likelihood"."""
    if method not in CI_METHODS:
        raise ValueError(f"ci_method: expected one of {', '.join(CI_METHODS)}, got {method!r}")
    p, se = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    if method == "likelihood":
        with np.errstate(divide="ignore", invalid="ignore"):
            s = se_logit if se_logit is not None else se / (p * (1 - p))
        return likelihood_ci(p, s, df, nrow, nrow if npos is None else npos, ci, replicate, glm)
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


# -- svyciprop(method="likelihood") ----------------------------------------------------------------
def likelihood_ci(p, se_logit, df, nrow, npos, ci: float, replicate: bool, glm=None):
    """R's ``svyciprop(method="likelihood")``: ``confint(svyglm(y ~ 1, design, family =
    quasibinomial), method="likelihood", ddf=degf(design))``, computed as R does it
    (``survey:::MASSprofile_glm`` and ``confint_profile``), element-wise.

    The glm's weights are rescaled to mean 1 over the ``nrow`` rows of the base; its intercept
    ``b0`` and naive variance are those of R's IRLS (``glm``: :func:`glm_intercepts`, given as
    ``glm=(b0, naive)``; without it the exact maximum). The deviance at ``mu`` exceeds its
    minimum by ``2 nrow KL(p, mu)``; R divides this by the design's dispersion (``summary.svyglm``:
    the design variance of the Pearson residuals, ``npos / (npos - 1)`` for a share;
    ``summary.svrepglm``: ``nrow`` times their weighted mean square), profiles the intercept in
    steps of ``zmax / 5`` standard errors (``zmax`` from ``F(1, nrow - 1)`` at the level scaled by
    the design effect ``lambda`` of the coefficient), interpolates the signed root with an FMM
    cubic spline (``spline()``) and reads the limits at ``qt`` times ``sqrt(lambda)`` by linear
    interpolation (``approx()``). A share of 0 or 1, or no design df, has no interval (NA; R
    stops there).
    """
    shape = np.shape(p)
    b0, naive = (np.nan, np.nan) if glm is None else glm
    arrs = [np.broadcast_to(np.asarray(a, dtype=float), shape).ravel()
            for a in (p, se_logit, df, nrow, npos, b0, naive)]
    lo, hi = np.full(arrs[0].size, np.nan), np.full(arrs[0].size, np.nan)
    for i, vals in enumerate(zip(*arrs, strict=True)):
        lo[i], hi[i] = _likelihood_one(*vals, ci, replicate)
    return lo.reshape(shape), hi.reshape(shape)


def _likelihood_one(p, se_b, ddf, n, npos, b0, naive, level, replicate):
    if not (np.isfinite(p) and 0 < p < 1 and np.isfinite(se_b) and se_b > 0 and n > 1):
        return np.nan, np.nan
    if not ddf > 0:  # R: "zero or negative denominator df"
        return np.nan, np.nan
    if not np.isfinite(b0):
        b0, naive = spc.logit(p), 1 / (n * p * (1 - p))
    mu0 = spc.expit(b0)
    v0 = mu0 * (1 - mu0)
    if not replicate:  # svy.varcoef: the influence of the fitted mu0
        se_b = se_b * p * (1 - p) / v0
    lam = se_b**2 / naive
    if np.isinf(ddf):
        alpha = sps.norm.cdf(sps.norm.ppf((1 - level) / 2) * np.sqrt(lam)) / 2
    else:
        alpha = sps.norm.cdf(sps.t.ppf((1 - level) / 2, ddf) * np.sqrt(lam)) / 2
    zmax = np.sqrt(sps.f.isf(alpha, 1, n - 1))
    if replicate:
        dispersion = n * (p * (1 - mu0) ** 2 + (1 - p) * mu0**2) / v0
    else:
        dispersion = npos / (npos - 1) * p * (1 - p) / v0 if npos > 1 else np.nan
    if not np.isfinite(dispersion):
        return np.nan, np.nan
    delta = zmax / 5

    def dev(mu):  # deviance above the fit's
        return 2 * n * (p * np.log(mu0 / mu) + (1 - p) * np.log((1 - mu0) / (1 - mu)))

    bs, zs = [b0], [0.0]
    for sgn in (-1, 1):
        step, z = 0, 0.0
        while (step := step + 1) < 10 and abs(z) < zmax:
            bi = b0 + sgn * step * delta * se_b
            zz = dev(spc.expit(bi)) / dispersion
            if zz < -0.001:  # R: "profiling has found a better solution"
                return np.nan, np.nan
            z = sgn * np.sqrt(max(zz, 0.0))
            bs.append(bi)
            zs.append(z)
    order = np.argsort(np.asarray(zs), kind="stable")
    x, y = np.asarray(bs)[order], np.asarray(zs)[order]
    sx, sy = _spline_fmm(x, y, 3 * x.size)
    cut = sps.norm.ppf(2 * alpha)
    lims = _approx(sy, sx, np.array([cut, -cut]))
    return float(spc.expit(lims[0])), float(spc.expit(lims[1]))


def glm_intercepts(w: np.ndarray, y: np.ndarray, masks) -> tuple[np.ndarray, np.ndarray]:
    """``glm(y ~ 1, weights = w / mean(w), family = quasibinomial)`` on the rows of each mask, by
    R's IRLS (``glm.fit``: start ``(W y + 0.5) / (W + 1)``, convergence when the deviance changes
    by less than 1e-8 relative): (intercept, naive variance ``(X'WX)^-1`` of the last iteration)
    per mask. The likelihood interval of ``svyciprop`` depends on both."""
    out_b, out_v = [], []
    for m in masks:
        wm = w[m]
        ym = y[m].astype(float)
        n = wm.size
        if n == 0 or not wm.sum() > 0:
            out_b.append(np.nan)
            out_v.append(np.nan)
            continue
        ww = wm / wm.mean()
        p = float(np.sum(ww * ym)) / float(np.sum(ww))
        s1 = p * n  # sum W y
        with np.errstate(divide="ignore", invalid="ignore"):
            mu = (ww * ym + 0.5) / (ww + 1)
            good = ww > 0
            dev_old = -2 * np.sum(ww * np.where(ym > 0, np.log(mu), np.log1p(-mu)))
            eta = spc.logit(mu)
            v = mu * (1 - mu)
            wv = (ww * v)[good]
            z = (eta + (ym - mu) / v)[good]
            b = float(np.sum(wv * z) / np.sum(wv))
            naive = 1 / float(np.sum(wv))
        for _ in range(25):
            mu1 = spc.expit(b)
            dev = -2 * (s1 * np.log(mu1) + (n - s1) * np.log1p(-mu1))
            if abs(dev - dev_old) / (abs(dev) + 0.1) < 1e-8:
                break
            dev_old = dev
            v1 = mu1 * (1 - mu1)
            naive = 1 / (n * v1)
            b = b + (p - mu1) / v1
        out_b.append(b)
        out_v.append(naive)
    return np.asarray(out_b), np.asarray(out_v)


def _regularize(x, y):
    """R's ``regularize.values(x, y, ties = mean)``: sorted by x, tied x averaged."""
    o = np.argsort(x, kind="stable")
    x, y = x[o], y[o]
    ux, inv = np.unique(x, return_inverse=True)
    if ux.size == x.size:
        return x, y
    return ux, np.bincount(inv, weights=y) / np.bincount(inv)


def _spline_fmm(x, y, n_out):
    """R's ``spline(x, y, n = n_out, method = "fmm")`` (Forsythe, Malcolm and Moler; the C code
    ``fmm_spline`` and ``spline_eval`` of R's stats package)."""
    x, y = _regularize(np.asarray(x, float), np.asarray(y, float))
    n = x.size
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    if n < 3:
        b[:] = (y[1] - y[0]) / (x[1] - x[0])
    else:
        d[0] = x[1] - x[0]
        c[1] = (y[1] - y[0]) / d[0]
        for i in range(1, n - 1):
            d[i] = x[i + 1] - x[i]
            b[i] = 2.0 * (d[i - 1] + d[i])
            c[i + 1] = (y[i + 1] - y[i]) / d[i]
            c[i] = c[i + 1] - c[i]
        b[0], b[n - 1] = -d[0], -d[n - 2]
        c[0] = c[n - 1] = 0.0
        if n > 3:
            c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
            c[n - 1] = c[n - 2] / (x[n - 1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
            c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
            c[n - 1] = -c[n - 1] * d[n - 2] * d[n - 2] / (x[n - 1] - x[n - 4])
        for i in range(1, n):
            t = d[i - 1] / b[i - 1]
            b[i] = b[i] - t * d[i - 1]
            c[i] = c[i] - t * c[i - 1]
        c[n - 1] = c[n - 1] / b[n - 1]
        for i in range(n - 2, -1, -1):
            c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
        b[n - 1] = (y[n - 1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[n - 1])
        for i in range(n - 1):
            b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
            d[i] = (c[i + 1] - c[i]) / d[i]
            c[i] = 3.0 * c[i]
        c[n - 1] = 3.0 * c[n - 1]
        d[n - 1] = d[n - 2]
    u = x[0] + np.arange(n_out) * ((x[-1] - x[0]) / (n_out - 1))
    u[-1] = x[-1]
    i = np.clip(np.searchsorted(x, u, side="right") - 1, 0, n - 1)
    dx = u - x[i]
    return u, y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]))


def _approx(x, y, xout):
    """R's ``approx(x, y, xout)`` (linear, ``rule = 1``: NA outside the range; ties averaged)."""
    x, y = _regularize(np.asarray(x, float), np.asarray(y, float))
    out = np.full(xout.size, np.nan)
    for k, v in enumerate(xout):
        if not (x[0] <= v <= x[-1]) or np.isnan(v):
            continue
        j = int(np.searchsorted(x, v, side="left"))
        if x[j] == v:
            out[k] = y[j]
            continue
        i = j - 1
        out[k] = y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i]))
    return out


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
