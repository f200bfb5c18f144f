"""Qualtrics and LimeSurvey CSV exports: extra header rows, system columns, completion status.

Qualtrics writes three header rows: variable names, question texts, and ``{"ImportId":"QID1"}``
cells; its legacy export two: ``V1, V2 ... Q1, Q2`` and a row naming the ``V`` columns
(``ResponseID``, ``ResponseSet`` ...) and giving the question texts. The rows below the header
that are not answers are removed here (their texts become ``variable_labels``), so row counts are
the true number of responses; source rows keep the file's line numbers. ``Finished`` (1/0) gives
the status (complete/partial). Layout as in ropensci/qualtRics ``inst/extdata/sample*.csv``.

LimeSurvey's response export starts with ``id, submitdate, lastpage, startlanguage``; a response
without ``submitdate`` is incomplete (partial). Its "question code & question text" heading style
(``G01Q01. How old are you?``) is split into the code (the column name) and the text.
The ImportId row is recognised in either quote style (``{"ImportId":"QID1"}``, ``{'ImportId': 'QID1'}``).
SurveyMonkey writes two header rows (question texts; answer options or "Response" below): they are
joined into one name per column (``Question - Option``).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

QUALTRICS_SYSTEM = (
    "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
    "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
    "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage",
    "ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "LocationAccuracy",
    "Q_RecaptchaScore", "Q_RelevantIDDuplicate", "Q_RelevantIDDuplicateScore", "Q_RelevantIDFraudScore",
)
LIMESURVEY_SYSTEM = (
    "id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr",
    "refurl", "token", "interviewtime",
)
_IMPORT_ID = re.compile(r"^\{\s*['\"]ImportId['\"]\s*:")
_LEGACY_V = re.compile(r"^V\d+$")


def strip_qualtrics_headers(frame: pd.DataFrame, source_rows: np.ndarray) -> dict[str, Any] | None:
    """The pieces of a Qualtrics export with its extra header rows removed, or None when the frame
    is not a Qualtrics export. Returns ``frame``, ``source_rows``, ``variable_labels``, ``notes``."""
    cols = [str(c) for c in frame.columns]
    if not len(frame):
        return None
    first = frame.iloc[0].astype("string")
    if len(frame) >= 2 and frame.iloc[1].astype("string").str.match(_IMPORT_ID).fillna(False).sum() >= max(2, len(cols) // 2):
        texts = {c: str(t).strip() for c, t in zip(frame.columns, first, strict=True)
                 if pd.notna(t) and str(t).strip() and str(t).strip() != str(c)}
        return dict(frame=frame.iloc[2:].reset_index(drop=True), source_rows=np.asarray(source_rows)[2:],
                    variable_labels=texts,
                    notes=["Qualtrics export: 2 header rows below the variable names (question texts, "
                           "ImportId) are not responses"])
    legacy = sum(bool(_LEGACY_V.match(c)) for c in cols) >= 3 and first.isin(["ResponseID", "ResponseSet"]).sum() >= 2
    if legacy:
        rename, texts = {}, {}
        for c, t in zip(frame.columns, first, strict=True):
            if pd.isna(t):
                continue
            if _LEGACY_V.match(str(c)):
                rename[c] = str(t).strip()
            elif str(t).strip() != str(c):
                texts[str(c)] = str(t).strip()
        out = frame.iloc[1:].rename(columns=rename).reset_index(drop=True)
        return dict(frame=out, source_rows=np.asarray(source_rows)[1:], variable_labels=texts,
                    notes=["Qualtrics legacy export: the row below the header (names of V1..Vn, question "
                           "texts) is not a response"])
    return None


def is_qualtrics(columns: Any) -> bool:
    names = {str(c) for c in columns}
    return len(names & {"StartDate", "EndDate", "Finished", "ResponseId", "ResponseID", "RecordedDate"}) >= 3


def qualtrics_status(frame: pd.DataFrame) -> pd.Series | None:
    if "Finished" not in frame.columns:
        return None
    done = frame["Finished"].astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=frame.index, dtype="str")
    out = out.mask(done.isin(["1", "true"]).fillna(False), "complete")
    return out.mask(done.isin(["0", "false"]).fillna(False), "partial")


def is_limesurvey(columns: Any) -> bool:
    head = [str(c).strip().lower() for c in list(columns)[:6]]
    return head[:1] == ["id"] and {"submitdate", "lastpage", "startlanguage"} <= set(head)


def limesurvey_status(frame: pd.DataFrame) -> pd.Series:
    col = next(c for c in frame.columns if str(c).strip().lower() == "submitdate")
    submitted = frame[col].notna() & (frame[col].astype("string").str.strip() != "")
    return pd.Series(np.where(submitted.to_numpy(dtype=bool), "complete", "partial"), index=frame.index, dtype="str")


# -- SurveyMonkey: two header rows ---------------------------------------------------------------
_SM_ID = {"respondent id", "collector id"}
_SM_PLAIN = {"", "response", "open-ended response", "open ended response"}


def strip_surveymonkey_headers(frame: pd.DataFrame, source_rows: np.ndarray) -> dict[str, Any] | None:
    """SurveyMonkey's CSV/xlsx export: question texts in the header (blank over the further options
    of a question), answer options or "Response" / "Open-Ended Response" in the row below. The two
    rows become one name per column ("Question - Option", or the question alone); None when the
    frame is not such an export."""
    cols = [str(c) for c in frame.columns]
    if not len(frame) or not _SM_ID <= {c.strip().lower() for c in cols}:
        return None
    sub = frame.iloc[0].astype("string").fillna("").str.strip()
    if not sub.str.lower().isin(["response", "open-ended response"]).any():
        return None
    names, head = [], ""
    for c, s in zip(cols, sub, strict=True):
        if not c.startswith("Unnamed: ") and c.strip():
            head = c.strip()
        name = head if s.lower() in _SM_PLAIN else f"{head} - {s}"
        names.append(name if name not in names else f"{name} ({len(names) + 1})")
    out = frame.iloc[1:].reset_index(drop=True)
    out.columns = names
    return dict(frame=out, source_rows=np.asarray(source_rows)[1:], variable_labels={},
                notes=["SurveyMonkey export: the second header row (answer options, 'Response') is joined to "
                       "the question texts above it and is not a response"])


# -- "code. question text" headers (LimeSurvey's "question code & question text" heading) ---------
_CODE_TEXT = re.compile(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_]+\])*)\.\s+(\S.*)$", re.S)


def split_code_text_headers(frame: pd.DataFrame) -> dict[str, Any] | None:
    """Headers written as ``code. question text`` (most columns): the code becomes the column name
    and the text its question text, so a draft and ingest agree on the name; None otherwise."""
    cols = [str(c) for c in frame.columns]
    parts = [_CODE_TEXT.match(c.strip()) for c in cols]
    if len(cols) < 2 or sum(p is not None for p in parts) < 0.6 * len(cols):
        return None
    codes = [p.group(1) if p else c for p, c in zip(parts, cols, strict=True)]
    if len(set(codes)) != len(codes):
        return None
    texts = {code: p.group(2).strip() for code, p in zip(codes, parts, strict=True) if p}
    out = frame.copy()
    out.columns = codes
    return dict(frame=out, variable_labels=texts,
                notes=["headers written as 'code. question text': the code is the column name, the text "
                       "the question"])
