"""Design-based shares and means per group for :func:`survey_kit.stats.compare`.

Estimates, ``se``, ``deff`` and ``df`` per domain (as R's ``svyby``); the test across groups is
Rao-Scott's F (``svychisq``) for shares and the design Wald F (``regTermTest`` on ``svyglm``;
``svyttest`` for two groups) for means; each group against the rest of the respondents by the same
test on the 2 x 2 table / two domains.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from survey_kit.stats._common import Groups, encode, numeric_values
from survey_kit.stats._design_rep import rep_totals, rep_var
from survey_kit.stats.design import (
    Design,
    cov_totals,
    degf,
    domain_stats,
    domain_tables,
    tabulate_design,
)
from survey_kit.stats.raoscott import (
    ciprop,
    glm_intercepts,
    rao_scott,
    rao_scott_batch,
    wald_means,
)


def design_result(n, value, lo, hi, method: str, se, deff, dfree) -> dict:
    """The columns of one estimate per group (no test yet): what every design path returns."""
    return {"n": n, "value": np.where(n > 0, value, np.nan), "ci_low": lo, "ci_high": hi,
            "ci_method": method, "se": se, "deff": deff, "df": dfree, "p_val": np.nan,
            "effect": np.nan, "effect_name": "", "test": "", "direction": np.zeros(n.size)}


def _fill(res: dict, st: dict, n: np.ndarray, ci: float, method: str | None, col: int | None):
    pick = (lambda a: a[:, col]) if col is not None else (lambda a: a)
    value, se, deff = pick(st["value"]), pick(st["se"]), pick(st["deff"])
    res.update(n=n, value=np.where(n > 0, value, np.nan), se=se, deff=deff, df=st["df"])
    return value, se


def domain_masks(groups: Groups, base: np.ndarray) -> list[np.ndarray]:
    """Rows of the base in each published domain: every group, then the total (as
    :func:`~survey_kit.stats.design.domain_tables`)."""
    if groups.by is None:
        return [base]
    return [base & (groups.index == g) for g in range(groups.n_groups)] + [base]


def share_design(df, col, spec, groups: Groups, d: Design, pos, ci, mn, method):
    """Shares of the ``pos`` codes per group and the total, with design tests: (res, vs_total p)."""
    spec, tabs = tabulate_design(df, spec, groups, d)
    nv = len(spec.values)
    unknown = [c for c in pos if c not in spec.values]
    if unknown and not spec.provisional:
        raise ValueError(f"positive: codes {unknown} are not answer codes of {col!r}")
    pm = np.array([c in pos for c in spec.values], dtype=bool)

    def two(a):  # (U, g1, k) -> (U, g1, 2): positive, other answer codes
        if a is None:
            return None
        v = a[:, :, :nv]
        return np.stack([v[:, :, pm].sum(axis=2), v[:, :, ~pm].sum(axis=2)], axis=2)

    t2 = {k: two(v) for k, v in tabs.items()}
    dom = domain_tables(t2, groups)
    st = domain_stats(d, dom, np.array([0, 1]))
    n = dom["n"].sum(axis=(0, 2))
    res: dict = {}
    value, se = _fill(res, st, n, ci, method, 0)
    se_logit = st["se_logit"][:, 0] if "se_logit" in st else None
    glm = None
    if method == "likelihood":  # R's IRLS fit of svyglm(y ~ 1) per domain (rows needed)
        idx = encode(df[col], spec.codes)
        base = idx < nv
        hit = base & pm[np.minimum(idx, nv - 1)]
        glm = glm_intercepts(d.w, hit, domain_masks(groups, base))
    res["ci_low"], res["ci_high"] = ciprop(value, se, st["df"], st["nrow"], ci, method,
                                           se_logit=se_logit, npos=st["npos"],
                                           replicate=d.rep is not None, glm=glm)
    res["ci_method"] = method
    g = groups.n_groups
    p = eff = np.nan
    test = effect_name = ""
    vs_p = np.full(g + 1, np.nan)
    if g:
        # a group below min_n or with zero total weight is left out of the tests
        ok = (n[:g] >= mn) & (n[:g] > 0) & (st["wsum"][:g] > 0)
        if ok.sum() >= 2:
            sel = np.flatnonzero(ok)
            t = t2["t"][:, sel]
            sq = None if t2["t2"] is None else t2["t2"][:, sel]
            cnt = t2["n"][:, sel]
            nrow = float(cnt.sum())
            rs = rao_scott(d, t, sq, nrow, float(degf(d, cnt.sum(axis=(1, 2)))))
            p = rs["p_val"]
            test, effect_name = "rao_scott_f", "cramers_v"
            eff = float(np.sqrt(rs["chi2"] / nrow)) if rs["dof"] else np.nan
        # each group against all other respondents (with a valid answer): 2 x 2 Rao-Scott F
        allrows = float(t2["n"].sum())
        nu = float(degf(d, t2["n"].sum(axis=(1, 2))))
        tot_t = t2["t"].sum(axis=1)
        tot_q = None if t2["t2"] is None else t2["t2"].sum(axis=1)
        rest_val = np.full(g, np.nan)
        el = np.flatnonzero(ok)
        if el.size:  # every group against the rest, one batch of 2 x 2 tables
            tj = t2["t"][:, el]  # (U, B, 2)
            t = np.stack([tj, tot_t[:, None] - tj], axis=2)
            q = None
            if tot_q is not None:
                qj = t2["t2"][:, el]
                q = np.stack([qj, tot_q[:, None] - qj], axis=2)
            vs_p[el] = rao_scott_batch(d, t, q, allrows, nu)["p_val"]
            rw = t[:, :, 1].sum(axis=0)  # (B, 2)
            with np.errstate(divide="ignore", invalid="ignore"):
                rest_val[el] = rw[:, 0] / rw.sum(axis=1)
        res["direction"] = np.append(np.sign(value[:g] - rest_val), 0)
        vs_p[:g] = np.where(np.isnan(res["direction"][:g]), np.nan, vs_p[:g])
        res["direction"] = np.nan_to_num(res["direction"])
    res.update(p_val=p, effect=eff, effect_name=effect_name, test=test)
    return spec, res, vs_p


def _numeric_tables(df, spec, groups: Groups, d: Design) -> dict:
    """Per unit x group: counts, positive-weight counts, [sum w, sum w x, sum w x^2] and (rows
    as PSUs) the second moments [[w^2, w^2 x], [w^2 x, w^2 x^2]]."""
    return value_tables(numeric_values(df[spec.column], spec), groups, d)


def value_tables(x: np.ndarray, groups: Groups, d: Design) -> dict:
    """:func:`_numeric_tables` of the values ``x`` (NaN: not in the base)."""
    valid = ~np.isnan(x)
    g1 = groups.n_groups + 1
    u = d.n_units
    key = (d.unit * g1 + groups.index)[valid]
    m = u * g1
    xv, wv = x[valid], d.w[valid]

    def b(weights=None):
        return np.bincount(key, weights=weights, minlength=m).reshape(u, g1)

    wx = wv * xv
    out = {"n": b(), "t": np.stack([b(wv), b(wx), b(wx * xv)], axis=2), "t2": None}
    out["npos"] = b((wv > 0).astype(float)) if d.has_zero_weights else out["n"]
    if not d.clustered:
        w2 = wv * wv
        a, bx, bxx = b(w2), b(w2 * xv), b(w2 * xv * xv)
        out["t2"] = np.stack([np.stack([a, bx], axis=2), np.stack([bx, bxx], axis=2)], axis=3)
    return out


def _mean_parts(tabs: dict, coded_values: np.ndarray | None):
    """(t, t2, jacobian builder) of domain means: coded tables (values per code) or numeric
    tables ([sum w, sum w x] cells)."""
    if coded_values is not None:
        return tabs["t"], tabs["t2"]
    return tabs["t"][:, :, :2], None if tabs["t2"] is None else tabs["t2"]


def _means_cov(d: Design, t, t2, values) -> tuple[np.ndarray, np.ndarray]:
    """Means of disjoint domains and their joint design covariance, batched.

    ``t``: (U, B, G, k) unit totals (k codes, or [sum w, sum w x] for numeric values); ``t2``
    (rows as PSUs): (U, B, G, k) squared-weight sums or (U, B, G, k, k) second-moment blocks.
    Returns means (B, G) and covariances (B, G, G)."""
    u, b, g, k = t.shape
    if t2 is None:
        q = None
    elif t2.ndim == 4:
        q = t2.reshape(u, b, g * k)
    else:  # block-diagonal second moments of the numeric cells
        q = np.zeros((u, b, g * k, g * k))
        for i in range(g):
            q[:, :, i * k : (i + 1) * k, i * k : (i + 1) * k] = t2[:, :, i]
    tot = t.sum(axis=0)  # (B, G, k)
    if d.rep is not None:  # each replicate's own means (R's svymean / svyglm on svrepdesign)
        tr = rep_totals(d, t)  # (R, B, G, k)
        with np.errstate(divide="ignore", invalid="ignore"):
            if values is not None:
                m, mr = tot @ values / tot.sum(axis=2), tr @ values / tr.sum(axis=3)
            else:
                m, mr = tot[:, :, 1] / tot[:, :, 0], tr[..., 1] / tr[..., 0]
        return m, rep_var(d, m, mr)
    s = cov_totals(d, t.reshape(u, b, g * k), q)  # (B, Gk, Gk)
    with np.errstate(divide="ignore", invalid="ignore"):
        if values is not None:
            wd = tot.sum(axis=2)
            m = tot @ values / wd
            jv = (values[None, None, :] - m[:, :, None]) / wd[:, :, None]  # (B, G, k)
        else:
            wd = tot[:, :, 0]
            m = tot[:, :, 1] / wd
            jv = np.stack([-m, np.ones_like(m)], axis=2) / wd[:, :, None]
    j = np.zeros((b, g, g * k))
    for i in range(g):
        j[:, i, i * k : (i + 1) * k] = jv[:, i]
    return m, j @ s @ j.transpose(0, 2, 1)


def mean_design(df, col, spec, groups: Groups, d: Design, coded: bool, ci, mn):
    """Means per group and the total with design tests: (spec, res, vs_total p)."""
    if coded:
        spec, tabs = tabulate_design(df, spec, groups, d)
        nv = len(spec.values)
        values = np.array(list(spec.values), dtype=float)
        tabs = {k: None if v is None else v[:, :, :nv] for k, v in tabs.items()}
    else:
        tabs = _numeric_tables(df, spec, groups, d)
        values = None
    dom = domain_tables(tabs, groups)
    n = dom["n"].sum(axis=0) if not coded else dom["n"].sum(axis=(0, 2))
    npos = dom["npos"] if not coded else dom["npos"].sum(axis=2)
    t, t2 = _mean_parts(dom, values)
    # each domain on its own (domains overlap the total): a batch of one-domain problems
    m, v = _means_cov(d, t[:, :, None], None if t2 is None else t2[:, :, None], values)
    value, se = m[:, 0], np.sqrt(np.maximum(v[:, 0, 0], 0.0))
    dfree = degf(d, npos)
    with np.errstate(divide="ignore", invalid="ignore"):
        tot = dom["t"].sum(axis=0)
        if coded:
            wd = tot.sum(axis=1)
            popvar = (tot * (values[None, :] - value[:, None]) ** 2).sum(axis=1) / wd
        else:
            wd = tot[:, 0]
            popvar = tot[:, 2] / wd - value**2
        nobs = npos.sum(axis=0)
        vsrs = popvar / (nobs - 1)
        deff = np.where(vsrs > 0, se**2 / vsrs, np.nan)
    from survey_kit.stats.raoscott import _tq

    half = _tq(ci, dfree) * se
    res = design_result(n, value, value - half, value + half, "t_design", se, deff, dfree)
    g = groups.n_groups
    p = np.nan
    test = ""
    vs_p = np.full(g + 1, np.nan)
    if g:
        gt, gq = _mean_parts(tabs, values)  # (U, g1, k): groups and the no-group row
        gnpos = tabs["npos"] if not coded else tabs["npos"].sum(axis=2)
        wpos = wd[:g] > 0  # a group with zero total weight is left out of the tests
        ok = np.flatnonzero((n[:g] >= mn) & (n[:g] >= 2) & wpos)
        if ok.size >= 2:
            m, v = _means_cov(d, gt[:, None, ok], None if gq is None else gq[:, None, ok], values)
            r = wald_means(m[0], v[0], float(degf(d, gnpos[:, ok].sum(axis=1))))
            p = r["p_val"]
            test = "design_t" if ok.size == 2 else "wald_f"
        nu = float(degf(d, gnpos.sum(axis=1)))
        tot_t = gt.sum(axis=1)
        tot_q = None if gq is None else gq.sum(axis=1)
        direction = np.zeros(g + 1)
        el = np.flatnonzero((n[:g] >= mn) & (n[:g] >= 2) & (n[g] - n[:g] >= 2) & wpos)
        if el.size:  # every group against the rest, one batch: svyttest(x ~ I(g == j))
            gj = gt[:, el]
            tt = np.stack([gj, tot_t[:, None] - gj], axis=2)  # (U, B, 2, k)
            qq = None
            if gq is not None:
                qj = gq[:, el]
                qq = np.stack([qj, tot_q[:, None] - qj], axis=2)
            m, v = _means_cov(d, tt, qq, values)
            with np.errstate(divide="ignore", invalid="ignore"):
                tstat = (m[:, 0] - m[:, 1]) / np.sqrt(v[:, 0, 0] + v[:, 1, 1] - 2 * v[:, 0, 1])
            vs_p[el] = 2 * sps.t.sf(np.abs(tstat), nu - 1) if nu > 1 else np.nan
            direction[el] = np.sign(m[:, 0] - m[:, 1])
        res["direction"] = direction
    res.update(p_val=p, effect=np.nan, effect_name="", test=test)
    return spec, res, vs_p


def total_design(df, col, spec, groups: Groups, d: Design, coded: bool, ci):
    """Weighted totals per group and the total (``svytotal``/``svyby``): (spec, res, vs_total p).

    ``se`` Taylor-linearised, ``deff`` as R's ``deff="replace"`` (``svyvar * (sum w)^2 / n``),
    interval ``total +/- t(df) se``; no test across groups (totals depend on group sizes)."""
    if coded:
        spec, tabs = tabulate_design(df, spec, groups, d)
        nv = len(spec.values)
        values = np.array(list(spec.values), dtype=float)
        tabs = {k: None if v is None else v[:, :, :nv] for k, v in tabs.items()}
    else:
        tabs = _numeric_tables(df, spec, groups, d)
        values = None
    dom = domain_tables(tabs, groups)
    if coded:
        n, npos = dom["n"].sum(axis=(0, 2)), dom["npos"].sum(axis=2)
        t, t2, jac = dom["t"], dom["t2"], values
    else:
        n, npos = dom["n"].sum(axis=0), dom["npos"]
        t, t2, jac = dom["t"][:, :, :2], dom["t2"], np.array([0.0, 1.0])
    s = cov_totals(d, t, t2)  # (D, k, k)
    tot = dom["t"].sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if coded:
            wd = tot.sum(axis=1)
            value = tot @ values
            mean = value / wd
            popvar = (tot * (values[None, :] - mean[:, None]) ** 2).sum(axis=1) / wd
        else:
            wd, value = tot[:, 0], tot[:, 1]
            popvar = tot[:, 2] / wd - (value / wd) ** 2
        se = np.sqrt(np.maximum(np.einsum("k,dkl,l->d", jac, s, jac), 0))
        nobs = npos.sum(axis=0)
        vsrs = nobs / (nobs - 1) * popvar * wd**2 / nobs
        deff = np.where(vsrs > 0, se**2 / vsrs, np.nan)
    dfree = degf(d, npos)
    from survey_kit.stats.raoscott import _tq

    half = _tq(ci, dfree) * se
    res = design_result(n, value, value - half, value + half, "t_design", se, deff, dfree)
    return spec, res, np.full(n.size, np.nan)
