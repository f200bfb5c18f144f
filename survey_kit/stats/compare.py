"""Compare items across the groups of a background variable.

One row per item x group plus the total row (``group == "I alt"``), with a test across the groups
(repeated on every row of the item) and a flag for each group against the rest (``vs_total``).

Methods
-------
* ``stat="share"``: the share answering one of the ``positive`` codes over the valid base (missing
  codes such as "Ved ikke" excluded). Wilson score interval; Pearson chi-square on the
  positive/negative x group table, effect Cramér's V; ``vs_total`` by the two-proportion
  (pooled, 2x2 chi-square) test of the group against all other respondents.
* ``stat="mean"``: t-interval; Welch's t-test for two groups (Cohen's d, pooled SD) and the classic
  one-way ANOVA for more (eta-squared); ``vs_total`` by Welch's t of the group against the rest.
* ``stat="median"``: the binomial order-statistic interval (distribution-free, coverage at least
  ``ci``); Mann-Whitney U for two groups (rank-biserial correlation) and Kruskal-Wallis for more
  (epsilon-squared); ``vs_total`` by Mann-Whitney U of the group against the rest.

Weights (``weight=``) give weighted shares and means with Kish's effective sample size
``n_eff = (sum w)^2 / sum w^2`` in the Wilson/t intervals and the tests (an approximation to a
design-based analysis); the weighted median is the lower weighted 50 % quantile and the rank tests
stay unweighted. ``n`` is always the unweighted base.

Tests use the unsuppressed data, but a group below the item's minimum n is left out of the test
across groups and gets no ``vs_total`` flag; its respondents still count in the total and in "the
rest" of the other groups. ``q_val`` adjusts ``p_val`` over the items of the call
(Benjamini-Hochberg); ``vs_total`` flags use BH-adjusted p-values over every group x item of the
call, at the level ``1 - ci``.

Finite population correction: with ``fpc`` (group code -> population size N, taken from
``codebook.population[by]`` when not given) the standard errors of each group are multiplied by
``sqrt((N - n) / (N - 1))``; for a share this is the Wilson interval with ``n / fpc^2`` as its
size. A group with ``n == N`` has no sampling error (``ci_low == ci_high == value``). The total row
is corrected when every group has a population size. The order-statistic median interval is
corrected only for a census (``n == N``). Tests are not corrected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.stats import rankdata

from survey_kit.codebook import Codebook
from survey_kit.errors import DataError
from survey_kit.stats import _tests as T
from survey_kit.stats._common import (
    HIGHER,
    LOWER,
    Groups,
    as_list,
    bh,
    check_ci,
    check_codes,
    check_min_n,
    chi2_table,
    code_array,
    count,
    encode,
    fpc_factor,
    group_rows,
    item_min_n,
    item_spec,
    make_groups,
    numeric_values,
    resolve,
    suppress_by_item,
    t_interval,
    weights_of,
    wilson,
    with_total,
)

COMPARE_COLUMNS = [
    "item", "item_label", "stat", "by", "group", "group_code", "n", "value", "ci_low", "ci_high",
    "p_val", "q_val", "effect", "effect_name", "test", "vs_total", "suppressed", "ci_method",
]
STATS = ("share", "mean", "median")


def _populations(fpc: Any, groups: Groups, cb: Codebook | None) -> np.ndarray:
    """Population size per published row (groups, then the total); NaN where unknown."""
    g = groups.n_groups
    out = np.full(g + 1, np.nan)
    if fpc is False or groups.by is None and fpc is None:
        return out
    if fpc is None:
        fpc = cb.population.get(groups.by) if cb is not None else None
        if fpc is None:
            return out
    if not isinstance(fpc, Mapping):
        raise ValueError("fpc: expected a mapping of group code -> population size, or False")
    for code, size in fpc.items():
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
            raise ValueError(f"fpc: population size of group {code!r} must be a positive integer")
    for i, code in enumerate(groups.codes):
        if code in fpc:
            out[i] = fpc[code]
    if g and not np.isnan(out[:g]).any():
        out[g] = out[:g].sum()
    return out


def _check_population(n: np.ndarray, pop: np.ndarray, labels: list[str], col: str) -> None:
    over = np.flatnonzero(~np.isnan(pop) & (n > pop))
    if over.size:
        i = over[0]
        raise DataError(f"column {col!r}, group {labels[i]!r}: {int(n[i])} answers but a population "
                        f"of only {int(pop[i])} (fpc / codebook population)")


def _positive(positive: Any, col: str, spec_positive: tuple) -> tuple:
    if isinstance(positive, Mapping):
        positive = positive.get(col)
    if positive is None:
        pos = spec_positive
    elif isinstance(positive, str | int | np.integer):
        pos = (positive,)
    else:
        pos = tuple(positive)
    if not pos:
        raise ValueError(f"positive: item {col!r} has no positive codes; pass positive=[...]")
    return pos


def _share(df, col, spec, groups, w, pos, ci, mn, pop):
    codes = spec.codes
    k, nv = len(codes), len(spec.values)
    unknown = [c for c in pos if c not in spec.values]
    if unknown:
        raise ValueError(f"positive: codes {unknown} are not answer codes of {col!r}")
    posmask = np.array([c in pos for c in spec.values])
    idx = encode(df[col], codes)
    raw = count(groups, idx, k + 2)
    check_codes(raw, spec, df[col], idx)
    n_all = raw[:, :nv].sum(axis=1)  # per group incl. the no-group row
    x_all = raw[:, :nv][:, posmask].sum(axis=1)
    if w is None:
        wx_all, wn_all, w2_all = x_all.astype(float), n_all.astype(float), n_all.astype(float)
    else:
        wr = count(groups, idx, k + 2, w)[:, :nv]
        w2r = count(groups, idx, k + 2, w * w)[:, :nv]
        wx_all, wn_all, w2_all = wr[:, posmask].sum(axis=1), wr.sum(axis=1), w2r.sum(axis=1)
    g = groups.n_groups
    n = with_total(n_all[:, None], groups)[:, 0]
    wx = with_total(wx_all[:, None], groups)[:, 0]
    wn = with_total(wn_all[:, None], groups)[:, 0]
    w2 = with_total(w2_all[:, None], groups)[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(wn > 0, wx / wn, np.nan)
        neff = np.where(w2 > 0, wn**2 / w2, 0.0)
    _check_population(n, pop, [*groups.labels, "I alt"], col)
    f = fpc_factor(n, pop)
    with np.errstate(divide="ignore"):
        size = np.where(f == 0, np.inf, neff / f**2)
    succ = wx if (w is None and np.isnan(pop).all()) else value * size
    low, high = wilson(np.where(np.isinf(size), value, succ), size, ci)
    low = np.where(np.isinf(size), value, low)
    high = np.where(np.isinf(size), value, high)
    res = {"n": n, "value": value, "ci_low": low, "ci_high": high,
           "ci_method": "wilson" if w is None else "wilson_kish"}
    p = eff = np.nan
    test = effect_name = ""
    vs_p = np.full(g + 1, np.nan)
    if g:
        ok = (n[:g] >= mn) & (n[:g] > 0)
        e_pos, e_n = value[:g] * neff[:g], neff[:g]
        if ok.sum() >= 2:
            tab = np.column_stack([e_pos[ok], e_n[ok] - e_pos[ok]])
            chi2, dof, p = chi2_table(tab)
            test, effect_name = "chi2", "cramers_v"
            eff = np.sqrt(chi2 / tab.sum()) if dof else np.nan
        tot_pos, tot_n = value[g] * neff[g], neff[g]
        if w is not None:  # the rest: weighted sums minus the group's, on the effective scale
            rest_wn, rest_wx, rest_w2 = wn[g] - wn[:g], wx[g] - wx[:g], w2[g] - w2[:g]
            with np.errstate(divide="ignore", invalid="ignore"):
                r_neff = rest_wn**2 / rest_w2
                r_pos = rest_wx / rest_wn * r_neff
        else:
            r_neff, r_pos = tot_n - e_n, tot_pos - e_pos
        vp = T.two_proportion(e_pos, e_n, r_pos, r_neff)
        direction = np.sign(e_pos / e_n - r_pos / r_neff)
        vs_p[:g] = np.where(ok, vp * np.where(direction == 0, np.nan, 1), np.nan)
        res["direction"] = np.append(direction, 0)
    res.update(p_val=p, effect=eff, effect_name=effect_name, test=test)
    return res, vs_p


def _numeric(df, col, spec, groups, w):
    x = numeric_values(df[col], spec)
    valid = ~np.isnan(x)
    xv = np.where(valid, x, 0.0)
    wv = valid.astype(float) if w is None else np.where(valid, w, 0.0)
    return x, valid, xv, wv


def _mean(df, col, spec, groups, w, ci, mn, pop):
    x, valid, xv, wv = _numeric(df, col, spec, groups, w)
    gi, g = groups.index, groups.n_groups
    m = g + 1

    def sums(weights):
        return np.bincount(gi, weights=weights, minlength=m)

    n_all = np.bincount(gi[valid], minlength=m)
    sw, swx, sw2 = sums(wv), sums(wv * xv), sums(wv * wv)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_g = swx / sw
        ss_g = sums(wv * (xv - np.nan_to_num(mean_g)[gi]) ** 2)
        mean_t = swx.sum() / sw.sum()
        ss_t = (wv * (xv - mean_t) ** 2).sum()
    if g:
        n = np.append(n_all[:g], n_all.sum())
        sw_o, sw2_o = np.append(sw[:g], sw.sum()), np.append(sw2[:g], sw2.sum())
        mean, ss = np.append(mean_g[:g], mean_t), np.append(ss_g[:g], ss_t)
    else:
        n, sw_o, sw2_o, mean, ss = n_all, sw, sw2, mean_g, ss_g
    _check_population(n, pop, [*groups.labels, "I alt"], col)
    with np.errstate(divide="ignore", invalid="ignore"):
        neff = sw_o**2 / sw2_o
        var = ss / sw_o * neff / (neff - 1)  # sample variance on the effective scale
        se = np.sqrt(var / neff) * fpc_factor(n, pop)
    low, high = t_interval(mean, se, neff - 1, ci)
    res = {"n": n, "value": np.where(n > 0, mean, np.nan), "ci_low": low, "ci_high": high,
           "ci_method": "t" if w is None else "t_kish"}
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


def _weighted_quantile(xs: np.ndarray, ws: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Lower weighted quantile: the smallest value whose cumulative weight share reaches q."""
    cw = np.cumsum(ws) / ws.sum()
    pos = np.searchsorted(cw, np.asarray(q) - 1e-12, side="left")
    return xs[np.minimum(pos, xs.size - 1)]


