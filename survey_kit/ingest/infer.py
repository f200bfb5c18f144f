"""Draft a codebook from an export, for the analyst to check and edit.

:func:`draft_codebook` reads the export with :func:`survey_kit.ingest.readers.read_export` and
decides, column by column, what each one is; a draft always comes out. The rules:

1. Platform system columns (SurveyXact's ``closetime``, ``statoverall_*``; Qualtrics' ``Status``;
   Forms' ``Email`` ...) and columns starting with ``_`` are left out; so are form metadata
   (timestamps, durations, IP, status, language, referrer) and personal data (e-mail, name, phone,
   CPR), recognised by name in eight languages and, for personal data, by content; a note names them.
2. The respondent id is the first id-named column (``respondentid``, ``responde``, ``ResponseId``,
   ``ID``, ``id``, ``Teilnehmer``, ``token`` ...), or a first column counting up, whose values are
   unique and non-empty in the data; an id-named column unique for at least 95 % of the rows stays
   the id and its repeats are quarantined as duplicates (noted); participant codes (``S004``) are ids.
   When no column qualifies, the row number (``_source_row``) is the id and the draft says why.
3. SurveyXact-style option families ``s_11_1, s_11_2 ...`` holding only 0/1 are one ``multiple``
   item; a Forms column of ``a;b;`` cells is a ``multiple`` item; so are consecutive
   ``Question (option)`` / ``Question [option]`` columns of 0/1 or ticked/not-ticked words
   (LimeSurvey's Oui/Non, Yes/No, Y/blank; "N/A" when not shown), and Typeform's one column per
   option headed by the option's text and holding it when ticked (an "Other" column of written-in
   answers last; the question text is in no header, so a note asks for it).
4. Answer scales are knowledge (:mod:`survey_kit.codebook.scales`): answers on a known scale in
   Danish, Norwegian, Swedish or English make a ``likert`` item (yes/no a ``single`` item) with
   ``positive`` set to the agreeing end. Text answers are coded ``1..k`` in scale order, the same
   codes for every item on the scale; labelled codes (SPSS, SurveyXact) keep the file's codes and
   order. Answers on no known scale get their order from the labels themselves
   (:mod:`survey_kit.codebook.label_order`: codes in the labels, numbers and bands, intensity
   words in eight languages), one coded scale per battery of items sharing their answers (answers
   nobody chose in one item included); only when no reading applies do they keep the order they
   first appear in (noted), never frequency order. Don't-know answers ("Ved ikke", "Weiß nicht",
   "No sé", "I am not sure" ...) and negative codes are ``missing``, matched as whole labels.
   Whole numbers without labels that spread wider than any answer scale (ages 19, 22, 52; more
   than 12 apart, no-answer codes such as 99 aside), or that answer "how old" / "how many" in
   eight languages, are ``number`` items; a question that states its scale ("from 1 (not at all)
   to 10") gets the whole range in numeric order.
5. ``single`` items that read like background variables (words in eight languages: "køn",
   "kjønn", "kön", "gender", "Geschlecht", "sexo", "afdeling", "department", "age" ...) or whose
   few answers are such groups (Mann/Kvinne, age bands "18-29", "45+") get ``group: true``.
6. Short labels are the part of the question text that differs within a battery, unique within
   the codebook (texts alike but for a word: "… før", "… under", "… etter").
7. What the draft could not decide, and any conflict in one item (a code both an answer and a
   missing code, a label that would match another column), becomes a ``# TJEK:`` comment in the
   YAML and a warning; ``survey-kit codebook check`` lists them.

Item codes are the column names made to fit ``^[A-Za-z][A-Za-z0-9_]*$`` (æ -> ae, ø -> oe,
å -> aa; long question-text headers become ``q1``, ``q2``...); when the code differs from the
column name, the item's ``label`` keeps the column name so mapping finds the column again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from survey_kit.codebook.model import Codebook, CodebookError, Item, parse_codebook
from survey_kit.ingest import _infer_columns as C
from survey_kit.ingest._checkbox import option_column_runs
from survey_kit.ingest._infer_columns import Note
from survey_kit.ingest._pii_columns import personal_kind
from survey_kit.ingest.raw import RawExport
from survey_kit.validate.messages import check_lang

__all__ = ["Draft", "draft_codebook", "open_decisions"]

CHECK = "TJEK"
#: The comment that marks a note in a drafted codebook, per language.
MARKS = {"da": CHECK, "en": "CHECK"}
GIVE_POSITIVE = Note("angiv 'positive' (de koder, der tæller som positive svar)",
                     "give 'positive' (the codes that count as positive answers)")
_ID_NAMES = ("respondentid", "responde", "responseid", "response_id", "respondent_id", "respondent",
             "id", "løbenr", "lobenr", "lbnr", "loebenr", "deltagerid", "teilnehmer", "teilnehmerid",
             "participant", "participantid", "participant_id", "deltager", "deltaker", "deltagare", "token",
             "participante", "deelnemer", "responseid", "submissionid", "#")
#: Form metadata by name, in eight languages (timestamps, durations, IP, status, language, referrer ...):
#: never questions.
_METADATA = re.compile(
    r"^(?:time\s*stamp|timestamp|tidsstempel|tidsstämpel|zeitstempel|marca temporal|marca de tiempo|"
    r"horodateur|horodatage|tijdstempel|carimbo de data/hora|"
    r"(?:start|end|finish|completion|submit|submission|last modified|modified|created|recorded|response)"
    r"\s*(?:date|time|tid|zeit|at|date \(utc\)|time \(utc\))?(?:\s*\(utc\))?|"
    r"date submitted|date started|date last action|submitted at|started at|network id|"
    r"start ?tidspunkt|starttidspunkt|slut ?tidspunkt|sluttidspunkt|fuldførelses?tidspunkt|fullføringstidspunkt|"
    r"tidspunkt for .*|starttid|sluttid|startzeit|endzeit|beginn|ende|fecha de inicio|fecha de fin|"
    r"hora de inicio|hora de finalización|heure de début|heure de fin|begintijd|eindtijd|"
    r"startdate|enddate|recordeddate|submitdate|startdate|datestamp|lastpage|last page|seed|"
    r"duration.*|dauer|varighed|varighet|varaktighet|duración|durée|duur|interviewtime|"
    r"ip ?address|ipaddress|ipaddr|ip|ip-adresse|ip-adress|"
    r"status|progress|finished|fremskridt|fortschritt|"
    r"(?:start |user |)language|startlanguage|userlanguage|sprog|språk|sprache|idioma|langue|taal|"
    r"referrer|referer|refurl|quelle|source|kilde|källa|fuente|herkunft|"
    r"distribution ?channel|distributionchannel|collector id|location ?(?:latitude|longitude|accuracy)|"
    r"locationlatitude|locationlongitude|user agent|browser|operating system|resolution|"
    r"externalreference|external ?data ?reference|recipient ?(?:first|last) ?name|total time|"
    r"group time:.*|question time:.*|interview time|custom data ?\d*|custom variable ?\d*)$",
    re.I)
#: A bare "date"/"time" header: metadata when its cells are timestamps (a date with a time of day).
_WHEN = re.compile(r"^(?:date|dato|datum|fecha|data|date ?time|datetime|time|tid|zeit|tidspunkt|hora)$", re.I)


def _stamped(s: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(s):
        return True
    cells = s.iloc[:2000].dropna().astype(str).str.strip()
    cells = cells[cells != ""]
    return len(cells) >= 2 and bool(cells.str.contains(r"\d\D\d.*\b\d{1,2}[:.]\d{2}\b").mean() >= 0.9)


#: Personal data by name (e-mail, name, phone, CPR): left out of the draft, never read in clear.
_PERSONAL = re.compile(
    r"^(?:(?:what is your|hvad er dit|hvad er din|hva er ditt|hva er din|vad är ditt|vad är din|wie ist ihr|"
    r"cuál es tu|cuál es su|quel est votre|wat is uw|your|dit|din|ditt|ihr|ihre|dein|deine|su|tu|votre|ton|uw|je)"
    r"\s+)?(?:full\s+|fulde\s+|fulle\s+)?(?:e-?mail(?: ?address(?:e)?)?|email|e-?post(?:adresse)?|e-?postadress|mail|correo(?: electrónico)?|"
    r"dirección de correo electrónico|adresse (?:e-?mail|électronique|de messagerie)|courriel|"
    r"e-?mailadres|recipient ?email|recipientemail|emailaddress|"
    r"name|navn|namn|fornavn|efternavn|etternavn|förnamn|efternamn|vorname|nachname|nombre|apellidos?|"
    r"nom|prénom|naam|voornaam|achternaam|full name|first ?name|last ?name|fuldt navn|fullt navn|"
    r"nombre completo|nom complet|volledige naam|"
    r"phone|phone number|telephone|telefon|telefonnummer|tlf|mobil|mobile|mobilnummer|handy|teléfono|"
    r"téléphone|telefoon|telefoonnummer|cpr|cpr-?nummer|cpr-?nr|personnummer|fødselsnummer|"
    r"address|adresse|adress|dirección|adres|postadresse)$",
    re.I)
_BACKGROUND = re.compile(
    r"\b(?:"
    # Danish
    r"enhed|enheder|afdeling|afdelinger|område|omraade|fagområde|fagomraade|forvaltning|sektor|køn|koen|"
    r"alder|aldersgruppe|anciennitet|stilling|stillingsbetegnelse|uddannelse|bølge|måling|målingsrunde|"
    r"arbejdssted|arbejdsplads|institution|kommune|civilstand|ledelsesniveau|faggruppe|klassetrin|"
    r"leder eller medarbejder|mand eller kvinde|kvinde eller mand|dreng eller pige|pige eller dreng|"
    r"rolle|jobfunktion|personalegruppe|medarbejdergruppe|ansættelsesform|"
    # Norwegian
    r"kjønn|kjonn|jente eller gutt|gutt eller jente|avdeling|enhet|stillingskategori|utdanning|fylke|"
    r"trinn|klassetrinn|kvinne eller mann|mann eller kvinne|ansiennitet|"
    # Swedish
    r"kön|kon|ålder|avdelning|befattning|tjänst|utbildning|årskurs|förvaltning|kvinna eller man|man eller kvinna|"
    # English
    r"gender|sex|age|agegp\d*|age group|department|unit|area|region|sector|seniority|tenure|position|"
    r"job title|job role|role|education|educ\w*|wave|marital|school|grade|team|division|"
    r"male or female|female or male|"
    # German, Spanish, French, Dutch
    r"geschlecht|alter|altersgruppe|abteilung|bereich|bildung|bildungsabschluss|schulabschluss|beruf|funktion|"
    r"arbeitsverhältnis|berufsgruppe|region|bundesland|wohnort|"
    r"sexo|género|genero|edad|grupo de edad|departamento|área|area|unidad|sector|puesto|cargo|nivel educativo|"
    r"estudios|región|provincia|sexe|genre|âge|tranche d'âge|département|service|unité|secteur|poste|fonction|"
    r"niveau d'études|diplôme|geslacht|leeftijd|leeftijdsgroep|afdeling|eenheid|functie|opleiding|opleidingsniveau|"
    r"gender identity|identify as|identifiserer|identifierar|identificerer|bor|lives?|live|location|"
    r"employment|employment status|occupation|ansættelse|ansettelse|anställning|"
    # the size of the workplace ("How many employees does your company have?")
    r"how many employees|number of employees|company size|organi[sz]ation size|antal ansatte|antal medarbejdere|"
    r"antall ansatte|anzahl der mitarbeiter|número de empleados"
    r")\b",
    re.I,
)
_QUESTION_ABOUT = re.compile(
    r"^\s*(?:hvilk|hvad er din|hvad er dit|hvor gammel|er du|hvilken|hvor lenge|hva er|hvor gammal|"
    r"vilk|vad är|är du|which|what is your|are you|how old|in which|where do you|to which|"
    r"welche|welchem|welcher|was ist ihr|wie alt|in welche|sind sie|wo wohnen|"
    r"cuál|cual|qué edad|que edad|eres|es usted|dónde|quel|quelle|êtes-vous|quel âge|où|"
    r"welk|wat is uw|hoe oud|bent u|waar woont|hvor mener du|hvor bor|var bor|"
    r"how many|hvor mange|wie viele|cuántos|combien)", re.I)
_GROUP_ANSWERS = re.compile(
    r"^(?:mand|kvinde|mænd|kvinder|mann|kvinne|man|kvinna|male|female|man|woman|men|women|jente|gutt|"
    r"pige|dreng|flicka|pojke|girl|boy|andet|annet|annat|other|weiblich|männlich|divers|frau|mann|"
    r"hombre|mujer|masculino|femenino|otro|homme|femme|autre|vrouw|anders|non-binary|ikke-binær)$", re.I)
_ARTICLE = re.compile(r"^(?:une?|a|an|en|et|ein|eine|una?|el|la|een|de)\s+", re.I)  # "Une femme", "Un homme"
_BAND = re.compile(r"^\s*(?:\d{1,3}\s*[-–]\s*\d{1,3}|\d{1,3}\s*\+|(?:under|over|mindre end|mere end|mindre enn|"
                   r"mer enn|less than|more than|unter|über|menos de|más de|moins de|plus de)\s*\d{1,3})\s*"
                   r"(?:år|years?|jahre|años|ans|jaar|aar)?\s*$", re.I)
_SEPARATORS = re.compile(r"(?:[:?]\s+|\s+-\s+|\s*…\s*|\.\s+)")


@dataclass(frozen=True)
class Draft:
    """A drafted codebook and what the analyst must decide.

    Attributes
    ----------
    codebook
        A valid :class:`~survey_kit.codebook.Codebook`.
    notes
        Item code (``""`` for the codebook as a whole) -> sentences to check (Danish strings; a
        :class:`~survey_kit.ingest._infer_columns.Note` also has its English wording).
    """

    codebook: Codebook
    notes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        """Every note as ``"item: sentence"`` (Danish; :meth:`warnings_in` for English)."""
        return self.warnings_in("da")

    def warnings_in(self, lang: str = "da") -> list[str]:
        """Every note as ``"item: sentence"`` in ``lang`` (``"da"`` or ``"en"``)."""
        check_lang(lang)
        return [f"{code}: {_text(n, lang)}" if code else _text(n, lang)
                for code, ns in self.notes.items() for n in ns]

    def to_yaml(self, lang: str = "da") -> str:
        """The codebook as YAML with each note as a comment above its item: ``# TJEK:`` in Danish,
        ``# CHECK:`` in English (``lang="en"``)."""
        mark = MARKS[check_lang(lang)]
        text = self.codebook.to_yaml()
        lines = text.splitlines()
        out: list[str] = []
        head = self.notes.get("", [])
        if head:
            out += [f"# {mark}: {_one_line(_text(n, lang))}" for n in head]
        for line in lines:
            m = re.match(r"^(\s*)- code: ['\"]?([A-Za-z][A-Za-z0-9_]*)['\"]?$", line)
            if m and self.notes.get(m.group(2)):
                out += [f"{m.group(1)}# {mark}: {_one_line(_text(n, lang))}" for n in self.notes[m.group(2)]]
            out.append(line)
        return "\n".join(out) + "\n"


