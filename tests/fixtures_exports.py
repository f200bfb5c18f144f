"""Test helpers that write platform-shaped export files (shared by the ingest/infer tests).

Each writer imitates what the platform writes, byte for byte where it matters: SurveyXact's
workbook sheets and CSV triple dialects (after NIFU-NO/readSX inst/extdata and stigsen/indsight),
Microsoft Forms' xlsx columns, and the CSV variants that Excel produces when someone re-saves.
Every writer returns the data it wrote so tests can compare.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import openpyxl

# -- one small SurveyXact survey -------------------------------------------------------------------
SX_QUESTIONS = {
    # variableName: (question text, {code: label})
    "s_1": ("Hvor enig er du i: Vi deler viden på personalemøder", {
        1: "Helt uenig", 2: "Overvejende uenig", 3: "Hverken enig eller uenig",
        4: "Overvejende enig", 5: "Helt enig", 6: "Ved ikke"}),
    "s_2": ("Har enheden lavet en plan; og hvornår?", {1: "Ja", 2: "Nej", 3: "Ved ikke"}),
    "enhed": ("Hvilken enhed er du ansat i?", {101: "Børnehus Bork", 102: "Skolen i Hee"}),
}
SX_MULTIPLE = ("s_3", "Hvilke kanaler bruger du?", {1: "Intranet", 2: "Møder; fysisk", 3: "E-mail"})
SX_TEXT = ("s_4", "Kommentarer")
SX_SYSTEM = ["respondentid", "closetime", "starttime", "created", "modified", "difftime", "email"]
SX_STATUS = [f"statoverall_{k}" for k in range(1, 6)]

# respondentid, s_1, s_2, s_3_1..3, s_4, enhed, status(1..5)
SX_ROWS = [
    (5001, 4, 1, (1, 0, 1), "Godt, men \"travlt\"; mere tid", 101, 4),
    (5002, 6, 2, (0, 1, 0), "", 101, 4),
    (5003, 5, 3, (1, 1, 1), "Æbler, øl og å", 102, 4),
    (5004, None, None, (0, 0, 0), "", 102, 2),
    (5005, 2, 1, (0, 0, 1), "", 102, 3),
]


def sx_columns(short: bool = False) -> list[str]:
    sys_cols = ["responde", "closetim", "starttim", "created", "modified", "difftime", "email"] if short else SX_SYSTEM
    opts = [f"{SX_MULTIPLE[0]}_{k}" for k in SX_MULTIPLE[2]]
    status = [f"stato_{k}" for k in range(1, 6)] if short else SX_STATUS
    return [*sys_cols, "s_1", "s_2", *opts, "s_4", "enhed", *status]


def sx_records(short: bool = False) -> list[list]:
    """Data rows as SurveyXact writes them: codes as numbers, empty open answers as ''."""
    out = []
    for rid, s1, s2, opts, text, enhed, stat in SX_ROWS:
        started = stat >= 3
        sys_vals = [
            rid,
            datetime(2010, 11, 3, 10, rid % 60) if stat == 4 else None,
            datetime(2010, 11, 3, 9, rid % 60) if started else None,
            datetime(2010, 11, 1, 8, 0), datetime(2010, 11, 3, 10, 5),
            600 if started else None, f"r{rid}@kommune.dk",
        ]
        dummies = [1 if stat == k else 0 for k in range(1, 6)]
        out.append([*sys_vals, s1, s2, *opts, text, enhed, *dummies])
    return out


def sx_labels() -> list[tuple[str, int, str]]:
    rows = []
    for var, (_, labels) in SX_QUESTIONS.items():
        if var == "enhed":
            continue
        rows += [(var, c, lab) for c, lab in labels.items()]
    for k in SX_MULTIPLE[2]:
        rows += [(f"{SX_MULTIPLE[0]}_{k}", 0, "Ikke valgt"), (f"{SX_MULTIPLE[0]}_{k}", 1, "Valgt")]
    rows += [("enhed", c, lab) for c, lab in SX_QUESTIONS["enhed"][1].items()]
    return rows


def sx_descriptions() -> dict[str, str]:
    out = {v: t for v, (t, _) in SX_QUESTIONS.items()}
    q, text, opts = SX_MULTIPLE
    for k, lab in opts.items():
        out[f"{q}_{k}"] = f"{text} - {lab}"
    out[SX_TEXT[0]] = SX_TEXT[1]
    return out


def sx_structure() -> list[list[str]]:
    header = ["questionName", "variableName", "questionType", "subType", "questionText", "choiceValue", "choiceText"]
    rows = [header]
    for var in ("s_1", "s_2"):
        rows.append([var, var, "Closed", "Single", SX_QUESTIONS[var][0], "", ""])
    q, text, opts = SX_MULTIPLE
    for k, lab in opts.items():
        rows.append([q, f"{q}_{k}", "Closed", "Multiple", text, str(k), lab])
    rows.append([SX_TEXT[0], SX_TEXT[0], "Open", "String", SX_TEXT[1], "", ""])
    rows.append(["enhed", "enhed", "Background", "Single", SX_QUESTIONS["enhed"][0], "", ""])
    return rows


def write_surveyxact_workbook(path: Path, *, split: bool = False, short: bool = False) -> Path:
    """A SurveyXact Excel export: Dataset (or Dataset(1), Dataset(2)), Labels (no header),
    Variables, Structure, Complete."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    cols, rows = sx_columns(short), sx_records(short)
    if split:
        cut = cols.index("s_2")
        parts = [(list(range(0, cut)), "Dataset(1)"), ([0, *range(cut, len(cols))], "Dataset(2)")]
    else:
        parts = [(list(range(len(cols))), "Dataset")]
    for idx, name in parts:
        ws = wb.create_sheet(name)
        ws.append([cols[i] for i in idx])
        for r in rows:
            ws.append([r[i] for i in idx])
    ws = wb.create_sheet("Labels")
    for row in sx_labels():
        ws.append(list(row))
    ws = wb.create_sheet("Variables")
    ws.append(["variableName", "variableDescription"])
    desc = sx_descriptions()
    for c in cols:
        ws.append([c, desc.get(c, c)])
    ws = wb.create_sheet("Structure")
    for row in sx_structure():
        ws.append(row)
    ws = wb.create_sheet("Complete")
    ws.append([desc.get(c, c) for c in cols])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


