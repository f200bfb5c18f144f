"""Writing output files: one atomic writer and one safe CSV writer for every stage.

Not a stage of the flow: ingest, validate and the CLI all write through these two functions, so a
reader never sees a half-written file, a cell never runs as a formula, and a folder that cannot be
written is one Danish sentence (:class:`~survey_kit.errors.DataError`), never a traceback.
Cell safety is :func:`survey_kit.privacy.cells.safe_cell` (one implementation, a leaf module).
"""

from __future__ import annotations

import csv
import errno
import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from survey_kit.errors import DataError

_REASONS = {
    errno.EACCES: "der er ikke skriveadgang til mappen",
    errno.EPERM: "der er ikke skriveadgang til mappen",
    errno.EROFS: "mappen er skrivebeskyttet",
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "diskkvoten er brugt op",
    errno.ENOENT: "mappen findes ikke og kan ikke oprettes",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EISDIR: "stien er en mappe",
}


def write_error(path: Path, err: OSError) -> DataError:
    """A Danish sentence for a file that cannot be written."""
    reason = _REASONS.get(err.errno or 0, err.strerror or str(err) or type(err).__name__)
    return DataError(f"{path}: filen kan ikke skrives, fordi {reason}; vælg en anden mappe med --out",
                     en=f"{path}: the file cannot be written ({err.strerror or err}); choose another folder with --out")


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temp file in the same folder, fsync it, then ``os.replace`` onto ``path``.

    A reader never sees a half-written file, and a crash leaves the old file (or none) in place.
    A folder that cannot be created or written (no access, read-only, full disk) raises
    :class:`DataError` naming the file.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise write_error(path, err) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # readable like any file the analyst writes (mkstemp makes 0600)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise write_error(path, err) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def csv_bytes(frame: pd.DataFrame, *, text=str) -> bytes:
    """``frame`` as UTF-8 CSV: every cell formula-safe (``privacy.cells.safe_cell``) and every field
    quoted (so a bare CR or LF inside a value cannot split a row); NA is an empty field.

    ``text`` turns a non-NA value into its text (default ``str``).
    """
    from survey_kit.privacy.cells import safe_cell

    def cell(v: object) -> str:
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
            return ""
        return safe_cell(text(v))

    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([safe_cell(str(c)) for c in frame.columns])
    for row in frame.astype(object).itertuples(index=False, name=None):
        writer.writerow([cell(v) for v in row])
    return buf.getvalue().encode("utf-8")


def write_csv_atomic(frame: pd.DataFrame, path: str | Path, *, text=str) -> Path:
    """:func:`csv_bytes` written with :func:`atomic_write_bytes`."""
    return atomic_write_bytes(Path(path), csv_bytes(frame, text=text))
