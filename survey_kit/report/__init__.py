"""Recurring evaluation reports: build (numbers, sentences, tables, charts), then write them
(:class:`~survey_kit.report.output.ReportWriter`: HTML, PDF, Word, Excel and figure files).

>>> from survey_kit.report import build_report          # doctest: +SKIP
>>> rep = build_report("lederudvikling_2008", "data/processed/lederudvikling_2008.parquet")
>>> rep.findings()[0]
'Ni ud af ti ledere (90 %) har deltaget i et ledernetværk inden for de seneste tre år, ...'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    formats: tuple[str, ...] = ("html", "pdf", "docx"),
    min_n: int | None = None,
    figures: bool = True,
    progress: bool = True,
    template_docx: str | Path | None = None,
) -> list[Path]:
    """Render the report(s) of ``instrument``; returns the files written.

    Each report folder holds ``rapport.html`` (self-contained, offline), ``rapport.pdf`` (A4),
    ``rapport.docx`` (Word), ``tabeller.xlsx`` and ``figurer/`` (every chart as PNG/SVG/PDF with
    its data as CSV and an alt text). ``by="omraade"`` renders one report per area as well as the
    whole. The Excel workbook is always written.
    """
    from tqdm.auto import tqdm

    from survey_kit.report.output import FORMATS, ReportWriter

    formats = tuple(formats)
    bad = sorted(set(formats) - set(FORMATS))
    if bad:
        raise ValueError(f"formats: unknown format(s) {bad}; use some of {', '.join(FORMATS)}")
    data = Path(data)
    jobs = plan_jobs(instrument, data, out_dir=Path(out_dir), wave=wave, by=by, min_n=min_n)
    written: list[Path] = []
    out_formats = tuple(dict.fromkeys((*formats, "xlsx")))
    with ReportWriter(formats=out_formats, figures=figures, template_docx=template_docx) as writer:
        for job in tqdm(jobs, desc=f"Rapporter ({instrument})", disable=not progress or len(jobs) < 2):
            report = build_report(instrument, data, wave=wave, area=job.area, min_n=min_n)
            written.extend(writer.write(report, job.folder))
    return written
