"""Which survey platform wrote a table, and what that means: system columns, response status.

* SurveyXact: recognised by its status dummies ``statoverall_1..5`` (``stato_1..5`` in the API's
  8-character names) in any format, by the workbook's sheets (``Dataset`` + ``Labels``/
  ``Variables``/``Structure``), and by the CSV triple (``dataset.csv`` beside ``structure.csv``/
  ``labels.csv``); see :mod:`survey_kit.ingest.surveyxact`.
* Microsoft Forms: an xlsx whose first columns are ``ID``, ``Start time``, ``Completion time``
  (also the Danish Forms headers ``Id``, ``Starttidspunkt``, ``Tidspunkt for fuldførelse``).
  Multi-select answers stay as one cell ``a;b;``; Forms exports only submitted responses, so
  there is no status.
* Qualtrics (CSV with 3 header rows, legacy 2) and LimeSurvey CSV: see :mod:`.qualtrics`.
* Enalyzer: its downloads (xlsx, CSV, SPSS) carry no marker that tells them apart from a file an
  analyst made by hand (no fixed system columns), so they read as plain files (``platform=None``);
  SPSS downloads keep their value and variable labels through the SPSS reader.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from survey_kit.ingest import qualtrics, surveyxact

FORMS_ID = ("ID", "Id")
FORMS_SYSTEM = (
    "ID", "Id", "Start time", "Completion time", "Email", "Name", "Last modified time",
    "Starttidspunkt", "Tidspunkt for fuldførelse", "Fuldførelsestidspunkt", "Mail", "E-mail",
    "Navn", "Tidspunkt for seneste ændring", "Tidspunkt for sidste ændring",
)
_FORMS_TIMES = {
    "start time", "completion time", "starttidspunkt", "tidspunkt for fuldførelse",
    "fuldførelsestidspunkt",
}


def is_forms(columns: Any) -> bool:
    cols = [str(c).strip() for c in columns]
    head = [c.lower() for c in cols[:6]]
    return bool(cols) and cols[0] in FORMS_ID and len(_FORMS_TIMES & set(head)) >= 2


def multi_select_columns(frame: pd.DataFrame) -> list[str]:
    """Forms columns whose answers are ``;``-terminated lists (multi-select questions)."""
    out = []
    for col in frame.columns:
        s = frame[col]
        if s.dtype != "str" and s.dtype != object:
            continue
        v = s.dropna().astype(str)
        if len(v) and v.str.endswith(";").all():
            out.append(str(col))
    return out


def recognise(frame: pd.DataFrame, *, fmt: str) -> dict[str, Any]:
    """Platform facts for a plain table: ``platform``, ``system_columns``, ``status``, ``notes``."""
    if surveyxact.looks_like_surveyxact(frame.columns):
        return dict(
            platform="surveyxact",
            system_columns=surveyxact.system_columns(frame.columns),
            status=surveyxact.status(frame),
            notes=["SurveyXact data recognised by its status columns (statoverall_*/stato_*)"],
        )
    if qualtrics.is_qualtrics(frame.columns):
        system = tuple(c for c in frame.columns if str(c) in qualtrics.QUALTRICS_SYSTEM)
        return dict(platform="qualtrics", system_columns=system, status=qualtrics.qualtrics_status(frame),
                    notes=["Qualtrics export recognised by its StartDate/Finished/ResponseId columns"])
    if qualtrics.is_limesurvey(frame.columns):
        system = tuple(c for c in frame.columns if str(c).strip().lower() in qualtrics.LIMESURVEY_SYSTEM)
        return dict(platform="limesurvey", system_columns=system, status=qualtrics.limesurvey_status(frame),
                    notes=["LimeSurvey export recognised by its id/submitdate/lastpage/startlanguage columns; "
                           "responses without submitdate are partial"])
    if fmt in ("xlsx", "xml") and is_forms(frame.columns):
        system = tuple(c for c in frame.columns if str(c).strip() in FORMS_SYSTEM)
        multi = multi_select_columns(frame.drop(columns=list(system)))
        notes = ["Microsoft Forms export recognised by its ID/Start time/Completion time columns"]
        if multi:
            notes.append(f"multi-select answers ('a;b;') in column(s): {'; '.join(multi[:10])}")
        return dict(platform="forms", system_columns=system, status=None, notes=notes)
    return dict(platform=None, system_columns=(), status=None, notes=[])
