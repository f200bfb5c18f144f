"""Codebooks: the instrument model, the shipped instruments, and drafting one from an export."""

from __future__ import annotations

from importlib import resources

from survey_kit.codebook.model import (
    DEFAULT_MIN_N,
    Codebook,
    CodebookError,
    Condition,
    Item,
    RespondentId,
    Scale,
    Wave,
    load_codebook,
    parse_codebook,
)

__all__ = [
    "DEFAULT_MIN_N",
    "Codebook",
    "CodebookError",
    "Condition",
    "Item",
    "RespondentId",
    "Scale",
    "Wave",
    "instrument",
    "instruments",
    "load_codebook",
    "parse_codebook",
]


def instruments() -> list[str]:
    """Names of the instruments shipped with survey_kit."""
    root = resources.files("survey_kit.codebook") / "instruments"
    # <name>.report.yaml beside a codebook is its report spec, not an instrument
    return sorted(p.name.removesuffix(".yaml") for p in root.iterdir()
                  if p.name.endswith(".yaml") and not p.name.endswith(".report.yaml"))


def instrument(name: str) -> Codebook:
    """Load a shipped instrument by name (``lederudvikling_2008``, ``temperaturmaaling`` ...)."""
    names = instruments()
    if name not in names:
        raise CodebookError(f"unknown instrument {name!r}; shipped instruments: {', '.join(names)}")
    root = resources.files("survey_kit.codebook") / "instruments"
    with resources.as_file(root / f"{name}.yaml") as path:
        return load_codebook(path)
