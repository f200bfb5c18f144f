"""What one column of an export is, for :mod:`survey_kit.ingest.infer` (the per-column rules).

Each function returns plain item dicts (the YAML a codebook holds) plus ``_notes``: :class:`Note`
sentences about what the analyst must check, which the draft prints as comments.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd

from survey_kit.codebook.label_order import negative_stem, order_from_labels
from survey_kit.codebook.scales import (
    AnswerScale,
    find_scales,
    is_dont_know,
    normalise_label,
    polarity,
)
from survey_kit.ingest.raw import RawExport


class Note(str):
    """A sentence for the analyst to check: the Danish text (the string itself) and its English
    wording in ``en``. Notes compare and de-duplicate by their Danish text."""

    en: str

    def __new__(cls, da: str, en: str) -> Note:
        note = super().__new__(cls, da)
        note.en = en
        return note

    def text(self, lang: str = "da") -> str:
        return self.en if lang == "en" else str(self)


_SCALE_WORDS = re.compile(
    r"\b(?:enig|uenig|grad\b|agree|disagree|tilfreds|satisf|altid|aldrig|ofte|sjælden|never|always|often|"
    r"rarely|meget god|god|dårlig|good|poor|bad|excellent|vigtig|important|likely|sandsynlig|"
    r"høj grad|lav grad|slet ikke|i nogen grad|rigtigt|instämmer|stämmer|fornøyd|nöjd|viktig)",
    re.I,
)
_MEASURE = re.compile(r"\b(?:alder|age|antal|number|count|timer|hours|år|years|score|total|beløb|kr)\b", re.I)
#: A question asking for an amount, in eight languages: its whole-number answers are numbers, not codes.
_HOW_MUCH = re.compile(
    r"\b(?:how old|how many|how much time|years old|hvor gammel|hvor mange|hur gammal|hur många|wie alt|wie viele|"
    r"cuántos|cuántas|qué edad|quel âge|combien|hoe oud|hoeveel|leeftijd|edad|âge|alter|ålder)\b", re.I)
#: Codes surveys keep for no answer: left out when judging how wide a column's whole numbers spread.
_NO_ANSWER_CODES = frozenset({97, 98, 99, 997, 998, 999})


def _amounts(distinct: list[int], text: str) -> bool:
    """Whole numbers that are amounts (ages 19, 22, 26, 52; pets 28, 40), not codes of a scale: they
    spread wider than any answer scale (more than 12 apart, no-answer codes like 99 aside), or the
    question asks how old / how many."""
    core = [c for c in distinct if c not in _NO_ANSWER_CODES]
    if _HOW_MUCH.search(text) and not _RANGE.search(text):
        return True
    return len(core) >= 2 and core[-1] - core[0] + 1 > MAX_SINGLE
_FAMILY = re.compile(r"^(?P<base>.+)_(?P<opt>\d+)$")
_SIBLING = re.compile(r"^(?P<stem>[A-Za-z][A-Za-z_]*?)_?(?P<n>\d+)$")
_CODE_OK = CODE_OK = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
#: Column names of the file that are codes already: a made code never takes one of them.
RESERVED: ContextVar[frozenset[str]] = ContextVar("RESERVED", default=frozenset())
_TRANSLIT = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"})
_MAX_CODE = 32
MAX_SINGLE = 12


# -- multiple-choice families ------------------------------------------------------------------
def families(raw: RawExport, columns: list) -> dict[str, list]:
    """SurveyXact-style option families ``s_11_1, s_11_2 ...`` holding only 0/1."""
    groups: dict[str, list] = {}
    for c in columns:
        m = _FAMILY.match(str(c))
        if m:
            groups.setdefault(m.group("base"), []).append(c)
    names = {str(c) for c in columns}
    return {base: cols for base, cols in groups.items()
            if len(cols) >= 2 and base not in names and all(_is_dummy(raw, c) for c in cols)}


_OPTION_TAIL = re.compile(r"^(?P<head>.*\S)\s*\((?P<opt>[^()]{1,60})\)\s*$", re.S)
#: LimeSurvey's "Question [option]" headers (full-text exports of multiple-choice and array questions).
_BRACKET_TAIL = re.compile(r"^(?P<head>.*\S)\s*\[(?P<opt>[^\[\]]{1,80})\]\s*$", re.S)


def _option_tail(col: Any) -> re.Match | None:
    return _BRACKET_TAIL.match(str(col)) or _OPTION_TAIL.match(str(col))


def text_families(raw: RawExport, columns: list) -> dict[str, list]:
    """Consecutive option columns of one question, headed ``Question (option)`` ("... (Eine
    Mehrfachauswahl ist möglich.) (morgens)", "(abends)" ...) or ``Question [option]`` (LimeSurvey),
    each holding 0/1 or ticked / not-ticked words (Oui/Non, Yes/No, Y/blank; "N/A" when not shown):
    one multiple-choice question, keyed by its question text. A last "[Other]" column of written-in
    answers belongs to it."""
    from survey_kit.ingest._checkbox import OTHER_LABELS, _norm

    out: dict[str, list] = {}
    run: list = []
    head = None

    def flush() -> None:
        body = list(run)
        other = len(body) >= 3 and _norm(_option_tail(body[-1]).group("opt")) in OTHER_LABELS \
            and not _is_tick(raw, body[-1])
        if other:
            body = body[:-1]  # "[Other]" holding what was written in: the other box
        if len(body) >= 2 and head not in out and all(_is_tick(raw, c) for c in body) \
                and (all(_is_dummy(raw, c) for c in body) or any(_ticked_any(raw, c) for c in body)):
            out[head] = list(run) if other else body

    for c in columns:
        m = _option_tail(c)
        h = m.group("head") if m else None
        if h is not None and h == head:
            run.append(c)
            continue
        flush()
        run, head = ([c], h) if h is not None else ([], None)
    flush()
    return out


def _is_tick(raw: RawExport, col: Any) -> bool:
    """A box of a multiple-choice question: 0/1, or ticked / not-ticked words only."""
    from survey_kit.ingest._checkbox import NOT_SHOWN, TICKED, UNTICKED

    if _is_dummy(raw, col):
        return True
    s = raw.frame[col]
    if str(col) in raw.integer_columns or not (s.dtype == "str" or s.dtype == object):
        return False
    cells = {c.strip().casefold() for c in s.iloc[:5000].dropna().drop_duplicates().head(10).astype(str)} - {""}
    if not cells <= TICKED | UNTICKED | NOT_SHOWN or len(cells) > 4:
        return False
    cells = {c.strip().casefold() for c in s.dropna().drop_duplicates().head(10).astype(str)} - {""}
    return cells <= TICKED | UNTICKED | NOT_SHOWN


def _ticked_any(raw: RawExport, col: Any) -> bool:
    from survey_kit.ingest._checkbox import TICKED

    s = raw.frame[col].dropna()
    return bool(len(s)) and bool(s.astype(str).str.strip().str.casefold().isin(TICKED).any())


def text_family_item(head: str, cols: list, used: set) -> dict[str, Any]:
    """The ``multiple`` item of a :func:`text_families` group; mapping finds its columns by
    "question text option" headers."""
    options = {i + 1: _option_tail(c).group("opt").strip() for i, c in enumerate(cols)}
    code = make_code(head, used)
    return {"code": code, "text": head, "label": short(head).rstrip(" :"), "type": "multiple", "values": options}


def tick_run_item(raw: RawExport, cols: list, used: set) -> dict[str, Any]:
    """The ``multiple`` item of one column per option headed by the option's text (Typeform):
    the question text is in no header, so the text lists the options and a note asks for it."""
    from survey_kit.ingest._checkbox import header_base

    names = {str(c) for c in raw.frame.columns}
    options = {i + 1: header_base(c, names) for i, c in enumerate(cols)}
    text = " / ".join(options.values())
    code = make_code(text, used)
    return {"code": code, "text": text, "label": short(text), "type": "multiple", "values": options,
            "_notes": [Note("afkrydsningsspørgsmål med én kolonne pr. valgmulighed; filen har ikke spørgsmålsteksten: "
                            "skriv den under text og label",
                            "checkbox question with one column per option; the file does not hold the question "
                            "text: write it under text and label")]}


def _is_dummy(raw: RawExport, col: Any) -> bool:
    labels = raw.value_labels.get(col)
    if labels and not set(labels) <= {0, 1}:
        return False
    if raw.frame[col].isna().all():
        return True  # an option nobody chose may be left empty
    counts = integer_counts(raw.frame[col])
    return counts is not None and set(counts.index) <= {0, 1}  # None: text in the column


def multiple_family(raw: RawExport, base: str, cols: list, used: set) -> dict[str, Any]:
    texts = [raw.variable_labels.get(c) for c in cols]
    question, options = str(base), {}
    if all(texts):
        heads = {t.rsplit(" - ", 1)[0] for t in texts if " - " in t}
        if len(heads) == 1 and all(" - " in t for t in texts):
            question = heads.pop()
            texts = [t.rsplit(" - ", 1)[1] for t in texts]
    for c, t in zip(cols, texts, strict=True):
        opt = int(_FAMILY.match(str(c)).group("opt"))
        options[opt] = t or f"Valgmulighed {opt}"
    code = make_code(str(base), used)
    item = {"code": code, "text": question, "label": short(question), "type": "multiple", "values": options}
    if code != base:
        item["label"] = str(base)
    return item


# -- one column ---------------------------------------------------------------------------------
def column_item(raw: RawExport, col: Any, used: set) -> dict[str, Any]:
    """The item dict of one column (type, values, missing, positive; ``_answers`` for a column of
    answer texts, resolved across the file by :func:`resolve_text_scales`)."""
    name = str(col)
    var_label = raw.variable_labels.get(col)
    code = make_code(name, used)
    text = var_label or name
    label = short(text)
    if code != name and var_label:
        text, label = f"{var_label} (kolonne {name})", name
    elif code != name:
        label = short(name)
    counts = integer_counts(raw.frame[col], raw.integer_columns.get(name))
    item: dict[str, Any] = {"code": code, "text": text, "label": label, "_column": name, "_counts": counts}
    item.update(kind(raw, col, raw.frame[col], counts))
    _stated_range(item, text if text != name else name)
    return item


_RANGE = re.compile(
    r"(?:von|from|fra|från|de|van|du)?\s*(-?\d{1,2})\s*(?:\([^)]{1,40}\))?\s*"
    r"(?:bis|to|til|till|a|à|tot|-|–)\s*(\d{1,2})\b(?:\s*\([^)]{1,40}\))?", re.I)


def _stated_range(item: dict[str, Any], text: str) -> None:
    """Bare codes of a question that states its scale ("auf einer Skala von 1 (gar nicht gern) bis 10
    (sehr gern)", "from 0 to 10") get the whole stated range as a likert scale, so a value nobody chose
    is still on the scale."""
    values = item.get("values") or {}
    if item.get("type") not in ("single", "likert") or not values or any(str(v) != str(c) for c, v in values.items()):
        return
    for m in _RANGE.finditer(str(text)):
        lo, hi = int(m.group(1)), int(m.group(2))
        if 3 <= hi - lo + 1 <= 11 and lo <= min(values) and max(values) <= hi:
            item["values"] = {c: str(c) for c in range(lo, hi + 1)}
            item["_notes"] = [n for n in item.get("_notes", []) if "etiketter" not in str(n)]
            if hi - lo + 1 > 7:  # 0-10 / 1-10: an ordered single item (likert charts stop at 7 points)
                item["type"] = "single"
                return
            item["type"] = "likert"
            item["positive"] = list(range(hi - (0 if hi - lo < 3 else 1), hi + 1))
            item["_notes"] = [n for n in item.get("_notes", []) if "etiketter" not in str(n)]
            if negative_stem(text):
                item["_notes"].append(_NEGATIVE_NOTE)
            return


def kind(raw: RawExport, col: Any, s: pd.Series, counts: pd.Series | None) -> dict[str, Any]:
    """Type, values, missing and positive of one column; ``counts`` is its :func:`integer_counts`."""
    labels = raw.value_labels.get(col) or {}
    declared = raw.missing_codes.get(col) or []
    codes = None if counts is None else {int(c) for c in counts.index}
    if raw.platform == "forms" and _multi_cell(s):
        parts = Counter(p.strip() for v in s.dropna().astype(str) for p in v.split(";") if p.strip())
        return {"type": "multiple", "values": {i + 1: p for i, p in enumerate(parts)}}
    if labels and codes is not None:
        return _labelled(labels, declared, codes)
    if codes is not None:
        distinct = sorted(codes)
        if _amounts(distinct, raw.variable_labels.get(col) or str(col)):
            return {"type": "number"}
        if 4 <= len(distinct) <= 7 and distinct == list(range(distinct[0], distinct[0] + len(distinct))) \
                and distinct[0] in (0, 1):
            return {"type": "likert", "values": {c: str(c) for c in distinct},
                    "_notes": [Note("koderne har ingen etiketter: skriv svarteksterne og 'positive' (de positive koder)",
                                    "the codes have no labels: write the answer texts and 'positive' (the positive codes)")]}
        yes_no = _yes_no_words(raw.variable_labels.get(col) or str(col))
        if set(distinct) <= {0, 1} and yes_no:  # a yes/no question answered 0/1 (Typeform, Excel's TRUE/FALSE)
            return {"type": "single", "values": {0: yes_no[0], 1: yes_no[1]},
                    "_notes": [Note(f"0/1 er læst som '{yes_no[0]}'/'{yes_no[1]}': tjek at 1 betyder ja",
                                    f"0/1 read as '{yes_no[0]}'/'{yes_no[1]}': check that 1 means yes")]}
        if 0 < len(distinct) <= MAX_SINGLE and min(distinct) >= 0 and max(distinct) < 1000 and not _MEASURE.search(str(col)):
            return {"type": "single", "values": {c: str(c) for c in distinct},
                    "_notes": [Note("koderne har ingen etiketter: skriv svarteksterne",
                                    "the codes have no labels: write the answer texts")]}
    if pd.api.types.is_datetime64_any_dtype(s):
        return {"type": "date"}
    if not pd.api.types.is_bool_dtype(s):
        counts, numbers = _distinct_numbers(s)
        if len(counts) and not np.isnan(numbers).any():  # every answer a number
            return {"type": "number"}
    text = s.dropna().astype(str).str.strip()
    text = text[text != ""]
    if len(text) and _looks_like_dates(text):
        return {"type": "date"}
    if len(text) and text.str.fullmatch(r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?").all():
        return {"type": "number"}  # Danish decimal comma ("2,5") kept as text by the file
    return _checkbox(text) or _text_answers(text) or {"type": "text"}


def _checkbox(text: pd.Series) -> dict[str, Any] | None:
    """Google Forms checkboxes: the ticked options joined by ", " in one cell -> a multiple item
    (one 0/1 per option, options found from the whole column; see :mod:`._checkbox`)."""
    from survey_kit.ingest import _checkbox as cb

    cells = text.value_counts(sort=False)
    if len(cells) > 2000 or not (cells.index.str.contains(", ", regex=False).any()
                                 or cells.index.str.contains(";", regex=False).any()):
        return None
    found = cb.checkbox_options(Counter(dict(zip(cells.index, cells.to_numpy(), strict=True))))
    if found is None:
        return None
    options = list(found["options"]) + ([cb.OTHER] if found["other"] else [])
    item: dict[str, Any] = {"type": "multiple", "values": {i + 1: o for i, o in enumerate(options)}}
    if found["other"]:
        item["_notes"] = [Note(f"afkrydsningsspørgsmål: svar, som kun én har skrevet, er samlet under '{cb.OTHER}'",
                               f"checkbox question: answers written in by one respondent are counted under '{cb.OTHER}'")]
    return item


#: A question answered yes or no, by its first words, and the no/yes words of its language.
_YES_NO_QUESTION = [
    (re.compile(r"^\W*(?:are|is|was|were|do|does|did|have|has|had|would|will|can|could|should)\s", re.I), ("No", "Yes")),
    (re.compile(r"^\W*(?:er|var|har|havde|vil|ville|kan|kunne|skal|bruger|føler)\s+(?:du|i|din|dit|dine)\b", re.I),
     ("Nej", "Ja")),
    (re.compile(r"^\W*(?:är|var|har|hade|vill|kan|skulle)\s+(?:du|ni|din|ditt)\b", re.I), ("Nej", "Ja")),
    (re.compile(r"^\W*(?:bist|sind|hast|haben|hatten|warst|waren|würden|können)\s+(?:du|sie)\b", re.I),
     ("Nein", "Ja")),
    (re.compile(r"^\W*(?:¿\s*)?(?:eres|es|estás|está|tienes|tiene|has|ha)\s", re.I), ("No", "Sí")),
    (re.compile(r"^\W*(?:êtes|es|avez|as|étiez)[- ](?:vous|tu)\b", re.I), ("Non", "Oui")),
    (re.compile(r"^\W*(?:bent|ben|heeft|heb|hebt|was|waren)\s+(?:u|je|jij)\b", re.I), ("Nee", "Ja")),
]


def _yes_no_words(text: str) -> tuple[str, str] | None:
    plain = short(text, 10**6)
    if not plain.rstrip().endswith("?"):
        return None
    for rx, words in _YES_NO_QUESTION:
        if rx.match(plain):
            return words
    return None


def _labelled(labels: dict[int, str], declared: list, codes: set[int]) -> dict[str, Any]:
    """A column with value labels: don't-know labels (whole labels) and declared user-missing
    codes are ``missing``; a known scale makes it likert with ``positive``; code order is kept."""
    notes: list[str] = []
    declared_int = {c for c in declared if isinstance(c, int)}
    missing = {c: lab or "Manglende værdi" for c, lab in labels.items()
               if c in declared_int or is_dont_know(lab or "") or c < 0}  # Qualtrics' -1/-99 are never answers
    for c in declared_int:
        missing.setdefault(c, labels.get(c) or "Manglende værdi")
    values = {c: lab or str(c) for c, lab in labels.items() if c not in missing}
    outside = _outside_number_scale(values)
    if outside is not None:  # 1 ... 6 and 7 "Ikke fått karakter": the words are no point on the scale
        missing[outside] = values.pop(outside)
    for c in _conventional_missing(values):  # 1 ... 5 and 9 / 99: the codes surveys keep for no answer
        missing[c] = values.pop(c)
    values = _fill_end_labels(values, codes, set(missing))
    if not values:  # only missing codes labelled (SPSS: 99 "Missing data" on an age)
        observed = sorted(c for c in codes if c not in missing)
        if len(observed) > MAX_SINGLE:
            return {"type": "number", "missing": dict(sorted(missing.items()))}
        values = {c: str(c) for c in observed}
    if not values:
        return {"type": "text"}
    values = dict(sorted(values.items()))
    out: dict[str, Any] = {"type": "single", "values": values}
    scales = find_scales(values.values())
    if scales:
        scale = scales[0]
        out["type"] = "likert" if scale.ordinal else "single"
        pos = [c for c, lab in values.items() if scale.position(lab) in scale.positive_positions]
        out["positive"] = pos
        out["_scale"] = scale.name
        order = [scale.position(values[c]) for c in values]
        if order == sorted(order, reverse=True) and scale.ordinal:
            notes.append(Note("koderne går fra den positive til den negative ende: et højere gennemsnit betyder "
                              "mindre enighed/tilfredshed",
                              "the codes run from the positive to the negative end: a higher mean means less "
                              "agreement/satisfaction"))
    elif (read := _word_order(values)) is not None:  # "Ikke viktig ... Veldig viktig": the labels say
        codes = sorted(values)
        out["type"] = "likert" if len(codes) >= 3 else "single"
        n = 1 if len(codes) < 4 else 2
        out["positive"] = codes[-n:] if read == "up" else codes[:n]
        if read == "down" and len(codes) >= 3:
            notes.append(Note("koderne går fra den positive til den negative ende: et højere gennemsnit betyder "
                              "mindre enighed/tilfredshed",
                              "the codes run from the positive to the negative end: a higher mean means less "
                              "agreement/satisfaction"))
    elif _is_scale(values):
        out["type"] = "likert"
        pos = _positive_by_ends(values)
        if pos:
            out["positive"] = pos
        else:
            notes.append(Note("ukendt svarskala: angiv 'positive' (de koder, der tæller som positive)",
                              "unknown answer scale: give 'positive' (the codes that count as positive)"))
    if missing:
        out["missing"] = dict(sorted(missing.items()))
    if notes:
        out["_notes"] = notes
    return out


_NO_ANSWER_CODES = (8, 9, 98, 99, 998, 999, 9999)


def _conventional_missing(values: dict[int, str]) -> list[int]:
    """Codes 8/9, 98/99, 998/999 set apart from a short scale of consecutive codes (``1..5`` then
    ``9``): the convention for "don't know" / "no answer", whatever the label says."""
    codes = sorted(values)
    tail = [c for c in codes if c in _NO_ANSWER_CODES]
    body = [c for c in codes if c not in tail]
    if not tail or len(body) < 2 or body != list(range(body[0], body[0] + len(body))) or len(body) > 11:
        return []
    if min(tail) <= body[-1] + 1 or any(re.fullmatch(r"\s*\d+\s*", values[c]) for c in tail):
        return []  # 1..8 then 9 is a scale going on; a bare number is a point on it
    return tail


def _outside_number_scale(values: dict[int, str]) -> int | None:
    """The code of the one worded label at the end of a scale whose other labels are its bare codes
    (``1``..``6`` then ``7`` "Not graded"): an answer outside the scale."""
    codes = sorted(values)
    if len(codes) < 4:
        return None
    numbered = [c for c in codes if values[c].strip() == str(c)]
    worded = [c for c in codes if c not in numbered]
    if len(worded) == 1 and worded[0] == codes[-1] and len(numbered) >= 3 \
            and numbered == list(range(numbered[0], numbered[0] + len(numbered))) \
            and not re.search(r"\d", values[worded[0]]):
        return worded[0]
    return None


def _word_order(values: dict[int, str]) -> str | None:
    """``"up"`` when the labels' own words (intensity, poles) rise with the codes, ``"down"`` when
    they fall, None when the words give no order or another one (codes as the file has them)."""
    codes = sorted(values)
    if len(codes) < 2 or any(values[c].strip() == str(c) for c in codes):
        return None
    read = order_from_labels([values[c] for c in codes])
    if read is None or read[1] != "words":
        return None
    order = read[0]
    labels = [values[c] for c in codes]
    if order == labels:
        return "up"
    if order == labels[::-1]:
        return "down"
    return None


def _positive_by_ends(values: dict[int, str]) -> list[int]:
    codes = sorted(values)
    lo, hi = polarity(values[codes[0]]), polarity(values[codes[-1]])
    n = 2 if len(codes) >= 4 else 1
    if hi > 0 or lo < 0:
        return codes[-n:]
    if lo > 0 or hi < 0:
        return codes[:n]
    return []


def _fill_end_labels(values: dict[int, str], codes: set[int], missing: set[int]) -> dict[int, str]:
    """Labels on the two ends only (1 "Helt uenig", 4 "Helt enig") mark a scale: the codes between
    are valid too (never a missing code). Observed codes outside them stay invalid."""
    if len(values) != 2:
        return values
    lo, hi = min(values), max(values)
    if not 3 <= hi - lo + 1 <= 11 or not any(lo < c < hi for c in codes):
        return values
    return {c: values.get(c, str(c)) for c in range(lo, hi + 1) if c not in missing}


def _is_scale(values: dict[int, str]) -> bool:
    codes = sorted(values)
    consecutive = codes == list(range(codes[0], codes[0] + len(codes)))
    if not consecutive or not 3 <= len(codes) <= 11:
        return False
    labels = [values[c] for c in codes]
    inner = labels[1:-1]
    if inner and all(lab.strip() == str(c) for lab, c in zip(inner, codes[1:-1], strict=True)):
        return True  # only the ends labelled: "1 I liten grad ... 4 I stor grad"
    hits = sum(bool(_SCALE_WORDS.search(lab)) for lab in labels)
    return hits >= max(2, len(labels) // 2)


def _text_answers(text: pd.Series) -> dict[str, Any] | None:
    """Few distinct, repeated answers written as text: kept as ``_answers`` (first-seen order) for
    :func:`resolve_text_scales`; None for free text."""
    if not len(text):
        return None
    order = list(dict.fromkeys(text))  # order of first appearance, never frequency order
    if len(order) > 3 * MAX_SINGLE:
        return None
    dk = [t for t in order if is_dont_know(t)]
    answers = [t for t in order if t not in dk]
    if not answers:
        return None
    if not find_scales(answers) and (len(order) > MAX_SINGLE or len(order) > len(text) / 2):
        return None  # mostly different answers: free text
    return {"type": "_answers", "_answers": answers, "_dk": dk}


def resolve_text_scales(items: list[dict[str, Any]]) -> None:
    """Give every column of answer texts its codes, the same for every item on one scale.

    A column whose answers all lie on known scales gets the scale that fits the most such columns
    of the file (so a battery is coded alike even when one item never got "Helt uenig"); its codes
    are ``1..k`` in scale order, don't-know answers follow as ``missing``. Other columns are
    ``single`` with the answers in the order they first appear (an order the analyst must check).
    """
    pending = [it for it in items if it.get("type") == "_answers"]
    candidates = [find_scales(it["_answers"]) for it in pending]
    fits = Counter(s.name for cands in candidates for s in cands)
    by_scale: dict[str, list[dict[str, Any]]] = {}
    scales: dict[str, AnswerScale] = {}
    unknown: list[dict[str, Any]] = []
    for it, cands in zip(pending, candidates, strict=True):
        if cands:
            best = max(cands, key=lambda s: (fits[s.name], -cands.index(s)))
            by_scale.setdefault(best.name, []).append(it)
            scales[best.name] = best
            continue
        unknown.append(it)
    for name, members in list(by_scale.items()):
        # two answers of the file on one point of the scale ("often" and "very often" both on
        # the table's "Often"): not that scale; the labels give the order instead
        points: dict[int, set[str]] = {}
        for it in members:
            for a in it["_answers"]:
                points.setdefault(scales[name].position(a), set()).add(normalise_label(a))
        if any(len(p) > 1 for p in points.values()):
            unknown += by_scale.pop(name)
    order = {id(it): i for i, it in enumerate(pending)}
    for members in _batteries(sorted(unknown, key=lambda it: order[id(it)])):
        _code_battery(members)
    for name, members in by_scale.items():
        scale = scales[name]
        spelling: dict[int, str] = {}
        dk: list[str] = []
        for it in members:
            for a in it["_answers"]:
                spelling.setdefault(scale.position(a), a)
            dk += [d for d in it["_dk"] if d not in dk]
        values = {i + 1: spelling.get(i, scale.labels[i]) for i in range(scale.k)}
        for it in members:
            it.update(type="likert" if scale.ordinal else "single", values=dict(values),
                      positive=[p + 1 for p in scale.positive_positions], _scale=scale.name)
            _dk_codes(it, dk, scale.k + 1)
    for it in pending:
        it.pop("_answers", None)
        it.pop("_dk", None)


_NEGATIVE_NOTE = Note(
    "spørgsmålet handler om noget uønsket (fx stress, besvær): tjek at 'positive' er den ønskede ende",
    "the question asks about something unwanted (e.g. stress, difficulty): check that 'positive' is the wanted end")


def _batteries(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Items of answer texts that share their answers: one group per answer scale (at least two
    common answers and half of the smaller item's answers), in file order."""
    groups: list[tuple[list[str], list[dict[str, Any]]]] = []
    for it in items:
        mine = it["_answers"]
        home = None
        for union, members in reversed(groups):
            common = len(set(mine) & set(union))
            # one scale: one item's answers within the other's, or most answers shared; two
            # yes/no questions with different third answers ("Maybe", "Not eligible") are not one
            if common < 2 or common < min(len(mine), len(union)) / 2:
                continue
            merged = union + [a for a in mine if a not in union]
            nested = set(mine) <= set(union) or set(union) <= set(mine)
            if not (nested or common >= max(3, 2 * max(len(mine), len(union)) / 3) or _ordered(merged)):
                continue  # an ordered scale may lack answers nobody chose; loose answer sets may not
            if len(merged) <= MAX_SINGLE and (order_from_labels(union) is None) == (order_from_labels(merged) is None):
                home = (union, members, merged)
                break
        if home is None:
            groups.append((list(mine), [it]))
            continue
        union, members, merged = home
        union[:] = merged
        members.append(it)
    return [members for _, members in groups]


def _ordered(answers: list[str]) -> bool:
    read = order_from_labels(answers)
    return read is not None and read[1] in ("codes", "words", "numbers")


def _code_battery(members: list[dict[str, Any]]) -> None:
    """One coded scale for items that share their answers: order read from the labels themselves
    (codes in the labels, numbers and bands, intensity words) or, failing that, the order the
    answers first occur in the file (noted)."""
    union: list[str] = []
    dk: list[str] = []
    for it in members:
        union += [a for a in it["_answers"] if a not in union]
        dk += [d for d in it["_dk"] if d not in dk]
    read = order_from_labels(union)
    if read is None and len(union) == 1:  # one answer given ("Yes"): no order to check
        values = {1: union[0]}
        kind, positive, note = "single", None, None
    elif read is None:
        values = {i + 1: a for i, a in enumerate(union)}
        kind, positive, note = "single", None, Note(
            "svarene står i den rækkefølge, de første gang optræder i filen: ret kodernes rækkefølge, "
            "hvis de er en skala",
            "the answers are in the order they first occur in the file: reorder the codes if they are a scale")
    else:
        order, how = read
        values = {i + 1: a for i, a in enumerate(order)}
        k = len(values)
        ordinal = k >= 3 and how in ("codes", "words")
        kind, note = ("likert" if ordinal else "single"), None
        positive = list(range(k - (1 if k < 4 else 2) + 1, k + 1)) if ordinal else None
    for it in members:
        it.update(type=kind, values=dict(values))
        if positive:
            it["positive"] = list(positive)
            if negative_stem(it.get("text", "")):
                it.setdefault("_notes", []).append(_NEGATIVE_NOTE)
        if note:
            it.setdefault("_notes", []).append(note)
        _dk_codes(it, dk, len(values) + 1)


def _dk_codes(item: dict[str, Any], dk: list[str], start: int) -> None:
    if dk:
        item["missing"] = {start + i: t for i, t in enumerate(dk)}


def harmonise_siblings(raw: RawExport, items: list[dict[str, Any]]) -> None:
    """Numbered items of one scale without value labels (``mast1`` ... ``mast7``) share one scale:
    every code used by at least half of the siblings, filled to a range. A sibling whose other codes
    are rare (at most 1 % of its answers) gets the shared scale, so a stray ``mast2 = 5`` on a 1-4
    scale is reported by validation instead of widening the scale."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        col = item.get("_column")
        if col is None or raw.value_labels.get(col) or item.get("type") not in ("likert", "single"):
            continue
        if item.get("missing") or any(str(v) != str(c) for c, v in item["values"].items()):
            continue
        m = _SIBLING.match(str(col))
        if m:
            groups.setdefault(m.group("stem").lower(), []).append(i)
    for members in groups.values():
        if len(members) < 3:
            continue
        counts = [items[i].get("_counts") for i in members]
        if any(vc is None for vc in counts):
            continue
        used = Counter(c for vc in counts for c in vc.index)
        common = [c for c, n in used.items() if n >= len(members) / 2]
        if not common:
            continue
        scale = list(range(min(common), max(common) + 1))
        if len(scale) > MAX_SINGLE:
            continue
        for i, vc in zip(members, counts, strict=True):
            if vc[~vc.index.isin(scale)].sum() > 0.01 * vc.sum():
                continue
            item = items[i]
            item["values"] = {c: str(c) for c in scale}
            if 4 <= len(scale) <= 7 and scale[0] in (0, 1):
                item["type"] = "likert"


def integer_counts(s: pd.Series, ints=None) -> pd.Series | None:
    """How often each integer code occurs in a column (code -> count, in code order), or None if
    the column holds anything but integers (or nothing). The distinct cells are parsed, not every
    row: a million answers on a 1-5 scale are five strings to read. ``ints``: the column's cells
    as the reader already cast them (``RawExport.integer_columns``), counted directly."""
    if ints is not None:
        import pyarrow.compute as pc

        pairs = pc.value_counts(ints.drop_null())
        if not len(pairs):
            return None
        codes = pairs.field("values").to_numpy(zero_copy_only=False).astype(np.int64)
        return pd.Series(pairs.field("counts").to_numpy(zero_copy_only=False), index=codes).sort_index()
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return None
    counts, numbers = _distinct_numbers(s)
    if not len(counts) or not (np.all(np.isfinite(numbers)) and np.all(numbers % 1 == 0)):
        return None
    out = pd.Series(counts, index=numbers.astype(np.int64))
    if out.index.has_duplicates:  # "1" and "01" are one code
        out = out.groupby(level=0).sum()
    return out.sort_index()


def _distinct_numbers(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The distinct non-empty cells of a column: how often each occurs, and each read as a number
    (NaN where it is not one). Parsing the distinct cells, not every row, is what keeps drafting
    a million-row export quick."""
    cells = s.value_counts(dropna=True, sort=False)
    numbers = pd.to_numeric(pd.Series(cells.index, dtype=object if cells.index.dtype == "str" else None),
                            errors="coerce")
    return cells.to_numpy(dtype=np.int64), numbers.to_numpy(dtype="float64", na_value=np.nan)


def _looks_like_dates(text: pd.Series) -> bool:
    """Dates as ingest reads them (the one reader of :mod:`survey_kit.ingest._dates`, day/month order
    decided from the column's distinct cells)."""
    from survey_kit.ingest import _dates

    return _dates.looks_like_dates(text.iloc[:20000].drop_duplicates().head(500))  # bounded look


def _multi_cell(s: pd.Series) -> bool:
    v = s.dropna()
    if v.empty or not (s.dtype == "str" or s.dtype == object):
        return False
    return bool(v.astype(str).str.endswith(";").all())


# -- names --------------------------------------------------------------------------------------
def sanitise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLIT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9_]+", "_", text)
    return re.sub(r"_+", "_", text).strip("_")


