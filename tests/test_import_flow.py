"""Ingest one way (issue 14 point 6): validate imports nothing from ingest, codebook nothing from a
later stage; the data conventions live in codebook."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "survey_kit"


def _imports(folder: str) -> set[tuple[str, str]]:
    found = set()
    for path in (PKG / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add((path.name, node.module))
            elif isinstance(node, ast.Import):
                found.update((path.name, a.name) for a in node.names)
    return found


def test_validate_does_not_import_ingest():
    bad = {(f, m) for f, m in _imports("validate") if m.startswith("survey_kit.ingest")}
    assert not bad, bad


def test_codebook_imports_no_later_stage():
    later = ("survey_kit.ingest", "survey_kit.validate", "survey_kit.stats", "survey_kit.privacy",
             "survey_kit.charts", "survey_kit.report")
    bad = {(f, m) for f, m in _imports("codebook") if m.startswith(later)}
    assert not bad, bad


def test_conventions_are_shared_not_copied():
    from survey_kit.codebook import conventions
    from survey_kit.ingest import mapping
    from survey_kit.validate import schema

    assert mapping.SOURCE_ROW is conventions.SOURCE_ROW and schema.COMPLETE is conventions.COMPLETE
    assert mapping.code_dtype is conventions.code_dtype