def open_decisions(path: str | Path, codebook: Codebook, lang: str = "da") -> list[str]:
    """What is left to decide in a codebook file: its ``# TJEK:`` (or ``# CHECK:``) comments
    (with the item they stand above), likert items without ``positive``, and a row number used
    as the id; the last two said in ``lang``."""
    check_lang(lang)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    pending: list[str] = []
    for line in lines:
        m = re.match(rf"^\s*#\s*(?:{'|'.join(MARKS.values())}):\s*(.*)$", line)
        if m:
            pending.append(m.group(1).strip())
            continue
        c = re.match(r"^\s*- code: ['\"]?([A-Za-z][A-Za-z0-9_]*)", line)
        if pending and (c or line.strip()):
            where = f"{c.group(1)}: " if c else ""
            out += [f"{where}{p}" for p in pending]
            pending = []
    out += pending
    flagged = {o.split(":", 1)[0] for o in out}
    for it in codebook.items:
        if it.type == "likert" and not it.positive and it.code not in flagged:
            out.append(f"{it.code}: {_text(GIVE_POSITIVE, lang)}")
    if codebook.respondent_id.column == "_source_row" and not any("_source_row" in o for o in out):
        out.append("respondent_id: " + _text(Note(
            "rækkenummeret bruges som id; angiv en kolonne, hvis filen har et entydigt id",
            "the row number is used as the id; name a column if the file has a unique id"), lang))
    return out


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _text(note: str, lang: str) -> str:
    """A note in ``lang``: a :class:`Note`'s English wording, else the note itself."""
    return note.text(lang) if isinstance(note, Note) else str(note)


