"""Mapping an export onto a codebook: columns by code/text/label, answers by code or label."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_kit.codebook import instrument
from survey_kit.errors import DataError
from survey_kit.ingest import RawExport, map_to_codebook
from survey_kit.ingest.mapping import normalise_text
from survey_kit.privacy import pseudonymise

LEDERE = instrument("lederudvikling_2008")
TEMP = instrument("temperaturmaaling")
NET = instrument("netvaerksevaluering")


def raw_of(frame: pd.DataFrame, **kw) -> RawExport:
    return RawExport(frame=frame, source_rows=np.arange(2, len(frame) + 2), path=Path("t.csv"),
                     sha256="", n_bytes=0, format="csv", **kw)


def test_normalise_text() -> None:
    assert normalise_text("  Helt   ENIG! ") == "helt enig"
    assert normalise_text("Hvor mange år har du været leder?") == "hvor mange år har du været leder"


def test_columns_by_code_and_data_column() -> None:
    frame = pd.DataFrame({"respondentid": ["1", "2"], "net_godt": ["4", "5"], "net_formaal_3": ["1", "0"]})
    out, problems = map_to_codebook(raw_of(frame), LEDERE)
    assert out["net_godt"].tolist() == [4, 5]
    assert out["net_formaal_3"].tolist() == [1, 0]
    assert list(out.columns) == [*LEDERE.data_columns, "_source_row", "_complete"]
    missing = set(problems.loc[problems["rule"] == "missing_column", "column"])
    assert "sektor" in missing and "net_godt" not in missing


def test_columns_by_question_text_label_header() -> None:
    """An Excel re-saved CSV with the question texts as headers and labels as answers."""
    frame = pd.DataFrame({
        "RespondentID": ["1", "2", "3"],
        "Inden for hvilket område er du leder": ["Skole", "dagtilbud", " ÆLDREPLEJE "],
        "LEDERNETVÆRK ER EN GOD MÅDE AT UDVIKLE SIG SOM LEDER PÅ.": ["Helt enig", "ved ikke", "Overvejende  uenig"],
    })
    out, problems = map_to_codebook(raw_of(frame), LEDERE)
    assert out["sektor"].tolist() == [1, 2, 3]
    assert out["net_godt"].tolist() == [5, 6, 2]
    assert out["respondentid"].tolist() == [1, 2, 3]
    assert "unknown_column" not in set(problems["rule"])


def test_columns_by_variable_label() -> None:
    frame = pd.DataFrame({"respondentid": [1], "V7": [3.0]})
    raw = raw_of(frame, variable_labels={"V7": "Hvilket fagområde hører din enhed under?"})
    out, _ = map_to_codebook(raw, TEMP)
    assert out["omraade"].tolist() == [3]


@pytest.mark.parametrize("value", [4, 4.0, "4", "4.0", "4,0", " 4 ", np.int64(4), "Overvejende enig",
                                   "overvejende ENIG"])
def test_code_spellings(value) -> None:
    frame = pd.DataFrame({"respondentid": [1], "net_godt": pd.Series([value], dtype=object)})
    out, problems = map_to_codebook(raw_of(frame), LEDERE)
    assert out["net_godt"].iloc[0] == 4
    assert str(out["net_godt"].dtype) == "Int8"
    assert "wrong_type" not in set(problems["rule"])


def test_file_value_labels_are_used() -> None:
    frame = pd.DataFrame({"respondentid": [1, 2], "sektor": ["Folkeskole", "Skole"]})
    raw = raw_of(frame, value_labels={"sektor": {1: "Folkeskole"}})
    out, _ = map_to_codebook(raw, LEDERE)
    assert out["sektor"].tolist() == [1, 1]


def test_wrong_type_reported_and_set_na() -> None:
    frame = pd.DataFrame({"respondentid": ["1", "2", "3"], "net_godt": ["4", "meget", "4.5"]})
    out, problems = map_to_codebook(raw_of(frame), LEDERE)
    assert out["net_godt"].isna().tolist() == [False, True, True]
    wrong = problems[problems["rule"] == "wrong_type"]
    assert wrong["row"].tolist() == [3, 4] and wrong["value"].tolist() == ["meget", "4.5"]
    assert "Række 3 (respondent 2), kolonne net_godt: værdien 'meget' kan ikke læses som en kode" in wrong["message"].iloc[0]


def test_multiple_choice_forms_cell() -> None:
    frame = pd.DataFrame({
        "respondentid": ["1", "2", "3", "4"],
        "Hvad var netværkets formål? (Sæt gerne flere kryds)": [
            "Styrke ledelseskompetencer;Motivere og inspirere;", "feedback på politikker;", None, "Noget andet;"],
    })
    out, problems = map_to_codebook(raw_of(frame), LEDERE)
    cols = [f"net_formaal_{k}" for k in range(1, 8)]
    assert out.loc[0, cols].tolist() == [1, 0, 0, 1, 0, 0, 0]
    assert out.loc[1, cols].tolist() == [0, 0, 0, 0, 0, 0, 1]
    assert out.loc[2, cols].isna().all() and out.loc[3, cols].isna().all()
    bad = problems[problems["rule"] == "wrong_type"]
    assert bad["row"].tolist() == [5] and bad["column"].tolist() == ["net_formaal"]


def test_multiple_choice_option_columns_with_labels() -> None:
    frame = pd.DataFrame({"respondentid": [1, 2], "net_formaal_1": ["Valgt", "Ikke valgt"],
                          "net_formaal_2": [1.0, 0.0]})
    out, _ = map_to_codebook(raw_of(frame), LEDERE)
    assert out["net_formaal_1"].tolist() == [1, 0]
    assert out["net_formaal_2"].tolist() == [1, 0]


@pytest.mark.parametrize("value", ["2008-09-15", "15-09-2008", "15.09.2008", 39706, 39706.0, "39706",
                                   datetime(2008, 9, 15), pd.Timestamp("2008-09-15")])
def test_date_spellings(value) -> None:
    frame = pd.DataFrame({"respondentid": [1], "besvaret": pd.Series([value], dtype=object)})
    out, problems = map_to_codebook(raw_of(frame), LEDERE)
    assert out["besvaret"].iloc[0] == pd.Timestamp("2008-09-15")  # Excel serial 39706 = 2008-09-15
    assert str(out["besvaret"].dtype) == "datetime64[us]"
    assert "wrong_type" not in set(problems["rule"])


@pytest.mark.parametrize(("value", "expected"), [("12,5", 12.5), ("1.234,5", 1234.5), ("12.5", 12.5),
                                                  (7, 7.0), ("  30 ", 30.0)])
def test_number_spellings(value, expected) -> None:
    frame = pd.DataFrame({"respondentid": [1], "antal_medarb": pd.Series([value], dtype=object)})
    out, _ = map_to_codebook(raw_of(frame), LEDERE)
    assert out["antal_medarb"].iloc[0] == expected
    assert str(out["antal_medarb"].dtype) == "Float64"


def test_text_and_blanks() -> None:
    frame = pd.DataFrame({"respondentid": [1, 2, 3], "kommentar": ["Godt", "  ", None]})
    out, _ = map_to_codebook(raw_of(frame), LEDERE)
    assert out["kommentar"].dtype == "string"
    assert out["kommentar"].iloc[0] == "Godt" and out["kommentar"].iloc[1:].isna().all()


def test_personal_key_is_pseudonymised(monkeypatch) -> None:
    monkeypatch.delenv("SURVEY_KIT_KEY", raising=False)
    frame = pd.DataFrame({"respondentid": [1, 2], "leder_id": ["a@x.dk", "b@x.dk"], "maaling": [1, 2]})
    with pytest.raises(DataError, match="--key-file.*SURVEY_KIT_KEY"):
        map_to_codebook(raw_of(frame), NET)
    out, _ = map_to_codebook(raw_of(frame), NET, key="k")
    assert out["leder_id"].tolist() == pseudonymise(pd.Series(["a@x.dk", "b@x.dk"]), "k").tolist()
    monkeypatch.setenv("SURVEY_KIT_KEY", "k")
    out2, _ = map_to_codebook(raw_of(frame), NET)
    assert out2["leder_id"].tolist() == out["leder_id"].tolist()


def test_status_gives_complete_flag() -> None:
    frame = pd.DataFrame({"respondentid": [1, 2, 3], "net_godt": [4, 5, None]})
    status = pd.Series(["complete", "partial", "distributed"])
    out, _ = map_to_codebook(raw_of(frame, status=status), LEDERE)
    assert out["_complete"].tolist() == [True, False, True]
    assert out["_source_row"].tolist() == [2, 3, 4]


def test_caller_frame_not_mutated() -> None:
    frame = pd.DataFrame({"respondentid": ["1"], "net_godt": ["Helt enig"]})
    before = frame.copy()
    map_to_codebook(raw_of(frame), LEDERE)
    pd.testing.assert_frame_equal(frame, before)


def test_wrong_codebook_is_a_data_error() -> None:
    frame = pd.DataFrame({"foo": [1], "bar": [2]})
    with pytest.raises(DataError, match="ingen af filens kolonner"):
        map_to_codebook(raw_of(frame), LEDERE)


def test_big_codes_do_not_overflow() -> None:
    frame = pd.DataFrame({"respondentid": [1, 2], "net_godt": ["1000", "4"]})
    out, problems = map_to_codebook(raw_of(frame), LEDERE)
    assert pd.isna(out["net_godt"].iloc[0]) and out["net_godt"].iloc[1] == 4
    assert problems.loc[problems["rule"] == "invalid_code", "value"].tolist() == ["1000"]


def test_wide_codes_get_int16_and_wave_item() -> None:
    frame = pd.DataFrame({"respondentid": ["1", "2"], "bolge": ["2010", "1"], "omraade": ["2", "2"],
                          "enhed": ["Skole Kloster", "811"]})
    out, problems = map_to_codebook(raw_of(frame), TEMP)
    assert str(out["enhed"].dtype) == "Int16"
    assert out["enhed"].tolist() == [202, 811]
    assert out["bolge"].tolist() == [2, 1]  # the wave label "2010" is code 2
    assert "wrong_type" not in set(problems["rule"])


def test_ranking_forms_cell() -> None:
    """Forms writes a ranking as the options in rank order in one cell."""
    frame = pd.DataFrame({
        "respondentid": ["1", "2", "3"],
        "Hvilke tre tilbud vil i højeste grad gøre dig til en bedre leder? Prioritér 1, 2 og 3.": [
            "Coaching;Ledernetværk;Mentorordning;", "Ledernetværk;Ledernetværk;", None],
    })
    out, problems = map_to_codebook(raw_of(frame), LEDERE)
    cols = [f"prioritet_{k}" for k in range(1, 9)]
    assert out.loc[0, cols].tolist() == [2, pd.NA, pd.NA, 1, 3, pd.NA, pd.NA, pd.NA]
    assert out.loc[1:, cols].isna().all().all()
    assert problems.loc[problems["rule"] == "wrong_type", "row"].tolist() == [3]  # a repeated option


def test_option_columns_by_question_and_option_text() -> None:
    """SurveyXact's Complete sheet and Excel re-saves head option columns "question - option"."""
    frame = pd.DataFrame({
        "respondentid": [1],
        "Hvad var netværkets formål? (Sæt gerne flere kryds) - Motivere og inspirere": [1],
        "Hvilke tre tilbud vil i højeste grad gøre dig til en bedre leder? Prioritér 1, 2 og 3. - Coaching": [2],
    })
    out, problems = map_to_codebook(raw_of(frame), LEDERE)
    assert out.loc[0, "net_formaal_4"] == 1 and out.loc[0, "prioritet_4"] == 2
    assert "unknown_column" not in set(problems["rule"])


def test_quick_outside_test_agrees_with_the_per_cell_test() -> None:
    """``_CodeParser.any_outside`` (range, then counts of the disallowed runs inside it) says what
    the per-cell lookup says, for int8 and int64 codes with absent cells held as 0."""
    from survey_kit.ingest._convert import _CodeParser

    rng = np.random.default_rng(20261130)
    for trial in range(2000):
        allowed = frozenset(int(x) for x in rng.choice(np.arange(-3, 12), size=rng.integers(0, 8), replace=False))
        codes = rng.integers(-3, 12, size=rng.integers(0, 30)).astype(np.int8 if trial % 2 else np.int64)
        present = rng.random(len(codes)) < 0.8
        codes = np.where(present, codes, 0).astype(codes.dtype)
        parser = _CodeParser({}, allowed)
        want = bool((present & ~parser.allowed_mask(codes)).any()) if allowed else False
        assert parser.any_outside(codes, present) == want, (sorted(allowed), codes.tolist(), present.tolist())
