"""One date reader for drafting and ingest: the day/month order is decided from the whole column.

``12/03/2024`` is the 12th of March in Denmark and the 3rd of December in a Google Forms export
from the US. A single cell cannot tell; a column can: a first field above 12 (``21/08/2019``) means
day first, a second field above 12 (``8/21/2019``) month first. :func:`column_order` decides that
once per column from its distinct cells, and :func:`parse` reads every cell in that order, so the
drafted type and the ingested dates can never disagree (a column nothing decides is read day first,
the Danish order).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["column_order", "looks_like_dates", "parse"]

ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
NUMERIC = re.compile(
    r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$")


def column_order(values: Iterable[object]) -> str:
    """``"dmy"`` or ``"mdy"`` for a column's distinct cells: month first only when some second
    field exceeds 12 and no first field does."""
    day_first = month_first = False
    for v in values:
        m = NUMERIC.match(str(v).strip()) if isinstance(v, str) else None
        if m is None:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        day_first |= a > 12
        month_first |= b > 12
        if day_first:
            break
    return "mdy" if month_first and not day_first else "dmy"


def parse(text: str, order: str = "dmy") -> pd.Timestamp | None:
    """A date (and time) written as ISO or as day/month/year in ``order``; None if it is none."""
    s = text.strip()
    if ISO.match(s):
        ts = pd.Timestamp(s)
        return ts.tz_convert(None) if ts.tzinfo else ts
    m = NUMERIC.match(s)
    if m is None:
        return None
    a, b, y, hh, mm, ss, ampm = m.groups()
    day, month = (int(a), int(b)) if order == "dmy" else (int(b), int(a))
    year = int(y) if len(y) == 4 else 2000 + int(y) if int(y) < 70 else 1900 + int(y)
    hour = int(hh or 0)
    if ampm:
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    try:
        return pd.Timestamp(year, month, day, hour, int(mm or 0), int(ss or 0))
    except ValueError:
        return None


def looks_like_dates(values: Iterable[object], share: float = 0.9) -> bool:
    """At least ``share`` of the (distinct, non-empty) cells read as dates in the column's order."""
    cells = [str(v).strip() for v in values if str(v).strip()]
    if not cells:
        return False
    order = column_order(cells)
    return sum(parse(c, order) is not None for c in cells) >= share * len(cells)
