"""The codebook's ``design:`` block is used by default; arguments override it."""

from __future__ import annotations

import numpy as np
import pytest

from survey_kit.codebook import CodebookError, parse_codebook
from survey_kit.errors import DataError
from survey_kit.stats import compare, crosstab, frequencies, resolve_design
from tests._design_refs import scenario


def _codebook(design: dict | None):
    raw = {
        "instrument": "ess10no",
        "version": "1",
        "title": "ESS 10 Norge",
        "respondent_id": {"column": "idno"},
        "items": [
            {
                "code": "polint",
                "type": "single",
                "label": "Politisk interesse",
                "text": "Interesse?",
                "values": {0: "Nej", 1: "Ja"},
                "positive": [1],
            },
            {
                "code": "female",
                "type": "single",
                "label": "Køn",
                "text": "Køn?",
                "values": {0: "Mand", 1: "Kvinde"},
            },
        ],
    }
    if design is not None:
        raw["design"] = design
    return parse_codebook(raw)


def test_codebook_design_is_the_default():
    df, kw, ref = scenario("ess10no")
    cb = _codebook({"weight": "anweight", "strata": "stratum", "cluster": "psu"})
    assert cb.design.columns == ["anweight", "stratum", "psu"]
    by_cb = compare(df, "polint", by="female", codebook=cb, min_n=1)
    by_args = compare(df, "polint", by="female", positive=[1], min_n=1, **kw)
    np.testing.assert_allclose(by_cb["value"], by_args["value"], rtol=0, atol=0)
    np.testing.assert_allclose(by_cb["p_val"], by_args["p_val"], rtol=0, atol=0)
    assert (by_cb["test"] == "rao_scott_f").all() and by_cb["se"].notna().all()
    f = frequencies(df, "polint", codebook=cb, min_n=1)
    assert (f["ci_method"] == "logit").all()
    assert crosstab(df, "polint", "female", codebook=cb).test == "rao_scott_f"
    # an argument overrides the block: the weight alone (every row its own PSU)
    only_w = compare(df, "polint", by="female", codebook=cb, weight="anweight", min_n=1)
    assert not np.allclose(only_w["se"], by_cb["se"])
    assert resolve_design(df, _codebook(None)) is None


def test_codebook_design_errors():
    df, _, _ = scenario("ess10no")
    cb = _codebook({"weight": "vaegt"})
    with pytest.raises(ValueError, match="vaegt"):
        compare(df, "polint", codebook=cb)
    with pytest.raises(CodebookError):
        _codebook({"weight": "w", "psu": "x"})
    bad = df.assign(stratum=df["stratum"].where(df.index != 3))
    with pytest.raises(DataError, match="stratum"):
        compare(bad, "polint", weight="anweight", strata="stratum")
    neg = df.assign(anweight=-df["anweight"])
    with pytest.raises(DataError, match="anweight"):
        frequencies(neg, "polint", weight="anweight")
    with pytest.raises(ValueError, match="ci_method"):
        frequencies(df, "polint", ci_method="logit")  # needs a design
    with pytest.raises(ValueError, match="ci_method"):
        frequencies(df, "polint", weight="anweight", ci_method="wald")


def test_group_fpc_without_by_is_refused_not_ignored():
    df, _, _ = scenario("ess10no")
    with pytest.raises(ValueError, match="by="):
        compare(df, "polint", positive=[1], fpc={0: 100, 1: 100})


def test_design_describe_names_the_design_in_danish():
    df, kw, _ = scenario("ess10no")
    text = resolve_design(df, None, **kw).describe()
    assert "Taylor" in text and "'anweight'" in text and "strata 'stratum'" in text
    assert "klynger (PSU) 'psu'" in text
