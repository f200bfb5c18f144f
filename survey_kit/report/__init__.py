"""Recurring evaluation reports for any survey: a report spec (data) + one engine + writers.

>>> import survey_kit as sk                                          # doctest: +SKIP
>>> survey = sk.load_processed("data/processed/min_undersoegelse.parquet", "min_codebook.yaml")
>>> rep = sk.build_report(survey)                 # the default spec of the codebook
>>> paths = sk.render_reports(survey, by="afdeling", out_dir="reports")

The spec comes from ``spec=`` (a :class:`ReportSpec` or a YAML path), else the spec shipped beside
a shipped instrument's codebook, else :func:`default_spec` of the codebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from survey_kit.report.content import Report
from survey_kit.report.engine import Run, Scope, build_run
from survey_kit.report.spec import ReportSpec, SpecError, default_spec, load_spec, spec_for
from survey_kit.survey import Survey, load_processed

__all__ = [
    "Report",
    "ReportSpec",
    "Run",
    "RunResult",
    "Scope",
    "SpecError",
    "build_report",
    "build_run",
    "default_spec",
    "disclosure_check",
    "load_spec",
    "render_reports",
    "spec_for",
]

FORMATS = ("html", "pdf", "docx", "xlsx")


def __getattr__(name: str) -> Any:
    # loaded on first use (the attacker imports HiGHS); the function itself, with its signature
    if name == "disclosure_check":
        from survey_kit.report.disclosure import disclosure_check

        return disclosure_check
    raise AttributeError(f"module 'survey_kit.report' has no attribute {name!r}")


def _codebook(codebook: Any):
    from survey_kit.codebook import Codebook, instrument, load_codebook

    if isinstance(codebook, Codebook):
        return codebook
    if isinstance(codebook, Path) or str(codebook).endswith((".yaml", ".yml")):
        return load_codebook(codebook)
    return instrument(str(codebook))


def _survey(data: Any, codebook: Any = None) -> Survey:
    """A Survey from a Survey or a processed parquet path (codebook from ``codebook`` or the manifest)."""
    if isinstance(data, Survey):
        if codebook is None:
            return data
        return Survey(data=data.data, codebook=_codebook(codebook), manifest=data.manifest)
    return load_processed(Path(data), codebook)


def _swap_old_order(data: Any, codebook: Any) -> tuple[Any, Any]:
    """``render_reports("temperaturmaaling", path)`` (instrument first, the old order) still works,
    with a DeprecationWarning naming the order of the vocabulary: data first, then codebook."""
    from survey_kit.codebook import instruments

    if isinstance(data, str) and data in instruments() and codebook is not None:
        import warnings

        warnings.warn("the instrument before the data is the old argument order; write "
                      f"(data, {data!r}): data first, then codebook", DeprecationWarning, stacklevel=3)
        return codebook, data
    return data, codebook


def build_report(
    data: Any,
    codebook: Any = None,
    *,
    spec: ReportSpec | str | Path | None = None,
    wave: str | int | None = None,
    group: tuple[str, int] | None = None,
    min_n: int | None = None,
) -> Report:
    """Build one report: the whole survey, or one group (``group=("omraade", 3)``).

    The group's report is built as part of a run with that group, so it is protected exactly as in
    ``render_reports(..., by=group[0])``.
    """
    data, codebook = _swap_old_order(data, codebook)
    survey = _survey(data, codebook)
    by = group[0] if group else None
    run = build_run(survey, spec, by=by, wave=wave, min_n=min_n)
    if group is None:
        return run.reports[0].report
    for b in run.reports[1:]:
        if b.scope.code == int(group[1]):
            return b.report
    label = survey.codebook[by].values.get(int(group[1]), group[1]) if by in survey.codebook else group[1]
    reason = dict(run.skipped).get(label, "ingen svar")
    raise ValueError(f"group: {label} får ingen rapport ({reason})")


@dataclass
class RunResult(list):
    """The files a run wrote (a list of paths) plus its summary: groups without a report."""

    skipped: list[tuple[str, str]] = field(default_factory=list)
    summary_path: Path | None = None


def render_reports(
    data: Any,
    codebook: Any = None,
    *,
    spec: ReportSpec | str | Path | None = None,
    out_dir: str | Path = "reports",
    wave: str | int | None = None,
    by: str | None = None,
    formats: tuple[str, ...] = ("html", "pdf", "docx"),
    min_n: int | None = None,
    figures: bool | str = True,
    progress: bool = True,
    template_docx: str | Path | None = None,
    fresh_start: bool = False,
) -> RunResult:
    """Render the whole survey plus one report per group of ``by``; returns the files written.

    Each report folder (``<out_dir>/<instrument>/samlet``, ``.../<group>``) holds ``rapport.html``
    (offline), ``rapport.pdf`` (A4), ``rapport.docx`` (Word; ``template_docx`` gives the
    municipality's own styles and logo), ``tabeller.xlsx`` (always) and ``figurer/`` (every chart as
    PNG/SVG/PDF + CSV + alt text; ``figures="whole"``: only the whole survey's report). The run
    replaces ``<out_dir>/<instrument>`` as a whole: it is written into a fresh folder that is then
    swapped in, so no file of an earlier run survives beside the new ones. Every
    report of the run is built and protected together before anything is written; groups too small
    to report get none and a line in ``koerselsoversigt.txt`` beside the reports, where the
    suppression audit (``anonymitet_log.csv``) is written for the analyst too.
    Earlier runs on the same data into the same ``out_dir`` are read from the disclosure ledger
    (``anonymitet_historik.json`` beside it) and protected together with this one;
    ``fresh_start=True`` (a new data set) starts a new ledger, with a warning.
    """
    from tqdm.auto import tqdm

    data, codebook = _swap_old_order(data, codebook)
    bad = set(formats) - set(FORMATS)
    if bad:
        raise ValueError(f"formats: unknown format(s) {sorted(bad)}; use {', '.join(FORMATS)}")
    survey = _survey(data, codebook)
    from survey_kit.privacy.ledger import LEDGER_FILE, Ledger

    base = Path(out_dir) / survey.codebook.instrument
    ledger = Ledger.load(base / LEDGER_FILE, instrument=survey.codebook.instrument, fresh=fresh_start)
    run = build_run(survey, spec, by=by, wave=wave, min_n=min_n, ledger=ledger)
    written = RunResult(skipped=run.skipped)
    if figures not in (True, False, "whole"):
        raise ValueError(f"figures: expected True, False or 'whole', got {figures!r}")
    writer = _writer(formats, bool(figures), template_docx)
    from survey_kit.report.output import replacing

    # the run is written into a fresh folder that then replaces <out_dir>/<instrument>: nothing
    # of an earlier run (a group no longer reported, a format not asked for) survives beside it
    with replacing(base) as stage:
        with writer:
            for built in tqdm(run.reports, desc=f"Rapporter ({survey.codebook.instrument})",
                              disable=not progress or len(run.reports) < 2):
                # figure files (figurer/) for every report, or only for the whole survey's
                writer.figures = bool(figures) and (figures is True or not built.scope.conditions)
                written.extend(base / p.relative_to(stage) for p in writer.write(built.report, stage / built.scope.slug))
        _write_summary(run, stage, by=by)
    written.summary_path = base / "koerselsoversigt.txt"
    ledger.save()  # after the swap: the new folder keeps what every run so far published
    return written


def _writer(formats: tuple[str, ...], figures: bool, template_docx: str | Path | None = None):
    from survey_kit.report.output import ReportWriter

    # the Excel workbook is always written: it is where the analyst checks the numbers
    out = tuple(dict.fromkeys((*formats, "xlsx")))
    return ReportWriter(formats=out, figures=figures, template_docx=template_docx)


def _write_summary(run: Run, base: Path, *, by: str | None) -> Path:
    """The run's summary for the analyst: reports written, groups without one, the audit log."""
    base.mkdir(parents=True, exist_ok=True)
    lines = [f"Rapporter i denne kørsel: {len(run.reports)}"]
    for b in run.reports:
        lines.append(f"  {b.scope.slug}: {b.report.title}")
    if run.skipped:
        lines.append(f"Grupper uden rapport ({by}): {len(run.skipped)}")
        lines.extend(f"  {label}: {reason}" for label, reason in run.skipped)
    path = base / "koerselsoversigt.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if run.audit is not None and len(run.audit):
        run.audit.to_csv(base / "anonymitet_log.csv", index=False, sep=";", decimal=",")
    return path
