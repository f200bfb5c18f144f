"""The ``survey-kit`` command line: a thin shell over the library.

Exit status: 0 on success, 1 for a data problem (one clear paragraph on stderr, no traceback),
2 for a usage error (typer/click's own).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from survey_kit.errors import DataError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="survey_kit: ingest, validate, compare and report Danish municipal surveys.",
)
codebook_app = typer.Typer(no_args_is_help=True, help="Codebooks: list, show, check, infer.")
app.add_typer(codebook_app, name="codebook")
spec_app = typer.Typer(no_args_is_help=True, help="Report specs: draft, check.")
app.add_typer(spec_app, name="spec")


LANGS = ("da", "en")


def _check_lang(value: str) -> str:
    """``--lang``: da or en, else a usage error (exit 2) in both languages."""
    if value not in LANGS:
        raise typer.BadParameter(f"sproget skal være da eller en, ikke {value!r} (language must be da or en)")
    return value


LangOption = Annotated[str, typer.Option("--lang", help="Sprog for svar: da (standard) eller en",
                                         callback=_check_lang)]


def _usage(lang: str, da: str, en: str) -> None:
    typer.echo(f"survey-kit: {da if lang == 'da' else en}", err=True)
    raise typer.Exit(2)


def _codebook(instrument: str | None, codebook: Path | None, lang: str = "da"):
    from survey_kit.codebook import instrument as load_instrument
    from survey_kit.codebook import instruments, load_codebook

    if (instrument is None) == (codebook is None):
        _usage(lang, "angiv enten --instrument NAVN eller --codebook FIL (præcis én af dem)",
               "give exactly one of --instrument NAME or --codebook FILE")
    if instrument is not None and instrument not in instruments():
        names = ", ".join(instruments())
        _usage(lang, f"ukendt instrument {instrument!r}; de indbyggede er: {names}",
               f"unknown instrument {instrument!r}; shipped instruments: {names}")
    return load_instrument(instrument) if instrument else load_codebook(codebook)


def _key(key_file: Path | None, lang: str) -> bytes | None:
    if key_file is None:
        return None
    try:
        return key_file.read_bytes().strip()
    except OSError as err:
        _usage(lang, f"nøglefilen {key_file} kan ikke læses ({err.strerror or err})",
               f"the key file {key_file} cannot be read ({err.strerror or err})")
    return None


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option(help="Project root to write data/ and reports/ under (default: the current folder)")] = None,
    n_temperature: Annotated[int | None, typer.Option(help="Respondents per wave in the temperaturmåling demo")] = None,
    formats: Annotated[str, typer.Option("--format", help="Report formats, comma separated")] = "html,pdf,docx",
) -> None:
    """Write the demo exports to data/raw, ingest them into data/processed, render reports/ (under
    the current folder, or --out), whatever the install."""
    from survey_kit.pipeline import run_demo

    run_demo(root=out if out is not None else Path.cwd(), formats=tuple(formats.split(",")), n_temperature=n_temperature)


@app.command()
def ingest(
    export: Annotated[Path, typer.Argument(help="The export file (CSV, xlsx, sav, dta, ...)")],
    instrument: Annotated[str | None, typer.Option(help="A shipped instrument")] = None,
    codebook: Annotated[Path | None, typer.Option(help="A codebook YAML file")] = None,
    out: Annotated[Path, typer.Option(help="Output folder")] = Path("data/processed"),
    name: Annotated[str | None, typer.Option(help="Base name of the outputs (default: the export's)")] = None,
    key_file: Annotated[Path | None, typer.Option(help="Secret key for pseudonymous ids (else $SURVEY_KIT_KEY)")] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet to read")] = None,
    lang: LangOption = "da",
    wave: Annotated[str | None, typer.Option(help="The round this export holds (label or code): adds or replaces "
                                             "that wave in the dataset OUT/<instrument>/")] = None,
) -> None:
    """Validate an export against a codebook and write parquet, quarantine CSV and manifest."""
    from survey_kit.ingest import ingest as run_ingest

    cb = _codebook(instrument, codebook, lang)
    key = _key(key_file, lang)
    try:
        result = run_ingest(export, cb, out_dir=out, name=name, key=key, sheet=sheet, wave=wave)
    except ValueError as err:  # a bad option value (name, sheet): a usage error
        if isinstance(err, DataError):
            raise
        _usage(lang, f"ugyldig indstilling: {err}", f"invalid option: {err}")
    typer.echo(result.summary(lang))


@app.command("run")
def run_project_cmd(
    project: Annotated[Path, typer.Argument(help="The project file (projekt.yaml)")],
    force: Annotated[bool, typer.Option(help="Ingest every wave and rebuild the reports even if nothing changed")] = False,
) -> None:
    """One command per round: ingest the waves whose export changed, then rebuild the reports
    (nothing is redone when no input changed); appends to the run log koerselslog.txt."""
    from survey_kit.project import run_project

    result = run_project(project, force=force, say=lambda msg: typer.echo(msg, err=True))
    typer.echo(result.summary())
    if result.log_path is not None:
        typer.echo(f"Kørselslog: {result.log_path}", err=True)


@app.command()
def validate(
    export: Annotated[Path, typer.Argument(help="The export file")],
    instrument: Annotated[str | None, typer.Option(help="A shipped instrument")] = None,
    codebook: Annotated[Path | None, typer.Option(help="A codebook YAML file")] = None,
    problems: Annotated[Path | None, typer.Option(help="Write the problems as CSV here")] = None,
    lang: LangOption = "da",
    sheet: Annotated[str | None, typer.Option(help="Excel sheet to read")] = None,
) -> None:
    """Report every problem in an export; exit 1 when there are any."""
    from survey_kit.ingest import validate_export

    cb = _codebook(instrument, codebook, lang)
    try:
        report = validate_export(export, cb, lang=lang, sheet=sheet)
    except ValueError as err:
        if isinstance(err, DataError):
            raise
        _usage(lang, f"ugyldig indstilling: {err}", f"invalid option: {err}")
    typer.echo(report.render())
    if problems is not None:
        report.write_csv(problems)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def report(
    instrument: Annotated[str | None, typer.Argument(help="A shipped instrument (optional with --codebook)")] = None,
    data: Annotated[Path | None, typer.Option(help="Processed parquet file, or a dataset folder of waves (from survey-kit ingest)")] = None,
    codebook: Annotated[Path | None, typer.Option(help="The codebook YAML the data were ingested with")] = None,
    spec: Annotated[Path | None, typer.Option(help="A report spec YAML (survey-kit spec draft); default: the codebook's default report")] = None,
    out: Annotated[Path, typer.Option(help="Output folder")] = Path("reports"),
    wave: Annotated[str | None, typer.Option(help="Wave to report (label or code); default the latest")] = None,
    by: Annotated[str | None, typer.Option(help="Also one report per group of this variable, e.g. omraade or enhed")] = None,
    formats: Annotated[str, typer.Option("--format", help="Formats to write, comma separated: html, pdf, docx, xlsx. "
                                         "tabeller.xlsx (the numbers) is always written. Each run replaces "
                                         "OUT/<instrument>/ as a whole: no file of an earlier run is left")] = "html,pdf,docx",
    min_n: Annotated[int | None, typer.Option(help="Minimum respondents per published group (never below the codebook's)")] = None,
    figures: Annotated[str, typer.Option("--figurer", help="Figure files (PNG/SVG/PDF + CSV): samlet (only the whole survey's report), alle, ingen")] = "samlet",
    fresh_start: Annotated[bool, typer.Option("--ny-start", help="A new data set: ignore what earlier runs into --out published (anonymitet_historik.json)")] = False,
    template_docx: Annotated[Path | None, typer.Option("--word-skabelon", help="The municipality's own Word file (.docx) for styles, header and footer; default the house template")] = None,
) -> None:
    """Render the report of a survey (and one per group with --by) from processed data.

    Each run replaces OUT/<instrument>/ as a whole (written into a fresh folder, then swapped in).
    """
    from survey_kit.report import render_reports

    if data is None:
        typer.echo("survey-kit report: --data DATA.parquet mangler (data fra survey-kit ingest)", err=True)
        raise typer.Exit(2)
    if instrument is not None and codebook is not None:
        typer.echo("survey-kit report: giv enten et instrument eller --codebook, ikke begge", err=True)
        raise typer.Exit(2)
    if instrument is not None:
        from survey_kit.codebook import instruments

        if instrument not in instruments():
            typer.echo(f"survey-kit report: ukendt instrument {instrument!r} (kendte: {', '.join(instruments())}); "
                       "brug --codebook for din egen undersøgelse", err=True)
            raise typer.Exit(2)
    fmts = tuple(f.strip() for f in formats.split(",") if f.strip())
    fig = {"samlet": "whole", "alle": True, "ingen": False}.get(figures)
    if fig is None:
        typer.echo(f"survey-kit report: --figurer {figures!r} er ukendt; brug samlet, alle eller ingen", err=True)
        raise typer.Exit(2)
    import warnings

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            paths = render_reports(data, codebook if codebook is not None else instrument, spec=spec, out_dir=out,
                                   wave=wave, by=by, formats=fmts, min_n=min_n, figures=fig,
                                   fresh_start=fresh_start, template_docx=template_docx)
        for w in caught:
            typer.echo(f"Advarsel: {w.message}", err=True)
    except DataError:
        raise
    except ValueError as err:  # a bad option value (wave, by, format): a usage error
        typer.echo(f"survey-kit report: {err}", err=True)
        raise typer.Exit(2) from None
    for p in paths:
        typer.echo(str(p))
    for label, reason in paths.skipped:
        typer.echo(f"Ingen rapport for {label}: {reason}", err=True)
    if paths.summary_path is not None:
        typer.echo(f"Oversigt: {paths.summary_path}", err=True)


@spec_app.command("draft")
def spec_draft(
    codebook: Annotated[Path, typer.Option(help="A codebook YAML (or a shipped instrument name)")],
    out: Annotated[Path | None, typer.Option(help="Write here instead of to stdout")] = None,
) -> None:
    """Write the default report spec of a codebook, for the analyst to edit."""
    from survey_kit.report.spec import default_spec, shipped_spec_path

    cb = _load_any_codebook(codebook)
    shipped = shipped_spec_path(cb)
    text = shipped.read_text(encoding="utf-8") if shipped else default_spec(cb).to_yaml()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{out}: rapportspecifikation skrevet", err=True)


@spec_app.command("check")
def spec_check(
    path: Annotated[Path, typer.Argument(help="A report spec YAML")],
    codebook: Annotated[Path, typer.Option(help="The codebook YAML (or a shipped instrument name)")],
) -> None:
    """Check a report spec against its codebook; exit 1 naming the bad field."""
    from survey_kit.report.spec import load_spec

    spec = load_spec(path, _load_any_codebook(codebook))
    typer.echo(f"{path}: ok ({len(spec.sections)} afsnit)")


def _load_any_codebook(ref: Path):
    from survey_kit.codebook import instrument, instruments, load_codebook

    if str(ref) in instruments():
        return instrument(str(ref))
    return load_codebook(ref)


@codebook_app.command("list")
def codebook_list() -> None:
    """List the shipped instruments."""
    from survey_kit.codebook import instrument, instruments

    for name in instruments():
        cb = instrument(name)
        typer.echo(f"{name}\tv{cb.version}\t{cb.title}")


@codebook_app.command("show")
def codebook_show(name: Annotated[str, typer.Argument(help="A shipped instrument")]) -> None:
    """Print a shipped instrument's codebook as YAML."""
    from survey_kit.codebook import instrument

    typer.echo(instrument(name).to_yaml())


