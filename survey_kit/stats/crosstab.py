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
total weight are left out of the test.

Suppression (:func:`suppress_cells`): cells with 1 to ``min_n - 1`` respondents are hidden (NA in
the counts, both percentages and the residuals), and so many more that no hidden count can be
worked out from what is published. The percentages publish the row and column totals (a visible
count divided by its row percentage is the row total), so the table is protected as a count table
with published margins: complementary suppression in both dimensions with the rules of
:mod:`survey_kit.privacy.suppression` (every row and column with a hidden cell has a second one, the
hidden cells of a row or column rest on at least ``min_n`` respondents; a margin that cannot be
protected is hidden, and with it every percentage and residual of its row or column), then an
audit by integer programming (``scipy.optimize.milp``) of every hidden cell: while one can be
narrowed to fewer than four possible values (exactly or to +-1), the smallest visible cell beside
it is hidden as well. The tests (chi-square, Fisher, Cramér's V) use every cell; they are the
analyst's: publish them rounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.optimize import Bounds, LinearConstraint, milp

from survey_kit.codebook import Codebook
from survey_kit.privacy.suppression import Relation, complete_suppression
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
    test: str = "chi2"
    f_stat: float | None = None
    ndf: float | None = None
    ddf: float | None = None
    p_val_chisq: float | None = None
    #: "all" (the tests use every cell: the analyst's raw result, full precision, not for
    #: publication), "published" (recomputed over the columns or rows without a hidden cell) or
    #: "none" (no test can be published); see :meth:`published`.
    test_scope: str = "all"
    for_publication: bool = False

    def __repr__(self) -> str:
        what = "til offentliggørelse" if self.for_publication else (
            "råt resultat med fuld præcision, ikke til offentliggørelse: brug sk.present(...) "
            "eller .published()")
        return (f"CrosstabResult({self.row} × {self.col}, n={self.n:g}, chi2={self.chi2}, "
                f"p_val={self.p_val}, cramers_v={self.cramers_v}; {what})")

    def published(self) -> CrosstabResult:
        """The copy to publish: when a cell is hidden, the tests are recomputed over the columns
        without a hidden cell, or the rows without one, whichever keeps more cells (every count
        they use is shown; with a design, or when fewer than 2 x 2 remain, no test is published); chi-square, F and Cramér's V rounded to 2
        decimals, p-values to 3 (below 0.001: 0.0, shown "< 0,001"), n to a whole number. The
        raw result (this object) keeps full precision for the analyst."""
        if self.for_publication:
            return self
        hidden = self.counts.isna().to_numpy()
        kw: dict[str, Any] = {}
        if hidden.any():
            full = self.counts.to_numpy(dtype=float, na_value=np.nan)
            # the columns without a hidden cell (every row), or the rows without one
            subs = [full[:, ~hidden.any(axis=0)], full[~hidden.any(axis=1)]]
            sub = max(subs, key=lambda a: a.size if min(a.shape) >= 2 else -1)
            if sub.size:
                sub = sub[sub.sum(axis=1) > 0][:, sub.sum(axis=0) > 0]
            kw = dict(chi2=np.nan, dof=0, p_val=np.nan, cramers_v=np.nan, chi2_yates=None,
                      p_val_yates=None, fisher_p=None, f_stat=None, ndf=None, ddf=None,
                      p_val_chisq=None, test_scope="none")
            if self.test == "chi2" and sub.ndim == 2 and min(sub.shape) >= 2:
                exp = np.outer(sub.sum(axis=1), sub.sum(axis=0)) / sub.sum()
                chi2 = float(((sub - exp) ** 2 / exp).sum())
                dof = (sub.shape[0] - 1) * (sub.shape[1] - 1)
                kw.update(chi2=chi2, dof=dof, p_val=float(sps.chi2.sf(chi2, dof)),
                          cramers_v=float(np.sqrt(chi2 / (sub.sum() * (min(sub.shape) - 1)))),
                          test_scope="published")
                if sub.shape == (2, 2):
                    corr = np.minimum(0.5, np.abs(sub - exp))
                    cy = float(((np.abs(sub - exp) - corr) ** 2 / exp).sum())
                    kw.update(chi2_yates=cy, p_val_yates=float(sps.chi2.sf(cy, 1)),
                              fisher_p=float(sps.fisher_exact(sub.astype(np.int64)).pvalue))
        out = replace(self, **kw, for_publication=True)

        def p3(p: float | None) -> float | None:
            return None if p is None else (p if np.isnan(p) else (0.0 if p < 0.001 else round(p, 3)))

        def r2(x: float | None) -> float | None:
            return None if x is None else round(float(x), 2)

        return replace(out, chi2=r2(out.chi2), cramers_v=r2(out.cramers_v), p_val=p3(out.p_val),
                       chi2_yates=r2(out.chi2_yates), p_val_yates=p3(out.p_val_yates),
                       fisher_p=p3(out.fisher_p), f_stat=r2(out.f_stat), ndf=r2(out.ndf),
                       ddf=r2(out.ddf), p_val_chisq=p3(out.p_val_chisq), n=float(round(out.n)),
                       std_residuals=out.std_residuals.round(2))

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


def crosstab(
    data: Any,
    row: str,
    col: str,
    *,
    weight: str | None = None,
    min_n: int | None = None,
    codebook: Codebook | None = None,
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
    d = resolve_design(df, cb, weight=weight, strata=strata, cluster=cluster, fpc=fpc,
                       lonely_psu=lonely_psu, repweights=repweights, rep_type=rep_type,
                       rho=rho, scale=scale, rscales=rscales, mse=mse)
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
    hide, hide_rows, hide_cols = suppress_cells(raw, mn)
    idx = pd.Index(rlab, name=rspec.label)
    cols = pd.Index(clab, name=cspec.label)

    def frame(a: np.ndarray, mask: np.ndarray = hide) -> pd.DataFrame:
        out = pd.DataFrame(a, index=idx, columns=cols).astype("Float64")
        return out.mask(mask, pd.NA)

    by_row = hide | hide_rows[:, None]  # a hidden row total hides the row's percentages
    by_col = hide | hide_cols[None, :]

    counts = pd.DataFrame(wobs if w is not None else raw, index=idx, columns=cols)
    counts = counts.astype("Float64" if w is not None else "Int64").mask(hide, pd.NA)
    if hide.any():
        k, k1 = int(hide.sum()), int(((raw > 0) & (raw < mn)).sum())
        warns.append(
            f"{k} {'celle' if k == 1 else 'celler'} er skjult: {k1} med under {mn} besvarelser"
            f"{' og de celler, der ellers ville afsløre dem' if k > k1 else ''}."
        )
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero-weight category: NaN
        row_share, col_share = obs / rs[:, None], obs / cs[None, :]
    return CrosstabResult(
        row=row,
        col=col,
        counts=counts,
        row_share=frame(row_share, by_row),
        col_share=frame(col_share, by_col),
        chi2=chi2,
        dof=dof,
        p_val=p,
        cramers_v=v,
        std_residuals=frame(resid, by_row | by_col),
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


def _ranges(raw: np.ndarray, hide: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Smallest and largest value of each hidden cell that the published numbers allow.

    Published: the visible counts, the visible row and column totals and the grand total; a hidden
    cell is a whole number of at least 1 (a 0 is shown). Returns ``(k, 2)`` for ``argwhere(hide)``.
    """
    cells = [tuple(c) for c in np.argwhere(hide)]
    pos = {c: k for k, c in enumerate(cells)}
    a, lo = [], []
    groups = [
        ([c for c in cells if c[0] == i], raw[i].sum() - raw[i][~hide[i]].sum())
        for i in range(raw.shape[0])
        if not rows[i]
    ]
    groups += [
        ([c for c in cells if c[1] == j], raw[:, j].sum() - raw[:, j][~hide[:, j]].sum())
        for j in range(raw.shape[1])
        if not cols[j]
    ]
    groups.append((cells, raw.sum() - raw[~hide].sum()))
    for members, total in groups:
        if members:
            row = np.zeros(len(cells))
            row[[pos[c] for c in members]] = 1.0
            a.append(row)
            lo.append(float(total))
    cons = LinearConstraint(np.array(a), lo, lo)
    out = np.zeros((len(cells), 2))
    for k in range(len(cells)):
        for side, sign in ((0, 1.0), (1, -1.0)):
            c = np.zeros(len(cells))
            c[k] = sign
            res = milp(
                c,
                constraints=cons,
                integrality=np.ones(len(cells)),
                bounds=Bounds(np.ones(len(cells)), np.full(len(cells), float(raw.sum()))),
            )
            out[k, side] = sign * res.fun
    return out


def suppress_cells(
    raw: np.ndarray, min_n: int, already: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hidden cells, row totals and column totals of a count table (method in the module doc).

    Parameters
    ----------
    raw : ndarray
        Unweighted counts (rows x columns).
    min_n : int
        Cells with 1 to ``min_n - 1`` respondents are hidden.
    already : ndarray of bool, optional
        Cells already hidden for another reason (e.g. a whole group below its minimum).

    Returns
    -------
    (cells, rows, cols) : boolean arrays of shape ``raw.shape``, ``(rows,)`` and ``(cols,)``
    """
    nr, nc = raw.shape
    n = {("c", i, j): float(raw[i, j]) for i in range(nr) for j in range(nc)}
    n |= {("r", i): float(raw[i].sum()) for i in range(nr)}
    n |= {("k", j): float(raw[:, j].sum()) for j in range(nc)}
    rels = [Relation(("r", i), tuple(("c", i, j) for j in range(nc)), min_n) for i in range(nr)]
    rels += [Relation(("k", j), tuple(("c", i, j) for i in range(nr)), min_n) for j in range(nc)]
    rels += [
        Relation(("N",), tuple(("r", i) for i in range(nr)), min_n),
        Relation(("N",), tuple(("k", j) for j in range(nc)), min_n),
    ]
    n[("N",)] = float(raw.sum())
    first = (raw > 0) & (raw < min_n)
    if already is not None:
        first |= already & (raw > 0)
    hidden = {("c", i, j): "primær" for i, j in np.argwhere(first)}
    need = max(1, min(3, min_n - 2))  # possible values - 1 that a hidden cell must keep open
    while True:
        complete_suppression(n, hidden, rels)
        if ("N",) in hidden:  # nothing can be shown
            return raw >= 0, np.ones(nr, bool), np.ones(nc, bool)
        cells = np.zeros(raw.shape, bool)
        for key in hidden:
            if key[0] == "c":
                cells[key[1], key[2]] = True
        rows = np.array([("r", i) in hidden for i in range(nr)])
        cols = np.array([("k", j) in hidden for j in range(nc)])
        if not cells.any():
            return cells, rows, cols
        rng = _ranges(raw, cells, rows, cols)
        weak = [
            tuple(c)
            for c, (low, high) in zip(np.argwhere(cells), rng, strict=True)
            if high - low < need
        ]
        if not weak:
            return cells, rows, cols
        i, j = weak[0]
        beside = [(raw[i, jj], (i, jj)) for jj in range(nc) if not cells[i, jj] and raw[i, jj] > 0]
        beside += [(raw[ii, j], (ii, j)) for ii in range(nr) if not cells[ii, j] and raw[ii, j] > 0]
        if beside:
            _, (bi, bj) = min(beside)
            hidden[("c", bi, bj)] = "sekundær: revisionen kunne indsnævre en skjult celle"
        elif not rows[i]:
            hidden[("r", i)] = "sekundær: revisionen kunne indsnævre en skjult celle"
        elif not cols[j]:
            hidden[("k", j)] = "sekundær: revisionen kunne indsnævre en skjult celle"
        else:
            hidden[("N",)] = "sekundær: intet andet kan skjules"
