"""Ingest's safety net for personal data the codebook forgot (issue 22): CPR numbers in free text
are masked in data/processed, and a column of e-mail addresses that the codebook does not mark
personal is pseudonymised with a warning (and never drawn by a report)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from survey_kit.codebook import parse_codebook
from survey_kit.ingest import ingest

CB = {
    "instrument": "t", "version": "1", "title": "T",
    "respondent_id": {"column": "respondentid"},
    "items": [
        {"code": "s_1", "text": "Trivsel", "label": "Trivsel", "type": "likert",
         "values": {1: "Helt uenig", 2: "Uenig", 3: "Enig", 4: "Helt enig"}},
        {"code": "s_2", "text": "Kommentar", "label": "Kommentar", "type": "text"},
        {"code": "kontakt", "text": "Din e-mail", "label": "Kontakt", "type": "text"},
    ],
}
CPRS = ["010190-1234", "0101901234", "01 01 90 1234", "01.01.90-1234", "121314_1245"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pii")
    rows = [["respondentid", "s_1", "s_2", "kontakt", "statoverall_4"]]
    for i, cpr in enumerate(CPRS):
        rows.append([str(i + 1), "3", f"mit cpr er {cpr}, ellers fint", f"person{i}@kommune.dk", "1"])
    rows.append(["9", "2", "Møde 12.03.2010 kl. 10, budget 1.234.567 kr", "", "1"])
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = tmp / "eksport.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))
    with pytest.warns(UserWarning, match="'kontakt' ligner e-mail"):
        res = ingest(path, parse_codebook(CB), out_dir=tmp / "out", key="hemmelig")
    return res


def test_cpr_numbers_in_free_text_are_masked_in_processed_data(ingested):
    data = pd.read_parquet(ingested.paths["data"])
    raw = ingested.paths["data"].read_bytes()
    for cpr in CPRS:
        assert cpr.encode() not in raw, cpr
    assert data["s_2"].iloc[0] == "mit cpr er [CPR], ellers fint"
    assert data["s_2"].iloc[-1] == "Møde 12.03.2010 kl. 10, budget 1.234.567 kr"  # dates, amounts stay


def test_an_unmarked_e_mail_column_is_pseudonymised(ingested):
    data = pd.read_parquet(ingested.paths["data"])
    assert not data["kontakt"].dropna().str.contains("@").any()
    assert data["kontakt"].dropna().str.fullmatch(r"[0-9a-f]{16}").all()
    assert ingested.manifest["personal_columns"] == {"kontakt": "e-mail"}


def test_reports_never_draw_such_a_column(ingested):
    import survey_kit as sk
    from survey_kit.report.engine import build_run
    from survey_kit.report.spec import ReportSpec, Section, Select

    data = pd.read_parquet(ingested.paths["data"])
    spec = ReportSpec(instrument="t", title="T", min_n=1, sections=(
        Section(kind="comments", items=Select(codes=("kontakt",))),))
    hashes = data["kontakt"].dropna().tolist()

    def drawn(manifest):
        survey = sk.Survey(data=data, codebook=parse_codebook(CB), manifest=manifest)
        blocks = str(build_run(survey, spec, min_n=1).reports[0].report.blocks)
        return [h for h in hashes if h in blocks]

    assert drawn({})  # a text column is drawn as comments ...
    assert drawn(ingested.manifest) == []  # ... but not one ingest found personal
