"""Validation of survey data against a codebook: a pandera schema generated from the codebook and
the cross-column rules (:mod:`.schema`, :mod:`.rules`), run over a frame ingest has mapped; the
problems table (``respondent_id, row, column, value, rule, message``) in Danish or English and its
report (:mod:`.report`). Nothing here reads files or imports ingest: ingest orchestrates, and
:func:`survey_kit.ingest.validate_export` / :func:`survey_kit.ingest.validate_frame` are the
entry points.
"""

from __future__ import annotations

from survey_kit.validate.messages import PROBLEM_COLUMNS
from survey_kit.validate.report import Checked, ValidationReport, render_problems, report_from
from survey_kit.validate.rules import ISSUE_COLUMNS, RULE_ACTIONS, run_schema
from survey_kit.validate.schema import build_schema

__all__ = [
    "ISSUE_COLUMNS",
    "PROBLEM_COLUMNS",
    "RULE_ACTIONS",
    "Checked",
    "ValidationReport",
    "build_schema",
    "render_problems",
    "report_from",
    "run_schema",
]
