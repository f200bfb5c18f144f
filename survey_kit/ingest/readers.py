"""Read any survey export into a :class:`~survey_kit.ingest.raw.RawExport`.

:func:`read_export` decides the format from the file's first bytes (not from its extension),
reads it with the reader for that format (:mod:`.textfile`, :mod:`.excel`, :mod:`.spss`) and
recognises the platform that wrote it (:mod:`.platforms`, :mod:`.surveyxact`). Every problem with
the file is a :class:`~survey_kit.errors.DataError` whose message names the file.

``source_rows`` by format
-------------------------
* CSV/TSV: the physical line (1-based, as an editor counts) on which each record starts; the header
  line has its own number, so without title rows the first record is line 2. A record whose quoted
  text spans several lines counts all of them, so the next record's number jumps accordingly.
* xlsx (plain, Forms, SurveyXact): the Excel row number of each data row.
* sav/zsav/por/dta: case number + 1 (the first case is 2, as if a header were row 1).
* SurveyXact workbook split over ``Dataset(1..n)``: the row numbers of the first Dataset sheet.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from survey_kit.errors import DataError
from survey_kit.ingest import platforms, surveyxact
from survey_kit.ingest._common import data_error
from survey_kit.ingest.qualtrics import (
    split_code_text_headers,
    strip_qualtrics_headers,
    strip_surveymonkey_headers,
)
from survey_kit.ingest.raw import RawExport

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAS7BDAT = bytes.fromhex("000000000000000000000000c2ea8160b31411cfbd92080009c7318c181f1011")
#: Rough memory needed per byte of file, by format (pandas strings, openpyxl cells, ...).
_MEMORY_FACTOR = {"csv": 8, "xlsx": 40, "xml": 12, "sav": 4, "zsav": 20, "por": 6, "dta": 4}
_FORMAT_NAMES = {
    "csv": "delimited text (CSV)", "xlsx": "an Excel workbook (.xlsx)", "sav": "an SPSS .sav file",
    "zsav": "a compressed SPSS .zsav file", "por": "an SPSS portable .por file",
    "dta": "a Stata .dta file", "xml": "an Excel 2003 XML spreadsheet",
}
_EXTENSIONS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".tab": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".sav": "sav", ".zsav": "zsav", ".por": "por", ".dta": "dta", ".xml": "xml",
}


def read_export(
    path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> RawExport:
    """Read an export file (or a SurveyXact CSV export folder) as it is, with its provenance.

    Parameters
    ----------
    path
        CSV/TSV, xlsx, SPSS (.sav, .zsav, .por) or Stata (.dta) file; for a SurveyXact CSV
        export, its ``dataset.csv`` or the folder holding it.
    sheet
        Excel sheet to read (default: the first; for a SurveyXact workbook, its Dataset sheets).
    encoding, delimiter
        Override detection for text files (e.g. ``"cp1252"``, ``";"``).

    Returns
    -------
    RawExport
        Cells as the file holds them (strings for text files, empty -> NA), labels, missing
        codes, platform, status and notes; see the module docstring for ``source_rows``.

    Raises
    ------
    DataError
        The file is missing, empty, damaged, encrypted, of an unsupported format, or too large
        for the memory available.

    Examples
    --------
    >>> raw = read_export("data/raw/temperaturmaaling_2010.xlsx")  # doctest: +SKIP
    >>> raw.platform, raw.n_rows  # doctest: +SKIP
    ('surveyxact', 412)
    """
    path = Path(path)
    if path.is_dir():
        dataset = surveyxact.triple_dataset(path)
        if dataset is None:
            raise data_error(path, "is a folder without a SurveyXact dataset.csv and structure.csv/labels.csv")
        path = dataset
    if not path.exists():
        raise data_error(path, "file not found")
    if not path.is_file():
        raise data_error(path, "is not a regular file")
    n_bytes = path.stat().st_size
    if n_bytes == 0:
        raise data_error(path, "is empty (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(4096)
    fmt = sniff_format(path, head)
    if sheet is not None and fmt not in ("xlsx", "xml"):
        raise ValueError(f"sheet: {path} is {_FORMAT_NAMES[fmt]}, which has no sheets")
    _check_memory(path, n_bytes, fmt)
    notes: list[str] = []
    claimed = _EXTENSIONS.get(path.suffix.lower())
    if claimed is not None and claimed != fmt:
        notes.append(f"named {path.suffix} but the content is {_FORMAT_NAMES[fmt]}; read as such")
    if fmt == "csv":
        data = path.read_bytes()
        with ThreadPoolExecutor(max_workers=1) as pool:  # hashlib releases the GIL: hash while parsing
            hashing = pool.submit(lambda: hashlib.sha256(data).hexdigest())
            parts = _read_csv(path, data, encoding=encoding, delimiter=delimiter)
            digest = hashing.result()
    else:
        digest = _sha256(path)
        if fmt == "xlsx":
            parts = _read_xlsx(path, sheet)
        elif fmt == "xml":
            parts = _read_xml(path, sheet)
        else:
            parts = _read_stat(path, fmt)
    parts["notes"] = tuple(notes + list(parts.get("notes", ())))
    return RawExport(path=path, sha256=digest, n_bytes=n_bytes, format=fmt, **parts)


def sniff_format(path: Path, head: bytes) -> str:
    """The format from the first bytes: ``csv``, ``xlsx``, ``sav``, ``zsav``, ``por``, ``dta``.

    Refuses (DataError) the formats survey_kit does not read, naming what the file is.
    """
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(_OLE2):
        raise data_error(path, _ole2_problem(path))
    if head.startswith(b"$FL2"):
        return "sav"
    if head.startswith(b"$FL3"):
        return "zsav"
    if b"SPSSPORT" in head[:600]:
        return "por"
    if head.startswith(b"<stata_dta>") or (
        len(head) > 4 and 104 <= head[0] <= 115 and head[1] in (1, 2) and head[2] == 1
    ):
        return "dta"
    if head.startswith(b"HEADER RECORD*******LIBRARY HEADER RECORD"):
        raise data_error(path, "is a SAS transport (.xpt) file, a format survey_kit does not read; export CSV or SPSS instead")
    if head.startswith(_SAS7BDAT):
        raise data_error(path, "is a SAS data set (.sas7bdat), a format survey_kit does not read; export CSV or SPSS instead")
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_head.startswith(b"<?xml") or text_head.startswith(b"<workbook"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "xml"
        raise data_error(path, "is an XML document, not a data export survey_kit reads")
    if text_head.startswith((b"<!doctype html", b"<html")):
        raise data_error(path, "is a web page (HTML), not a data export")
    if head.startswith(b"%PDF"):
        raise data_error(path, "is a PDF document, not a data export")
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf")):
        raise data_error(path, "is a compressed archive; unpack it and read the export inside")
    return "csv"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        raise data_error(path, "is a damaged or truncated Excel workbook (the zip container cannot be opened)") from None
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/workbook.bin" in names:
            raise data_error(path, "is a binary Excel workbook (.xlsb); save it as .xlsx")
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        raise data_error(path, "is a Word document, not a data export")
    if "content.xml" in names:
        raise data_error(path, "is an OpenDocument file; save it as .xlsx or CSV")
    raise data_error(path, "is a zip archive, not an Excel workbook; unpack it and read the export inside")


def _ole2_problem(path: Path) -> str:
    with path.open("rb") as fh:
        blob = fh.read(4 * 1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in blob:
        return "is a password-protected (encrypted) Excel workbook; remove the password in Excel and save it again"
    if "Workbook".encode("utf-16-le") in blob or "Book".encode("utf-16-le") in blob:
        return "is an old Excel 97-2003 workbook (.xls); open it in Excel and save it as .xlsx"
    return "is an old Microsoft Office (OLE2) file, not a data export survey_kit reads"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def available_memory() -> int:
    """Bytes of memory available now (``MemAvailable`` in /proc/meminfo, else sysconf)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 1 << 62


