"""Design-based change between independent waves for :func:`survey_kit.stats.compare_waves`.

For each pair of consecutive waves and each group (and the total) the two wave domains are
estimated jointly (as R's ``svyby(..., covmat=TRUE)`` then ``svycontrast``): ``change`` with the
standard error of the difference (the covariance of the two domains included: they may share
strata and PSUs), the interval ``change +/- t(df) se`` with ``df`` the design df of the rows of
the two domains; ``p_val`` from Rao-Scott's F of the 2 x 2 table wave x positive (``svychisq``)
for shares, and from the design t (``svyttest(y ~ wave)``, df - 1) for means. Replicate designs
take the same path (variances from the replicates, as ``svyby`` and ``svycontrast`` on a
``svrepdesign``).
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from survey_kit.stats._common import Groups
from survey_kit.stats._design_compare import _means_cov, _numeric_tables
from survey_kit.stats.design import Design, degf, tabulate_design
from survey_kit.stats.raoscott import _tq, rao_scott_batch


def wave_tables(df, spec, stat, pos, comb: Groups, d: Design, coded: bool):
    """Unit tables per wave x group cell: (t, t2, n, npos, values) with t (U, C, k)."""
    if stat == "share" or coded:
        spec, tabs = tabulate_design(df, spec, comb, d)
        nv = len(spec.values)
        if stat == "share":
            pm = np.array([c in pos for c in spec.values], dtype=bool)

            def cut(a):
                if a is None:
                    return None
                v = a[:, :, :nv]
                return np.stack([v[:, :, pm].sum(axis=2), v[:, :, ~pm].sum(axis=2)], axis=2)

            values = np.array([1.0, 0.0])
        else:

            def cut(a):
                return None if a is None else a[:, :, :nv]

            values = np.array(list(spec.values), dtype=float)
        t = {k: cut(v) for k, v in tabs.items()}
        return t["t"], t["t2"], t["n"].sum(axis=2), t["npos"].sum(axis=2), values
    tabs = _numeric_tables(df, spec, comb, d)
    return tabs["t"][:, :, :2], tabs["t2"], tabs["n"], tabs["npos"], None


def design_changes(
    d: Design, tabs, stat: str, nw: int, g1: int, by_given: bool, ci: float
) -> dict[tuple[int, int], dict]:
    """Changes between consecutive waves per published row ``j`` (groups, then the total; only
    the total without ``by``) with their design tests: ``{(pair, j): result}``."""
    t, t2, n, npos, values = tabs
    rows = list(range(g1 - 1)) + [-1] if by_given else [-1]

    def dom(a, w, j):  # (U, ...) of wave w, group j (-1: every row of the wave)
        if a is None:
            return None
        sl = a[:, w * g1 : (w + 1) * g1]
        return sl.sum(axis=1) if j == -1 else sl[:, j]

    keys, tt, qq, nn, pp = [], [], [], [], []
    for i in range(nw - 1):
        for jj, j in enumerate(rows):
            keys.append((i, jj))
            tt.append(np.stack([dom(t, i, j), dom(t, i + 1, j)], axis=1))
            if t2 is not None:
                qq.append(np.stack([dom(t2, i, j), dom(t2, i + 1, j)], axis=1))
            nn.append(np.stack([dom(n, i, j), dom(n, i + 1, j)], axis=1))
            pp.append(np.stack([dom(npos, i, j), dom(npos, i + 1, j)], axis=1))
    tt = np.stack(tt, axis=1)  # (U, B, 2, k)
    qq = np.stack(qq, axis=1) if qq else None
    nn, pp = np.stack(nn, axis=1), np.stack(pp, axis=1)  # (U, B, 2)
    m, v = _means_cov(d, tt, qq, values)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = m[:, 1] - m[:, 0]
        se = np.sqrt(np.maximum(v[:, 0, 0] + v[:, 1, 1] - 2 * v[:, 0, 1], 0))
    df_ = degf(d, pp.sum(axis=2))
    half = _tq(ci, df_) * se
    counts = nn.sum(axis=0)  # (B, 2)
    if stat == "share":
        nu = degf(d, nn.sum(axis=2))
        p = rao_scott_batch(d, tt, qq, counts.sum(axis=1), nu)["p_val"]
        test = "rao_scott_f"
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            tstat = change / se
            p = np.where(df_ > 1, 2 * sps.t.sf(np.abs(tstat), df_ - 1), np.nan)
        test = "design_t"
    out = {}
    for b, key in enumerate(keys):
        out[key] = {
            "n_from": int(counts[b, 0]),
            "n_to": int(counts[b, 1]),
            "value_from": float(m[b, 0]) if counts[b, 0] else np.nan,
            "value_to": float(m[b, 1]) if counts[b, 1] else np.nan,
            "change": float(change[b]),
            "ci_low": float(change[b] - half[b]),
            "ci_high": float(change[b] + half[b]),
            "p_val": float(p[b]),
            "test": test,
            "se": float(se[b]),
            "df": float(df_[b]),
        }
    return out
