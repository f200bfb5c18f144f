"""Test statistics and rounding of tables the run guard publishes (see :mod:`.run`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from survey_kit.privacy._scope import as_code


def bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (SciPy's ``false_discovery_control``, loaded on first
    use: ingest imports privacy without SciPy); NaN stays NaN, as ``stats._common.bh``, which
    privacy cannot import (stats imports privacy)."""
    from scipy.stats import false_discovery_control

    p = np.asarray(p, dtype=float)
    q = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q[ok] = false_discovery_control(p[ok], method="bh")
    return q

_CI_COLUMNS = ("ci_low", "ci_high", "first_ci_low", "first_ci_high", "top_k_ci_low", "top_k_ci_high")


def _num(table: pd.DataFrame, col: str) -> np.ndarray:
    return pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def set_na(out: pd.DataFrame, col: str, rows: np.ndarray, *, integer: bool = False) -> None:
    """NA in ``col`` on ``rows`` (numbers as nullable Int64/Float64, text as "")."""
    if col not in out or not rows.any():
        return
    s = out[col]
    if pd.api.types.is_bool_dtype(s):
        arr = pd.array(s.to_numpy(dtype=object), dtype="boolean")
        arr[rows] = pd.NA
    elif pd.api.types.is_numeric_dtype(s):
        v = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan).copy()
        v[rows] = np.nan
        arr = pd.array(v, dtype="Float64")
        if integer:
            arr = arr.astype("Int64")
    else:
        arr = np.where(rows, "", s.astype(str).to_numpy())
    out[col] = arr


def _retest_ok(out: pd.DataFrame, hide: np.ndarray, rows: np.ndarray, tests: pd.DataFrame) -> bool:
    """Every group the recomputed test used is published here with the same n."""
    item = out["item"].to_numpy()[rows][0]
    t = tests[tests["item"] == item]
    if t.empty or "group_code" not in t:
        return False
    shown = {
        as_code(c): n
        for c, n, hd in zip(out["group_code"].to_numpy()[rows], _num(out, "n")[rows], hide[rows], strict=True)
        if not pd.isna(c) and not hd
    }
    for c, n in zip(t["group_code"], _num(t, "n"), strict=True):
        if pd.isna(c) or n == 0:
            continue
        if as_code(c) not in shown or shown[as_code(c)] != n:
            return False
    return True


def publish_compare_tests(out: pd.DataFrame, hide: np.ndarray, tests: pd.DataFrame | None) -> pd.DataFrame:
    """Blank, keep or replace each item's test; recompute ``q_val`` over the published p-values."""
    if "p_val" not in out or "item" not in out:
        return out
    marked = out["test_scope"].astype(str).to_numpy() if "test_scope" in out else None
    scope = np.full(len(out), "", dtype=object)
    blank = np.zeros(len(out), dtype=bool)
    items = out["item"].to_numpy()
    tested = out["test"].astype(str).to_numpy() != "" if "test" in out else np.zeros(len(out), bool)
    for item in dict.fromkeys(items):
        rows = items == item
        if not hide[rows].any():
            scope[rows & tested] = "published"
            continue
        if tests is not None and _retest_ok(out, hide, rows, tests):
            t = tests[tests["item"] == item].iloc[0]
            for c in ("p_val", "effect", "effect_name", "test"):
                if c in out:
                    vals = out[c].to_numpy(dtype=object).copy()
                    vals[rows] = t[c]
                    out[c] = pd.array(vals, dtype="Float64") if c in ("p_val", "effect") else vals
            scope[rows] = "published"
        elif marked is not None and (marked[rows] == "published").all():
            scope[rows] = "published"
        else:
            blank |= rows
    for c in ("p_val", "q_val", "effect", "effect_name", "test"):
        set_na(out, c, blank)
    out["test_scope"] = scope
    first = ~pd.Series(items).duplicated().to_numpy()
    p = _num(out, "p_val")
    q = np.full(len(out), np.nan)
    for item, qv in zip(items[first], bh(p[first]), strict=True):
        q[items == item] = qv
    out["q_val"] = pd.array(q, dtype="Float64")
    return out


def round_published(out: pd.DataFrame) -> pd.DataFrame:
    """p and q to 3 decimals (below 0.001: 0.0), effects to 2, interval limits as shown."""
    for c in ("p_val", "q_val"):
        if c in out:
            p = _num(out, c)
            out[c] = pd.array(np.where(p < 0.001, 0.0, np.round(p, 3)), dtype="Float64")
    if "effect" in out:
        e = _num(out, "effect")
        out["effect"] = pd.array(np.round(e, 2), dtype="Float64")
    means = (out["stat"] != "share").to_numpy() if "stat" in out else np.zeros(len(out), bool)
    for c in _CI_COLUMNS:
        if c in out:
            v = _num(out, c)
            r = np.where(means, np.round(v, 2), np.round(v, 3))
            out[c] = pd.array(r, dtype="Float64")
    return out
