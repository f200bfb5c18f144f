"""A disclosure ledger: what earlier runs and explorer views published on the same data.

One run's :class:`~survey_kit.privacy.RunGuard` protects the numbers of that run. Numbers published
by *different* runs (the area reports this week, the unit reports next week) or explorer views can
be subtracted from each other as well. The ledger keeps, per survey, every cell a run published:
its measure (an item, scale or respondent count), its population (wave, area, unit, filter), its n
and whether it was hidden. A later run (or explorer session) registers these records with its guard
(:meth:`RunGuard.prior`): a cell hidden then stays hidden, a cell shown then may not be hidden now,
and the numbers of both take part in the same relations, so the runs together publish nothing that
either alone hides.

The file (:data:`LEDGER_FILE`, JSON) lies beside the reports (``reports/<instrument>/``) with
``anonymitet_log.csv``: it is for the analyst and the tool, never for publication (it holds the n of
hidden cells). Start afresh (``fresh=True``, ``survey-kit report --ny-start``) only for a new data
set: the old file is then kept as ``anonymitet_historik.<timestamp>.json``.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["LEDGER_FILE", "Ledger"]

LEDGER_FILE = "anonymitet_historik.json"
FRESH_WARNING = (
    "Ny start: den tidligere anonymitetshistorik ({path}) bruges ikke. Tal fra tidligere kørsler på "
    "de samme data kan nu trækkes fra de nye; brug kun ny start til et nyt datasæt."
)


def _key(rec: Mapping) -> tuple:
    return (tuple(rec["measure"]), tuple(tuple(c) for c in rec["cell"]))


class Ledger:
    """The cells published on one data set (see the module docstring).

    Parameters
    ----------
    path : path, optional
        The JSON file; None keeps the ledger in memory (an explorer session).
    instrument : str
        The survey's instrument (a ledger of another survey is refused).
    """

    def __init__(self, path: str | Path | None = None, *, instrument: str = "") -> None:
        self.path = Path(path) if path is not None else None
        self.instrument = instrument
        self._records: dict[tuple, dict] = {}
        self.runs: list[str] = []

    @classmethod
    def load(cls, path: str | Path, *, instrument: str = "", fresh: bool = False) -> Ledger:
        """The ledger at ``path`` (empty when there is none). ``fresh=True`` starts a new one
        with a warning; the old file is renamed, not deleted."""
        path = Path(path)
        led = cls(path, instrument=instrument)
        if not path.exists():
            return led
        if fresh:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            kept = path.with_name(f"{path.stem}.{stamp}{path.suffix}")
            path.rename(kept)
            warnings.warn(FRESH_WARNING.format(path=kept), UserWarning, stacklevel=2)
            return led
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            records = doc["records"]
        except (OSError, ValueError, KeyError, TypeError):
            raise ValueError(
                f"{path}: anonymitetshistorikken kan ikke læses; ret eller flyt filen, eller start "
                "forfra (--ny-start)"
            ) from None
        if instrument and doc.get("instrument") not in ("", None, instrument):
            raise ValueError(
                f"{path}: anonymitetshistorikken hører til {doc.get('instrument')!r}, ikke {instrument!r}"
            )
        led.runs = list(doc.get("runs", []))
        led.add(records, run=None)
        return led

    def add(self, records: Iterable[Mapping], *, run: str | None = "") -> None:
        """Merge a run's records (:meth:`RunGuard.records`); a cell hidden once stays hidden."""
        for rec in records:
            k = _key(rec)
            old = self._records.get(k)
            if old is None or (rec["hidden"] and not old["hidden"]):
                self._records[k] = dict(rec)
        if run is not None:
            self.runs.append(run or datetime.now(UTC).isoformat(timespec="seconds"))

    def records(self) -> list[dict]:
        return list(self._records.values())

    def __len__(self) -> int:
        return len(self._records)

    def save(self) -> Path | None:
        """Write the ledger (atomically); None for an in-memory ledger."""
        if self.path is None:
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        doc = {"version": 1, "instrument": self.instrument, "runs": self.runs,
               "note": "Til analytikeren: hvad tidligere kørsler viste og skjulte. Må ikke offentliggøres.",
               "records": self.records()}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, default=float)
        os.replace(tmp, self.path)
        return self.path
