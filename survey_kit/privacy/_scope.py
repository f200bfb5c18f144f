"""Populations ("cells") of published numbers, normalised with the codebook hierarchy.

A cell is the set of respondents a number describes: column -> code conditions, e.g.
``{"bolge": 2, "enhed": 101}``. With the hierarchy ``omraade -> enhed`` (``Item.parent``), unit 101
implies its area, so ``{"omraade": 1, "enhed": 101}`` and ``{"enhed": 101}`` are the same cell.
Shared by the run guard (:mod:`survey_kit.privacy.run`) and the attacker
(:mod:`survey_kit.privacy.checker`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from survey_kit.codebook.model import Codebook

Cell = tuple[tuple[str, int], ...]


class EmptyCell(ValueError):
    """Conditions that no respondent can meet (a unit outside the report's area)."""


def as_code(value: object) -> int | None:
    """An integer group/wave code, or None for NA (a float 3.0 becomes 3)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"group code {value!r} is not an integer code") from None
    if not f.is_integer():
        raise ValueError(f"group code {value!r} is not an integer code")
    return int(f)


@dataclass(frozen=True)
class Scope:
    """The population a table describes: sorted ``(column, code)`` conditions."""

    conditions: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, conditions: Mapping[str, object] | None, hierarchy: Hierarchy | None = None) -> Scope:
        """A normalised scope from a mapping (``hierarchy`` drops the levels a finer one implies)."""
        items = {str(k): as_code(v) for k, v in (conditions or {}).items()}
        for k, v in items.items():
            if v is None:
                raise ValueError(f"scope: condition {k!r} has no code")
        cell = tuple(sorted(items.items()))  # type: ignore[arg-type]
        return cls(hierarchy.normalise(cell) if hierarchy else cell)

    def as_dict(self) -> dict[str, int]:
        return dict(self.conditions)


class Hierarchy:
    """The codebook's group hierarchy (``codebook.hierarchy`` + ``Item.parent``) and wave column."""

    def __init__(self, codebook: Codebook | None) -> None:
        self.codebook = codebook
        self.parents: dict[str, tuple[str, dict[int, int]]] = {}
        self.levels: tuple[str, ...] = ()
        self.wave = codebook.wave.column if codebook is not None and codebook.wave else "bolge"
        if codebook is not None:
            self.levels = tuple(codebook.hierarchy)
            for upper, lower in zip(codebook.hierarchy, codebook.hierarchy[1:], strict=False):
                self.parents[lower] = (upper, {int(k): int(v) for k, v in codebook[lower].parent.items()})

    def normalise(self, cell: Cell) -> Cell:
        """Drop conditions implied by a finer level; raise on a contradiction (unit not in area)."""
        d = dict(cell)
        for lower in reversed(self.levels):
            if lower in d and lower in self.parents:
                upper, mapping = self.parents[lower]
                if d[lower] not in mapping:
                    raise ValueError(f"{lower}={d[lower]} has no {upper} in the codebook")
                parent = mapping[d[lower]]
                if upper in d and d[upper] != parent:
                    raise EmptyCell(
                        f"{lower}={d[lower]} belongs to {upper}={parent}, not {upper}={d[upper]}"
                    )
                d.pop(upper, None)
        return tuple(sorted(d.items()))

    def with_(self, cell: Cell, column: str, code: int | None) -> Cell:
        """``cell`` with one more (or replaced) condition, normalised."""
        d = dict(cell)
        if code is None:
            d.pop(column, None)
        else:
            d[column] = code
        return self.normalise(tuple(sorted(d.items())))

    def parent_cells(self, cell: Cell, *, pool_waves: bool = False) -> list[tuple[Cell, str]]:
        """The cells one level up along each (non-wave) condition, with that condition's column.

        A unit's parent is its area; the parent along a column outside the hierarchy (or the top
        level) is the cell without that condition. ``cell`` adds up, with its siblings, to each.
        ``pool_waves``: the waves of a cell add up to the cell without a wave (every respondent
        answers in one wave), as when an explorer shows "all waves" beside one wave.
        """
        out = []
        d = dict(cell)
        for col, code in cell:
            if col == self.wave:
                if pool_waves:
                    out.append((tuple(sorted((c, v) for c, v in cell if c != col)), col))
                continue
            up = dict(d)
            if col in self.parents:
                upper, mapping = self.parents[col]
                up.pop(col)
                up[upper] = mapping[code]
            else:
                up.pop(col)
            out.append((tuple(sorted(up.items())), col))
        return out

    def population(self, cell: Cell) -> float | None:
        """Public staff number of a cell (``codebook.population``; sums up the hierarchy), or None."""
        if self.codebook is None or not self.codebook.population:
            return None
        rest = [(c, v) for c, v in cell if c != self.wave]
        if self.codebook.wave is not None and len(rest) == len(cell):
            return None  # all waves pooled: a person may answer in every wave
        pop = self.codebook.population
        if not rest:
            for lv in reversed(self.levels):
                if lv in pop:
                    return float(sum(pop[lv].values()))
            return None
        if len(rest) != 1:
            return None
        col, code = rest[0]
        if col in pop:
            v = pop[col].get(code)
            return None if v is None else float(v)
        if col in self.levels:  # an upper level: the sum of its members at a level with sizes
            members = {code}
            level = col
            for lower in self.levels[self.levels.index(col) + 1 :]:
                _, mapping = self.parents[lower]
                members = {u for u, p in mapping.items() if p in members}
                level = lower
                if level in pop:
                    sizes = [pop[level].get(u) for u in members]
                    return None if any(s is None for s in sizes) else float(sum(sizes))
        return None

    def describe(self, cell: Cell) -> str:
        """Danish description of a cell for the audit ("Aftaleenhed: Skole Hee, Måling: 2010")."""
        if not cell:
            return "I alt"
        parts = []
        for col, code in cell:
            if self.codebook is not None and col in self.codebook:
                item = self.codebook[col]
                parts.append(f"{item.label}: {item.values.get(code, code)}")
            else:
                parts.append(f"{col}={code}")
        return ", ".join(parts)
