"""The quarantine file (issue 12 point 6): cell safety from privacy.cells, every field quoted (a bare
CR cannot split a row), personal columns pseudonymised or dropped as in the parquet, free text
masked. Checked by reading the file back with a strict CSV reader and grepping for the values."""

from __future__ import annotations

import csv
import io

import pandas as pd

from survey_kit.codebook import parse_codebook
from survey_kit.ingest import ingest

CB = {
    "instrument": "t", "version": "1", "title": "T",
    "respondent_id": {"column": "respondentid", "personal": True},
    "items": [
        {"code": "s_1", "text": "Trivsel", "label": "Trivsel", "type": "likert",
         "values": {1: "Helt uenig", 2: "Uenig", 3: "Enig", 4: "Helt enig"}},
        {"code": "s_2", "text": "Kommentar", "label": "Kommentar", "type": "text"},
    ],
}
PERSONAL = ["per.nielsen@kommune.dk", "Per Nielsen", "010190-1234", "anna@firma.dk", "20 30 40 50",
            "carl@kommune.dk"]


def _export(tmp_path):
    rows = [
        ["respondentid", "email", "Navn", "CPR-nr", "s_1", "s_2", "statoverall_4"],
        ["per.nielsen@kommune.dk", "per.nielsen@kommune.dk", "Per Nielsen", "010190-1234", "9",
         "Skriv til anna@firma.dk eller ring 20 30 40 50", "1"],
        ["carl@kommune.dk", "carl@kommune.dk", "Carl", "020290-2345", "7", "=1+1\rtest\n=2+2", "1"],
        ["dorte@kommune.dk", "dorte@kommune.dk", "Dorte", "030390-3456", "2", "fint", "1"],
    ]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = tmp_path / "eksport.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path


def test_quarantine_is_safe_and_has_no_personal_data(tmp_path):
    path = _export(tmp_path)
    res = ingest(path, parse_codebook(CB), out_dir=tmp_path / "out", key="hemmelig")
    assert res.manifest["rows_quarantined"] == 2
    raw = res.paths["quarantine"].read_bytes().decode("utf-8")
    for value in PERSONAL:
        assert value not in raw, value
    # strict reading: every field quoted, two records plus the header, nothing split by the CR
    rows = list(csv.reader(io.StringIO(raw, newline=""), strict=True))
    assert len(rows) == 3
    header = rows[0]
    assert "email" not in header and "Navn" not in header and "CPR-nr" not in header
    body = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert [b["_source_row"] for b in body] == ["2", "3"]
    # the pseudonym equals the parquet's (the same keyed hash), not the e-mail
    parquet_ids = set(pd.read_parquet(res.paths["data"])["respondentid"])
    assert body[0]["respondentid"] not in parquet_ids and len(body[0]["respondentid"]) == 16
    from survey_kit.privacy import pseudonymise

    assert body[0]["respondentid"] == pseudonymise(pd.Series(["per.nielsen@kommune.dk"]), b"hemmelig").iloc[0]
    # free text masked, formulas defused (privacy.cells.safe_cell), the CR kept inside its field
    assert "[e-mail]" in body[0]["s_2"] and "[telefon]" in body[0]["s_2"]
    assert body[1]["s_2"] == "'=1+1\rtest\n=2+2"
    # every field is quoted in the file itself
    first_data_line = raw.split("\r\n")[1]
    assert first_data_line.startswith('"') and '";"' not in first_data_line and '","' in first_data_line


def test_quarantine_fullwidth_equals_is_defused(tmp_path):
    rows = "respondentid;s_1;s_2\n1;9;\uff1dHYPERLINK(\"x\")\n"
    path = tmp_path / "e.csv"
    path.write_text(rows, encoding="utf-8")
    cb = dict(CB, respondent_id={"column": "respondentid"})
    res = ingest(path, parse_codebook(cb), out_dir=tmp_path / "out")
    rows = list(csv.reader(io.StringIO(res.paths["quarantine"].read_text(encoding="utf-8"), newline=""), strict=True))
    assert rows[1][rows[0].index("s_2")].startswith("'\uff1d")


def test_quarantine_masks_every_spelling_of_issue_22(tmp_path):
    rows = [["respondentid", "s_1", "s_2", "statoverall_4"],
            ["a1", "9", "cpr 121314_1245, skriv til lars@kommune eller \"dorte\"@kommune.dk", "1"],
            ["a2", "2", "fint", "1"]]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = tmp_path / "eksport.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))
    res = ingest(path, parse_codebook(CB), out_dir=tmp_path / "out", key="hemmelig")
    assert res.manifest["rows_quarantined"] == 1
    raw = res.paths["quarantine"].read_text(encoding="utf-8")
    for value in ("121314_1245", "lars@kommune", "dorte", "@"):
        assert value not in raw, value
    assert "[CPR]" in raw and raw.count("[e-mail]") == 2