def make_code(name: str, used: set) -> str:
    if _CODE_OK.match(name) and len(name) <= _MAX_CODE and name not in used:
        used.add(name)
        return name
    code = sanitise(name)
    if not code or len(code) > _MAX_CODE or (" " in name.strip() and len(name) > 20):
        code = f"q{len(used) + 1}"
    if not code[0].isalpha():
        code = f"q_{code}"
    reserved = RESERVED.get()
    base, k = code, 2
    while code in used or (code != name and code in reserved):
        code, k = f"{base}_{k}", k + 1
    used.add(code)
    return code


_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPHASIS = re.compile(r"(?<!\w)\*{1,2}(\S(?:[^*]*\S)?)\*{1,2}(?!\w)")  # Typeform's markdown: "*Are you ...?*"


def short(text: str, width: int = 40) -> str:
    """A short label: the text without markup (Typeform and Qualtrics write "<strong>", "*live*"),
    cut at a word near ``width`` characters."""
    text = " ".join(_EMPHASIS.sub(r"\1", _TAG.sub("", str(text))).split())
    if len(text) <= width:
        return text
    if " - " in text:
        tail = text.rsplit(" - ", 1)[1].strip()
        if 0 < len(tail) <= width:
            return tail
    cut = text[:width].rsplit(" ", 1)[0].rstrip(",.;:?")
    return f"{cut}…"