SX_DIALECTS = {
    # name: (delimiter, encoding, line terminator)
    "semicolon": (";", "cp1252", "\r\n"),
    "comma": (",", "cp1252", "\r\n"),
    "tab": ("\t", "utf-16", "\r\n"),
}


def _csv_text(rows: list[list], delimiter: str, terminator: str, trailing: bool = False) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=terminator, quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        cells = ["" if v is None else v for v in r]
        w.writerow([*cells, ""] if trailing else cells)
    return buf.getvalue()


def write_surveyxact_csv(folder: Path, dialect: str = "semicolon") -> Path:
    """The SurveyXact CSV triple in one of its dialects: semicolon + windows-1252, comma +
    windows-1252, or tab + UTF-16LE with BOM and CRLF. Returns the dataset.csv path."""
    delim, enc, term = SX_DIALECTS[dialect]
    folder.mkdir(parents=True, exist_ok=True)
    rows = [[v.strftime("%d-%m-%Y %H:%M:%S") if isinstance(v, datetime) else v for v in r] for r in sx_records()]
    files = {
        "dataset.csv": _csv_text([sx_columns(), *rows], delim, term),
        "structure.csv": _csv_text(sx_structure(), delim, term, trailing=True),
        "labels.csv": _csv_text([list(r) for r in sx_labels()], delim, term),
    }
    for name, text in files.items():
        (folder / name).write_bytes(text.encode(enc))  # "utf-16" writes a BOM, little-endian here
    return folder / "dataset.csv"


# -- Microsoft Forms ---------------------------------------------------------------------------
FORMS_COLUMNS = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
                 "Hvor tilfreds er du med netværket?", "Hvilke værktøjer bruger du?", "Kommentar"]
FORMS_ROWS = [
    [1, datetime(2024, 3, 1, 9, 0), datetime(2024, 3, 1, 9, 4), "anonymous", None, None, "Meget tilfreds", "Excel;Power BI;", "Fint"],
    [2, datetime(2024, 3, 1, 9, 10), datetime(2024, 3, 1, 9, 12), "anonymous", None, None, "Tilfreds", "Excel;", None],
    [3, datetime(2024, 3, 2, 14, 0), datetime(2024, 3, 2, 14, 9), "anonymous", None, None, "Utilfreds", "Power BI;Teams;", "For lange møder"],
]


def write_forms_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(FORMS_COLUMNS)
    for r in FORMS_ROWS:
        ws.append(r)
    wb.save(path)
    return path


# -- plain files ---------------------------------------------------------------------------------
def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write text exactly (newlines as given) in an encoding (``utf-8-sig`` adds a BOM)."""
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """An xlsx with the given sheets (rows as lists; None is an empty cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def write_encrypted_xlsx(path: Path, password: str = "hemmelig") -> Path:
    """A password-protected xlsx as Excel writes it (an OLE2 container with EncryptedPackage),
    made with msoffcrypto-tool's ECMA-376 agile encryption."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = path.with_name(path.stem + "_plain.xlsx")
    write_xlsx(plain, {"Ark1": [["id", "svar"], [1, 2]]})
    with plain.open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt(password, out)
    plain.unlink()
    return path


def write_xls(path: Path) -> Path:
    """An Excel 97-2003 .xls workbook (BIFF8 in an OLE2 container), written by xlwt."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Ark1")
    for j, v in enumerate(["id", "svar"]):
        ws.write(0, j, v)
    ws.write(1, 0, 1)
    ws.write(1, 1, 2)
    wb.save(str(path))
    return path
