"""The public API: every exported name resolves, and functions are functions (not subpackages)."""

from __future__ import annotations

import types

import survey_kit as sk


def test_every_public_name_resolves():
    for name in sk.__all__:
        value = getattr(sk, name)
        assert not isinstance(value, types.ModuleType), f"sk.{name} is a module"


def test_ingest_is_the_function_even_after_the_subpackage_is_imported():
    import survey_kit.ingest.core  # noqa: F401

    assert callable(sk.ingest) and sk.ingest.__name__ == "ingest"


def _fresh(code: str) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_import_is_lean():
    # `import survey_kit` loads no data stack: every CLI call, worker and kernel pays the import
    loaded = _fresh("import sys, survey_kit; print(sorted({m.split('.')[0] for m in sys.modules} "
                    "& {'pandas', 'numpy', 'pandera', 'scipy', 'plotly', 'pyarrow'}))")
    assert loaded == "[]"


def test_ingest_is_the_function_whoever_imports_the_subpackage_first():
    # in a fresh process the subpackage is loaded only now, after `import survey_kit`
    out = _fresh("import survey_kit as sk, survey_kit.ingest.core, survey_kit.stats; "
                 "from survey_kit.ingest import core; "
                 "print(sk.ingest is core.ingest, sk.ingest.__name__)")
    assert out == "True ingest"


# -- one vocabulary across result tables (issue 16) ----------------------------------------------
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from survey_kit.codebook import instrument  # noqa: E402
from survey_kit.datasets import temperature_survey  # noqa: E402


@pytest.fixture(scope="module")
def temp():
    return sk.Survey(temperature_survey(seed=7), instrument("temperaturmaaling"))


def test_total_row_is_a_boolean_column(temp):
    for table in (
        sk.frequencies(temp, "st_plan", by="omraade"),
        sk.compare(temp, ["ml_1"], by="omraade"),
        sk.compare(temp, ["ml_1"]),
        sk.compare_waves(temp, ["ml_1"], wave="bolge", by="omraade"),
    ):
        assert table["is_total"].dtype == bool
        # exactly the rows whose group is the total, and one per item (x wave pair / code)
        assert (table["is_total"] == (table["group"] == "I alt")).all()
        assert table["is_total"].any()


def test_a_group_named_like_the_total_is_still_a_group():
    # the total row is the row without a group code, found by `is_total`, never by its label
    from survey_kit.codebook import parse_codebook

    cb = parse_codebook({
        "instrument": "t", "version": "1", "title": "T", "respondent_id": {"column": "rid"},
        "items": [
            {"code": "g", "text": "Gruppe", "label": "Gruppe", "type": "single", "group": True,
             "values": {1: "I alt", 2: "Andre"}},
            {"code": "q", "text": "Spørgsmål", "label": "Q", "type": "likert",
             "values": {1: "Uenig", 2: "Hverken", 3: "Enig"}, "positive": [3]}]})
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"rid": range(60), "g": pd.array(rng.integers(1, 3, 60), dtype="Int8"),
                       "q": pd.array(rng.integers(1, 4, 60), dtype="Int8")})
    for table in (sk.compare(df, ["q"], by="g", codebook=cb),
                  sk.frequencies(df, "q", by="g", codebook=cb)):
        totals = table[table["is_total"]]
        assert set(totals["group_code"].isna()) == {True}
        groups = table[~table["is_total"]]
        assert set(groups["group"]) == {"I alt", "Andre"}
    mean = sk.compare(df, ["q"], by="g", codebook=cb, stat="mean", min_n=1)
    total = mean[mean["is_total"]]
    assert len(total) == 1 and int(total["n"].iloc[0]) == 60


def test_vs_total_holds_codes_not_danish_words(temp):
    out = sk.compare(temp, ["ml_1", "iu_1", "ls_1"], by="enhed")
    assert set(out["vs_total"]) <= {"higher", "lower", ""}
    assert {"higher", "lower"} & set(out["vs_total"])
    from survey_kit.fmt import flag_text

    assert flag_text("higher") == "højere" and flag_text("lower") == "lavere"