def infer_codebook(path: str | Path, *, instrument: str | None = None, sheet: str | None = None) -> Codebook:
    """Deprecated: ``draft_codebook(path, ...).codebook`` (one name per thing; the draft keeps its
    notes, which the analyst needs)."""
    import warnings

    warnings.warn("survey_kit.ingest.infer_codebook is deprecated; use "
                  "survey_kit.draft_codebook(path).codebook (same arguments)", DeprecationWarning, stacklevel=2)
    return draft_codebook(path, instrument=instrument, sheet=sheet).codebook


def draft_codebook(path: str | Path, *, instrument: str | None = None, sheet: str | None = None) -> Draft:
    """Draft a codebook from an export (rules in the module docstring).

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
    Draft
        ``draft.to_yaml()`` is the draft to edit, with ``# TJEK:`` comments.

    Raises
    ------
    DataError
        The file cannot be read, or holds no answer columns at all.

    Examples
    --------
    >>> draft = draft_codebook("survey.sav", instrument="trivsel_2024")  # doctest: +SKIP
    >>> print(draft.to_yaml())  # doctest: +SKIP
    """
    from survey_kit.ingest.core import read_raw

    raw = read_raw(path, sheet=sheet)
    return draft_from_raw(raw, instrument=instrument)


def draft_from_raw(raw: RawExport, *, instrument: str | None = None) -> Draft:
    """:func:`draft_codebook` for an export already read."""
    frame = raw.frame
    notes: dict[str, list[str]] = {}
    id_col, why = _respondent_id(raw)
    if why:
        notes[""] = [why]
    skip = set(raw.system_columns) | ({id_col} if id_col else set()) | {c for c in frame.columns if str(c).startswith("_")}
    metadata, personal = _form_columns(raw, [c for c in frame.columns if c not in skip])
    if not [c for c in frame.columns if c not in skip | set(metadata) | set(personal)]:
        metadata = []  # nothing but metadata (a file of timings): draft them rather than nothing
    skip |= set(metadata) | set(personal)
    _left_out_notes(notes, metadata, personal)
    columns = [c for c in frame.columns if c not in skip]
    used: set[str] = set()
    items: list[dict[str, Any]] = []
    C.RESERVED.set(frozenset(str(c) for c in columns if C.CODE_OK.match(str(c))))  # "Q2_-1" never takes "Q2_1"
    fams = C.families(raw, columns)
    owner = {c: b for b, cols in fams.items() for c in cols}
    texts = C.text_families(raw, [c for c in columns if c not in owner])
    text_owner = {c: head for head, cols in texts.items() for c in cols}
    ticks = option_column_runs(frame, [c for c in columns if c not in owner and c not in text_owner],
                               skip=frozenset(raw.integer_columns))
    tick_owner = {c: i for i, cols in enumerate(ticks) for c in cols}
    for col in columns:
        if col in owner:
            if col == fams[owner[col]][0]:
                items.append(C.multiple_family(raw, owner[col], fams[owner[col]], used))
            continue
        if col in text_owner:
            if col == texts[text_owner[col]][0]:
                items.append(C.text_family_item(text_owner[col], texts[text_owner[col]], used))
            continue
        if col in tick_owner:
            if col == ticks[tick_owner[col]][0]:
                items.append(C.tick_run_item(raw, ticks[tick_owner[col]], used))
            continue
        items.append(C.column_item(raw, col, used))
    if not items:
        raise CodebookError(f"{raw.path}: filen har ingen svarkolonner at lave en kodebog ud fra",
                            en=f"{raw.path}: the file has no answer columns to draft a codebook from")
    C.resolve_text_scales(items)
    C.harmonise_siblings(raw, items)
    _battery_labels(items)
    _unique_labels(items)
    for item in items:
        if item["type"] == "single" and _is_group(item, raw):
            item["group"] = True
        elif item["type"] == "likert" and _bare_codes(item) and _BACKGROUND.search(str(item.get("_column", "")).replace("_", " ")):
            item.update(type="single", group=True)  # "sektor" coded 1-4 without labels: a background variable
            item.pop("positive", None)
            item["_notes"] = [C.Note("koderne har ingen etiketter: skriv svarteksterne",
                                     "the codes have no labels: write the answer texts")]
        elif item["type"] == "number" and _unit_codes(item):
            counts = item["_counts"]  # "kommune" coded 101, 147, 151: codes of groups, not amounts
            item.update(type="single", group=True, values={int(c): str(c) for c in counts.index})
            item["_notes"] = [C.Note("koderne har ingen etiketter: skriv svarteksterne",
                                     "the codes have no labels: write the answer texts")]
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
    codebook = _build(data, notes, raw)
    for _ in range(3):  # a relabelled item may expose another look-alike: check again
        if not _check_matching(raw, codebook, data, notes):
            break
        codebook = _build(data, notes, raw)
    return Draft(codebook, {k: v for k, v in notes.items() if v})


