"""The main job of ``make demo``: demo exports -> ingest + validation -> reports.

Each survey is ingested from the export a municipality would most often get for it: the leader
survey from a SurveyXact workbook, the temperaturmåling from a SurveyXact CSV export, and the
network evaluation from an SPSS file. The other demo exports are written beside them in
``data/raw/demo/`` for the notebooks and the tests.

The temperaturmåling is a recurring survey: its three rounds (2008/09, 2010, 2012) are three
SurveyXact workbooks in ``data/raw/demo/temperaturmaaling/runder/``, and the demo runs its
project file ``data/raw/demo/temperaturmaaling.projekt.yaml`` (``survey-kit run``): each round
ingested as a wave of ``data/processed/temperaturmaaling/``, then the report set with the trend.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

from survey_kit import paths
from survey_kit._browser import browser_available, pdf_packages_installed

#: Which demo export each survey is ingested from.
PRIMARY_EXPORT = {
    "lederudvikling_2008": "surveyxact_xlsx",
    "temperaturmaaling": "surveyxact_csv",  # (the combined export; the demo ingests the rounds)
    "netvaerksevaluering": "sav",
    "kompetencekortlaegning": "forms_xlsx",
}
#: How each demo report is broken down (one report per value, besides the whole).
REPORT_BY = {"temperaturmaaling": "omraade", "kompetencekortlaegning": "omraade"}
#: The demo's pseudonymisation key. A real survey's key comes from the analyst
#: (``--key-file`` or ``SURVEY_KIT_KEY``) and is never stored beside the data.
DEMO_KEY = b"survey_kit demo key: not a secret"


NO_BROWSER = (
    "Ingen Chrome, Chromium eller Microsoft Edge fundet: rapporterne skrives som HTML og Excel, "
    "men uden PDF, Word og figurfiler (PNG/SVG/PDF); installér Google Chrome, Chromium eller Edge "
    "(eller sæt BROWSER_PATH til programmet) for at få dem med."
)
NO_PDF_PACKAGES = (
    "PDF-delen af survey_kit er ikke installeret: rapporterne skrives som HTML og Excel, men uden "
    "PDF, Word og figurfiler (PNG/SVG/PDF); installér den med pip install \"survey_kit[pdf]\"."
)


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def write_temperature_project(raw: Path, *, n_per_wave: int | None = None,
                              formats: tuple[str, ...] = ("html", "pdf", "docx"), figures: bool = True) -> Path:
    """The temperaturmåling's three rounds as exports and the project file that runs them:
    ``raw/demo/temperaturmaaling.projekt.yaml`` (paths relative to it)."""
    import yaml

    from survey_kit.datasets import write_temperature_rounds

    rounds = write_temperature_rounds(raw, n_per_wave=n_per_wave)
    demo = Path(raw) / "demo"
    project = {
        "instrument": "temperaturmaaling",
        "exports": {label: path.relative_to(demo).as_posix() for label, path in rounds.items()},
        "by": REPORT_BY["temperaturmaaling"],
        "formats": list(formats),
        "figures": figures,
        "processed": "../../processed",
        "reports": "../../../reports",
    }
    path = demo / "temperaturmaaling.projekt.yaml"
    text = ("# The temperaturmåling: one SurveyXact export per round; `survey-kit run` this file after each round\n"
            + yaml.safe_dump(project, allow_unicode=True, sort_keys=False))
    path.write_text(text, encoding="utf-8")
    return path


#: Recurring surveys the demo runs from a project file (one export per round).
PROJECTS = {"temperaturmaaling": write_temperature_project}


def run_demo(
    root: Path | None = None,
    *,
    formats: tuple[str, ...] = ("html", "pdf", "docx"),
    n_temperature: int | None = None,
    instruments: tuple[str, ...] = tuple(PRIMARY_EXPORT),
) -> dict[str, list[Path]]:
    """Run the whole demo; returns the report files per instrument.

    Without a Chrome/Chromium/Edge the reports are written as HTML and Excel (no PDF, no figure
    files), after one Danish sentence saying what to install.
    """
    from survey_kit.codebook import instrument as load_instrument
    from survey_kit.datasets import write_demo_exports
    from survey_kit.ingest import ingest
    from survey_kit.report import render_reports

    root = Path(root) if root else paths.PROJ_ROOT
    figures = browser_available()
    if not figures:
        _say(NO_BROWSER if pdf_packages_installed() else NO_PDF_PACKAGES)
        formats = tuple(f for f in formats if f not in ("pdf", "docx"))  # Word needs the PNG figures
    raw, processed, reports = root / "data" / "raw", root / "data" / "processed", root / "reports"
    _say(f"1/3 Skriver demo-eksporter i {raw / 'demo'}")
    exports = write_demo_exports(raw, n_temperature=n_temperature)
    key = os.environ.get("SURVEY_KIT_KEY", "").encode() or DEMO_KEY
    out: dict[str, list[Path]] = {}
    for name in instruments:
        if name in PROJECTS:  # a recurring survey: one export per round, run by its project file
            project = PROJECTS[name](raw, n_per_wave=n_temperature, formats=formats, figures=figures)
            _say(f"2/3 Kører projektfilen {project.relative_to(root) if project.is_relative_to(root) else project}")
            from survey_kit.project import run_project

            run = run_project(project, say=lambda m: _say("    " + m))
            _say("    " + run.summary().replace("\n", "\n    "))
            out[name] = run.reports
            continue
        export = exports[name][PRIMARY_EXPORT[name]]
        _say(f"2/3 Indlæser og validerer {export.relative_to(root) if export.is_relative_to(root) else export}")
        result = ingest(export, load_instrument(name), out_dir=processed, name=name, key=key)
        _say("    " + result.summary().replace("\n", "\n    "))
        _say(f"3/3 Danner rapporter for {name}")
        with warnings.catch_warnings():  # the demo writes a new data set: a fresh ledger
            warnings.filterwarnings("ignore", message="Ny start", category=UserWarning)
            out[name] = render_reports(
                processed / f"{name}.parquet",
                name,
                out_dir=reports,
                by=REPORT_BY.get(name),
                formats=formats,
                figures="whole" if figures else False,  # figure files for the whole survey's reports
                fresh_start=True,
            )
    n_files = sum(len(v) for v in out.values())
    _say(f"Færdig: {n_files} filer i {reports}")
    return out
