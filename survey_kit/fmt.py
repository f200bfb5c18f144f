"""Danish number formatting for text and tables: decimal comma, thousands point, ``90 %``."""

from __future__ import annotations

import math

import pandas as pd

NA_TEXT = "–"


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def fmt_num(x: float | int | None, decimals: int = 1) -> str:
    """``1234.5 -> "1.234,5"``."""
    if _missing(x):
        return NA_TEXT
    s = f"{float(x):,.{decimals}f}"
    return s.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def fmt_int(x: float | int | None) -> str:
    """``12345 -> "12.345"``."""
    return fmt_num(x, 0)


def fmt_pct(share: float | None, decimals: int = 0) -> str:
    """A proportion as a Danish percentage: ``0.9 -> "90 %"``."""
    if _missing(share):
        return NA_TEXT
    return f"{fmt_num(100 * float(share), decimals)} %"


def fmt_p(p: float | None) -> str:
    """A p-value: ``"p < 0,001"`` or ``"p = 0,034"``."""
    if _missing(p):
        return NA_TEXT
    return "p < 0,001" if p < 0.001 else f"p = {fmt_num(p, 3)}"


#: Danish names of the tests and effect sizes that survey_kit.stats reports.
METHOD_NAMES = {
    "chi2": "chi-i-anden-test",
    "mcnemar_exact": "McNemars eksakte test",
    "mcnemar_chi2": "McNemars test",
    "welch_t": "Welch's t-test",
    "anova": "envejs-variansanalyse (ANOVA)",
    "kruskal_wallis": "Kruskal-Wallis-test",
    "mann_whitney_u": "Mann-Whitney U-test",
    "wilcoxon": "Wilcoxons fortegnsrangtest",
    "wilcoxon_normal_cc": "Wilcoxons fortegnsrangtest (normalapproksimation med kontinuitetskorrektion)",
    "wilcoxon_normal": "Wilcoxons fortegnsrangtest (normalapproksimation)",
    "wilcoxon_exact": "Wilcoxons fortegnsrangtest (eksakt)",
    "rao_scott_f": "chi-i-anden-test med Rao-Scott-korrektion (F)",
    "wald_f": "designbaseret Wald F-test",
    "design_t": "designbaseret t-test",
    "design_wilcoxon": "designbaseret Wilcoxon-rangtest",
    "design_kruskal_wallis": "designbaseret Kruskal-Wallis-rangtest",
    "paired_t": "parret t-test",
    "cramers_v": "Cramérs V",
    "eta_squared": "eta²",
    "epsilon_squared": "epsilon²",
    "rank_biserial": "rank-biserial korrelation",
    "cohens_d": "Cohens d",
}


def method_name(code: object) -> str:
    """Danish name of a test or effect size code (``"chi2"`` -> ``"chi-i-anden-test"``)."""
    if code is None or code is pd.NA or (isinstance(code, float) and math.isnan(code)):
        return ""
    return METHOD_NAMES.get(str(code), str(code))
