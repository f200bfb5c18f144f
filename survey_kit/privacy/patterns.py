"""Patterns for personal data in Danish free text (private; used by :mod:`survey_kit.privacy.text`).

Every pattern runs on a *detection copy* of the text that has the same length as the text: each
character is replaced by its NFKC form when that is one character (full-width ``０４`` and ``＠``
become ``04`` and ``@``, no-break spaces become spaces) and every decimal digit of any script
becomes its ASCII digit. The spans found are then masked in the text itself.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

NAME_MASK = "[navn]"
CPR_MASK = "[CPR]"
EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[telefon]"

# ---------------------------------------------------------------------------------------------
# detection copy


def detection_copy(text: str) -> str:
    """Same length as ``text``; NFKC per character, digits of any script as ASCII digits."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        d = unicodedata.decimal(ch, None)
        if d is not None:
            out.append(str(d))
            continue
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# numbers: CPR and phone

_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_ZW = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width characters and the soft hyphen
# a separator inside a number: one of space . / _ dash (with spaces around it), or nothing
_IN = rf"(?:[ \t{_ZW}]*[./_{_DASH}][ \t{_ZW}]*|[ \t{_ZW}]{{1,3}})?"
_NOT_BEFORE = r"(?<![0-9])(?<![0-9][.,])"
_NOT_AFTER = r"(?![0-9])(?![.,][0-9])"

_DAY = r"(?:0[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0[1-9]|1[0-2])"
# DD MM YY, then four digits; any separator between the parts (none inside the last four)
CPR = re.compile(
    _NOT_BEFORE + _DAY + _IN + _MONTH + _IN + r"[0-9]{2}" + _IN + r"[0-9]{4}" + _NOT_AFTER
)

_PREFIX = rf"(?:(?:\(?(?:\+|00)[ ]?45\)?)[ \t{_DASH}.]*)?"
_SEP = rf"[ \t{_ZW}.{_DASH}/]"
PHONE = re.compile(
    _NOT_BEFORE
    + r"(?<![0-9][ .\-/])"
    + r"(?P<prefix>"
    + _PREFIX
    + r")"
    + r"(?P<number>"
    + r"[0-9]{8}"  # 12345678
    + rf"|[0-9]{{2}}(?P<s>{_SEP}{{1,2}})[0-9]{{2}}(?P=s)[0-9]{{2}}(?P=s)[0-9]{{2}}"  # 12 34 56 78
    + rf"|[0-9]{{4}}{_SEP}{{1,3}}[0-9]{{4}}"  # 1234 5678
    + r"|[0-9]{3}[ ][0-9]{2}[ ][0-9]{3}"  # 123 45 678
    + r")"
    + _NOT_AFTER
    + r"(?![ .\-/][0-9])"
)
# any six digits, a separator, four digits: the shape of a CPR number even when the date is not
# one (121314_1245), as people write them
CPR_SHAPE = re.compile(
    _NOT_BEFORE + r"[0-9]{6}" + rf"[ \t{_ZW}]*[./_{_DASH}][ \t{_ZW}]*" + r"[0-9]{4}" + _NOT_AFTER
)
_YEAR = re.compile(r"(?:1[0-9]|20)[0-9]{2}")
_DATE8 = re.compile(_DAY + _MONTH + r"(?:19|20)[0-9]{2}")
_MONEY_AFTER = re.compile(r"\s*(?:kr\b|kr\.|kroner|dkk|,-|mio|mia|euro|€)", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:kr\.?|dkk|€)\s*$", re.IGNORECASE)
_PHONE_CUE = re.compile(r"(?:tlf|telefon|mobil|mob|ring|sms|nr)\.?\s*[:.]?\s*$", re.IGNORECASE)


