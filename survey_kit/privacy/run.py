"""One disclosure control for a whole report run.

A run publishes many reports (the whole organisation, one per area, unit or group, every wave).
Each report's tables are computed raw (``min_n=1``: nothing hidden) and registered with one
:class:`RunGuard`, which decides every hidden number of the run at once before anything is written:

* **Cells.** A row's *cell* is its population: the table's scope plus ``{by: group_code}`` (plus the
  wave of each side of a change table), normalised with the codebook hierarchy (unit 101 implies
  its area). The same cell and measure in different tables and reports is one variable: hidden in
  one, hidden everywhere. Measures: the valid answers to an item or scale (``compare``,
  ``frequencies`` ``n_valid``, ``waves``), panel pairs of a paired change table, the respondents
  who ranked (``rank``), respondent counts (``count``).
* **Relations.** The groups of each breakdown add up to at most the scope's total (respondents
  with no group are an unknown residual >= 0); the units of an area to the area, the areas to the
  total, and a group within an area to the group (generic: a cell adds up with its siblings to the
  cell without its finest condition).
* **Rules.** Primary: ``0 < n < min_n`` (the item's own stricter minimum from the codebook).
  A cell whose respondent count (``count`` tables; else the largest n of any measure in the cell)
  is below ``min_n`` is hidden in every measure, zeros included, and so is a cell whose respondent
  count is hidden for any reason: its group gets no report (:meth:`RunGuard.hidden_groups`).
  Complementary suppression (rules R1-R4 of :mod:`survey_kit.privacy._engine`, with the positive
  counts of shares in R2) runs over all relations of the run, per measure, to a common fixed point.
* **Tests.** A test across the groups of an item whose breakdown has a hidden group is blanked
  (``p_val``, ``q_val``, ``effect``, ``effect_name``, ``test``), unless it was recomputed over the
  published groups only (``table(id, tests=...)``, checked by the guard, or a column
  ``test_scope == "published"``). ``q_val`` is recomputed (Benjamini-Hochberg) over the published
  p-values of the table. Published p-values are rounded to 3 decimals (below 0.001: 0.0, printed
  "< 0,001"), effect sizes to 2, interval limits to what is shown (3 decimals for shares, 2 for
  means). Full precision stays in the analyst's own ``stats`` results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey_kit.codebook.model import DEFAULT_MIN_N, Codebook
from survey_kit.privacy._engine import Relation, complete_suppression
from survey_kit.privacy._publish import bh, publish_compare_tests, round_published, set_na
from survey_kit.privacy._scope import Cell, EmptyCell, Hierarchy, Scope, as_code
from survey_kit.privacy.suppression import AuditLog

__all__ = ["KINDS", "DisclosureConflict", "LedgerMismatch", "RunGuard", "Scope", "respondent_counts"]

KINDS = ("compare", "waves", "frequencies", "rank", "count")
POPULATION = ("count", "respondents")
TEST_COLUMNS = ("p_val", "q_val", "effect", "effect_name", "test")
_BLANK = {
    "compare": ("n", "value", "ci_low", "ci_high", "p_val", "q_val", "effect"),
    "waves": ("n", "n_from", "n_to", "value_from", "value_to", "change", "ci_low", "ci_high", "p_val", "q_val"),
    "frequencies": ("n", "share", "ci_low", "ci_high", "n_valid", "n_dont_know", "n_missing"),
    "rank": ("n", "n_first", "share_first", "first_ci_low", "first_ci_high", "n_top_k",
             "share_top_k", "top_k_ci_low", "top_k_ci_high"),
    "count": ("n",),
}
Var = tuple[tuple, Cell]


class DisclosureConflict(ValueError):
    """The numbers asked for cannot be published without revealing a cell hidden earlier (or
    without hiding a cell already published); the message says why, in Danish."""


class LedgerMismatch(DisclosureConflict):
    """An earlier run's record does not fit these data (another data set)."""


@dataclass
class _Entry:
    table: pd.DataFrame
    kind: str
    scope: Scope
    name: str
    by: str | None
    value_columns: tuple[str, ...]
    rows: list[list[Var]]
    published: bool = True