# -- the respondent id --------------------------------------------------------------------------
def _respondent_id(raw: RawExport) -> tuple[str | None, str | None]:
    """The id column (unique and non-empty in the data), or None and the reason."""
    frame = raw.frame
    by_lower = {str(c).strip().lower().replace(" ", ""): c for c in frame.columns}
    rejected: list[str] = []
    tried: set = set()
    for name in _ID_NAMES:
        col = by_lower.get(name)
        if col is None:
            continue
        tried.add(col)
        problem = _id_problem(frame[col])
        if problem is None:
            return col, None
        if _mostly_unique(frame[col]):
            return col, Note(
                f"kolonnen {str(col)!r} er respondent-id, men {problem}: de gentagne rækker sættes i karantæne "
                "som dubletter (den første beholdes); tjek dem i filen",
                f"column {str(col)!r} is the respondent id, but it {problem.en}: the repeated rows are "
                "quarantined as duplicates (the first is kept); check them in the file")
        rejected.append(Note(f"kolonnen {str(col)!r} {problem}", f"column {str(col)!r} {problem.en}"))
    if len(frame.columns) >= 2:
        for col in frame.columns:
            if col in tried or col in raw.value_labels or col in raw.system_columns:
                continue
            named = "id" in re.split(r"[^a-z]+", str(col).lower())
            if not (named or col == frame.columns[0]):
                continue
            v = pd.to_numeric(frame[col], errors="coerce")
            if len(v) and v.notna().all() and (v % 1 == 0).all() and v.is_unique and (named or v.is_monotonic_increasing):
                return col, None
    for col in frame.columns:  # participant codes: S004, P-017, AB12 (letters + digits, unique)
        if col in tried or col in raw.system_columns or col in raw.value_labels:
            continue
        text = frame[col].astype("string").str.strip()
        if len(text) >= 2 and text.notna().all() and text.is_unique \
                and text.str.fullmatch(r"[A-Za-z]{1,4}[-_]?\d{1,8}").all():
            return col, None
    if rejected:
        return None, Note(
            "rækkenummeret (_source_row) bruges som respondent-id, fordi " + "; ".join(rejected)
            + ". Angiv en anden kolonne under respondent_id, hvis filen har et entydigt id.",
            "the row number (_source_row) is the respondent id, because " + "; ".join(r.en for r in rejected)
            + ". Name another column under respondent_id if the file has a unique id.")
    return None, Note(
        "filen har ingen kolonne med et respondent-id; rækkenummeret (_source_row) bruges. "
        "Angiv kolonnen under respondent_id, hvis filen har et entydigt id.",
        "the file has no respondent id column; the row number (_source_row) is used. "
        "Name the column under respondent_id if the file has a unique id.")


