"""A corpus of malformed and awkward exports, each run through the command line.

Every case is written by test code (no fixtures on disk) and states its expected outcome: exit
status, rows valid / quarantined, and a key phrase of the message. The command line is run
in-process through ``survey_kit.cli.main`` (the console script's entry point), so a data problem
must end as exit 1 with one paragraph on stderr, never as a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from test_ingest import LEDERE, ledere_rows, write_rows

from survey_kit import cli

N = 8  # rows in the base export


def run_cli(args: list[str], capsys, monkeypatch) -> tuple[int, str, str]:
    """Run ``survey-kit ARGS`` as the console script does; return (exit status, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["survey-kit", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path], Path]
    exit: int = 0
    valid: int | None = None
    quarantined: int | None = None
    phrase: str | None = None
    command: str = "ingest"
    extra: tuple[str, ...] = ()
    instrument: str = "lederudvikling_2008"
    codebook: dict | None = None  # written as YAML and passed with --codebook instead


def csv(mutate: Callable[[list[dict]], object] | None = None, *, name: str = "export.csv",
        n: int = N, **kw) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        rows = ledere_rows(n)
        if mutate is not None:
            mutate(rows)
        return write_rows(folder / name, rows, **kw)
    return build


def cell(i: int, **cells) -> Callable[[list[dict]], None]:
    return lambda rows: rows[i].update(cells)


def text(content: str | bytes, name: str = "export.csv") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path
    return build


def transform(fn: Callable[[str], str], name: str = "export.csv", encoding: str = "utf-8") -> Callable[[Path], Path]:
    """The base CSV as text, changed by ``fn`` (title rows, CRLF ...)."""
    def build(folder: Path) -> Path:
        base = csv(name="base.csv")(folder).read_text(encoding="utf-8")
        (folder / "base.csv").unlink()
        path = folder / name
        path.write_bytes(fn(base).encode(encoding))
        return path
    return build


def label_header(folder: Path) -> Path:
    rows = ledere_rows(N)
    out = []
    for r in rows:
        new = {}
        for col, value in r.items():
            item = LEDERE.item_for_column(col)
            if item is not None and col == item.code and item.type in ("single", "likert"):
                new[item.text] = item.labels.get(int(value), value) if value else ""
            else:
                new[col] = value
        out.append(new)
    return write_rows(folder / "labels.csv", out, delimiter=";", encoding="cp1252")


def xlsx(mutate=None, *, serial_dates: bool = False, title_rows: int = 0) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        rows = ledere_rows(N)
        if mutate is not None:
            mutate(rows)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Ark1"
        for _ in range(title_rows):
            ws.append(["Lederundersøgelse 2008, udtræk"])
        cols = list(rows[0])
        ws.append(cols)
        for r in rows:
            values = []
            for c in cols:
                v = r[c]
                if c == "besvaret" and v:
                    d = datetime.strptime(v, "%Y-%m-%d")
                    v = (d - datetime(1899, 12, 30)).days if serial_dates else d
                elif c == "antal_medarb" and v:
                    v = float(v.replace(",", "."))
                elif v.lstrip("-").isdigit():
                    v = int(v)
                elif v == "":
                    v = None
                values.append(v)
            ws.append(values)
        path = folder / "export.xlsx"
        wb.save(path)
        return path
    return build


def sav(folder: Path) -> Path:
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame(ledere_rows(N))
    for c in frame.columns:
        if c not in ("kommentar", "besvaret", "antal_medarb"):
            frame[c] = pd.to_numeric(frame[c].replace("", None), errors="coerce").astype(float)
    frame["antal_medarb"] = frame["antal_medarb"].str.replace(",", ".").astype(float)
    frame["besvaret"] = pd.to_datetime(frame["besvaret"])
    path = folder / "export.sav"
    pyreadstat.write_sav(frame, path, variable_value_labels={"sektor": {1.0: "Skole", 2.0: "Dagtilbud"}})
    return path


def dup(i: int, of: int):
    return lambda rows: rows[i].update(respondentid=rows[of]["respondentid"])


def drop_column(col: str):
    return lambda rows: [r.pop(col) for r in rows]


def add_column(col: str, value: str):
    return lambda rows: [r.update({col: value}) for r in rows]


def empty_row(i: int):
    return lambda rows: rows[i].update({c: "" for c in rows[i]})


def upper_headers(rows):
    for i, r in enumerate(rows):
        rows[i] = {k.upper(): v for k, v in r.items()}


def reorder(rows):
    for i, r in enumerate(rows):
        rows[i] = dict(reversed(list(r.items())))


def labels_as_answers(rows):
    for r in rows:
        r["net_godt"] = {"4": "Overvejende enig", "5": "HELT ENIG", "6": " ved ikke "}.get(r["net_godt"], r["net_godt"])
        r["sektor"] = {"1": "Skole", "2": "dagtilbud"}.get(r["sektor"], r["sektor"])


