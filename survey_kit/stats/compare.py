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

With a design (``weight=``, ``strata=``, ``cluster=``, ``fpc=`` as column names, or the
codebook's ``design:`` block; a weight alone is a design with every row its own PSU) the
estimates are design-based and agree with R's ``survey`` package (see
:mod:`survey_kit.stats.design`): Taylor-linearised ``se``, ``deff`` (R's ``deff="replace"``) and
design ``df`` per group (domain estimation, as ``svyby``); shares with a ``svyciprop`` interval
(``ci_method``, default "logit"), the test across groups Rao-Scott's F (``svychisq``, ``test =
"rao_scott_f"``) and ``vs_total`` by the 2 x 2 Rao-Scott F of the group against the rest; means
with ``mean +/- t(df) se`` (``ci_method = "t_design"``), the design Wald F (``regTermTest`` on
``svyglm``, ``"wald_f"``; ``"design_t"`` = ``svyttest`` for two groups) and ``vs_total`` by
``svyttest(y ~ group == g)``; medians by ``svyquantile`` with Woodruff intervals
(``"woodruff"``) and R's ``svyranktest`` (``"design_wilcoxon"``, ``"design_kruskal_wallis"``;
see :mod:`survey_kit.stats._design_median`). A group with zero total weight is left out of the
tests. ``n`` is always the unweighted base. Without a design ``se``, ``deff`` and
``df`` are empty and every number is as before.

Tests use the unsuppressed data, but a group below the item's minimum n is left out of the test
across groups and gets no ``vs_total`` flag; its respondents still count in the total and in "the
rest" of the other groups. ``q_val`` adjusts ``p_val`` over the items of the call
(Benjamini-Hochberg); ``vs_total`` flags use BH-adjusted p-values over every group x item of the
call, at the level ``1 - ci``.

Finite population correction without a design: with ``fpc`` (group code -> population size N,
taken from ``codebook.population[by]`` when not given and the data holds a single wave) the
standard errors of each group are multiplied by
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

from survey_kit.codebook import Codebook
from survey_kit.stats import _location as L
from survey_kit.stats import _tests as T
from survey_kit.stats._common import (
    HIGHER,
    LOWER,
    Groups,
    as_list,
    bh,
    check_ci,
    check_min_n,
    chi2_table,
    code_array,
    expand_items,
    fpc_factor,
    group_rows,
    item_min_n,
    item_spec,
    make_groups,
    merge_missing,
    resolve,
    suppress_by_item,
    tabulate,
    wilson,
    with_total,
)
from survey_kit.stats._design_compare import mean_design, share_design, total_design
from survey_kit.stats._design_median import median_design
from survey_kit.stats.design import resolve_design
from survey_kit.stats.raoscott import check_ci_method

COMPARE_COLUMNS = [
    "item",
    "item_label",
    "stat",
    "by",
    "group",
    "group_code",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "p_val",
    "q_val",
    "effect",
    "effect_name",
    "test",
    "vs_total",
    "suppressed",
    "is_total",
    "ci_method",
    "se",
    "deff",
    "df",
]
STATS = ("share", "mean", "median", "total")


def _populations(fpc: Any, groups: Groups, cb: Codebook | None, df: pd.DataFrame) -> np.ndarray:
    """Population size per published row (groups, then the total); NaN where unknown.

    The codebook's population sizes are per wave: they apply by default only when the data holds
    a single wave (or the codebook has no wave column).
    """
    g = groups.n_groups
    out = np.full(g + 1, np.nan)
    if fpc is False or groups.by is None and fpc is None:
        return out
    if fpc is None:
        fpc = cb.population.get(groups.by) if cb is not None else None
        if fpc is None:
            return out
        if cb.wave is not None and cb.wave.column in df and df[cb.wave.column].nunique() > 1:
            return out
    if not isinstance(fpc, Mapping):
        raise ValueError("fpc: expected a mapping of group code -> population size, or False")
    if groups.by is None:
        raise ValueError(
            "fpc: population sizes per group need by=; for a sample of the whole population "
            "give a design (fpc= the column of the population size, with weight=/strata=)"
        )
    for code, size in fpc.items():
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
            raise ValueError(f"fpc: population size of group {code!r} must be a positive integer")
    for i, code in enumerate(groups.codes):
        if code in fpc:
            out[i] = fpc[code]
    if g and not np.isnan(out[:g]).any():
        out[g] = out[:g].sum()
    return out


def _coded(spec) -> bool:
    """True for an item with integer answer codes: means and medians come from its count table."""
    return (
        not spec.numeric
        and bool(spec.values)
        and all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in spec.codes)
    )


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


