"""Danish wording of the readers' problems (the readers raise English; commands answer in Danish).

Each entry is a regular expression over the English problem and its Danish replacement
(``re.sub`` syntax); the first that matches the whole problem wins. Unknown problems stay English.
"""

from __future__ import annotations

import re

_TABLE: tuple[tuple[str, str], ...] = (
    (r"file not found", "filen findes ikke"),
    (r"is not a regular file", "er ikke en almindelig fil"),
    (r"is empty \(0 bytes\)", "er tom (0 byte)"),
    (r"is a folder without a SurveyXact dataset\.csv and structure\.csv/labels\.csv",
     "er en mappe uden SurveyXact-filerne dataset.csv og structure.csv/labels.csv"),
    (r"is a password-protected \(encrypted\) Excel workbook.*",
     "er en adgangskodebeskyttet (krypteret) Excel-projektmappe; fjern adgangskoden i Excel og gem den igen"),
    (r"is an old Excel 97-2003 workbook \(\.xls\).*",
     "er en gammel Excel 97-2003-projektmappe (.xls); åbn den i Excel og gem den som .xlsx"),
    (r"is an old Microsoft Office \(OLE2\) file.*", "er en gammel Microsoft Office-fil (OLE2), ikke en dataeksport"),
    (r"is a SAS transport \(\.xpt\) file.*",
     "er en SAS transport-fil (.xpt), et format survey_kit ikke læser; eksportér CSV eller SPSS i stedet"),
    (r"is a SAS data set \(\.sas7bdat\).*",
     "er et SAS-datasæt (.sas7bdat), et format survey_kit ikke læser; eksportér CSV eller SPSS i stedet"),
    (r"is an XML document, not a data export survey_kit reads", "er et XML-dokument, ikke en dataeksport"),
    (r"is a web page \(HTML\), not a data export", "er en webside (HTML), ikke en dataeksport"),
    (r"is a PDF document, not a data export", "er et PDF-dokument, ikke en dataeksport"),
    (r"is a compressed archive; unpack it and read the export inside",
     "er et komprimeret arkiv; pak det ud og læs eksporten i det"),
    (r"is a damaged or truncated Excel workbook \(the zip container cannot be opened\)",
     "er en beskadiget eller afkortet Excel-projektmappe (zip-beholderen kan ikke åbnes)"),
    (r"is a damaged or truncated Excel workbook and cannot be opened \((.*)\)",
     r"er en beskadiget eller afkortet Excel-projektmappe og kan ikke åbnes (\1)"),
    (r"is a binary Excel workbook \(\.xlsb\); save it as \.xlsx", "er en binær Excel-projektmappe (.xlsb); gem den som .xlsx"),
    (r"is a Word document, not a data export", "er et Word-dokument, ikke en dataeksport"),
    (r"is an OpenDocument file; save it as \.xlsx or CSV", "er en OpenDocument-fil; gem den som .xlsx eller CSV"),
    (r"is a zip archive, not an Excel workbook.*", "er et zip-arkiv, ikke en Excel-projektmappe; pak det ud og læs eksporten i det"),
    (r"is (.*); reading it as (.*) needs about (.*) of memory but only (.*) is available.*",
     r"fylder \1; at læse den kræver omkring \3 hukommelse, men kun \4 er ledig; del eksporten op eller brug en større maskine"),
    (r"cannot be read as (.*): byte (\d+) is not valid in that encoding",
     r"kan ikke læses som \1: byte \2 er ikke gyldig i den tegnkodning"),
    (r"starts like (.*) text but is not valid (.*)", r"begynder som \1-tekst, men er ikke gyldig \2"),
    (r"cannot be decoded as text", "kan ikke læses som tekst"),
    (r"is not a text table \(it holds binary data\).*", "er ikke en teksttabel (den indeholder binære data)"),
    (r"holds no text \(only blank lines\)", "indeholder ingen tekst (kun tomme linjer)"),
    (r"the header on line (\d+) cannot be parsed \((.*)\)", r"overskriften på linje \1 kan ikke læses (\2)"),
    (r"line (\d+) has (\d+) fields but the header has (\d+); check the delimiter and quoting",
     r"linje \1 har \2 felter, men overskriften har \3; tjek skilletegn og anførselstegn"),
    (r"cannot be parsed as delimited text \((.*)\)", r"kan ikke læses som tekst med skilletegn (\1)"),
    (r"sheet (.*) is damaged and cannot be read \((.*)\)", r"arket \1 er beskadiget og kan ikke læses (\2)"),
    (r"has no sheet (.*); its sheets are (.*)", r"har intet ark \1; dens ark er \2"),
    (r"cannot be read as an? (\w+) file \((.*)\)", r"kan ikke læses som \1-fil (\2)"),
    (r"sheet (.*) has (\d+) rows but the first Dataset sheet has (\d+), and no respondentid column to join them by",
     r"arket \1 har \2 rækker, men det første Dataset-ark har \3, og ingen respondentid-kolonne at sætte dem sammen efter"),
    (r"sheet (.*): column (.*) has repeated respondent ids", r"arket \1: kolonnen \2 har gentagne respondent-id'er"),
    (r"is a damaged Excel 2003 XML file and cannot be read \((.*)\)",
     r"er en beskadiget Excel 2003 XML-fil og kan ikke læses (\1)"),
    (r"is an Excel 2003 XML file without worksheets", "er en Excel 2003 XML-fil uden regneark"),
)
_COMPILED = tuple((re.compile(p, re.S), r) for p, r in _TABLE)


def danish(problem: str) -> str | None:
    """The Danish wording of an English reader problem, or None when it is not known."""
    for pattern, repl in _COMPILED:
        if pattern.fullmatch(problem):
            return pattern.sub(repl, problem)
    return None