@codebook_app.command("check")
def codebook_check(path: Annotated[Path, typer.Argument(help="A codebook YAML file")],
                   lang: LangOption = "da") -> None:
    """Check a codebook file (exit 1 naming the bad field) and list what is left to decide."""
    from survey_kit.codebook import load_codebook
    from survey_kit.ingest.infer import open_decisions

    cb = load_codebook(path)
    if lang == "da":
        typer.echo(f"{path}: ok ({cb.instrument} v{cb.version}, {len(cb.items)} spørgsmål, {len(cb.scales)} skalaer)")
    else:
        typer.echo(f"{path}: ok ({cb.instrument} v{cb.version}, {len(cb.items)} items, {len(cb.scales)} scales)")
    todo = open_decisions(path, cb, lang)
    if todo:
        typer.echo(f"{len(todo)} ting at tage stilling til:" if lang == "da" else f"{len(todo)} things to decide:")
        for line in todo:
            typer.echo(f"- {line}")


@codebook_app.command("diff")
def codebook_diff(
    export_a: Annotated[Path, typer.Argument(help="The earlier round's export")],
    export_b: Annotated[Path, typer.Argument(help="The later round's export")],
    sheet: Annotated[str | None, typer.Option(help="Excel sheet to read")] = None,
    lang: LangOption = "da",
) -> None:
    """List what changed between two rounds' exports (columns added, dropped, moved, reworded,
    answer labels), so the codebook's sources/waves/recode can be updated before ingesting."""
    from survey_kit.ingest.waves import diff_exports

    diff = diff_exports(export_a, export_b, sheet=sheet)
    if diff.empty:
        typer.echo("Ingen forskelle i kolonner, spørgsmålstekster eller svarmuligheder." if lang == "da" else
                   "No differences in columns, question texts or answer labels.")
        return
    words = {"da": {"added": "tilføjet", "dropped": "fjernet", "moved": "flyttet", "reworded": "omformuleret",
                    "values": "svarmuligheder"},
             "en": {"added": "added", "dropped": "dropped", "moved": "moved", "reworded": "reworded",
                    "values": "answer labels"}}[lang]
    for r in diff.itertuples(index=False):
        texts = " | ".join(dict.fromkeys(t for t in (r.text_a, r.text_b) if t))
        line = f"{words[r.change]}: {r.column}" + (f" ({texts})" if texts else "")
        if r.change == "values":
            line += f": {r.detail}"
        typer.echo(line)


