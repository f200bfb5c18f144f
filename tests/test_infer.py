"""infer_codebook: drafts that load, from SurveyXact, Forms, SPSS and plain files."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest
import yaml
from conftest import REALDATA
from fixtures_exports import (
    SX_MULTIPLE,
    SX_QUESTIONS,
    write_forms_xlsx,
    write_surveyxact_csv,
    write_surveyxact_workbook,
    write_text,
)
from typer.testing import CliRunner

from survey_kit.cli import app
from survey_kit.codebook import parse_codebook
from survey_kit.errors import DataError
from survey_kit.ingest.infer import draft_codebook

REAL = REALDATA
needs_real = pytest.mark.realdata  # conftest fails these when ../shared/realdata is missing


def _round_trip(cb):
    again = parse_codebook(yaml.safe_load(cb.to_yaml()))
    assert again == cb
    return again


@pytest.mark.parametrize("kind", ["workbook", "csv_semicolon", "csv_tab"])
def test_surveyxact_draft(tmp_path, kind):
    if kind == "workbook":
        path = write_surveyxact_workbook(tmp_path / "trivsel.xlsx")
    else:
        path = write_surveyxact_csv(tmp_path / "trivsel", kind.split("_")[1])
    cb = _round_trip(draft_codebook(path, instrument="trivsel_2010").codebook)
    assert cb.instrument == "trivsel_2010"
    assert cb.respondent_id.column == "respondentid"
    codes = [it.code for it in cb.items]
    assert codes == ["s_1", "s_2", "s_3", "s_4", "enhed"]  # no system or status columns
    s1 = cb["s_1"]
    assert s1.type == "likert" and s1.text == SX_QUESTIONS["s_1"][0]
    assert s1.values == {c: lab for c, lab in SX_QUESTIONS["s_1"][1].items() if c != 6}
    assert s1.missing == {6: "Ved ikke"}
    s2 = cb["s_2"]
    assert s2.type == "single" and s2.missing == {3: "Ved ikke"} and not s2.group
    s3 = cb["s_3"]
    assert s3.type == "multiple" and s3.text == SX_MULTIPLE[1] and s3.values == SX_MULTIPLE[2]
    assert s3.columns == ["s_3_1", "s_3_2", "s_3_3"]
    assert cb["s_4"].type == "text"
    assert cb["enhed"].group and cb["enhed"].values == SX_QUESTIONS["enhed"][1]


def test_forms_draft(tmp_path):
    cb = _round_trip(draft_codebook(write_forms_xlsx(tmp_path / "netvaerk.xlsx")).codebook)
    assert cb.instrument == "netvaerk" and cb.respondent_id.column == "ID"
    by_text = {it.text: it for it in cb.items}
    multi = by_text["Hvilke værktøjer bruger du?"]
    assert multi.type == "multiple" and set(multi.values.values()) == {"Excel", "Power BI", "Teams"}
    assert multi.code == "q2"  # a question-text header becomes a short code; the text keeps it
    assert "Email" not in {it.text for it in cb.items}


@needs_real
def test_pallant_survey_texts_from_variable_labels():
    path = REAL / "pallant" / "survey.sav"
    cb = _round_trip(draft_codebook(path).codebook)
    _, meta = pyreadstat.read_sav(path, user_missing=True)
    # survey.sav repeats id 242 (two cases; pyreadstat: df.id.duplicated().sum() == 1): one repeat
    # among 439 keeps 'id' as the id (issue 23); the repeat is quarantined and the draft says so
    draft = draft_codebook(path)
    assert cb.respondent_id.column == "id"
    assert "'id'" in draft.notes[""][0] and "242" in draft.notes[""][0]
    assert "# TJEK:" in draft.to_yaml().splitlines()[0]
    labels = {c: lab for c, lab in meta.column_names_to_labels.items() if lab}
    for it in cb.items:
        assert it.text == labels.get(it.code, it.code)
    assert cb["sex"].type == "single" and cb["sex"].values == {1: "MALES", 2: "FEMALES"}
    assert cb["sex"].group and cb["educ"].group
    assert cb["op1"].type == "likert" and cb["op1"].values == {k: str(k) for k in range(1, 6)}
    assert cb["age"].type == "number"


def test_spss_user_missing_and_labels(tmp_path):
    df = pd.DataFrame({"lbnr": [1.0, 2.0, 3.0, 4.0], "tilfreds": [1.0, 4.0, 9.0, 2.0],
                       "koen": [1.0, 2.0, 1.0, 2.0]})
    p = tmp_path / "maaling.sav"
    pyreadstat.write_sav(
        df, p,
        column_labels={"tilfreds": "Hvor tilfreds er du med dit job?", "koen": "Køn"},
        variable_value_labels={
            "tilfreds": {1: "Meget utilfreds", 2: "Utilfreds", 3: "Tilfreds", 4: "Meget tilfreds", 9: "Uoplyst"},
            "koen": {1: "Mand", 2: "Kvinde"},
        },
        missing_ranges={"tilfreds": [9]},
    )
    cb = _round_trip(draft_codebook(p).codebook)
    assert cb["tilfreds"].type == "likert"
    assert cb["tilfreds"].missing == {9: "Uoplyst"} and 9 not in cb["tilfreds"].values
    assert cb["koen"].group and cb["koen"].text == "Køn"


def test_plain_csv_names_sanitised(tmp_path):
    text = "Løbenr;Afdeling;Q1.a;Alder (år);Kommentar\n1;Skole;4;34;hej\n2;Skole;1;51;\n3;Dagtilbud;3;29;x\n4;Skole;2;44;y\n"
    cb = _round_trip(draft_codebook(write_text(tmp_path / "Måling 2024.csv", text)).codebook)
    assert cb.instrument == "maaling_2024"
    assert cb.respondent_id.column == "Løbenr"
    q = next(it for it in cb.items if it.label == "Q1.a")
    assert q.code == "Q1_a" and q.type == "likert"
    afd = cb["Afdeling"]
    assert afd.type == "single" and afd.group and set(afd.values.values()) == {"Skole", "Dagtilbud"}
    assert cb["Alder_aar"].type == "number"


def test_cli_infer_writes_loadable_yaml(tmp_path):
    path = write_surveyxact_workbook(tmp_path / "sx.xlsx")
    result = CliRunner().invoke(app, ["codebook", "infer", str(path), "--instrument", "sx_test"])
    assert result.exit_code == 0, result.output
    cb = parse_codebook(yaml.safe_load(result.stdout))
    assert cb.instrument == "sx_test" and "s_1" in cb


def test_infer_unreadable_is_dataerror(tmp_path):
    with pytest.raises(DataError, match="findes ikke"):
        draft_codebook(tmp_path / "mangler.xlsx")


def test_label_text_answers_on_a_known_scale(tmp_path):
    from fixtures_exports import write_xlsx

    answers = ["Helt enig", "Overvejende enig", "Ved ikke", "Helt enig", "Overvejende uenig", "Helt enig"]
    units = ["Skole", "Skole", "Dagtilbud", "Skole", "Dagtilbud", "Dagtilbud"]
    rows = [["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
             "Vi deler viden i min enhed på personalemøderne", "Hvilken enhed er du ansat i?"]]
    rows += [[i + 1, None, None, "anonymous", None, None, a, u] for i, (a, u) in enumerate(zip(answers, units, strict=True))]
    rows[1][1] = rows[1][2] = __import__("datetime").datetime(2024, 1, 1)
    cb = _round_trip(draft_codebook(write_xlsx(tmp_path / "f.xlsx", {"Sheet1": rows})).codebook)
    scale = next(it for it in cb.items if it.text.startswith("Vi deler viden"))
    assert scale.type == "likert" and not scale.group  # mentions 'enhed' but does not ask for it
    assert scale.values[1] == "Helt uenig" and scale.values[5] == "Helt enig"
    assert scale.missing == {6: "Ved ikke"}
    unit = next(it for it in cb.items if it.text == "Hvilken enhed er du ansat i?")
    assert unit.type == "single" and unit.group


@needs_real
def test_pallant_mastery_scale_is_1_to_4_and_stray_5_is_flagged():
    """Pallant's questionnaire (Survey_codebook.pdf): mast1-mast7 are 1-4 ("1=strongly disagree,
    4=strongly agree"); survey.sav has no value labels on them and one stray mast2 = 5 (id 256)."""
    from survey_kit.ingest import validate_export

    cb = draft_codebook(REAL / "pallant" / "survey.sav").codebook
    for i in range(1, 8):
        assert cb[f"mast{i}"].allowed_codes == [1, 2, 3, 4], i
    assert cb["lifsat1"].allowed_codes == list(range(1, 8))  # 1-7 stays 1-7
    errors, _ = pyreadstat.read_sav(REAL / "pallant" / "error_chap5.sav")
    fives = {(c, int(i)) for c in ("mast2", "mast7") for i in errors.loc[errors[c] == 5, "id"]}
    report = validate_export(REAL / "pallant" / "error_chap5.sav", cb)
    p = report.problems
    # the id repeats (242), so the draft's id is the row number: row r is case r - 2 of the file
    flagged = {(c, int(errors["id"].iloc[int(r) - 2])) for c, r, rule in zip(p["column"], p["row"], p["rule"], strict=True)
               if c.startswith("mast") and rule == "invalid_code"}
    assert fives and flagged == fives


