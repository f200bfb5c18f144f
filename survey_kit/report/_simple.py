"""A minimal report writer (HTML straight from the Report, PDF by Chromium, Excel, figure files).

Used only when :mod:`survey_kit.report.output` (the full writer) is not available.
"""

from __future__ import annotations

import html
from pathlib import Path

from survey_kit.report.content import Figure, Report


class SimpleWriter:
    def __init__(self, *, formats=("html", "pdf"), figures=True, **_: object) -> None:
        self.formats, self.figures = tuple(formats), figures
        self._ctx = None

    def __enter__(self) -> SimpleWriter:
        if self.figures:
            from survey_kit.charts import exporting

            self._ctx = exporting()
            self._ctx.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._ctx is not None:
            self._ctx.__exit__(None, None, None)

    def html(self, report: Report) -> str:
        import plotly.io as pio

        parts = [f"<h1>{html.escape(report.title)}</h1>"]
        if report.subtitle:
            parts.append(f'<p class="sk-note">{html.escape(report.subtitle)}</p>')
        first = True
        for block in report.blocks:
            if isinstance(block, Figure):
                div = pio.to_html(block.figure, include_plotlyjs=first, full_html=False,
                                  config={"displaylogo": False})
                first = False
                parts.append(f'<div class="sk-figure" data-figure="{html.escape(block.name)}">{div}</div>')
            else:
                parts.append(report.block_html(block) or "")
        body = "\n".join(parts)
        return (f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{html.escape(report.title)}'
                f'</title><style>@page {{ size: A4; margin: 2cm }} body {{ font-family: "Liberation Sans", Arial, sans-serif; max-width: 170mm }}'
                f' table {{ border-collapse: collapse }} td, th {{ border-bottom: 1px solid #ccc; padding: 2px 6px }}</style>'
                f'</head><body>{body}</body></html>')

    def write(self, report: Report, folder: Path) -> list[Path]:
        from survey_kit.report.excel import write_workbook
        from survey_kit.report.render import _atomic_write_text, html_to_pdf

        folder.mkdir(parents=True, exist_ok=True)
        out: list[Path] = []
        out.append(write_workbook(report.tables(), folder / "tabeller.xlsx", title=report.title, source=report.subtitle))
        if self.figures:
            from survey_kit.charts import export

            for fig in report.figures():
                out.extend(export(fig.figure, folder / "figurer" / fig.name, size=fig.size, table=fig.data))
        page = folder / "rapport.html"
        _atomic_write_text(page, self.html(report))
        if "html" in self.formats:
            out.append(page)
        if "pdf" in self.formats:
            out.append(html_to_pdf(page, folder / "rapport.pdf"))
        if "html" not in self.formats:
            page.unlink()
        return out
