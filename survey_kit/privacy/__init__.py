"""Anonymity and safety: minimum-n suppression, pseudonymous keys, safe free text and cells."""

from __future__ import annotations

from survey_kit.privacy.keys import pseudonymise
from survey_kit.privacy.suppression import SUPPRESSED_LABEL, AuditLog, suppress_table

__all__ = ["SUPPRESSED_LABEL", "AuditLog", "pseudonymise", "suppress_table"]
