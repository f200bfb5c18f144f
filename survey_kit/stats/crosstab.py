"""Two-way tables with the usual tests.

``crosstab(data, row, col)`` counts the answers of two categorical columns (missing codes and NA
left out), and returns a :class:`CrosstabResult` with the counts, row and column percentages,
Pearson's chi-square (and, for a 2x2 table, the Yates-corrected chi-square and Fisher's exact
test), Cramér's V and the adjusted standardized residuals (Haberman 1973:
``(O - E) / sqrt(E (1 - row share) (1 - column share))``, approximately N(0, 1) under
independence). Warnings (in Danish) flag expected counts below 5.

With ``weight=`` the counts are weighted sums and the tests run on them as if they were counts
(no design correction). Cells with 1 to ``min_n - 1`` respondents are suppressed (NA) in the
published counts and percentages; the tests use every cell.
"""

from __future__ import annotations

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
    resolve,
    tabulate,
    weights_of,
)


@dataclass(frozen=True)
class CrosstabResult:
    """A two-way table and its tests (shares as proportions in [0, 1]; NA where suppressed)."""

    row: str
    col: str
    counts: pd.DataFrame
    row_share: pd.DataFrame
    col_share: pd.DataFrame
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

    def to_frame(self) -> pd.DataFrame:
        """Tidy view: one row per cell (``row_label, col_label, n, row_share, col_share,
        std_residual, suppressed``)."""
        c = self.counts.stack(future_stack=True).rename("n")
        out = pd.DataFrame(
            {
                "row": self.row,
                "col": self.col,
                "row_label": c.index.get_level_values(0),
                "col_label": c.index.get_level_values(1),
                "n": c.to_numpy(),
                "row_share": self.row_share.stack(future_stack=True).to_numpy(),
                "col_share": self.col_share.stack(future_stack=True).to_numpy(),
                "std_residual": self.std_residuals.stack(future_stack=True).to_numpy(),
            }
        )
        out["suppressed"] = out["n"].isna().to_numpy()
        return out

    def _repr_html_(self) -> str:  # JupyterLab: the Danish presentation table
        from survey_kit.display import present

        return present(self).to_html()


def crosstab(
    data: Any,
    row: str,
    col: str,
    *,
    weight: str | None = None,
    min_n: int | None = None,
    codebook: Codebook | None = None,
) -> CrosstabResult:
    """Cross-tabulate ``row`` by ``col`` (see the module docstring for the methods).

    Parameters
    ----------
    data : Survey or DataFrame
    row, col : str
        Categorical columns (item codes, or any column; without a codebook the values are codes).
    weight : str, optional
        Weight column; counts become weighted sums.
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
    groups = make_groups(df, row, cb, name="row")
    rspec = item_spec(df, row, cb, name="row")
    cspec = item_spec(df, col, cb, name="col")
    if cspec.numeric:
        raise ValueError(f"col: column {col!r} holds numbers, not categories")
    w = weights_of(df, weight)
    cspec, tabs = tabulate(df, cspec, groups, (None,) if w is None else (None, w))
    nr, nc = groups.n_groups, len(cspec.values)
    raw = tabs[0][:nr, :nc]
    obs = (tabs[-1][:nr, :nc]).astype(float)
    used_r = raw.sum(axis=1) > 0
    used_c = raw.sum(axis=0) > 0
    raw, obs = raw[used_r][:, used_c], obs[used_r][:, used_c]
    rlab = [lab for lab, u in zip(groups.labels, used_r, strict=True) if u]
    clab = [lab for lab, u in zip(cspec.values.values(), used_c, strict=True) if u]
    n = obs.sum()
    if obs.shape[0] < 2 or obs.shape[1] < 2:
        raise ValueError(f"row/col: {row!r} x {col!r} needs at least two used categories each")
    rs, cs = obs.sum(axis=1), obs.sum(axis=0)
    exp = np.outer(rs, cs) / n
    chi2 = float(((obs - exp) ** 2 / exp).sum())
    dof = (obs.shape[0] - 1) * (obs.shape[1] - 1)
    p = float(sps.chi2.sf(chi2, dof))
    v = float(np.sqrt(chi2 / (n * (min(obs.shape) - 1))))
    resid = (obs - exp) / np.sqrt(exp * np.outer(1 - rs / n, 1 - cs / n))
    chi2_y = p_y = fisher = None
    if obs.shape == (2, 2):
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

    counts = pd.DataFrame(obs if w is not None else raw, index=idx, columns=cols)
    counts = counts.astype("Float64" if w is not None else "Int64").mask(hide, pd.NA)
    if hide.any():
        k = int(hide.sum())
        warns.append(f"{k} {'celle' if k == 1 else 'celler'} med under {mn} besvarelser er skjult.")
    return CrosstabResult(
        row=row,
        col=col,
        counts=counts,
        row_share=frame(obs / rs[:, None]),
        col_share=frame(obs / cs[None, :]),
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
    )
