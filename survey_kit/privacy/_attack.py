"""The constraint model behind :func:`survey_kit.privacy.checker.recoverable` (see its docstring)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from survey_kit.privacy._inversion import TESTS, consistent_n
from survey_kit.privacy._scope import Cell, EmptyCell, Hierarchy, as_code

POPULATION = ("count", "respondents")
_BIG = 10**6
_CONTRADICTION = (
    "tables: the published numbers contradict each other (are the scopes of the tables right?)"
)


def _num(table: pd.DataFrame, col: str) -> np.ndarray:
    if col not in table:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


class _Problem:
    def __init__(self) -> None:
        self.index: dict[Hashable, int] = {}
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.lb: dict[int, float] = {}
        self.ub: dict[int, float] = {}
        self.binary: set[int] = set()

    def var(self, name: Hashable) -> int:
        if name not in self.index:
            self.index[name] = len(self.index)
        return self.index[name]

    def add(self, coefs: dict[int, float], lo: float, hi: float) -> None:
        self.rows.append((coefs, lo, hi))

    def bound(self, j: int, lo: float | None = None, hi: float | None = None) -> None:
        if lo is not None:
            self.lb[j] = max(self.lb.get(j, 0.0), lo)
        if hi is not None:
            self.ub[j] = min(self.ub.get(j, float(_BIG)), hi)

    def solver(self, integral: bool, *, relax: bool = False):
        nv = len(self.index)
        r, c, v = [], [], []
        lo = np.empty(len(self.rows))
        hi = np.empty(len(self.rows))
        for i, (coefs, a, b) in enumerate(self.rows):
            for j, x in coefs.items():
                r.append(i)
                c.append(j)
                v.append(x)
            lo[i], hi[i] = a, b
        a_mat = sparse.csr_array((v, (r, c)), shape=(len(self.rows), nv))
        lb = np.array([self.lb.get(j, 0.0) for j in range(nv)])
        ub = np.array([self.ub.get(j, float(_BIG)) for j in range(nv)])
        if (lb > ub).any():
            return None
        if relax:
            integ = np.zeros(nv)
        elif integral:
            integ = np.ones(nv)
        else:
            integ = np.array([1.0 if j in self.binary else 0.0 for j in range(nv)])
        return _highs(a_mat, lo, hi, lb, ub, integ)


def _highs(a_mat, lo, hi, lb, ub, integ):
    """A HiGHS model loaded once; each call changes only the objective (warm-started for LPs)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    nv = len(lb)
    h.addVars(nv, lb, ub)  # finite: an unbounded count reads as "up to _BIG"
    csr = sparse.csr_array(a_mat)
    if csr.shape[0]:
        h.addRows(
            csr.shape[0],
            np.where(np.isfinite(lo), lo, -inf),
            np.where(np.isfinite(hi), hi, inf),
            csr.nnz,
            csr.indptr[:-1].astype(np.int32),
            csr.indices.astype(np.int32),
            csr.data.astype(float),
        )
    cols = np.arange(nv, dtype=np.int32)
    ints = np.flatnonzero(integ).astype(np.int32)
    if len(ints):
        h.changeColsIntegrality(
            len(ints), ints, np.array([highspy.HighsVarType.kInteger] * len(ints))
        )

    def solve(obj: np.ndarray) -> float | None:
        h.changeColsCost(nv, cols, np.asarray(obj, dtype=float))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return float(h.getInfo().objective_function_value)

    return solve


