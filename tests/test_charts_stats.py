"""Charts from the real statistics (survey_kit.stats) on the demo data of the three surveys."""

from __future__ import annotations

import pandas as pd
import pytest

from survey_kit.charts import (
    alt_text,
    heatmap,
    likert_bars,
    prepost,
    ranking_bars,
    share_bars,
    wave_dumbbell,
)
from survey_kit.codebook import instrument
from survey_kit.datasets import leader_survey, network_evaluation, temperature_survey
from survey_kit.stats import (
    compare,
    compare_waves,
    frequencies,
    rank_shares,
    scale_scores,
)


@pytest.fixture(scope="module")
def temp():
    return temperature_survey(n_per_wave=300, seed=11), instrument("temperaturmaaling")


def _drawn_y(fig) -> set[int]:
    return {round(y) for tr in fig.data if tr.type != "heatmap" and tr.y is not None
            for y in tr.y if y is not None}


def _suppressed_y(fig) -> set[int]:
    return {round(a.y) for a in fig.layout.annotations if a.name == "suppressed"}


def test_likert_from_frequencies_with_suppressed_groups(temp):
    df, cb = temp
    freq = frequencies(df, ["ml_1", "ml_2"], by="omraade", codebook=cb, min_n=60)
    fig = likert_bars(freq, title="Miljø for læring")
    hidden = freq[freq["suppressed"] & ~freq["is_missing_code"]]
    assert not hidden.empty  # min_n=60 hides the small fagområder
    ticks = [t.split("<br>")[0] for t in fig.layout.yaxis.ticktext]
    sup = _suppressed_y(fig)
    assert {ticks[i] for i in sup} <= set(hidden["group"])
    assert sup and not sup & _drawn_y(fig)
    names = {tr.name for tr in fig.data if tr.showlegend is not False}
    assert {"Helt uenig", "Helt enig"} <= names
    # Ved ikke counts equal the table's counts of the missing code for the drawn rows
    dk = [tr for tr in fig.data if tr.xaxis == "x2"][0]
    shown = freq[freq["is_missing_code"] & ~freq["suppressed"]]
    assert sorted(dk.x) == sorted(shown["n"].astype(float).tolist())


def test_share_bars_from_compare(temp):
    df, cb = temp
    comp = compare(df, ["ml_1"], by="omraade", codebook=cb, min_n=40)
    fig = share_bars(comp, source="Kilde: demodata")
    drawn = comp[(comp["group"] != "I alt") & ~comp["suppressed"]]
    assert sorted(fig.data[0].x) == pytest.approx(sorted((drawn["value"] * 100).tolist()))
    sup = comp[(comp["group"] != "I alt") & comp["suppressed"]]
    assert len(_suppressed_y(fig)) == len(sup)
    assert not _suppressed_y(fig) & set(fig.data[0].y)
    assert "Højest andel:" in alt_text(fig)


def test_dumbbell_from_compare_waves(temp):
    df, cb = temp
    waves = compare_waves(df, ["ml_1"], wave="bolge", by="omraade", codebook=cb)
    fig = wave_dumbbell(waves)
    assert fig.data[1].name == "2008/09" and fig.data[2].name == "2010"
    n_sig = int(waves.loc[~waves["suppressed"], "significant"].fillna(False).sum())
    assert len(fig.data[3].x) == n_sig


def test_heatmap_and_prepost_from_scale_scores():
    cb = instrument("temperaturmaaling")
    df = temperature_survey(n_per_wave=300, seed=3)
    scores = scale_scores(df, codebook=cb)
    data = pd.concat([df[["omraade"]], scores], axis=1)
    comp = compare(data, list(scores.columns), by="omraade", stat="mean")
    fig = heatmap(comp, value_range=(1, 5))
    assert len(fig.data[0].x) == scores.shape[1]
    cells = [a.text for a in fig.layout.annotations if a.name == "value"]
    assert cells and all("," in t for t in cells)  # decimal comma in every cell

    ncb = instrument("netvaerksevaluering")
    ndf = network_evaluation(seed=5)
    nscores = scale_scores(ndf, codebook=ncb)
    paired = compare_waves(pd.concat([ndf[["leder_id", "maaling"]], nscores], axis=1),
                           list(nscores.columns), wave="maaling", paired_on="leder_id",
                           stat="mean")
    fig = prepost(paired)
    xs = [x for tr in fig.data[:2] for x in tr.x]
    assert sorted(xs) == pytest.approx(sorted(paired["change"].dropna().tolist()))


def test_ranking_from_rank_shares():
    cb = instrument("lederudvikling_2008")
    ranks = rank_shares(leader_survey(n=200, seed=4), "prioritet", codebook=cb)
    fig = ranking_bars(ranks)
    top = fig.data[0]
    assert list(top.x) == sorted(top.x, reverse=True)
    assert len(top.x) == int((~ranks["suppressed"]).sum())