def codes_as_floats(rows):
    for r in rows:
        for c in ("sektor", "udb_kursus", "prioritet_1"):
            r[c] = f"{r[c]}.0"


def many(*mutations):
    def apply(rows):
        for m in mutations:
            m(rows)
    return apply


HEADER = ";".join(LEDERE.data_columns)

# The small SurveyXact and Forms surveys of fixtures_exports, as codebooks an analyst would write.
SX_CODEBOOK = {
    "instrument": "sx_demo", "version": "1", "title": "SurveyXact-demo",
    "respondent_id": {"column": "respondentid"},
    "items": [
        {"code": "s_1", "text": "Hvor enig er du i: Vi deler viden på personalemøder", "label": "Videndeling",
         "type": "likert", "values": {1: "Helt uenig", 2: "Overvejende uenig", 3: "Hverken enig eller uenig",
                                      4: "Overvejende enig", 5: "Helt enig"}, "missing": {6: "Ved ikke"}},
        {"code": "s_2", "text": "Har enheden lavet en plan; og hvornår?", "label": "Plan", "type": "single",
         "values": {1: "Ja", 2: "Nej"}, "missing": {3: "Ved ikke"}},
        {"code": "s_3", "text": "Hvilke kanaler bruger du?", "label": "Kanaler", "type": "multiple",
         "values": {1: "Intranet", 2: "Møder; fysisk", 3: "E-mail"}},
        {"code": "s_4", "text": "Kommentarer", "label": "Kommentar", "type": "text"},
        {"code": "enhed", "text": "Hvilken enhed er du ansat i?", "label": "Enhed", "type": "single",
         "group": True, "values": {101: "Børnehus Bork", 102: "Skolen i Hee"}},
    ],
}
FORMS_CODEBOOK = {
    "instrument": "forms_demo", "version": "1", "title": "Forms-demo", "respondent_id": {"column": "id"},
    "items": [
        {"code": "tilfreds", "text": "Hvor tilfreds er du med netværket?", "label": "Tilfredshed",
         "type": "single", "values": {1: "Meget tilfreds", 2: "Tilfreds", 3: "Utilfreds"}},
        {"code": "vaerktoej", "text": "Hvilke værktøjer bruger du?", "label": "Værktøjer", "type": "multiple",
         "values": {1: "Excel", 2: "Power BI", 3: "Teams"}},
        {"code": "kommentar", "text": "Kommentar", "label": "Kommentar", "type": "text"},
    ],
}


def fixture_writer(name: str, *args, **kw) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        import fixtures_exports

        target = folder / args[0] if args else folder
        return getattr(fixtures_exports, name)(target, *args[1:], **kw)
    return build