class Attack:
    """Collects what the tables publish, per measure, and bounds every hidden count."""

    def __init__(
        self, hierarchy: Hierarchy, *, complete: bool | None, zeros_hidden: bool, use_tests: bool
    ) -> None:
        self.h = hierarchy
        self.complete = complete
        self.zeros_hidden = zeros_hidden
        self.use_tests = use_tests
        self.n: dict[tuple, dict[Cell, float]] = {}
        self.shares: dict[tuple, set[Cell]] = {}
        self.pos: dict[tuple, dict[Cell, float]] = {}
        self.ratio: list[tuple[tuple, Cell, float]] = []  # pos = share * n with n hidden
        self.hidden: dict[tuple, set[Cell]] = {}
        self.rels: dict[tuple, dict[tuple[Cell, str], set[Cell]]] = {}
        self.tests: list[tuple] = []

    # -- reading -----------------------------------------------------------------------
    def _cell(self, m: tuple, cell: Cell, n: float, share: float, is_share: bool) -> None:
        store = self.n.setdefault(m, {})
        if np.isnan(n):
            store.setdefault(cell, np.nan)
            self.hidden.setdefault(m, set()).add(cell)
        else:
            old = store.get(cell, np.nan)
            if not np.isnan(old) and old != n:
                raise ValueError(_CONTRADICTION)
            store[cell] = n
        if is_share:
            self.shares.setdefault(m, set()).add(cell)
            if not np.isnan(share):
                if not np.isnan(n):
                    self.pos.setdefault(m, {})[cell] = float(np.round(share * n))
                else:
                    self.ratio.append((m, cell, share))

    def read(self, table: pd.DataFrame, base: Cell, *, partition: Sequence[str], n_column: str) -> None:
        h = self.h
        change = "n_from" in table and "n_to" in table
        counts = not all(c in table for c in partition)
        freq = "n_valid" in table and "code" in table
        by = None
        if "by" in table and len(table) and table["by"].notna().any():
            by = str(table["by"].dropna().iloc[0])
        codes = [as_code(c) for c in table["group_code"]] if "group_code" in table else [None] * len(table)
        pks = (
            list(zip(*(table[c].tolist() for c in partition), strict=True))
            if partition and not counts
            else [()] * len(table)
        )
        shares = (table["stat"] == "share").to_numpy() if "stat" in table else np.zeros(len(table), bool)
        hidden = table["suppressed"].fillna(False).to_numpy(dtype=bool) if "suppressed" in table else np.zeros(len(table), bool)
        if change:
            base = h.with_(base, h.wave, None)
            vf, vt, ch = _num(table, "value_from"), _num(table, "value_to"), _num(table, "change")
            vf = np.where(np.isnan(vf) & ~np.isnan(ch), vt - ch, vf)
            vt = np.where(np.isnan(vt) & ~np.isnan(ch), vf + ch, vt)
            wf = table["wave_from_code"] if "wave_from_code" in table else table["wave_from"]
            wt = table["wave_to_code"] if "wave_to_code" in table else table["wave_to"]
            paired = "paired" in table and bool(table["paired"].fillna(False).astype(bool).any())
            nf, nt = _num(table, "n_from"), _num(table, "n_to")
            for i in range(len(table)):
                nf_i, nt_i = (np.nan, np.nan) if hidden[i] else (nf[i], nt[i])
                try:
                    cell = base if codes[i] is None else h.with_(base, by, codes[i])
                except EmptyCell:
                    continue  # a group outside the report's scope: nobody in it
                a, b = as_code(wf.iloc[i]), as_code(wt.iloc[i])
                if paired:
                    m = ("pairs", *pks[i], a, b)
                    self._cell(m, cell, nf_i, np.nan, False)
                    if codes[i] is not None:
                        self.rels.setdefault(m, {}).setdefault((base, by), set()).add(cell)
                    continue
                m = ("item", *pks[i])
                for w, n, v in ((a, nf_i, vf[i]), (b, nt_i, vt[i])):
                    c = h.with_(cell, h.wave, w)
                    self._cell(m, c, n, v, bool(shares[i]))
                    if codes[i] is not None:
                        tot = h.with_(base, h.wave, w)
                        self.rels.setdefault(m, {}).setdefault((tot, by), set()).add(c)
            return
        ncol = "n_valid" if freq else n_column
        n_arr = _num(table, ncol)
        v_arr = _num(table, "value")
        seen: set = set()
        for i in range(len(table)):
            if counts:
                m = ("count", table["item"].iloc[i] if "item" in table else "respondents")
            else:
                m = ("item", *pks[i])
            try:
                cell = base if codes[i] is None else h.with_(base, by, codes[i])
            except EmptyCell:
                continue
            if (m, cell) in seen:
                continue
            seen.add((m, cell))
            n = np.nan if hidden[i] else n_arr[i]
            self._cell(m, cell, n, np.nan if hidden[i] else v_arr[i], bool(shares[i]) and not freq)
            if codes[i] is not None:
                self.rels.setdefault(m, {}).setdefault((base, by), set()).add(cell)
        if self.use_tests and not counts and not freq and {"test", "p_val", "effect"} <= set(table.columns):
            items = [pk for pk in dict.fromkeys(pks)]
            for pk in items:
                rows = [i for i in range(len(table)) if pks[i] == pk]
                tests = [str(table["test"].iloc[i]) for i in rows]
                p = _num(table.iloc[rows], "p_val")
                e = _num(table.iloc[rows], "effect")
                ok = [j for j in range(len(rows)) if tests[j] in TESTS and np.isfinite(p[j]) and np.isfinite(e[j])]
                if not ok:
                    continue
                j = ok[0]
                groups = []
                for i in rows:
                    try:
                        if codes[i] is not None:
                            groups.append(h.with_(base, by, codes[i]))
                    except EmptyCell:
                        pass
                self.tests.append((("item", *pk), groups, base, tests[j], p[j], e[j]))

    # -- solving -----------------------------------------------------------------------
    def _relations(self, m: tuple) -> dict[tuple[Cell, str], set[Cell]]:
        rels = {k: set(v) for k, v in self.rels.get(m, {}).items()}
        cells = self.n.get(m, {})
        for cell in cells:
            for parent, col in self.h.parent_cells(cell, pool_waves=True):
                if parent in cells:
                    rels.setdefault((parent, col), set()).add(cell)
        return rels

    def _residual_columns(self) -> set[str]:
        """Columns along which a fully visible breakdown sums to less than its total."""
        out = set()
        for m, cells in self.n.items():
            for (total, col), parts in self._relations(m).items():
                vals = [cells.get(c, np.nan) for c in [total, *parts]]
                if not np.isnan(vals).any() and sum(vals[1:]) < vals[0]:
                    out.add(col)
        return out

    def _min_n(self, m: tuple) -> int | None:
        cb = self.h.codebook
        if cb is None:
            return None
        item = m[1] if len(m) > 1 and isinstance(m[1], str) else None
        try:
            return cb.min_n_for(item)
        except KeyError:
            return cb.min_n

    def _build(self, m: tuple, exact_cols: set[str] | None, floor: dict[Cell, float]) -> _Problem:
        prob = _Problem()
        h = self.h
        cells = self.n.get(m, {})
        measures = [m] if m == POPULATION or POPULATION not in self.n else [m, POPULATION]
        counts = self.n.get(POPULATION, {})
        for mm in measures:
            for cell, n in self.n[mm].items():
                j = prob.var(("n", mm, cell))
                if not np.isnan(n):
                    prob.add({j: 1.0}, n, n)
                    continue
                known_count = counts.get(cell, np.nan)
                lo = 0.0 if (self.zeros_hidden and mm != POPULATION and not known_count > 0) else 1.0
                prob.bound(j, lo=lo)
                pop = h.population(cell)
                if pop is not None:
                    prob.bound(j, hi=pop)
                if mm == POPULATION and cell in floor:
                    prob.bound(j, lo=floor[cell])
            for (total, col), parts in self._relations(mm).items():
                exact = exact_cols is None or col in exact_cols
                for kind in ("n", "pos"):
                    if kind == "pos" and not {total, *parts} <= self.shares.get(mm, set()):
                        continue
                    coefs = {prob.var((kind, mm, total)): -1.0}
                    for p in parts:
                        coefs[prob.var((kind, mm, p))] = 1.0
                    prob.add(coefs, 0.0 if exact else -np.inf, 0.0)
        if m != POPULATION and POPULATION in self.n:
            for cell in cells:
                if cell in counts:
                    prob.add({prob.var(("n", m, cell)): 1.0, prob.var(("n", POPULATION, cell)): -1.0}, -np.inf, 0.0)
        for cell in self.shares.get(m, set()):
            jp, jn = prob.var(("pos", m, cell)), prob.var(("n", m, cell))
            prob.add({jp: 1.0, jn: -1.0}, -np.inf, 0.0)
            if cell in self.pos.get(m, {}):
                v = self.pos[m][cell]
                prob.add({jp: 1.0}, v, v)
        for mm, cell, share in self.ratio:
            if mm == m:
                prob.add({prob.var(("pos", m, cell)): 1.0, prob.var(("n", m, cell)): -share}, 0.0, 0.0)
        for test in self.tests:
            if test[0] == m:
                self._test_constraints(prob, test, cells)
        return prob

    def _test_constraints(self, prob: _Problem, test: tuple, cells: dict[Cell, float]) -> None:
        m, groups, total, name, p, effect = test
        vis = [c for c in groups if cells.get(c, np.nan) > 0]
        hid = [c for c in groups if np.isnan(cells.get(c, np.nan))]
        if not hid:
            return
        sv = sum(cells[c] for c in vis)
        mn = self._min_n(m)
        ubs = [prob.ub.get(prob.var(("n", m, c)), float(_BIG)) for c in hid]
        n_max = cells.get(total, np.nan)
        if np.isnan(n_max):
            pop = self.h.population(total)
            n_max = pop if pop is not None else sv + min(sum(ubs), 5000)
        fits = []
        for k in range(max(2, len(vis)), len(vis) + len(hid) + 1):
            ht = k - len(vis)
            ns = consistent_n(name, p, effect, k, int(n_max))
            ns = ns[ns >= sv + ht * (mn or 1)]
            if len(ns):
                fits.append((ht, int(ns.min()), int(ns.max())))
        if len(fits) != 1 or fits[0][0] == 0:
            return
        ht, lo, hi = fits[0]
        if ht == len(hid) and mn is None:
            coefs = {prob.var(("n", m, c)): 1.0 for c in hid}
            prob.add(coefs, lo - sv, hi - sv)
            return
        z_sum: dict[int, float] = {}
        m_sum: dict[int, float] = {}
        for c, ub in zip(hid, ubs, strict=True):
            jn, jz, jm = prob.var(("n", m, c)), prob.var(("z", m, c, id(test))), prob.var(("m", m, c, id(test)))
            prob.binary.add(jz)
            prob.bound(jz, hi=1.0)
            prob.add({jm: 1.0, jn: -1.0}, -np.inf, 0.0)  # m <= n
            prob.add({jm: 1.0, jz: -ub}, -np.inf, 0.0)  # m <= ub z
            prob.add({jm: 1.0, jn: -1.0, jz: -ub}, -ub, np.inf)  # m >= n - ub (1 - z)
            if mn is not None:  # tested exactly when n >= min_n (stats.compare's rule)
                prob.add({jn: 1.0, jz: -mn}, 0.0, np.inf)
                prob.add({jn: 1.0, jz: -ub}, -np.inf, mn - 1)
            z_sum[jz] = 1.0
            m_sum[jm] = 1.0
        prob.add(z_sum, ht, ht)
        prob.add(m_sum, lo - sv, hi - sv)

    def solve(self, *, integral: bool, min_width: float) -> list[dict]:
        if self.complete is None:
            residual = self._residual_columns()
            exact = {col for m in self.n for (_, col) in self._relations(m)} - residual
        else:
            exact = None if self.complete else set()
        floor: dict[Cell, float] = {}
        for m, cells in self.n.items():
            if m[0] == "item":
                for c, n in cells.items():
                    if not np.isnan(n):
                        floor[c] = max(floor.get(c, 0.0), n)
        out = []
        for m in sorted(self.hidden, key=repr):
            prob = self._build(m, exact, floor)
            solve = prob.solver(integral)
            if solve(np.zeros(len(prob.index))) is None:
                prob = self._build(m, set(), floor)  # groups need not add up exactly
                solve = prob.solver(integral)
                if solve(np.zeros(len(prob.index))) is None:
                    raise ValueError(_CONTRADICTION)
            lp = prob.solver(integral, relax=True) if integral and not prob.binary else None
            for cell in sorted(self.hidden[m], key=repr):
                if not np.isnan(self.n[m][cell]):
                    continue  # published elsewhere (a change row hidden for the other wave)
                targets = [("n", {prob.index[("n", m, cell)]: 1.0})]
                if cell in self.shares.get(m, set()):
                    jn, jp = prob.index[("n", m, cell)], prob.index[("pos", m, cell)]
                    targets += [("n_positive", {jp: 1.0}), ("n_negative", {jn: 1.0, jp: -1.0})]
                for quantity, coefs in targets:
                    c = np.zeros(len(prob.index))
                    for j, v in coefs.items():
                        c[j] = v
                    low = neg_high = None
                    if lp is not None:  # the integer program only where the LP range is narrow
                        low, neg_high = lp(c), lp(-c)
                        if low is not None and neg_high is not None and -neg_high - low < min_width + 2:
                            low = neg_high = None
                    if low is None or neg_high is None:
                        low, neg_high = solve(c), solve(-c)
                    if low is None or neg_high is None:
                        raise ValueError(_CONTRADICTION)
                    out.append(self._row(m, cell, quantity, low, -neg_high, min_width))
        return out

    def _row(self, m: tuple, cell: Cell, quantity: str, low: float, high: float, min_width: float) -> dict:
        wave = dict(cell).get(self.h.wave)
        rest = [(c, v) for c, v in cell if c != self.h.wave]
        outside = [(c, v) for c, v in rest if c not in self.h.levels]
        finest = outside[-1] if outside else (rest[-1] if rest else (None, None))
        others = [f"{c}={v}" for c, v in rest if (c, v) != finest]
        key = ", ".join(map(str, m[1:])) + (" | " + ", ".join(others) if others else "")
        return {
            "key": key,
            "level": finest[0],
            "group_code": finest[1],
            "wave": wave,
            "quantity": quantity,
            "low": round(low, 6),
            "high": round(high, 6),
            "recoverable": bool(high - low < min_width - 1e-9) if min_width > 0 else False,
        }
