"""What is left to decide in a drafted codebook, decided in one place (issue 23, part 9).

``sk.review(draft, export)`` reads a codebook drafted by ``survey-kit codebook infer`` (with its
``# TJEK:`` / ``# CHECK:`` notes) and the export it was drafted from, and shows in JupyterLab every
open decision grouped by item: the notes, the item's answers with their counts in the export
(read and mapped by ingest's own reader, so the counts are what ingest will see), and controls for
the answer order, the type, which answers are missing (don't know), which count as positive, group
variable, personal data and leaving the item out. "Gem" writes the YAML back.

The state without widgets is :class:`Review` (decisions as methods, :meth:`Review.to_yaml`,
:meth:`Review.save`); :class:`ReviewWidget` is the ipywidgets face of it. What is written:

- the notes of a decided item (and decided notes of the codebook as a whole) are removed;
- a decided item whose content changed is written anew (ruamel.yaml, in the draft's style: the
  item's keys in their order, new keys where the codebook model puts them); comments inside it
  that are not notes are kept above it;
- every other line (other comments, key order, untouched items, undecided notes) is kept byte for
  byte: the file is edited line by line around the items ruamel.yaml located.

Answer codes: answers written as text in the export are coded ``1..k`` in the decided order (the
reader maps labels to codes); answers that are codes in the export (SPSS, SurveyXact) keep the
file's codes, so their order is the file's and cannot be changed here. A decision on the answers
applies by default to every item with the same answers (one coded scale per battery).
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from survey_kit.errors import DataError

__all__ = ["Answer", "ItemReview", "Review", "ReviewWidget", "review"]

MARKS = ("TJEK", "CHECK")
_NOTE = re.compile(rf"^\s*#\s*(?:{'|'.join(MARKS)}):\s*(.*?)\s*$")
_ITEM_START = re.compile(r"^(\s*)-\s+code:\s*['\"]?([A-Za-z][A-Za-z0-9_]*)")
CATEGORICAL = ("likert", "single")
#: The types an item may be changed to, by what it holds now.
TYPES = {"likert": ("likert", "single", "text"), "single": ("single", "likert", "text"),
         "multiple": ("multiple", "text"), "ranking": ("ranking", "text"),
         "text": ("text", "number", "date"), "number": ("number", "text"), "date": ("date", "text")}
#: Keys of an item in the codebook model's order (new keys are inserted where they belong).
_KEY_ORDER = ("code", "text", "label", "type", "values", "missing", "positive", "reverse", "scale",
              "min_n", "ask_if", "range", "date_range", "k", "group", "personal", "parent", "sources",
              "waves", "recode")

WORDS = {
    "da": {
        "title": "Gennemgang af kodebogsudkast",
        "whole": "Hele kodebogen", "item": "Spørgsmål:", "type": "Type:", "group": "Gruppevariabel",
        "personal": "Personoplysning", "ignore": "Udelad", "decided": "Afgjort", "answer": "Svar",
        "count": "Antal", "missing": "Ved ikke", "positive": "Positiv", "blank": "uden svar",
        "unread": "kunne ikke læses", "save": "Gem", "next": "Næste", "up": "Flyt op",
        "down": "Flyt ned", "siblings": "Gælder også de {n} andre spørgsmål med samme svar ({codes})",
        "coded": "Svarene er koder i filen: rækkefølgen følger filens koder.",
        "answered": "besvaret", "saved": "Gemt i {path} ({n} afgjort). Tilbage: {left}.",
        "summary": "{items} spørgsmål med åbne beslutninger, {general} om hele kodebogen",
        "nothing": "Ingen åbne beslutninger: kodebogen er klar.", "column": "kolonne",
        "examples": "Eksempler", "options": "Svarmuligheder (flere kan vælges)",
        "done": "afgjort", "id": "Id-kolonne:", "row_number": "(rækkenummeret)",
    },
    "en": {
        "title": "Review of a codebook draft",
        "whole": "The whole codebook", "item": "Item:", "type": "Type:", "group": "Group variable",
        "personal": "Personal data", "ignore": "Leave out", "decided": "Decided", "answer": "Answer",
        "count": "Count", "missing": "Don’t know", "positive": "Positive", "blank": "no answer",
        "unread": "could not be read", "save": "Save", "next": "Next", "up": "Move up",
        "down": "Move down", "siblings": "Applies also to the {n} other items with the same answers ({codes})",
        "coded": "The answers are codes in the file: their order follows the file's codes.",
        "answered": "answered", "saved": "Saved to {path} ({n} decided). Left: {left}.",
        "summary": "{items} item(s) with open decisions, {general} about the whole codebook",
        "nothing": "No open decisions: the codebook is ready.", "column": "column",
        "examples": "Examples", "options": "Options (several can be chosen)",
        "done": "decided", "id": "Id column:", "row_number": "(the row number)",
    },
}


def _err(da: str, en: str) -> DataError:
    return DataError(da, da=da, en=en)


@dataclass
class Answer:
    """One answer of an item: its code in the draft, label, count in the export, and decisions."""

    code: int
    label: str
    count: int
    missing: bool = False
    positive: bool = False


@dataclass
class ItemReview:
    """One item of the draft and what is decided about it."""

    code: str
    text: str
    label: str
    type: str
    notes: list[str]
    answers: list[Answer]
    column: str | None = None  # the export's column (None: not found in the export)
    coded: bool = False  # the export holds codes (their order is the file's)
    blank: int = 0
    unread: list[tuple[str, int]] = field(default_factory=list)
    answered: int = 0
    examples: list[tuple[str, int]] = field(default_factory=list)
    group: bool = False
    personal: bool = False
    ignore: bool = False
    decided: bool = False
    siblings: list[str] = field(default_factory=list)
    original: tuple = ()  # the state as drafted (see ``state``)

    @property
    def state(self) -> tuple:
        """(type, [(code, label, missing, positive)], group, personal): what a decision changes."""
        return (self.type, [(a.code, a.label, a.missing, a.positive) for a in self.answers], self.group,
                self.personal)

    @property
    def changed(self) -> bool:
        return self.ignore or self.state != self.original

    @property
    def personal_drop(self) -> bool:
        """Personal data is left out of the codebook, unless the codebook model knows a per-item
        ``personal`` (then the item is marked, and ingest pseudonymises it)."""
        from survey_kit.codebook.model import Item

        return self.personal and "personal" not in Item.model_fields


@dataclass
class _Block:
    code: str
    start: int  # first line of the item (the "- code:" line)
    end: int  # one past its last content line
    gap: int  # first line of the comments/blank lines before it


class Review:
    """A drafted codebook and its export: the open decisions, and the YAML with them decided.

    Parameters
    ----------
    draft : path
        The codebook YAML drafted by ``survey-kit codebook infer`` (``# TJEK:`` notes).
    export : path
        The export it was drafted from (any file ``survey-kit ingest`` reads).
    sheet : str, optional
        Excel sheet of the export.
    lang : "da" or "en"
        Language of the widget and its sentences.
    """

    def __init__(self, draft: str | Path, export: str | Path, *, sheet: str | None = None,
                 lang: str = "da") -> None:
        from survey_kit.ingest.readers import read_raw
        from survey_kit.validate.messages import check_lang

        self.lang = check_lang(lang)
        self.path = Path(draft)
        self.export = Path(export)
        self.sheet = sheet
        self.raw = read_raw(self.export, sheet=sheet)
        self._load()

    # -- reading ------------------------------------------------------------------------------
    def _load(self) -> None:
        from survey_kit.codebook import load_codebook

        self.codebook = load_codebook(self.path)
        with open(self.path, encoding="utf-8", newline="") as fh:  # line ends as written (CRLF too)
            self.text = fh.read()
        self.lines = self.text.splitlines(keepends=True)
        try:
            self.doc = _yaml().load(self.text)
        except Exception as err:  # ruamel.yaml stricter than the codebook reader (e.g. duplicate keys)
            why = " ".join(str(err).split())[:200]
            raise _err(f"{self.path}: filen kan ikke læses linje for linje ({why})",
                       f"{self.path}: the file cannot be read line by line ({why})") from None
        self.blocks = self._blocks()
        self.general: list[tuple[int, str]] = []  # codebook-level notes: (line, text)
        self.general_decided: set[int] = set()
        notes = self._notes()
        self.items: dict[str, ItemReview] = {}
        counts = self._mapped_cache = self._counts()
        for it in self.codebook.items:
            own = notes.get(it.code, [])
            if it.type == "likert" and not it.positive and not any("positive" in n for n in own):
                own = [*own, _give_positive(self.lang)]
            if not own:
                continue
            self.items[it.code] = self._item_review(it, own, counts)
        for rv in self.items.values():
            rv.siblings = [c for c in self._same_answers(rv.code) if c != rv.code]

    def _blocks(self) -> list[_Block]:
        seq = self.doc.get("items") if hasattr(self.doc, "get") else None
        if seq is None or len(seq) != len(self.codebook.items):
            raise _err(f"{self.path}: kodebogens items kunne ikke findes linje for linje",
                       f"{self.path}: the codebook's items could not be located line by line")
        starts = [seq.lc.item(i)[0] for i in range(len(seq))]
        blocks = []
        for i, s in enumerate(starts):
            m = _ITEM_START.match(self.lines[s]) if s < len(self.lines) else None
            if m is None or m.group(2) != self.codebook.items[i].code:
                raise _err(f"{self.path}: linje {s + 1} er ikke starten på spørgsmålet "
                           f"{self.codebook.items[i].code!r}; skriv hvert spørgsmål som '- code: ...'",
                           f"{self.path}: line {s + 1} does not start item {self.codebook.items[i].code!r}; "
                           "write each item as '- code: ...'")
            indent = len(m.group(1))
            stop = starts[i + 1] if i + 1 < len(starts) else self._after(s, indent)
            end = stop
            while end > s + 1 and (not self.lines[end - 1].strip() or self.lines[end - 1].lstrip().startswith("#")):
                end -= 1
            gap = s
            while gap > 0 and (not self.lines[gap - 1].strip() or self.lines[gap - 1].lstrip().startswith("#")) \
                    and (not blocks or gap > blocks[-1].end):
                gap -= 1
            blocks.append(_Block(self.codebook.items[i].code, s, end, gap))
        return blocks

    def _after(self, start: int, indent: int) -> int:
        """The first line after the last item that is back at (or before) the items' indent."""
        for j in range(start + 1, len(self.lines)):
            line = self.lines[j]
            if line.strip() and not line.lstrip().startswith("#"):
                if len(line) - len(line.lstrip()) <= indent and not line.lstrip().startswith("- "):
                    return j
                if len(line) - len(line.lstrip()) < indent:
                    return j
        return len(self.lines)

    def _owner(self, line: int) -> str | None:
        for b in self.blocks:
            if b.gap <= line < b.end:
                return b.code
        return None

    def _notes(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        self._note_lines: dict[str, list[int]] = {}
        for i, line in enumerate(self.lines):
            m = _NOTE.match(line)
            if not m:
                continue
            owner = self._owner(i)
            if owner is None:
                self.general.append((i, m.group(1)))
            else:
                out.setdefault(owner, []).append(m.group(1))
                self._note_lines.setdefault(owner, []).append(i)
        return out

    def _counts(self) -> Any:
        from survey_kit.ingest.mapping import map_export

        try:
            mapped = map_export(self.raw, self.codebook, require_key=False)
        except DataError as err:
            raise _err(err.text("da"), err.text("en")) from None
        return mapped

    def _item_review(self, it: Any, notes: list[str], mapped: Any) -> ItemReview:
        frame, issues = mapped.frame, mapped.issues
        source = {t: s for s, t in mapped.matched.items()}
        column = source.get(it.code) or next((source[c] for c in it.columns if c in source), None)
        answers: list[Answer] = []
        rv = ItemReview(it.code, it.text, it.label, it.type, list(notes), answers, column=column,
                        group=it.group, personal=bool(getattr(it, "personal", False)))
        if it.type in CATEGORICAL and it.code in frame:
            s = frame[it.code]
            vc = s.value_counts(dropna=True)
            counts = {int(k): int(v) for k, v in vc.items()}
            for code, label in sorted(it.labels.items()):
                answers.append(Answer(code, label, counts.get(code, 0), code in it.missing,
                                      code in it.positive))
            rv.blank = int(s.isna().sum())
            bad = issues[issues["column"] == it.code]
            if len(bad):
                vals = bad["value"].astype(str).value_counts()
                rv.unread = [(str(k), int(v)) for k, v in vals.head(5).items()]
                rv.blank -= int(len(bad))
            rv.coded = column is not None and self._is_coded(column)
        elif it.type in ("multiple", "ranking"):
            for code, label in it.values.items():
                col = f"{it.code}_{code}"
                n = int(frame[col].fillna(0).astype(bool).sum()) if col in frame and it.type == "multiple" \
                    else int(frame[col].notna().sum()) if col in frame else 0
                answers.append(Answer(code, label, n))
            rv.coded = True
        elif it.code in frame:
            s = frame[it.code]
            rv.answered = int(s.notna().sum())
            rv.blank = int(s.isna().sum())
            if column is not None and column in self.raw.frame and it.type != "text":
                vals = self.raw.frame[column].dropna().astype(str)
                rv.examples = [(str(k), int(v)) for k, v in vals[vals.str.strip() != ""].value_counts().head(5).items()]
        rv.original = rv.state
        return rv

    def _is_coded(self, column: str) -> bool:
        raw = self.raw
        if column in raw.value_labels or column in raw.integer_columns:
            return True
        s = raw.frame[column].dropna()
        if pd.api.types.is_numeric_dtype(s):
            return True
        text = s.astype(str).str.strip()
        text = text[text != ""]
        return bool(len(text)) and bool(text.str.fullmatch(r"-?\d+(?:\.0+)?").all())

    def _same_answers(self, code: str) -> list[str]:
        it = self.codebook[code]
        if it.type not in CATEGORICAL:
            return [code]
        key = sorted(_norm(v) for v in it.labels.values())
        return [o.code for o in self.codebook.items if o.type in CATEGORICAL
                and sorted(_norm(v) for v in o.labels.values()) == key]

    # -- deciding -----------------------------------------------------------------------------
    def __getitem__(self, code: str) -> ItemReview:
        try:
            return self.items[code]
        except KeyError:
            raise KeyError(f"no open decision for item {code!r}") from None

    @property
    def open(self) -> list[str]:
        """Items with an open decision (in codebook order)."""
        return list(self.items)

    def _targets(self, code: str, siblings: bool) -> list[ItemReview]:
        own = self[code]
        out = [own]
        if siblings:
            out += [self._review_of(c) for c in own.siblings]
        return out

    def _review_of(self, code: str) -> ItemReview:
        """The review of any item (an item without notes gets one when a decision reaches it)."""
        if code not in self.items:
            self.items[code] = self._item_review(self.codebook[code], [], self._mapped)
        return self.items[code]

    @property
    def _mapped(self) -> Any:
        return self._mapped_cache

    def move(self, code: str, label: str, step: int, *, siblings: bool = True) -> None:
        """Move the answer ``label`` of item ``code`` ``step`` places (-1 up, +1 down)."""
        own = self[code]
        if own.coded:
            raise _err(f"{code}: svarene er koder i filen, så rækkefølgen følger filens koder",
                       f"{code}: the answers are codes in the file, so their order follows the file's codes")
        labels = [a.label for a in own.answers]
        if label not in labels:
            raise KeyError(f"{code}: no answer {label!r}")
        i = labels.index(label)
        j = min(max(i + step, 0), len(labels) - 1)
        labels.insert(j, labels.pop(i))
        self.set_order(code, labels, siblings=siblings)

    def set_order(self, code: str, labels: list[str], *, siblings: bool = True) -> None:
        """The answers of ``code`` (and of the items with the same answers) in this order."""
        for rv in self._targets(code, siblings):
            if rv.coded:
                continue
            by = {_norm(a.label): a for a in rv.answers}
            if sorted(by) != sorted(_norm(x) for x in labels):
                raise _err(f"{rv.code}: rækkefølgen skal nævne hvert svar én gang ({', '.join(by)})",
                           f"{rv.code}: the order must name every answer once ({', '.join(by)})")
            rv.answers[:] = [by[_norm(x)] for x in labels]
            rv.decided = True

    def set_missing(self, code: str, labels: list[str], *, siblings: bool = True) -> None:
        """These answers (labels) are missing (don't know), the others real answers."""
        self._flag(code, labels, "missing", siblings)

    def set_positive(self, code: str, labels: list[str], *, siblings: bool = True) -> None:
        """These answers (labels) count as positive."""
        self._flag(code, labels, "positive", siblings)

    def _flag(self, code: str, labels: list[str], what: str, siblings: bool) -> None:
        want = {_norm(x) for x in labels}
        for rv in self._targets(code, siblings):
            known = {_norm(a.label) for a in rv.answers}
            if want - known:
                raise _err(f"{rv.code}: {', '.join(sorted(want - known))} er ikke svar på spørgsmålet",
                           f"{rv.code}: {', '.join(sorted(want - known))} are not answers of the item")
            for a in rv.answers:
                setattr(a, what, _norm(a.label) in want)
                if a.missing:
                    a.positive = False
            rv.decided = True

    def set_label(self, code: str, label: str, new: str, *, siblings: bool = True) -> None:
        """The answer ``label`` of ``code`` is called ``new`` (answers that are codes in the file
        only: text answers are read by their label, so theirs cannot change here)."""
        new = " ".join(str(new).split())
        if not new:
            raise _err(f"{code}: et svar skal have en tekst", f"{code}: an answer needs a text")
        for rv in self._targets(code, siblings):
            if not rv.coded:
                raise _err(f"{rv.code}: svarene står som tekst i filen og læses efter teksten, så den "
                           "kan ikke ændres her",
                           f"{rv.code}: the answers are text in the file and are read by their text, so it "
                           "cannot change here")
            hit = [a for a in rv.answers if _norm(a.label) == _norm(label)]
            if not hit:
                raise KeyError(f"{rv.code}: no answer {label!r}")
            for a in hit:
                a.label = new
            rv.decided = True

    def set_type(self, code: str, type: str) -> None:  # noqa: A002 - the codebook's word
        rv = self[code]
        if type not in TYPES.get(rv.original[0], (rv.original[0],)):
            allowed = ", ".join(TYPES.get(rv.original[0], ()))
            raise _err(f"{code}: typen kan ikke ændres fra {rv.original[0]} til {type} her (kun {allowed})",
                       f"{code}: the type cannot change from {rv.original[0]} to {type} here (only {allowed})")
        rv.type = type
        rv.decided = True

    def set_group(self, code: str, group: bool = True) -> None:
        self[code].group = bool(group)
        self[code].decided = True

    def set_personal(self, code: str, personal: bool = True) -> None:
        self[code].personal = bool(personal)
        self[code].decided = True

    def set_ignore(self, code: str, ignore: bool = True) -> None:
        if ignore:
            used = self._references(code)
            if used:
                raise _err(f"{code} kan ikke udelades, fordi {used} bruger det",
                           f"{code} cannot be left out, because {used} uses it (scale, ask_if, hierarchy "
                           "or population)")
        self[code].ignore = bool(ignore)
        self[code].decided = True

    def decide(self, code: str, decided: bool = True) -> None:
        """Mark item ``code`` decided as it stands (its notes are removed on save). Every other
        decision marks its items decided; ``decided=False`` leaves the item as drafted on save."""
        self[code].decided = bool(decided)

    def decide_general(self, index: int, decided: bool = True) -> None:
        """Mark the ``index``-th note of the codebook as a whole decided."""
        line = self.general[index][0]
        (self.general_decided.add if decided else self.general_decided.discard)(line)

    # -- the respondent id --------------------------------------------------------------------
    def id_note(self, index: int) -> bool:
        """Whether the ``index``-th note of the codebook is about the respondent id."""
        return bool(re.search(r"respondent_id|_source_row", self.general[index][1]))

    @property
    def id_choices(self) -> list[str]:
        """Columns of the export that could be the respondent id: not an item's, not the platform's."""
        used = set(self._mapped.matched) - {self.codebook.respondent_id.column}
        system = set(self.raw.system_columns)
        return [str(c) for c in self.raw.frame.columns
                if str(c) not in used and c not in system and not str(c).startswith("_")]

    def id_problem(self, column: str) -> str:
        """A sentence on blanks and repeats in ``column`` (empty when it is a clean id)."""
        if column == "_source_row":
            return ""
        s = self.raw.frame[column].astype("string").str.strip()
        blank = int((s.isna() | (s == "")).sum())
        repeated = int(s[s.notna() & (s != "")].duplicated().sum())
        if not blank and not repeated:
            return ""
        if self.lang == "da":
            return (f"kolonnen {column!r} har {blank} tomme og {repeated} gentagne værdier: de rækker sættes "
                    "i karantæne ved indlæsning")
        return f"column {column!r} has {blank} blank and {repeated} repeated values: those rows are quarantined on ingest"

    def set_id(self, column: str) -> None:
        """The respondent id is ``column`` of the export (``"_source_row"``: the row number); the
        codebook's notes about the id are decided."""
        if column != "_source_row" and column not in self.id_choices:
            raise _err(f"kolonnen {column!r} kan ikke være respondent-id (den findes ikke i filen eller er et spørgsmål)",
                       f"column {column!r} cannot be the respondent id (it is not in the file, or it is an item)")
        self.respondent_id = column
        for i in range(len(self.general)):
            if self.id_note(i):
                self.decide_general(i, True)

    def _id_line(self) -> tuple[int, str] | None:
        """The line of ``respondent_id.column`` written anew, or None when unchanged."""
        new = getattr(self, "respondent_id", None)
        if new is None or new == self.codebook.respondent_id.column:
            return None
        node = self.doc["respondent_id"]
        line = node.lc.value("column")[0]
        m = re.match(r"^(\s*(?:respondent_id:\s*\{\s*)?column:\s*)(['\"]?)(.*?)\2(\s*[,}].*|\s*(?:#.*)?)(\r?\n?)$",
                     self.lines[line])
        if m is None:
            raise _err(f"{self.path}: linjen med respondent_id.column kunne ikke findes",
                       f"{self.path}: the line of respondent_id.column could not be found")
        import json

        value = new if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", new) else json.dumps(new, ensure_ascii=False)
        return line, f"{m.group(1)}{value}{m.group(4)}{m.group(5)}"

    def _references(self, code: str) -> str:
        cb = self.codebook
        for s in cb.scales:
            if code in s.items:
                return f"skalaen {s.code}"
        for it in cb.items:
            if it.ask_if is not None and it.ask_if.item == code:
                return f"spørgsmålet {it.code} (ask_if)"
        if code in cb.hierarchy:
            return "hierarchy"
        if code in cb.population:
            return "population"
        return ""

    # -- writing ------------------------------------------------------------------------------
    def to_yaml(self) -> str:
        """The draft with the decisions written (see the module docstring)."""
        for rv in self.items.values():
            if rv.decided and rv.type == "likert" and not rv.ignore and not rv.personal_drop \
                    and not any(a.positive for a in rv.answers):
                raise _err(f"{rv.code}: et likert-spørgsmål skal have positive svar; markér dem, "
                           "eller vælg typen single",
                           f"{rv.code}: a likert item needs positive answers; tick them, or choose the "
                           "type single")
        drop = set(self.general_decided)
        replace: dict[int, tuple[int, list[str]]] = {}
        id_line = self._id_line()
        if id_line is not None:
            replace[id_line[0]] = (id_line[0] + 1, [id_line[1]])
        for b in self.blocks:
            rv = self.items.get(b.code)
            if rv is None or not rv.decided:
                continue
            drop.update(self._note_lines.get(b.code, []))
            if rv.changed:
                replace[b.start] = (b.end, self._block_text(b, rv))
        out: list[str] = []
        i = 0
        while i < len(self.lines):
            if i in replace:
                end, text = replace[i]
                out += text
                i = end
                continue
            if i not in drop:
                out.append(self.lines[i])
            i += 1
        return "".join(out)

    def _block_text(self, b: _Block, rv: ItemReview) -> list[str]:
        indent = _ITEM_START.match(self.lines[b.start]).group(1)
        kept = [ln for ln in self.lines[b.start + 1:b.end] if ln.lstrip().startswith("#") and not _NOTE.match(ln)]
        if rv.ignore or rv.personal_drop:
            col = f" ({rv.column!r})" if rv.column else ""
            why = ("personoplysning: udeladt, så den aldrig vises eller gemmes i klar tekst" if rv.personal
                   else "udeladt i gennemgangen")
            nl = "\r\n" if self.lines[b.start].endswith("\r\n") else "\n"
            return kept + [f"{indent}# {rv.code}{col}: {why}{nl}"]
        item = self.doc["items"][self.blocks.index(b)]
        data = _plain(item)
        data["type"] = rv.type
        if rv.type in CATEGORICAL:
            codes = _codes(rv)
            values = {str(codes[id(a)]): a.label for a in rv.answers if not a.missing}
            missing = {str(codes[id(a)]): a.label for a in rv.answers if a.missing}
            positive = sorted(codes[id(a)] for a in rv.answers if a.positive and not a.missing)
            _put(data, "values", values)
            _put(data, "missing", missing or None)
            _put(data, "positive", positive or None)
        elif rv.type not in ("multiple", "ranking"):
            for k in ("values", "missing", "positive", "reverse", "scale"):
                data.pop(k, None)
        if rv.type != "likert":
            data.pop("reverse", None)
        _put(data, "group", True if rv.group else None)
        if rv.personal:
            _put(data, "personal", True)
        else:
            data.pop("personal", None)
        buf = io.StringIO()
        _yaml().dump([data], buf)
        nl = "\r\n" if self.lines[b.start].endswith("\r\n") else "\n"  # the file's own line ends
        body = [f"{indent}{ln}{nl}" if ln else nl for ln in buf.getvalue().splitlines()]
        return kept + body

    def save(self, path: str | Path | None = None) -> Path:
        """Write the decided YAML (default: back to the draft) once it loads as a codebook, then
        read it again: the decided items leave the list of open decisions."""
        import yaml

        from survey_kit._files import atomic_write_bytes
        from survey_kit.codebook.model import parse_codebook

        text = self.to_yaml()
        target = Path(path) if path is not None else self.path
        parse_codebook(yaml.safe_load(text), source=str(target))  # a CodebookError names the field
        n = sum(rv.decided for rv in self.items.values()) + len(self.general_decided)
        atomic_write_bytes(target, text.encode("utf-8"))
        self.written = n
        if target == self.path:
            self._load()
        return target


def _pct(share: float, lang: str) -> str:
    from survey_kit.fmt import fmt_pct

    return fmt_pct(share) if lang == "da" else fmt_pct(share).replace(" %", "%")


def _give_positive(lang: str) -> str:
    return ("angiv 'positive' (de koder, der tæller som positive svar)" if lang == "da" else
            "give 'positive' (the codes that count as positive answers)")


def _norm(text: object) -> str:
    return " ".join(str(text).casefold().split())


def _codes(rv: ItemReview) -> dict[int, int]:
    """Answer (by id) -> its code: the file's codes for coded answers or an unchanged order, else
    1..k in the decided order."""
    if rv.coded or [a.code for a in rv.answers] == [a[0] for a in rv.original[1]]:
        return {id(a): a.code for a in rv.answers}
    return {id(a): i for i, a in enumerate(rv.answers, start=1)}


def _put(data: dict, key: str, value: Any) -> None:
    """Set (or, for None, remove) ``key`` keeping the item's key order; a new key goes where the
    codebook model puts it."""
    if value is None:
        data.pop(key, None)
        return
    if key in data:
        data[key] = value
        return
    rank = _KEY_ORDER.index(key) if key in _KEY_ORDER else len(_KEY_ORDER)
    items = list(data.items())
    pos = len(items)
    for i, (k, _) in enumerate(items):
        if k in _KEY_ORDER and _KEY_ORDER.index(k) > rank:
            pos = i
            break
    items.insert(pos, (key, value))
    data.clear()
    data.update(items)


def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    if isinstance(x, str):
        return str(x)
    return x


def _yaml() -> Any:
    from survey_kit._extras import require

    ruamel = require("ruamel.yaml")
    y = ruamel.YAML()
    y.preserve_quotes = True
    y.width = 100
    y.indent(mapping=2, sequence=2, offset=0)
    return y


# -- the widget -------------------------------------------------------------------------------------
class ReviewWidget:
    """The review in JupyterLab (``widget.widget``): pick an item with an open decision, decide,
    press "Gem". Shows itself in JupyterLab."""

    def __init__(self, review: Review) -> None:
        from survey_kit._extras import require

        w = require("ipywidgets")
        self.w = w
        self.review = review
        self.t = WORDS[review.lang]
        t = self.t
        self.header = w.HTML()
        self.general = w.VBox()
        self.pick = w.Dropdown(description=t["item"], layout=w.Layout(width="40em"),
                               style={"description_width": "initial"})
        self.next = w.Button(description=t["next"], layout=w.Layout(width="auto", min_width="6em"))
        self.panel = w.VBox()
        self.save_button = w.Button(description=t["save"], icon="save", button_style="primary",
                                    layout=w.Layout(width="auto", min_width="8em"))
        self.status = w.HTML()
        self._quiet = False
        self.pick.observe(lambda _: None if self._quiet else self._show(), names="value")
        self.next.on_click(lambda _: self._next())
        self.save_button.on_click(lambda _: self.save())
        self.widget = w.VBox([self.header, self.general,
                              w.HBox([self.pick, self.next, self.save_button, self.status]), self.panel])
        self.widget.add_class("sk-review")
        self._fill()

    # -- building -------------------------------------------------------------------------------
    def _fill(self) -> None:
        w, t, rv = self.w, self.t, self.review
        summary = t["summary"].format(items=len(rv.items), general=len(rv.general))
        self.header.value = (f"<h3 style='margin:0.2em 0'>{t['title']}: {html.escape(rv.path.name)}</h3>"
                             f"<p class='sk-review-summary'>{summary} · {html.escape(rv.export.name)}</p>")
        rows = []
        for i, (_, note) in enumerate(rv.general):
            box = w.Checkbox(value=False, description=t["decided"], indent=False,
                             layout=w.Layout(width="7em", min_width="7em"))
            box.observe(lambda ch, i=i: rv.decide_general(i, ch["new"]), names="value")
            row = [box, w.HTML(f"<span class='sk-review-note' style='margin-left:0.8em'>{html.escape(note)}</span>")]
            if rv.id_note(i):
                row.append(self._id_picker(box))
            rows.append(w.HBox(row))
        self.general.children = ([w.HTML(f"<b>{t['whole']}</b>")] + rows) if rows else []
        opts = [(self._option(c), c) for c in rv.items]
        self._quiet = True
        try:
            self.pick.options = opts
            self.pick.value = opts[0][1] if opts else None
        finally:
            self._quiet = False
        if not opts:
            self.panel.children = [w.HTML(f"<p>{t['nothing']}</p>")]
        self._show()

    def _id_picker(self, box: Any) -> Any:
        """A dropdown of the columns that could be the id; choosing one decides the note."""
        w, t, rv = self.w, self.t, self.review
        current = rv.codebook.respondent_id.column
        opts = [(t["row_number"], "_source_row")] + [(c, c) for c in rv.id_choices]
        pick = w.Dropdown(options=opts, value=current if current in dict((v, v) for _, v in opts) else "_source_row",
                          description=t["id"], layout=w.Layout(width="22em", min_width="16em"),
                          style={"description_width": "initial"})
        pick.add_class("sk-review-id")

        def chosen(ch: dict) -> None:
            self._do(lambda: rv.set_id(ch["new"]))
            if getattr(rv, "respondent_id", None) == ch["new"]:
                box.value = True
                problem = rv.id_problem(ch["new"])
                if problem:
                    self.status.value = f"<i>{html.escape(problem)}</i>"

        pick.observe(chosen, names="value")
        return pick

    def _option(self, code: str) -> str:
        it = self.review.items[code]
        mark = "✓ " if it.decided else ""
        return f"{mark}{code}: {it.label}"[:90]

    def _relabel(self) -> None:
        """The item list again, a tick on each decided item (an item a decision reached through
        its siblings joins the list)."""
        value = self.pick.value
        opts = [(self._option(c), c) for c in self.review.items]
        if opts == list(self.pick.options):
            return
        self._quiet = True
        try:
            self.pick.options = opts
            self.pick.value = value
        finally:
            self._quiet = False

    def _next(self) -> None:
        codes = [v for _, v in self.pick.options]
        if self.pick.value in codes:
            i = codes.index(self.pick.value)
            self.pick.value = codes[(i + 1) % len(codes)]

    def _show(self) -> None:
        w, t = self.w, self.t
        code = self.pick.value
        if code is None:
            return
        it = self.review.items[code]
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in it.notes)
        col = f" · {t['column']} {html.escape(repr(it.column))}" if it.column and it.column != it.text else ""
        head = w.HTML(f"<div><b>{html.escape(it.code)}</b>: {html.escape(it.text)}"
                      f"<span style='color:#555'>{col}</span></div>"
                      f"<ul class='sk-review-notes' style='background:#fff6d5;margin:0.3em 0;"
                      f"padding:0.3em 1.6em'>{notes}</ul>")
        kind = w.Dropdown(options=list(TYPES.get(it.original[0], (it.type,))), value=it.type,
                          description=t["type"], layout=w.Layout(width="12em"),
                          style={"description_width": "initial"})
        group = w.Checkbox(value=it.group, description=t["group"], indent=False, layout=w.Layout(width="10em"))
        personal = w.Checkbox(value=it.personal, description=t["personal"], indent=False,
                              layout=w.Layout(width="10em"))
        ignore = w.Checkbox(value=it.ignore, description=t["ignore"], indent=False, layout=w.Layout(width="7em"))
        decided = w.Checkbox(value=it.decided, description=t["decided"], indent=False,
                             layout=w.Layout(width="7em"))
        decided.add_class("sk-review-decided")
        self._decided_box = decided
        kind.observe(lambda ch: self._do(lambda: self.review.set_type(code, ch["new"]), redraw=True), names="value")
        group.observe(lambda ch: self._do(lambda: self.review.set_group(code, ch["new"])), names="value")
        personal.observe(lambda ch: self._do(lambda: self.review.set_personal(code, ch["new"])), names="value")
        ignore.observe(lambda ch: self._do(lambda: self.review.set_ignore(code, ch["new"])), names="value")
        decided.observe(lambda ch: self._do(lambda: self.review.decide(code, ch["new"])), names="value")
        controls = w.HBox([kind, group, personal, ignore, decided])
        names = ", ".join(it.siblings[:6]) + (" …" if len(it.siblings) > 6 else "")
        self.siblings = w.Checkbox(value=True, description=t["siblings"].format(n=len(it.siblings), codes=names),
                                   indent=False, layout=w.Layout(width="auto"))
        parts = [head, controls, self._answers(it)]
        if it.siblings and it.type in CATEGORICAL:
            parts.insert(2, self.siblings)
        self.panel.children = parts

    def _answers(self, it: ItemReview) -> Any:
        w, t = self.w, self.t
        code = it.code
        if not it.answers:
            text = f"{it.answered} {t['answered']}, {it.blank} {t['blank']}"
            if it.examples:
                text += f". {t['examples']}: " + ", ".join(f"{html.escape(v)} ({n})" for v, n in it.examples)
            return w.HTML(f"<p>{text}</p>")
        total = max(1, sum(a.count for a in it.answers))
        cells = [w.HTML("<b></b>"), w.HTML("<b></b>"), w.HTML(f"<b>{t['answer']}</b>"),
                 w.HTML(f"<b>{t['count']}</b>")]
        categorical = it.type in CATEGORICAL and it.original[0] in CATEGORICAL
        if categorical:
            cells += [w.HTML(f"<b>{t['missing']}</b>"), w.HTML(f"<b>{t['positive']}</b>")]
        for i, a in enumerate(it.answers):
            if it.coded:  # the file's codes give the order: no arrows
                up, down = w.HTML(""), w.HTML("")
            else:
                up = w.Button(icon="arrow-up", tooltip=t["up"], layout=w.Layout(width="2.6em"), disabled=i == 0)
                down = w.Button(icon="arrow-down", tooltip=t["down"], layout=w.Layout(width="2.6em"),
                                disabled=i == len(it.answers) - 1)
                up.add_class("sk-review-up")
                down.add_class("sk-review-down")
                up.on_click(lambda _, lab=a.label: self._do(
                    lambda: self.review.move(code, lab, -1, siblings=self.siblings.value), redraw=True))
                down.on_click(lambda _, lab=a.label: self._do(
                    lambda: self.review.move(code, lab, +1, siblings=self.siblings.value), redraw=True))
            bar = int(round(120 * a.count / total))
            if it.coded and categorical:
                label = w.Text(value=a.label, layout=w.Layout(width="auto"), continuous_update=False)
                label.add_class("sk-review-label")
                label.observe(lambda ch, lab=a.label: self._do(lambda: self.review.set_label(
                    code, lab, ch["new"], siblings=self.siblings.value), redraw=True), names="value")
            else:
                label = w.HTML(f"<span class='sk-review-answer'>{html.escape(a.label)}</span>")
            count = w.HTML(f"<span style='display:inline-block;width:{bar}px;height:0.8em;"
                           f"background:#4a7ab5;margin-right:0.4em'></span>{a.count:,}".replace(",", ".")
                           + f" <span style='color:#555'>({_pct(a.count / total, self.review.lang)})</span>")
            cells += [up, down, label, count]
            if categorical:
                miss = w.Checkbox(value=a.missing, indent=False, layout=w.Layout(width="3em"))
                pos = w.Checkbox(value=a.positive, indent=False, disabled=a.missing, layout=w.Layout(width="3em"))
                miss.observe(lambda ch, lab=a.label: self._flag(code, lab, "missing", ch["new"]), names="value")
                pos.observe(lambda ch, lab=a.label: self._flag(code, lab, "positive", ch["new"]), names="value")
                cells += [miss, pos]
        grid = w.GridBox(cells, layout=w.Layout(
            grid_template_columns=f"3em 3em minmax(12em, 28em) 14em{' 7em 6em' if categorical else ''}",
            grid_gap="2px 6px"))
        grid.add_class("sk-review-answers")
        out = [grid]
        extra = f"{it.blank} {t['blank']}"
        if it.unread:
            extra += f"; {sum(n for _, n in it.unread)} {t['unread']}: " + ", ".join(
                f"{html.escape(v)} ({n})" for v, n in it.unread)
        if it.coded and categorical:
            extra += f". {t['coded']}"
        if it.type in ("multiple", "ranking"):
            extra = t["options"] + ". " + extra
        out.append(w.HTML(f"<p style='color:#555;margin:0.2em 0'>{extra}</p>"))
        return w.VBox(out)

    def _flag(self, code: str, label: str, what: str, on: bool) -> None:
        it = self.review.items[code]
        chosen = [a.label for a in it.answers if getattr(a, what) and a.label != label] + ([label] if on else [])
        fn = self.review.set_missing if what == "missing" else self.review.set_positive
        self._do(lambda: fn(code, chosen, siblings=self.siblings.value), redraw=what == "missing")

    def _do(self, action: Any, *, redraw: bool = False) -> None:
        try:
            action()
        except (DataError, KeyError, ValueError) as err:
            msg = err.text(self.review.lang) if isinstance(err, DataError) else str(err)
            self.status.value = f"<span style='color:#a00'>{html.escape(msg)}</span>"
            return
        self.status.value = ""
        self._relabel()
        if redraw:
            self._show()
        elif self.pick.value in self.review.items and hasattr(self, "_decided_box"):
            with self._decided_box.hold_trait_notifications():
                self._decided_box.value = self.review.items[self.pick.value].decided

    def save(self) -> Path | None:
        """Write the YAML (the "Gem" button)."""
        t = self.t
        try:
            path = self.review.save()
        except DataError as err:
            self.status.value = f"<span style='color:#a00'>{html.escape(err.text(self.review.lang))}</span>"
            return None
        left = t["summary"].format(items=len(self.review.items), general=len(self.review.general))
        self._fill()
        self.status.value = (f"<span class='sk-review-saved'>{html.escape(t['saved'].format(path=path, n=self.review.written, left=left))}"
                             "</span>")
        return path

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def review(draft: str | Path, export: str | Path, *, sheet: str | None = None, lang: str = "da") -> ReviewWidget:
    """Review a drafted codebook against its export in JupyterLab (see :class:`Review`).

    Examples
    --------
    >>> import survey_kit as sk                                              # doctest: +SKIP
    >>> sk.review("min_codebook.yaml", "data/raw/min_eksport.xlsx")          # doctest: +SKIP
    """
    return ReviewWidget(Review(draft, export, sheet=sheet, lang=lang))
