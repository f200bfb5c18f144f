"""Anonymity and safety: minimum-n and complementary suppression, a report-wide disclosure guard, a run-wide guard (``RunGuard``),
an adversarial checker, pseudonymous keys, safe free text and safe export cells."""

from __future__ import annotations

from survey_kit.privacy.cells import safe_cell, safe_frame
from survey_kit.privacy.checker import recoverable
from survey_kit.privacy.guard import DisclosureGuard
from survey_kit.privacy.keys import pseudonymise
from survey_kit.privacy.run import RunGuard, Scope, respondent_counts
from survey_kit.privacy.suppression import SUPPRESSED_LABEL, AuditLog, suppress_table
from survey_kit.privacy.text import html_escape, mask_personal, safe_comments

__all__ = [
    "SUPPRESSED_LABEL",
    "AuditLog",
    "DisclosureGuard",
    "RunGuard",
    "Scope",
    "html_escape",
    "mask_personal",
    "pseudonymise",
    "recoverable",
    "respondent_counts",
    "safe_cell",
    "safe_comments",
    "safe_frame",
    "suppress_table",
]
