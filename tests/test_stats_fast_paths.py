"""The fast integer paths (raw-code bincounts, integer scale sums) give exactly what the general
float path gives, including codes left under an NA mask and reverse-scored items."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt

from survey_kit import compare, frequencies, scale_scores
from survey_kit.codebook import instrument


def _frames(seed=7, n=3000):
    cb = instrument("temperaturmaaling")
    rng = np.random.default_rng(seed)
    items = [it for it in cb.items if it.type == "likert"]
    data = {"omraade": pd.array(rng.integers(1, 9, n), dtype="Int8")}
    for it in items:
        codes = rng.integers(1, 7, n)  # 6 = Ved ikke
        col = pd.array(codes, dtype="Int8")
        col[rng.random(n) < 0.05] = pd.NA  # codes stay in the buffer under the mask
        data[it.code] = col
    fast = pd.DataFrame(data)
    slow = fast.astype("float64")  # the general path
    return cb, fast, slow, [it.code for it in items]


def test_compare_and_frequencies_fast_path_equals_float_path():
    cb, fast, slow, items = _frames()
    a = compare(fast, items, by="omraade", codebook=cb)
    b = compare(slow, items, by="omraade", codebook=cb)
    pdt.assert_frame_equal(a, b, check_dtype=False, rtol=1e-12)
    fa = frequencies(fast, items[:3], by="omraade", codebook=cb)
    fb = frequencies(slow, items[:3], by="omraade", codebook=cb)
    pdt.assert_frame_equal(fa, fb, check_dtype=False, rtol=1e-12)


def test_scale_scores_integer_path_equals_float_path_with_reverse_items():
    cb, fast, slow, _ = _frames(seed=11)
    assert any(it.reverse for it in cb.items)
    pdt.assert_frame_equal(scale_scores(fast, cb), scale_scores(slow, cb), check_dtype=False, rtol=1e-12)
    # and against a direct computation for the scale with the reverse-scored item ml_3
    df = slow[["ml_1", "ml_2", "ml_3"]].where(slow[["ml_1", "ml_2", "ml_3"]] != 6)
    df["ml_3"] = 6 - df["ml_3"]
    expected = df.mean(axis=1).where(df.notna().sum(axis=1) >= 2)
    got = scale_scores(fast, cb)["miljoe_for_laering"]
    np.testing.assert_allclose(got.to_numpy(dtype=float), expected.to_numpy(dtype=float), rtol=1e-12)


def test_with_scale_scores_adds_labelled_index_columns():
    from survey_kit import with_scale_scores

    cb, fast, _, _ = _frames(seed=3)
    data = with_scale_scores(fast, cb)
    assert list(data.columns[: fast.shape[1]]) == list(fast.columns)
    pdt.assert_frame_equal(data[[s.code for s in cb.scales]], scale_scores(fast, cb))
    table = compare(data, ["intern_udveksling"], stat="mean", codebook=cb)
    assert set(table["item_label"]) == {"Intern udveksling"}
