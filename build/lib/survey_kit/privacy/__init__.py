"""Anonymity and safety: minimum-n and complementary suppression, a report-wide disclosure guard, a run-wide guard (``RunGuard``),
an adversarial checker, pseudonymous keys, safe free text and safe export cells."""

from __future__ import annotations

from survey_kit.privacy.cells import safe_cell, safe_frame
from survey_kit.privacy.checker import recoverable
from survey_kit.privacy.guard import DisclosureGuard
from survey_kit.privacy.keys import pseudonymise
from survey_kit.privacy.run import RunGuard, Scope, raw_codebook, respondent_counts
from survey_kit.privacy.suppression import SUPPRESSED_LABEL, AuditLog, suppress_table
from survey_kit.privacy.text import (
    CommentSelection,
    html_escape,
    looks_personal,
    mask_personal,
    safe_comments,
    select_comments,
)

__all__ = [
    "SUPPRESSED_LABEL",
    "AuditLog",
    "CommentSelection",
    "DisclosureGuard",
    "RunGuard",
    "Scope",
    "html_escape",
    "looks_personal",
    "mask_personal",
    "pseudonymise",
    "recoverable",
    "raw_codebook",
    "respondent_counts",
    "safe_cell",
    "safe_comments",
    "safe_frame",
    "select_comments",
    "suppress_table",
]
