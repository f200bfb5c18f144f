"""Platform recognition: SurveyXact workbook and CSV triple (three dialects), Forms, plain files."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest
from fixtures_exports import (
    FORMS_ROWS,
    SX_MULTIPLE,
    SX_QUESTIONS,
    SX_ROWS,
    SX_STATUS,
    SX_SYSTEM,
    sx_columns,
    write_forms_xlsx,
    write_surveyxact_csv,
    write_surveyxact_workbook,
    write_xlsx,
)

from survey_kit.errors import DataError
from survey_kit.ingest.readers import read_export

STATUS_NAMES = {1: "not_started", 2: "distributed", 3: "partial", 4: "complete", 5: "rejected"}
EXPECTED_STATUS = [STATUS_NAMES[r[-1]] for r in SX_ROWS]


def _check_surveyxact(raw, *, short: bool = False) -> None:
    assert raw.platform == "surveyxact"
    assert list(raw.frame.columns) == sx_columns(short)
    assert raw.status.tolist() == EXPECTED_STATUS
    assert raw.status.index.equals(raw.frame.index)
    ids = "responde" if short else "respondentid"
    assert [int(v) for v in raw.frame[ids]] == [r[0] for r in SX_ROWS]
    assert set(raw.system_columns) >= {ids, "email"}
    assert not {"s_1", "s_2", "enhed"} & set(raw.system_columns)
    # codes are numeric answers; empty open answers (written as '') are NA
    assert [None if pd.isna(v) else int(float(v)) for v in raw.frame["s_1"]] == [r[1] for r in SX_ROWS]
    assert raw.frame["s_4"].isna().tolist() == [r[4] == "" for r in SX_ROWS]
    assert raw.frame["s_4"].iloc[0] == SX_ROWS[0][4]
    # labels from the Labels sheet / labels.csv, texts from Variables / structure.csv
    assert raw.value_labels["s_1"] == SX_QUESTIONS["s_1"][1]
    assert raw.value_labels["s_3_2"] == {0: "Ikke valgt", 1: "Valgt"}
    assert raw.variable_labels["s_2"] == SX_QUESTIONS["s_2"][0]
    assert raw.variable_labels["s_3_2"] == f"{SX_MULTIPLE[1]} - {SX_MULTIPLE[2][2]}"


def test_workbook(tmp_path):
    raw = read_export(write_surveyxact_workbook(tmp_path / "sx.xlsx"))
    _check_surveyxact(raw)
    assert raw.format == "xlsx" and raw.sheet == "Dataset"
    assert set(raw.system_columns) == set(SX_SYSTEM) | set(SX_STATUS)
    assert raw.source_rows.tolist() == [2, 3, 4, 5, 6]


def test_workbook_split_over_dataset_sheets_with_short_names(tmp_path):
    raw = read_export(write_surveyxact_workbook(tmp_path / "wide.xlsx", split=True, short=True))
    _check_surveyxact(raw, short=True)
    assert raw.sheet == "Dataset(1)"
    assert any("Dataset(1), Dataset(2)" in n for n in raw.notes)


def test_workbook_other_sheet_reads_plain(tmp_path):
    raw = read_export(write_surveyxact_workbook(tmp_path / "sx.xlsx"), sheet="Labels")
    assert raw.sheet == "Labels" and raw.platform is None


@pytest.mark.parametrize("dialect", ["semicolon", "comma", "tab"])
def test_csv_triple(tmp_path, dialect):
    dataset = write_surveyxact_csv(tmp_path / dialect, dialect)
    for target in (dataset, dataset.parent):  # the dataset.csv or its folder
        raw = read_export(target)
        _check_surveyxact(raw)
        assert raw.format == "csv"
        assert raw.delimiter == {"semicolon": ";", "comma": ",", "tab": "\t"}[dialect]
        assert raw.encoding == ("utf-16" if dialect == "tab" else "cp1252")
        assert raw.source_rows.tolist() == [2, 3, 4, 5, 6]
        assert raw.frame["s_4"].iloc[2] == "Æbler, øl og å"


def test_dataset_csv_alone_is_recognised_by_status_columns(tmp_path):
    dataset = write_surveyxact_csv(tmp_path / "x", "semicolon")
    alone = tmp_path / "eksport.csv"
    alone.write_bytes(dataset.read_bytes())
    raw = read_export(alone)
    assert raw.platform == "surveyxact" and raw.status.tolist() == EXPECTED_STATUS
    assert raw.value_labels == {}  # no labels.csv beside it


def test_surveyxact_spss_export_recognised(tmp_path):
    df = pd.DataFrame({"respondentid": [1.0, 2.0], "s_1": [4.0, 6.0],
                       **{f"statoverall_{k}": [0.0, 0.0] for k in range(1, 6)}})
    df.loc[0, "statoverall_4"] = 1.0
    df.loc[1, "statoverall_5"] = 1.0
    p = tmp_path / "sx.sav"
    pyreadstat.write_sav(df, p, column_labels={"s_1": "Vi deler viden"},
                         variable_value_labels={"s_1": {4: "Overvejende enig", 6: "Ved ikke"}})
    raw = read_export(p)
    assert raw.platform == "surveyxact" and raw.status.tolist() == ["complete", "rejected"]
    assert raw.variable_labels["s_1"] == "Vi deler viden"


def test_forms(tmp_path):
    raw = read_export(write_forms_xlsx(tmp_path / "forms.xlsx"))
    assert raw.platform == "forms" and raw.status is None
    assert raw.system_columns == ("ID", "Start time", "Completion time", "Email", "Name", "Last modified time")
    assert raw.frame["Hvilke værktøjer bruger du?"].tolist() == [r[7] for r in FORMS_ROWS]
    assert any("multi-select" in n and "Hvilke værktøjer" in n for n in raw.notes)
    assert str(raw.frame["Start time"].dtype).startswith("datetime64")


def test_plain_xlsx_is_no_platform(tmp_path):
    raw = read_export(write_xlsx(tmp_path / "p.xlsx", {"Ark1": [["ID", "svar"], [1, 2]]}))
    assert raw.platform is None and raw.system_columns == () and raw.status is None


def test_split_workbook_with_repeated_ids_is_refused(tmp_path):
    cols = ["respondentid", "s_1"]
    p = write_xlsx(tmp_path / "bad.xlsx", {
        "Dataset(1)": [cols, [1, 2], [2, 3]],
        "Dataset(2)": [["respondentid", "s_2"], [1, 1], [1, 2]],
        "Labels": [["s_1", 1, "Ja"]],
    })
    with pytest.raises(DataError, match=r"bad\.xlsx: sheet 'Dataset\(2\)'.*repeated"):
        read_export(p)
