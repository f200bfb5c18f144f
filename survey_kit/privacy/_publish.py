"""Test statistics and rounding of tables the run guard publishes (see :mod:`.run`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from survey_kit.privacy._scope import as_code


def bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values; NaN stays NaN (as ``stats._common.bh``, which
    privacy cannot import: stats imports privacy)."""
    p = np.asarray(p, dtype=float)
    q = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if ok.size:
        order = np.argsort(p[ok])
        ranked = p[ok][order] * ok.size / np.arange(1, ok.size + 1)
        q[ok[order]] = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    return q

_CI_COLUMNS = ("ci_low", "ci_high", "first_ci_low", "first_ci_high", "top_k_ci_low", "top_k_ci_high")


def _num(table: pd.DataFrame, col: str) -> np.ndarray:
    return pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _blank_tests(out: pd.DataFrame, rows: np.ndarray) -> None:
    for c in ("p_val", "q_val", "effect"):
        if c in out:
            out[c] = out[c].astype("Float64")
            out.loc[rows, c] = pd.NA
    for c in ("effect_name", "test"):
        if c in out:
            out.loc[rows, c] = ""


def _retest_ok(out: pd.DataFrame, hide: np.ndarray, rows: np.ndarray, tests: pd.DataFrame) -> bool:
    """Every group the recomputed test used is published here with the same n."""
    item = out.loc[rows, "item"].iloc[0]
    t = tests[tests["item"] == item]
    if t.empty or "group_code" not in t:
        return False
    shown = {
        as_code(c): n
        for c, n, hd in zip(out.loc[rows, "group_code"], _num(out.loc[rows], "n"), hide[rows], strict=True)
        if c is not None and not pd.isna(c) and not hd
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
    scope = out["test_scope"].astype(str).to_numpy() if "test_scope" in out else None
    out["test_scope"] = ""
    items = out["item"].to_numpy()
    for item in dict.fromkeys(items):
        rows = items == item
        if not hide[rows].any():
            if out.loc[rows, "test"].astype(str).ne("").any():
                out.loc[rows, "test_scope"] = "published"
            continue
        if tests is not None and _retest_ok(out, hide, rows, tests):
            t = tests[tests["item"] == item].iloc[0]
            for c in ("p_val", "effect", "effect_name", "test"):
                if c in out:
                    out.loc[rows, c] = t[c]
            out.loc[rows, "test_scope"] = "published"
        elif scope is not None and (scope[rows] == "published").all():
            out.loc[rows, "test_scope"] = "published"
        else:
            _blank_tests(out, rows)
    first = ~pd.Series(items).duplicated().to_numpy()
    p = _num(out, "p_val")
    q = np.full(len(out), np.nan)
    q_items = bh(p[first])
    for item, qv in zip(items[first], q_items, strict=True):
        q[items == item] = qv
    out["q_val"] = pd.array(q, dtype="Float64")
    return out


def round_published(out: pd.DataFrame) -> pd.DataFrame:
    """p and q to 3 decimals (below 0.001: 0.0), effects to 2, interval limits as shown."""
    for c in ("p_val", "q_val"):
        if c in out:
            p = _num(out, c)
            out[c] = pd.array(np.where(p < 0.001, 0.0, np.round(p, 3)), dtype="Float64")
            out.loc[np.isnan(p), c] = pd.NA
    if "effect" in out:
        e = _num(out, "effect")
        out["effect"] = pd.array(np.round(e, 2), dtype="Float64")
        out.loc[np.isnan(e), "effect"] = pd.NA
    means = (out["stat"] != "share").to_numpy() if "stat" in out else np.zeros(len(out), bool)
    for c in _CI_COLUMNS:
        if c in out:
            v = _num(out, c)
            r = np.where(means, np.round(v, 2), np.round(v, 3))
            out[c] = pd.array(r, dtype="Float64")
            out.loc[np.isnan(v), c] = pd.NA
    return out
