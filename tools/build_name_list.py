"""Build ``survey_kit/privacy/data/names_da.csv``, the Danish name list used to mask free text.

Sources (public name statistics, counted over everyone in the Danish CPR register):

* Københavns Universitet, Afdeling for Navneforskning: "Danskernes navne" (top names for all of
  Denmark, 2005), as scraped into CSV by github.com/Thomas-Rosenkrans-Vestergaard/danish-names
  (``csv/all_first_names.csv``, ``csv/all_last_names.csv``; column ``count_danmark``).
* The ``word`` flag: whether the name written in lower case is an ordinary Danish word (``hans``,
  ``per``, ``bo``, ``lykke``, ``just``), from Debian's ``wdanish`` word list
  (``/usr/share/dict/danish``, Stavekontrolden). Such names are masked only where Danish grammar
  makes them a name (capitalised inside a sentence, beside another name, or after a cue word).

Usage::

    python tools/build_name_list.py FIRST.csv LAST.csv [/usr/share/dict/danish]
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

N_FIRST = 3000
N_LAST = 500
OUT = Path(__file__).resolve().parents[1] / "survey_kit" / "privacy" / "data" / "names_da.csv"
# placeholders in the register ("unnamed", "not baptised") and function words that are never
# taken for a name, even capitalised ("Kan De hjælpe?" is the polite "you")
NOT_NAMES = {
    "Unavngivet",
    "Unavngiven",
    "Udøbt",
    "Fornavn",
    "Efternavn",
    "Pige",
    "Dreng",
    "De",
    "Dem",
    "Deres",
    "Da",
    "To",
    "Min",
    "Mine",
    "Find",
    "Otte",
    "Van",
    "La",
    "Le",
    "El",
    "Al",
    "Del",
    "Mi",
    "An",
    "Ha",
    "Jul",
    "Dag",
    "Skat",
    "Ville",
    "True",
    "Alfa",
    "Urban",
}
NAME = re.compile(r"[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéèëáíóú]+(?:-[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéèëáíóú]+)?")


def top(path: str, k: int) -> list[tuple[str, int]]:
    with open(path, encoding="utf-8") as fh:
        rows = [(r["name"].strip(), int(r["count_danmark"])) for r in csv.DictReader(fh)]
    rows = [(n, c) for n, c in rows if NAME.fullmatch(n) and len(n) >= 2 and n not in NOT_NAMES]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows[:k]


def main(first: str, last: str, words: str = "/usr/share/dict/danish") -> None:
    with open(words, encoding="utf-8") as fh:
        vocab = {w.strip() for w in fh if w[:1].islower()}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# Danish first names (3000 most common) and surnames (500 most common).\n"
            "# Source: Københavns Universitet, Afdeling for Navneforskning, 'Danskernes navne'\n"
            "# (CPR register, 2005), via github.com/Thomas-Rosenkrans-Vestergaard/danish-names.\n"
            "# word=1: the name in lower case is an ordinary Danish word (Debian wdanish).\n"
            "# Built by tools/build_name_list.py.\n"
        )
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["name", "kind", "count", "word"])
        for kind, rows in (("first", top(first, N_FIRST)), ("last", top(last, N_LAST))):
            for name, count in rows:
                out.writerow([name, kind, count, int(name.lower() in vocab)])


if __name__ == "__main__":
    main(*sys.argv[1:])
