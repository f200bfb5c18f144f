"""One disclosure guard for all the tables a report publishes.

:func:`~survey_kit.privacy.suppression.suppress_table` protects one table on its own. A report
publishes many: the same items by unit and by area, each wave, the change between waves. A
:class:`DisclosureGuard` remembers every cell it has published or hidden, keyed by
``(item, level, group code, wave)``, and protects each new table against all of them:

* **Across tables**: a cell hidden once is hidden in every later table that publishes it
  (re-applied, with the first reason in the audit). A cell already published visibly is never
  hidden later; if protection would need that, :meth:`DisclosureGuard.protect` raises a
  ``ValueError`` (protect the finest breakdown first: ``by="enhed"`` before ``by="omraade"``).
* **Hierarchy** (``codebook.hierarchy``, e.g. ``omraade -> enhed`` through ``Item.parent``): a table
  by unit also fixes the cells of the areas (sum of their units) and of the total. Complementary
  suppression runs on every additive relation at once: units of each area add up to the area, the
  areas add up to the total. So a hidden unit cannot be recovered from its area minus the visible
  units, nor a hidden area from the total minus the other areas, whether the area table is
  published before or after (hidden area cells are remembered and re-applied).
* **Waves**: cells are per wave, so a unit hidden in wave 2 may show its wave-1 value. A change
  table (``compare_waves``: ``n_from``, ``n_to``, ``wave_from``, ``wave_to``) hides its whole row
  (both waves' n and values, the change and its interval) when the cell of either wave is hidden,
  and complementary suppression runs on each wave's relations. For a paired panel (``n_from ==
  n_to`` on every row, or ``paired=True``) the two waves of a group are the same people, so hiding
  one wave's cell hides the other's too.
* Complementary suppression rules: see :mod:`survey_kit.privacy._engine` (R1-R4).

Not covered: two-way breakdowns (unit x position) and the same breakdown at a different
``partition`` (e.g. frequencies per code together with compare per item are separate cell spaces
unless both use ``partition=("item",)`` and the group base as ``n_column``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from survey_kit.codebook.model import DEFAULT_MIN_N, Codebook
from survey_kit.privacy._engine import Relation, complete_suppression
from survey_kit.privacy.suppression import AuditLog, blank_rows, total_mask

TOTAL = "I alt"
_CHANGE_VALUES = (
    "value_from",
    "value_to",
    "change",
    "ci_low",
    "ci_high",
    "p_val",
    "q_val",
    "significant",
)


def _code(value: object) -> object:
    if pd.isna(value):
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
        return int(f) if f.is_integer() else value
    except (TypeError, ValueError):
        return value


class DisclosureGuard:
    """Protects every table of one report against min-n disclosure, across tables and levels.

    Parameters
    ----------
    codebook : Codebook, optional
        Gives the hierarchy (``codebook.hierarchy`` and ``Item.parent``) and per-item ``min_n``.
    min_n : int, optional
        The survey's minimum; default ``codebook.min_n`` (5 without a codebook). An item's own
        stricter ``min_n`` in the codebook wins.
    audit : AuditLog, optional
        Where suppressions are recorded; a new one by default (``guard.audit``).

    Examples
    --------
    >>> guard = DisclosureGuard(instrument("temperaturmaaling"))  # doctest: +SKIP
    >>> cols = ["value", "ci_low", "ci_high"]
    >>> units = guard.protect(by_unit, by="enhed", value_columns=cols)  # doctest: +SKIP
    >>> areas = guard.protect(by_area, by="omraade", value_columns=cols)  # doctest: +SKIP
    >>> guard.audit.to_frame()  # doctest: +SKIP
    """

    def __init__(
        self,
        codebook: Codebook | None = None,
        *,
        min_n: int | None = None,
        audit: AuditLog | None = None,
    ) -> None:
        if min_n is not None and min_n < 1:
            raise ValueError("min_n: must be at least 1")
        self.codebook = codebook
        self.min_n = min_n if min_n is not None else (codebook.min_n if codebook else DEFAULT_MIN_N)
        self.audit = audit if audit is not None else AuditLog()
        self._parents: dict[str, tuple[str, dict[int, int]]] = {}
        if codebook is not None:
            for upper, lower in zip(codebook.hierarchy, codebook.hierarchy[1:], strict=False):
                self._parents[lower] = (upper, dict(codebook[lower].parent))
        self._n: dict[Hashable, float] = {}
        self._pos: dict[Hashable, float] = {}
        self._relations: dict[tuple[Hashable, str], set[Hashable]] = {}
        self._hidden: dict[Hashable, str] = {}
        self._shown: set[Hashable] = set()
        self._links: list[tuple[Hashable, Hashable]] = []

    # -- helpers ------------------------------------------------------------------------
    def _snapshot(self) -> tuple:
        rel = {k: set(v) for k, v in self._relations.items()}
        return (
            dict(self._n),
            dict(self._pos),
            rel,
            dict(self._hidden),
            set(self._shown),
            list(self._links),
        )

    def _restore(self, state: tuple) -> None:
        self._n, self._pos, self._relations, self._hidden, self._shown, self._links = state

    def min_n_for(self, item: object) -> int:
        """The minimum for an item: the guard's, or the codebook's stricter per-item value."""
        if self.codebook is not None and isinstance(item, str) and item in self.codebook:
            return max(self.min_n, self.codebook.min_n_for(item))
        return self.min_n

    @staticmethod
    def _describe(key: Hashable) -> str:
        pk, level, code, wave = key  # type: ignore[misc]
        head = ", ".join(str(v) for v in pk)
        where = TOTAL if level is None else f"{level}={code}"
        return f"{head}, {where}" + ("" if wave is None else f", bølge {wave}")

    def _add_relation(self, total: Hashable, level: str, parts: set[Hashable]) -> None:
        self._relations.setdefault((total, level), set()).update(parts)

    def _learn(self, key: Hashable, n: float, pos: float | None) -> None:
        if key not in self._n or np.isnan(self._n[key]):
            self._n[key] = n
        if pos is not None and not np.isnan(pos) and key not in self._pos:
            self._pos[key] = pos

    def _ancestors(self, level: str, code: object) -> list[tuple[str, object]]:
        out = []
        while level in self._parents:
            upper, mapping = self._parents[level]
            if code not in mapping:
                raise ValueError(
                    f"by: group code {code!r} of {level!r} has no parent in {upper!r} in the codebook"
                )
            level, code = upper, mapping[code]
            out.append((level, code))
        return out

    def _register(self, cells: list[tuple[Hashable, float, float | None]], by: str | None) -> None:
        """Learn the cells of one table and every additive relation they take part in.

        For a table by a level of the hierarchy, the cells of the levels above are derived (sum of
        their parts), and each cell is a part of the total and of every ancestor (unit -> area,
        unit -> total, area -> total), so implied relations are checked directly too.
        """
        for key, n, pos in cells:
            self._learn(key, n, pos)
        if by is None:
            return
        groups: dict[tuple, dict[Hashable, tuple[float, float | None]]] = {}
        for key, n, pos in cells:
            pk, level, code, wave = key  # type: ignore[misc]
            if level is not None:
                groups.setdefault((pk, wave), {})[key] = (n, pos)
        for (pk, wave), members in groups.items():
            level = by
            while True:
                self._add_relation((pk, None, None, wave), level, set(members))
                for key in members:
                    for a_level, a_code in self._ancestors(level, key[2]):  # type: ignore[index]
                        self._add_relation((pk, a_level, a_code, wave), level, {key})
                if level not in self._parents:
                    break
                upper, mapping = self._parents[level]
                sums: dict[Hashable, list] = {}
                for key, (n, pos) in members.items():
                    pkey = (pk, upper, mapping[key[2]], wave)  # type: ignore[index]
                    acc = sums.setdefault(pkey, [0.0, 0.0])
                    acc[0] += 0.0 if np.isnan(n) else n
                    acc[1] = acc[1] + pos if pos is not None and acc[1] is not None else None
                for pkey, (n, pos) in sums.items():
                    self._learn(pkey, n, pos)
                members = {k: (self._n[k], self._pos.get(k)) for k in sums}
                level = upper

    # -- the public method --------------------------------------------------------------
    def protect(
        self,
        table: pd.DataFrame,
        *,
        by: str | None,
        partition: Sequence[str] = ("item",),
        value_columns: Sequence[str] = (),
        n_column: str = "n",
        wave: object = None,
        share_column: str | None = None,
        paired: bool | None = None,
        where: str = "",
    ) -> pd.DataFrame:
        """Return a protected copy of ``table``, consistent with every table protected before.

        Method: primary suppression (``0 < n < min_n``), re-application of cells hidden in earlier
        tables, then complementary suppression (greedy fixed point, rules R1-R4 of
        :mod:`survey_kit.privacy._engine`) over all relations the guard knows: this table's groups,
        the hierarchy above ``by``, and every earlier table's relations. Cells published visibly
        before are never hidden.

        Parameters
        ----------
        table : DataFrame
            A result table (``compare``/``frequencies`` shape, or ``compare_waves`` with ``n_from``,
            ``n_to``, ``wave_from``, ``wave_to``); not modified. Groups are identified by
            ``group_code``; the total row has NA ``group_code``.
        by : str or None
            The grouping item of the table (``None``: totals only).
        partition : sequence of str
            Columns that identify what the cell counts (``("item",)``).
        value_columns : sequence of str
            Columns blanked on hidden rows. For change tables the value, change and test columns
            are always blanked.
        n_column : str
            Respondent count of a level table (``"n_valid"`` for frequencies).
        wave : object, optional
            The wave of a level table, with the same values as a change table's ``wave_from``.
        share_column : str, optional
            Unweighted shares in [0, 1]; default ``"value"`` when every row has ``stat == "share"``.
        paired : bool, optional
            Change tables: waves measured on the same people; default: ``n_from == n_to`` on all rows.
        where : str
            Name of the table in the audit.
        """
        missing = [c for c in partition if c not in table]
        if missing:
            raise ValueError(f"partition: columns {missing} are not in the table")
        if by is not None and "group_code" not in table:
            raise ValueError("table: a breakdown needs a 'group_code' column (NA on the total row)")
        change = "n_from" in table and "n_to" in table
        if change and not {"wave_from", "wave_to"} <= set(table.columns):
            raise ValueError("table: a change table needs 'wave_from' and 'wave_to' columns")
        if not change and n_column not in table:
            raise ValueError(f"n_column: {n_column!r} is not a column of the table")
        if (
            share_column is None
            and "stat" in table
            and len(table)
            and (table["stat"] == "share").all()
        ):
            share_column = "value"
        out = table.copy()
        state = self._snapshot()
        totals = total_mask(out)
        levels = [None if t or by is None else by for t in totals]
        codes = [
            None if lv is None else _code(c)
            for lv, c in zip(levels, out.get("group_code", [None] * len(out)), strict=True)
        ]
        pks = (
            list(zip(*(out[c].tolist() for c in partition), strict=True))
            if partition
            else [()] * len(out)
        )

        def num(col: str | None) -> np.ndarray:
            if col is None or col not in out:
                return np.full(len(out), np.nan)
            return pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

        row_cells: list[list[Hashable]] = []
        cells: list[tuple[Hashable, float, float | None]] = []
        if change:
            shares = share_column is not None  # "value" when stat == "share": use both waves'
            specs = [
                ("n_from", "value_from" if shares else None, "wave_from"),
                ("n_to", "value_to" if shares else None, "wave_to"),
            ]
        else:
            specs = [(n_column, share_column, None)]
        arrays = [(num(nc), num(sc) if sc else None, wc) for nc, sc, wc in specs]
        for i in range(len(out)):
            keys = []
            for n_arr, s_arr, wc in arrays:
                w = _code(out[wc].iloc[i]) if wc else wave
                key = (pks[i], levels[i], codes[i], w)
                pos = float(np.round(s_arr[i] * n_arr[i])) if s_arr is not None else None
                cells.append((key, float(n_arr[i]), pos))
                keys.append(key)
            row_cells.append(keys)
        if change and paired is None:
            paired = bool(np.array_equal(arrays[0][0], arrays[1][0], equal_nan=True))
        if change and paired:
            self._links.extend((a, b) for a, b in row_cells)

        before = dict(self._hidden)
        self._register(cells, by)
        already = (
            out["suppressed"].fillna(False).to_numpy(dtype=bool) if "suppressed" in out else None
        )
        for i, keys in enumerate(row_cells):
            for key in keys:
                n = self._n.get(key, np.nan)
                lim = self.min_n_for(key[0][0] if key[0] else None)
                if key not in self._hidden and 0 < n < lim:
                    self._hidden[key] = f"primær: n={n:g} < {lim}"
            if already is not None and already[i] and not any(k in self._hidden for k in keys):
                self._hidden[keys[0]] = "primær: markeret som skjult"
        # derived cells of the levels above (areas) can be primary too
        for key, n in self._n.items():
            lim = self.min_n_for(key[0][0] if key[0] else None)
            if key not in self._hidden and 0 < n < lim:
                self._hidden[key] = f"primær: n={n:g} < {lim}"
        relations = [
            Relation(
                total=t,
                parts=tuple(sorted(p, key=repr)),
                min_n=self.min_n_for(t[0][0] if t[0] else None),
            )
            for (t, _), p in self._relations.items()
        ]
        fixed = self._shown - set(self._hidden)
        conflicts: list[str] = []
        while True:
            n_before = len(self._hidden)
            conflicts = complete_suppression(
                self._n,
                self._hidden,
                relations,
                pos=self._pos,
                fixed=fixed,
                describe=self._describe,
            )
            for a, b in self._links:
                for x, y in ((a, b), (b, a)):
                    if x in self._hidden and y not in self._hidden:
                        if y in fixed:
                            conflicts.append(
                                f"{self._describe(y)} er vist, men samme personer er skjult i {self._describe(x)}"
                            )
                        else:
                            self._hidden[y] = (
                                f"parret måling: samme personer som {self._describe(x)}"
                            )
            if len(self._hidden) == n_before:
                break
        if conflicts:
            self._restore(state)
            raise ValueError(
                "table: cannot protect it consistently with the tables published before ("
                + "; ".join(dict.fromkeys(conflicts))
                + "). Protect the finest breakdown first (e.g. by='enhed' before by='omraade')."
            )
        hide = np.array([any(k in self._hidden for k in keys) for keys in row_cells], dtype=bool)
        for i, keys in enumerate(row_cells):
            if hide[i]:
                for k in keys:
                    if k in self._hidden:
                        why = self._hidden[k] + (
                            " (skjult i en tidligere tabel)" if k in before else ""
                        )
                        n = self._n.get(k)
                        self.audit.add(
                            where=where,
                            what=self._describe(k),
                            why=why,
                            n=None if n is None or np.isnan(n) else n,
                        )
            else:
                self._shown.update(keys)
        blank = list(value_columns)
        if change:
            blank = [c for c in dict.fromkeys([*blank, *_CHANGE_VALUES, "n_from", "n_to"])]
            counts = ["n_from", "n_to"]
        else:
            blank = [n_column, *blank]
            counts = [n_column]
        counts += [c for c in blank if c == "n" or c.startswith("n_")]
        return blank_rows(out, hide, blank, count_columns=counts)

    def hidden_cells(self) -> pd.DataFrame:
        """Every cell the guard has hidden: ``key, level, group_code, wave, n, why``."""
        rows = [
            {
                "key": ", ".join(map(str, k[0])),
                "level": k[1],
                "group_code": k[2],
                "wave": k[3],
                "n": self._n.get(k),
                "why": why,
            }
            for k, why in self._hidden.items()
        ]
        return pd.DataFrame(rows, columns=["key", "level", "group_code", "wave", "n", "why"])
