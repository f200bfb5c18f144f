"""Two-way tables with the usual tests.

``crosstab(data, row, col)`` counts the answers of two categorical columns (missing codes and NA
left out), and returns a :class:`CrosstabResult` with the counts, row and column percentages,
Pearson's chi-square (and, for a 2x2 table, the Yates-corrected chi-square and Fisher's exact
test), Cramér's V and the adjusted standardized residuals (Haberman 1973:
``(O - E) / sqrt(E (1 - row share) (1 - column share))``, approximately N(0, 1) under
independence). Warnings (in Danish) flag expected counts below 5.

With a design (``weight=``, ``strata=``, ``cluster=``, ``fpc=`` or the codebook's ``design:``)
the counts are weighted sums and the test is Rao-Scott's (R ``svychisq``): Pearson's X^2 of the
weighted table scaled to the number of respondents (``chi2``, so scaling every weight changes
nothing), ``p_val`` from the F statistic ``f_stat`` on (``ndf``, ``ddf``) degrees of freedom,
``p_val_chisq`` from the first-order corrected chi-square; ``test = "rao_scott_f"``. Cramér's V
and the residuals use the scaled table; Yates and Fisher are not computed. Categories with zero
total weight are left out of the test. Cells with 1 to ``min_n - 1`` respondents are suppressed
(NA) in the published counts and percentages; the tests use every cell.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from survey_kit.codebook import Codebook
from survey_kit.stats._common import (
    check_min_n,
    item_min_n,
    item_spec,
    make_groups,
    merge_missing,
    resolve,
    tabulate,
)
from survey_kit.stats.design import degf, resolve_design, tabulate_design
from survey_kit.stats.raoscott import rao_scott


@dataclass(frozen=True)
class CrosstabResult:
    """A two-way table and its tests (percentages 0-100; NA where suppressed)."""

    row: str
    col: str
    counts: pd.DataFrame
    row_pct: pd.DataFrame
    col_pct: pd.DataFrame
    chi2: float
    dof: int
    p_val: float
    cramers_v: float
    std_residuals: pd.DataFrame
    n: float
    chi2_yates: float | None = None
    p_val_yates: float | None = None
    fisher_p: float | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    min_n: int = 5
    test: str = "chi2"
    f_stat: float | None = None
    ndf: float | None = None
    ddf: float | None = None
    p_val_chisq: float | None = None

    def to_frame(self) -> pd.DataFrame:
        """Tidy view: one row per cell (``row_label, col_label, n, row_pct, col_pct,
        std_residual, suppressed``)."""
        c = self.counts.stack(future_stack=True).rename("n")
        out = pd.DataFrame(
            {
                "row": self.row,
                "col": self.col,
                "row_label": c.index.get_level_values(0),
                "col_label": c.index.get_level_values(1),
                "n": c.to_numpy(),
                "row_pct": self.row_pct.stack(future_stack=True).to_numpy(),
                "col_pct": self.col_pct.stack(future_stack=True).to_numpy(),
                "std_residual": self.std_residuals.stack(future_stack=True).to_numpy(),
            }
        )
        out["suppressed"] = out["n"].isna().to_numpy()
        return out

    def _repr_html_(self) -> str:
        def fmt(x: Any) -> str:
            return "" if pd.isna(x) else f"{x:.1f}".replace(".", ",")

        table = self.row_pct.map(fmt).to_html(escape=True)
        p = "" if np.isnan(self.p_val) else f"{self.p_val:.3f}".replace(".", ",")
        lines = [
            f"<p><b>{html.escape(self.row)} × {html.escape(self.col)}</b> (rækkeprocent, "
            f"n = {self.n:.0f})</p>",
            table,
            f"<p>χ² = {self.chi2:.2f} (df = {self.dof}), p = {p}, "
            f"Cramérs V = {self.cramers_v:.2f}</p>".replace(".", ","),
        ]
        lines += [f"<p><i>{html.escape(w)}</i></p>" for w in self.warnings]
        return "\n".join(lines)


def crosstab(
    data: Any,
    row: str,
    col: str,
    *,
    weight: str | None = None,
    min_n: int | None = None,
    codebook: Codebook | None = None,
    strata: str | None = None,
    cluster: str | None = None,
    fpc: str | None = None,
    missing: Sequence[Any] | None = None,
) -> CrosstabResult:
    """Cross-tabulate ``row`` by ``col`` (see the module docstring for the methods).

    Parameters
    ----------
    data : Survey or DataFrame
    row, col : str
        Categorical columns (item codes, or any column; without a codebook the values are codes).
    weight, strata, cluster, fpc : str, optional
        Design columns (default the codebook's ``design:``); counts become weighted sums and
        the test Rao-Scott's.
    missing : list, optional
        Codes left out of both variables ("Ved ikke") for data without a codebook.
    min_n : int, optional
        Cells with fewer respondents are suppressed; default the codebook's minimum for the two
        items (5 without a codebook).

    Returns
    -------
    CrosstabResult
    """
    df, cb = resolve(data, codebook)
    for name, c in (("row", row), ("col", col)):
        if not isinstance(c, str):
            raise ValueError(f"{name}: expected a column name")
    if row == col:
        raise ValueError("col: must differ from row")
    min_n = check_min_n(min_n)
    mn = max(item_min_n(cb, row, min_n), item_min_n(cb, col, min_n))
    missing = merge_missing(None, missing)
    groups = make_groups(df, row, cb, name="row", dont_know=missing)
    rspec = item_spec(df, row, cb, name="row", dont_know=missing)
    cspec = item_spec(df, col, cb, name="col", dont_know=missing)
    if cspec.numeric:
        raise ValueError(f"col: column {col!r} holds numbers, not categories")
    d = resolve_design(df, cb, weight=weight, strata=strata, cluster=cluster, fpc=fpc)
    w = None if d is None else d.w
    if d is None:
        cspec, tabs = tabulate(df, cspec, groups, (None,))
    else:
        cspec, utabs = tabulate_design(df, cspec, groups, d)
        tabs = [utabs["n"].sum(axis=0), utabs["t"].sum(axis=0)]
    nr, nc = groups.n_groups, len(cspec.values)
    raw = tabs[0][:nr, :nc]
    obs = (tabs[-1][:nr, :nc]).astype(float)
    used_r = raw.sum(axis=1) > 0
    used_c = raw.sum(axis=0) > 0
    raw, obs = raw[used_r][:, used_c], obs[used_r][:, used_c]
    rs_test = None
    if d is not None:
        # categories of zero total weight are left out of the test (their rows too)
        pr, pc = obs.sum(axis=1) > 0, obs.sum(axis=0) > 0
        ut = utabs["t"][:, :nr, :nc][:, used_r][:, :, used_c][:, pr][:, :, pc]
        uq = None if utabs["t2"] is None else utabs["t2"][:, :nr, :nc][:, used_r][:, :, used_c]
        uq = None if uq is None else uq[:, pr][:, :, pc]
        un = utabs["n"][:, :nr, :nc][:, used_r][:, :, used_c][:, pr][:, :, pc]
        n_rows = float(un.sum())
        rs_test = rao_scott(d, ut, uq, n_rows, float(degf(d, un.sum(axis=(1, 2)))))
    wobs = obs
    if rs_test is not None and obs.sum() > 0:
        obs = obs * (n_rows / obs.sum())  # the weighted table scaled to N, as svychisq
    rlab = [lab for lab, u in zip(groups.labels, used_r, strict=True) if u]
    clab = [lab for lab, u in zip(cspec.values.values(), used_c, strict=True) if u]
    n = obs.sum()
    if obs.shape[0] < 2 or obs.shape[1] < 2:
        raise ValueError(f"row/col: {row!r} x {col!r} needs at least two used categories each")
    rs, cs = obs.sum(axis=1), obs.sum(axis=0)
    exp = np.outer(rs, cs) / n
    kr, kc = rs > 0, cs > 0  # a category of zero total weight is left out of the test
    o_k, e_k = (obs, exp) if kr.all() and kc.all() else (obs[kr][:, kc], exp[kr][:, kc])
    chi2 = float(((o_k - e_k) ** 2 / e_k).sum())
    dof = (o_k.shape[0] - 1) * (o_k.shape[1] - 1)
    p = float(sps.chi2.sf(chi2, dof)) if rs_test is None else rs_test["p_val"]
    v = float(np.sqrt(chi2 / (n * (min(o_k.shape) - 1))))
    with np.errstate(divide="ignore", invalid="ignore"):
        resid = (obs - exp) / np.sqrt(exp * np.outer(1 - rs / n, 1 - cs / n))
    chi2_y = p_y = fisher = None
    if obs.shape == (2, 2) and rs_test is None:
        corr = np.minimum(0.5, np.abs(obs - exp))  # Yates, as scipy.stats.chi2_contingency
        chi2_y = float(((np.abs(obs - exp) - corr) ** 2 / exp).sum())
        p_y = float(sps.chi2.sf(chi2_y, 1))
        if w is None:
            fisher = float(sps.fisher_exact(raw.astype(np.int64)).pvalue)
    warns = []
    small = int((exp < 5).sum())
    if small:
        warns.append(
            f"{small} af {exp.size} celler ({small / exp.size:.0%}) har en forventet "
            f"værdi under 5; chi²-testen er usikker."
            + (" Brug Fishers eksakte test." if obs.shape == (2, 2) else "")
        )
    hide = (raw > 0) & (raw < mn)
    idx = pd.Index(rlab, name=rspec.label)
    cols = pd.Index(clab, name=cspec.label)

    def frame(a: np.ndarray) -> pd.DataFrame:
        out = pd.DataFrame(a, index=idx, columns=cols).astype("Float64")
        return out.mask(hide, pd.NA)

    counts = pd.DataFrame(wobs if w is not None else raw, index=idx, columns=cols)
    counts = counts.astype("Float64" if w is not None else "Int64").mask(hide, pd.NA)
    if hide.any():
        k = int(hide.sum())
        warns.append(f"{k} {'celle' if k == 1 else 'celler'} med under {mn} besvarelser er skjult.")
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero-weight category: NaN
        row_pct, col_pct = 100 * obs / rs[:, None], 100 * obs / cs[None, :]
    return CrosstabResult(
        row=row,
        col=col,
        counts=counts,
        row_pct=frame(row_pct),
        col_pct=frame(col_pct),
        chi2=chi2,
        dof=dof,
        p_val=p,
        cramers_v=v,
        std_residuals=frame(resid),
        n=float(n),
        chi2_yates=chi2_y,
        p_val_yates=p_y,
        fisher_p=fisher,
        warnings=tuple(warns),
        min_n=mn,
        test="chi2" if rs_test is None else "rao_scott_f",
        f_stat=None if rs_test is None else rs_test["F"],
        ndf=None if rs_test is None else rs_test["ndf"],
        ddf=None if rs_test is None else rs_test["ddf"],
        p_val_chisq=None if rs_test is None else rs_test["p_chisq"],
    )
