"""Danish presentation tables (survey_kit.display) and the rich displays of survey_kit's objects.

Reference values: hand counts of small constructed data, and statsmodels' Wilson interval
(``proportion_confint(..., method="wilson")``) for the interval text.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import survey_kit as sk
from survey_kit.codebook import instrument
from survey_kit.datasets import leader_survey, temperature_survey

RAW_COLUMNS = {"ci_low", "ci_high", "q_val", "p_val", "vs_total", "value", "group_code", "is_total"}


@pytest.fixture(scope="module")
def small():
    # group A: 22 of 25 agree (88 %); B: 10 of 40 (25 %); C: 3 respondents (below min_n = 5),
    # D: 6 (hidden as C's complement, so C cannot be recovered from the total)
    g = ["A"] * 25 + ["B"] * 40 + ["C"] * 3 + ["D"] * 6
    q = [1] * 22 + [2] * 3 + [1] * 10 + [2] * 30 + [1, 2, 2] + [1, 1, 2, 2, 2, 2]
    return pd.DataFrame({"g": g, "q": q})


@pytest.fixture(scope="module")
def temp():
    return sk.Survey(temperature_survey(seed=7), instrument("temperaturmaaling"))


def test_compare_share_in_danish(small):
    comp = sk.compare(small, "q", by="g", positive=[1], min_n=5)
    pres = sk.present(comp)
    f = pres.frame
    assert list(f.columns) == ["Gruppe", "Antal svar", "Andel", "95 %-KI", "Forskel fra resten"]
    assert not RAW_COLUMNS & set(f.columns)
    a = f[f["Gruppe"] == "A"].iloc[0]
    assert a["Andel"] == "88 %" and a["Antal svar"] == "25"
    lo, hi = proportion_confint(22, 25, alpha=0.05, method="wilson")  # 0.7004, 0.9583
    assert a["95 %-KI"] == f"{round(100 * lo)}–{round(100 * hi)} %" == "70–96 %"
    assert f[f["Gruppe"] == "C"].iloc[0]["Andel"] == "For få svar"
    assert f[f["Gruppe"] == "D"].iloc[0]["Andel"] == "For få svar"
    assert f[f["Gruppe"] == "A"].iloc[0]["Forskel fra resten"] == "▲ højere"
    assert any("p < 0,001" in n for n in pres.notes)  # 88 % vs 25 %: chi2 = 25.5 on 1 df
    # the total row is bold, the suppressed row grey, in the HTML JupyterLab shows
    total_pos = f.index[f["Gruppe"] == "I alt"][0]
    assert total_pos in pres.bold_rows
    html = pres._repr_html_()
    assert "For få svar" in html and "font-weight: bold" in html and "88 %" in html
    # the tidy table is not changed
    assert comp["value"].iloc[0] == pytest.approx(22 / 25)


def test_compare_mean_decimal_comma():
    # 25 answers summing to 93: mean 3.72
    x = [4] * 18 + [3] * 7
    df = pd.DataFrame({"x": np.array(x, dtype=float)})
    assert np.mean(x) == pytest.approx(3.72)
    f = sk.present(sk.compare(df, "x", stat="mean")).frame
    assert f["Gennemsnit"].iloc[0] == "3,72"


def test_frequencies_wide_with_dont_know(temp):
    freq = sk.frequencies(temp, "ml_1", by="omraade")
    pres = temp.present(freq)
    f = pres.frame
    assert list(f.columns[:2]) == ["Fagområde", "Helt uenig"]
    assert "Ved ikke (antal)" in f.columns and "Antal svar" in f.columns
    # Skole's share "Helt enig" equals the hand count over the valid base (codes 1-5)
    d = temp.data[(temp.data["omraade"] == 2) & temp.data["ml_1"].isin([1, 2, 3, 4, 5])]
    share = (d["ml_1"] == 5).mean()
    row = f[f["Fagområde"] == "Skole"].iloc[0]
    assert row["Helt enig"] == f"{round(100 * share)} %"
    assert row["Antal svar"] == f"{len(d)}"
    assert pres.title == "Fejl bruges til læring"


def test_waves_change_in_percentage_points(temp):
    waves = temp.compare_waves(["st_plan"])
    f = temp.present(waves).frame
    d = temp.data[temp.data["st_plan"].isin([1, 2])]
    s = d.groupby("bolge")["st_plan"].apply(lambda v: (v == 1).mean())
    change = round(100 * (s[2] - s[1]))
    assert list(f.columns[:3]) == ["Spørgsmål", "2008/09", "2010"]
    assert f["Ændring"].iloc[0] == f"+{change} pct.-point"
    assert f["Signifikant"].iloc[0] == "ja"


def test_other_tables(temp):
    rel = temp.present(temp.reliability("miljoe_for_laering")).frame
    assert rel["Skala"].iloc[0] == "Miljø for læring" and "," in rel["Cronbachs alfa"].iloc[0]
    lead = sk.Survey(leader_survey(), instrument("lederudvikling_2008"))
    rank = sk.present(lead.rank_shares("prioritet")).frame
    assert rank.columns.tolist()[:3] == ["Valgmulighed", "Førsteprioritet", "Blandt top 3"]
    assert rank["Blandt top 3"].str.endswith(" %").all()
    xt = sk.present(temp.crosstab("omraade", "st_plan"))
    assert xt.frame.columns.tolist() == ["Fagområde", "Ja", "Nej"]
    assert any(n.startswith("Chi-i-anden-test") for n in xt.notes)
    assert "Ja" in temp.present(temp.crosstab("omraade", "st_plan")).to_html()


def test_excel_export(temp, tmp_path):
    pres = temp.present(temp.compare(["ml_1"], by="omraade"))
    path = pres.to_excel(tmp_path / "tabel.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tabel", "Data"]
    values = [c.value for row in wb["Tabel"].iter_rows() for c in row]
    assert "Andel" in values and "Fejl bruges til læring" in values
    assert any(isinstance(v, str) and v.endswith(" %") for v in values)


def test_rich_displays(temp, tmp_path):
    assert f"{temp.n:,} besvarelser".replace(",", ".") in temp._repr_html_()
    assert "Måling" in temp._repr_html_() or "Målinger" in temp._repr_html_()
    cb_html = temp.codebook._repr_html_()
    assert "enighedsskala" in cb_html and "Miljø for læring" in cb_html
    # validation: a wrong code becomes a row of the problems table
    bad = temp.data.head(20).copy()
    bad.loc[bad.index[3], "ml_1"] = 9
    from survey_kit.ingest import validate_frame

    report = validate_frame(bad, temp.codebook)
    html = report._repr_html_()
    assert "Kolonne" in html and "ml_1" in html and "problemer fundet" in html
    from survey_kit.privacy.suppression import AuditLog

    log = AuditLog()
    log.add(where="ml_1 / Skole", what="andel", why="under 5 svar", n=3)
    assert "Hvorfor" in log._repr_html_()
    rk = sk.rake(temp.data.dropna(subset=["stilling"]), {"stilling": {1: 0.8, 2: 0.2}})
    assert "konvergeret" in rk._repr_html_()
