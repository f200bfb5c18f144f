"""Free text in reports: mask personal data, escape HTML, choose the comments a report shows.

Reports never print names, CPR numbers, e-mail addresses or phone numbers (GDPR).
:func:`mask_personal` replaces them by ``[navn]``, ``[CPR]``, ``[e-mail]`` and ``[telefon]``. The
text is first read through a detection copy (full-width and other-script digits as ASCII digits,
NFKC per character), so ``０４０５０６１２３７`` is found like ``0405061237``:

* CPR: a valid day (01-31) and month (01-12), two year digits and four digits, with or without
  separators between the parts: ``040506-1237``, ``04 05 06 1237``, ``05.06.07-1238``,
  ``070809 - 1240``, ``091011/1242``, ``04_05_06_1237``, ``cpr0405061237``. The modulus-11 check is
  deliberately not used (CPR numbers issued since 2007 fail it). A date alone (``12.03.2010``) is
  eight digits and never a CPR number.
* Phone: eight digits with any first digit, together (``12345678``), in pairs with one kind of
  separator (``12 34 56 78``, ``24-35-46-57``, ``24.35.46.57``), in fours (``2435 4657``) or
  ``123 45 678``, optionally after ``+45``, ``0045`` or ``(+45)``; not inside a longer run of
  digits. Left alone unless a phone cue (``tlf``, ``ring``, ``+45``) comes first: eight digits that
  are a date (``12032010``), two years (``2010-2014``) and amounts (``12345678 kr``).
* E-mail: ``local@domain.tld`` and obfuscated forms: ``carl(at)kommune.dk``,
  ``carl [at] kommune [dot] dk``, ``carl at kommune dot dk`` (with the word "at", only before a
  known top-level domain such as ``dk``, because "at" is a Danish word).
* Names: the 3,000 most common Danish first names and 500 most common surnames (Københavns
  Universitet, "Danskernes navne", CPR register 2005; ``privacy/data/names_da.csv`` names its
  source). A listed name is masked wherever it is capitalised, except at the start of a sentence
  when it is also an ordinary word ("Per", "Bo", "Hans", "Lykke"): there only beside another name.
  Any capitalised word right after a cue ("min leder", "lederen", "kollega(en)", "chefen",
  "hedder", "vores leder", ...) or joined to a name ("Hanne Kjærbøl") is masked too. A full name is
  one ``[navn]``. In lower case a listed name is masked when it is no ordinary word, neither Danish
  nor an everyday word of the other languages survey_kit reads (``privacy/data/words_other.txt``:
  "una", "else", "dina" ...); such words are names in lower case only after a cue or beside a
  surname ("min leder una", "una nielsen").

:func:`select_comments` then leaves out every comment that still looks personal after masking
(:func:`looks_personal`), shows equal comments once, drops small groups, and says so in Danish.
Masking finds most, not all, personal data: comments still deserve a human read before publication.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey_kit.privacy.patterns import (
    CPR,
    CPR_MASK,
    CPR_SHAPE,
    CUE_ANYWHERE,
    EMAIL,
    EMAIL_BARE,
    EMAIL_MASK,
    EMAIL_WORDS,
    NAME_MASK,
    PHONE_MASK,
    detection_copy,
    merge_spans,
    name_list,
    name_spans,
    phone_spans,
)

__all__ = [
    "CPR_MASK",
    "EMAIL_MASK",
    "NAME_MASK",
    "PHONE_MASK",
    "CommentSelection",
    "html_escape",
    "looks_personal",
    "mask_personal",
    "safe_comments",
    "select_comments",
]


def html_escape(text: object) -> str:
    """HTML-escape text for rendering (``&``, ``<``, ``>``, quotes); NA becomes ``""``.

    >>> html_escape('<b>"Ja" & nej</b>')
    '&lt;b&gt;&quot;Ja&quot; &amp; nej&lt;/b&gt;'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True)


def _is_na(text: object) -> bool:
    return text is None or (not isinstance(text, str) and bool(pd.isna(text)))


