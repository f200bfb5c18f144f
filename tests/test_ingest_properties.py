"""Property tests: random mutations of a valid export never crash ingest and always conserve rows."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ingest import LEDERE, ledere_rows

from survey_kit.errors import DataError
from survey_kit.ingest import ingest, validate_export, validate_frame

N = 6
COLUMNS = list(ledere_rows(1)[0])
JUNK = st.one_of(
    st.sampled_from(["", " ", "abc", "7", "-1", "0", "1e9", "2,5", "4.0", "Helt enig", "ved ikke", "=1+1",
                     "NaN", "None", "NULL", "ø", '"', ";", ",", "\t", "\n", "39706", "31-02-2008",
                     "2008-09-15", "99999999999999999999", "1.234,5", "\x00"]),
    st.text(max_size=6),
)
MUTATION = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, N - 1), st.sampled_from(COLUMNS), JUNK),
    st.tuples(st.just("duplicate"), st.integers(0, N - 1)),
    st.tuples(st.just("delete"), st.integers(0, N - 1)),
    st.tuples(st.just("drop_column"), st.sampled_from(COLUMNS)),
)
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mutated(mutations) -> tuple[list[str], list[list[str]]]:
    rows = [list(r.values()) for r in ledere_rows(N)]
    columns = list(COLUMNS)
    for m in mutations:
        if m[0] == "cell" and rows:
            i, col, value = m[1] % len(rows), m[2], m[3]
            if col in columns:
                rows[i][columns.index(col)] = value
        elif m[0] == "duplicate" and rows:
            rows.append(list(rows[m[1] % len(rows)]))
        elif m[0] == "delete" and len(rows) > 1:
            rows.pop(m[1] % len(rows))
        elif m[0] == "drop_column" and len(columns) > 3 and m[1] in columns:
            j = columns.index(m[1])
            columns.pop(j)
            for r in rows:
                r.pop(j)
    return columns, rows


def write(path: Path, columns, rows, delimiter: str, encoding: str, lineterminator: str | None = None) -> Path:
    buf = io.StringIO()
    if lineterminator is None:
        lineterminator = "\r\n" if encoding == "utf-16" else "\n"
    w = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator)
    w.writerow(columns)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    return path


@SETTINGS
@given(mutations=st.lists(MUTATION, max_size=8), delimiter=st.sampled_from([";", ",", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_ingest_never_crashes_and_conserves_rows(mutations, delimiter, encoding) -> None:
    columns, rows = mutated(mutations)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "x.csv", columns, rows, delimiter, encoding)
        try:
            res = ingest(path, LEDERE, out_dir=Path(tmp) / "out")
        except DataError as err:
            assert str(err)  # a plain sentence, reported by the CLI as exit 1
            return
        m = res.manifest
        assert m["rows_read"] == m["rows_valid"] + m["rows_quarantined"]
        assert len(res.data) == m["rows_valid"] and len(res.quarantine) == m["rows_quarantined"]
        rows_out = sorted([*res.data["_source_row"].tolist(), *res.quarantine["_source_row"].tolist()])
        assert len(set(rows_out)) == len(rows_out) == m["rows_read"]
        back = pd.read_parquet(res.paths["data"])
        assert len(back) == m["rows_valid"]
        # every quarantined row says why
        assert res.quarantine["reasons"].str.len().gt(0).all()


@SETTINGS
@given(mutations=st.lists(MUTATION, max_size=8))
def test_ingest_rows_match_records_written(mutations) -> None:
    """With a plain UTF-8 semicolon file, rows read is exactly the number of records written."""
    columns, rows = mutated(mutations)
    with tempfile.TemporaryDirectory() as tmp:
        # CRLF records: the writer then quotes a bare CR or LF inside a value, so the file is an
        # unambiguous CSV. (With LF records, a bare CR in a value is an old-Mac line break, and
        # ingest keeps the extra empty line as a quarantined row: still nothing lost.)
        path = write(Path(tmp) / "x.csv", columns, rows, ";", "utf-8", lineterminator="\r\n")
        try:
            res = ingest(path, LEDERE, out_dir=Path(tmp) / "out")
        except DataError:
            return
        blank = sum(1 for r in rows if all(v.strip() == "" for v in r)) if len(columns) == 1 else 0
        assert res.manifest["rows_read"] == len(rows) - blank
        assert res.manifest["rows_valid"] + res.manifest["rows_quarantined"] == len(rows) - blank


@SETTINGS
@given(mutations=st.lists(MUTATION, max_size=8))
def test_validate_never_crashes(mutations) -> None:
    columns, rows = mutated(mutations)
    frame = pd.DataFrame(rows, columns=columns)
    try:
        report = validate_frame(frame, LEDERE, lang="en")
    except DataError:
        return
    assert list(report.problems.columns) == ["respondent_id", "row", "column", "value", "rule", "message"]
    assert report.problems["message"].str.len().gt(0).all()
    assert isinstance(report.render(), str)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "x.csv", columns, rows, ";", "utf-8")
        try:
            from_file = validate_export(path, LEDERE)
        except DataError:
            return
        assert from_file.ok == report.ok or len(rows) == 0
