"""Key findings as plain Danish sentences, generated from the numbers.

A sentence is only made when the numbers support it: a share is called "ni ud af ti" only when it
rounds to 90 %, "næsten halvdelen" only between 40 % and 50 %, and a difference is only called a
difference when its test says so. Functions return ``None`` when nothing can be said honestly.
"""

from __future__ import annotations

import math

from survey_kit.fmt import fmt_pct

_TENTHS = {
    1: "En ud af ti",
    2: "To ud af ti",
    3: "Tre ud af ti",
    4: "Fire ud af ti",
    5: "Halvdelen",
    6: "Seks ud af ti",
    7: "Syv ud af ti",
    8: "Otte ud af ti",
    9: "Ni ud af ti",
}


def share_phrase(share: float) -> str | None:
    """Words for a proportion, or None when no plain phrase fits it.

    >>> share_phrase(0.902), share_phrase(0.47), share_phrase(0.62)
    ('Ni ud af ti', 'Næsten halvdelen', 'Seks ud af ti')
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return None
    if 0.40 <= share < 0.485:
        return "Næsten halvdelen"
    if 0.485 <= share <= 0.515:
        return "Halvdelen"
    if 0.515 < share < 0.55:
        return "Lidt over halvdelen"
    tenth = round(share * 10)
    if 1 <= tenth <= 9 and abs(share - tenth / 10) <= 0.025:
        return _TENTHS[tenth]
    if share >= 0.95:
        return "Næsten alle"
    return None


def share_sentence(share: float, who: str, predicate: str, *, decimals: int = 0) -> str | None:
    """``"Ni ud af ti ledere (90 %) har deltaget i et ledernetværk ..."``.

    ``who`` is the plural noun ("ledere"), ``predicate`` the rest of the sentence.
    """
    phrase = share_phrase(share)
    pct = fmt_pct(share, decimals)
    if phrase is None:
        return f"{pct} af {who} {predicate}."
    if phrase in ("Næsten halvdelen", "Halvdelen", "Lidt over halvdelen", "Næsten alle"):
        return f"{phrase} af {who} ({pct}) {predicate}."
    return f"{phrase} {who} ({pct}) {predicate}."


def change_sentence(label: str, value_from: float, value_to: float, significant: bool, *,
                    wave_from: str, wave_to: str, stat: str = "share") -> str:
    """A change between two waves, called a change only when it is significant."""
    fmt = fmt_pct if stat == "share" else (lambda v: f"{v:.2f}".replace(".", ","))
    if not significant:
        return (f"{label}: {fmt(value_to)} i {wave_to} mod {fmt(value_from)} i {wave_from}; "
                "forskellen er ikke statistisk sikker.")
    direction = "steget" if value_to > value_from else "faldet"
    return f"{label} er {direction} fra {fmt(value_from)} i {wave_from} til {fmt(value_to)} i {wave_to}."
