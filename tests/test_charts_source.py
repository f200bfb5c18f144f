"""The source line of a chart is whole at every width (issue 21, part 1): the half-width breakdown
charts of the leader report (where plotly widens the right margin for the interval whiskers) keep
"Kilde: ..., antal svar = 654" inside the SVG canvas, checked in Chromium."""

from __future__ import annotations

import pytest

from survey_kit.charts import exporting, save_chart
from survey_kit.codebook import instrument
from survey_kit.datasets import leader_survey
from survey_kit.report import build_report
from survey_kit.report.content import Figure
from survey_kit.survey import Survey

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chromium")]

OUTSIDE_JS = """() => { const svg = document.documentElement;
  const W = parseFloat(svg.getAttribute('width')), H = parseFloat(svg.getAttribute('height'));
  const out = [];
  for (const t of svg.querySelectorAll('text')) {
    if (!t.textContent.trim()) continue;
    const r = t.getBoundingClientRect();
    if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5)
      out.push(t.textContent.slice(0, 60));
  }
  return out; }"""


def test_half_width_charts_keep_their_source_line_on_the_canvas(browser, tmp_path):
    rep = build_report(Survey(data=leader_survey(seed=1), codebook=instrument("lederudvikling_2008")))
    half = [b for b in rep.blocks if isinstance(b, Figure) and b.size == "half"]
    assert len(half) >= 3
    page = browser.new_page()
    try:
        with exporting():
            for fig in half:
                sources = [a.text for a in fig.figure.layout.annotations if a.name == "source"]
                assert sources and "antal svar = " in sources[0]
                svg = save_chart(fig.figure, tmp_path / fig.name, formats=("svg",))[0]
                page.goto(svg.resolve().as_uri())
                outside = page.evaluate(OUTSIDE_JS)
                assert not outside, f"{fig.name}: outside the canvas: {outside}"
    finally:
        page.close()