def _check_memory(path: Path, n_bytes: int, fmt: str) -> None:
    need = n_bytes * _MEMORY_FACTOR[fmt]
    free = available_memory()
    if need > free:
        raise data_error(
            path,
            f"is {_size(n_bytes)}; reading it as {_FORMAT_NAMES[fmt]} needs about {_size(need)} of "
            f"memory but only {_size(free)} is available; split the export or use a larger machine",
        )


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} TB"  # pragma: no cover


# -- per format ----------------------------------------------------------------------------------
def _read_csv(path: Path, data: bytes, *, encoding: str | None, delimiter: str | None) -> dict[str, Any]:
    from survey_kit.ingest.textfile import read_text

    if surveyxact.triple_dataset(path) is not None:
        parts = surveyxact.read_triple(path, data, encoding=encoding, delimiter=delimiter)
        facts = platforms.recognise(parts["frame"], fmt="csv")
        parts["notes"] = ["SurveyXact CSV export (dataset.csv with structure.csv/labels.csv)"] + parts["notes"]
        return _with_platform(parts, facts, force="surveyxact")
    t = read_text(path, data, encoding=encoding, delimiter=delimiter)
    parts = dict(
        frame=t.frame, source_rows=t.source_rows, encoding=t.encoding, delimiter=t.delimiter,
        header_row=t.header_row, notes=t.notes,
    )
    extra = strip_qualtrics_headers(t.frame, t.source_rows) or strip_surveymonkey_headers(t.frame, t.source_rows)
    if extra is not None:
        parts.update(frame=extra["frame"], source_rows=extra["source_rows"],
                     variable_labels=extra["variable_labels"], notes=[*t.notes, *extra["notes"]])
    elif (named := split_code_text_headers(t.frame)) is not None:  # same rows, columns renamed
        parts.update(frame=named["frame"], variable_labels=named["variable_labels"], notes=[*t.notes, *named["notes"]])
    else:  # rows as read: the parsed integer cells still line up with them
        parts["integer_columns"] = t.integer_columns
    return _with_platform(parts, platforms.recognise(parts["frame"], fmt="csv"))


