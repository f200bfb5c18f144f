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

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from survey_kit.errors import DataError
from survey_kit.report.content import Report

__all__ = ["FORMATS", "ReportWriter", "replacing", "swap_in"]

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
    def _figure_files(self, report: Report, stage: Path) -> list[Path]:
        """Every chart as PNG (300 dpi), SVG and PDF with its data and alt text, in ``figurer/``."""
        from survey_kit.charts import export

        figures = list(report.figures())
        if not figures or not self.figures:
            return []
        self._export_server()
        written: list[Path] = []
        for fig in figures:
            files = export(fig.figure, stage / "figurer" / fig.name, size=fig.size, table=fig.data, dpi=FIGURE_DPI)
            alt = next((f for f in files if f.name.endswith(".alt.txt")), None)
            if alt is not None and fig.alt:
                alt.write_text(fig.alt + "\n", encoding="utf-8")
            written.extend(files)
        return written

    def write(self, report: Report, folder: Path) -> list[Path]:
        """Write ``report`` into ``folder``; returns the files written.

        Everything is written into a fresh folder beside ``folder`` first and then moved in, so
        the report's files (``rapport.*``, ``tabeller.xlsx``, ``figurer/``) are all from this
        write: a file of a format not written now, or a figure no longer in the report, is
        removed. Other files in ``folder`` are left alone.
        """
        from survey_kit.report import render

        start = time.perf_counter()
        folder = Path(folder)
        report.numbers()  # fail early on a placeholder that names no table or figure
        for b in report.blocks:
            text = getattr(b, "text", None)
            if isinstance(text, str):
                report.resolve(text)
        folder.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.ny-", dir=folder.parent))
        try:
            fig_files = self._figure_files(report, stage)
            pngs: dict[str, bytes] = {}
            docx = "docx" in self.formats and any(True for _ in report.figures())
            if {"html", "pdf"} & set(self.formats) or docx:
                body = render.report_body(report, lang=self.lang)
                if "html" in self.formats:
                    render.write_html(report, stage / FILES["html"], lang=self.lang, body=body)
                if "pdf" in self.formats or docx:
                    _, pngs = self._pdf_printer().render(
                        report, pdf_path=stage / FILES["pdf"] if "pdf" in self.formats else None,
                        png_dpi=FIGURE_DPI if docx else None, lang=self.lang, body=body)
            if "docx" in self.formats:
                from survey_kit.report.docx import write_docx

                write_docx(report, stage / FILES["docx"], pictures=pngs, template=self.template_docx,
                           lang=self.lang, dpi=FIGURE_DPI)
            if "xlsx" in self.formats:
                from survey_kit.report.excel import write_workbook

                write_workbook(report, stage / FILES["xlsx"])
            written = [folder / FILES[f] for f in self.formats]
            written = [*(folder / f.relative_to(stage) for f in fig_files), *written]
            swap_in(stage, folder, names=OUTPUT_NAMES)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        self.timings.append(time.perf_counter() - start)
        return written


#: What a report folder holds; a write replaces exactly these.
OUTPUT_NAMES = (*FILES.values(), "figurer")
#: The file that marks a folder as a run's output (written by ``render_reports``).
RUN_MARK = "koerselsoversigt.txt"


def swap_in(stage: Path, folder: Path, *, names: tuple[str, ...] | None = None) -> None:
    """Move the entries of ``stage`` into ``folder``, replacing what was there.

    ``names``: the entries ``folder`` may hold from an earlier write; each is replaced by the new
    one or removed when the new write has none. Without ``names`` every entry of ``folder`` is
    replaced (the whole folder is swapped). ``stage`` is left holding the old entries (remove it).
    """
    stage, folder = Path(stage), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    trash = stage / f".gammelt-{os.getpid()}"
    trash.mkdir()
    old = list(folder.iterdir()) if names is None else [folder / n for n in names]
    try:
        for target in old:
            if target.exists() or target.is_symlink():
                target.rename(trash / target.name)
        for new in list(stage.iterdir()):
            if new != trash:
                new.rename(folder / new.name)
    except PermissionError as err:
        raise DataError(
            f"{folder}: en fil er i brug ({err.filename}); luk den (fx i Word eller Excel) og kør igen",
            da=f"{folder}: en fil er i brug ({err.filename}); luk den (fx i Word eller Excel) og kør igen",
            en=f"{folder}: a file is in use ({err.filename}); close it (e.g. in Word or Excel) and run again",
        ) from None


@contextmanager
def replacing(folder: Path) -> Iterator[Path]:
    """A fresh folder to write a run into; on success it takes the place of ``folder``.

    Nothing of an earlier run in ``folder`` survives beside the new files (reports of groups no
    longer reported, a Word file of a format not asked for now). ``folder`` must be a run's output
    (it has ``koerselsoversigt.txt``) or empty or absent; anything else is refused in one sentence.
    On an error the earlier output is left as it was.
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or (any(folder.iterdir()) and not (folder / RUN_MARK).exists())):
        raise DataError(
            f"{folder} findes og er ikke en mappe med rapporter fra survey_kit; vælg en anden --out",
            da=f"{folder} findes og er ikke en mappe med rapporter fra survey_kit; vælg en anden --out",
            en=f"{folder} exists and is not a folder of survey_kit reports; choose another --out",
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.ny-", dir=folder.parent))
    try:
        yield stage
        os.chmod(stage, 0o755)
        if folder.exists():
            trash = folder.with_name(f".{folder.name}.gammel-{os.getpid()}")
            shutil.rmtree(trash, ignore_errors=True)
            try:
                folder.rename(trash)
            except PermissionError as err:
                raise DataError(
                    f"{folder}: en fil er i brug ({err.filename}); luk den (fx i Word eller Excel) og kør igen",
                    da=f"{folder}: en fil er i brug ({err.filename}); luk den (fx i Word eller Excel) og kør igen",
                    en=f"{folder}: a file is in use ({err.filename}); close it (e.g. in Word or Excel) and run again",
                ) from None
            stage.rename(folder)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            stage.rename(folder)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
