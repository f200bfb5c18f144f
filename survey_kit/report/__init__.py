"""Recurring evaluation reports: build (numbers, sentences, tables, charts), render (papermill ->
HTML -> PDF), and export (figure files, Excel workbook).

>>> from survey_kit.report import build_report          # doctest: +SKIP
>>> rep = build_report("lederudvikling_2008", "data/processed/lederudvikling_2008.parquet")
>>> rep.findings()[0]
'Ni ud af ti ledere (90 %) har deltaget i et ledernetværk inden for de seneste tre år, ...'
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from survey_kit.report.content import Report
from survey_kit.survey import Survey, load_processed

__all__ = ["BUILDERS", "Report", "ReportJob", "build_report", "disclosure_check", "render_reports"]

def disclosure_check(*args, **kwargs):
    """See :func:`survey_kit.report.disclosure.disclosure_check`."""
    from survey_kit.report.disclosure import disclosure_check as check

    return check(*args, **kwargs)


BUILDERS = {
    "lederudvikling_2008": "survey_kit.report.builders.leader",
    "temperaturmaaling": "survey_kit.report.builders.temperature",
    "netvaerksevaluering": "survey_kit.report.builders.network",
}


def _builder(instrument: str):
    import importlib

    try:
        return importlib.import_module(BUILDERS[instrument])
    except KeyError:
        raise ValueError(
            f"instrument: no report template for {instrument!r}; templates exist for {', '.join(BUILDERS)}"
        ) from None


def build_report(
    instrument: str,
    data: str | Path | Survey,
    *,
    wave: str | int | None = None,
    area: int | None = None,
    min_n: int | None = None,
) -> Report:
    """Build the report of ``instrument`` from processed data (a parquet path or a Survey)."""
    survey = data if isinstance(data, Survey) else load_processed(Path(data), instrument)
    area = None if area is None else int(area)
    return _builder(instrument).build(survey, wave=wave, area=area, min_n=min_n)


@dataclass(frozen=True)
class ReportJob:
    """One report to render: where it goes and with which parameters."""

    instrument: str
    data: Path
    folder: Path
    title: str
    wave: str | None = None
    area: int | None = None
    min_n: int | None = None

    @property
    def parameters(self) -> dict:
        return {
            "instrument": self.instrument,
            "data": str(self.data.resolve()),
            "wave": self.wave,
            "area": self.area,
            "min_n": self.min_n,
        }


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
    return re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-")


def plan_jobs(
    instrument: str,
    data: Path,
    *,
    out_dir: Path,
    wave: str | None = None,
    by: str | None = None,
    min_n: int | None = None,
) -> list[ReportJob]:
    """The reports to render: one for the whole survey, plus one per value of ``by``."""
    survey = load_processed(data, instrument)
    base = Path(out_dir) / instrument
    jobs = [ReportJob(instrument, data, base / "samlet", survey.codebook.title, wave, None, min_n)]
    if by:
        if by not in survey.codebook or by not in survey.data:
            raise ValueError(f"by: {by!r} is not a grouping variable of {instrument}")
        item = survey.codebook[by]
        for code in sorted(int(c) for c in survey.data[by].dropna().unique()):
            label = item.values.get(code, str(code))
            jobs.append(ReportJob(instrument, data, base / _slug(label), label, wave, code, min_n))
    return jobs


def render_reports(
    instrument: str,
    data: str | Path,
    *,
    out_dir: str | Path = "reports",
    wave: str | None = None,
    by: str | None = None,
    formats: tuple[str, ...] = ("html", "pdf"),
    min_n: int | None = None,
    figures: bool = True,
    progress: bool = True,
) -> list[Path]:
    """Render the report(s) of ``instrument``; returns the files written.

    Each report folder holds ``rapport.html`` (self-contained, offline), ``rapport.pdf`` (A4),
    ``tabeller.xlsx`` and ``figurer/`` (every chart as PNG/SVG/PDF with its data as CSV and an alt
    text). ``by="omraade"`` renders one report per area as well as the whole.
    """
    from tqdm.auto import tqdm

    from survey_kit.report.render import execute_notebook, html_to_pdf, notebook_to_html

    bad = set(formats) - {"html", "pdf"}
    if bad:
        raise ValueError(f"formats: unknown format(s) {sorted(bad)}; use html and/or pdf")
    data = Path(data)
    jobs = plan_jobs(instrument, data, out_dir=Path(out_dir), wave=wave, by=by, min_n=min_n)
    template = resources.files("survey_kit.report") / "templates" / f"{instrument}.ipynb"
    written: list[Path] = []
    exporter = _figure_exporter() if figures else None
    try:
        for job in tqdm(jobs, desc=f"Rapporter ({instrument})", disable=not progress or len(jobs) < 2):
            job.folder.mkdir(parents=True, exist_ok=True)
            report = build_report(instrument, data, wave=wave, area=job.area, min_n=min_n)
            written.append(_write_excel(report, job))
            if exporter is not None:
                written.extend(exporter(report, job.folder / "figurer"))
            with resources.as_file(template) as tpl, tempfile.TemporaryDirectory() as tmp:
                nb = execute_notebook(tpl, Path(tmp) / "rapport.ipynb", job.parameters, cwd=job.folder)
                html = notebook_to_html(nb, job.folder / "rapport.html", title=report.title)
            if "html" in formats:
                written.append(html)
            if "pdf" in formats:
                written.append(html_to_pdf(html, job.folder / "rapport.pdf"))
            if "html" not in formats:
                html.unlink()
    finally:
        if exporter is not None:
            exporter.close()
    return written


def _write_excel(report: Report, job: ReportJob) -> Path:
    from survey_kit.report.excel import write_workbook

    return write_workbook(report.tables(), job.folder / "tabeller.xlsx", title=report.title, source=report.subtitle)


class _figure_exporter:
    """Exports every figure of a report with one reused browser (kaleido's sync server)."""

    def __init__(self) -> None:
        from survey_kit.charts import exporting

        self._ctx = exporting()
        self._ctx.__enter__()

    def __call__(self, report: Report, folder: Path) -> list[Path]:
        from survey_kit.charts import export

        out: list[Path] = []
        for fig in report.figures():
            out.extend(export(fig.figure, folder / fig.name, size=fig.size, table=fig.data))
        return out

    def close(self) -> None:
        self._ctx.__exit__(None, None, None)
