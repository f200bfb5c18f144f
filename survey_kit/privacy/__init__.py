"""Anonymity and safety: minimum-n and complementary suppression, a report-wide disclosure guard, a run-wide guard (``RunGuard``),
an adversarial checker, pseudonymous keys, safe free text and safe export cells.

Names load lazily: ingest needs only :func:`pseudonymise` and the text masking, and should not pay
for the adversarial checker's imports (scipy.stats, HiGHS: about 2 s in a fresh process).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "safe_cell": "cells",
    "safe_frame": "cells",
    "recoverable": "checker",
    "DisclosureGuard": "guard",
    "pseudonymise": "keys",
    "RunGuard": "run",
    "DisclosureConflict": "run",
    "Ledger": "ledger",
    "Scope": "run",
    "raw_codebook": "run",
    "respondent_counts": "run",
    "SUPPRESSED_LABEL": "suppression",
    "AuditLog": "suppression",
    "suppress_table": "suppression",
    "CommentSelection": "text",
    "html_escape": "text",
    "looks_personal": "text",
    "mask_personal": "text",
    "safe_comments": "text",
    "select_comments": "text",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'survey_kit.privacy' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"survey_kit.privacy.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
