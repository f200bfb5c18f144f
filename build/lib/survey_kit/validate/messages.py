"""Problems as plain sentences, in Danish (default) or English.

Each problem names the source-file row, the respondent, the column, the value and the rule, e.g.
"Række 14 (respondent 1013), kolonne net_godt: værdien 7 er ikke en gyldig kode (gyldige koder: 1-6)."
"""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook

PROBLEM_COLUMNS = ["respondent_id", "row", "column", "value", "rule", "message"]
LANGS = ("da", "en")

#: rule -> (Danish, English) sentence after the "Række r (respondent x), kolonne c: " prefix.
TEMPLATES: dict[str, tuple[str, str]] = {
    "invalid_code": (
        "værdien {value} er ikke en gyldig kode (gyldige koder: {codes}).",
        "the value {value} is not a valid code (valid codes: {codes}).",
    ),
    "out_of_range": (
        "værdien {value} ligger uden for det tilladte interval {lo} til {hi}.",
        "the value {value} is outside the allowed range {lo} to {hi}.",
    ),
    "wrong_type": (
        "værdien {value} kan ikke læses som {kind}.",
        "the value {value} cannot be read as {kind}.",
    ),
    "date_range": (
        "datoen {value} ligger uden for perioden {lo} til {hi}.",
        "the date {value} is outside the period {lo} to {hi}.",
    ),
    "duplicate_id": (
        "respondent-id {value} findes allerede i række {first} (dublet; den første besvarelse beholdes).",
        "respondent id {value} already appears in row {first} (duplicate; the first answer is kept).",
    ),
    "missing_id": ("respondent-id mangler.", "the respondent id is missing."),
    "skip_logic": (
        "værdien {value} er besvaret, men spørgsmålet stilles kun når {cond} er {codes} (her: {cond_value}).",
        "the value {value} is answered, but the question is asked only when {cond} is {codes} (here: {cond_value}).",
    ),
    "rank_repeated": (
        "rangen {value} er givet til mere end én svarmulighed.",
        "the rank {value} is given to more than one option.",
    ),
    "rank_too_many": (
        "{value} svarmuligheder er rangordnet, men højst {k} er tilladt.",
        "{value} options are ranked, but at most {k} are allowed.",
    ),
    "rank_out_of_range": (
        "rangen {value} ligger uden for 1 til {k}.",
        "the rank {value} is outside 1 to {k}.",
    ),
}
COLUMN_TEMPLATES: dict[str, tuple[str, str]] = {
    "unknown_column": (
        "Kolonne {column}: kolonnen findes ikke i kodebogen og springes over.",
        "Column {column}: the column is not in the codebook and is skipped.",
    ),
    "duplicate_column": (
        "Kolonne {column}: en anden kolonne i filen svarer allerede til samme spørgsmål; denne springes over.",
        "Column {column}: another column of the file already matches the same question; this one is skipped.",
    ),
    "missing_column": (
        "Kolonne {column}{question} mangler i filen; kodebogen forventer den.",
        "Column {column}{question} is missing from the file; the codebook expects it.",
    ),
}
KINDS = {
    "code": ("en kode (et heltal eller en svarkategori)", "a code (an integer or an answer label)"),
    "option": ("svarmuligheder for spørgsmålet", "options of the question"),
    "number": ("et tal", "a number"),
    "date": ("en dato", "a date"),
}
RULE_NAMES_DA = {
    "invalid_code": "ugyldig kode", "out_of_range": "uden for interval", "wrong_type": "forkert type",
    "date_range": "dato uden for perioden", "duplicate_id": "dublet", "missing_id": "manglende id",
    "skip_logic": "spørgelogik", "rank_repeated": "gentaget rang", "rank_too_many": "for mange rang",
    "rank_out_of_range": "rang uden for interval", "empty_row": "tom række",
    "unknown_column": "ukendt kolonne", "missing_column": "manglende kolonne",
    "duplicate_column": "dobbelt kolonne", "extra_fields": "for mange felter", "short_row": "for få felter", "not_answered": "ikke besvaret", "rejected": "afvist",
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang: must be 'da' or 'en', got {lang!r}")
    return lang


def format_value(value: object, lang: str = "da") -> str:
    """A cell value as text: integral floats without decimals, a decimal comma in Danish."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v):
            return ""
        text = str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
        return text.replace(".", ",") if lang == "da" else text
    if isinstance(value, pd.Timestamp | datetime):
        ts = pd.Timestamp(value)
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.integer | np.bool_):
        return str(value.item())
    return str(value)


def codes_text(codes: list[int]) -> str:
    """``[1, 2, 3, 4, 5, 6, 9]`` -> ``"1-6, 9"``."""
    codes = sorted(set(int(c) for c in codes))
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(f"{codes[i]}-{codes[j]}" if j - i >= 2 else ", ".join(map(str, codes[i : j + 1])))
        i = j + 1
    return ", ".join(parts)


def _cut_text(text: str, width: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…"


def _quoted(value: object, lang: str) -> str:
    text = format_value(value, lang)
    return f"'{text}'" if isinstance(value, str) else text


def message(rule: str, *, row, respondent: str, column: str, value: object, detail: dict,
            codebook: Codebook, lang: str = "da") -> str:
    """One problem as a sentence."""
    i = 0 if lang == "da" else 1
    if rule in COLUMN_TEMPLATES:
        owner = codebook.item_for_column(column) if column else None
        question = f' ("{_cut_text(owner.text)}")' if owner is not None and owner.text != column else ""
        return COLUMN_TEMPLATES[rule][i].format(column=column, row=row, question=question)
    fields: dict[str, object] = {"value": _quoted(value, lang), **detail}
    item = codebook.item_for_column(column) if column else None
    if rule == "invalid_code":
        if item is not None and item.type == "multiple":
            fields.setdefault("codes", "0, 1")
        elif item is not None:
            fields.setdefault("codes", codes_text(item.allowed_codes))
        elif codebook.wave is not None and column == codebook.wave.column:
            fields.setdefault("codes", codes_text(list(codebook.wave.labels)))
        if not isinstance(fields.get("codes"), str):
            fields["codes"] = codes_text(fields.get("codes") or [])
    elif rule == "out_of_range" and item is not None and item.range is not None:
        fields.update(lo=format_value(float(item.range[0]), lang), hi=format_value(float(item.range[1]), lang))
    elif rule == "wrong_type":
        fields["kind"] = KINDS.get(str(detail.get("kind")), KINDS["code"])[i]
    elif rule in ("rank_out_of_range", "rank_too_many") and item is not None:
        fields["k"] = item.k
    elif rule == "skip_logic" and item is not None and item.ask_if is not None:
        fields.update(cond=item.ask_if.item, codes=codes_text(list(item.ask_if.codes)))
        cv = detail.get("cond_value")
        fields["cond_value"] = format_value(cv, lang) or ("tom" if lang == "da" else "blank")
    elif rule == "date_range":
        fields.setdefault("lo", "")
        fields.setdefault("hi", "")
    who = f" (respondent {respondent})" if respondent else ""
    if rule == "empty_row":
        return (f"Række {row}{who}: rækken indeholder ingen svar." if lang == "da"
                else f"Row {row}{who}: the row holds no answers.")
    if rule == "extra_fields":
        n, k = detail.get("n_fields"), detail.get("n_header")
        return (f"Række {row}{who} har {n} felter, men overskriften har {k}; rækken sættes i karantæne "
                f"med de ekstra felter ({_quoted(value, lang)}) bevaret." if lang == "da" else
                f"Row {row}{who} has {n} fields but the header has {k}; the row is quarantined with "
                f"the extra fields ({_quoted(value, lang)}) kept.")
    if rule == "short_row":
        n, k = detail.get("n_fields"), detail.get("n_header")
        return (f"Række {row}{who} har {n} felter, men overskriften har {k}; de manglende felter til "
                f"sidst er læst som tomme." if lang == "da" else
                f"Row {row}{who} has {n} fields but the header has {k}; the missing trailing fields "
                f"are read as blank.")
    body = TEMPLATES.get(rule, ("regel {rule} er brudt.", "rule {rule} is broken."))[i]
    try:
        text = body.format(rule=rule, **fields)
    except (KeyError, IndexError):
        text = body.split("{")[0] + f"{rule}."
    if lang == "da":
        head = f"Række {row}{who}" if row != "" else "Fil"
        return f"{head}, kolonne {column}: {text}"
    head = f"Row {row}{who}" if row != "" else "File"
    return f"{head}, column {column}: {text}"