def _median_of(xs: np.ndarray, ws: np.ndarray | None, ci: float, census: bool):
    """Median and binomial order-statistic interval of sorted values ``xs``."""
    n = xs.size
    if n == 0:
        return np.nan, np.nan, np.nan
    if ws is None:
        med = float(np.median(xs))
        l_ = max(int(sps.binom.ppf((1 - ci) / 2, n, 0.5)), 1)
        lo, hi = xs[l_ - 1], xs[n - l_]
    else:
        neff = ws.sum() ** 2 / (ws**2).sum()
        m = max(int(round(neff)), 1)
        l_ = max(int(sps.binom.ppf((1 - ci) / 2, m, 0.5)), 1)
        med, lo, hi = _weighted_quantile(xs, ws, np.array([0.5, l_ / m, (m - l_ + 1) / m]))
    if census:
        lo = hi = med
    return float(med), float(lo), float(hi)


def _median(df, col, spec, groups, w, ci, mn, pop):
    x, valid, xv, wv = _numeric(df, col, spec, groups, w)
    gi, g = groups.index[valid], groups.n_groups
    xs_all = x[valid]
    ws_all = None if w is None else w[valid]
    order = np.lexsort((xs_all, gi))
    xs, gs = xs_all[order], gi[order]
    ws = None if ws_all is None else ws_all[order]
    counts = np.bincount(gi, minlength=g + 1)
    starts = np.concatenate([[0], np.cumsum(counts)])
    n = np.append(counts[:g], counts.sum()) if g else counts
    _check_population(n, pop, [*groups.labels, "I alt"], col)
    census = ~np.isnan(pop) & (n == pop)
    rows = []
    for i in range(g):
        sl = slice(starts[i], starts[i + 1])
        rows.append(_median_of(xs[sl], None if ws is None else ws[sl], ci, census[i]))
    tord = np.argsort(xs_all, kind="stable")
    rows.append(_median_of(xs_all[tord], None if ws_all is None else ws_all[tord], ci, census[-1]))
    med, low, high = (np.array(v, dtype=float) for v in zip(*rows, strict=True))
    res = {"n": n, "value": med, "ci_low": low, "ci_high": high,
           "ci_method": "binomial_order_statistic" if w is None else "weighted_order_statistic"}
    p = eff = np.nan
    test = effect_name = ""
    vs_p = np.full(g + 1, np.nan)
    if g:
        ok = np.flatnonzero((n[:g] >= mn) & (n[:g] > 0))
        if ok.size >= 2:
            sel = np.isin(gs, ok)
            xe, ge = xs[sel], gs[sel]
            ranks = rankdata(xe)
            rs = np.bincount(ge, weights=ranks, minlength=g + 1)[ok]
            ties = T.tie_sum(xe)
            if ok.size == 2:
                _, p, eff = T.mann_whitney(rs[0], n[ok[0]], n[ok[1]], ties)
                p, eff = float(p), float(eff)
                test, effect_name = "mann_whitney_u", "rank_biserial"
            else:
                _, _, p, eff = T.kruskal(rs, n[ok], ties)
                test, effect_name = "kruskal_wallis", "epsilon_squared"
        ranks = rankdata(xs)
        rsum = np.bincount(gs, weights=ranks, minlength=g + 1)[:g]
        ntot = xs.size
        u1, vp, r = T.mann_whitney(rsum, n[:g], ntot - n[:g], T.tie_sum(xs))
        elig = (n[:g] >= mn) & (n[:g] > 0) & (ntot - n[:g] > 0)
        vs_p[:g] = np.where(elig, vp, np.nan)
        res["direction"] = np.append(np.sign(r), 0)
    res.update(p_val=p, effect=eff, effect_name=effect_name, test=test)
    return res, vs_p


