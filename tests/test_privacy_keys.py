"""Pseudonymous keys link waves under one key and only under that key."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from survey_kit.privacy import pseudonymise


def test_pseudonyms_link_two_waves_with_the_same_key():
    wave1 = pd.Series(["anna@rksk.dk", "Bo@RKSK.dk ", "carl@rksk.dk", None])
    wave2 = pd.Series([" BO@rksk.dk", "anna@rksk.dk", "dorte@rksk.dk"])
    p1, p2 = pseudonymise(wave1, "nøgle-2010"), pseudonymise(wave2, "nøgle-2010")
    assert p1.iloc[0] == p2.iloc[1] and p1.iloc[1] == p2.iloc[0]
    assert len(set(p1.dropna()) & set(p2)) == 2
    assert pd.isna(p1.iloc[3])
    # independent reference: HMAC-SHA256 of the normalised id (Python's hmac module)
    ref = hmac.new("nøgle-2010".encode(), b"anna@rksk.dk", hashlib.sha256).hexdigest()[:16]
    assert p1.iloc[0] == ref


def test_another_key_gives_other_pseudonyms():
    ids = pd.Series(["anna@rksk.dk", "bo@rksk.dk"])
    a, b = pseudonymise(ids, "nøgle-a"), pseudonymise(ids, b"noegle-b")
    assert not set(a) & set(b)
    assert pseudonymise(ids, "nøgle-a", length=32).str.len().eq(32).all()


@pytest.mark.parametrize("key", ["", b""])
def test_empty_key_is_refused(key):
    with pytest.raises(ValueError, match="key"):
        pseudonymise(pd.Series(["anna"]), key)
