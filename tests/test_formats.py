"""Exports the field still sends (issue 14 point 4): Qualtrics (3 and 2 header rows), SurveyXact
CSV (real readSX export, API 8-character names, language-suffixed files), Excel 2003 XML
(SpreadsheetML), LimeSurvey; header-only exports; a missing column names its question text."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from fixtures_exports import write_text
from typer.testing import CliRunner

from survey_kit.cli import app
from survey_kit.codebook import parse_codebook
from survey_kit.errors import DataError
from survey_kit.ingest import ingest, validate_export
from survey_kit.ingest.infer import draft_codebook
from survey_kit.ingest.readers import read_export

DATA = Path(__file__).parent / "data"


def _lines(path: Path) -> int:
    return len(path.read_bytes().splitlines())


def test_qualtrics_three_header_rows_are_not_responses(tmp_path):
    path = DATA / "qualtrics" / "sample.csv"
    raw = read_export(path)
    assert _lines(path) == 4 and raw.n_rows == 1  # 4 lines: names, texts, ImportId, one response
    assert raw.platform == "qualtrics" and raw.source_rows.tolist() == [4]
    assert raw.variable_labels["Q1"] == "This is a multiple choice question."
    assert "ResponseId" in raw.system_columns and raw.status.tolist() == ["complete"]
    cb = draft_codebook(path).codebook
    assert cb.respondent_id.column == "ResponseId"
    assert {"StartDate", "IPAddress", "RecipientEmail"}.isdisjoint({it.code for it in cb.items})
    res = ingest(path, cb, out_dir=tmp_path)
    assert (res.manifest["rows_read"], res.manifest["rows_valid"]) == (1, 1)


def test_qualtrics_legacy_two_header_rows(tmp_path):
    path = DATA / "qualtrics" / "sample_legacy.csv"
    raw = read_export(path)
    assert _lines(path) == 3 and raw.n_rows == 1
    assert "ResponseID" in raw.frame.columns and raw.platform == "qualtrics"
    assert raw.frame.loc[0, "Q2"] == "Hello World!"
    cb = draft_codebook(path).codebook
    assert cb.respondent_id.column == "ResponseID"
    assert ingest(path, cb, out_dir=tmp_path).manifest["rows_valid"] == 1


def test_real_surveyxact_csv_triple_readsx(tmp_path):
    folder = DATA / "readsx_semicolon"
    reference = pd.read_csv(folder / "dataset.csv", sep=";", encoding="cp1252", dtype=str)
    raw = read_export(folder)
    assert raw.n_rows == len(reference) == 999
    assert raw.platform == "surveyxact" and raw.value_labels["b_1"] == {1: "Jente", 2: "Gutt", 3: "Annet/vil ikke svare"}
    draft = draft_codebook(folder)
    cb = draft.codebook
    assert cb["b_1"].group  # "Er du jente eller gutt?"
    assert cb["b_4"].type == "single" and cb["b_4"].values[cb["b_4"].positive[0]] == "Ja"
    assert not any(it.code.startswith("stat") for it in cb.items)
    res = ingest(folder / "dataset.csv", cb, out_dir=tmp_path)
    m = res.manifest
    assert m["rows_read"] == 999 == m["rows_valid"] + m["rows_quarantined"]


def _api_export(folder: Path, lang: str = "_en") -> Path:
    folder.mkdir()
    rows = ["responde;closetim;stat_1;stat_2;stat_3;stat_4;stat_5;statc_1;statd_1;stats_1;s_1;s_2",
            "101;2024-01-02;0;0;0;1;0;1;0;1;1;2",
            "102;;0;1;0;0;0;0;1;0;;",
            "103;2024-01-03;0;0;1;0;0;0;0;1;4;1"]
    (folder / "dataset.csv").write_text("\n".join(rows) + "\n", encoding="cp1252")
    (folder / f"structure{lang}.csv").write_text(
        "questionName;variableName;questionType;subType;questionText;choiceValue;choiceText;\n"
        "s_1;s_1;Closed;Single;How satisfied are you with your job?;1;Very dissatisfied;\n"
        "s_2;s_2;Closed;Single;Gender;1;Female;\n", encoding="cp1252")
    labels = ["s_1;1;Very dissatisfied", "s_1;2;Dissatisfied", "s_1;3;Satisfied", "s_1;4;Very satisfied",
              "s_1;5;Don't know", "s_2;1;Female", "s_2;2;Male"]
    (folder / f"labels{lang}.csv").write_text("\n".join(labels) + "\n", encoding="cp1252")
    return folder


def test_surveyxact_api_csv_status_columns_and_language_files(tmp_path):
    folder = _api_export(tmp_path / "api")
    raw = read_export(folder)
    assert raw.n_rows == 3 and raw.platform == "surveyxact"
    assert raw.status.tolist() == ["complete", "distributed", "partial"]
    assert {"stat_1", "statc_1", "statd_1", "stats_1", "closetim", "responde"} <= set(raw.system_columns)
    assert raw.value_labels["s_1"][4] == "Very satisfied"  # from labels_en.csv
    cb = draft_codebook(folder).codebook
    assert [it.code for it in cb.items] == ["s_1", "s_2"]
    assert cb.respondent_id.column == "responde"
    assert cb["s_1"].type == "likert" and cb["s_1"].positive == (3, 4) and cb["s_1"].missing == {5: "Don't know"}
    assert cb["s_2"].group and cb["s_2"].text == "Gender"
    res = ingest(folder, cb, out_dir=tmp_path / "o")
    assert (res.manifest["rows_valid"], res.manifest["rows_not_answered"]) == (2, 1)


SPREADSHEETML = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Labels"><Table>
  <Row><Cell><Data ss:Type="String">s_1</Data></Cell><Cell><Data ss:Type="Number">1</Data></Cell><Cell><Data ss:Type="String">Helt uenig</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">s_1</Data></Cell><Cell><Data ss:Type="Number">2</Data></Cell><Cell><Data ss:Type="String">Delvist uenig</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">s_1</Data></Cell><Cell><Data ss:Type="Number">3</Data></Cell><Cell><Data ss:Type="String">Delvist enig</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">s_1</Data></Cell><Cell><Data ss:Type="Number">4</Data></Cell><Cell><Data ss:Type="String">Helt enig</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">s_1</Data></Cell><Cell><Data ss:Type="Number">5</Data></Cell><Cell><Data ss:Type="String">Ved ikke/ikke relevant</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="Variables"><Table>
  <Row><Cell><Data ss:Type="String">variableName</Data></Cell><Cell><Data ss:Type="String">variableDescription</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">s_1</Data></Cell><Cell><Data ss:Type="String">Jeg trives på min arbejdsplads</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="Dataset"><Table>
  <Row><Cell><Data ss:Type="String">respondentid</Data></Cell><Cell><Data ss:Type="String">s_1</Data></Cell><Cell><Data ss:Type="String">s_2</Data></Cell><Cell><Data ss:Type="String">statoverall_1</Data></Cell><Cell><Data ss:Type="String">statoverall_2</Data></Cell><Cell><Data ss:Type="String">statoverall_3</Data></Cell><Cell><Data ss:Type="String">statoverall_4</Data></Cell><Cell><Data ss:Type="String">statoverall_5</Data></Cell></Row>
  <Row><Cell><Data ss:Type="Number">11</Data></Cell><Cell><Data ss:Type="Number">4</Data></Cell><Cell><Data ss:Type="String">Godt sted</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell><Cell><Data ss:Type="Number">1</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell></Row>
  <Row><Cell><Data ss:Type="Number">12</Data></Cell><Cell ss:Index="4"><Data ss:Type="Number">0</Data></Cell><Cell><Data ss:Type="Number">1</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell></Row>
  <Row><Cell><Data ss:Type="Number">13</Data></Cell><Cell><Data ss:Type="Number">5</Data></Cell><Cell><Data ss:Type="String"></Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell><Cell><Data ss:Type="Number">1</Data></Cell><Cell><Data ss:Type="Number">0</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>
"""


