"""Paired change of a panel with a sampling design, for ``compare_waves(paired_on=...)``.

The panel members who answered both waves (the linked rows) form the design: one row per member
with the design columns of its rows, which must be the same in both waves (one design per
member: a longitudinal or baseline weight, the member's stratum and PSU). On that design the change
is R's ``svymean(~I(post - pre))`` over the members with a valid answer in both waves, per group of
``by`` (the group in the earlier wave) as ``svyby`` / ``subset()``; ``value_from`` and ``value_to``
are ``svymean(~pre)`` and ``svymean(~post)`` over the same members; for shares ``pre`` and ``post``
are 0/1 (a positive answer). The interval is ``change +/- t(df) se`` with ``df`` the design degrees
of freedom of the members in the base (as the independent waves' ``design_t``), ``p_val`` R's
``svyttest(I(post - pre) ~ 0, ...)`` (t on ``df - 1``), ``test = "design_t"``. On a filtered
survey the linked design is the whole data's, restricted to the members whose rows both lie in
the domain (R's ``subset(design, ...)``). Replicate-weight designs take the same path.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from survey_kit.errors import DataError
from survey_kit.stats._common import numeric_values
from survey_kit.stats.design import Design, domain_of, mark_domain

_FROM, _TO, _CHANGE = "sk_panel_from", "sk_panel_to", "sk_panel_change"


def design_columns(d: Design) -> list[str]:
    """The columns holding a resolved design (weight, strata, clusters, fpc, replicate weights)."""
    cols: list[str] = []
    for v in (d.weight, d.strata, d.cluster, d.fpc):
        if isinstance(v, str):
            cols.append(v)
        elif v is not None:
            cols.extend(v)
    if d.rep is not None:
        cols.extend(d.rep.columns)
    return list(dict.fromkeys(cols))


def _design_args(d: Design) -> dict:
    """Arguments that rebuild ``d``'s design on other rows with the same columns."""
    if d.rep is not None:  # the type only sets the scale: "other" with R's scale is the same
        return {"weight": d.weight, "repweights": list(d.rep.columns), "rep_type": "other",
                "scale": d.rep.scale, "rscales": [float(r) for r in d.rep.rscales],
                "mse": d.rep.mse}
    return {"weight": d.weight, "strata": d.strata,
            "cluster": list(d.cluster) if isinstance(d.cluster, tuple) else d.cluster,
            "fpc": list(d.fpc) if isinstance(d.fpc, tuple) else d.fpc,
            "lonely_psu": d.lonely_psu}


def _same_design(full: pd.DataFrame, cols, f_rows, t_rows, key: str, labels) -> None:
    for c in cols:
        a, b = full[c].iloc[f_rows], full[c].iloc[t_rows]
        same = (a.to_numpy() == b.to_numpy()) | (a.isna().to_numpy() & b.isna().to_numpy())
        if not same.all():
            i = int(np.flatnonzero(~same)[0])
            member = full[key].iloc[f_rows[i]]
            va, vb = a.iloc[i], b.iloc[i]
            raise DataError(
                f"compare_waves: panelmedlem {member!r} ({key!r}) har {c!r} = {va!r} i "
                f"{labels[0]!r} og {vb!r} i {labels[1]!r}; en parret sammenligning med design "
                "bruger ét design pr. medlem: sæt samme værdi (fx den longitudinelle vægt eller "
                "vægten fra første måling) i begge målingers rækker, eller sammenlign målingerne "
                "som uafhængige stikprøver (uden paired_on)",
                en=f"compare_waves: panel member {member!r} ({key!r}) has {c!r} = {va!r} in "
                f"{labels[0]!r} and {vb!r} in {labels[1]!r}; a paired comparison with a design "
                "uses one design per member: put the same value (e.g. the longitudinal weight or "
                "the first wave's weight) in both waves' rows, or compare the waves as "
                "independent samples (without paired_on)",
            )


