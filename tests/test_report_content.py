"""Numbers, numbering and cross references of a report, independent of any renderer."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from survey_kit.fmt import fmt_p, fmt_p_value, fmt_pct, fmt_pp
from survey_kit.report.content import Column, Figure, Heading, Paragraph, Report, Table


@pytest.mark.parametrize(
    "share,text",
    [(0.9, "90 %"), (0.997, "> 99 %"), (0.9949, "99 %"), (0.995, "> 99 %"), (1.0, "100 %"),
     (0.003, "< 1 %"), (0.0, "0 %"), (0.005, "< 1 %"), (0.015, "2 %"), (None, "–")],
)
def test_shares_near_0_and_1_never_read_as_0_or_100(share, text):
    assert fmt_pct(share) == text


def test_p_values_and_percentage_points():
    assert fmt_p_value(6.7e-07) == "< 0,001"  # issue 13: showed as "0,000"
    assert fmt_p_value(0.0344) == "0,034"
    assert fmt_p(6.7e-07) == "p < 0,001" and fmt_p(0.0344) == "p = 0,034"
    assert fmt_pp(0.21) == "+21 procentpoint"
    assert fmt_pp(-0.034) == "-3 procentpoint"
    assert fmt_pp(0.001) == "0 procentpoint"


def _report() -> Report:
    import plotly.graph_objects as go

    data = pd.DataFrame({"label": ["A", "B"], "share": [0.997, 0.5], "diff": [0.21, pd.NA],
                         "p": [6.7e-07, 0.2], "suppressed": [False, True]})
    cols = (Column("label", "Gruppe"), Column("share", "Andel", "pct"), Column("diff", "Ændring", "pp"),
            Column("p", "p-værdi", "p"))
    fig = go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout_title_text="Søjler<br>i to linjer")
    return Report(
        "Titel", blocks=[
            Heading("Afsnit"),
            Paragraph("Se {tabel:b} og {figur:f}; {tabel:a} står først."),
            Table("a", "Første tabel", data, cols),
            Figure("f", fig, data),
            Table("b", "Anden tabel", data, cols),
        ], date=dt.date(2026, 3, 3))


def test_numbering_and_references_in_order_of_appearance():
    rep = _report()
    assert rep.resolve(rep.blocks[1].text) == "Se Tabel 2 og Figur 1; Tabel 1 står først."
    assert rep.caption(rep.blocks[4]) == "Tabel 2. Anden tabel"
    assert rep.caption(rep.blocks[3]) == "Figur 1. Søjler i to linjer"
    assert rep.date_text() == "3. marts 2026"
    with pytest.raises(ValueError, match=r"\{figur:x\}.*ingen figur med navnet 'x'"):
        rep.resolve("Se {figur:x}")


def test_table_cells_show_suppression_and_danish_formats():
    frame = _report().blocks[2].display_frame()
    assert list(frame.iloc[0]) == ["A", "> 99 %", "+21 procentpoint", "< 0,001"]
    assert list(frame.iloc[1]) == ["B", "For få svar", "For få svar", "For få svar"]


def test_html_resolves_references_and_is_accessible():
    from plotly.offline import get_plotlyjs

    from survey_kit.report.render import report_html

    html = report_html(_report())
    assert '<html lang="da">' in html
    assert "Se Tabel 2 og Figur 1" in html and "{tabel:" not in html
    assert '<th scope="col"' in html and '<th scope="row">A</th>' in html
    assert "<caption><span class=\"sk-label\">Tabel 1.</span> Første tabel</caption>" in html
    assert html.count("* plotly.js v") == 1, "plotly.js embedded once"
    outside = html.replace(get_plotlyjs(), "")
    assert not re.search(r"<script[^>]*src=|<link[^>]*href=|https?://", outside)
    assert "Rapportdato: <time datetime=\"2026-03-03\">3. marts 2026</time>" in html


def test_sheet_labels_are_short_whole_words_and_unique():
    from survey_kit.report.excel import sheet_label

    used: set[str] = set()
    a = sheet_label("Har du inden for de seneste tre år deltaget i et ledernetværk?", 2, used)
    b = sheet_label("Har du inden for de seneste tre år deltaget i et ledernetværk?", 2, used)
    assert a == "2 Har du inden… ledernetværk" and len(a) <= 31
    assert b != a and len(b) <= 31
    assert sheet_label("Kort titel", 3, used) == "3 Kort titel"
    assert sheet_label("Status 2008/09 og 2010", 4, used) == "4 Status 2008-09 og 2010"
    labels = {sheet_label(f"Netværk er en god måde at udvikle sig, fordelt på {by}", 5, used)
              for by in ("sektor", "netværkstype", "facilitering")}
    assert labels == {"5 Netværk er en god… på sektor", "5 Netværk er en… netværkstype",
                      "5 Netværk er en… facilitering"}