def _id_problem(s: pd.Series) -> Note | None:
    text = s.astype("string").str.strip()
    blank = int((text.isna() | (text == "")).sum())
    present = text[text.notna() & (text != "")]
    repeated = int(present.duplicated().sum())
    if not blank and not repeated:
        return None
    parts, parts_en = [], []
    if blank:
        parts.append(f"{blank} tomme")
        parts_en.append(f"{blank} blank")
    if repeated:
        examples = ", ".join(map(str, present[present.duplicated()].unique()[:3]))
        noun = "gentaget værdi" if repeated == 1 else "gentagne værdier"
        parts.append(f"{repeated} {noun} (fx {examples}; {present.nunique()} forskellige)")
        noun = "repeated value" if repeated == 1 else "repeated values"
        parts_en.append(f"{repeated} {noun} (e.g. {examples}; {present.nunique()} distinct)")
    return Note("har " + " og ".join(parts), "has " + " and ".join(parts_en))


def _mostly_unique(s: pd.Series) -> bool:
    """An id with a few repeats or blanks (at most 5 % of the rows, at least 10 rows): still the id."""
    text = s.astype("string").str.strip()
    present = text[text.notna() & (text != "")]
    return len(s) >= 10 and present.nunique() >= 0.95 * len(s)


def _form_columns(raw: RawExport, columns: list) -> tuple[list, list]:
    """Form metadata (timestamps, durations, IP, status, language, referrer) and personal columns
    (e-mail, name, phone, CPR), by name in eight languages and by content."""
    metadata, personal = [], []
    for col in columns:
        name = " ".join(str(col).replace("_", " ").split()).strip(" :?")
        if col in raw.value_labels:
            continue  # a labelled variable (SPSS "source": main source of stress) is a question
        if _PERSONAL.match(name):
            personal.append(col)
            continue
        if _METADATA.match(name):
            metadata.append(col)
            continue
        s = raw.frame[col]
        if _WHEN.match(name) and _stamped(s):  # "Date" holding "9/8/18 15:29": when the form was sent
            metadata.append(col)
            continue
        if str(col) in raw.integer_columns or pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue  # codes, numbers and dates are no e-mails; phone or CPR numbers are written as text
        cells = s.iloc[:5000].dropna().astype(str).str.strip()  # a look at the first rows, not a pass over all
        cells = cells[cells != ""].drop_duplicates().head(200)
        if len(cells) < 2 or cells.str.fullmatch(r"\d{1,7}").all() or C._looks_like_dates(cells):
            continue  # counts, codes and dates are not personal data
        if personal_kind(cells) is not None:  # the rule ingest's safety net applies (one place)
            personal.append(col)
    return metadata, personal


