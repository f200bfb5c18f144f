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


def _generic_tables(s, codes, groups, weights):
    from survey_kit.stats._common import count, encode

    idx = encode(s, codes)
    return [count(groups, idx, len(codes) + 2, w) for w in weights]


def test_byte_key_counts_equal_the_encoded_counts_at_every_edge():
    """One-byte codes are counted by 16-bit keys (group * 256 + byte, NA in block 255): the
    tables equal those of the general encode + count path for signed and unsigned bytes, negative
    codes (-1, -99), codes the byte cannot hold, values that are no code, NA under the mask,
    weights, and 1, 254 and 255 groups (255 groups + "no group" would need block 255: the other
    path)."""
    from survey_kit.stats._common import Groups, _count_raw

    rng = np.random.default_rng(20261207)
    n = 5000
    cases = [
        ("Int8", [-99, -1, 1, 2, 3, 4, 5, 300], [-99, -1, 1, 2, 3, 4, 5, 7, -128, 127]),
        ("UInt8", [0, 1, 2, 3, 255, -1], [0, 1, 2, 3, 4, 255, 200]),
        ("int8", [1, 2, 3], [1, 2, 3, 9, -5]),
    ]
    for n_groups in (0, 1, 254, 255):
        index = rng.integers(0, n_groups + 1, n).astype(np.intp)
        groups = Groups(index, list(range(n_groups)), [str(i) for i in range(n_groups)], "g")
        w = rng.random(n)
        for dtype, codes, drawn in cases:
            data = rng.choice(drawn, n)
            s = pd.Series(pd.array(data, dtype=dtype))
            if dtype[0].isupper():
                s[rng.random(n) < 0.1] = pd.NA
            got = _count_raw(s, codes, groups, (None, w))
            want = _generic_tables(s, codes, groups, (None, w))
            assert got is not None
            for a, b in zip(got, want, strict=True):
                assert a.shape == b.shape == (n_groups + 1, len(codes) + 2)
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-9)
