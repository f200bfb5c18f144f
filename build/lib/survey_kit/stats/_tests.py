"""Test statistics from group summaries, vectorised over groups (formulas, no data access).

Each function reproduces a reference implementation exactly (checked in tests/test_stats_*.py):
Welch's t (``scipy.stats.ttest_ind(equal_var=False)``), one-way ANOVA (``scipy.stats.f_oneway``),
Mann-Whitney U (``scipy.stats.mannwhitneyu(method="asymptotic")``, tie and continuity corrected),
Kruskal-Wallis (``scipy.stats.kruskal``), the 2x2 Pearson chi-square
(``scipy.stats.chi2_contingency(correction=False)``).
"""

from __future__ import annotations

import numpy as np
from scipy import special as spc
from scipy import stats as sps


def welch(m1, v1, n1, m2, v2, n2):
    """Welch's t-test from means, sample variances (ddof=1) and sizes: (t, df, p, se)."""
    m1, v1, n1, m2, v2, n2 = (np.asarray(a, dtype=float) for a in (m1, v1, n1, m2, v2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        a, b = v1 / n1, v2 / n2
        se = np.sqrt(a + b)
        t = (m1 - m2) / se
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
        p = 2 * sps.t.sf(np.abs(t), df)
    return t, df, p, se


def cohens_d(m1, v1, n1, m2, v2, n2):
    """Cohen's d with the pooled standard deviation."""
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
        return (m1 - m2) / pooled


def anova(means, variances, ns):
    """Classic one-way ANOVA (equal variances) from group summaries: (F, df1, df2, p, eta2)."""
    means, variances, ns = (np.asarray(a, dtype=float) for a in (means, variances, ns))
    total = ns.sum()
    grand = (ns * means).sum() / total
    ssb = (ns * (means - grand) ** 2).sum()
    ssw = ((ns - 1) * variances).sum()
    df1, df2 = len(ns) - 1, total - len(ns)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = (ssb / df1) / (ssw / df2)
        eta2 = ssb / (ssb + ssw)
    return f, df1, df2, float(sps.f.sf(f, df1, df2)), eta2


def mann_whitney(rank_sum1, n1, n2, tie_sum):
    """Two-sided Mann-Whitney U (normal approximation, tie and continuity corrected).

    ``tie_sum`` is sum(t^3 - t) over tied groups of the pooled sample. Returns (u1, p, r) with the
    rank-biserial correlation ``r = 2 * u1 / (n1 * n2) - 1`` (positive when sample 1 is higher).
    """
    r1, n1, n2, tie_sum = (np.asarray(a, dtype=float) for a in (rank_sum1, n1, n2, tie_sum))
    n = n1 + n2
    u1 = r1 - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1
    u = np.maximum(u1, u2)
    mu = n1 * n2 / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.sqrt(n1 * n2 / 12 * ((n + 1) - tie_sum / (n * (n - 1))))
        z = (u - mu - 0.5) / s
        p = np.clip(2 * sps.norm.sf(z), 0, 1)
        r = 2 * u1 / (n1 * n2) - 1
    return u1, p, r


def kruskal(rank_sums, ns, tie_sum):
    """Kruskal-Wallis H (tie corrected) from rank sums: (H, df, p, epsilon_squared)."""
    rank_sums, ns = np.asarray(rank_sums, dtype=float), np.asarray(ns, dtype=float)
    n = ns.sum()
    h = 12 / (n * (n + 1)) * (rank_sums**2 / ns).sum() - 3 * (n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = h / (1 - tie_sum / (n**3 - n))
    df = len(ns) - 1
    return h, df, float(spc.chdtrc(df, h)), h / (n - 1)  # = scipy.stats.chi2.sf(h, df)


def two_proportion(x1, n1, x2, n2):
    """Pearson chi-square of the 2x2 table [[x1, n1-x1], [x2, n2-x2]] (pooled z-test): p."""
    x1, n1, x2, n2 = (np.asarray(a, dtype=float) for a in (x1, n1, x2, n2))
    n = n1 + n2
    pos = x1 + x2
    neg = n - pos
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = n * (x1 * (n2 - x2) - x2 * (n1 - x1)) ** 2 / (n1 * n2 * pos * neg)
        return spc.chdtrc(1, chi2)  # = scipy.stats.chi2.sf(chi2, 1), without its overhead


def tie_sum(values: np.ndarray) -> float:
    """sum(t^3 - t) over the tied groups of ``values``."""
    _, t = np.unique(values, return_counts=True)
    t = t.astype(float)
    return float((t**3 - t).sum())
