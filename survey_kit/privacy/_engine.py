"""Complementary (secondary) cell suppression on a set of additive relations.

The engine knows nothing about DataFrames. A *cell* is any hashable key with a respondent count
``n[key]`` (and optionally a count of positive answers ``pos[key]``). A :class:`Relation` says that
a published total cell is the sum of its part cells (the groups of one item add up to the item's
total; the units of an area add up to the area). Given the cells hidden for a primary reason, the
engine hides more cells until every relation satisfies these rules (a fixed point, so a cell hidden
for one relation is seen by every other relation it belongs to):

R1  *Total visible, some parts hidden*: at least two parts are hidden, and the hidden parts together
    rest on at least ``min_n`` respondents, and on more respondents than there are hidden parts (else
    each hidden part is known to hold exactly 1). Otherwise the smallest visible part (fewest
    respondents, ties in insertion order; parts with n = 0 never count) is hidden, and again, until
    the rule holds.
R2  *Shares*: when positive counts are known, the hidden parts must not be homogeneous (all
    positive or none positive), otherwise every hidden share is 100 % or 0 %: hide the next smallest
    part. (Skipped when the total itself is homogeneous: the total already tells everyone's answer.)
R3  *Nothing left to hide*: when R1 cannot be met with parts (e.g. only the total and one group),
    the total is hidden too.
R4  *Total hidden*: a hidden total whose parts are all visible is their sum, so the smallest part
    with n > 0 is hidden as well.

A cell in ``fixed`` was already published visibly (in an earlier table) and may not be hidden; a
relation that can only be protected by hiding a fixed cell is reported as a conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Relation:
    """``total`` = sum of ``parts`` (counts of respondents), protected at ``min_n``."""

    total: Hashable
    parts: tuple[Hashable, ...]
    min_n: int


def _shortfall(
    hid: list[Hashable],
    rel: Relation,
    count: Callable[[Hashable], float],
    homogeneous: Callable[[list[Hashable], Hashable], bool],
    upper: Mapping[Hashable, float] | None = None,
) -> str:
    """Why the hidden parts ``hid`` of a relation with a visible total are not yet safe ("" if safe)."""
    if len(hid) == 1:
        return "en enkelt skjult gruppe kan findes som total minus de viste"
    n_h = sum(count(k) for k in hid)
    if n_h < rel.min_n:
        return f"de skjulte grupper har tilsammen n={n_h:g} < {rel.min_n}"
    if n_h <= len(hid):
        return "alle skjulte grupper har n=1"
    if upper and all(upper.get(k) is not None for k in hid) and n_h >= sum(upper[k] for k in hid):
        return "alle i de skjulte grupper har svaret (n = antal ansatte)"
    if homogeneous(hid, rel.total):
        return "de skjulte grupper svarer alle ens"
    return ""


def _describe(key: Hashable) -> str:
    return str(key)


def complete_suppression(
    n: Mapping[Hashable, float],
    hidden: dict[Hashable, str],
    relations: list[Relation],
    *,
    pos: Mapping[Hashable, float] | None = None,
    fixed: frozenset | set = frozenset(),
    describe: Callable[[Hashable], str] = _describe,
    upper: Mapping[Hashable, float] | None = None,
) -> list[str]:
    """Extend ``hidden`` (cell -> reason, modified in place) until every relation is safe.

    ``upper``: public upper bounds of cells (staff numbers); hidden parts that are all at their
    bound are known exactly from their sum, so one more part is hidden.

    Returns a list of conflicts (Danish sentences); empty when all relations could be protected.
    """
    conflicts: list[str] = []
    order = {key: i for i, key in enumerate(n)}

    def count(key: Hashable) -> float:
        v = n.get(key)
        return 0.0 if v is None or v != v else float(v)

    def homogeneous(keys: list[Hashable], total: Hashable) -> bool:
        if pos is None:
            return False
        vals = [pos.get(k) for k in [*keys, total]]
        if any(v is None or v != v for v in vals):
            return False
        n_h = sum(count(k) for k in keys)
        p_h = sum(float(pos[k]) for k in keys)
        n_t, p_t = count(total), float(pos[total])
        if p_t == 0 or p_t == n_t:  # the published total already tells everyone's answer
            return False
        return p_h == 0 or p_h == n_h

    changed = True
    while changed:
        changed = False
        for rel in relations:
            parts = [p for p in rel.parts if p in n]
            hid = [p for p in parts if p in hidden]
            candidates = sorted(
                (p for p in parts if p not in hidden and p not in fixed and count(p) > 0),
                key=lambda p: (count(p), order.get(p, 0)),
            )
            if rel.total in hidden:
                if not hid and any(count(p) > 0 for p in parts):
                    if candidates:
                        hidden[candidates[0]] = (
                            f"sekundær: beskytter den skjulte total {describe(rel.total)}"
                        )
                        changed = True
                    else:
                        conflicts.append(
                            f"{describe(rel.total)} er skjult, men alle dele er allerede vist"
                        )
                continue
            if not hid:
                continue

            why = _shortfall(hid, rel, count, homogeneous, upper)
            while why and candidates:
                cell = candidates.pop(0)
                protected = ", ".join(describe(k) for k in hid)
                hidden[cell] = f"sekundær: beskytter {protected} ({why})"
                hid.append(cell)
                changed = True
                why = _shortfall(hid, rel, count, homogeneous, upper)
            n_h = sum(count(k) for k in hid)
            if why and (len(hid) == 1 or n_h < rel.min_n or n_h <= len(hid)):
                if rel.total in fixed:
                    conflicts.append(
                        f"{describe(rel.total)} er allerede vist, så "
                        f"{', '.join(describe(k) for k in hid)} kan ikke beskyttes ({why})"
                    )
                else:
                    hidden[rel.total] = f"sekundær: totalen skjules, da {why}"
                    changed = True
    return conflicts