def _num(table: pd.DataFrame, col: str) -> np.ndarray:
    if col not in table:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def raw_codebook(codebook: Codebook) -> Codebook:
    """A copy of ``codebook`` with every minimum n at 1: statistics computed with it (and
    ``min_n=1``) hide nothing, so the guard sees the raw tables it must protect."""
    items = tuple(it.model_copy(update={"min_n": None}) for it in codebook.items)
    scales = tuple(s.model_copy(update={"min_n": None}) for s in codebook.scales)
    return codebook.model_copy(update={"min_n": 1, "items": items, "scales": scales})


def respondent_counts(data: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """A ``count`` table: respondents per group of ``by`` (every group present) and in total."""
    rows = []
    if by is not None:
        for code, n in data[by].value_counts(dropna=True).sort_index().items():
            rows.append({"by": by, "group_code": int(code), "n": int(n)})
    rows.append({"by": by, "group_code": pd.NA, "n": len(data)})
    out = pd.DataFrame(rows, columns=["by", "group_code", "n"])
    out["group_code"] = out["group_code"].astype("Int64")
    return out


class RunGuard:
    """Plans every hidden number of a report run at once (see the module docstring).

    Parameters
    ----------
    codebook : Codebook
        Hierarchy (``Item.parent``), wave column and per-item minimum n.
    min_n : int, optional
        The run's minimum; default ``codebook.min_n``. An item's stricter minimum wins.
    audit : AuditLog, optional
        Receives one record per hidden cell and measure (for the analyst, never printed).

    Examples
    --------
    >>> guard = RunGuard(cb, min_n=5)  # doctest: +SKIP
    >>> tid = guard.add(stats.compare(now, items, by="enhed", min_n=1, codebook=cb),
    ...                 scope={"bolge": 2, "omraade": 3}, kind="compare")  # doctest: +SKIP
    >>> guard.protect(); table = guard.table(tid)  # doctest: +SKIP
    """

    def __init__(
        self,
        codebook: Codebook | None,
        *,
        min_n: int | None = None,
        audit: AuditLog | None = None,
        pool_waves: bool = False,
        strict: bool = True,
    ) -> None:
        if min_n is not None and min_n < 1:
            raise ValueError("min_n: must be at least 1")
        self.codebook = codebook
        self.min_n = max(min_n or 0, codebook.min_n if codebook else 0) or DEFAULT_MIN_N
        self.audit = audit if audit is not None else AuditLog()
        self.hierarchy = Hierarchy(codebook)
        self._entries: list[_Entry] = []
        self._n: dict[tuple, dict[Cell, float]] = {}
        self._pos: dict[tuple, dict[Cell, float]] = {}  # pos measure -> cell -> positives
        self._pos_of: dict[tuple, list[tuple]] = {}  # measure -> its pos measures
        self._rels: dict[tuple, dict[tuple[Cell, str], set[Cell]]] = {}
        self._where: dict[Var, list[str]] = {}
        self._hidden: dict[tuple, dict[Cell, str]] = {}
        self._population_hidden: dict[Cell, str] = {}
        self._protected = False
        self.pool_waves = pool_waves
        self.strict = strict  # False: a conflict with an earlier run goes to the audit, not raised
        self._prior: list[dict] = []
        self._shown: dict[tuple, set[Cell]] = {}  # cells of published tables and earlier runs
        self._unpublished = False
        self._current: dict[tuple, set[Cell]] = {}  # cells of this run's own tables

    # -- registration ------------------------------------------------------------------
    def _min_n_for(self, measure: tuple) -> int:
        item = measure[1] if len(measure) > 1 and measure[0] in ("item", "pairs", "rank") else None
        if self.codebook is not None and isinstance(item, str):
            try:
                return max(self.min_n, self.codebook.min_n_for(item))
            except KeyError:
                return self.min_n
        return self.min_n

    def _learn(self, measure: tuple, cell: Cell, n: float, name: str) -> Var:
        store = self._n.setdefault(measure, {})
        if np.isnan(n):
            raise ValueError(f"{name}: a raw table has no n for {self.hierarchy.describe(cell)}")
        old = store.get(cell)
        if old is not None and old != n:
            raise ValueError(
                f"{name}: {measure[-1]} i {self.hierarchy.describe(cell)} har n={n:g}, men "
                f"n={old:g} i en tidligere tabel (er tabellens scope rigtigt?)"
            )
        store[cell] = float(n)
        var = (measure, cell)
        self._where.setdefault(var, []).append(name)
        return var

    def _learn_pos(self, measure: tuple, cell: Cell, pos: float) -> None:
        if np.isnan(pos):
            return
        k = 0
        while True:  # the same item with other positive codes is another positive measure
            pm = ("share", measure, k)
            store = self._pos.setdefault(pm, {})
            if store.get(cell, pos) == pos:
                store[cell] = pos
                lst = self._pos_of.setdefault(measure, [])
                if pm not in lst:
                    lst.append(pm)
                return
            k += 1

    def _cell(self, base: Cell, by: str | None, code: int | None, n: float, name: str) -> Cell | None:
        """The cell of a row; None for a group outside the scope (must have n = 0)."""
        if code is None:
            return base
        try:
            return self.hierarchy.with_(base, by, code)
        except EmptyCell as err:
            if n > 0:
                raise ValueError(f"{name}: {err}, but the row has n={n:g}") from None
            return None

    def _relate(self, measure: tuple, total: Cell, by: str, part: Cell) -> None:
        self._rels.setdefault(measure, {}).setdefault((total, by), set()).add(part)

    def add(
        self,
        table: pd.DataFrame,
        *,
        scope: Mapping[str, int] | None,
        kind: str,
        value_columns: Sequence[str] = (),
        name: str = "",
        publish: bool = True,
    ) -> str:
        """Register a raw table (computed with ``min_n=1``); returns its id for :meth:`table`.

        ``kind`` is "compare" (also ``compare(stat="mean")`` on scale scores), "waves"
        (``compare_waves``), "frequencies", "rank" (``rank_shares``) or "count" (respondents per
        group: ``n``, optional ``by``/``group_code`` with NA on the total row, optional ``item``
        naming what is counted, default respondents; see :func:`respondent_counts`).
        ``scope`` is the population of the report, e.g. ``{"bolge": 2, "omraade": 3}``.
        ``value_columns`` are blanked on hidden rows besides the kind's own columns.
        ``publish=False``: a table that is never shown but whose cells relate to shown ones (the
        other categories of an explorer filter), so that differences between views are protected.
        """
        if self._protected:
            raise ValueError("add: the run is already protected; register every table first")
        if kind not in KINDS:
            raise ValueError(f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")
        tid = f"t{len(self._entries)}" + (f":{name}" if name else "")
        sc = Scope.of(scope, self.hierarchy)
        base = sc.conditions
        by = None
        if "by" in table and len(table) and table["by"].notna().any():
            by = str(table["by"].dropna().iloc[0])
        if by is not None and "group_code" not in table:
            raise ValueError(f"{tid}: a breakdown needs a 'group_code' column (NA on the total row)")
        need = {"compare": ["item", "n"], "waves": ["item", "n_from", "n_to"],
                "frequencies": ["item", "n_valid"], "rank": ["item", "n"], "count": ["n"]}[kind]
        missing = [c for c in need if c not in table]
        if missing:
            raise ValueError(f"{tid}: a {kind} table needs the columns {missing}")
        codes = [as_code(c) for c in table["group_code"].tolist()] if "group_code" in table else [None] * len(table)
        h = self.hierarchy
        rows: list[list[Var]] = []
        if kind == "waves":
            base = h.with_(base, h.wave, None)
            paired = "paired" in table and bool(table["paired"].fillna(False).astype(bool).any())
            nf, nt = _num(table, "n_from"), _num(table, "n_to")
            vf, vt = _num(table, "value_from"), _num(table, "value_to")
            wf = (table["wave_from_code"] if "wave_from_code" in table else table["wave_from"]).tolist()
            wt = (table["wave_to_code"] if "wave_to_code" in table else table["wave_to"]).tolist()
            share = "stat" in table and (table["stat"] == "share").to_numpy()
            items = table["item"].tolist()
            for i in range(len(table)):
                item, code = items[i], codes[i]
                cell = self._cell(base, by, code, max(nf[i], nt[i]), tid)
                if cell is None:
                    rows.append([])
                    continue
                a, b = as_code(wf[i]), as_code(wt[i])
                if paired:
                    m = ("pairs", item, a, b)
                    rows.append([self._learn(m, cell, nf[i], tid)])
                    if code is not None:
                        self._relate(m, base, by, cell)
                    continue
                m = ("item", item)
                row = []
                for w, n, v in ((a, nf[i], vf[i]), (b, nt[i], vt[i])):
                    c = h.with_(cell, h.wave, w)
                    row.append(self._learn(m, c, n, tid))
                    if share is not False and share[i]:
                        self._learn_pos(m, c, float(np.round(v * n)) if n > 0 else 0.0)
                    if code is not None:
                        self._relate(m, h.with_(base, h.wave, w), by, c)
                rows.append(row)
        else:
            ncol = "n_valid" if kind == "frequencies" else "n"
            n_arr = _num(table, ncol)
            v_arr = _num(table, "value")
            share = (table["stat"] == "share").to_numpy() if kind == "compare" and "stat" in table else None
            items = table["item"].tolist() if "item" in table else ["respondents"] * len(table)
            for i in range(len(table)):
                code = codes[i]
                cell = self._cell(base, by, code, n_arr[i], tid)
                if cell is None:
                    rows.append([])
                    continue
                if kind == "count":
                    m = ("count", items[i])
                elif kind == "rank":
                    m = ("rank", items[i])
                else:
                    m = ("item", items[i])
                rows.append([self._learn(m, cell, n_arr[i], tid)])
                if share is not None and share[i]:
                    self._learn_pos(m, cell, float(np.round(v_arr[i] * n_arr[i])) if n_arr[i] > 0 else 0.0)
                if code is not None:
                    self._relate(m, base, by, cell)
        for row in rows:
            for m, cell in row:
                self._current.setdefault(m, set()).add(cell)
        if publish:
            for row in rows:
                for m, cell in row:
                    self._shown.setdefault(m, set()).add(cell)
        else:
            self._unpublished = True
        self._entries.append(
            _Entry(table.copy(), kind, sc, tid, by, tuple(value_columns), rows, publish)
        )
        return tid

    # -- planning ----------------------------------------------------------------------
    def _relations(self, measure: tuple) -> list[Relation]:
        """The table relations of a measure plus the generic ones (a cell and its siblings add up
        to its parent cell, when the parent is published in that measure)."""
        rels = {k: set(v) for k, v in self._rels.get(measure, {}).items()}
        cells = self._n[measure]
        for cell in cells:
            for parent, col in self.hierarchy.parent_cells(cell, pool_waves=self.pool_waves):
                if parent in cells:
                    rels.setdefault((parent, col), set()).add(cell)
        mn = self._min_n_for(measure)
        shown = self._shown.get(measure, set())
        current = self._current.get(measure, set())
        return [
            Relation(total=t, parts=tuple(sorted(p)), min_n=mn)
            for (t, _), p in sorted(rels.items(), key=lambda kv: repr(kv[0]))
            # parts that are never published (publish=False) cannot be differenced yet
            if (not self._unpublished or p & shown)
            # earlier runs' cells among themselves were protected then (and may be incomplete now)
            and (not self._prior or ({t} | p) & current)
        ]

    def protect(self) -> None:
        """Decide every hidden cell of the run (see the module docstring), finest level first.

        Raises ``ValueError`` when the relations cannot all be protected (cannot happen while
        nothing is fixed; kept as a guard against inconsistent input).
        """
        h = self.hierarchy
        fixed = self._apply_prior()
        relations = {m: self._relations(m) for m in self._n}
        hidden: dict[tuple, dict[Cell, str]] = {m: {} for m in self._n}
        for rec in self._prior:
            if rec["hidden"] and rec["cell"] in self._n.get(rec["measure"], {}):
                hidden[rec["measure"]][rec["cell"]] = f"skjult tidligere: {rec.get('why') or ''}".rstrip(": ")
        for m, cells in self._n.items():
            lim = self._min_n_for(m)
            for cell, n in cells.items():
                if 0 < n < lim:
                    hidden[m][cell] = f"primær: n={n:g} < {lim}"
        # the respondents of each cell: count tables, else the largest n of any measure
        people: dict[Cell, float] = {}
        for m, cells in self._n.items():
            if m[0] in ("item", "rank"):
                for cell, n in cells.items():
                    people[cell] = max(people.get(cell, 0.0), n)
        people.update(self._n.get(POPULATION, {}))
        pop_hidden = {
            c: f"gruppen har {n:g} besvarelser < {self.min_n}"
            for c, n in people.items()
            if 0 < n < self.min_n
        }
        conflicts: list[str] = []
        upper: dict[tuple, dict[Cell, float]] = {}  # staff numbers: public upper bounds
        changed = True
        while changed:
            changed = False
            for m, cells in self._n.items():
                hm = hidden[m]
                before = len(hm)
                if m[0] != "pairs":
                    for c in pop_hidden:
                        if c in cells and c not in hm:
                            hm[c] = pop_hidden[c]
                if m[0] == "pairs":  # a panel pair is hidden when either wave's group is
                    for c in cells:
                        for w in m[2:]:
                            if h.with_(c, h.wave, w) in pop_hidden and c not in hm:
                                hm[c] = "parret måling: gruppen er skjult i en af målingerne"
                for pos in [None, *(self._pos[pm] for pm in self._pos_of.get(m, []))]:
                    conflicts += complete_suppression(
                        cells, hm, relations[m], pos=pos, describe=h.describe,
                        fixed=fixed.get(m, frozenset()), upper=upper.setdefault(m, {
                            c: p for c in cells if (p := h.population(c)) is not None}),
                    )
                changed |= len(hm) != before
            for c, why in hidden.get(POPULATION, {}).items():
                if c not in pop_hidden:
                    pop_hidden[c] = why
                    changed = True
        for m, cs in fixed.items():
            for c in cs:
                if c in hidden[m]:
                    conflicts.append(
                        f"{m[1] if len(m) > 1 else m[0]}: {h.describe(c)} er allerede vist, "
                        f"men skulle nu skjules ({hidden[m][c]})"
                    )
        if conflicts and (self.strict or not self._prior):
            raise DisclosureConflict("; ".join(dict.fromkeys(conflicts)))
        for c in dict.fromkeys(conflicts):  # every part that could be hidden is hidden
            self.audit.add(where="tidligere kørsel", what=c, why="kunne ikke beskyttes fuldt ud", n=None)
        self._hidden = hidden
        self._population_hidden = pop_hidden
        self._protected = True
        for m, hm in hidden.items():
            for cell, why in hm.items():
                where = self._where.get((m, cell), [])
                more = f" (+{len(where) - 1} tabeller)" if len(where) > 1 else ""
                self.audit.add(
                    where=(where[0] if where else "") + more,
                    what=f"{m[1]}: {h.describe(cell)}" if len(m) > 1 else h.describe(cell),
                    why=why,
                    n=self._n[m].get(cell),
                )

    # -- what earlier views and runs published ----------------------------------------------
    def prior(self, records: Sequence[Mapping]) -> None:
        """Register what earlier runs or explorer views published on the same data (records of
        :meth:`records`: ``measure``, ``cell``, ``n``, ``pos``, ``hidden``, ``why``). A cell hidden
        then stays hidden; a cell shown then may not be hidden now (:class:`DisclosureConflict`),
        and its number takes part in every relation, so differences between the runs are
        protected as within one run."""
        if self._protected:
            raise ValueError("prior: the run is already protected")
        for r in records:
            self._prior.append({**r, "measure": tuple(r["measure"]),
                                "cell": tuple(tuple(x) for x in r["cell"])})

    def _apply_prior(self) -> dict[tuple, set[Cell]]:
        fixed: dict[tuple, set[Cell]] = {}
        mine = set(self._n)
        for rec in self._prior:
            m, cell, n = rec["measure"], rec["cell"], rec.get("n")
            if m not in mine:
                continue  # a measure this run does not publish: its cells relate to none of ours
            if n is None or (isinstance(n, float) and np.isnan(n)):
                if cell not in self._n.get(m, {}):
                    continue  # a hidden cell of no use here (its n was not kept)
            else:
                old = self._n.get(m, {}).get(cell)
                if old is not None and old != float(n):
                    raise LedgerMismatch(
                        f"anonymitetshistorikken passer ikke til disse data ({m[-1]}, "
                        f"{self.hierarchy.describe(cell)}: n={float(n):g} i en tidligere kørsel, "
                        f"n={old:g} nu); er det et nyt datasæt, så start forfra (--ny-start)"
                    )
                self._n.setdefault(m, {})[cell] = float(n)
                if rec.get("pos") is not None:
                    self._learn_pos(m, cell, float(rec["pos"]))
            self._shown.setdefault(m, set()).add(cell)
            if not rec["hidden"]:
                fixed.setdefault(m, set()).add(cell)
        return fixed

    def records(self) -> list[dict]:
        """Every cell the run published (shown or hidden): ``measure``, ``cell``, ``n``, ``pos``
        (positives of a share, when one is known), ``hidden``, ``why``; for a disclosure ledger
        (:class:`survey_kit.privacy.Ledger`)."""
        self._check()
        out: dict[Var, dict] = {}
        for e in self._entries:
            if not e.published:
                continue
            for row in e.rows:
                for m, cell in row:
                    if (m, cell) in out:
                        continue
                    why = self._hidden.get(m, {}).get(cell)
                    pms = self._pos_of.get(m, [])
                    pos = self._pos[pms[0]].get(cell) if len(pms) == 1 else None
                    out[(m, cell)] = {"measure": list(m), "cell": [list(c) for c in cell],
                                      "n": self._n[m].get(cell), "pos": pos,
                                      "hidden": why is not None, "why": why or ""}
        return list(out.values())

    def _check(self) -> None:
        if not self._protected:
            raise ValueError("protect() must run before tables are read")

    def is_hidden(self, var: Var) -> bool:
        self._check()
        return var[1] in self._hidden.get(var[0], {})

    def hidden_groups(self, by: str, scope: Mapping[str, int] | None = None) -> set[int]:
        """Codes of the groups of ``by`` within ``scope`` whose respondent count is hidden.

        Such a group is hidden in every table and measure and gets no report of its own; the
        engine leaves it out when it recomputes a test over the published groups.
        """
        self._check()
        base = Scope.of(scope, self.hierarchy).conditions
        out = set()
        for cell in self._population_hidden:
            d = dict(cell)
            if by in d and self.hierarchy.with_(base, by, d[by]) == cell:
                out.add(d[by])
        return out

    def hidden_cells(self) -> pd.DataFrame:
        """Every hidden (measure, cell): ``measure, cell, n, why`` (for the analyst)."""
        self._check()
        rows = [
            {"measure": " ".join(map(str, m)), "cell": self.hierarchy.describe(c),
             "n": self._n[m].get(c), "why": why}
            for m, hm in self._hidden.items() for c, why in hm.items()
        ]
        return pd.DataFrame(rows, columns=["measure", "cell", "n", "why"])

    # -- publishing --------------------------------------------------------------------
    def table(self, table_id: str, *, tests: pd.DataFrame | None = None) -> pd.DataFrame:
        """The protected copy of a registered table.

        Hidden rows: ``suppressed=True``, counts and values NA. ``tests`` (compare tables): the
        same items recomputed with ``stats.compare`` over the published groups only (data without
        the hidden groups); the guard checks that every group in it is published with the same n
        before it publishes its test columns, marked ``test_scope = "published"``.
        """
        self._check()
        entry = next((e for e in self._entries if e.name == table_id), None)
        if entry is None:
            raise ValueError(f"table_id: {table_id!r} is not a registered table")
        out = entry.table.copy()
        hidden = self._hidden
        hide = np.array(
            [any(v[1] in hidden.get(v[0], ()) for v in row) for row in entry.rows], dtype=bool
        )
        for c in dict.fromkeys([*_BLANK[entry.kind], *entry.value_columns]):
            set_na(out, c, hide, integer=c == "n" or c.startswith("n_"))
        if "vs_total" in out:
            out["vs_total"] = np.where(hide, "", out["vs_total"].astype(str).to_numpy())
        if "significant" in out:
            out["significant"] = out["significant"].fillna(False).to_numpy(dtype=bool) & ~hide
        out["suppressed"] = hide
        if entry.kind == "compare":
            out = publish_compare_tests(out, hide, tests)
        elif entry.kind == "waves" and "p_val" in out:
            out["q_val"] = bh(_num(out, "p_val"))
            if "significant" in out:
                out["significant"] = (out["q_val"].fillna(1.0) < 0.05).to_numpy(dtype=bool) & ~hide
        return round_published(out)
