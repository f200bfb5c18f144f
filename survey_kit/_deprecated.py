"""Old public names kept working for a while, each with a ``DeprecationWarning`` naming its
replacement (one name per thing; ``survey_kit.__getattr__`` resolves them, ``__all__`` lists only
the new names)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

#: old name in ``survey_kit`` -> the name to use instead
RENAMED = {
    "infer_codebook": "draft_codebook(path).codebook",
    "danish": "present(result).frame",
    "export": "save_chart",
}


def warn(old: str, new: str) -> None:
    """The one deprecation sentence: which name is old and what to write instead."""
    warnings.warn(f"survey_kit.{old} is deprecated; use survey_kit.{new} (same arguments)",
                  DeprecationWarning, stacklevel=3)


def infer_codebook(path: str | Path, *, instrument: str | None = None, sheet: str | None = None) -> Any:
    """Deprecated: ``draft_codebook(path, ...).codebook`` (the draft without its notes)."""
    warn("infer_codebook", RENAMED["infer_codebook"])
    from survey_kit.ingest.infer import draft_codebook

    return draft_codebook(path, instrument=instrument, sheet=sheet).codebook
