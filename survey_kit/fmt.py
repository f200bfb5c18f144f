"""Danish number formatting for text, tables, Word, Excel and charts.

Decimal comma, thousands point, ``90 %``, ``< 0,001``, ``+21 procentpoint``. Every renderer uses
these functions, so a number reads the same in a sentence, a table and a chart:

>>> fmt_pct(0.997), fmt_pct(0.003), fmt_p_value(6.7e-07), fmt_pp(0.21)
('> 99 %', '< 1 %', '< 0,001', '+21 procentpoint')
"""

from __future__ import annotations

import math

import pandas as pd

NA_TEXT = "–"
#: The mark shown instead of a number hidden for anonymity.
SUPPRESSED_TEXT = "For få svar"

#: Column kinds of a report table whose values are numbers (right-aligned; numbers in Excel).
NUMERIC_KINDS = ("int", "pct", "num", "p", "pp")


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def fmt_num(x: float | int | None, decimals: int = 1) -> str:
    """``1234.5 -> "1.234,5"``; a value that rounds to zero shows no minus sign."""
    if _missing(x):
        return NA_TEXT
    s = f"{float(x):,.{decimals}f}"
    if s.startswith("-") and not s.strip("-0.,"):
        s = s[1:]
    return s.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def fmt_int(x: float | int | None) -> str:
    """``12345 -> "12.345"``."""
    return fmt_num(x, 0)


def pct_bounds(share: float, decimals: int = 0) -> str | None:
    """``"< 1 %"`` / ``"> 99 %"`` for a share that would round to 0 % or 100 % but is neither.

    Returns None when the plain rounded percentage is true.
    """
    step = 10.0**-decimals
    pct = 100 * float(share)
    shown = round(pct, decimals)
    if 0 < pct and shown == 0:
        return f"< {fmt_num(step, decimals)} %"
    if pct < 100 and shown >= 100:
        return f"> {fmt_num(100 - step, decimals)} %"
    return None


def fmt_pct(share: float | None, decimals: int = 0) -> str:
    """A proportion as a Danish percentage: ``0.9 -> "90 %"``.

    A share that is not 0 or 1 never shows as "0 %" or "100 %": ``0.997 -> "> 99 %"``,
    ``0.003 -> "< 1 %"``.
    """
    if _missing(share):
        return NA_TEXT
    return pct_bounds(share, decimals) or f"{fmt_num(100 * float(share), decimals)} %"


def fmt_pp(diff: float | None, decimals: int = 0) -> str:
    """A change in a share (as a proportion) in percentage points: ``0.21 -> "+21 procentpoint"``."""
    if _missing(diff):
        return NA_TEXT
    text = fmt_num(100 * float(diff), decimals)
    if text.strip("0,.") and not text.startswith("-"):
        text = "+" + text
    return f"{text} procentpoint"


def fmt_p_value(p: float | None) -> str:
    """A p-value for a table cell: ``"< 0,001"`` or ``"0,034"`` (never ``"0,000"``)."""
    if _missing(p):
        return NA_TEXT
    return "< 0,001" if float(p) < 0.001 else fmt_num(p, 3)


def fmt_p(p: float | None) -> str:
    """A p-value in a sentence: ``"p < 0,001"`` or ``"p = 0,034"``."""
    if _missing(p):
        return NA_TEXT
    shown = fmt_p_value(p)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


#: Danish names of the tests and effect sizes that survey_kit.stats reports.
METHOD_NAMES = {
    "chi2": "chi-i-anden-test",
    "mcnemar_exact": "McNemars eksakte test",
    "mcnemar_chi2": "McNemars test",
    "welch_t": "Welchs t-test",
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


#: Danish words for the ``vs_total`` codes of ``compare`` (a group against the rest).
FLAG_NAMES = {"higher": "højere", "lower": "lavere", "": ""}


def flag_text(code: object) -> str:
    """Danish word of a ``vs_total`` code (``"higher"`` -> ``"højere"``; NA/"" -> ``""``)."""
    if code is None or code is pd.NA or (isinstance(code, float) and math.isnan(code)):
        return ""
    return FLAG_NAMES.get(str(code), str(code))


def method_name(code: object) -> str:
    """Danish name of a test or effect size code (``"chi2"`` -> ``"chi-i-anden-test"``)."""
    if code is None or code is pd.NA or (isinstance(code, float) and math.isnan(code)):
        return ""
    return METHOD_NAMES.get(str(code), str(code))
