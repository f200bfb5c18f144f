"""Draft a codebook from an export, for the analyst to check and edit.

:func:`infer_codebook` reads the export with :func:`survey_kit.ingest.readers.read_export` and
guesses, column by column, what each one is. The rules (in order):

1. Platform system columns (SurveyXact's ``closetime``, ``statoverall_*``; Forms' ``Email``...) and
   columns starting with ``_`` are left out. The respondent id is ``respondentid``/``responde``/
   ``ID`` if present, else the first column named like an id holding unique integers.
2. SurveyXact-style option families ``s_11_1, s_11_2, ...`` holding only 0/1 are one ``multiple``
   item ``s_11``; the option labels come from the columns' descriptions (``question - option``).
   A Forms column of ``a;b;`` cells is a ``multiple`` item whose options are the distinct parts.
3. A column with value labels: labels such as "Ved ikke", "Ønsker ikke at oplyse", "Don't know",
   "Not applicable" and SPSS user-missing codes become ``missing``; the rest are ``values``. It is
   ``likert`` when the labels read as an agreement/degree/frequency/satisfaction scale, or when
   3-11 consecutive codes are labelled only at the ends (``1 I liten grad, 2 "2", 3 "3", 4 I stor
   grad``); otherwise ``single``.
4. A column without labels: consecutive integer codes 0/1..k with 4-7 distinct values is ``likert``
   (the observed codes are their own labels), up to 12 distinct integers ``single``, other numbers
   ``number``, dates ``date``; text with few distinct repeated answers is ``single`` (answers as
   labels), other text ``text``.
5. ``single`` items whose name or text reads like a background variable (unit, area, gender, age
   group, position, seniority, wave) get ``group: true``.

Item codes are the column names made to fit ``^[A-Za-z][A-Za-z0-9_]*$`` (æ -> ae, ø -> oe,
å -> aa, other characters -> ``_``; long question-text headers become ``q1``, ``q2``...). When the
code differs from the column name the item's ``label`` keeps the original column name (which is how
mapping finds the column again), and the ``text`` mentions it unless the column name *is* the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survey_kit.codebook.model import Codebook, CodebookError, parse_codebook

_MISSING = re.compile(
    r"ved ikke|ved ej|vil ikke svare|ønsker ikke|oensker ikke|ikke relevant|ikke aktuel|uoplyst|"
    r"kan ikke svare|don'?t know|do not know|not applicable|n/a\b|prefer not|refus|no answer|"
    r"vet ikke|vil ikke oplyse|missing|manglende",
    re.I,
)
_SCALE = re.compile(
    r"\b(?:enig|uenig|grad\b|agree|disagree|tilfreds|satisf|altid|aldrig|ofte|sjælden|never|always|often|"
    r"rarely|meget god|god|dårlig|good|poor|bad|excellent|vigtig|important|likely|sandsynlig|"
    r"høj grad|lav grad|slet ikke|i nogen grad|rigtigt)",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:enhed|enheder|afdeling|afdelinger|område|omraade|fagområde|fagomraade|forvaltning|"
    r"unit|department|area|region|sektor|sector|køn|koen|gender|sex|alder|age|agegp\d*|"
    r"anciennitet|seniority|stilling|stillingsbetegnelse|position|uddannelse|educ\w*|bølge|bolge|"
    r"wave|måling|målingsrunde|runde|leder eller medarbejder|kommune|institution|marital|civilstand|ledelsesniveau)\b",
    re.I,
)
#: Answer scales known by their wording, in order (codes are positions, 1-based), so a label
#: export (answers as text: Forms, a re-saved label CSV) still drafts as a likert item.
KNOWN_SCALES = (
    ("Helt uenig", "Overvejende uenig", "Hverken enig eller uenig", "Overvejende enig", "Helt enig"),
    ("Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig"),
    ("Helt uenig", "Delvis uenig", "Hverken enig eller uenig", "Delvis enig", "Helt enig"),
    ("I meget lav grad", "I lav grad", "I nogen grad", "I høj grad", "I meget høj grad"),
    ("Meget utilfreds", "Utilfreds", "Hverken tilfreds eller utilfreds", "Tilfreds", "Meget tilfreds"),
    ("Meget dårlig", "Dårlig", "Hverken god eller dårlig", "God", "Meget god"),
    ("Aldrig", "Sjældent", "Nogle gange", "Ofte", "Altid"),
    ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"),
)
_QUESTION_ABOUT = re.compile(r"^\s*(?:hvilk|hvad er din|hvad er dit|hvor gammel|which|what is your)", re.I)
_ID_NAMES = ("respondentid", "responde", "id", "respondent_id", "respondent", "løbenr", "lobenr")
_SIBLING = re.compile(r"^(?P<stem>[A-Za-z][A-Za-z_]*?)_?(?P<n>\d+)$")
_FAMILY = re.compile(r"^(?P<base>.+)_(?P<opt>\d+)$")
_CODE_OK = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_TRANSLIT = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"})
_MAX_CODE = 32
_MAX_SINGLE = 12


def infer_codebook(
    path: str | Path, *, instrument: str | None = None, sheet: str | None = None
) -> Codebook:
    """Draft a :class:`Codebook` from an export (rules in the module docstring).

    Parameters
    ----------
    path
        Any export :func:`~survey_kit.ingest.readers.read_export` reads.
    instrument
        Instrument id to write (default: the file name made into an id).
    sheet
        Excel sheet to read.

    Returns
    -------
    Codebook
        A valid codebook; ``cb.to_yaml()`` is the draft to edit.

    Examples
    --------
    >>> cb = infer_codebook("survey.sav", instrument="trivsel_2024")  # doctest: +SKIP
    >>> print(cb.to_yaml())  # doctest: +SKIP
    """
    from survey_kit.ingest.readers import read_export

    raw = read_export(path, sheet=sheet)
    frame = raw.frame
    system = set(raw.system_columns)
    id_col = _respondent_id(frame, system, raw.value_labels)
    skip = system | {id_col} | {c for c in frame.columns if str(c).startswith("_")}
    columns = [c for c in frame.columns if c not in skip]
    used: set[str] = set()
    items: list[dict[str, Any]] = []
    sources: list[Any] = []  # source column of each single-column item (None for a family)
    families = _families(raw, columns)
    in_family = {c for cols in families.values() for c in cols}
    for col in columns:
        if col in in_family:
            base = next(b for b, cols in families.items() if col in cols)
            if col == families[base][0]:
                items.append(_multiple_family(raw, base, families[base], used))
                sources.append(None)
            continue
        items.append(_item(raw, col, used))
        sources.append(col)
    _harmonise_siblings(raw, items, sources)
    if not items:
        raise CodebookError(f"{raw.path}: no answer columns to draft a codebook from")
    name = instrument or _instrument_id(raw.path)
    platform = f" ({raw.platform})" if raw.platform else ""
    data = {
        "instrument": name,
        "version": "0.1",
        "title": f"Udkast fra {raw.path.name}",
        "description": (
            f"Udkast udledt automatisk af survey-kit fra {raw.path.name}{platform}. Kontrollér "
            "spørgsmålstyper, etiketter, manglende-værdi-koder og grupper før brug."
        ),
        "source": raw.path.name,
        "respondent_id": {"column": id_col or "_source_row", "personal": _personal(frame, id_col)},
        "items": items,
    }
    return parse_codebook(data, source=f"codebook inferred from {raw.path}")


# -- columns -----------------------------------------------------------------------------------
def _respondent_id(frame: pd.DataFrame, system: set, labelled: dict) -> str | None:
    by_lower = {str(c).strip().lower(): c for c in frame.columns}
    for name in _ID_NAMES:
        if name in by_lower:
            return by_lower[name]
    if len(frame.columns) < 2:
        return None
    for col in frame.columns:
        if col in labelled or col in system:
            continue
        named = "id" in str(col).lower()
        if named or col == frame.columns[0]:
            v = pd.to_numeric(frame[col], errors="coerce")
            if len(v) and v.notna().all() and (v % 1 == 0).all() and v.is_unique:
                # an unnamed first column must count up (1, 2, 3 ...), else it is data (a Freq column)
                if named or v.is_monotonic_increasing:
                    return col
    return None


def _personal(frame: pd.DataFrame, id_col: str | None) -> bool:
    if id_col is None:
        return False
    v = frame[id_col].dropna().astype(str)
    return bool(len(v)) and bool(v.str.contains("@").mean() > 0.5)


def _families(raw: Any, columns: list) -> dict[str, list]:
    groups: dict[str, list] = {}
    for c in columns:
        m = _FAMILY.match(str(c))
        if m:
            groups.setdefault(m.group("base"), []).append(c)
    out = {}
    names = {str(c) for c in columns}
    for base, cols in groups.items():
        if len(cols) < 2 or base in names:
            continue
        if all(_is_dummy(raw, c) for c in cols):
            out[base] = cols
    return out


def _is_dummy(raw: Any, col: Any) -> bool:
    labels = raw.value_labels.get(col)
    if labels and not set(labels) <= {0, 1}:
        return False
    v = pd.to_numeric(raw.frame[col], errors="coerce")
    if v.isna().sum() > raw.frame[col].isna().sum():
        return False  # text in the column
    return bool(v.dropna().isin([0, 1]).all())


def _multiple_family(raw: Any, base: str, cols: list, used: set) -> dict[str, Any]:
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
    code = _code(str(base), used)
    item = {"code": code, "text": question, "label": _short(question), "type": "multiple", "values": options}
    if code != base:
        item["label"] = str(base)
    return item


def _item(raw: Any, col: Any, used: set) -> dict[str, Any]:
    name = str(col)
    s = raw.frame[col]
    var_label = raw.variable_labels.get(col)
    code = _code(name, used)
    text = var_label or name
    label = _short(text)
    if code != name and var_label:
        text, label = f"{var_label} (kolonne {name})", name
    elif code != name:
        label = name if len(name) <= 40 else _short(name)
    item: dict[str, Any] = {"code": code, "text": text, "label": label}
    item.update(_kind(raw, col, s))
    header_is_text = " " in name.strip() and len(name) > 20  # a question text as header (Forms)
    if item["type"] == "single" and _is_background(
        "" if header_is_text else name, var_label or (name if header_is_text else "")
    ):
        item["group"] = True
    return item


def _is_background(name: str, text: str) -> bool:
    """The name reads like a background variable, or the text asks which unit/area/... one is in
    (a short text, or a "Hvilken ...?" question), not merely mentions one."""
    if _BACKGROUND.search(name):
        return True
    if not text or not _BACKGROUND.search(text):
        return False
    return len(text.split()) <= 6 or bool(_QUESTION_ABOUT.match(text))


def _text_answers(text: pd.Series) -> dict[str, Any] | None:
    """Few distinct, repeated answers written as label text: a known scale (likert, codes by
    position) or a single item (codes by frequency); "Ved ikke"-like answers become missing."""
    counts = Counter(t.strip() for t in text)
    if not 0 < len(counts) <= _MAX_SINGLE:
        return None
    missing_labels = [t for t in counts if _MISSING.search(t)]
    answers = [t for t, _ in counts.most_common() if t not in missing_labels]
    lowered = {a.casefold() for a in answers}
    values: dict[int, str] | None = None
    kind = "single"
    for scale in KNOWN_SCALES:
        if answers and lowered <= {x.casefold() for x in scale}:
            values = {i + 1: lab for i, lab in enumerate(scale)}
            kind = "likert"
            break
    if values is None:
        if len(counts) > len(text) / 2:
            return None  # mostly different answers: free text
        values = {i + 1: t for i, t in enumerate(answers)}
    if not values:
        return None
    start = max(values) + 1
    if kind == "likert":
        start = max(start, 6)
    missing = {start + i: t for i, t in enumerate(sorted(missing_labels))}
    out: dict[str, Any] = {"type": kind, "values": values}
    if missing:
        out["missing"] = missing
    return out


def _kind(raw: Any, col: Any, s: pd.Series) -> dict[str, Any]:
    labels = raw.value_labels.get(col) or {}
    declared = raw.missing_codes.get(col) or []
    codes = _int_codes(s)
    if raw.platform == "forms" and _multi_cell(s):
        parts = Counter(p.strip() for v in s.dropna().astype(str) for p in v.split(";") if p.strip())
        return {"type": "multiple", "values": {i + 1: p for i, (p, _) in enumerate(parts.most_common())}}
    if labels and codes is not None:
        missing = {c: lab or "Manglende værdi" for c, lab in labels.items() if c in declared or _MISSING.search(lab or "")}
        for c in declared:
            if isinstance(c, int):
                missing.setdefault(c, labels.get(c) or "Manglende værdi")
        values = {c: lab or str(c) for c, lab in labels.items() if c not in missing}
        values = _fill_end_labels(values, codes)
        if not values:
            values = {c: str(c) for c in codes if c not in missing}
        if not values:
            return {"type": "text"}
        kind = "likert" if _is_scale(values) else "single"
        out: dict[str, Any] = {"type": kind, "values": dict(sorted(values.items()))}
        if missing:
            out["missing"] = dict(sorted(missing.items()))
        return out
    if codes is not None:
        distinct = sorted(codes)
        if 4 <= len(distinct) <= 7 and distinct == list(range(distinct[0], distinct[0] + len(distinct))) and distinct[0] in (0, 1):
            return {"type": "likert", "values": {c: str(c) for c in distinct}}
        if 0 < len(distinct) <= _MAX_SINGLE and min(distinct) >= 0 and max(distinct) < 1000 and not _is_measure(col):
            return {"type": "single", "values": {c: str(c) for c in distinct}}
    if pd.api.types.is_datetime64_any_dtype(s):
        return {"type": "date"}
    num = pd.to_numeric(s, errors="coerce") if not pd.api.types.is_bool_dtype(s) else None
    if num is not None and s.notna().any() and num.notna().sum() == s.notna().sum():
        return {"type": "number"}
    text = s.dropna().astype(str)
    if len(text) and _looks_like_dates(text):
        return {"type": "date"}
    return _text_answers(text) or {"type": "text"}


def _fill_end_labels(values: dict[int, str], codes: set[int]) -> dict[int, str]:
    """Labels on the two ends only (1 "Helt uenig", 4 "Helt enig") mark a scale: the codes between
    are valid too. The scale comes from the labels; observed codes outside them stay invalid."""
    if len(values) != 2:
        return values
    lo, hi = min(values), max(values)
    if not 3 <= hi - lo + 1 <= 11 or not any(lo < c < hi for c in codes):
        return values
    return {c: values.get(c, str(c)) for c in range(lo, hi + 1)}


def _harmonise_siblings(raw: Any, items: list[dict[str, Any]], sources: list[Any]) -> None:
    """Numbered items of one scale without value labels (``mast1`` ... ``mast7``) share one scale.

    The scale is every code used by at least half of the siblings, filled to a range (so a code
    nobody happened to choose is still valid). A sibling whose other codes are rare (at most 1 %
    of its answers) gets the shared scale, so a stray ``mast2 = 5`` on a 1-4 scale is reported by
    validation instead of widening the scale; a sibling that uses another code often is left as
    observed. Items with value labels keep the labels' scale (see :func:`_kind`).
    """
    groups: dict[str, list[int]] = {}
    for i, (item, col) in enumerate(zip(items, sources, strict=True)):
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
        counts = [pd.to_numeric(raw.frame[sources[i]], errors="coerce").dropna().astype(int).value_counts()
                  for i in members]
        used = Counter(c for vc in counts for c in vc.index)
        common = [c for c, n in used.items() if n >= len(members) / 2]
        if not common:
            continue
        scale = list(range(min(common), max(common) + 1))
        if len(scale) > _MAX_SINGLE:
            continue
        for i, vc in zip(members, counts, strict=True):
            stray = vc[~vc.index.isin(scale)].sum()
            if stray > 0.01 * vc.sum():
                continue
            item = items[i]
            item["values"] = {c: str(c) for c in scale}
            if 4 <= len(scale) <= 7 and scale[0] in (0, 1):
                item["type"] = "likert"


def _int_codes(s: pd.Series) -> set[int] | None:
    """The distinct integer codes of a column, or None if it holds anything but integers."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return None
    present = s.dropna()
    if present.empty:
        return None
    v = pd.to_numeric(present, errors="coerce")
    if v.isna().any() or not np.all(np.isfinite(v)) or not (v % 1 == 0).all():
        return None
    return {int(x) for x in v.unique()}