def test_spreadsheetml_surveyxact_export(tmp_path):
    """Faithful to SurveyXact's Excel-XML export (stigsen/indsight datasets/dataset.xml: sheets
    Labels, Variables, Dataset, Complete, Structure; ss:Index skips empty cells)."""
    path = write_text(tmp_path / "dataset.xml", SPREADSHEETML)
    raw = read_export(path)
    assert raw.format == "xml" and raw.platform == "surveyxact" and raw.n_rows == 3
    assert raw.source_rows.tolist() == [2, 3, 4]
    assert pd.isna(raw.frame.loc[1, "s_1"]) and raw.frame.loc[1, "statoverall_2"] == 1
    assert raw.status.tolist() == ["complete", "distributed", "complete"]
    cb = draft_codebook(path).codebook
    assert cb["s_1"].type == "likert" and cb["s_1"].positive == (3, 4)
    assert cb["s_1"].missing == {5: "Ved ikke/ikke relevant"}
    res = ingest(path, cb, out_dir=tmp_path / "o")
    assert (res.manifest["rows_valid"], res.manifest["rows_not_answered"]) == (2, 1)


def test_limesurvey_csv(tmp_path):
    text = ('"id","submitdate","lastpage","startlanguage","seed","G01Q01","G01Q02"\n'
            '"1","2024-03-01 10:00:00","2","da","123","Helt enig","Godt"\n'
            '"2","","1","da","456","Delvist uenig",""\n'
            '"3","2024-03-02 11:00:00","2","da","789","Ved ikke","Fint"\n')
    path = write_text(tmp_path / "results-survey123.csv", text)
    raw = read_export(path)
    assert raw.platform == "limesurvey" and raw.n_rows == 3
    assert raw.status.tolist() == ["complete", "partial", "complete"]
    cb = draft_codebook(path).codebook
    assert cb.respondent_id.column == "id" and [it.code for it in cb.items] == ["G01Q01", "G01Q02"]
    assert cb["G01Q01"].type == "likert"
    res = ingest(path, cb, out_dir=tmp_path / "o")
    assert res.manifest["rows_valid"] == 3 and res.manifest["rows_partial"] == 1