CASES = [
    # -- valid in many shapes --------------------------------------------------------------------
    Case("valid_semicolon", csv(), valid=N, quarantined=0, phrase="Ingen rækker er sat i karantæne"),
    Case("valid_comma", csv(delimiter=","), valid=N, quarantined=0),
    Case("valid_tab", csv(delimiter="\t", name="export.tsv"), valid=N, quarantined=0),
    Case("valid_cp1252", csv(encoding="cp1252"), valid=N, quarantined=0),
    Case("valid_utf8_bom", csv(encoding="utf-8-sig"), valid=N, quarantined=0),
    Case("valid_utf16_tab", csv(delimiter="\t", encoding="utf-16"), valid=N, quarantined=0),
    Case("valid_crlf", csv(newline="\r\n"), valid=N, quarantined=0),
    Case("title_rows_above_header", transform(lambda t: "Lederundersøgelse 2008\n\n" + t), valid=N, quarantined=0),
    Case("label_header_excel_resave", label_header, valid=N, quarantined=0),
    Case("labels_as_answers", csv(labels_as_answers), valid=N, quarantined=0),
    Case("codes_as_floats", csv(codes_as_floats), valid=N, quarantined=0),
    Case("danish_dates", csv(lambda rows: [r.update(besvaret="15-09-2008") for r in rows]), valid=N, quarantined=0),
    Case("excel_serial_dates_text", csv(lambda rows: [r.update(besvaret="39706") for r in rows]), valid=N, quarantined=0),
    Case("upper_case_headers", csv(upper_headers), valid=N, quarantined=0),
    Case("columns_reordered", csv(reorder), valid=N, quarantined=0),
    Case("quoted_newline_in_text", csv(cell(1, kommentar="Linje 1\nLinje 2; med semikolon")), valid=N, quarantined=0),
    Case("xlsx_typed_cells", xlsx(), valid=N, quarantined=0),
    Case("xlsx_serial_dates", xlsx(serial_dates=True), valid=N, quarantined=0),
    Case("xlsx_title_rows", xlsx(title_rows=2), valid=N, quarantined=0),
    Case("spss_sav", sav, valid=N, quarantined=0),
    Case("header_only", text(HEADER + "\n"), exit=1, phrase="ingen besvarelser"),
    # -- rows that go to quarantine --------------------------------------------------------------
    Case("invalid_code", csv(cell(2, net_godt="7")), valid=N - 1, quarantined=1, phrase="ikke en gyldig kode"),
    Case("huge_code", csv(cell(2, udb_kursus="100000")), valid=N - 1, quarantined=1, phrase="værdien 100000"),
    Case("negative_code", csv(cell(0, sektor="-1")), valid=N - 1, quarantined=1, phrase="gyldige koder: 1-4"),
    Case("text_in_code_column", csv(cell(1, udb_kursus="meget")), valid=N - 1, quarantined=1, phrase="kan ikke læses som en kode"),
    Case("fraction_in_code_column", csv(cell(1, udb_kursus="2,5")), valid=N - 1, quarantined=1, phrase="kan ikke læses som en kode"),
    Case("number_out_of_range", csv(cell(0, antal_medarb="401")), valid=N - 1, quarantined=1, phrase="uden for det tilladte interval"),
    Case("number_not_a_number", csv(cell(0, antal_medarb="mange")), valid=N - 1, quarantined=1, phrase="som et tal"),
    Case("date_outside_period", csv(cell(4, besvaret="2009-01-05")), valid=N - 1, quarantined=1, phrase="uden for perioden"),
    Case("date_junk", csv(cell(4, besvaret="31-02-2008")), valid=N - 1, quarantined=1, phrase="som en dato"),
    Case("duplicate_id", csv(dup(5, 1)), valid=N - 1, quarantined=1, phrase="dublet"),
    Case("triplicate_id", csv(many(dup(5, 1), dup(6, 1))), valid=N - 2, quarantined=2, phrase="findes allerede i række 3"),
    Case("missing_id", csv(cell(2, respondentid="")), valid=N - 1, quarantined=1, phrase="respondent-id mangler"),
    Case("empty_row", csv(empty_row(3)), valid=N - 1, quarantined=1, phrase="ingen svar"),
    Case("id_without_answers", csv(lambda rows: rows[3].update({c: "" for c in rows[3] if c != "respondentid"})),
         valid=N - 1, quarantined=1, phrase="Række 5 (respondent 1004): rækken indeholder ingen svar"),
    Case("condition_column_missing", csv(drop_column("net_deltaget")), valid=N, quarantined=0,
         phrase="mangler i filen: net_deltaget"),
    Case("date_far_future", csv(cell(1, besvaret="9999-12-31")), valid=N - 1, quarantined=1, phrase="uden for perioden"),
    Case("date_year_10000", csv(cell(1, besvaret="10000-01-01")), valid=N - 1, quarantined=1, phrase="som en dato"),
    Case("date_before_1677", csv(cell(1, besvaret="1583-01-01")), valid=N - 1, quarantined=1,
         phrase="datoen 1583-01-01 ligger uden for perioden"),
    Case("rank_repeated", csv(cell(0, prioritet_3="1")), valid=N - 1, quarantined=1, phrase="gentaget rang"),
    Case("rank_too_many", csv(cell(0, prioritet_2="4")), valid=N - 1, quarantined=1, phrase="højst 3 er tilladt"),
    Case("rank_out_of_range", csv(cell(0, prioritet_5="9")), valid=N - 1, quarantined=1, phrase="uden for 1 til 3"),
    Case("option_not_0_1", csv(cell(0, net_formaal_2="2")), valid=N - 1, quarantined=1, phrase="gyldige koder: 0, 1"),
    Case("formula_in_text_of_bad_row", csv(cell(2, net_godt="0", kommentar="=cmd|' /C calc'!A0")),
         valid=N - 1, quarantined=1, phrase="'=cmd"),
    Case("every_row_bad", csv(lambda rows: [r.update(sektor="5") for r in rows]), valid=0, quarantined=N,
         phrase="8 rækker er sat i karantæne"),
    # -- kept, with a warning -----------------------------------------------------------------------
    Case("skip_logic_blanked", csv(cell(3, net_godt="5")), valid=N, quarantined=0, phrase="spørgelogik"),
    Case("unknown_column", csv(add_column("ekstra", "x")), valid=N, quarantined=0, phrase="Ukendte kolonner sprunget over: ekstra"),
    Case("missing_column", csv(drop_column("kommentar")), valid=N, quarantined=0, phrase="mangler i filen: kommentar"),
    Case("ragged_row", transform(lambda t: t.replace("\n", ";ekstra\n", 2).replace(";ekstra\n", "\n", 1)),
         valid=N - 1, quarantined=1, phrase="1 for mange felter"),
    Case("short_row", transform(lambda t: "\n".join(line.rsplit(";", 1)[0] if i == 2 else line
                                                    for i, line in enumerate(t.split("\n")))),
         valid=N, quarantined=0, phrase="1 række havde færre felter end overskriften"),
    # -- refused: exit 1, one paragraph, no traceback ---------------------------------------------
    Case("empty_file", text(b""), exit=1, phrase="empty"),
    Case("binary_junk", text(bytes(range(256)) * 4, name="export.bin"), exit=1),
    Case("not_csv_at_all", text("Kære kollega,\nher er filen.\n"), exit=1, phrase="ingen af filens kolonner"),
    Case("wrong_instrument", csv(), exit=1, phrase="er det den rigtige kodebog", instrument="temperaturmaaling"),
    Case("personal_key_missing", text("respondentid;leder_id;maaling;sh_1\n1;a@x.dk;1;4\n"), exit=1,
         phrase="--key-file", instrument="netvaerksevaluering"),
    Case("id_column_missing", csv(drop_column("respondentid")), exit=1, phrase="respondent-id mangler i filen"),
    Case("missing_file", lambda folder: folder / "findes_ikke.csv", exit=1),
    # -- platform exports (fixtures_exports writers) ------------------------------------------------
    Case("surveyxact_workbook", fixture_writer("write_surveyxact_workbook", "sx.xlsx"), valid=4, quarantined=1,
         phrase="1 inviterede har ikke besvaret", codebook=SX_CODEBOOK),
    Case("surveyxact_workbook_split_short", fixture_writer("write_surveyxact_workbook", "sx.xlsx", split=True,
                                                           short=True),
         valid=4, quarantined=1, phrase="ikke besvaret", codebook=SX_CODEBOOK),
    Case("surveyxact_csv_semicolon_cp1252", fixture_writer("write_surveyxact_csv", "sx", "semicolon"),
         valid=4, quarantined=1, phrase="1 delvist besvaret er beholdt", codebook=SX_CODEBOOK),
    Case("surveyxact_csv_tab_utf16", fixture_writer("write_surveyxact_csv", "sx", "tab"), valid=4,
         quarantined=1, codebook=SX_CODEBOOK),
    Case("forms_xlsx", fixture_writer("write_forms_xlsx", "forms.xlsx"), valid=3, quarantined=0,
         codebook=FORMS_CODEBOOK),
    # -- validate --------------------------------------------------------------------------------
    Case("validate_ok", csv(), command="validate", phrase="ingen problemer fundet"),
    Case("validate_problem", csv(cell(2, net_godt="7")), exit=1, command="validate",
         phrase="Række 4 (respondent 1003), kolonne net_godt: værdien 7 er ikke en gyldig kode"),
    Case("validate_english", csv(cell(2, net_godt="7")), exit=1, command="validate", extra=("--lang", "en"),
         phrase="Row 4 (respondent 1003), column net_godt: the value 7 is not a valid code"),
    Case("validate_skip_logic", csv(cell(3, net_godt="5")), exit=1, command="validate", phrase="stilles kun når net_deltaget"),
]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus_case(case: Case, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("SURVEY_KIT_KEY", raising=False)
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    export = case.build(raw_dir)
    out = tmp_path / "processed"
    if case.codebook is not None:
        import yaml

        cb_path = tmp_path / "codebook.yaml"
        cb_path.write_text(yaml.safe_dump(case.codebook, allow_unicode=True), encoding="utf-8")
        args = [case.command, str(export), "--codebook", str(cb_path), *case.extra]
    else:
        args = [case.command, str(export), "--instrument", case.instrument, *case.extra]
    if case.command == "ingest":
        args += ["--out", str(out)]
    code, stdout, stderr = run_cli(args, capsys, monkeypatch)
    assert "Traceback" not in stderr
    assert code == case.exit, (stdout, stderr)
    seen = stdout + stderr
    if case.exit == 1:
        assert stderr.startswith("survey-kit: ") or case.command == "validate", stderr
    if case.command == "ingest" and case.exit == 0:
        stem = export.stem if export.is_file() or export.suffix else export.name
        manifest = json.loads((out / f"{stem}.manifest.json").read_text(encoding="utf-8"))
        assert manifest["rows_read"] == manifest["rows_valid"] + manifest["rows_quarantined"]
        if case.valid is not None:
            assert manifest["rows_valid"] == case.valid, stdout
        if case.quarantined is not None:
            assert manifest["rows_quarantined"] == case.quarantined, stdout
        seen += (out / f"{stem}.quarantine.csv").read_text(encoding="utf-8")
    if case.phrase is not None:
        assert case.phrase in seen, seen
