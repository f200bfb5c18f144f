"""Write built reports: HTML, PDF, Word, Excel and figure files, with one browser for a run.

>>> with ReportWriter(formats=("html", "pdf", "docx", "xlsx")) as writer:   # doctest: +SKIP
...     for report, folder in jobs:
...         writer.write(report, folder)

A folder gets ``rapport.html`` (self-contained, offline), ``rapport.pdf`` (A4, tagged, outline,
page numbers), ``rapport.docx``, ``tabeller.xlsx`` and ``figurer/`` (each chart as PNG at 300 dpi,
SVG and PDF, with its data as CSV and its alt text). One kaleido server exports every figure of
the run and one Chromium prints every PDF.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from survey_kit.report.content import Report

__all__ = ["FORMATS", "ReportWriter"]

FORMATS = ("html", "pdf", "docx", "xlsx")
FILES = {"html": "rapport.html", "pdf": "rapport.pdf", "docx": "rapport.docx", "xlsx": "tabeller.xlsx"}
FIGURE_DPI = 300


class ReportWriter:
    """Writes :class:`Report` objects to folders; a context manager that owns the browsers.

    Parameters
    ----------
    formats : iterable of {"html", "pdf", "docx", "xlsx"}
    figures : bool
        Also write every chart to ``figurer/`` (PNG, SVG, PDF, CSV, alt text).
    template_docx : Path, optional
        A municipality's Word document to use for styles, page set-up and logo.
    lang : str
        The language of the documents (``"da"``).

    ``timings`` holds the seconds each :meth:`write` took (the first includes starting Chromium).
    """

    def __init__(
        self,
        *,
        formats: tuple[str, ...] | list[str] = ("html", "pdf", "docx", "xlsx"),
        figures: bool = True,
        template_docx: Path | None = None,
        lang: str = "da",
    ) -> None:
        if isinstance(formats, str):
            formats = tuple(f.strip() for f in formats.split(","))
        bad = sorted(set(formats) - set(FORMATS))
        if bad or not formats:
            raise ValueError(f"formats: unknown format(s) {bad}; use some of {', '.join(FORMATS)}")
        if template_docx is not None:
            template_docx = Path(template_docx)
            if not template_docx.is_file():
                raise ValueError(f"template_docx: {template_docx} findes ikke")
        self.formats = tuple(f for f in FORMATS if f in formats)
        self.figures = figures
        self.template_docx = template_docx
        self.lang = lang
        self.timings: list[float] = []
        self._printer = None
        self._exporting = None

    # -- resources ------------------------------------------------------------------------------
    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browsers this writer started."""
        if self._printer is not None:
            self._printer.close()
            self._printer = None
        if self._exporting is not None:
            self._exporting.__exit__(None, None, None)
            self._exporting = None

    def _export_server(self) -> None:
        if self._exporting is None:
            from survey_kit.charts import exporting

            self._exporting = exporting()
            self._exporting.__enter__()

    def _pdf_printer(self):
        if self._printer is None:
            from survey_kit.report.render import PdfPrinter

            self._printer = PdfPrinter().start()
        return self._printer

    # -- writing --------------------------------------------------------------------------------
    def _figures(self, report: Report, folder: Path, scratch: Path) -> tuple[list[Path], dict[str, Path]]:
        """Export the charts: every format to ``figurer/``, or only PNGs for Word to ``scratch``."""
        from survey_kit.charts import export

        figures = list(report.figures())
        if not figures or not (self.figures or "docx" in self.formats):
            return [], {}
        self._export_server()
        written: list[Path] = []
        pngs: dict[str, Path] = {}
        for fig in figures:
            if self.figures:
                files = export(fig.figure, folder / "figurer" / fig.name, size=fig.size, table=fig.data, dpi=FIGURE_DPI)
                alt = next((f for f in files if f.name.endswith(".alt.txt")), None)
                if alt is not None and fig.alt:
                    alt.write_text(fig.alt + "\n", encoding="utf-8")
                written.extend(files)
            else:
                files = export(fig.figure, scratch / fig.name, formats=("png",), size=fig.size, dpi=FIGURE_DPI)
            pngs[fig.name] = next(f for f in files if f.suffix == ".png")
        return written, pngs

    def write(self, report: Report, folder: Path) -> list[Path]:
        """Write ``report`` into ``folder``; returns the files written."""
        from survey_kit.report import render

        start = time.perf_counter()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        report.numbers()  # fail early on a placeholder that names no table or figure
        for b in report.blocks:
            text = getattr(b, "text", None)
            if isinstance(text, str):
                report.resolve(text)
        written: list[Path] = []
        scratch = Path(tempfile.mkdtemp(prefix="sk-report-"))
        try:
            fig_files, pngs = self._figures(report, folder, scratch)
            written.extend(fig_files)
            if "html" in self.formats or "pdf" in self.formats:
                body = render.report_body(report, lang=self.lang)
                if "html" in self.formats:
                    written.append(render.write_html(report, folder / FILES["html"], lang=self.lang, body=body))
                if "pdf" in self.formats:
                    written.append(self._pdf_printer().print_report(report, folder / FILES["pdf"], lang=self.lang, body=body))
            if "docx" in self.formats:
                from survey_kit.report.docx import write_docx

                written.append(write_docx(report, folder / FILES["docx"], pictures=pngs,
                                          template=self.template_docx, lang=self.lang, dpi=FIGURE_DPI))
            if "xlsx" in self.formats:
                from survey_kit.report.excel import write_workbook

                written.append(write_workbook(report, folder / FILES["xlsx"]))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        self.timings.append(time.perf_counter() - start)
        return written