def _share(df, col, spec, groups, pos, ci, mn, pop):
    """Shares without a design (Wilson interval, Pearson chi-square)."""
    spec, tabs = tabulate(df, spec, groups, (None,))
    nv = len(spec.values)
    unknown = [c for c in pos if c not in spec.values]
    if unknown and not spec.provisional:
        raise ValueError(f"positive: codes {unknown} are not answer codes of {col!r}")
    posmask = np.array([c in pos for c in spec.values], dtype=bool)
    raw = tabs[0]
    n_all = raw[:, :nv].sum(axis=1)  # per group incl. the no-group row
    x_all = raw[:, :nv][:, posmask].sum(axis=1)
    wx_all, wn_all, w2_all = x_all.astype(float), n_all.astype(float), n_all.astype(float)
    g = groups.n_groups
    n = with_total(n_all[:, None], groups)[:, 0]
    wx = with_total(wx_all[:, None], groups)[:, 0]
    wn = with_total(wn_all[:, None], groups)[:, 0]
    w2 = with_total(w2_all[:, None], groups)[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(wn > 0, wx / wn, np.nan)
        neff = np.where(w2 > 0, wn**2 / w2, 0.0)
    L.check_population(n, pop, [*groups.labels, "I alt"], col)
    f = fpc_factor(n, pop)
    with np.errstate(divide="ignore"):
        size = np.where(f == 0, np.inf, neff / f**2)
    with np.errstate(invalid="ignore"):  # 0 * inf where a census group is complete
        succ = wx if np.isnan(pop).all() else value * size
    low, high = wilson(np.where(np.isinf(size), value, succ), size, ci)
    low = np.where(np.isinf(size), value, low)
    high = np.where(np.isinf(size), value, high)
    res = {
        "n": n,
        "value": value,
        "ci_low": low,
        "ci_high": high,
        "ci_method": "wilson",
    }
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
        r_neff, r_pos = tot_n - e_n, tot_pos - e_pos
        vp = T.two_proportion(e_pos, e_n, r_pos, r_neff)
        with np.errstate(divide="ignore", invalid="ignore"):  # a group without answers: NaN
            direction = np.sign(e_pos / e_n - r_pos / r_neff)
        vs_p[:g] = np.where(ok, vp * np.where(direction == 0, np.nan, 1), np.nan)
        res["direction"] = np.append(direction, 0)
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
    min_n: int | None = None,
    ci: float = 0.95,
    codebook: Codebook | None = None,
    fpc: Mapping[Any, int] | str | bool | None = None,
    strata: str | None = None,
    cluster: str | list[str] | None = None,
    lonely_psu: str | None = None,
    repweights: str | list[str] | None = None,
    rep_type: str | None = None,
    rho: float | None = None,
    scale: float | None = None,
    rscales: float | list[float] | None = None,
    mse: bool | None = None,
    missing: Sequence[Any] | None = None,
    ci_method: str | None = None,
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
    stat : {"share", "mean", "median", "total"}
        "total" (with a design only): the estimated population total of the item's values
        (``svytotal``), no test across groups.
    positive : list of codes or mapping item -> codes, optional
        Codes making the share; default the item's ``positive`` codes from the codebook.
    weight, strata, cluster : str, optional
        Design columns (default: the codebook's ``design:`` block). With a design (a weight
        alone is one, every row its own PSU) estimates are design-based: ``se``, ``deff``, ``df``,
        share intervals by ``ci_method``, Rao-Scott / Wald tests (see :mod:`.design`).
        ``cluster`` (and ``fpc``) may list one column per stage: ``cluster=["psu", "ssu"]``.
    lonely_psu : str, optional
        A stratum with one PSU: "adjust" (default, with a warning naming the strata),
        "average", "certainty", "remove" or "fail" (R's ``survey.lonely.psu``).
    min_n : int, optional
        Minimum n; the applied minimum is ``max(min_n, codebook.min_n_for(item))`` (the codebook's
        ``min_n`` by default; 5 without a codebook). Smaller
        groups are suppressed and left out of the tests.
    ci : float
        Confidence level; ``vs_total`` flags at the level ``1 - ci``.
    fpc : mapping, str or False, optional
        Without a design: population size per group code for the finite population correction;
        default ``codebook.population[by]`` when the codebook has it; ``False`` turns it off.
        A column name: the design's population size per stratum (as ``svydesign(fpc=)``);
        a list of them for a multi-stage design. Without ``weight`` the weights are N / n.
    missing : list, optional
        Codes outside the base ("Ved ikke") for data without a codebook.
    ci_method : str, optional
        Share interval: "wilson" without a design; with one a ``svyciprop`` method ("logit",
        default, "beta", "mean", "asin", "xlogit", "likelihood").

    Returns
    -------
    DataFrame
        One row per item x group plus the total row, columns :data:`COMPARE_COLUMNS`.

    Examples
    --------
    >>> compare(survey, ["ml_1", "ml_2"], by="omraade")  # doctest: +SKIP
    """
    df, cb = resolve(data, codebook)
    cols = expand_items(as_list(items, "items"), cb)
    if stat not in STATS:
        raise ValueError(f"stat: expected one of {', '.join(STATS)}, got {stat!r}")
    ci = check_ci(ci)
    min_n = check_min_n(min_n)
    groups = make_groups(df, by, cb)
    missing = merge_missing(None, missing)
    fpc_col = fpc if isinstance(fpc, str | list | tuple) else None
    d = resolve_design(df, cb, weight=weight, strata=strata, cluster=cluster, fpc=fpc_col,
                       lonely_psu=lonely_psu, repweights=repweights, rep_type=rep_type,
                       rho=rho, scale=scale, rscales=rscales, mse=mse)
    method = check_ci_method(ci_method, d) if stat == "share" else None
    if stat == "total" and d is None:
        raise ValueError(
            "stat: 'total' estimates a population total and needs a design (weight=, strata=, "
            "cluster= or the codebook's design:)"
        )
    pop = _populations(None if fpc_col else fpc, groups, cb, df)
    if d is not None and not np.isnan(pop).all():
        raise ValueError("fpc: a population per group does not combine with a design; "
                         "give the design's fpc column instead")
    labels, gcodes = group_rows(groups) if by is not None else (["I alt"], [None])
    parts, vs_ps, dirs, min_ns = [], [], [], {}
    for col in cols:
        spec = item_spec(df, col, cb, dont_know=missing)
        if stat != "share" and cb is not None and col in cb and cb[col].type == "single":  # nominal codes
            raise ValueError(f"stat: item {col!r} is not ordinal (type single), so a {stat} of its codes means nothing; use stat='share' or make it likert in the codebook")
        mn = item_min_n(cb, col, min_n)
        min_ns[col] = mn
        if d is not None:
            if stat == "total":
                spec, res, vs_p = total_design(df, col, spec, groups, d, _coded(spec), ci)
            elif stat == "median":
                spec, res, vs_p = median_design(df, col, spec, groups, d, _coded(spec), ci, mn)
            elif stat == "share":
                if spec.numeric:
                    raise ValueError(
                        f"stat: column {col!r} holds numbers; use stat='mean' or 'median'"
                    )
                pos = _positive(positive, col, spec.positive)
                spec, res, vs_p = share_design(df, col, spec, groups, d, pos, ci, mn, method)
            else:
                spec, res, vs_p = mean_design(df, col, spec, groups, d, _coded(spec), ci, mn)
        elif stat == "share":
            if spec.numeric:
                raise ValueError(f"stat: column {col!r} holds numbers; use stat='mean' or 'median'")
            pos = _positive(positive, col, spec.positive)
            res, vs_p = _share(df, col, spec, groups, pos, ci, mn, pop)
        elif _coded(spec):
            spec, tabs = tabulate(df, spec, groups, (None,))
            nv = len(spec.values)
            cv = np.array(list(spec.values), dtype=float)
            c = tabs[0][:, :nv]
            wt = c.astype(float)
            if stat == "mean":
                mom = L.moments_from_table(cv, c, wt, wt)
                res, vs_p = L.mean_stats(mom, groups, False, ci, mn, pop, col)
            else:
                res, vs_p = L.median_stats(cv, c, None, None, groups, ci, mn, pop, col)
        elif stat == "mean":
            mom = L.moments_from_values(df, spec, groups, None)
            res, vs_p = L.mean_stats(mom, groups, False, ci, mn, pop, col)
        else:
            res, vs_p = L.median_from_values(df, spec, groups, None, ci, mn, pop)
        parts.append((col, spec.label, res))
        vs_ps.append(vs_p)
        dirs.append(res.pop("direction", np.zeros(len(labels))))
    p_item = np.array([float(res["p_val"]) for _, _, res in parts])
    q_item = bh(p_item)
    vs_q = bh(np.concatenate(vs_ps)) if vs_ps else np.array([])
    flags = np.where(vs_q < 1 - ci, np.where(np.concatenate(dirs) > 0, HIGHER, LOWER), "")
    g = len(labels)
    table = pd.DataFrame(
        {
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
            "se": np.concatenate([r.get("se", np.full(g, np.nan)) for _, _, r in parts]),
            "deff": np.concatenate([r.get("deff", np.full(g, np.nan)) for _, _, r in parts]),
            "df": np.concatenate([r.get("df", np.full(g, np.nan)) for _, _, r in parts]),
        }
    )
    out = suppress_by_item(
        table,
        min_ns,
        partition=["item"],
        value_columns=["value", "ci_low", "ci_high", "se", "deff", "df"],
    )
    out.loc[out["suppressed"], "vs_total"] = ""
    return out[COMPARE_COLUMNS]