def test_end_labels_of_a_spss_scale_fill_the_range(tmp_path):
    """Value labels only on 1 and 4: the scale is 1-4 from the labels; an observed 5 is not added."""
    path = tmp_path / "ends.sav"
    frame = pd.DataFrame({"id": [1.0, 2, 3, 4, 5], "q1": [1.0, 2, 3, 4, 5]})
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"q1": {1: "Helt uenig", 4: "Helt enig"}})
    cb = draft_codebook(path).codebook
    assert cb["q1"].allowed_codes == [1, 2, 3, 4]
    assert cb["q1"].values[1] == "Helt uenig" and cb["q1"].values[4] == "Helt enig"


def test_limesurvey_code_export_y_or_blank_boxes_are_one_multiple_item(tmp_path):
    """LimeSurvey's code export writes a multiple-choice question as ``q3[SQ001]`` ... columns
    holding "Y" when ticked and nothing when not: one multiple item; on ingest a blank box beside a
    tick is 0 (not chosen), a respondent who ticked nothing stays NA (not answered)."""
    from survey_kit.ingest import ingest

    text = ("id,q1,q3[SQ001],q3[SQ002],q3[SQ003]\n"
            "1,3,Y,,Y\n2,4,,Y,\n3,2,,,\n4,5,Y,Y,\n5,1,,Y,\n")
    path = write_text(tmp_path / "limesurvey_codes.csv", text)
    draft = draft_codebook(path)
    it = next(i for i in draft.codebook.items if i.type == "multiple")
    assert list(it.values.values()) == ["SQ001", "SQ002", "SQ003"]
    ingest(path, draft.codebook, out_dir=tmp_path / "out")
    frame = pd.read_parquet(next((tmp_path / "out").glob("*.parquet")))
    boxes = frame[it.columns]
    assert boxes.sum().tolist() == [2, 3, 1]
    assert boxes.notna().all(axis=1).tolist() == [True, True, False, True, True]
    assert boxes.iloc[2].isna().all()


def test_ages_are_numbers_and_unit_codes_stay_groups(tmp_path):
    """Whole numbers without labels: ages spread wider than any answer scale are a number item; a
    background variable coded 101, 147, 151 (municipality codes) stays a single group item."""
    text = ("id;kommune;Hvor gammel er du?;q1\n1;101;19;1\n2;147;22;2\n3;151;26;3\n4;101;52;4\n"
            "5;147;33;5\n6;151;52;1\n7;101;26;2\n8;147;19;3\n")
    cb = draft_codebook(write_text(tmp_path / "k.csv", text)).codebook
    items = {it.label: it for it in cb.items}
    assert items["Hvor gammel er du?"].type == "number"
    assert (items["kommune"].type, items["kommune"].group) == ("single", True)
    assert list(items["kommune"].values) == [101, 147, 151]
