"""One disclosure control per explorer session (issue 22): the attacker (`privacy.recoverable`,
HiGHS) reads every view the session published and subtracts them from each other: "all staff by
unit" minus "employees by unit" (the leaders), "all waves" minus "2010" (2008/09), one breakdown
against another. Nothing hidden may come back exactly.

Before the session guard each view had its own guard, and these differences gave back the unit
leaders' answers exactly."""

from __future__ import annotations

import pandas as pd
import pytest

import survey_kit as sk
from survey_kit import explorer as ex
from survey_kit.codebook import instrument
from survey_kit.datasets import temperature_survey
from survey_kit.privacy import recoverable

V = ex.View


@pytest.fixture(scope="module")
def temp():
    return sk.Survey(temperature_survey(seed=5), instrument("temperaturmaaling"))


def _session_views(temp, views):
    session = ex.Session(temp)
    tables, scopes, refused = [], [], []
    for view in views:
        try:
            res = ex.compute(temp, view, session=session)
        except ex.Refused as err:
            refused.append(str(err))
            continue
        tables.append(res.table)
        scopes.append(ex.conditions_of(temp, view))
    return tables, scopes, refused


def _exact(tables, scopes, cb):
    found = recoverable(tables, scopes=scopes, codebook=cb, zeros_hidden=True)
    rec = found[found["recoverable"]]
    # a unit whose published share is 0 % or 100 % tells everyone's answer without any difference
    homogeneous = set()
    for t in tables:
        if "value" in t and "group_code" in t and t["by"].eq("enhed").any():
            v = pd.to_numeric(t["value"], errors="coerce")
            homogeneous |= {int(c) for c in t.loc[v.isin([0.0, 1.0]), "group_code"].dropna()}
    keep = ~(rec["quantity"].isin(["n_positive", "n_negative"])
             & rec["key"].str.extract(r"enhed=(\d+)")[0].astype(float).isin(homogeneous))
    return rec[keep]


def test_filters_in_one_wave_recover_nothing(temp):
    views = [V("item:ml_1", how="share", by="enhed", wave="2"),
             V("item:ml_1", how="share", by="enhed", wave="2", filter=("stilling", 2)),
             V("item:ml_1", how="share", by="enhed", wave="2", filter=("stilling", 1))]
    tables, scopes, refused = _session_views(temp, views)
    assert len(tables) + len(refused) == 3 and len(tables) >= 2
    rec = _exact(tables, scopes, temp.codebook)
    assert rec.empty, rec.head(10).to_string()
    # the unit leader of Dagpleje Hee (one person in 2010) is not shown in the leaders' view
    hee = [k for k, v in temp.codebook["enhed"].values.items() if v == "Dagpleje Hee"][0]
    for t in tables[1:]:
        row = t[t["group_code"] == hee]
        assert row.empty or row["suppressed"].all() or (row["n"] >= 5).all()


def test_waves_and_breakdowns_recover_nothing(temp):
    views = [V("item:ml_2", how="share", by="enhed", wave="2"),
             V("item:ml_2", how="share", by="enhed", wave=ex.ALL),
             V("item:ml_2", how="share", by="omraade", wave="1"),
             V("item:ml_2", how="share", by="enhed", wave="1", filter=("omraade", 2))]
    tables, scopes, refused = _session_views(temp, views)
    assert len(tables) >= 3, refused
    rec = _exact(tables, scopes, temp.codebook)
    assert rec.empty, rec.head(10).to_string()


def test_a_hidden_cell_stays_hidden_and_the_pooled_view_is_labelled(temp):
    session = ex.Session(temp)
    first = ex.compute(temp, V("item:ml_1", how="share", by="enhed", wave="2", filter=("stilling", 2)),
                       session=session)
    hidden = set(first.table.loc[first.table["suppressed"], "group_code"].dropna().astype(int))
    assert hidden
    again = ex.compute(temp, V("item:ml_1", how="share", by="enhed", wave="2", filter=("stilling", 2)),
                       session=session)
    assert set(again.table.loc[again.table["suppressed"], "group_code"].dropna().astype(int)) >= hidden
    pooled = ex.compute(temp, V("item:ml_1", how="mean", wave=ex.ALL), session=session)
    assert ex.POOLED.lower() in pooled.presentation.title.lower() and ex.POOLED in pooled.note
    # means are drawn on the answer scale (1-5), not the data's range
    assert tuple(pooled.figure.layout.xaxis.range) == (1.0, 5.0)
