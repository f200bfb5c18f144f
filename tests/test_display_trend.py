"""``present()`` of a ``stats.trend`` table: Danish headers, decimal comma, the trend per round in
words and numbers, p-values as everywhere else; the numbers checked against R (tests/r/trend_refs.R,
its output tests/r/trend_refs.json, on tests/r/data/waves_trend.csv)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from test_waves_trend import CB, HERE, R

import survey_kit as sk
from survey_kit.stats import trend


@pytest.fixture(scope="module")
def data():
    d = pd.read_csv(HERE / "r" / "data" / "waves_trend.csv")
    d.insert(0, "rid", np.arange(len(d)))
    return d.astype({"bolge": "Int8", "grp": "Int8", "q": "Int8", "score": "Float64"})


def _da(x: float, decimals: int = 2) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


def test_a_share_trend_reads_as_an_odds_ratio_per_round_in_danish(data):
    shown = sk.present(trend(data, "q", wave="bolge", by="grp", codebook=CB), codebook=CB)
    f = shown.frame
    assert list(f.columns) == ["Gruppe", "Målinger", "Antal svar", "Odds-forhold pr. måling", "95 %-KI",
                               "Tendens", "p-værdi"]
    total = f.iloc[-1]
    ref = R["share_total"]  # R: glm(cbind(x, n - x) ~ t, family = binomial), exp(coef), Wald interval
    assert total["Gruppe"] == "I alt" and shown.bold_rows == (2,)
    assert total["Målinger"] == "2008/09, 2010, 2012" and total["Antal svar"] == str(sum(ref["n"]))
    assert total["Odds-forhold pr. måling"] == _da(math.exp(ref["slope"]))  # 1,53: odds x 1.5 a round
    z = 1.959963984540054
    lo, hi = math.exp(ref["slope"] - z * ref["se_tight"]), math.exp(ref["slope"] + z * ref["se_tight"])
    assert total["95 %-KI"] == f"{_da(lo)}–{_da(hi)}"
    assert total["Tendens"] == "stigende" and total["p-værdi"] == "< 0,001"  # R: p = 8.2e-05
    assert any("logistisk regression" in n for n in shown.notes)


def test_a_mean_trend_reads_in_points_per_round(data):
    shown = sk.present(trend(data, "score", wave="bolge", stat="mean", codebook=CB))
    row = shown.frame.iloc[0]
    ref = R["mean_total"]  # R: summary(lm(score ~ t))
    sign = "+" if ref["slope"] > 0 else "−"
    assert row["Ændring pr. måling"] == sign + _da(abs(ref["slope"]))
    assert row["p-værdi"] == ("< 0,001" if ref["p"] < 0.001 else _da(round(ref["p"], 3), 3))
    assert row["Tendens"] == ("ingen sikker tendens" if ref["p"] >= 0.05 else
                              "stigende" if ref["slope"] > 0 else "faldende")
    assert any("point pr. måling" in n for n in shown.notes)


def test_a_hidden_group_hides_no_other_rows_trend(data):
    # each trend row is its own test over its own rounds: group A hidden (83 < 100 in a round)
    # leaves the total's test shown
    t = trend(data, "q", wave="bolge", by="grp", codebook=CB, min_n=100)
    assert t.loc[t["group"] == "A", "suppressed"].all() and not t.loc[t["is_total"], "suppressed"].any()
    f = sk.present(t, codebook=CB).frame.set_index("Gruppe")
    assert f.loc["A", "Antal svar"] == "For få svar" and f.loc["A", "p-værdi"] == ""
    assert f.loc["I alt", "p-værdi"] == "< 0,001" and f.loc["I alt", "Tendens"] == "stigende"