def _read_xlsx(path: Path, sheet: str | None) -> dict[str, Any]:
    from survey_kit.ingest.excel import open_workbook, pick_sheet, sheet_rows, table_from_rows

    with open_workbook(path) as wb:
        names = list(wb.sheetnames)
        if surveyxact.is_workbook(names) and (sheet is None or sheet in surveyxact.dataset_sheets(names)):
            parts = surveyxact.read_workbook(wb, path)
            parts["notes"] = ["SurveyXact workbook (Dataset, Labels, Variables sheets)"] + parts["notes"]
            facts = platforms.recognise(parts["frame"], fmt="xlsx")
            return _with_platform(parts, facts, force="surveyxact")
        name = pick_sheet(wb, sheet, path)
        t = table_from_rows(sheet_rows(wb, name, path), name)
    if len(names) > 1 and sheet is None:
        t.notes.append(f"read the first sheet {name!r} of {len(names)}; pass sheet= to choose another")
    parts = dict(frame=t.frame, source_rows=t.source_rows, sheet=t.sheet, header_row=t.header_row, notes=t.notes)
    return _with_platform(parts, platforms.recognise(t.frame, fmt="xlsx"))


def _read_xml(path: Path, sheet: str | None) -> dict[str, Any]:
    """An Excel 2003 XML spreadsheet (SpreadsheetML): a SurveyXact workbook or a plain sheet."""
    from survey_kit.ingest.excel import pick_sheet, table_from_rows
    from survey_kit.ingest.xmlsheet import read_spreadsheetml

    wb = read_spreadsheetml(path)
    names = wb.sheetnames
    if surveyxact.is_workbook(names) and (sheet is None or sheet in surveyxact.dataset_sheets(names)):
        parts = surveyxact.read_workbook(wb, path)
        parts["notes"] = ["SurveyXact Excel 2003 XML export (Dataset, Labels, Variables sheets)"] + parts["notes"]
        return _with_platform(parts, platforms.recognise(parts["frame"], fmt="xml"), force="surveyxact")
    name = pick_sheet(wb, sheet, path)
    t = table_from_rows(wb.rows(name), name)
    parts = dict(frame=t.frame, source_rows=t.source_rows, sheet=t.sheet, header_row=t.header_row, notes=t.notes)
    return _with_platform(parts, platforms.recognise(t.frame, fmt="xml"))


def _read_stat(path: Path, fmt: str) -> dict[str, Any]:
    from survey_kit.ingest.spss import read_stat

    t = read_stat(path, fmt)
    parts = dict(
        frame=t.frame, source_rows=t.source_rows, encoding=t.encoding, notes=t.notes,
        variable_labels=t.variable_labels, value_labels=t.value_labels, missing_codes=t.missing_codes,
    )
    return _with_platform(parts, platforms.recognise(t.frame, fmt=fmt))


def _field_counts(parts: dict[str, Any]) -> dict[str, Any]:
    """Move the text reader's field-count columns out of the frame into RawExport's fields."""
    from survey_kit.ingest.textfile import EXTRA_FIELDS, N_FIELDS, N_HEADER_FIELDS

    frame = parts["frame"]
    if N_FIELDS not in frame.columns:
        return parts
    out = dict(parts)
    out["n_fields"] = frame[N_FIELDS].reset_index(drop=True)
    if EXTRA_FIELDS in frame.columns:
        out["extra_fields"] = frame[EXTRA_FIELDS].reset_index(drop=True)
    out["n_header_fields"] = frame.attrs.get(N_HEADER_FIELDS)
    out["frame"] = frame.drop(columns=[c for c in (N_FIELDS, EXTRA_FIELDS) if c in frame.columns])
    return out


def _with_platform(parts: dict[str, Any], facts: dict[str, Any], force: str | None = None) -> dict[str, Any]:
    out = _field_counts(dict(parts))
    notes = list(out.pop("notes", ()))
    if force == "surveyxact" and facts["platform"] != force:  # a workbook/triple without status columns
        facts = dict(
            platform=force, system_columns=surveyxact.system_columns(out["frame"].columns),
            status=surveyxact.status(out["frame"]), notes=[],
        )
    out["platform"] = facts["platform"]
    out["system_columns"] = tuple(facts["system_columns"])
    out["status"] = facts["status"]
    out["notes"] = tuple(notes + list(facts["notes"]))
    out["source_rows"] = np.asarray(out["source_rows"], dtype=np.int64)
    return out


def read_raw(path: str | Path, *, sheet: str | None = None) -> RawExport:
    """Read an export with :func:`read_export`: a DataError for a missing file or one without answers."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: filen findes ikke", en=f"{path}: file not found")
    raw = read_export(path, sheet=sheet)
    if raw.n_rows == 0:
        raise DataError(f"{raw.path}: filen har kun en overskrift og ingen besvarelser (0 rækker); "
                        "eksportér undersøgelsen igen, når der er svar",
                        en=f"{raw.path}: the file has a header but no responses (0 rows); export the survey "
                           "again once there are answers")
    return raw