def _left_out_notes(notes: dict[str, list[str]], metadata: list, personal: list) -> None:
    if metadata:
        names = ", ".join(repr(str(c)) for c in metadata[:12])
        notes.setdefault("", []).append(Note(
            f"formularens metadata er ikke spørgsmål og er udeladt: {names}",
            f"form metadata are not questions and are left out: {names}"))
    if personal:
        names = ", ".join(repr(str(c)) for c in personal[:12])
        notes.setdefault("", []).append(Note(
            f"personoplysninger (e-mail, navn, telefon, CPR) er udeladt, så de aldrig vises eller gemmes i klar "
            f"tekst: {names}",
            f"personal data (e-mail, name, phone, CPR) are left out, so they are never shown or stored in clear: "
            f"{names}"))


def _unique_labels(items: list[dict[str, Any]]) -> None:
    """Labels that would read alike (three "Hvor mye brukte skjerm på fritiden om…") become the part
    of their texts that differs ("… før pandemien?"); any label still repeated gets its code."""
    by_label: dict[str, list[dict[str, Any]]] = {}
    for it in items:
        by_label.setdefault(it["label"].casefold(), []).append(it)
    for same in by_label.values():
        if len(same) < 2:
            continue
        texts = [C.short(it["text"], 10**6).split() for it in same]  # without markup
        head = len(os.path.commonprefix(texts))
        tail = len(os.path.commonprefix([t[::-1] for t in texts]))
        diffs = [" ".join(t[head:len(t) - tail if tail else None]).strip(" -:?…") for t in texts]
        if not all(diffs) or len(set(diffs)) < len(same):
            continue
        width = max(12, 40 - max(map(len, diffs)) - 2)  # one lead for the whole battery
        lead = C.short(" ".join(texts[0][:head]), width).rstrip("…")
        for it, diff in zip(same, diffs, strict=True):
            it["label"] = f"{lead}… {diff}" if head else C.short(diff, 50)
    seen: dict[str, int] = {}
    for it in items:
        key = it["label"].casefold()
        if key in seen:
            it["label"] = f"{it['label']} [{it['code']}]"
        seen[key] = 1