def mask_personal(text: object, *, names: bool = True) -> str:
    """Replace names, CPR numbers, e-mail addresses and Danish phone numbers (see module doc).

    Parameters
    ----------
    text : str
        Free text; NA becomes ``""``.
    names : bool
        Mask names of persons too (default); False masks only numbers and e-mails.

    Examples
    --------
    >>> mask_personal("Ring til Anna Kjærbøl på +45 12 34 56 78 eller anna(at)kommune.dk")
    'Ring til [navn] på [telefon] eller [e-mail]'
    >>> mask_personal("cpr 04 05 06 1237, min leder Kurt sagde det i 2010")
    'cpr [CPR], min leder [navn] sagde det i 2010'
    """
    if _is_na(text):
        return ""
    text = str(text)
    det = detection_copy(text)
    spans = [
        (m.start(), m.end(), EMAIL_MASK)
        for rx in (EMAIL, EMAIL_WORDS, EMAIL_BARE)
        for m in rx.finditer(det)
    ]
    spans += [(m.start(), m.end(), CPR_MASK) for rx in (CPR, CPR_SHAPE) for m in rx.finditer(det)]
    spans += [(s, e, PHONE_MASK) for s, e in phone_spans(det)]
    if names:
        spans += [(s, e, NAME_MASK) for s, e in name_spans(det)]
    out, pos = [], 0
    for s, e, mask in merge_spans(spans, det):
        out += [text[pos:s], mask]
        pos = e
    out.append(text[pos:])
    return "".join(out)


_MASKS = re.compile("|".join(re.escape(m) for m in (NAME_MASK, CPR_MASK, EMAIL_MASK, PHONE_MASK)))
_DATES = re.compile(r"\b[0-9]{1,2}[./-][0-9]{1,2}[./-](?:19|20)?[0-9]{2}\b|\b(?:1[0-9]|20)[0-9]{2}\b")
_AMOUNTS = re.compile(r"[0-9][0-9., ]*[0-9]\s*(?:kr\b|kr\.|kroner|dkk|mio|mia|,-)", re.IGNORECASE)
_THOUSANDS = re.compile(r"(?<![0-9.])[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![0-9.])")
_DIGITS = re.compile(r"(?<![0-9])[0-9](?:[^0-9A-Za-zÆØÅæøå\n]{0,3}[0-9]){6,}")
_AT = re.compile(r"@|[(\[{<]\s*at\s*[)\]}>]|\bsnabel-?a\b", re.IGNORECASE)
_LOWER_WORD = re.compile(r"[a-zæøåäöüé]+")


def looks_personal(masked: object) -> bool:
    """Whether a comment *after* :func:`mask_personal` may still identify a person.

    True when it still holds: a run of seven or more digits (separators allowed; dates, years,
    amounts and numbers with thousands separators do not count), an ``@`` or an ``(at)``, or a cue word ("min leder",
    "kollegaen", "hedder", ...) followed by a listed first name or surname written in lower case
    that is not an ordinary Danish word ("min leder kurt").

    >>> looks_personal("ring på 2 4 3 5 4 6 5 7"), looks_personal("Mødet var 12.03.2010 kl. 10")
    (True, False)
    """
    if _is_na(masked):
        return False
    det = _MASKS.sub(" ", detection_copy(str(masked)))
    scrubbed = _THOUSANDS.sub(" ", _AMOUNTS.sub(" ", _DATES.sub(" ", det)))
    if _DIGITS.search(scrubbed) or _AT.search(det):
        return True
    names = name_list()
    for m in CUE_ANYWHERE.finditer(det):
        nxt = _LOWER_WORD.match(det[m.end() :].lstrip(" ,:-–"))
        if nxt:
            entry = names.get(nxt.group().capitalize())
            if entry is not None and not entry[1]:
                return True
    return False


@dataclass(frozen=True)
class CommentSelection:
    """The comments a report shows, and how they were chosen.

    Attributes
    ----------
    comments : DataFrame
        Columns ``[by,] comment, count``: one row per distinct comment (``count`` times given).
    n_shown : int
        Rows of ``comments``.
    n_personal : int
        Comments left out because they still looked personal after masking.
    n_duplicates : int
        Comments merged into an equal comment (shown once).
    n_small_groups : int
        Non-empty comments from groups with fewer than ``min_n`` respondents (not shown).
    min_n : int
        The minimum group size.
    method : str
        Danish sentences for the report saying how the comments were chosen.
    """

    comments: pd.DataFrame
    n_shown: int
    n_personal: int
    n_duplicates: int
    n_small_groups: int
    min_n: int
    method: str
    n_available: int | None = None  # distinct comments fit to show, before a sample (None: all shown)