@codebook_app.command("infer")
def codebook_infer(
    export: Annotated[Path, typer.Argument(help="An export (SurveyXact workbook/CSV, SPSS, CSV, xlsx)")],
    instrument_id: Annotated[str | None, typer.Option("--instrument", help="Instrument id to write")] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet to read")] = None,
    lang: LangOption = "da",
) -> None:
    """Draft a codebook from an export, to stdout, for the analyst to edit (notes on stderr)."""
    from survey_kit.ingest.infer import draft_codebook

    draft = draft_codebook(export, instrument=instrument_id, sheet=sheet)
    sys.stdout.write(draft.to_yaml(lang))
    n = len(draft.warnings)
    if n and lang == "da":
        typer.echo(f"survey-kit: udkastet har {n} ting at tjekke (markeret '# TJEK:' i YAML'en); "
                   "'survey-kit codebook check FIL' viser dem.", err=True)
    elif n:
        typer.echo(f"survey-kit: the draft has {n} things to check (marked '# CHECK:' in the YAML); "
                   "'survey-kit codebook check FILE --lang en' lists them.", err=True)


def _lang_from_argv(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in LANGS else "da"
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1] if arg.split("=", 1)[1] in LANGS else "da"
    return "da"


def main() -> None:
    """Entry point: data problems become one paragraph on stderr and exit status 1."""
    try:
        app()
    except DataError as err:
        typer.echo(f"survey-kit: {err.text(_lang_from_argv(sys.argv[1:]))}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