def panel_changes(df, cb, spec, stat, pos, waves, wave: str, gcodes, by, key, d: Design,
                  ci: float, pairs, make_waves) -> dict[tuple[int, int], dict]:
    """Paired design-based changes per consecutive wave pair ``i`` and published row ``jj``
    (groups in ``gcodes`` order, then the total): ``{(i, jj): result}``."""
    from survey_kit.stats.compare import compare

    dom = domain_of(df)
    full = dom.full if dom is not None else df
    wf = make_waves(full, wave, cb) if dom is not None else waves
    where = {c: k for k, c in enumerate(wf.codes)}
    cols = design_columns(d)
    carry = list(dict.fromkeys([*cols, *([by] if by is not None else [])]))
    cb1 = cb.model_copy(update={"min_n": 1}) if cb is not None else None
    args = _design_args(d)
    codes = list(spec.values)
    out: dict[tuple[int, int], dict] = {}
    for i in range(waves.n_groups - 1):
        f_rows, t_rows = pairs(full, wf, key, where[waves.codes[i]], where[waves.codes[i + 1]])
        _same_design(full, cols, f_rows, t_rows, key, (waves.labels[i], waves.labels[i + 1]))
        s = full[spec.column]
        if stat == "share":
            a0, a1 = s.iloc[f_rows], s.iloc[t_rows]
            ok = a0.isin(codes).to_numpy() & a1.isin(codes).to_numpy()
            x0 = np.where(ok, a0.isin(pos).to_numpy(), np.nan)
            x1 = np.where(ok, a1.isin(pos).to_numpy(), np.nan)
        else:
            x = numeric_values(s, spec)
            x0, x1 = x[f_rows], x[t_rows]
            ok = ~np.isnan(x0) & ~np.isnan(x1)
            x0, x1 = np.where(ok, x0, np.nan), np.where(ok, x1, np.nan)
        linked = full.iloc[f_rows][carry].reset_index(drop=True)
        linked[_FROM], linked[_TO], linked[_CHANGE] = x0, x1, x1 - x0
        data = linked
        if dom is not None:
            mask = dom.mask[f_rows] & dom.mask[t_rows]
            data = mark_domain(linked.iloc[np.flatnonzero(mask)], linked, mask)
        if not np.isfinite(data[_CHANGE].to_numpy(dtype=float)).any():  # no member in both waves
            for jj in range(len(gcodes)):
                out[(i, jj)] = _result({_CHANGE: data.iloc[:0]})
            continue
        res = compare(data, [_FROM, _TO, _CHANGE], by=by, stat="mean", min_n=1, ci=ci,
                      codebook=cb1, **args)
        for jj, code in enumerate(gcodes):
            sel = res["is_total"] if code is None else (~res["is_total"]) & (
                res["group_code"].astype(object) == code)
            rows = {it: res[sel & (res["item"] == it)] for it in (_FROM, _TO, _CHANGE)}
            out[(i, jj)] = _result(rows)
    return out


def _result(rows: dict[str, pd.DataFrame]) -> dict:
    ch = rows[_CHANGE]
    if ch.empty or not int(ch["n"].iloc[0] or 0):
        nan = float("nan")
        return {"n_from": 0, "n_to": 0, "value_from": nan, "value_to": nan, "change": nan,
                "ci_low": nan, "ci_high": nan, "p_val": nan, "test": "design_t",
                "se": nan, "df": nan}
    r = ch.iloc[0]
    n = int(r["n"])
    change, se, df = np.float64(r["value"]), np.float64(r["se"]), float(r["df"])
    with np.errstate(divide="ignore", invalid="ignore"):
        t = change / se
        p = float(2 * sps.t.sf(abs(t), df - 1)) if df > 1 and not np.isnan(t) else float("nan")
    return {
        "n_from": n,
        "n_to": n,
        "value_from": float(rows[_FROM]["value"].iloc[0]),
        "value_to": float(rows[_TO]["value"].iloc[0]),
        "change": float(change),
        "ci_low": float(r["ci_low"]),
        "ci_high": float(r["ci_high"]),
        "p_val": p,
        "test": "design_t",
        "se": float(se),
        "df": df,
    }
