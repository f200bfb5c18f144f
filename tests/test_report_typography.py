"""Typography for Danish print (issue 21, part 4): one title per figure (its caption), "fordelt på"
once, Danish wording, test lines that name what they test, shares in % in heatmaps, long
breakdown tables split per question, words broken only at Danish hyphenation points (charts) and
never inside a word in tables (looked at in Chromium)."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from survey_kit.charts import heatmap
from survey_kit.charts.layout import hyphen_points, wrap_px
from survey_kit.codebook import instrument
from survey_kit.datasets import leader_survey, temperature_survey
from survey_kit.fmt import method_name
from survey_kit.report import build_report, build_run
from survey_kit.report.content import Figure, Heading, Table
from survey_kit.report.sections import LONG_TABLE_ROWS
from survey_kit.report.spec import default_spec
from survey_kit.survey import Survey


@cache
def survey(name: str) -> Survey:
    data = leader_survey(seed=1) if name == "lederudvikling_2008" else temperature_survey(n_per_wave=500, seed=3)
    return Survey(data=data, codebook=instrument(name))


@cache
def reports():
    out = []
    for name in ("lederudvikling_2008", "temperaturmaaling"):
        s = survey(name)
        out.append(build_report(s))
        out.append(build_report(s, spec=default_spec(s.codebook)))
    return out


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def test_each_figure_has_one_title_its_caption():
    for rep in reports():
        heading = None
        for b in rep.blocks:
            if isinstance(b, Heading):
                heading = _norm(b.text)
            elif isinstance(b, Figure):
                assert not b.figure.layout.title.text, f"{rep.title}: chart {b.name} draws its own title"
                assert b.caption_title() and _norm(b.caption_title()) != heading, (rep.title, b.name)
                assert b.caption_title() in b.alt_text()  # the alt text still says what it is
            elif isinstance(b, Table) and heading is not None:
                assert _norm(b.title) != heading, (rep.title, b.name)


def test_the_status_heading_of_the_temperature_report_is_said_once():
    rep = build_report(survey("temperaturmaaling"))
    text = "status på arbejdet med den lærende organisation"
    said = [_norm(b.text) for b in rep.blocks if isinstance(b, Heading)]
    said += [_norm(b.caption_title()) for b in rep.blocks if isinstance(b, Figure)]
    said += [_norm(b.title) for b in rep.blocks if isinstance(b, Table)]
    said += [_norm(b.figure.layout.title.text or "") for b in rep.blocks if isinstance(b, Figure)]
    assert said.count(text) == 1


def test_fordelt_paa_is_said_once_in_a_title():
    for rep in reports():
        for b in rep.blocks:
            title = b.caption_title() if isinstance(b, Figure) else b.title if isinstance(b, Table) else ""
            assert title.count("fordelt på") <= 1, title


def test_danish_wording_of_tests():
    assert method_name("welch_t") == "Welchs t-test"


def test_a_test_line_under_a_table_of_several_indices_names_each_index():
    rep = build_report(survey("temperaturmaaling"))
    table = next(b for b in rep.blocks if isinstance(b, Table) and b.name == "indeks_stilling")
    labels = list(dict.fromkeys(table.data["item_label"]))
    assert len(labels) > 1
    for label in labels:
        assert f"'{label}'" in table.note, (label, table.note)


def test_a_long_breakdown_table_is_one_table_per_question():
    run = build_run(survey("temperaturmaaling"), by="omraade")
    for built in run.reports:
        for t in built.report.tables():
            shows_question = any(c.name == "item_label" for c in t.columns)
            if shows_question and "group" in t.data and t.data["item"].nunique() > 1:
                assert len(t.data) <= LONG_TABLE_ROWS, (built.scope.label, t.name, len(t.data))


def test_a_heatmap_of_shares_shows_percentages():
    comp = pd.DataFrame({
        "item": ["a", "a", "b", "b"], "item_label": ["Plan", "Plan", "Videndeler", "Videndeler"],
        "stat": "share", "group": ["Skole", "I alt", "Skole", "I alt"], "group_code": [1, pd.NA, 1, pd.NA],
        "n": [40, 90, 40, 90], "value": [0.72, 0.7, 0.4, 0.45], "ci_low": 0.3, "ci_high": 0.8,
        "suppressed": False,
    })
    fig = heatmap(comp, value_range=(0.0, 1.0))
    cells = [a.text for a in fig.layout.annotations if a.name == "value"]
    assert "72 %" in cells and all(c.endswith(" %") for c in cells)
    assert all(t.endswith(" %") for t in fig.data[0].colorbar.ticktext)


def test_chart_labels_break_only_at_danish_hyphenation_points():
    assert wrap_px("informationsteknologi", 90, 11, "Liberation Sans") == "informations-<br>teknologi"
    assert "informationstekn-" not in wrap_px("Brug af informationsteknologi", 70, 11, "Liberation Sans")
    for word in ("Selvudviklingsmuligheder", "Medarbejderudviklingssamtaler", "videndelingskultur"):
        for width in (50, 70, 90):
            lines = wrap_px(word, width, 11, "Liberation Sans").split("<br>")
            cut = 0
            for line in lines[:-1]:
                assert line.endswith("-"), lines
                cut += len(line) - 1
                assert cut in hyphen_points(word), (word, lines)


@pytest.mark.browser
def test_table_cells_never_break_inside_a_word(browser, tmp_path):
    """The leader and temperature reports in Chromium at print width: every word of every table
    cell lies on one line (a column is at least its longest word)."""
    from survey_kit.report.render import report_html

    page = browser.new_page()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 643, "height": 1000})  # 170 mm
    try:
        for i, rep in enumerate(reports()[:3:2]):
            path = tmp_path / f"r{i}.html"
            path.write_text(report_html(rep), encoding="utf-8")
            page.goto(path.as_uri())
            split = page.evaluate("""() => {
              const out = [];
              for (const cell of document.querySelectorAll('table.sk-table th, table.sk-table td')) {
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                let node;
                while ((node = walker.nextNode())) {
                  const re = /[^\\s]+/g; let m;
                  while ((m = re.exec(node.data))) {
                    const r = document.createRange();
                    r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
                    const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                    if (tops.size > 1) out.push(m[0]);
                  }
                }
              }
              return out;
            }""")
            assert not split, f"words broken across lines: {split[:10]}"
            wide = page.evaluate("() => [...document.querySelectorAll('table.sk-table')]"
                                 ".filter(t => t.scrollWidth > 643 + 1).length")
            assert wide == 0
    finally:
        page.close()
