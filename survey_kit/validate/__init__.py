"""Validation of survey data against a codebook: a pandera schema generated from the codebook,
a problems table (``respondent_id, row, column, value, rule, message``) in Danish or English,
and a report for the command line."""

from __future__ import annotations

from survey_kit.validate.messages import PROBLEM_COLUMNS
from survey_kit.validate.report import (
    RULE_ACTIONS,
    ValidationReport,
    validate_export,
    validate_frame,
)
from survey_kit.validate.schema import build_schema

__all__ = [
    "PROBLEM_COLUMNS",
    "RULE_ACTIONS",
    "ValidationReport",
    "build_schema",
    "validate_export",
    "validate_frame",
]