def _personal(frame: pd.DataFrame, id_col: str | None) -> bool:
    if id_col is None:
        return False
    v = frame[id_col].dropna().astype(str)
    return bool(len(v)) and bool(v.str.contains("@").mean() > 0.5)


# -- groups and labels --------------------------------------------------------------------------
def _is_group(item: dict[str, Any], raw: RawExport) -> bool:
    """A background variable: its name, or a short text / a question asking which group one is in,
    names one (in Danish, Norwegian, Swedish or English); or its answers are groups (Mand/Kvinde)."""
    values = item.get("values", {})
    if len(values) > 40 or (len(values) > C.MAX_SINGLE and all(v == str(c) for c, v in values.items())):
        return False  # many bare numbers (ages, years): a measure, not a group
    name = item.get("_column") or item["code"]
    header_is_text = " " in str(name).strip() and len(str(name)) > 20
    text = raw.variable_labels.get(name) or (str(name) if header_is_text else "")
    if not header_is_text and _BACKGROUND.search(str(name).replace("_", " ")):
        return True
    if text and _BACKGROUND.search(text) and (len(text.split()) <= 6 or _QUESTION_ABOUT.match(text)):
        return True
    answers = [v for v in item.get("values", {}).values()]
    if 2 <= len(answers) <= 8 and all(_BAND.match(a) for a in answers) and re.search(
            r"\b(?:år|years?|jahre|años|ans|jaar|alder|age|alter|edad|âge|leeftijd|gammel|old|alt)\b",
            " ".join(answers) + " " + text + " " + str(name), re.I):
        return True  # age bands: "18-29", "30-44", "45+"; "13-15 år"
    return 2 <= len(answers) <= 6 and sum(bool(_GROUP_ANSWERS.match(_ARTICLE.sub("", a.strip()))) for a in answers) >= 2


def _unit_codes(item: dict[str, Any]) -> bool:
    """A background variable (its name says unit, area, sector ...) holding a few whole-number codes
    without labels that spread wide (101, 147, 151): group codes, not an amount such as an age."""
    counts = item.get("_counts")
    name = str(item.get("_column") or item["code"])
    return counts is not None and 2 <= len(counts) <= C.MAX_SINGLE and int(counts.index.min()) >= 0 \
        and bool(_BACKGROUND.search(name.replace("_", " "))) and not C._MEASURE.search(name) \
        and not C._HOW_MUCH.search(name)


def _bare_codes(item: dict[str, Any]) -> bool:
    values = item.get("values") or {}
    return bool(values) and all(str(v) == str(c) for c, v in values.items())


def _battery_labels(items: list[dict[str, Any]]) -> None:
    """Within a battery (consecutive items whose texts share a lead-in such as "Hvor enig er du i:"),
    each label is the part of the text that differs."""
    i = 0
    while i < len(items):
        j = i + 1
        prefix = items[i]["text"]
        while j < len(items):
            common = os.path.commonprefix([prefix, items[j]["text"]])
            cut = _cut(common)
            if len(cut) < 12:
                break
            prefix = cut
            j += 1
        if j - i >= 2:
            for it in items[i:j]:
                rest = it["text"][len(prefix):].strip(" -:?…")
                if rest and it["label"] in (C.short(it["text"]), it["text"]):
                    it["label"] = C.short(rest, 50)
        i = j


