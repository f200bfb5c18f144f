"""The test-statistic side channel: which total n is consistent with a published test?

A test across k groups publishes p and an effect size. Both are functions of the number of groups
and of the respondents in the test (N):

* Pearson chi-square on the positive/negative x group table, Cramér's V: ``chi2 = V^2 * N``,
  ``p = chi2.sf(chi2, k - 1)``;
* one-way ANOVA, eta squared: ``F = eta2 / (1 - eta2) * (N - k) / (k - 1)``,
  ``p = f.sf(F, k - 1, N - k)``;
* Kruskal-Wallis, epsilon squared: ``H = eps2 * (N - 1)``, ``p = chi2.sf(H, k - 1)``.

p falls as the effect grows (at fixed N and k), so an N is consistent with the published (rounded)
p and effect when the smallest effect gives a p at least the smallest p, and the largest effect a p
at most the largest p. Rounding: a published number stands for the interval of half its last
decimal (a full-precision float for a tiny interval).
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

TESTS = {"chi2": "cramers_v", "anova": "eta_squared", "kruskal_wallis": "epsilon_squared"}


def interval(x: float) -> tuple[float, float]:
    """The values a published number may stand for (half a unit of its last decimal)."""
    d = 0
    while d < 15 and abs(round(x, d) - x) > 1e-12 * max(1.0, abs(x)):
        d += 1
    half = max(0.5 * 10.0**-d, 1e-9 * abs(x), 1e-12) if d < 15 else max(1e-9 * abs(x), 1e-12)
    return x - half, x + half


def _p(test: str, effect: np.ndarray, n: np.ndarray, k: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if test == "chi2":
            return sps.chi2.sf(effect**2 * n, k - 1)
        if test == "anova":
            df2 = n - k
            f = effect / (1 - effect) * df2 / (k - 1)
            return np.where(df2 > 0, sps.f.sf(f, k - 1, np.maximum(df2, 1)), np.nan)
        return sps.chi2.sf(effect * (n - 1), k - 1)


def consistent_n(test: str, p: float, effect: float, k: int, n_max: int) -> np.ndarray:
    """Every N in ``[k, n_max]`` consistent with the published p and effect of a test over k groups."""
    if test not in TESTS or k < 2 or n_max < k or not np.isfinite(p) or not np.isfinite(effect):
        return np.arange(0)
    p_lo, p_hi = (0.0, 0.001) if p == 0 else interval(p)
    e_lo, e_hi = interval(effect)
    e_lo = max(e_lo, 0.0)
    n = np.arange(k, n_max + 1, dtype=float)
    ok = (_p(test, np.full_like(n, e_lo), n, k) >= p_lo) & (_p(test, np.full_like(n, e_hi), n, k) <= p_hi)
    return n[ok].astype(int)