def test_header_only_export_is_exit_1_with_a_sentence(tmp_path):
    path = write_text(tmp_path / "tom.csv", "respondentid;s_1;s_2\n")
    runner = CliRunner()
    for args in (["codebook", "infer", str(path)],
                 ["ingest", str(path), "--instrument", "lederudvikling_2008", "--out", str(tmp_path / "o")],
                 ["validate", str(path), "--instrument", "lederudvikling_2008"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 1, (args, r.output)
        assert isinstance(r.exception, DataError) or "ingen besvarelser" in r.output
        text = r.output + (str(r.exception) if r.exception else "")
        assert "ingen besvarelser" in text and "Traceback" not in text
    assert not (tmp_path / "o").exists()


def test_missing_column_names_its_question_text(tmp_path):
    cb = parse_codebook({
        "instrument": "t", "version": "1", "title": "T", "respondent_id": {"column": "rid"},
        "items": [{"code": "q1", "text": "Hvor tilfreds er du?", "label": "Tilfreds", "type": "likert",
                   "values": {1: "Lav", 2: "Høj"}},
                  {"code": "q6", "text": "Hvor ofte deler du viden med kolleger?", "label": "Videndeling",
                   "type": "likert", "values": {1: "Sjældent", 2: "Ofte"}}]})
    path = write_text(tmp_path / "a.csv", "rid;q1\n1;1\n2;2\n")
    report = validate_export(path, cb)
    msg = report.problems.loc[report.problems["rule"] == "missing_column", "message"].iloc[0]
    assert "q6" in msg and "Hvor ofte deler du viden med kolleger?" in msg
    res = ingest(path, cb, out_dir=tmp_path / "o")
    assert json.loads(res.paths["manifest"].read_text(encoding="utf-8"))["columns_missing"] == ["q6"]
