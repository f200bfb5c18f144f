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
