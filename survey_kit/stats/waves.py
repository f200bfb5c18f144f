"""Change between waves (repeated cross-sections or a panel) and panel attrition.

``compare_waves`` compares each wave with the next, overall and per group of ``by``:

* independent waves, ``stat="share"``: difference of proportions with the Newcombe hybrid score
  interval (Newcombe 1998, method 10 of the independent case; ``statsmodels``
  ``confint_proportions_2indep(method="newcomb")``), p from the two-proportion (2x2 Pearson
  chi-square) test;
* independent waves, ``stat="mean"``: Welch's t-test and its interval for the difference;
* ``paired_on=`` (a panel key): only respondents answering both waves are compared.
  Shares: McNemar's test, exact (binomial) when fewer than 25 respondents changed answer, else the
  continuity-corrected chi-square; interval: Newcombe's hybrid score interval for paired data
  (Newcombe 1998, method 10). Means: the paired t-interval of the mean change, p from the Wilcoxon
  signed-rank test (zero differences dropped; one method per call, ``wilcoxon=``, default the
  normal approximation with tie and continuity correction, as R's ``wilcox.test`` for n >= 50).
* with a design (``weight=``/``strata=``/``cluster=`` or the codebook's ``design:``), independent
  waves are design domains: see :mod:`survey_kit.stats._design_waves`; a panel (``paired_on=``)
  is R's ``svymean(~I(post - pre))`` on the design of the linked rows, with
  ``svyttest(I(post - pre) ~ 0)``: see :mod:`survey_kit.stats._design_panel`.

``q_val`` adjusts ``p_val`` (Benjamini-Hochberg) over every row of the call; ``significant`` is
``q_val < 1 - ci``. A row where either wave has fewer than the item's minimum n respondents gets
no test and is suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from survey_kit.codebook import Codebook
from survey_kit.errors import DataError
from survey_kit.stats import _tests as T
from survey_kit.stats._common import (
    TOTAL_LABEL,
    Groups,
    as_list,
    bh,
    check_ci,
    check_min_n,
    code_array,
    expand_items,
    group_rows,
    item_min_n,
    item_spec,
    make_groups,
    merge_missing,
    numeric_values,
    require_column,
    resolve,
    suppress_by_item,
    t_interval,
    tabulate,
    wilson,
)
from survey_kit.stats._design_panel import panel_changes
from survey_kit.stats._design_waves import design_changes, wave_tables
from survey_kit.stats.compare import _positive
from survey_kit.stats.design import resolve_design

WAVE_COLUMNS = [
    "item",
    "item_label",
    "stat",
    "by",
    "group",
    "group_code",
    "wave_from",
    "wave_to",
    "n_from",
    "n_to",
    "value_from",
    "value_to",
    "change",
    "ci_low",
    "ci_high",
    "p_val",
    "q_val",
    "test",
    "significant",
    "suppressed",
    "is_total",
    "wave_from_code",
    "wave_to_code",
    "paired",
    "se",
    "df",
]


def newcombe_paired(a, b, c, d, ci: float):
    """Newcombe's (1998) method 10 interval for p_to - p_from from a paired 2x2 table.

    ``a``: positive in both waves, ``b``: positive before only, ``c``: positive after only,
    ``d``: positive in neither. phi is Newcombe's adjusted correlation (``ad - bc`` reduced by
    ``n / 2`` when above it, 0 in between). Returns (change, low, high).
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n  # from, to
    l1, u1 = wilson(a + b, n, ci)
    l2, u2 = wilson(a + c, n, ci)
    den = (a + b) * (c + d) * (a + c) * (b + d)
    big = a * d - b * c  # Newcombe's continuity-adjusted phi: 0 for 0 <= A <= n/2
    adj = np.where(big > n / 2, big - n / 2, np.where(big < 0, big, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(den > 0, adj / np.sqrt(den), 0.0)
    delta = p2 - p1
    dl = np.sqrt(np.maximum((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2, 0))
    du = np.sqrt(np.maximum((u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2, 0))
    return delta, delta - dl, delta + du


def newcombe_indep(x1, n1, x2, n2, ci: float):
    """Newcombe hybrid score interval for p1 - p2 (independent samples)."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, ci)
    l2, u2 = wilson(x2, n2, ci)
    d = p1 - p2
    return (
        d,
        d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def mcnemar(b, c) -> tuple[float, str]:
    """McNemar's test of the discordant counts: exact binomial below 25, else chi-square (cc)."""
    b, c = int(b), int(c)
    if b + c < 25:
        return float(min(1.0, 2 * sps.binom.cdf(min(b, c), b + c, 0.5))), "mcnemar_exact"
    stat = (abs(b - c) - 1) ** 2 / (b + c)
    return float(sps.chi2.sf(stat, 1)), "mcnemar_chi2"


def _waves(df: pd.DataFrame, wave: str, cb: Codebook | None) -> Groups:
    if not isinstance(wave, str):
        raise ValueError("wave: expected a column name")
    require_column(df, wave, "wave")
    groups = make_groups(df, wave, cb, name="wave")
    if cb is not None and cb.wave is not None and cb.wave.column == wave:
        groups.labels = [cb.wave.labels.get(c, str(c)) for c in groups.codes]
    used = np.bincount(groups.index, minlength=groups.n_groups + 1)[: groups.n_groups] > 0
    if not used.all() and used.sum() >= 2:  # a codebook wave without rows: compare the waves present
        remap = np.append(np.cumsum(used) - 1, used.sum())
        remap[:-1][~used] = used.sum()
        groups = Groups(remap[groups.index].astype(np.intp), [c for c, u in zip(groups.codes, used, strict=True) if u],
                        [lab for lab, u in zip(groups.labels, used, strict=True) if u], groups.by)
    if groups.n_groups < 2:
        raise ValueError(f"wave: column {wave!r} holds fewer than two waves")
    return groups


def _pairs(df, waves: Groups, key: str, i: int, j_to: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (from, to) of the panel members answering waves i and i + 1 (or j_to)."""
    keys = df[key]
    pos = []
    for j in (i, i + 1 if j_to is None else j_to):
        rows = np.flatnonzero(waves.index == j)
        k = keys.iloc[rows]
        ok = k.notna().to_numpy()
        rows, k = rows[ok], k[ok]
        dup = k.duplicated()
        if dup.any():
            raise DataError(
                f"column {key!r}: key {k[dup].iloc[0]!r} appears more than once in wave "
                f"{waves.labels[j]!r}"
            )
        pos.append(pd.Series(rows, index=k.to_numpy()))
    both = pos[0].index.intersection(pos[1].index)
    return pos[0].loc[both].to_numpy(), pos[1].loc[both].to_numpy()


def _cells(df, spec, stat, pos, comb, nw, g1) -> dict[str, np.ndarray]:
    """Per wave x group (incl. the no-group slot): n and positives, or n, sum and sum of squares."""
    if stat == "share":
        tspec, (tab,) = tabulate(df, spec, comb)
        nv = len(tspec.values)
        vmask = np.array([c in pos for c in tspec.values], dtype=bool)
        n = tab[:, :nv].sum(axis=1)[: nw * g1].reshape(nw, g1)
        x = tab[:, :nv][:, vmask].sum(axis=1)[: nw * g1].reshape(nw, g1)
        return {"n": n, "x": x}
    x = numeric_values(df[spec.column], spec)
    valid = ~np.isnan(x)
    idx = comb.index[valid]
    m = nw * g1 + 1
    n = np.bincount(idx, minlength=m)
    sx = np.bincount(idx, weights=x[valid], minlength=m)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, sx / np.maximum(n, 1), 0.0)
    ss = np.bincount(idx, weights=(x[valid] - mean[idx]) ** 2, minlength=m)
    return {
        "n": n[:-1].reshape(nw, g1),
        "sum": sx[:-1].reshape(nw, g1),
        "ss": ss[:-1].reshape(nw, g1),
    }


def _moments(cells, w: int, j: int, total: bool) -> tuple[float, float, float]:
    """(n, mean, sample variance) of wave ``w`` for group ``j`` or the total over all groups."""
    n, s, ss = cells["n"][w], cells["sum"][w], cells["ss"][w]
    if not total:
        n_, s_, ss_ = n[j], s[j], ss[j]
    else:  # pooled sum of squares: within groups plus between groups
        n_, s_ = n.sum(), s.sum()
        gm = np.where(n > 0, s / np.maximum(n, 1), 0.0)
        ss_ = ss.sum() + (n * (gm - s_ / n_) ** 2).sum() if n_ else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(n_), s_ / n_ if n_ else np.nan, ss_ / (n_ - 1) if n_ > 1 else np.nan


def _independent(cells, stat: str, i: int, j: int, total: bool, ci: float) -> dict:
    if stat == "share":

        def nx(w):
            return (
                (cells["n"][w].sum(), cells["x"][w].sum())
                if total
                else (cells["n"][w, j], cells["x"][w, j])
            )

        (n0, x0), (n1, x1) = nx(i), nx(i + 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            d, lo, hi = newcombe_indep(np.float64(x1), n1, np.float64(x0), n0, ci)
            p = float(T.two_proportion(x1, n1, x0, n0))
            v0, v1 = x0 / n0 if n0 else np.nan, x1 / n1 if n1 else np.nan
        test = "chi2"
    else:
        n0, v0, var0 = _moments(cells, i, j, total)
        n1, v1, var1 = _moments(cells, i + 1, j, total)
        with np.errstate(invalid="ignore", divide="ignore"):
            _, df_, p, se = T.welch(v1, var1, n1, v0, var0, n0)
        d = v1 - v0
        lo, hi = t_interval(d, se, df_, ci)
        test = "welch_t"
    return {
        "n_from": int(n0),
        "n_to": int(n1),
        "value_from": v0,
        "value_to": v1,
        "change": float(d),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "p_val": float(p),
        "test": test,
    }


WILCOXON = ("normal_cc", "normal", "exact", "r")


def wilcoxon_signed_rank(diff: np.ndarray, method: str) -> tuple[float, str]:
    """Two-sided Wilcoxon signed-rank p of paired differences (zeros dropped) and the test name.

    "normal_cc": normal approximation with tie and continuity correction (R ``wilcox.test(...,
    exact=FALSE)``); "normal": without continuity correction (``correct=FALSE``); "exact": the
    exact null distribution (``exact=TRUE``; ties are not allowed for); "r": R's default rule,
    exact below 50 non-zero differences without ties or zeros, else "normal_cc".
    """
    nz = diff[diff != 0]
    if nz.size == 0:
        return np.nan, "wilcoxon_" + ("normal_cc" if method == "r" else method)
    if method == "r":
        ties = np.unique(np.abs(nz)).size < nz.size
        method = "exact" if nz.size < 50 and not ties and nz.size == diff.size else "normal_cc"
    if method == "exact":
        p = sps.wilcoxon(nz, method="exact").pvalue
    else:
        p = sps.wilcoxon(nz, method="approx", correction=method == "normal_cc").pvalue
    return float(p), f"wilcoxon_{method}"


def _paired(df, spec, stat, pos, waves, groups, key, i, j, total, ci, wilcoxon="normal_cc") -> dict:
    f_rows, t_rows = _pairs(df, waves, key, i)
    keep = np.ones(f_rows.size, dtype=bool) if total else groups.index[f_rows] == j
    f_rows, t_rows = f_rows[keep], t_rows[keep]
    s = df[spec.column]
    if stat == "share":
        codes = list(spec.values)
        a0, a1 = s.iloc[f_rows], s.iloc[t_rows]
        ok = (a0.isin(codes) & a1.isin(codes).to_numpy()).to_numpy()
        p0, p1 = a0.isin(pos).to_numpy()[ok], a1.isin(pos).to_numpy()[ok]
        n = int(ok.sum())
        a, b, c = int((p0 & p1).sum()), int((p0 & ~p1).sum()), int((~p0 & p1).sum())
        if n:
            d, lo, hi = newcombe_paired(a, b, c, n - a - b - c, ci)
            p, test = mcnemar(b, c)
            v0, v1 = (a + b) / n, (a + c) / n
        else:
            d = lo = hi = p = v0 = v1 = np.nan
            test = "mcnemar_exact"
    else:
        x = numeric_values(s, spec)
        x0, x1 = x[f_rows], x[t_rows]
        ok = ~np.isnan(x0) & ~np.isnan(x1)
        x0, x1 = x0[ok], x1[ok]
        n = int(ok.sum())
        diff = x1 - x0
        d = diff.mean() if n else np.nan
        v0, v1 = (x0.mean(), x1.mean()) if n else (np.nan, np.nan)
        if n > 1:
            lo, hi = t_interval(d, diff.std(ddof=1) / np.sqrt(n), n - 1, ci)
        else:
            lo = hi = np.nan
        p, test = wilcoxon_signed_rank(diff, wilcoxon)
    return {
        "n_from": n,
        "n_to": n,
        "value_from": v0,
        "value_to": v1,
        "change": float(d),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "p_val": p,
        "test": test,
    }


def compare_waves(
    data: Any,
    items: str | Sequence[str],
    *,
    wave: str,
    by: str | None = None,
    paired_on: str | None = None,
    stat: str = "share",
    positive: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
    min_n: int | None = None,
    ci: float = 0.95,
    codebook: Codebook | None = None,
    weight: str | None = None,
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
    missing: Sequence[Any] | None = None,
    wilcoxon: str = "normal_cc",
) -> pd.DataFrame:
    """Compare each wave of ``wave`` with the next (see the module docstring for the methods).

    Parameters
    ----------
    data : Survey or DataFrame
    items : str or list of str
    wave : str
        The wave column; waves in code order (labels from ``codebook.wave``).
    by : str, optional
        Grouping column (for a panel: the group in the earlier wave).
    paired_on : str, optional
        Panel key; respondents are matched across waves on it.
    stat : {"share", "mean"}
    positive : codes or mapping item -> codes, optional
    min_n : int, optional
        Minimum n; default the codebook's (``max(min_n, codebook.min_n_for(item))``; 5 without).
    ci : float
    weight, strata, cluster, fpc : str, optional
        Design columns (default the codebook's ``design:``): independent waves are compared as
        design domains (see :mod:`survey_kit.stats._design_waves`); with ``paired_on`` the
        members answering both waves form the design (their design columns must be the same in
        both waves) and the change is the design mean of the differences (see
        :mod:`survey_kit.stats._design_panel`).
    missing : list, optional
        Codes outside the base ("Ved ikke") for data without a codebook.
    wilcoxon : {"normal_cc", "normal", "exact", "r"}
        Paired means: the Wilcoxon signed-rank method, one per call (see
        :func:`wilcoxon_signed_rank`); "r" is R's ``wilcox.test`` default rule. The ``test``
        column names the method used (``wilcoxon_normal_cc``, ...).

    Returns
    -------
    DataFrame
        One row per item x group (plus ``"I alt"``) x consecutive wave pair, columns
        :data:`WAVE_COLUMNS` (``change = value_to - value_from``; shares in [0, 1]).
    """
    df, cb = resolve(data, codebook)
    cols = expand_items(as_list(items, "items"), cb)
    if stat not in ("share", "mean"):
        raise ValueError(f"stat: expected 'share' or 'mean', got {stat!r}")
    ci, min_n = check_ci(ci), check_min_n(min_n)
    if paired_on is not None:
        if not isinstance(paired_on, str):
            raise ValueError("paired_on: expected a column name")
        require_column(df, paired_on, "paired_on")
    waves = _waves(df, wave, cb)
    missing = merge_missing(None, missing)
    if wilcoxon not in WILCOXON:
        raise ValueError(f"wilcoxon: expected one of {', '.join(WILCOXON)}, got {wilcoxon!r}")
    d = resolve_design(df, cb, weight=weight, strata=strata, cluster=cluster, fpc=fpc,
                       lonely_psu=lonely_psu, repweights=repweights, rep_type=rep_type,
                       rho=rho, scale=scale, rscales=rscales, mse=mse)
    groups = make_groups(df, by, cb)
    labels, gcodes = group_rows(groups) if by is not None else ([TOTAL_LABEL], [None])
    nw, g1 = waves.n_groups, groups.n_groups + 1
    # one index over wave x group (the last slot: rows without a wave)
    comb = Groups(
        np.where(waves.index < nw, waves.index * g1 + groups.index, nw * g1),
        [None] * (nw * g1),
        [],
        "wave",
    )
    rows: list[dict] = []
    min_ns = {}
    for col in cols:
        spec = item_spec(df, col, cb, dont_know=missing)
        mn = item_min_n(cb, col, min_n)
        min_ns[col] = mn
        pos: tuple = ()
        if stat == "share":
            pos = _positive(positive, col, spec.positive)
            if spec.numeric:
                raise ValueError(f"stat: column {col!r} holds numbers; use stat='mean'")
        dres = None
        if d is not None and paired_on is not None:
            dres = panel_changes(df, cb, spec, stat, pos, waves, wave, gcodes, by,
                                 paired_on, d, ci, _pairs, _waves)
        elif d is not None:
            coded = not spec.numeric and bool(spec.values) and all(
                isinstance(v, int | np.integer) and not isinstance(v, bool) for v in spec.codes
            )
            tabs = wave_tables(df, spec, stat, pos, comb, d, coded)
            dres = design_changes(d, tabs, stat, nw, g1, by is not None, ci)
        elif paired_on is None:
            cells = _cells(df, spec, stat, pos, comb, nw, g1)
        for i in range(nw - 1):
            base = {
                "item": col,
                "item_label": spec.label,
                "stat": stat,
                "by": by,
                "wave_from": waves.labels[i],
                "wave_to": waves.labels[i + 1],
                "wave_from_code": waves.codes[i],
                "wave_to_code": waves.codes[i + 1],
                "paired": paired_on is not None,
            }
            for j in range(len(labels)):
                total = by is None or j == len(labels) - 1
                if dres is not None:
                    r = dres[(i, j)]
                elif paired_on is None:
                    r = _independent(cells, stat, i, j, total, ci)
                else:
                    r = _paired(
                        df, spec, stat, pos, waves, groups, paired_on, i, j, total, ci, wilcoxon
                    )
                if min(r["n_from"], r["n_to"]) < mn:
                    r["p_val"] = np.nan
                rows.append({**base, "group": labels[j], "group_code": j, **r})
    table = pd.DataFrame(rows)
    for c in ("se", "df"):
        if c not in table.columns:
            table[c] = np.nan
    table["q_val"] = bh(table["p_val"].to_numpy(dtype=float))
    table["significant"] = (table["q_val"] < 1 - ci).to_numpy()
    table["group_code"] = code_array([gcodes[j] for j in table["group_code"]])
    table["n"] = table[["n_from", "n_to"]].min(axis=1).astype(np.int64)
    for c in ("n_from", "n_to"):
        table[c] = table[c].astype(np.int64)
    out = suppress_by_item(
        table,
        min_ns,
        partition=["item", "wave_from", "wave_to"],
        value_columns=[
            "n_from",
            "n_to",
            "value_from",
            "value_to",
            "change",
            "ci_low",
            "ci_high",
            "p_val",
            "q_val",
            "se",
            "df",
        ],
    )
    out.loc[out["suppressed"], "significant"] = False
    return out[WAVE_COLUMNS]


def attrition(
    data: Any,
    *,
    wave: str,
    paired_on: str,
    codebook: Codebook | None = None,
    min_n: int | None = None,
) -> pd.DataFrame:
    """Panel attrition: how many panel members answered which waves.

    Returns one row per wave pattern: ``pattern`` (Danish, e.g. ``"Før + Efter et år"`` or
    ``"Kun Før"``), ``waves`` (the wave codes, comma separated), ``n_waves``, ``n`` (panel
    members), ``share`` (of all panel members) and ``suppressed``. Rows without a key are left out.
    """
    df, cb = resolve(data, codebook)
    waves = _waves(df, wave, cb)
    if not isinstance(paired_on, str):
        raise ValueError("paired_on: expected a column name")
    require_column(df, paired_on, "paired_on")
    min_n = check_min_n(min_n)
    key = df[paired_on]
    ok = key.notna().to_numpy() & (waves.index < waves.n_groups)
    bits = pd.Series(np.left_shift(1, waves.index[ok]), index=key[ok].to_numpy())
    per_key = bits.groupby(level=0).agg(np.bitwise_or.reduce)
    counts = per_key.value_counts()
    rows = []
    for mask, n in counts.items():
        which = [j for j in range(waves.n_groups) if mask >> j & 1]
        names = [waves.labels[j] for j in which]
        pattern = " + ".join(names) if len(which) > 1 else f"Kun {names[0]}"
        rows.append(
            {
                "pattern": pattern,
                "waves": ",".join(str(waves.codes[j]) for j in which),
                "n_waves": len(which),
                "n": int(n),
                "share": n / len(per_key),
            }
        )
    table = pd.DataFrame(rows).sort_values(["n_waves", "waves"], ascending=[False, True])
    table = table.reset_index(drop=True)
    mn = max(min_n or 0, cb.min_n if cb is not None else 5)
    table["item"] = paired_on
    out = suppress_by_item(table, {paired_on: mn}, partition=[], value_columns=["share"])
    return out.drop(columns="item")


# -- trend over three or more waves ------------------------------------------------------------
TREND_COLUMNS = ["item", "item_label", "stat", "by", "group", "group_code", "n_waves", "waves", "n",
                 "slope", "ci_low", "ci_high", "p_val", "test", "suppressed", "is_total"]


def _logistic_trend(t: np.ndarray, x: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Slope (log odds per round) and its standard error of ``glm(cbind(x, n - x) ~ t, binomial)``
    by Newton-Raphson (IRLS) on the grouped counts; (nan, nan) when it does not exist: fewer than
    two rounds with answers, no or only positive answers, or a separation (the rounds split into
    all-no and all-yes, where R's glm warns that fitted probabilities are 0 or 1 and its slope
    runs off; the information matrix becomes singular)."""
    keep = n > 0
    t, x, n = t[keep], x[keep], n[keep]
    if (x.sum() == 0) or (x.sum() == n.sum()) or len(np.unique(t)) < 2:
        return float("nan"), float("nan")
    X = np.column_stack([np.ones_like(t), t])
    beta = np.array([np.log((x.sum() + 0.5) / (n.sum() - x.sum() + 0.5)), 0.0])
    try:
        for _ in range(100):
            p = 1 / (1 + np.exp(-(X @ beta)))
            w = n * p * (1 - p)
            info = X.T @ (X * w[:, None])
            step = np.linalg.solve(info, X.T @ (x - n * p))
            beta = beta + step
            if np.max(np.abs(step)) < 1e-12:
                break
        else:
            return float("nan"), float("nan")  # no convergence: a separation
        p = 1 / (1 + np.exp(-(X @ beta)))
        info = X.T @ (X * (n * p * (1 - p))[:, None])
        se = float(np.sqrt(np.linalg.inv(info)[1, 1]))
    except np.linalg.LinAlgError:
        return float("nan"), float("nan")
    return (float(beta[1]), se) if np.isfinite(beta[1]) and np.isfinite(se) else (float("nan"), float("nan"))


def _linear_trend(t: np.ndarray, n: np.ndarray, s: np.ndarray, ss: np.ndarray) -> tuple[float, float, float]:
    """Slope, standard error and residual df of ``lm(y ~ t)`` from per-wave n, sums and within-wave
    sums of squares."""
    N = n.sum()
    if N < 3 or (n > 0).sum() < 2:
        return float("nan"), float("nan"), float("nan")
    tbar = (n * t).sum() / N
    mean = np.where(n > 0, s / np.maximum(n, 1), 0.0)
    ybar = s.sum() / N
    sxx = (n * (t - tbar) ** 2).sum()
    b = (n * (t - tbar) * (mean - ybar)).sum() / sxx
    fitted = ybar + b * (t - tbar)
    rss = ss.sum() + (n * (mean - fitted) ** 2).sum()
    df = N - 2
    return float(b), float(np.sqrt(rss / df / sxx)), float(df)


def trend(
    data: Any,
    items: str | Sequence[str],
    *,
    wave: str,
    stat: str = "share",
    by: str | None = None,
    positive: Any = None,
    ci: float = 0.95,
    codebook: Codebook | None = None,
    min_n: int | None = None,
) -> pd.DataFrame:
    """A test of the trend over every wave of ``wave`` (three or more rounds), overall and per
    group of ``by``.

    * ``stat="share"``: logistic regression of the positive share on the round's position
      (0, 1, 2, ...): R's ``glm(cbind(x, n - x) ~ round, family = binomial)``; ``slope`` is the
      change in log odds per round, ``p_val`` its Wald z test (``summary(glm)``), ``test``
      ``"logistic_trend"``;
    * ``stat="mean"``: least squares of the answers on the round's position (R's ``lm``);
      ``slope`` in points per round, ``p_val`` its t test, ``test`` ``"linear_trend"``.

    Rounds where an item has no valid answer (asked later, or left out) are not part of its
    trend; the codebook's broken rounds (``recode`` with ``comparison: broken``) neither. A row
    with fewer than two rounds gets no test; a row where a round has fewer than the item's
    minimum n respondents is suppressed (no test). Without a sampling design only.
    """
    df, cb = resolve(data, codebook)
    if stat not in ("share", "mean"):
        raise ValueError(f"stat: expected 'share' or 'mean', got {stat!r}")
    ci = check_ci(ci)
    min_n = check_min_n(min_n)
    if cb is not None and cb.design is not None and cb.design.columns:
        raise ValueError("trend: a sampling design is not supported; compare rounds with compare_waves")
    waves = _waves(df, wave, cb)
    cols = expand_items(as_list(items, "items"), cb)
    rows = []
    t_all = np.arange(waves.n_groups, dtype=float)
    z = sps.norm.ppf(0.5 + ci / 2)
    gcol = by
    gvals: list[tuple[Any, Any, np.ndarray]] = [(TOTAL_LABEL, pd.NA, np.ones(len(df), dtype=bool))]
    if by is not None:
        require_column(df, by, "by")
        gr = make_groups(df, by, cb, name="by")
        gvals = [(lab, code, (gr.index == j)) for j, (lab, code) in enumerate(zip(gr.labels, gr.codes, strict=True))] + gvals
    for col in cols:
        spec = item_spec(df, col, cb)
        x = numeric_values(df[col], spec)
        valid = ~np.isnan(x)
        base = cb.item_for_column(col).code if cb is not None and cb.item_for_column(col) is not None else col
        broken = set(cb.broken_waves(base)) if cb is not None and (base in cb or base in {s.code for s in cb.scales}) else set()
        keep_wave = np.array([c not in broken for c in waves.codes] + [False])
        mn = item_min_n(cb, col, min_n)
        if stat == "share":
            pos = _positive(positive, col, spec.positive)
            hit = np.isin(x, [float(c) for c in pos])
        for label, code, gmask in gvals:
            ok = valid & gmask & keep_wave[np.minimum(waves.index, waves.n_groups)]
            idx = waves.index[ok]
            n = np.bincount(idx, minlength=waves.n_groups + 1)[: waves.n_groups].astype(float)
            used = n > 0
            row = {"item": col, "item_label": spec.label, "stat": stat, "by": by, "group": label,
                   "group_code": code, "n_waves": int(used.sum()),
                   "waves": ", ".join(lab for lab, u in zip(waves.labels, used, strict=True) if u),
                   "n": int(n.sum()), "slope": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_val": np.nan,
                   "test": "logistic_trend" if stat == "share" else "linear_trend",
                   "suppressed": bool(((n > 0) & (n < mn)).any()), "is_total": gcol is None or code is pd.NA}
            if row["suppressed"]:
                row["n"] = pd.NA
                rows.append(row)
                continue
            if used.sum() >= 2:
                t = t_all[used]
                if stat == "share":
                    xs = np.bincount(idx, weights=hit[ok].astype(float), minlength=waves.n_groups + 1)[: waves.n_groups]
                    b, se = _logistic_trend(t, xs[used], n[used])
                    p = 2 * sps.norm.sf(abs(b / se)) if np.isfinite(se) and se > 0 else np.nan
                    q = z
                else:
                    s = np.bincount(idx, weights=x[ok], minlength=waves.n_groups + 1)[: waves.n_groups]
                    mean = np.where(n > 0, s / np.maximum(n, 1), 0.0)
                    ss = np.bincount(idx, weights=(x[ok] - mean[idx]) ** 2, minlength=waves.n_groups + 1)[: waves.n_groups]
                    b, se, dfree = _linear_trend(t, n[used], s[used], ss[used])
                    p = 2 * sps.t.sf(abs(b / se), dfree) if np.isfinite(se) and se > 0 else np.nan
                    q = sps.t.ppf(0.5 + ci / 2, dfree) if np.isfinite(dfree) else np.nan
                if np.isfinite(b):
                    row.update(slope=b, ci_low=b - q * se, ci_high=b + q * se, p_val=float(p))
            rows.append(row)
    out = pd.DataFrame(rows, columns=TREND_COLUMNS)
    out["group_code"] = code_array(out["group_code"].tolist())
    out["n"] = out["n"].astype("Int64")
    return out