def phone_spans(det: str) -> list[tuple[int, int]]:
    """Spans of Danish phone numbers in the detection copy (not dates, year ranges or amounts)."""
    spans = []
    for m in PHONE.finditer(det):
        number = m.group("number")
        digits = re.sub(r"[^0-9]", "", number)
        before, after = det[max(0, m.start() - 20) : m.start()], det[m.end() : m.end() + 20]
        cued = bool(m.group("prefix")) or bool(_PHONE_CUE.search(before))
        if not cued:
            if _MONEY_AFTER.match(after) or _MONEY_BEFORE.search(before):
                continue
            if len(number) == 8 and _DATE8.fullmatch(digits):  # 12032010 is a date
                continue
            halves = re.split(_SEP + "+", number)
            if len(halves) == 2 and all(_YEAR.fullmatch(h) for h in halves):  # 2010-2014
                continue
        spans.append((m.start(), m.end()))
    return spans


# ---------------------------------------------------------------------------------------------
# e-mail, also obfuscated: carl(at)kommune.dk, carl [at] kommune [dot] dk, carl at kommune dot dk

_LOCAL = r"[\w.+%\-]+"
_AT_SYMBOL = r"\s*(?:@|\(\s*at\s*\)|\[\s*at\s*\]|\{\s*at\s*\}|<\s*at\s*>|\(\s*snabel-?a\s*\))\s*"
_AT_WORD = r"\s+(?:at|snabel-?a)\s+"
_DOT_SYMBOL = r"\s*(?:\.|\(\s*(?:dot|punktum)\s*\)|\[\s*(?:dot|punktum)\s*\]|\{\s*dot\s*\})\s*"
_DOT_WORD = r"\s+(?:dot|punktum)\s+"
_LABEL = r"[\w\-]+"
_TLD = r"(?:dk|com|net|org|eu|nu|se|no|de|fo|gl|info|io|biz|gov|edu|uk|me)"
EMAIL = re.compile(
    rf"{_LOCAL}{_AT_SYMBOL}{_LABEL}(?:(?:{_DOT_SYMBOL}|{_DOT_WORD}){_LABEL})*"
    rf"(?:{_DOT_SYMBOL}|{_DOT_WORD})(?:[A-Za-z]{{2,}})\b",
    re.IGNORECASE,
)
# "dorte"@kommune.dk, lars@kommune (no top-level domain): anything@word
EMAIL_BARE = re.compile(
    rf"(?:\"[^\"\n]{{1,64}}\"|'[^'\n]{{1,64}}'|{_LOCAL}){_AT_SYMBOL}{_LABEL}(?:\.{_LABEL})*",
    re.IGNORECASE,
)
EMAIL_WORDS = re.compile(  # "carl at kommune dot dk": a known top-level domain is required
    rf"{_LOCAL}{_AT_WORD}{_LABEL}(?:(?:{_DOT_SYMBOL}|{_DOT_WORD}){_LABEL})*"
    rf"(?:{_DOT_SYMBOL}|{_DOT_WORD}){_TLD}\b",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------------------
# names

_UP = "A-ZÆØÅÄÖÜÉÈÁÍÓÚ"
_LOW = "a-zæøåäöüéèëáíóúïâêîôûçñ"
WORD = re.compile(rf"[{_UP}{_LOW}][{_LOW}{_UP}]*(?:['’]s)?(?:-[{_UP}{_LOW}][{_LOW}{_UP}]*)*")
_CUES = (
    r"(?:min|vores|jeres|hans|hendes|deres|den|ny|nye|gamle|nærmeste|daglige?)\s+"
    r"(?:nærmeste\s+)?(?:leder|chef|kollega|kollegaer|kolleger|mellemleder|direktør|"
    r"afdelingsleder|teamleder|souschef|formand|tillidsrepræsentant|medarbejder|makker)",
    r"lederen|chefen|kollegaen|kollegerne|kollegaerne|kollega|kollegaer|mellemlederen|"
    r"afdelingslederen|teamlederen|souschefen|direktøren|formanden|tillidsrepræsentanten|"
    r"medarbejderen|sagsbehandleren|borgeren|lederne|kontaktpersonen|vikaren",
    r"hedder|hed|kaldet|ved\s+navn|navnet|hr\.|fru|frk\.|tr|amr",
)
_CUE_GAP = re.compile(r"\s*[,:\-–]\s*|\s+")
CUE_ANYWHERE = re.compile(rf"\b(?:{'|'.join(_CUES)})\b", re.IGNORECASE)
_OPENERS = " \t\n\r\"'“”«»()[]*-–—"


def _opens_sentence(det: str, start: int) -> bool:
    """Whether position ``start`` opens a sentence (text start, or after . ! ? : ; or a new line)."""
    before = det[max(0, start - 40) : start]
    stripped = before.rstrip(_OPENERS)
    if not stripped:
        return start - len(before) == 0 or before[:1] in "\n\r" or "\n" in before
    return stripped[-1] in ".!?:;•" or "\n" in before[len(stripped) :]


@lru_cache(maxsize=1)
def name_list() -> dict[str, tuple[str, bool]]:
    """Name -> (kind, is an ordinary word) from ``data/names_da.csv`` (source in its header)."""
    text = resources.files("survey_kit.privacy").joinpath("data/names_da.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    out: dict[str, tuple[str, bool]] = {}
    for r in rows:
        name = r["name"]
        if name not in out:
            out[name] = (r["kind"], r["word"] == "1")
        else:  # a first name and a surname: ambiguous if either is a word
            out[name] = (out[name][0], out[name][1] or r["word"] == "1")
    return out


@lru_cache(maxsize=1)
def other_words() -> frozenset[str]:
    """Listed names that are everyday words in another language survey_kit reads ("una", "else",
    "dina"), from ``data/words_other.txt``: in lower case they are words unless a cue or a surname
    makes them a name; capitalised they are names as before ("Else sagde det")."""
    text = resources.files("survey_kit.privacy").joinpath("data/words_other.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _lookup(token: str) -> tuple[bool, bool]:
    """(is a known name, is also an ordinary word) for a token, its genitive or hyphenated parts."""
    names = name_list()
    base = re.sub(r"['’]s$", "", token)
    parts = base.split("-")
    if all(p in names for p in parts):
        return True, any(names[p][1] for p in parts)
    if base.endswith("s") and "-" not in base and base[:-1] in names:  # genitive: Hannes, Pers
        return True, names[base[:-1]][1]
    return False, False


def name_spans(det: str) -> list[tuple[int, int]]:
    """Spans of person names: known names, words after a cue ("min leder X"), and their neighbours.

    A capitalised token is a name when it is a known name and either not an ordinary word or not
    at the start of a sentence (Danish capitalises only names inside a sentence); any capitalised
    token directly after a cue word, and any capitalised token joined (by one space or hyphen) to a
    name, is a name too. Words wholly in capitals are names only as two listed names side by side
    ("PER NIELSEN"); other capitals are acronyms.
    """
    toks = [m for m in WORD.finditer(det) if m.group()[0].isupper() and not m.group().isupper()]
    cue_ends = [m.end() for m in CUE_ANYWHERE.finditer(det)] if toks else []
    is_name = [False] * len(toks)
    for i, m in enumerate(toks):
        tok = m.group()
        known, word = _lookup(tok)
        start = _opens_sentence(det, m.start())
        cued = (
            any(e < m.start() and _CUE_GAP.fullmatch(det[e : m.start()]) for e in cue_ends)
            if cue_ends
            else False
        )
        if cued or (known and (not word or not start)):
            is_name[i] = True  # (an ordinary word at a sentence start: only beside a name)
    # neighbours: "Per Nielsen", "Hans Kjærbøl", "Kontakt Anne-Mette Kjærbøl"
    changed = True
    while changed:
        changed = False
        for i in range(len(toks) - 1):
            a, b = toks[i], toks[i + 1]
            gap = det[a.end() : b.start()]
            if gap not in (" ", "-"):
                continue
            ka, kb = _lookup(a.group())[0], _lookup(b.group())[0]
            if is_name[i] and not is_name[i + 1] and (ka or kb):
                is_name[i + 1] = changed = True
            elif is_name[i + 1] and not is_name[i] and ka:
                is_name[i] = changed = True
    # the same name again ("Peter Wiese ... idet Wiese"), unless an ordinary word opens a sentence
    seen = {m.group() for m, n in zip(toks, is_name, strict=True) if n}
    for i, m in enumerate(toks):
        if not is_name[i] and m.group() in seen:
            word = _lookup(m.group())[1]
            is_name[i] = not (word and _opens_sentence(det, m.start()))
    spans = [(m.start(), m.end()) for m, n in zip(toks, is_name, strict=True) if n]
    spans += _lower_case_names(det)
    # a full name in capitals ("PER NIELSEN"): two listed names side by side
    caps = [m for m in WORD.finditer(det) if len(m.group()) > 1 and m.group().isupper()]
    for a, b in zip(caps, caps[1:], strict=False):
        if det[a.end() : b.start()] in (" ", "-") and all(
            _lookup(x.group().capitalize())[0] for x in (a, b)
        ):
            spans += [(a.start(), a.end()), (b.start(), b.end())]
    return spans


#: Listed first names that lower-case Danish text uses as ordinary words or abbreviations
#: ("max 5 minutter"); a lone one is not masked (a full name or a cue still is).
_LOWER_WORDS = frozenset({"max", "sam", "ken", "bent", "lis", "tim", "dan", "ask", "kai", "bo"})
_LOWER = re.compile(rf"(?<![{_UP}{_LOW}])[{_LOW}]{{2,}}(?:-[{_LOW}]{{2,}})?(?![{_UP}{_LOW}])")


def _lower_case_names(det: str) -> list[tuple[int, int]]:
    """Names written in lower case ("spørg jens nielsen", "min leder mette"): a listed first name
    followed by a listed surname that is no ordinary word; a listed name that is no ordinary word
    after a cue ("min leder", "kollegaen"); a listed first name of three or more letters that is no
    ordinary word (lower-case Danish text has no other use for "mette" or "lars")."""
    names = name_list()
    toks = list(_LOWER.finditer(det))
    cue_ends = [m.end() for m in CUE_ANYWHERE.finditer(det)]
    out: list[tuple[int, int]] = []
    for i, m in enumerate(toks):
        entry = names.get(m.group().capitalize())
        if entry is None:
            continue
        kind, word = entry
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and det[m.end() : nxt.start()] in (" ", "-") and kind == "first":
            last = names.get(nxt.group().capitalize())
            if last is not None and last[0] == "last" and not last[1]:
                out += [(m.start(), m.end()), (nxt.start(), nxt.end())]
                continue
        cued = any(e <= m.start() and _CUE_GAP.fullmatch(det[e : m.start()]) for e in cue_ends)
        if not word and (cued or (kind == "first" and len(m.group()) >= 3
                                  and m.group() not in _LOWER_WORDS and m.group() not in other_words())):
            out.append((m.start(), m.end()))
    return out


def merge_spans(spans: list[tuple[int, int, str]], det: str) -> list[tuple[int, int, str]]:
    """Sort spans, drop those inside an earlier one, and join neighbouring names ("[navn]")."""
    out: list[tuple[int, int, str]] = []
    for s, e, mask in sorted(spans, key=lambda x: (x[0], -x[1])):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e, out[-1][2])
            continue
        if out and mask == NAME_MASK == out[-1][2] and det[out[-1][1] : s] in (" ", "-"):
            out[-1] = (out[-1][0], e, mask)
            continue
        out.append((s, e, mask))
    return out