def test_min_n_defaults_to_the_codebook_everywhere(temp):
    # a codebook with min_n = 250: every default suppresses groups below 250 (areas have 196-558)
    cb = temp.codebook.model_copy(update={"min_n": 250})
    strict = sk.Survey(temp.data, cb)
    for table in (
        sk.frequencies(strict, "ml_1", by="omraade"),
        sk.compare(strict, ["ml_1"], by="omraade"),
        sk.compare_waves(strict, ["ml_1"], wave="bolge", by="omraade"),
    ):
        shown = table[~table["suppressed"]]
        if "n_from" in table:
            n = shown[["n_from", "n_to"]].min(axis=1)
        else:
            n = shown["n_valid" if "n_valid" in table else "n"]
        assert (n >= 250).all() and len(shown) > 0
        assert table["suppressed"].any()
    xt = sk.crosstab(strict, "omraade", "st_plan")
    assert xt.min_n == 250


def test_crosstab_shares_are_proportions(temp):
    xt = sk.crosstab(temp, "omraade", "st_plan")
    rows = xt.row_share.to_numpy(dtype=float)
    np.testing.assert_allclose(np.nansum(rows, axis=1), 1.0)  # no cell suppressed at min_n 5 here
    # pandas reference: the row proportions of the plain two-way count table (Ja/Nej/Ved ikke coded
    # 1/2/3 with 3 declared missing, so only 1 and 2 are columns)
    data = temp.data[temp.data["st_plan"].isin([1, 2])]
    ref = pd.crosstab(data["omraade"], data["st_plan"], normalize="index")
    np.testing.assert_allclose(rows, ref.to_numpy(), atol=1e-12)


def test_a_report_broken_down_by_a_group_named_like_the_total():
    # the whole chain finds totals by is_total: a category called "I alt" is reported as a group
    from survey_kit.codebook import parse_codebook
    from survey_kit.report import build_report, default_spec

    cb = parse_codebook({
        "instrument": "t", "version": "1", "title": "T", "respondent_id": {"column": "rid"},
        "items": [
            {"code": "g", "text": "Gruppe", "label": "Gruppe", "type": "single", "group": True,
             "values": {1: "I alt", 2: "Andre"}},
            *[{"code": f"q{i}", "text": f"Spørgsmål {i}", "label": f"Spørgsmål {i}", "type": "likert",
               "values": {1: "Uenig", 2: "Hverken", 3: "Enig"}, "positive": [3]} for i in (1, 2)]]})
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"rid": range(80), "g": pd.array(rng.integers(1, 3, 80), dtype="Int8"),
                       **{f"q{i}": pd.array(rng.integers(1, 4, 80), dtype="Int8") for i in (1, 2)}})
    rep = build_report(sk.Survey(df, cb), spec=default_spec(cb))
    tables = [b for b in rep.blocks if getattr(b, "kind", "") == "table" and "group" in b.data]
    broken = [t for t in tables if {"I alt", "Andre"} <= set(t.data["group"])]
    assert broken, [t.title for t in tables]
    for t in broken:  # the category and the total are two rows, told apart by is_total
        assert t.data["is_total"].sum() == t.data["item"].nunique()


# -- old names warn and give what the new spelling gives (issue 20) --------------------------------
def test_old_names_warn_naming_the_new_one_and_give_the_same(temp, tmp_path):
    import warnings

    comp = sk.compare(temp, ["ml_1"], by="omraade")
    with pytest.warns(DeprecationWarning, match=r"survey_kit\.present\(result\)\.frame"):
        old = sk.danish(comp)
    pd.testing.assert_frame_equal(old, sk.present(comp).frame)

    export = tmp_path / "Måling 2024.csv"
    export.write_text("Løbenr;Afdeling;Q1\n1;Skole;4\n2;Skole;1\n3;Dagtilbud;3\n4;Skole;2\n",
                      encoding="utf-8")
    with pytest.warns(DeprecationWarning, match=r"survey_kit\.draft_codebook\(path\)\.codebook"):
        cb = sk.infer_codebook(export, instrument="maaling")
    assert cb == sk.draft_codebook(export, instrument="maaling").codebook

    # the new names do not warn
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        sk.present(comp)
        sk.draft_codebook(export)
        assert callable(sk.save_chart)
    with pytest.warns(DeprecationWarning, match=r"survey_kit\.save_chart"):
        with pytest.raises(ValueError, match="fig"):  # the old name runs the new function
            sk.export({"data": []}, tmp_path / "x")
