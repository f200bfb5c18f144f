"""Small hand-made result tables with exactly the columns of docs/ARCHITECTURE.md.

Shared by the tests of survey_kit.charts (imported as ``test_charts_tables``); the check at the
bottom pins the column lists to the contract so a renamed column shows up here first. As in
survey_kit's own tables, the total row is the one with ``is_total`` (here: the rows called "I alt").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FREQ_COLS = ["item", "item_label", "by", "group", "group_code", "code", "label",
             "is_missing_code", "n", "share", "ci_low", "ci_high", "n_valid", "n_dont_know",
             "n_missing", "suppressed", "is_total"]
COMPARE_COLS = ["item", "item_label", "stat", "by", "group", "group_code", "n", "value",
                "ci_low", "ci_high", "p_val", "q_val", "effect", "effect_name", "test",
                "vs_total", "suppressed", "is_total"]
WAVES_COLS = ["item", "item_label", "stat", "by", "group", "group_code", "wave_from", "wave_to",
              "n_from", "n_to", "value_from", "value_to", "change", "ci_low", "ci_high", "p_val",
              "q_val", "test", "significant", "suppressed", "is_total"]
RANK_COLS = ["item", "code", "label", "n", "n_first", "share_first", "first_ci_low",
             "first_ci_high", "n_top_k", "share_top_k", "top_k_ci_low", "top_k_ci_high", "k",
             "suppressed"]

ENIG5 = {1: "Helt uenig", 2: "Overvejende uenig", 3: "Hverken enig eller uenig",
         4: "Overvejende enig", 5: "Helt enig", 6: "Ved ikke"}


def _with_total(t: pd.DataFrame) -> pd.DataFrame:
    t["is_total"] = t["group"].eq("I alt").astype(bool)
    return t


def _wilson(x: np.ndarray, n: np.ndarray, z: float = 1.959963984540054):
    p = x / n
    d = 1 + z**2 / n
    c = (p + z**2 / (2 * n)) / d
    h = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / d
    return c - h, c + h


def freq_table(counts: dict[tuple[str, str, str], list[int]] | None = None,
               suppress: tuple[tuple[str, str], ...] = ()) -> pd.DataFrame:
    """A ``frequencies`` table; counts[(item, item_label, group)] = n for codes 1-6."""
    counts = counts or {
        ("ml_1", "Fejl bruges til læring", "Skole"): [3, 10, 20, 60, 30, 4],
        ("ml_1", "Fejl bruges til læring", "Ældre"): [12, 25, 18, 30, 9, 11],
        ("ml_1", "Fejl bruges til læring", "Kultur og Fritid"): [1, 1, 0, 1, 0, 0],
        ("ml_2", "Tid og rum til at lære", "Skole"): [20, 40, 30, 25, 8, 2],
        ("ml_2", "Tid og rum til at lære", "Ældre"): [5, 9, 22, 40, 21, 0],
        ("ml_2", "Tid og rum til at lære", "Kultur og Fritid"): [0, 2, 1, 0, 1, 1],
    }
    rows = []
    gcode = {"Skole": 2, "Ældre": 3, "Kultur og Fritid": 6}
    for (item, label, group), ns in counts.items():
        n = np.array(ns, dtype=float)
        n_valid = n[:5].sum()
        lo, hi = _wilson(n[:5], np.full(5, n_valid))
        supp = (item, group) in suppress or n_valid < 5
        for code in range(1, 7):
            miss = code == 6
            rows.append(dict(
                item=item, item_label=label, by="omraade", group=group,
                group_code=gcode.get(group), code=code, label=ENIG5[code], is_missing_code=miss,
                n=None if supp else int(n[code - 1]),
                share=None if supp or miss else n[code - 1] / n_valid,
                ci_low=None if supp or miss else lo[code - 1],
                ci_high=None if supp or miss else hi[code - 1],
                n_valid=None if supp else int(n_valid), n_dont_know=None if supp else int(n[5]),
                n_missing=None if supp else 0, suppressed=supp))
    t = pd.DataFrame(rows, columns=FREQ_COLS)
    t = _with_total(t)
    for c in ("n", "n_valid", "n_dont_know", "n_missing", "group_code"):
        t[c] = t[c].astype("Int64")
    return t


def compare_table(stat: str = "share") -> pd.DataFrame:
    """A ``compare`` table: two items by fagområde plus total rows; one suppressed group."""
    groups = [("Børn og Familie", 1, 140, 0.62, ""), ("Skole", 2, 320, 0.71, "higher"),
              ("Ældre", 3, 210, 0.48, "lower"), ("Kultur og Fritid", 6, None, None, ""),
              ("Administration", 8, 60, 0.55, "")]
    rows = []
    for item, label, shift in (("ml_1", "Fejl bruges til læring", 0.0),
                               ("iu_1", "Videndeling på personalemøder", 0.08)):
        total_n, total_x = 0, 0.0
        for g, code, n, v, flag in groups:
            supp = n is None
            if not supp:
                v = min(v + shift, 0.99)
                total_n += n
                total_x += v * n
            val = v if stat == "share" else (None if supp else 1 + 4 * v)
            lo, hi = (None, None) if supp else _wilson(np.array([v * n]), np.array([n]))
            if stat != "share" and not supp:
                lo, hi = np.array([val - 0.15]), np.array([val + 0.15])
            rows.append(dict(item=item, item_label=label, stat=stat, by="omraade", group=g,
                             group_code=code, n=n, value=val,
                             ci_low=None if supp else float(lo[0]),
                             ci_high=None if supp else float(hi[0]), p_val=0.001, q_val=0.002,
                             effect=0.21, effect_name="Cramérs V", test="chi2",
                             vs_total=flag if not supp else "", suppressed=supp))
        tv = total_x / total_n
        lo, hi = _wilson(np.array([tv * total_n]), np.array([total_n]))
        val = tv if stat == "share" else 1 + 4 * tv
        rows.append(dict(item=item, item_label=label, stat=stat, by="omraade", group="I alt",
                         group_code=None, n=total_n + 4, value=val,
                         ci_low=float(lo[0]) if stat == "share" else val - 0.08,
                         ci_high=float(hi[0]) if stat == "share" else val + 0.08, p_val=0.001,
                         q_val=0.002, effect=0.21, effect_name="Cramérs V", test="chi2",
                         vs_total="", suppressed=False))
    t = pd.DataFrame(rows, columns=COMPARE_COLS)
    t = _with_total(t)
    t["n"] = t["n"].astype("Int64")
    t["group_code"] = t["group_code"].astype("Int64")
    return t


def heat_table() -> pd.DataFrame:
    """A ``compare`` table of scale means (item = scale, group = unit); one suppressed cell."""
    scales = [("miljoe_for_laering", "Miljø for læring"), ("intern_udveksling",
              "Intern udveksling"), ("selvudvikling", "Selvudviklingsmuligheder for alle"),
              ("it", "Brug af informationsteknologi")]
    units = ["Skole Ølstrup", "Skole Kloster", "Dagpleje Hee", "Børnehus Bork", "I alt"]
    rng = np.random.default_rng(7)
    rows = []
    for s, lab in scales:
        for u in units:
            supp = (u, s) == ("Dagpleje Hee", "it")
            v = None if supp else float(np.round(rng.uniform(2.2, 4.6), 3))
            rows.append(dict(item=s, item_label=lab, stat="mean", by="enhed", group=u,
                             group_code=None, n=None if supp else int(rng.integers(8, 60)),
                             value=v, ci_low=None if supp else v - 0.2,
                             ci_high=None if supp else v + 0.2, p_val=0.01, q_val=0.02,
                             effect=0.1, effect_name="eta2", test="anova", vs_total="",
                             suppressed=supp))
    t = pd.DataFrame(rows, columns=COMPARE_COLS)
    t = _with_total(t)
    t["n"] = t["n"].astype("Int64")
    return t


def waves_table(stat: str = "share", paired: bool = False) -> pd.DataFrame:
    """A ``compare_waves`` table: units (or items for paired) 2008/09 -> 2010."""
    if paired:
        keys = [("miljoe_for_laering", "Miljø for læring", "I alt", 3.1, 3.6, True),
                ("intern_udveksling", "Intern udveksling", "I alt", 3.4, 3.5, False),
                ("selvudvikling", "Selvudviklingsmuligheder for alle", "I alt", 3.0, 2.7, True),
                ("it", "Brug af informationsteknologi", "I alt", None, None, False)]
    else:
        keys = [("ml_1", "Fejl bruges til læring", g, a, b, s) for g, a, b, s in (
            ("Skole Ølstrup", 0.42, 0.61, True), ("Skole Kloster", 0.55, 0.58, False),
            ("Dagpleje Hee", None, None, False), ("Børnehus Bork", 0.70, 0.52, True),
            ("I alt", 0.52, 0.57, True))]
    rows = []
    for item, label, g, a, b, sig in keys:
        supp = a is None
        ch = None if supp else b - a
        rows.append(dict(item=item, item_label=label, stat=stat if not paired else "mean",
                         by=None if paired else "enhed", group=g, group_code=None,
                         wave_from="2008/09", wave_to="2010", n_from=None if supp else 40,
                         n_to=None if supp else 38, value_from=a, value_to=b, change=ch,
                         ci_low=None if supp else ch - 0.12, ci_high=None if supp else ch + 0.12,
                         p_val=0.01 if sig else 0.4, q_val=0.02 if sig else 0.5,
                         test="paired t" if paired else "z", significant=sig if not supp else None,
                         suppressed=supp))
    t = pd.DataFrame(rows, columns=WAVES_COLS)
    t = _with_total(t)
    t["significant"] = t["significant"].astype("boolean")
    return t


def rank_table() -> pd.DataFrame:
    """A ``rank_shares`` table (k = 3), one suppressed option."""
    opts = [(1, "Kurser og uddannelse", 30, 70), (2, "Ledernetværk", 45, 80),
            (3, "Coaching", 12, 50), (4, "Sparring med kolleger", 8, 61),
            (5, "Praktik i anden enhed", None, None)]
    n = 150
    rows = []
    for code, label, first, top in opts:
        supp = first is None
        f_lo, f_hi = (None, None) if supp else _wilson(np.array([first]), np.array([n]))
        t_lo, t_hi = (None, None) if supp else _wilson(np.array([top]), np.array([n]))
        rows.append(dict(item="udvikling", code=code, label=label, n=n, n_first=first,
                         share_first=None if supp else first / n,
                         first_ci_low=None if supp else float(f_lo[0]),
                         first_ci_high=None if supp else float(f_hi[0]), n_top_k=top,
                         share_top_k=None if supp else top / n,
                         top_k_ci_low=None if supp else float(t_lo[0]),
                         top_k_ci_high=None if supp else float(t_hi[0]), k=3, suppressed=supp))
    t = pd.DataFrame(rows, columns=RANK_COLS)
    for c in ("n_first", "n_top_k"):
        t[c] = t[c].astype("Int64")
    return t


def test_tables_have_contract_columns():
    assert list(freq_table().columns) == FREQ_COLS
    assert list(compare_table().columns) == COMPARE_COLS
    assert list(waves_table().columns) == WAVES_COLS
    assert list(rank_table().columns) == RANK_COLS
