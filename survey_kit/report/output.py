"""Write built reports: HTML, PDF, Word, Excel and figure files, with one browser for a run.

>>> with ReportWriter(formats=("html", "pdf", "docx", "xlsx")) as writer:   # doctest: +SKIP
...     for report, folder in jobs:
...         writer.write(report, folder)

A folder gets ``rapport.html`` (self-contained, offline), ``rapport.pdf`` (A4, tagged, outline,
page numbers), ``rapport.docx``, ``tabeller.xlsx`` and ``figurer/`` (each chart as PNG at 300 dpi,
SVG and PDF, with its data as CSV and its alt text). One Chromium page draws every chart of a
report once (plotly.js), prints the PDF and gives the Word pictures and the figure files.
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

    def _pdf_printer(self):
        if self._printer is None:
            from survey_kit.report.render import PdfPrinter

            self._printer = PdfPrinter().start()
        return self._printer

    # -- writing --------------------------------------------------------------------------------
    def _figure_files(self, report: Report, stage: Path, images: dict[str, dict]) -> list[Path]:
        """Every chart as PNG (300 dpi), SVG and PDF with its data and alt text, in ``figurer/``.

        The images are the ones drawn in the printing page (what the PDF shows); the PDFs are one
        print of all charts, split (no export per chart and format).
        """
        from survey_kit.charts.export import chart_table, write_table_csv

        figures = list(report.figures())
        if not figures or not self.figures:
            return []
        pdfs = self._pdf_printer().figure_pdfs(images)
        folder = stage / "figurer"
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for fig in figures:
            im = images.get(fig.name)
            if im is None:
                raise RuntimeError(f"{report.title}: the chart {fig.name} was not drawn")
            files = [(folder / f"{fig.name}.png", im["png"]), (folder / f"{fig.name}.svg", im["svg"]),
                     (folder / f"{fig.name}.pdf", pdfs[fig.name])]
            for path, data in files:
                path.write_bytes(data)
                written.append(path)
            table = fig.data if fig.data is not None else chart_table(fig.figure)
            if table is not None:
                written.append(write_table_csv(table, folder / f"{fig.name}.csv"))
            alt = folder / f"{fig.name}.alt.txt"
            alt.write_text(fig.alt_text() + "\n", encoding="utf-8")
            written.append(alt)
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
            images: dict[str, dict] = {}
            charts = any(True for _ in report.figures())
            pictures = charts and ("docx" in self.formats or self.figures)  # PNGs for Word, figurer/
            if {"html", "pdf"} & set(self.formats) or pictures:
                body = render.report_body(report, lang=self.lang)
                if "html" in self.formats:
                    render.write_html(report, stage / FILES["html"], lang=self.lang, body=body)
                if "pdf" in self.formats or pictures:
                    _, images = self._pdf_printer().draw(
                        report, pdf_path=stage / FILES["pdf"] if "pdf" in self.formats else None,
                        png_dpi=FIGURE_DPI if pictures else None, lang=self.lang, body=body)
            fig_files = self._figure_files(report, stage, images)
            pngs = {name: im["png"] for name, im in images.items() if "png" in im}
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
        raise _in_use(folder, err) from None


def _in_use(folder: Path, err: PermissionError) -> DataError:
    """A file of the folder is open elsewhere (Windows locks files open in Word or Excel)."""
    return DataError(
        f"{folder}: en fil er i brug ({err.filename}); luk den (fx i Word eller Excel) og kør igen",
        en=f"{folder}: a file is in use ({err.filename}); close it (e.g. in Word or Excel) and run again",
    )


#: Files of a report folder that are its history, not a run's output: the disclosure ledger (and
#: the earlier ledgers a fresh start set aside) and the project runner's log and state. A run
#: carries them into the folder that replaces the old one.
KEPT_ACROSS_RUNS = ("anonymitet_historik*.json", "koerselslog.txt", "koersel.json")


@contextmanager
def replacing(folder: Path) -> Iterator[Path]:
    """A fresh folder to write a run into; on success it takes the place of ``folder``.

    Nothing of an earlier run in ``folder`` survives beside the new files (reports of groups no
    longer reported, a Word file of a format not asked for now), except the folder's history
    (:data:`KEPT_ACROSS_RUNS`: the disclosure ledger and the project's run log and state), which is
    carried into the new folder. ``folder`` must be a run's output (it has
    ``koerselsoversigt.txt``) or empty or absent; anything else is refused in one sentence. On an
    error the earlier output is left as it was.
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or (any(folder.iterdir()) and not (folder / RUN_MARK).exists())):
        raise DataError(
            f"{folder} findes og er ikke en mappe med rapporter fra survey_kit; vælg en anden --out",
            en=f"{folder} exists and is not a folder of survey_kit reports; choose another --out",
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.ny-", dir=folder.parent))
    try:
        yield stage
        os.chmod(stage, 0o755)
        for pattern in KEPT_ACROSS_RUNS if folder.is_dir() else ():
            for kept in folder.glob(pattern):
                if kept.is_file() and not (stage / kept.name).exists():
                    shutil.copy2(kept, stage / kept.name)
        if folder.exists():
            trash = folder.with_name(f".{folder.name}.gammel-{os.getpid()}")
            shutil.rmtree(trash, ignore_errors=True)
            try:
                folder.rename(trash)
            except PermissionError as err:
                raise _in_use(folder, err) from None
            stage.rename(folder)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            stage.rename(folder)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
