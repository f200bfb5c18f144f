"""Checkbox answers joined in one cell with ", " (Google Forms; ";" in some downloads), shared by
infer and ingest.

Google Forms writes every box a respondent ticked into one cell, joined by ", ": "Grado, Máster".
An option text may itself hold ", " ("Un grupo para toda la titulación, Facultad o Escuela"), so a
cell is not split blindly: the options are found from the whole column (the cells that cannot be
written as a join of other cells), and each cell is then read as a join of those options. What is
left over is a written-in answer ("Other: ..."), counted under one "other" option.
"""

from __future__ import annotations

import re
from collections import Counter

SEP = ", "
#: The label infer gives the option that collects written-in answers; ingest maps any leftover
#: piece to an option with one of these labels.
OTHER = "Andet"
OTHER_LABELS = frozenset({"andet", "other", "annet", "annat", "otro", "otra", "autre", "andere", "anders"})
_MAX_OPTIONS = 36


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def split_cell(cell: str, labels: set[str] | dict[str, object]) -> list[tuple[str, bool]]:
    """The pieces of one cell: ``(text, known)`` per option, reading the ", "-joined tokens as the
    longest known labels (normalised by :func:`_norm`); neighbouring unknown tokens form one
    written-in piece (``known=False``)."""
    out: list[tuple[str, bool]] = []
    for part in re.split(r"[;\n]", str(cell)):
        part = part.strip()
        if not part:
            continue
        if _norm(part) in labels:
            out.append((part, True))
            continue
        tokens = part.split(SEP)
        i, unknown = 0, []
        while i < len(tokens):
            for j in range(len(tokens), i, -1):
                piece = SEP.join(tokens[i:j]).strip()
                if _norm(piece) in labels:
                    if unknown:
                        out.append((SEP.join(unknown).strip(), False))
                        unknown = []
                    out.append((piece, True))
                    i = j
                    break
            else:
                unknown.append(tokens[i])
                i += 1
        if unknown:
            out.append((SEP.join(unknown).strip(), False))
    return out


def _semicolon_in_text(cells: Counter) -> bool:
    """A ";" inside answers rather than between boxes: the pieces on its two sides never occur apart."""
    seen: Counter = Counter()
    pairs: Counter = Counter()
    last: Counter = Counter()
    for cell, n in cells.items():
        parts = [_norm(p) for p in _parts(cell)]
        if not parts:
            continue
        for p in parts:
            seen[p] += n
        for a, b in zip(parts, parts[1:], strict=False):
            pairs[a, b] += n
        last[parts[-1]] += n
    return any(together == seen[a] == seen[b] for (a, b), together in pairs.items())


def _parts(cell: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]", str(cell)) if p.strip()]


def checkbox_options(cells: Counter) -> dict[str, object] | None:
    """Options of a checkbox column from its distinct cells (cell -> rows), or None when the
    column is not one: ``{"options": [...], "other": bool}``. An option is an answer given on its
    own or ticked by at least two respondents; other pieces are written-in answers. A column is a
    checkbox question when at least 5 % of its answers (and at least two) tick two or more options,
    three in four answers are joins of options, and there are at most 36 options."""
    total = sum(cells.values())
    if total < 4 or not any(SEP in c or ";" in c for c in cells):
        return None
    if _semicolon_in_text(cells):
        return None  # "Ledelsen er synlig og lyttende; vi får løn for indsatsen": one comment, no boxes
    # the ", " inside an option text glues its two sides; between two options, the first also ends
    # answers, or each side also occurs without the other
    seen: Counter = Counter()
    pairs: Counter = Counter()
    last: Counter = Counter()  # how often a token ends a cell: an option can, "Yes" of "Yes, I observed" never does
    parts = [(part, n) for cell, n in cells.items() for part in _parts(cell)]  # ";" always parts options
    for part, n in parts:
        tokens = [_norm(t) for t in part.split(SEP)]
        for t in tokens:
            seen[t] += n
        for a, b in zip(tokens, tokens[1:], strict=False):
            pairs[a, b] += n
        last[tokens[-1]] += n
    atoms: dict[str, str] = {}  # normalised -> spelling, in the order first met
    for part, _ in parts:
        tokens = part.split(SEP)
        run = [tokens[0]]
        for prev, tok in zip(tokens, tokens[1:], strict=False):
            together = pairs[_norm(prev), _norm(tok)]
            # glued: the first never ends an answer and one of the two never occurs without the other
            # ("No, antes la usaba ...", "Yes, I observed", "(Depression, Bipolar Disorder, etc)")
            glued = not last[_norm(prev)] and together in (seen[_norm(tok)], seen[_norm(prev)])
            if glued:
                run.append(tok)
                continue
            piece = SEP.join(run).strip()
            atoms.setdefault(_norm(piece), piece)
            run = [tok]
        piece = SEP.join(run).strip()
        atoms.setdefault(_norm(piece), piece)
    chosen: Counter = Counter()
    multi = written = covered = 0
    for cell, n in cells.items():
        pieces = split_cell(cell, atoms)
        if len(pieces) >= 2:
            multi += n
        for text, known in pieces:
            chosen[_norm(text) if known else None] += n
    # an answer given once on its own is an option ("Prefer not to say") when there are one or two of
    # them; many such ones are what respondents wrote under "Other" ("NO LO SÉ", "Ni idea de usar bots")
    alone = {_norm(c) for c in cells if SEP not in c and ";" not in c}
    once = {a for a in alone if chosen[a] == 1}
    if len(once) > 2:
        alone -= once
    options = [atoms[a] for a, n in chosen.items()
               if a is not None and (n >= 2 or a in alone) and any(ch.isalnum() for ch in a)]  # never "--"
    keep = {_norm(o) for o in options}
    for cell, n in cells.items():
        pieces = split_cell(cell, atoms)
        if all(k and _norm(t) in keep for t, k in pieces):
            covered += n
        if any(not (k and _norm(t) in keep) for t, k in pieces):
            written += n
    if multi < max(2, 0.05 * total) or covered < 0.75 * total or not 2 <= len(options) <= _MAX_OPTIONS:
        return None
    first: dict[str, int] = {}  # options in the order they first occur in the file
    for cell in cells:
        for text, known in split_cell(cell, atoms):
            if known:
                first.setdefault(_norm(text), len(first))
    options.sort(key=lambda o: first[_norm(o)])
    return {"options": options, "other": written > 0}