def _key(text: str) -> str:
    """The text two comments must share to count as equal: case, spaces and punctuation aside."""
    return " ".join(re.sub(r"[\W_]+", " ", str(text).casefold()).split())


def _spread_sample(groups: pd.Series, limit: int, rng) -> list[int]:
    """Positions of a random sample of ``limit`` rows spread over the groups: each group gets its
    share of the sample (largest remainder; at least one per group while there is room), drawn at
    random within the group."""
    n = len(groups)
    if limit >= n:
        return list(range(n))
    codes, uniq = pd.factorize(groups.astype("object").where(groups.notna(), "\0"), sort=True)
    counts = pd.Series(codes).value_counts().sort_index().to_numpy()
    quota = limit * counts / n
    take = quota.astype(int)
    if limit >= len(counts):
        take = pd.Series(take).clip(lower=1).to_numpy()
    take = take.clip(max=counts)
    while take.sum() > limit:
        take[int((take - quota).argmax())] -= 1
    while take.sum() < limit:
        room = (quota - take).astype(float)
        room[take >= counts] = -1e9
        take[int(room.argmax())] += 1
    chosen: list[int] = []
    for g, k in enumerate(take):
        pos = [i for i, c in enumerate(codes) if c == g]
        chosen += [int(x) for x in rng.choice(pos, size=int(k), replace=False)]
    return sorted(chosen)


def _method_text(n_personal: int, min_n: int) -> str:
    parts = ["Navne, CPR-numre, telefonnumre og e-mailadresser i kommentarerne er skjult."]
    if n_personal == 1:
        parts.append("1 kommentar er udeladt, fordi den kunne identificere en person.")
    elif n_personal > 1:
        parts.append(f"{n_personal} kommentarer er udeladt, fordi de kunne identificere en person.")
    parts.append(f"Kommentarer fra grupper med færre end {min_n} svar vises ikke.")
    parts.append("Ens kommentarer vises én gang.")
    return " ".join(parts)


