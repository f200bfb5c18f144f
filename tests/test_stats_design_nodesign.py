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


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_no_design_output_is_unchanged(name):
    got = RESULTS[name]
    want = pd.read_csv(GOLD / f"nodesign_{name}.csv")
    assert list(got.columns[: len(want.columns)]) == list(want.columns)  # columns only added
    for col in want.columns:
        a, b = got[col], want[col]
        if pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(b):
            np.testing.assert_array_equal(
                pd.to_numeric(a, errors="coerce").to_numpy(dtype=float, na_value=np.nan),
                b.to_numpy(dtype=float, na_value=np.nan),
                err_msg=f"{name}.{col}",
            )
        else:
            assert _text(a) == _text(b), f"{name}.{col}"
    for col in ("se", "deff", "df"):
        if col in got.columns:
            assert got[col].isna().all()
