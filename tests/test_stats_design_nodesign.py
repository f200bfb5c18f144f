"""Without a design every call gives the numbers it gave before design support (golden files made
by tests/golden/make_nodesign.py with the code before it), and the design columns stay empty."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

GOLD = Path(__file__).parent / "golden"
_spec = importlib.util.spec_from_file_location("make_nodesign", GOLD / "make_nodesign.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
RESULTS = _mod.calls()


def _text(s: pd.Series) -> list[str]:
    """Strings as a CSV round trip leaves them (blank, NA and NaN alike)."""
    return ["" if pd.isna(v) or v == "" else str(v) for v in s.tolist()]


#: What changed on purpose since the golden files were made, outside design support: issue 16's
#: one vocabulary (crosstab percentages became proportions named *_share; vs_total holds codes;
#: an is_total column) and issue 12's complementary cell suppression in crosstab.
RENAMED = {"row_pct": "row_share", "col_pct": "col_share"}
SCALED = {"row_pct": 0.01, "col_pct": 0.01}
VS_TOTAL = {"højere": "higher", "lavere": "lower"}


def _then(want: pd.DataFrame) -> pd.DataFrame:
    out = want.copy()
    for old, factor in SCALED.items():
        if old in out:
            out[old] = out[old] * factor
    if "vs_total" in out:
        out["vs_total"] = out["vs_total"].map(lambda v: VS_TOTAL.get(v, v))
    return out.rename(columns=RENAMED)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_no_design_output_is_unchanged(name):
    got = RESULTS[name]
    want = _then(pd.read_csv(GOLD / f"nodesign_{name}.csv"))
    kept = [c for c in got.columns if c in want.columns]
    assert kept == list(want.columns)  # columns only added, in the same order
    if "row_share" in got:  # crosstab: compare the cells published both then and now
        both = ~got["suppressed"].astype(bool).to_numpy() & ~want["suppressed"].astype(bool).to_numpy()
        got, want = got[both].reset_index(drop=True), want[both].reset_index(drop=True)
        want = want.drop(columns="suppressed")
    for col in want.columns:
        a, b = got[col], want[col]
        if pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(b):
            np.testing.assert_allclose(
                pd.to_numeric(a, errors="coerce").to_numpy(dtype=float, na_value=np.nan),
                b.to_numpy(dtype=float, na_value=np.nan),
                rtol=1e-15 if col not in SCALED.values() and col not in RENAMED.values() else 1e-12,
                atol=0, err_msg=f"{name}.{col}",
            )
        else:
            assert _text(a) == _text(b), f"{name}.{col}"
    for col in ("se", "deff", "df"):
        if col in got.columns:
            assert got[col].isna().all()