def select_comments(
    frame: pd.DataFrame,
    text_column: str,
    *,
    by: str | None = None,
    min_n: int | None = None,
    escape: bool = True,
    limit: int | None = None,
    order: str = "group",
    seed: int = 0,
) -> CommentSelection:
    """Comments fit for a report, with counts of what was left out and a Danish method sentence.

    Method, in this order: drop groups (of ``by``; without ``by`` the whole frame) with fewer than
    ``min_n`` rows of ``frame`` (pass every respondent, not only those who commented: the group
    size is what makes a comment anonymous); mask personal data (:func:`mask_personal`); leave out
    comments that still look personal (:func:`looks_personal`); drop empty ones; show equal
    comments (same text after masking, case, spacing and punctuation ignored) once, under the first
    group (in group order) that gave it; HTML-escape (``html.escape``); sort by group, then text,
    so the order cannot be linked to the respondent order of other outputs. With ``limit``, a
    seeded random sample of that many distinct comments, spread over the groups in proportion to
    their comments (each group at least one while there is room); never the first ones in some
    order. The method sentence says how many of how many are shown and how they were drawn.

    Parameters
    ----------
    frame : DataFrame
        One row per respondent; not modified.
    text_column : str
        The free-text column.
    by : str, optional
        A grouping column; comments are shown per group.
    min_n : int, optional
        None means the survey default, 5 (select_comments has no codebook; pass the codebook's).
        The minimum number of respondents in a group whose comments are shown.
    escape : bool
        HTML-escape the text (False for Excel output).
    limit : int, optional
        Show at most this many comments (a random sample spread over the groups); None: all.
    order : {"group", "random"}
        Show them by group, then text (default), or in a random (seeded) order.
    seed : int
        Seed of the sample and of the random order (the same data give the same selection).

    Returns
    -------
    CommentSelection

    Examples
    --------
    >>> df = pd.DataFrame({"k": ["Godt", "godt ", "Ring til Per Nielsen", "ring 2 4 3 5 4 6 5 7", None]})
    >>> sel = select_comments(df, "k", min_n=5)
    >>> sel.comments["comment"].tolist(), sel.n_personal, sel.n_duplicates
    (['Godt', 'Ring til [navn]'], 1, 1)
    """
    if text_column not in frame:
        raise ValueError(f"text_column: {text_column!r} is not a column of the frame")
    if by is not None and by not in frame:
        raise ValueError(f"by: {by!r} is not a column of the frame")
    if min_n is None:
        from survey_kit.codebook import DEFAULT_MIN_N

        min_n = DEFAULT_MIN_N
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise ValueError("min_n: must be a whole number of at least 1")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError("limit: must be a whole number of at least 1, or None for all comments")
    if order not in ("group", "random"):
        raise ValueError(f"order: expected 'group' or 'random', got {order!r}")
    cols = [text_column] if by is None else [by, text_column]
    data = frame[cols]
    nonempty = data[text_column].map(lambda t: not _is_na(t) and bool(str(t).strip()))
    if by is not None:
        size = data.groupby(by, dropna=False)[text_column].transform("size").to_numpy()
        keep = size >= min_n
    else:
        keep = pd.Series(len(data) >= min_n, index=data.index).to_numpy()
    n_small = int((nonempty.to_numpy() & ~keep).sum())
    data = data[keep & nonempty.to_numpy()]
    texts = data[text_column].map(mask_personal).str.strip()
    personal = texts.map(looks_personal).to_numpy(dtype=bool)
    n_personal = int(personal.sum())
    texts = texts[~personal]
    out = pd.DataFrame({"comment": texts.astype("str")}, index=texts.index)
    if by is not None:
        out.insert(0, by, data.loc[texts.index, by])
    out = out[out["comment"].str.len() > 0]
    out["_key"] = out["comment"].map(_key)
    out = out[out["_key"].str.len() > 0]
    if by is not None:  # an equal comment is shown under the first group that gave it
        out = out.sort_values(by, kind="stable", na_position="last")
    agg = {"comment": ("comment", "first"), "count": ("comment", "size")}
    if by is not None:
        agg = {by: (by, "first"), **agg}
    counted = out.groupby("_key", dropna=False, sort=False).agg(**agg)
    counted = counted.reset_index(drop=True)
    n_dup = int(len(out) - len(counted))
    if escape:
        counted["comment"] = counted["comment"].map(html_escape)
    counted = counted.sort_values([*([by] if by else []), "comment"], kind="stable")
    counted = counted.reset_index(drop=True)
    counted["count"] = counted["count"].astype("int64")
    method = _method_text(n_personal, min_n)
    available = len(counted)
    rng = np.random.default_rng(seed)
    if limit is not None and available > limit:
        groups = counted[by] if by is not None else pd.Series(0, index=counted.index)
        counted = counted.iloc[_spread_sample(groups, limit, rng)].reset_index(drop=True)
        spread = " og fordelt på grupperne efter, hvor mange kommentarer de har" if by is not None else ""
        method += (f" Her vises {limit} af {available} kommentarer, udtrukket tilfældigt (med fast "
                   f"startværdi {seed}, så udtrækket kan gentages){spread}.")
    if order == "random":
        counted = counted.iloc[rng.permutation(len(counted))].reset_index(drop=True)
    return CommentSelection(
        comments=counted,
        n_shown=len(counted),
        n_personal=n_personal,
        n_duplicates=n_dup,
        n_small_groups=n_small,
        min_n=min_n,
        method=method,
        n_available=available,
    )


def safe_comments(
    frame: pd.DataFrame,
    text_column: str,
    *,
    by: str | None = None,
    min_n: int = 5,
    escape: bool = True,
) -> pd.DataFrame:
    """The comments of :func:`select_comments` as a frame (columns ``[by,] comment``).

    Kept for existing callers; use :func:`select_comments` to also get the counts of what was left
    out and the Danish sentence that says how the comments were chosen.
    """
    sel = select_comments(frame, text_column, by=by, min_n=min_n, escape=escape)
    return sel.comments.drop(columns="count")