def _cut(common: str) -> str:
    """The common prefix up to its last separator (":", "?", " - ", ". ", "…"), else ''."""
    last = None
    for m in _SEPARATORS.finditer(common):
        last = m.end()
    return common[:last] if last else ""


# -- building, conflicts, self-check ------------------------------------------------------------
def _build(data: dict[str, Any], notes: dict[str, list[str]], raw: RawExport) -> Codebook:
    """Clean the item dicts (conflicts become notes) and parse the codebook."""
    clean = []
    for item in data["items"]:
        code = item["code"]
        own = notes.setdefault(code, [])
        for n in item.get("_notes", []):
            if n not in own:
                own.append(n)
        body = {k: v for k, v in item.items() if not k.startswith("_")}
        clean.append(_resolve(body, own))
    out = dict(data, items=clean)
    try:
        return parse_codebook(out, source=f"kodebog udledt af {raw.path}")
    except CodebookError as err:  # pragma: no cover - _resolve makes each item valid
        notes.setdefault("", []).append(Note(f"udkastet kunne ikke bygges helt: {err}",
                                             f"the draft could not be built in full: {err}"))
        raise


def _resolve(item: dict[str, Any], own: list[str]) -> dict[str, Any]:
    """An item that validates: a code both answer and missing stays a missing code (noted), positive
    codes that are no answers are dropped, an item that still fails becomes text (noted)."""
    notes: list[str] = []
    item = _resolved(item, notes, own)
    own.extend(n for n in notes if n not in own)
    return item


def _resolved(item: dict[str, Any], notes: list[str], own: list[str]) -> dict[str, Any]:
    values, missing = dict(item.get("values") or {}), dict(item.get("missing") or {})
    both = sorted(set(values) & set(missing))
    if both:
        for c in both:
            notes.append(Note(
                f"kode {c} ({values[c]!r}) er både et svar og en manglende-værdi-kode i filen; "
                f"den er sat som manglende ({missing[c]!r}): ret det, hvis det er et rigtigt svar",
                f"code {c} ({values[c]!r}) is both an answer and a missing-value code in the file; "
                f"it is set as missing ({missing[c]!r}): change that if it is a real answer"))
            values.pop(c)
        item["values"] = values
    if "positive" in item:
        item["positive"] = [c for c in item["positive"] if c in values]
        if not item["positive"]:
            item.pop("positive")
    if item.get("type") == "likert" and "positive" not in item and not any("positive" in n for n in notes + own):
        notes.append(GIVE_POSITIVE)
    try:
        Item.model_validate(item)
    except ValueError as err:
        why = _one_line(str(err))[:200]
        notes.append(Note(f"kunne ikke læses som {item.get('type')} ({why}); sat til text",
                          f"could not be read as {item.get('type')} ({why}); set to text"))
        item = {k: item[k] for k in ("code", "text", "label") if k in item} | {"type": "text"}
    return item


def _check_matching(raw: RawExport, codebook: Codebook, data: dict[str, Any], notes: dict[str, list[str]]) -> bool:
    """Every drafted column must map onto its own item. A column that would map onto another item
    (another item's label, cut to 40 characters, reads like this column's header: "Score
    (Indekseret score) (gennemsnit)") makes that item's label unique with its code, and is noted.
    Returns True when a label changed."""
    from survey_kit.ingest.mapping import match_columns, normalise_text

    matched, _, _ = match_columns(raw, codebook)
    owners = {it.get("_column"): it for it in data["items"] if it.get("_column") is not None}
    changed = False
    for col, mine in owners.items():
        target = matched.get(str(col))
        if target is not None and target.column == mine["code"]:
            continue
        key = normalise_text(col)
        for other in data["items"]:
            if other is mine or other["label"].endswith(f"[{other['code']}]"):
                continue
            if normalise_text(other["label"]) == key or (target is not None and target.column == other["code"]):
                other["label"] = f"{other['label']} [{other['code']}]"
                changed = True
                note = Note(f"etiketten lignede kolonnen {str(col)!r} ({mine['code']}); koden er sat på, så den er entydig",
                            f"the label looked like column {str(col)!r} ({mine['code']}); the code is added to "
                            "make it unique")
                if note not in notes.setdefault(other["code"], []):
                    notes[other["code"]].append(note)
    return changed


def _instrument_id(path: Path) -> str:
    stem = path.parent.name if path.name.lower() in ("dataset.csv", "dataset_en.csv") else path.stem
    code = C.sanitise(stem).lower()
    if not code or not code[0].isalpha():
        code = f"survey_{code}".rstrip("_")
    return code
