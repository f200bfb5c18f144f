"""Reports for surveys nobody on the team wrote (issue 11, done when): a real export goes through
``codebook infer`` -> ``ingest`` -> ``survey-kit report --codebook ... --data ... --by GROUP`` as a
new user would run it, and every report's charts draw in Chromium.

Exports: the SurveyXact CSV triple of NIFU-NO/readSX (tests/data/readsx_semicolon, MIT; a
Norwegian school survey, 999 rows of which 425 answered), Pallant's SPSS survey (439 adults), and
MASS's student survey (CSV, 237 students), from ../shared/realdata.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REALDATA, wait_for_charts

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.realdata]

HERE = Path(__file__).resolve().parent
EXE = [str(Path(sys.executable).with_name("survey-kit"))]

CASES = [
    # (export, name of the processed file, a group variable the draft finds)
    (HERE / "data" / "readsx_semicolon" / "dataset.csv", "dataset", "b_1"),
    (REALDATA / "pallant" / "survey.sav", "survey", "sex"),
    (REALDATA / "rdatasets" / "MASS_survey.csv", "MASS_survey", "Sex"),
]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    res = subprocess.run([*EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=900)
    assert "Traceback" not in res.stderr, res.stderr[-2000:]
    return res


@pytest.mark.parametrize("export,name,group", CASES, ids=[c[1] for c in CASES])
def test_a_real_export_gets_a_report_and_one_per_group(export, name, group, tmp_path, browser):
    draft = _run(["codebook", "infer", str(export)], tmp_path)
    assert draft.returncode == 0, draft.stderr
    cb_path = tmp_path / "kodebog.yaml"
    cb_path.write_text(draft.stdout, encoding="utf-8")
    codebook = yaml.safe_load(draft.stdout)
    item = next(it for it in codebook["items"] if it["code"] == group)
    assert item.get("group"), f"the draft should mark {group!r} as a group variable"
    ing = _run(["ingest", str(export), "--codebook", str(cb_path), "--out", str(tmp_path / "proc")], tmp_path)
    assert ing.returncode == 0, ing.stderr
    data = tmp_path / "proc" / f"{name}.parquet"
    rep = _run(["report", "--codebook", str(cb_path), "--data", str(data), "--by", group,
                "--format", "html", "--figurer", "ingen", "--out", str(tmp_path / "rep")], tmp_path)
    assert rep.returncode == 0, rep.stderr
    pages = sorted((tmp_path / "rep").rglob("rapport.html"))
    labels = [v for k, v in item["values"].items()]
    skipped = rep.stderr.count("Ingen rapport for")
    assert len(pages) == 1 + len(labels) - skipped, (pages, rep.stderr)
    assert any(p.parent.name == "samlet" for p in pages)
    import pandas as pd

    n_whole = len(pd.read_parquet(data))
    for page_path in pages:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(page_path.as_uri())
        wait_for_charts(page)
        drawn = page.evaluate(
            """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => {
                 const svg = p.querySelector('svg.main-svg');
                 if (!svg) return 0;
                 const marks = p.querySelectorAll('.plot path, .plot rect, .heatmaplayer image, .point, .bars path').length;
                 return marks; })"""
        )
        text = page.inner_text("body")
        page.close()
        assert drawn and all(m > 0 for m in drawn), f"{page_path}: undrawn chart(s) {drawn}"
        assert not errors, errors[:3]
        # the whole report counts every respondent; a group's report fewer (its own data only)
        found = re.search(r"Besvarelser i analysen \([^)]*\)\s+([\d.]+)", text)
        assert found, text[:500]
        n = int(found.group(1).replace(".", ""))
        if page_path.parent.name == "samlet":
            assert n == n_whole
        else:
            assert 0 < n < n_whole