# -- one column per option ------------------------------------------------------------------------
# Typeform (and SurveyMonkey) write a checkbox question as one column per option, headed by the
# option's text and holding that text when the box is ticked, else nothing; an "Other" box last holds
# what was written in. The question text itself is in no header. pandas reads a repeated header as
# "Option.1", "Option.2" (a second question with the same options).
MANGLED = re.compile(r"^(?P<base>.*\S)\.(?P<n>\d{1,3})$")
#: Cell words of a "Question [option]" column (LimeSurvey): ticked, not ticked, not shown.
TICKED = frozenset({"y", "yes", "ja", "oui", "si", "sí", "x", "valgt", "checked", "selected", "true", "1"})
UNTICKED = frozenset({"n", "no", "nej", "nei", "nein", "non", "nee", "ikke valgt", "not selected", "false", "0"})
NOT_SHOWN = frozenset({"n/a", "na", "n.a.", "-"})


def header_base(col: object, names: set[str]) -> str:
    """The header as the file wrote it: pandas' ``".1"`` suffix of a repeated header taken off."""
    m = MANGLED.match(str(col))
    return m.group("base") if m and m.group("base") in names else str(col)


def _cells(s, header: str) -> list[str] | None:
    """The distinct non-blank cells of a column when all of them are ``header`` (or none): a look at
    the first rows, then the whole column for a column that passes it; None for any other column."""
    if not (s.dtype == "str" or s.dtype == object):
        return None  # numbers, dates: no option column
    want = _norm(header)
    for part in (s.iloc[:5000], s):
        u = [c for c in part.dropna().drop_duplicates().head(50).astype(str).str.strip() if c]
        if any(_norm(c) != want for c in u):
            return None
        if len(part) == len(s):
            break
    return u


def option_column_runs(frame, columns: list, skip=frozenset()) -> list[list]:
    """Runs of consecutive columns that are the boxes of one checkbox question: each holds only its
    own header text (or nothing), at least two of them ticked, optionally closed by an "Other"
    column of written-in answers. A run of columns nobody ticked belongs too when its headers
    repeat those of a run found (the same options asked again, skipped by everyone)."""
    names = {str(c) for c in columns}
    kinds: list[str] = []
    for c in columns:
        base = header_base(c, names)
        if _norm(base) in OTHER_LABELS:
            kinds.append("other")
            continue
        cells = None if str(c) in skip else _cells(frame[c], base)
        kinds.append("" if cells is None else "tick" if cells else "empty")
    runs: list[list] = []
    i = 0
    while i < len(columns):
        if kinds[i] not in ("tick", "empty"):
            i += 1
            continue
        j = i
        while j < len(columns) and kinds[j] in ("tick", "empty"):
            j += 1
        run = list(range(i, j))
        if j < len(columns) and kinds[j] == "other":
            run.append(j)
            j += 1
        runs.append(run)
        i = j
    found: list[list] = []
    for run in runs:
        body = [k for k in run if kinds[k] != "other"]
        if sum(kinds[k] == "tick" for k in body) >= 2:
            while kinds[body[-1]] == "empty" and run[-1] == body[-1]:  # no trailing unused free-text column
                body.pop()
                run.pop()
            found.append(run)
    known = {tuple(_norm(header_base(columns[k], names)) for k in run) for run in found}
    for run in runs:
        if run not in found and len(run) >= 2 and all(kinds[k] in ("empty", "other") for k in run) \
                and tuple(_norm(header_base(columns[k], names)) for k in run) in known:
            found.append(run)
    found.sort()
    return [[columns[k] for k in run] for run in found]