def compare(
    data: Any,
    items: str | Sequence[str],
    *,
    by: str | None = None,
    stat: str = "share",
    positive: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
    weight: str | None = None,
    min_n: int = 5,
    ci: float = 0.95,
    codebook: Codebook | None = None,
    fpc: Mapping[Any, int] | bool | None = None,
) -> pd.DataFrame:
    """Compare ``items`` across the groups of ``by`` (see the module docstring for the methods).

    Parameters
    ----------
    data : Survey or DataFrame
        Processed data (never modified); a DataFrame takes ``codebook=``.
    items : str or list of str
        Item codes, or any numeric columns (e.g. scale scores) with ``stat="mean"``/``"median"``.
    by : str, optional
        Grouping column. Without it only the total row is returned (no tests).
    stat : {"share", "mean", "median"}
    positive : list of codes or mapping item -> codes, optional
        Codes making the share; default the item's ``positive`` codes from the codebook.
    weight : str, optional
        Weight column (Kish effective sample size in intervals and tests).
    min_n : int
        Minimum n; the applied minimum is ``max(min_n, codebook.min_n_for(item))``. Smaller
        groups are suppressed and left out of the tests.
    ci : float
        Confidence level; ``vs_total`` flags at the level ``1 - ci``.
    fpc : mapping or False, optional
        Population size per group code for the finite population correction; default
        ``codebook.population[by]`` when the codebook has it; ``False`` turns it off.

    Returns
    -------
    DataFrame
        One row per item x group plus the total row, columns :data:`COMPARE_COLUMNS`.

    Examples
    --------
    >>> compare(survey, ["ml_1", "ml_2"], by="omraade")  # doctest: +SKIP
    """
    df, cb = resolve(data, codebook)
    cols = as_list(items, "items")
    if stat not in STATS:
        raise ValueError(f"stat: expected one of {', '.join(STATS)}, got {stat!r}")
    ci = check_ci(ci)
    min_n = check_min_n(min_n)
    groups = make_groups(df, by, cb)
    w = weights_of(df, weight)
    pop = _populations(fpc, groups, cb)
    labels, gcodes = group_rows(groups) if by is not None else (["I alt"], [None])
    parts, vs_ps, dirs, min_ns = [], [], [], {}
    for col in cols:
        spec = item_spec(df, col, cb)
        mn = item_min_n(cb, col, min_n)
        min_ns[col] = mn
        if stat == "share":
            if spec.numeric:
                raise ValueError(f"stat: column {col!r} holds numbers; use stat='mean' or 'median'")
            pos = _positive(positive, col, spec.positive)
            res, vs_p = _share(df, col, spec, groups, w, pos, ci, mn, pop)
        elif stat == "mean":
            res, vs_p = _mean(df, col, spec, groups, w, ci, mn, pop)
        else:
            res, vs_p = _median(df, col, spec, groups, w, ci, mn, pop)
        parts.append((col, spec.label, res))
        vs_ps.append(vs_p)
        dirs.append(res.pop("direction", np.zeros(len(labels))))
    p_item = np.array([float(res["p_val"]) for _, _, res in parts])
    q_item = bh(p_item)
    vs_q = bh(np.concatenate(vs_ps)) if vs_ps else np.array([])
    flags = np.where(vs_q < 1 - ci, np.where(np.concatenate(dirs) > 0, HIGHER, LOWER), "")
    g = len(labels)
    table = pd.DataFrame({
        "item": np.repeat([c for c, _, _ in parts], g),
        "item_label": np.repeat([lab for _, lab, _ in parts], g),
        "stat": stat,
        "by": by,
        "group": np.tile(labels, len(parts)),
        "group_code": code_array(list(gcodes) * len(parts)),
        "n": np.concatenate([r["n"] for _, _, r in parts]).astype(np.int64),
        "value": np.concatenate([r["value"] for _, _, r in parts]),
        "ci_low": np.concatenate([r["ci_low"] for _, _, r in parts]),
        "ci_high": np.concatenate([r["ci_high"] for _, _, r in parts]),
        "p_val": np.repeat(p_item, g),
        "q_val": np.repeat(q_item, g),
        "effect": np.repeat([float(r["effect"]) for _, _, r in parts], g),
        "effect_name": np.repeat([r["effect_name"] for _, _, r in parts], g),
        "test": np.repeat([r["test"] for _, _, r in parts], g),
        "vs_total": flags,
        "ci_method": np.repeat([r["ci_method"] for _, _, r in parts], g),
    })
    out = suppress_by_item(table, min_ns, partition=["item"],
                           value_columns=["value", "ci_low", "ci_high"])
    out.loc[out["suppressed"], "vs_total"] = ""
    return out[COMPARE_COLUMNS]
