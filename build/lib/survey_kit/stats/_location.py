"""Means and medians per group for :func:`survey_kit.stats.compare`.

Both come in two vectorised flavours with identical results: from the (group x code) count table
of a coded item (one ``np.bincount`` pass, as for shares), or from the raw values of a numeric
column (scale scores, number items). See the ``compare`` module docstring for the methods.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps
from scipy.stats import rankdata

from survey_kit.errors import DataError
from survey_kit.stats import _tests as T
from survey_kit.stats._common import (
    Groups,
    fpc_factor,
    numeric_values,
    t_interval,
    with_total,
)


def check_population(n: np.ndarray, pop: np.ndarray, labels: list[str], col: str) -> None:
    over = np.flatnonzero(~np.isnan(pop) & (n > pop))
    if over.size:
        i = over[0]
        raise DataError(
            f"column {col!r}, group {labels[i]!r}: {int(n[i])} answers but a population "
            f"of only {int(pop[i])} (fpc / codebook population)"
        )


# -- moments ---------------------------------------------------------------------------------------
def moments_from_values(df, spec, groups: Groups, w) -> dict:
    """Weighted moments per group row (incl. the no-group row) from the raw values."""
    x = numeric_values(df[spec.column], spec)
    valid = ~np.isnan(x)
    xv = np.where(valid, x, 0.0)
    wv = valid.astype(float) if w is None else np.where(valid, w, 0.0)
    gi, m = groups.index, groups.n_groups + 1

    def sums(weights):
        return np.bincount(gi, weights=weights, minlength=m)

    sw, swx = sums(wv), sums(wv * xv)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_g = swx / sw
        mean_t = swx.sum() / sw.sum()
    return {
        "n": np.bincount(gi[valid], minlength=m),
        "sw": sw,
        "sw2": sums(wv * wv),
        "swx": swx,
        "ss": sums(wv * (xv - np.nan_to_num(mean_g)[gi]) ** 2),
        "mean_t": mean_t,
        "ss_t": (wv * (xv - mean_t) ** 2).sum(),
    }


def moments_from_table(cv: np.ndarray, c: np.ndarray, wt: np.ndarray, w2: np.ndarray) -> dict:
    """The same moments from counts ``c``, weight sums ``wt`` and squared-weight sums ``w2``
    per group row x code value ``cv``."""
    sw = wt.sum(axis=1)
    swx = wt @ cv
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_g = np.where(sw > 0, swx / sw, 0.0)
        tot = wt.sum(axis=0)
        mean_t = tot @ cv / tot.sum()
    return {
        "n": c.sum(axis=1),
        "sw": sw,
        "sw2": w2.sum(axis=1),
        "swx": swx,
        "ss": (wt * (cv[None, :] - mean_g[:, None]) ** 2).sum(axis=1),
        "mean_t": mean_t,
        "ss_t": tot @ (cv - mean_t) ** 2,
    }


def mean_stats(mom: dict, groups: Groups, weighted: bool, ci, mn, pop, col):
    """Means, t-intervals (Kish effective n) and tests from moments: (result dict, vs_total p)."""
    g = groups.n_groups
    n_all, sw, sw2, swx, ss_g = mom["n"], mom["sw"], mom["sw2"], mom["swx"], mom["ss"]
    mean_t, ss_t = mom["mean_t"], mom["ss_t"]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_g = swx / sw
    if g:
        n = np.append(n_all[:g], n_all.sum())
        sw_o, sw2_o = np.append(sw[:g], sw.sum()), np.append(sw2[:g], sw2.sum())
        mean, ss = np.append(mean_g[:g], mean_t), np.append(ss_g[:g], ss_t)
    else:
        n, sw_o, sw2_o, mean, ss = n_all, sw, sw2, mean_g, ss_g
    check_population(n, pop, [*groups.labels, "I alt"], col)
    with np.errstate(divide="ignore", invalid="ignore"):
        neff = sw_o**2 / sw2_o
        var = ss / sw_o * neff / (neff - 1)  # sample variance on the effective scale
        se = np.sqrt(var / neff) * fpc_factor(n, pop)
    low, high = t_interval(mean, se, neff - 1, ci)
    res = {
        "n": n,
        "value": np.where(n > 0, mean, np.nan),
        "ci_low": low,
        "ci_high": high,
        "ci_method": "t_kish" if weighted else "t",
    }
    p = eff = np.nan
    test = effect_name = ""
    vs_p = np.full(g + 1, np.nan)
    if g:
        ok = np.flatnonzero((n[:g] >= mn) & (n[:g] >= 2))
        if ok.size == 2:
            a, b = ok
            _, _, p, _ = T.welch(mean[a], var[a], neff[a], mean[b], var[b], neff[b])
            eff = float(T.cohens_d(mean[a], var[a], neff[a], mean[b], var[b], neff[b]))
            test, effect_name = "welch_t", "cohens_d"
        elif ok.size > 2:
            _, _, _, p, eff = T.anova(mean[ok], var[ok], neff[ok])
            test, effect_name = "anova", "eta_squared"
        # the rest of each group: total minus the group (sums of squares by decomposition)
        rsw, rsw2 = sw_o[g] - sw_o[:g], sw2_o[g] - sw2_o[:g]
        with np.errstate(divide="ignore", invalid="ignore"):
            rmean = (swx.sum() - swx[:g]) / rsw
            rss = ss_t - ss[:g] - sw_o[:g] * (mean[:g] - mean_t) ** 2 - rsw * (rmean - mean_t) ** 2
            rneff = rsw**2 / rsw2
            rvar = np.maximum(rss, 0) / rsw * rneff / (rneff - 1)
            _, _, vp, _ = T.welch(mean[:g], var[:g], neff[:g], rmean, rvar, rneff)
        elig = (n[:g] >= mn) & (n[:g] >= 2) & (n[g] - n[:g] >= 2)
        vs_p[:g] = np.where(elig, vp, np.nan)
        res["direction"] = np.append(np.sign(mean[:g] - rmean), 0)
    res.update(p_val=p, effect=eff, effect_name=effect_name, test=test)
    return res, vs_p


MAX_CELLS = 5_000_000  # group x distinct-value cells above which medians sort instead of count


# -- medians ---------------------------------------------------------------------------------------
def _order_index(ci: float, n: int) -> int:
    """1-based index l of the binomial order-statistic interval [x_(l), x_(n-l+1)]."""
    return max(int(sps.binom.ppf((1 - ci) / 2, n, 0.5)), 1)


def _median_counts(cv, c, wt, w2, ci: float, census: bool) -> tuple[float, float, float]:
    """Median and order-statistic interval from counts ``c`` of sorted values ``cv``."""
    n = int(c.sum())
    if n == 0:
        return np.nan, np.nan, np.nan
    if wt is None:
        cum = np.cumsum(c)

        def stat(k):  # the k-th order statistic (1-based)
            return cv[np.searchsorted(cum, k, side="left")]

        med = stat((n + 1) // 2) if n % 2 else (stat(n // 2) + stat(n // 2 + 1)) / 2
        l_ = _order_index(ci, n)
        lo, hi = stat(l_), stat(n - l_ + 1)
    else:
        m = max(int(round(wt.sum() ** 2 / w2.sum())), 1)
        l_ = _order_index(ci, m)
        cw = np.cumsum(wt) / wt.sum()
        q = np.array([0.5, l_ / m, (m - l_ + 1) / m])
        med, lo, hi = cv[np.minimum(np.searchsorted(cw, q - 1e-12, side="left"), cv.size - 1)]
    if census:
        lo = hi = med
    return float(med), float(lo), float(hi)


def _rank_tests(c_ok: np.ndarray, c_all: np.ndarray, n, g, mn):
    """Mann-Whitney / Kruskal-Wallis across eligible groups and Mann-Whitney of each group
    against the rest, from per-group counts of sorted values (mid-ranks of tied values)."""
    p = eff = np.nan
    test = effect_name = ""
    ok = np.flatnonzero((n[:g] >= mn) & (n[:g] > 0))
    if ok.size >= 2:
        tot = c_ok[ok].sum(axis=0).astype(float)
        mid = np.cumsum(tot) - tot + (tot + 1) / 2
        rs = c_ok[ok] @ mid
        ties = float((tot**3 - tot).sum())
        if ok.size == 2:
            _, p, eff = T.mann_whitney(rs[0], n[ok[0]], n[ok[1]], ties)
            p, eff = float(p), float(eff)
            test, effect_name = "mann_whitney_u", "rank_biserial"
        else:
            _, _, p, eff = T.kruskal(rs, n[ok], ties)
            test, effect_name = "kruskal_wallis", "epsilon_squared"
    tot = c_all.sum(axis=0).astype(float)
    mid = np.cumsum(tot) - tot + (tot + 1) / 2
    ntot = tot.sum()
    _, vp, r = T.mann_whitney(c_all[:g] @ mid, n[:g], ntot - n[:g], float((tot**3 - tot).sum()))
    elig = (n[:g] >= mn) & (n[:g] > 0) & (ntot - n[:g] > 0)
    return p, eff, test, effect_name, np.where(elig, vp, np.nan), np.sign(r)


def median_stats(cv, c, wt, w2, groups: Groups, ci, mn, pop, col):
    """Medians, intervals and rank tests from per-group-row counts of the values ``cv``."""
    order = np.argsort(cv, kind="stable")
    cv, c = cv[order], c[:, order]
    wt = None if wt is None else wt[:, order]
    w2 = None if w2 is None else w2[:, order]
    g = groups.n_groups
    co = with_total(c, groups)
    wo = None if wt is None else with_total(wt, groups)
    w2o = None if w2 is None else with_total(w2, groups)
    n = co.sum(axis=1)
    check_population(n, pop, [*groups.labels, "I alt"], col)
    census = ~np.isnan(pop) & (n == pop)
    rows = [
        _median_counts(
            cv, co[r], None if wo is None else wo[r], None if w2o is None else w2o[r], ci, census[r]
        )
        for r in range(co.shape[0])
    ]
    med, low, high = (np.array(v, dtype=float) for v in zip(*rows, strict=True))
    res = {
        "n": n,
        "value": med,
        "ci_low": low,
        "ci_high": high,
        "ci_method": "binomial_order_statistic" if wt is None else "weighted_order_statistic",
    }
    vs_p = np.full(g + 1, np.nan)
    p = eff = np.nan
    test = effect_name = ""
    if g:
        p, eff, test, effect_name, vp, direction = _rank_tests(c, c, n, g, mn)
        vs_p[:g] = vp
        res["direction"] = np.append(direction, 0)
    res.update(p_val=p, effect=eff, effect_name=effect_name, test=test)
    return res, vs_p


def median_from_values(df, spec, groups: Groups, w, ci, mn, pop):
    """Median path for numeric columns: distinct values play the role of codes."""
    x = numeric_values(df[spec.column], spec)
    valid = ~np.isnan(x)
    cv, inv = np.unique(x[valid], return_inverse=True)
    k = cv.size
    gi = groups.index[valid]
    m = groups.n_groups + 1
    if m * k > MAX_CELLS:  # (nearly) continuous values and many groups: sort instead of count
        return _median_sorted(
            x[valid], gi, None if w is None else w[valid], groups, ci, mn, pop, spec.column
        )
    flat = gi * k + inv
    c = np.bincount(flat, minlength=m * k).reshape(m, k)
    wt = w2 = None
    if w is not None:
        wv = w[valid]
        wt = np.bincount(flat, weights=wv, minlength=m * k).reshape(m, k)
        w2 = np.bincount(flat, weights=wv * wv, minlength=m * k).reshape(m, k)
    return median_stats(cv, c, wt, w2, groups, ci, mn, pop, spec.column)


def _median_sorted(xs_all, gi, ws_all, groups: Groups, ci, mn, pop, col):
    """Median path by sorting (for many distinct values): same results as :func:`median_stats`."""
    g = groups.n_groups
    order = np.lexsort((xs_all, gi))
    xs, gs = xs_all[order], gi[order]
    ws = None if ws_all is None else ws_all[order]
    counts = np.bincount(gi, minlength=g + 1)
    starts = np.concatenate([[0], np.cumsum(counts)])
    n = np.append(counts[:g], counts.sum()) if g else counts
    check_population(n, pop, [*groups.labels, "I alt"], col)
    census = ~np.isnan(pop) & (n == pop)

    def one(v, wv, cen):
        uv, cnt = np.unique(v, return_counts=True)
        if wv is None:
            return _median_counts(uv, cnt, None, None, ci, cen)
        inv = np.unique(v, return_inverse=True)[1]
        return _median_counts(
            uv, cnt, np.bincount(inv, weights=wv), np.bincount(inv, weights=wv * wv), ci, cen
        )

    rows = [
        one(
            xs[starts[i] : starts[i + 1]],
            None if ws is None else ws[starts[i] : starts[i + 1]],
            census[i],
        )
        for i in range(g)
    ]
    rows.append(one(xs_all, ws_all, census[-1]))
    med, low, high = (np.array(v, dtype=float) for v in zip(*rows, strict=True))
    res = {
        "n": n,
        "value": med,
        "ci_low": low,
        "ci_high": high,
        "ci_method": "binomial_order_statistic" if ws is None else "weighted_order_statistic",
    }
    p = eff = np.nan
    test = effect_name = ""
    vs_p = np.full(g + 1, np.nan)
    if g:
        ok = np.flatnonzero((n[:g] >= mn) & (n[:g] > 0))
        if ok.size >= 2:
            sel = np.isin(gs, ok)
            ranks = rankdata(xs[sel])
            rs = np.bincount(gs[sel], weights=ranks, minlength=g + 1)[ok]
            ties = T.tie_sum(xs[sel])
            if ok.size == 2:
                _, p, eff = T.mann_whitney(rs[0], n[ok[0]], n[ok[1]], ties)
                p, eff = float(p), float(eff)
                test, effect_name = "mann_whitney_u", "rank_biserial"
            else:
                _, _, p, eff = T.kruskal(rs, n[ok], ties)
                test, effect_name = "kruskal_wallis", "epsilon_squared"
        rsum = np.bincount(gs, weights=rankdata(xs), minlength=g + 1)[:g]
        ntot = xs.size
        _, vp, r = T.mann_whitney(rsum, n[:g], ntot - n[:g], T.tie_sum(xs))
        elig = (n[:g] >= mn) & (n[:g] > 0) & (ntot - n[:g] > 0)
        vs_p[:g] = np.where(elig, vp, np.nan)
        res["direction"] = np.append(np.sign(r), 0)
    res.update(p_val=p, effect=eff, effect_name=effect_name, test=test)
    return res, vs_p
