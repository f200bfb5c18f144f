"""Design-based medians for :func:`survey_kit.stats.compare` (``stat="median"`` with a design).

As R's ``svyquantile(~x, subset(design, domain), 0.5, ci=TRUE)`` (survey >= 4.1 defaults):
the estimate is ``qrule="math"``, the smallest value whose weighted cumulative share reaches 0.5;
the interval is Woodruff's (``interval.type="mean"``): the design-based interval of the share
``p = F(median)`` of the domain, ``p -/+ t(df) se``, mapped back through the same quantile rule
(NaN where it leaves [0, 1]). ``se`` is R's: the interval width / (2 t).

Tests: R's ``svyranktest`` (Wilcoxon / Kruskal-Wallis scores): every row of the base gets the
rank score ``r = (cumulative weight up to it - w / 2) / sum w`` in the order of the values
(stable), averaged over tied values (R's ``ave``: an unweighted mean over the tied rows), and the
design t (two groups, df - 1) or Wald F (df - G + 1) compares the domain means of ``r``;
``test`` is "design_wilcoxon" or "design_kruskal_wallis". Each group against the rest: the same on
the two domains, ranks over every row with a value.

Replicate designs: the same median and Woodruff interval (``svyquantile.svyrep.design``'s default
``interval.type="mean"``, the replicate SE of the share), and R's ``svyranktest.svyrep.design``
for two groups (:func:`_rep_rank_t`); across more groups R stops, so no test is given.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats as sps

from survey_kit.stats._common import Groups, numeric_values
from survey_kit.stats._design_compare import design_result
from survey_kit.stats.design import Design, domain_stats, domain_tables, tabulate_design
from survey_kit.stats.raoscott import _tq


def _math_rule(
    values: np.ndarray, wcum: np.ndarray, total: float, p, first_single: bool = True
) -> np.ndarray:
    """R's ``qrule_math``: the smallest value with cumulative weight >= p * total; NaN for p
    outside [0, 1] or NaN.

    A cumulative weight equal to ``p * total`` up to rounding (relative 1e-12) counts as reaching
    it (R accumulates in extended precision and finds exact ties, e.g. equal weights and an even
    n). R's quirk is kept: when ``p * total`` lies below the weight of the first row, the value
    of the second row is returned (``first_single``: the first value holds a single row).
    """
    p = np.asarray(p, dtype=float)
    ok = np.isfinite(p) & (p >= 0) & (p <= 1)
    target = np.where(ok, p, 0) * total
    idx = np.searchsorted(wcum, target * (1 - 1e-12), side="left")
    if first_single:
        below_first = (idx == 0) & (wcum[0] > target * (1 + 1e-12))
        idx = np.where(below_first, 1, idx)
    idx = np.minimum(idx, values.size - 1)
    return np.where(ok, values[idx], np.nan)


def _coded(df, spec, groups: Groups, d: Design, ci: float):
    spec, tabs = tabulate_design(df, spec, groups, d)
    nv = len(spec.values)
    cv = np.array(list(spec.values), dtype=float)
    order = np.argsort(cv, kind="stable")
    cv = cv[order]
    tabs = {k: None if v is None else v[:, :, :nv][:, :, order] for k, v in tabs.items()}
    dom = domain_tables(tabs, groups)
    wt = dom["t"].sum(axis=0)  # (D, k)
    npos = dom["npos"].sum(axis=0)
    nd = wt.shape[0]
    # per domain: the values with positive weight (R drops zero weights before the rule)
    rules = []
    for i in range(nd):
        used = wt[i] > 0
        if not used.any():
            rules.append(None)
            continue
        rules.append((cv[used], np.cumsum(wt[i][used]), wt[i][used].sum(), npos[i][used][0] == 1))

    def rule(i, p):
        r = rules[i]
        return np.nan if r is None else float(_math_rule(r[0], r[1], r[2], p, r[3]))

    med = np.array([rule(i, 0.5) for i in range(nd)], dtype=float)
    # cells x <= median / x > median per unit and domain
    le = cv[None, :] <= med[:, None]  # (D, k)

    def two(a):
        if a is None:
            return None
        return np.stack([(a * le[None]).sum(axis=2), (a * ~le[None]).sum(axis=2)], axis=2)

    st = domain_stats(d, {k: two(v) for k, v in dom.items()}, np.array([0, 1]))
    n = dom["n"].sum(axis=(0, 2))
    lo, hi = [], []
    half = _tq(ci, st["df"]) * st["se"][:, 0]
    for i in range(nd):
        pl, pu = st["value"][i, 0] - half[i], st["value"][i, 0] + half[i]
        lo.append(rule(i, pl) if pl >= 0 else np.nan)
        hi.append(rule(i, pu) if pu <= 1 else np.nan)
    return n, med, np.array(lo, dtype=float), np.array(hi, dtype=float), st["df"]


def _numeric(df, spec, groups: Groups, d: Design, ci: float):
    x = numeric_values(df[spec.column], spec)
    valid = ~np.isnan(x)
    g = groups.n_groups
    doms = [groups.index == j for j in range(g)] + [np.ones(len(x), dtype=bool)]
    if groups.by is None:
        doms = doms[-1:]
    u = d.n_units
    out = []
    for dm in doms:
        rows = dm & valid
        xs, ws = x[rows], d.w[rows]
        keep = ws > 0
        order = np.argsort(xs[keep], kind="stable")
        vals, wcum = xs[keep][order], np.cumsum(ws[keep][order])
        if vals.size == 0:
            out.append((int(rows.sum()), np.nan, np.nan, np.nan, np.nan))
            continue
        total = wcum[-1]
        med = float(_math_rule(vals, wcum, total, 0.5))
        cell = np.where(rows, np.where(x <= med, 0, 1), 2)

        def tab(weights, cell=cell):
            return np.bincount(d.unit * 3 + cell, weights=weights, minlength=u * 3).reshape(u, 1, 3)

        tabs = {"n": tab(None), "t": tab(d.w), "t2": None if d.clustered else tab(d.w2)}
        tabs["npos"] = tab(d.wpos) if d.has_zero_weights else tabs["n"]
        st = domain_stats(d, tabs, np.array([0, 1]))
        half = float(_tq(ci, st["df"])[0] * st["se"][0, 0])
        p = st["value"][0, 0]
        lo = float(_math_rule(vals, wcum, total, p - half)) if p - half >= 0 else np.nan
        hi = float(_math_rule(vals, wcum, total, p + half)) if p + half <= 1 else np.nan
        out.append((int(rows.sum()), med, lo, hi, float(st["df"][0])))
    n, med, lo, hi, dfree = (np.array(v, dtype=float) for v in zip(*out, strict=True))
    return n.astype(np.int64), med, lo, hi, dfree


def rank_scores(x: np.ndarray, w: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """R ``svyranktest`` rank scores of the ``rows`` (NaN elsewhere)."""
    idx = np.flatnonzero(rows)
    out = np.full(x.size, np.nan)
    if idx.size == 0:
        return out
    xs, ws = x[idx], w[idx]
    order = np.argsort(xs, kind="stable")
    cw = np.cumsum(ws[order]) - ws[order] / 2
    _, inv = np.unique(xs[order], return_inverse=True)
    avg = np.bincount(inv, weights=cw) / np.bincount(inv)
    r = np.empty(idx.size)
    r[order] = avg[inv]
    out[idx] = r / ws.sum()
    return out


def _rank_tests(df, spec, groups: Groups, d: Design, n: np.ndarray, mn: int):
    """(p, test, vs_total p, direction) of the design rank tests."""
    from survey_kit.stats._design_compare import _means_cov, value_tables
    from survey_kit.stats.design import degf
    from survey_kit.stats.raoscott import wald_means

    g = groups.n_groups
    x = numeric_values(df[spec.column], spec)
    valid = ~np.isnan(x)
    vs_p = np.full(g + 1, np.nan)
    direction = np.zeros(g + 1)
    p, test = np.nan, ""
    wsum = np.bincount(groups.index[valid], weights=d.w[valid], minlength=g + 1)[:g]
    ok = np.flatnonzero((n[:g] >= mn) & (n[:g] >= 2) & (wsum > 0))
    if d.rep is not None:
        return _rep_rank_tests(x, valid, groups, d, n, mn, ok, wsum)
    if ok.size >= 2:
        r = rank_scores(x, d.w, valid & np.isin(groups.index, ok))
        tabs = value_tables(r, groups, d)
        t = tabs["t"][:, :, :2][:, None, ok]
        q = None if tabs["t2"] is None else tabs["t2"][:, None, ok]
        m, v = _means_cov(d, t, q, None)
        p = wald_means(m[0], v[0], float(degf(d, tabs["npos"][:, ok].sum(axis=1))))["p_val"]
        test = "design_wilcoxon" if ok.size == 2 else "design_kruskal_wallis"
    el = np.flatnonzero((n[:g] >= mn) & (n[:g] >= 2) & (n[g] - n[:g] >= 2) & (wsum > 0))
    if el.size:
        r = rank_scores(x, d.w, valid)
        tabs = value_tables(r, groups, d)
        gt = tabs["t"][:, :, :2]
        gq = tabs["t2"]
        tot_t = gt.sum(axis=1)
        tt = np.stack([gt[:, el], tot_t[:, None] - gt[:, el]], axis=2)
        qq = None
        if gq is not None:
            qq = np.stack([gq[:, el], gq.sum(axis=1)[:, None] - gq[:, el]], axis=2)
        m, v = _means_cov(d, tt, qq, None)
        nu = float(degf(d, tabs["npos"].sum(axis=1)))
        with np.errstate(divide="ignore", invalid="ignore"):
            tstat = (m[:, 0] - m[:, 1]) / np.sqrt(v[:, 0, 0] + v[:, 1, 1] - 2 * v[:, 0, 1])
        vs_p[el] = 2 * sps.t.sf(np.abs(tstat), nu - 1) if nu > 1 else np.nan
        direction[el] = np.sign(m[:, 0] - m[:, 1])
    return p, test, vs_p, direction


def _rep_rank_tests(x, valid, groups: Groups, d: Design, n, mn: int, ok, wsum):
    """The rank tests on replicate weights, as R's ``svyranktest.svyrep.design``: two groups
    only (R's test across more groups, ``multiranktest``, stops on replicate designs, so none is
    given, with a warning); each group against the rest likewise."""
    g = groups.n_groups
    vs_p = np.full(g + 1, np.nan)
    direction = np.zeros(g + 1)
    p, test = np.nan, ""
    if ok.size == 2:
        rows = valid & np.isin(groups.index, ok)
        p, _ = _rep_rank_t(x, rows, groups.index == ok[1], d)
        test = "design_wilcoxon"
    elif ok.size > 2:
        warnings.warn(
            f"stat='median' by {groups.by!r}: no rank test across {ok.size} groups with replicate "
            "weights (R's svyranktest stops there); the medians are given, each group against "
            "the rest is tested", UserWarning, stacklevel=4)
    el = np.flatnonzero((n[:g] >= mn) & (n[:g] >= 2) & (n[g] - n[:g] >= 2) & (wsum > 0))
    for j in el:
        vs_p[j], diff = _rep_rank_t(x, valid, groups.index != j, d)
        direction[j] = -np.sign(diff)
    return p, test, vs_p, direction


def _rep_rank_t(x, rows, second, d: Design):
    """R's two-group ``svyranktest`` on a replicate design: rank scores with the full-sample
    weights, the difference of the two weighted mean scores (``lm(score ~ g, weights = w)``) and
    the replicate variance of the total of its influence (``svytotal(infn, design)``), t with
    ``degf(design) - 1`` df. Returns (p, second group's mean minus the first's)."""
    from survey_kit.stats._design_rep import rep_totals, rep_var
    from survey_kit.stats.design import degf

    r = rank_scores(x, d.w, rows)
    w = np.where(rows, d.w, 0.0)
    g2 = rows & second
    g1 = rows & ~second
    w1, w2 = w[g1].sum(), w[g2].sum()
    if not (w1 > 0 and w2 > 0):
        return np.nan, 0.0
    m1, m2 = (w[g1] * r[g1]).sum() / w1, (w[g2] * r[g2]).sum() / w2
    infn = np.zeros(x.size)
    infn[g1] = -(r[g1] - m1) / w1
    infn[g2] = (r[g2] - m2) / w2
    t = np.bincount(d.unit, weights=w * infn, minlength=d.n_units)[:, None]
    total = t.sum(axis=0)[None, :]
    v = rep_var(d, total, rep_totals(d, t)[:, None, :])[0, 0, 0]
    counts = np.bincount(d.unit, weights=(rows & (d.w > 0)).astype(float), minlength=d.n_units)
    nu = float(degf(d, counts[:, None])[0]) - 1
    if not (v > 0 and nu > 0):
        return np.nan, m2 - m1
    tstat = (m2 - m1) / np.sqrt(v)
    return float(2 * sps.t.sf(abs(tstat), nu)), m2 - m1


def median_design(df, col, spec, groups: Groups, d: Design, coded: bool, ci: float, mn: int = 1):
    """Medians per group and the total with Woodruff intervals and design rank tests:
    (spec, res, vs_total p)."""
    if coded:
        n, med, lo, hi, dfree = _coded(df, spec, groups, d, ci)
    else:
        n, med, lo, hi, dfree = _numeric(df, spec, groups, d, ci)
    t = _tq(ci, dfree)
    with np.errstate(invalid="ignore"):
        se = (hi - lo) / (2 * t)
    res = design_result(n, med, lo, hi, "woodruff", se, np.full(n.size, np.nan), dfree)
    vs_p = np.full(n.size, np.nan)
    if groups.n_groups:
        p, test, vs_p, direction = _rank_tests(df, spec, groups, d, n, mn)
        res.update(p_val=p, test=test, direction=direction)
    return spec, res, vs_p
