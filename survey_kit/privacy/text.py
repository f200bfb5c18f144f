"""Free text in reports: mask personal data, escape HTML, keep small groups out.

Reports never print CPR numbers, e-mail addresses or phone numbers (GDPR). :func:`mask_personal`
replaces them by ``[CPR]``, ``[e-mail]`` and ``[telefon]``:

* CPR: ``DDMMYY-XXXX``, ``DDMMYY XXXX`` and ``DDMMYYXXXX`` where DD is 01-31 and MM is 01-12 (the
  modulus-11 check is deliberately not used: CPR numbers issued since 2007 fail it, so any
  plausible date is masked). Not inside a longer run of digits.
* E-mail: ``local@domain.tld`` (Danish letters allowed).
* Phone: eight digits starting with 2-9 (Danish numbers), written together, in pairs (``20 30 40
  50``) or in fours (``2030 4050``), optionally after ``+45`` or ``0045``. Not inside a longer
  run of digits. Years ("2010"), times ("kl. 14-16"), dates and amounts are left alone.

Names of persons are *not* detected; comments still need a human read before publication.
"""

from __future__ import annotations

import html
import re

import pandas as pd

CPR_MASK = "[CPR]"
EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[telefon]"

_CPR = re.compile(
    r"(?<![\d\w])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-\u2010\u2011\u2013 ]?\d{4}(?![\d])"
)
_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", re.UNICODE)
_SEP = r"[ \u00a0]"
_PHONE = re.compile(
    r"(?<![\d+\w])(?<!\d[ \u00a0])"
    r"(?:(?:\+|00)45" + _SEP + r"?)?"
    r"(?:[2-9]\d{7}"
    r"|[2-9]\d" + _SEP + r"\d{2}" + _SEP + r"\d{2}" + _SEP + r"\d{2}"
    r"|[2-9]\d{3}" + _SEP + r"\d{4})"
    r"(?!\d|" + _SEP + r"\d)"
)


def html_escape(text: object) -> str:
    """HTML-escape text for rendering (``&``, ``<``, ``>``, quotes); NA becomes ``""``.

    >>> html_escape('<b>"Ja" & nej</b>')
    '&lt;b&gt;&quot;Ja&quot; &amp; nej&lt;/b&gt;'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True)


def mask_personal(text: str) -> str:
    """Replace CPR numbers, e-mail addresses and Danish phone numbers (rules in the module doc).

    >>> mask_personal("Ring til Anna på +45 20 30 40 50 eller anna@kommune.dk, cpr 010190-1234")
    'Ring til Anna på [telefon] eller [e-mail], cpr [CPR]'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    text = str(text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _CPR.sub(CPR_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)


def safe_comments(
    frame: pd.DataFrame,
    text_column: str,
    *,
    by: str | None = None,
    min_n: int = 5,
    escape: bool = True,
) -> pd.DataFrame:
    """Comments fit for a report: masked, escaped, no empty ones, none from small groups.

    Method: drop groups (of ``by``) with fewer than ``min_n`` rows in ``frame`` (pass every
    respondent, not only those who commented: the group size is what makes a comment anonymous),
    mask personal data (:func:`mask_personal`), HTML-escape (``html.escape``), drop comments that
    are empty after stripping, and sort them (by group, then text) so their order cannot be linked
    to the respondent order of other outputs.

    Parameters
    ----------
    frame : DataFrame
        One row per respondent; not modified.
    text_column : str
        The free-text column.
    by : str, optional
        A grouping column; comments are shown per group.
    min_n : int
        The minimum number of respondents in a group whose comments are shown.
    escape : bool
        HTML-escape the text (False for Excel output).

    Returns
    -------
    DataFrame
        Columns ``[by,] comment``.
    """
    if text_column not in frame:
        raise ValueError(f"text_column: {text_column!r} is not a column of the frame")
    if by is not None and by not in frame:
        raise ValueError(f"by: {by!r} is not a column of the frame")
    if min_n < 1:
        raise ValueError("min_n: must be at least 1")
    cols = [text_column] if by is None else [by, text_column]
    data = frame[cols].copy()
    if by is not None:
        size = data.groupby(by, dropna=False)[text_column].transform("size")
        data = data[size.to_numpy() >= min_n]
    elif len(data) < min_n:
        data = data.iloc[0:0]
    texts = data[text_column].map(mask_personal).str.strip()
    if escape:
        texts = texts.map(html_escape)
    out = pd.DataFrame({"comment": texts.astype("str")}, index=data.index)
    if by is not None:
        out.insert(0, by, data[by])
    out = out[out["comment"].str.len() > 0]
    return out.sort_values([*([by] if by else []), "comment"], kind="stable").reset_index(drop=True)
