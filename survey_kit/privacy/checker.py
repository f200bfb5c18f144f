"""An adversary for published tables: which hidden numbers can be recovered?

:func:`recoverable` reads what a report publishes and, independently of how it was suppressed,
writes every published number as a linear constraint on the unknown cell counts:

* a cell ``(item, level, group code, wave)`` has an unknown count ``n`` and, where shares are
  published (``stat == "share"``), an unknown count of positive answers ``pos`` with
  ``0 <= pos <= n``;
* a visible row fixes ``n``; a visible share fixes ``pos = round(share * n)`` (or
  ``pos = share * n`` when only the share is visible); a hidden row only says ``n >= 1``;
* a change table publishes both waves' cells; a visible ``change`` beside one hidden value gives
  that value away;
* additivity: the groups of a breakdown add up to the total row, and (with a codebook hierarchy)
  the units of an area add up to the area and the areas to the total (``complete=False``: the parts
  add up to *at most* the total, when respondents without a group answer count in the total).

For each hidden cell the smallest and largest feasible ``n``, ``pos`` and ``n - pos`` are found with
``scipy.optimize.milp`` (integer counts; ``integral=False`` uses the LP relaxation with
``scipy.optimize.linprog``). A cell is recoverable when a range is narrower than ``min_width``
(default 1: the exact value is determined; ``pos`` or ``n - pos`` fixed at 0 tells that everyone in
the group answered alike).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from survey_kit.codebook.model import Codebook
from survey_kit.privacy.guard import _code

_BIG = 10**7


def _num(table: pd.DataFrame, col: str) -> np.ndarray:
    if col not in table:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


class _Problem:
    def __init__(self) -> None:
        self.index: dict[Hashable, int] = {}
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.lower: dict[int, float] = {}

    def var(self, name: Hashable) -> int:
        if name not in self.index:
            self.index[name] = len(self.index)
        return self.index[name]

    def add(self, coefs: dict[int, float], lo: float, hi: float) -> None:
        self.rows.append((coefs, lo, hi))


def recoverable(
    tables: Sequence[pd.DataFrame],
    *,
    waves: Sequence[object] | None = None,
    codebook: Codebook | None = None,
    partition: Sequence[str] = ("item",),
    n_column: str = "n",
    complete: bool = True,
    integral: bool = True,
    min_width: float = 1,
) -> pd.DataFrame:
    """Feasible ranges of every hidden cell of a set of published tables.

    Method: linear programming over the published constraints (see module docstring), solved
    twice per hidden quantity (minimum and maximum) with HiGHS through ``scipy.optimize.milp``.

    Parameters
    ----------
    tables : sequence of DataFrame
        Published (suppressed) tables: ``compare`` shape (``group_code`` NA on the total row,
        ``n``, ``value``, ``stat``, ``suppressed``) or ``compare_waves`` shape (``n_from``, ``n_to``,
        ``value_from``, ``value_to``, ``change``, ``wave_from``, ``wave_to``).
    waves : sequence, optional
        The wave of each level table (parallel to ``tables``; ``None`` entries for no wave).
    codebook : Codebook, optional
        Its ``hierarchy`` adds the unit -> area -> total relations.
    partition : sequence of str
        Columns that identify what a cell counts.
    n_column : str
        The count column of level tables.
    complete : bool
        Whether the groups add up exactly to the total.
    integral : bool
        Integer counts (``milp``) or the LP relaxation (``linprog``).
    min_width : float
        A range narrower than this counts as recovered.

    Returns
    -------
    DataFrame
        ``key, level, group_code, wave, quantity, low, high, recoverable``; one row per hidden cell
        and quantity (``n``; with shares also ``n_positive`` and ``n_negative``).
    """
    if waves is not None and len(waves) != len(tables):
        raise ValueError("waves: needs one entry per table")
    for t in tables:
        missing = [c for c in partition if c not in t]
        if missing:
            raise ValueError(f"partition: columns {missing} are not in every table")
    # cells of different items never share a relation: one small problem per item
    keys = sorted(
        {
            k
            for t in tables
            for k in (
                t[list(partition)].drop_duplicates().itertuples(index=False, name=None)
                if partition
                else [()]
            )
        },
        key=repr,
    )
    frames = []
    for k in keys:
        parts = []
        for t in tables:
            if partition:
                mask = np.ones(len(t), dtype=bool)
                for c, v in zip(partition, k, strict=True):
                    mask &= (t[c] == v).fillna(False).to_numpy(dtype=bool)
                parts.append(t[mask])
            else:
                parts.append(t)
        frames.append(
            _recoverable_one(
                parts, waves, codebook, partition, n_column, complete, integral, min_width
            )
        )
    cols = ["key", "level", "group_code", "wave", "quantity", "low", "high", "recoverable"]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def _recoverable_one(
    tables: Sequence[pd.DataFrame],
    waves: Sequence[object] | None,
    codebook: Codebook | None,
    partition: Sequence[str],
    n_column: str,
    complete: bool,
    integral: bool,
    min_width: float,
) -> pd.DataFrame:
    parents: dict[str, tuple[str, dict[int, int]]] = {}
    if codebook is not None:
        for upper, lower in zip(codebook.hierarchy, codebook.hierarchy[1:], strict=False):
            parents[lower] = (upper, dict(codebook[lower].parent))
    prob = _Problem()
    known_n: set[Hashable] = set()
    known_pos: set[Hashable] = set()
    has_pos: set[Hashable] = set()
    members: dict[tuple, set[Hashable]] = {}  # (pk, wave, level) -> cells at that level

    def cell(
        pk: tuple,
        level: str | None,
        code: object,
        wave: object,
        n: float,
        share: float,
        shares: bool,
    ) -> None:
        key = (pk, level, code, wave)
        iv = prob.var(("n", key))
        if not np.isnan(n):
            prob.add({iv: 1.0}, n, n)
            known_n.add(key)
        else:
            prob.lower[iv] = max(prob.lower.get(iv, 0.0), 1.0)
        if shares:
            ip = prob.var(("pos", key))
            has_pos.add(key)
            prob.add({ip: 1.0, iv: -1.0}, -np.inf, 0.0)
            if not np.isnan(share):
                if not np.isnan(n):
                    p = float(np.round(share * n))
                    prob.add({ip: 1.0}, p, p)
                    known_pos.add(key)
                else:
                    prob.add({ip: 1.0, iv: -share}, 0.0, 0.0)
        if level is not None:
            members.setdefault((pk, wave, level), set()).add(key)

    for t, table in enumerate(tables):
        change = "n_from" in table and "n_to" in table
        pks = (
            list(zip(*(table[c].tolist() for c in partition), strict=True))
            if partition
            else [()] * len(table)
        )
        total = (
            table["group_code"].isna().to_numpy()
            if "group_code" in table
            else np.ones(len(table), bool)
        )
        by = table["by"].tolist() if "by" in table else [None] * len(table)
        codes = table["group_code"].tolist() if "group_code" in table else [None] * len(table)
        shares = "stat" in table and bool((table["stat"] == "share").all())
        if change:
            vf, vt, ch = _num(table, "value_from"), _num(table, "value_to"), _num(table, "change")
            vf = np.where(np.isnan(vf) & ~np.isnan(ch), vt - ch, vf)
            vt = np.where(np.isnan(vt) & ~np.isnan(ch), vf + ch, vt)
            specs = [
                (_num(table, "n_from"), vf, table["wave_from"].tolist()),
                (_num(table, "n_to"), vt, table["wave_to"].tolist()),
            ]
        else:
            w = None if waves is None else waves[t]
            specs = [(_num(table, n_column), _num(table, "value"), [w] * len(table))]
        for i in range(len(table)):
            level = None if total[i] else by[i]
            code = None if total[i] else _code(codes[i])
            for n_arr, s_arr, w_list in specs:
                cell(pks[i], level, code, _code(w_list[i]), n_arr[i], s_arr[i], shares)

    def add_sum(total_key: Hashable, part_keys: set[Hashable]) -> None:
        for kind in ("n", "pos"):
            if kind == "pos" and not ({total_key, *part_keys} <= has_pos):
                continue
            coefs = {prob.var((kind, total_key)): -1.0}
            for k in part_keys:
                coefs[prob.var((kind, k))] = coefs.get(prob.var((kind, k)), 0.0) + 1.0
            prob.add(coefs, -np.inf if not complete else 0.0, 0.0)

    levels_present = {lv for (_, _, lv) in members}
    for (pk, wave, level), keys in list(members.items()):
        parent = parents.get(level)
        if parent is not None and parent[0] in levels_present:
            upper, mapping = parent
            by_parent: dict[Hashable, set[Hashable]] = {}
            for k in keys:
                by_parent.setdefault((pk, upper, mapping.get(k[2]), wave), set()).add(k)
            for pkey, ks in by_parent.items():
                if ("n", pkey) in prob.index:
                    add_sum(pkey, ks)
        if ("n", (pk, None, None, wave)) in prob.index:
            add_sum((pk, None, None, wave), keys)

    nv = len(prob.index)
    a = np.zeros((len(prob.rows), nv))
    lo = np.empty(len(prob.rows))
    hi = np.empty(len(prob.rows))
    for r, (coefs, low_r, high_r) in enumerate(prob.rows):
        for j, c in coefs.items():
            a[r, j] = c
        lo[r], hi[r] = low_r, high_r
    lb = np.array([prob.lower.get(j, 0.0) for j in range(nv)])
    ub = np.full(nv, float(_BIG))

    def solve(c: np.ndarray) -> float | None:
        if integral:
            res = milp(
                c,
                constraints=LinearConstraint(a, lo, hi),
                integrality=np.ones(nv),
                bounds=Bounds(lb, ub),
            )
        else:
            a_ub = np.vstack([a[np.isfinite(hi)], -a[np.isfinite(lo)]])
            b_ub = np.concatenate([hi[np.isfinite(hi)], -lo[np.isfinite(lo)]])
            res = linprog(
                c, A_ub=a_ub, b_ub=b_ub, bounds=list(zip(lb, ub, strict=True)), method="highs"
            )
        return None if res.status != 0 else float(res.fun)

    out = []
    targets: list[tuple[Hashable, str, dict[int, float]]] = []
    for kind, key in prob.index:
        if kind != "n" or key in known_n:
            continue
        targets.append((key, "n", {prob.index[("n", key)]: 1.0}))
        if key in has_pos and key not in known_pos:
            targets.append((key, "n_positive", {prob.index[("pos", key)]: 1.0}))
            targets.append(
                (key, "n_negative", {prob.index[("n", key)]: 1.0, prob.index[("pos", key)]: -1.0})
            )
    for key, quantity, coefs in targets:
        c = np.zeros(nv)
        for j, v in coefs.items():
            c[j] = v
        low, neg_high = solve(c), solve(-c)
        if low is None or neg_high is None:
            raise ValueError(
                "tables: the published numbers contradict each other (do the groups add up to "
                "the total? try complete=False)"
            )
        high = -neg_high
        pk, level, code, wave = key
        out.append(
            {
                "key": ", ".join(map(str, pk)),
                "level": level,
                "group_code": code,
                "wave": wave,
                "quantity": quantity,
                "low": round(low, 6),
                "high": round(high, 6),
                "recoverable": bool(high - low < min_width - 1e-9) if min_width > 0 else False,
            }
        )
    cols = ["key", "level", "group_code", "wave", "quantity", "low", "high", "recoverable"]
    return pd.DataFrame(out, columns=cols)
