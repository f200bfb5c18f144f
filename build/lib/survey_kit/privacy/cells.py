"""Safe cells for Excel and CSV exports (formula injection).

A text cell that begins with ``=``, ``+``, ``-`` or ``@`` (or with a tab or carriage return before
one, which spreadsheet programs skip) can be run as a formula when the file is opened, e.g. a
free-text answer ``=HYPERLINK("http://x", "klik")``. Following OWASP's advice on CSV injection, such
text is prefixed with an apostrophe, so it is shown as text. Numbers, dates, booleans and NA are left
as they are.
"""

from __future__ import annotations

import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> object:
    """Return ``value`` with an apostrophe in front when it is text that could run as a formula.

    >>> safe_cell("=1+1"), safe_cell("-5"), safe_cell(-5), safe_cell("Helt enig")
    ("'=1+1", "'-5", -5, 'Helt enig')
    """
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame, *, columns: bool = True) -> pd.DataFrame:
    """A copy of ``df`` with every text cell (and, with ``columns``, every column name) made safe.

    Method: :func:`safe_cell` on each value of the text columns (``str``/``object``/categorical
    dtypes); numeric and datetime columns are untouched, so numbers stay numbers.
    """
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if isinstance(col.dtype, pd.CategoricalDtype):
            out[c] = col.cat.rename_categories([safe_cell(v) for v in col.cat.categories])
        elif pd.api.types.is_string_dtype(col) or col.dtype == object:
            out[c] = col.map(safe_cell, na_action="ignore").astype(col.dtype)
    if columns:
        out.columns = [safe_cell(c) for c in out.columns]
    return out