def _is_scale(values: dict[int, str]) -> bool:
    codes = sorted(values)
    consecutive = codes == list(range(codes[0], codes[0] + len(codes)))
    labels = [values[c] for c in codes]
    if consecutive and 3 <= len(codes) <= 11:
        inner = labels[1:-1]
        if inner and all(lab.strip() == str(c) for lab, c in zip(inner, codes[1:-1], strict=True)):
            return True  # only the ends labelled: "1 I liten grad ... 4 I stor grad"
    if not consecutive or not 3 <= len(codes) <= 11:
        return False
    hits = sum(bool(_SCALE.search(lab)) for lab in labels)
    return hits >= max(2, len(labels) // 2)


def _is_measure(col: Any) -> bool:
    return bool(re.search(r"\b(?:alder|age|antal|number|count|timer|hours|år|years|score|total|beløb|kr)\b", str(col), re.I))


def _looks_like_dates(text: pd.Series) -> bool:
    sample = text.head(200)
    iso = sample.str.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?")
    dmy = sample.str.fullmatch(r"\d{1,2}[-./]\d{1,2}[-./]\d{4}( \d{1,2}:\d{2}(:\d{2})?)?")
    return bool((iso | dmy).mean() >= 0.9)


def _multi_cell(s: pd.Series) -> bool:
    v = s.dropna()
    if v.empty or not (s.dtype == "str" or s.dtype == object):
        return False
    v = v.astype(str)
    return bool(v.str.endswith(";").all())


# -- names -------------------------------------------------------------------------------------
def _sanitise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLIT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9_]+", "_", text)
    return re.sub(r"_+", "_", text).strip("_")


def _code(name: str, used: set) -> str:
    if _CODE_OK.match(name) and len(name) <= _MAX_CODE and name not in used:
        used.add(name)
        return name
    code = _sanitise(name)
    if not code or len(code) > _MAX_CODE or (" " in name.strip() and len(name) > 20):
        code = f"q{len(used) + 1}"
    if not code[0].isalpha():
        code = f"q_{code}"
    base, k = code, 2
    while code in used:
        code, k = f"{base}_{k}", k + 1
    used.add(code)
    return code


def _short(text: str, width: int = 40) -> str:
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    if " - " in text:
        tail = text.rsplit(" - ", 1)[1].strip()
        if 0 < len(tail) <= width:
            return tail
    cut = text[:width].rsplit(" ", 1)[0].rstrip(",.;:?")
    return f"{cut}…"


def _instrument_id(path: Path) -> str:
    stem = path.parent.name if path.name.lower() == "dataset.csv" else path.stem
    code = _sanitise(stem).lower()
    if not code or not code[0].isalpha():
        code = f"survey_{code}".rstrip("_")
    return code
