"""Map an export and run validation's rules on it: the bridge from ingest to validate.

Ingest orchestrates read -> map -> validate -> write. This module maps a :class:`RawExport`
(:mod:`.mapping`), runs :func:`survey_kit.validate.rules.run_schema` on the answered rows, adds
the reader's field-count findings (rows with more or fewer fields than the header, handed over in
``RawExport.n_fields``/``extra_fields``), and hands a :class:`survey_kit.validate.report.Checked`
to the report. :func:`validate_export` and :func:`validate_frame` are the public entry points.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook
from survey_kit.codebook.conventions import SOURCE_ROW
from survey_kit.ingest.mapping import Mapped, map_export, not_answered_mask
from survey_kit.ingest.raw import RawExport
from survey_kit.ingest.readers import read_raw
from survey_kit.validate.messages import check_lang
from survey_kit.validate.report import Checked, ValidationReport, report_from
from survey_kit.validate.rules import issues_frame, run_schema

__all__ = ["check_mapped", "check_raw", "validate_export", "validate_frame"]


def check_raw(raw: RawExport, codebook: Codebook, *, key: bytes | str | None = None,
              require_key: bool = True) -> tuple[Checked, Mapped]:
    """Map ``raw`` onto ``codebook`` and run every rule; rows that are not answers are skipped."""
    mapped = map_export(raw, codebook, key=key, require_key=require_key)
    return check_mapped(raw, mapped, codebook), mapped


def check_mapped(raw: RawExport, mapped: Mapped, codebook: Codebook, *, rules: bool = True) -> Checked:
    """Run the rules (``rules=False``: only mapping's issues) on a mapped export."""
    frame = mapped.frame
    status = mapped.status.astype(object)
    not_answered = not_answered_mask(status)
    rejected = status.eq("rejected").to_numpy(dtype=bool)
    skip = not_answered | rejected
    issues = mapped.issues
    if len(issues) and skip.any():
        keep = (issues["pos"] < 0) | ~skip[issues["pos"].clip(lower=0).to_numpy()]
        issues = issues[keep.to_numpy(dtype=bool)]
    if rules:
        schema_issues = run_schema(frame.loc[~skip], codebook)
        field_issues = _field_count_issues(raw)
        issues = pd.concat([x for x in (issues, schema_issues, field_issues) if len(x)] or [issues],
                           ignore_index=True)
        empty = set(issues.loc[issues["rule"] == "empty_row", "pos"])
        if empty:  # an empty row is one problem, not also a missing id and a wrong value
            drop = issues["pos"].isin(empty) & ~issues["rule"].isin(["empty_row", "extra_fields"])
            issues = issues[~drop.to_numpy(dtype=bool)]
    return Checked(
        frame=frame, issues=issues.reset_index(drop=True), source_rows=np.asarray(raw.source_rows, dtype=np.int64),
        not_answered=not_answered, rejected=rejected, header_row=raw.header_row,
        hide_ids=bool(mapped.ephemeral_key and codebook.respondent_id.personal),
        matched=dict(mapped.matched), notes=tuple(raw.notes),
    )


def _field_count_issues(raw: RawExport) -> pd.DataFrame:
    """Rows of a text export with more fields than the header (``extra_fields``: the extra values
    are kept) or fewer (``short_row``: padded with blanks), from ``RawExport.n_fields``."""
    if raw.n_fields is None:
        return issues_frame([])
    counts = raw.n_fields
    extra = raw.extra_fields if raw.extra_fields is not None else pd.Series(pd.NA, index=counts.index)
    n_header = int(raw.n_header_fields or len(raw.frame.columns))
    rows = []
    for pos in np.flatnonzero(counts.notna().to_numpy(dtype=bool)):
        n = int(counts.iat[pos])
        long = n > n_header and pd.notna(extra.iat[pos])
        rows.append({"pos": int(pos), "column": "", "value": extra.iat[pos] if long else None,
                     "rule": "extra_fields" if long else "short_row",
                     "detail": {"n_fields": n, "n_header": n_header}})
    return issues_frame(rows)


def validate_frame(frame: pd.DataFrame, codebook: Codebook, *, lang: str = "da",
                   key: bytes | str | None = None) -> ValidationReport:
    """Validate an in-memory DataFrame (raw answers or processed data) against a codebook.

    Rows are numbered as in a file with a header row (first data row = row 2) unless the frame
    has a ``_source_row`` column. The frame is not modified.
    """
    check_lang(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame: expected a pandas DataFrame, got {type(frame).__name__}")
    if SOURCE_ROW in frame.columns:
        rows = pd.to_numeric(frame[SOURCE_ROW], errors="coerce").fillna(0).astype("int64").to_numpy()
    else:
        rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    raw = RawExport(frame=frame.reset_index(drop=True), source_rows=rows, path=Path("<DataFrame>"),
                    sha256="", n_bytes=0, format="frame")
    checked, _ = check_raw(raw, codebook, key=key, require_key=False)
    return report_from(checked, codebook, lang=lang, source="DataFrame")


def validate_export(path: str | Path, codebook: Codebook, *, lang: str = "da",
                    sheet: str | None = None, key: bytes | str | None = None) -> ValidationReport:
    """Read an export and report every problem against ``codebook`` (pandera, ``lazy=True``).

    Personal ids are pseudonymised with ``key`` (or ``$SURVEY_KIT_KEY``); without a key they are
    hashed with a throw-away key and left out of the report, which then names rows only.
    """
    check_lang(lang)
    raw = read_raw(path, sheet=sheet)
    checked, _ = check_raw(raw, codebook, key=key, require_key=False)
    return report_from(checked, codebook, lang=lang, source=str(path))


def map_to_codebook(raw: RawExport, codebook: Codebook, *, key: bytes | str | None = None,
                    lang: str = "da") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Map an export onto a codebook: ``(frame, problems)``.

    ``frame`` has the codebook's ``data_columns`` (nullable ``Int8``/``Int16`` codes, ``Float64``
    numbers, ``datetime64[us]`` dates, ``string`` text) plus ``_source_row`` and ``_complete``;
    personal ids are replaced by ``survey_kit.privacy.pseudonymise`` with ``key`` (or
    ``$SURVEY_KIT_KEY``; a :class:`DataError` when neither is set). ``problems`` lists what could
    not be mapped (unknown/missing columns, values of the wrong type) as
    ``respondent_id, row, column, value, rule, message``; codebook rules are checked by
    :func:`survey_kit.validate.validate_frame`, not here.

    Examples
    --------
    >>> from survey_kit.codebook import instrument
    >>> raw = RawExport(pd.DataFrame({"respondentid": ["1"], "sektor": ["Skole"]}),
    ...                 np.array([2]), path=None, sha256="", n_bytes=0, format="csv")
    >>> frame, problems = map_to_codebook(raw, instrument("lederudvikling_2008"))
    >>> int(frame.loc[0, "sektor"])
    1
    """
    from survey_kit.validate.report import render_problems

    mapped = map_export(raw, codebook, key=key, require_key=True)
    checked = check_mapped(raw, mapped, codebook, rules=False)
    return mapped.frame.copy(), render_problems(checked, codebook, lang=lang)
