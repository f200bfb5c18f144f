"""Formula injection: neutralised text survives a real xlsx round trip as text."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from survey_kit.privacy import safe_cell, safe_frame

INJECTED = [
    "=1+1",
    '=HYPERLINK("http://evil.example","klik")',
    "+45 20 30 40 50",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def test_safe_cell_prefixes_only_dangerous_text():
    for s in INJECTED:
        assert safe_cell(s) == "'" + s
    for v in ["Helt enig", "", " =ikke i starten", 5, -5, 2.5, None, True]:
        assert safe_cell(v) is v or safe_cell(v) == v


def test_safe_frame_keeps_numbers_and_input():
    df = pd.DataFrame({"tekst": INJECTED, "tal": range(-4, 4), "andel": [0.5] * 8})
    df["kat"] = pd.Categorical(["=a", "b"] * 4)
    before = df.copy()
    out = safe_frame(df)
    pd.testing.assert_frame_equal(df, before)
    assert out["tekst"].tolist() == ["'" + s for s in INJECTED]
    assert out["tal"].tolist() == list(range(-4, 4)) and out["tal"].dtype == df["tal"].dtype
    assert set(out["kat"].cat.categories) == {"'=a", "b"}
    assert list(safe_frame(pd.DataFrame({"=x": [1]})).columns) == ["'=x"]


def _read_back(path):
    ws = openpyxl.load_workbook(path).active
    return [[(c.value, c.data_type) for c in row] for row in ws.iter_rows(min_row=2)]


def test_unsafe_text_becomes_a_formula_with_openpyxl(tmp_path):
    # the danger is real: without safe_cell openpyxl writes "=1+1" as a formula
    wb = openpyxl.Workbook()
    wb.active.append(["x"])
    wb.active.append(["=1+1"])
    wb.save(tmp_path / "raw.xlsx")
    assert _read_back(tmp_path / "raw.xlsx")[0][0][1] == "f"


@pytest.mark.parametrize("engine", ["openpyxl", "xlsxwriter"])
def test_round_trip_through_excel_writers(tmp_path, engine):
    df = safe_frame(pd.DataFrame({"tekst": INJECTED, "tal": range(len(INJECTED))}))
    path = tmp_path / f"{engine}.xlsx"
    if engine == "openpyxl":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(list(df.columns))
        for row in df.itertuples(index=False):
            ws.append(list(row))
        wb.save(path)
    else:
        wb = xlsxwriter.Workbook(path)
        ws = wb.add_worksheet()
        ws.write_row(0, 0, list(df.columns))
        for r, row in enumerate(df.itertuples(index=False), start=1):
            ws.write_row(r, 0, list(row))  # write() dispatches "=..." to write_formula
        wb.close()
    cells = _read_back(path)
    # a bare CR does not survive XML as such: openpyxl reads it back as LF, xlsxwriter as _x000D_
    back = [(v.replace("_x000D_", "\r").replace("\n", "\r"), t) for (v, t), _ in cells]
    assert back == [("'" + s, "s") for s in INJECTED]
    assert [c[1] for c in cells] == [(i, "n") for i in range(len(INJECTED))]


def test_pandas_to_excel_round_trip(tmp_path):
    df = safe_frame(pd.DataFrame({"tekst": INJECTED}))
    for engine in ("openpyxl", "xlsxwriter"):
        path = tmp_path / f"pd_{engine}.xlsx"
        df.to_excel(path, index=False, engine=engine)
        assert all(dt == "s" for ((_, dt),) in _read_back(path))
