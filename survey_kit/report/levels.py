"""The hierarchy around a report's scope (areas above units): the cells above a group and the
level below a scope. Pure functions of the codebook, shared by the engine, the sections and the
findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey_kit.codebook.model import Codebook

if TYPE_CHECKING:
    from survey_kit.report.context import Scope


def _ancestors(cb: Codebook, var: str, code: int) -> list[tuple[str, int]]:
    """The hierarchy cells above ``(var, code)``, top first (unit 101 -> [("omraade", 1)])."""
    out: list[tuple[str, int]] = []
    if var not in cb.hierarchy:
        return out
    i = cb.hierarchy.index(var)
    while i > 0:
        up = cb[cb.hierarchy[i]].parent.get(int(code))
        if up is None:
            break
        code, i = up, i - 1
        out.append((cb.hierarchy[i], int(code)))
    return list(reversed(out))


def next_level(cb: Codebook, scope: Scope) -> str | None:
    """The hierarchy level just below the scope's (the areas for the whole, units for an area)."""
    if not cb.hierarchy:
        return None
    if scope.var is None:
        return cb.hierarchy[0]
    if scope.var in cb.hierarchy:
        i = cb.hierarchy.index(scope.var)
        return cb.hierarchy[i + 1] if i + 1 < len(cb.hierarchy) else None
    return None
