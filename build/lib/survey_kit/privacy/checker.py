"""An adversary for published tables: which hidden numbers can be recovered?

:func:`recoverable` reads what a run publishes and, independently of how it was suppressed, writes
every published number as a linear constraint on unknown integer counts:

* a *cell* is a population: the table's scope (``scopes=``, e.g. ``{"omraade": 3}`` for an area
  report) plus ``{by: group_code}`` and the wave, normalised with the codebook hierarchy (unit 101
  implies its area). The same cell in several reports is one unknown;
* per measure (an item or scale, ``partition``; a count table without ``item``: respondents) a
  cell has a count ``n`` and, for shares (``stat == "share"``), positives ``pos`` with
  ``0 <= pos <= n``; a visible row fixes them (``pos = round(share * n)``); a hidden row says
  ``n >= 1`` (``zeros_hidden=True``: ``n >= 0`` unless the cell's respondent count is published);
* change tables (``compare_waves``) publish both waves' cells (``n_from``, ``n_to``, values; a
  visible ``change`` beside one hidden value gives it away); paired tables count panel pairs;
* additivity: the groups of a breakdown add up to the scope's total; a cell and its siblings add up
  to the cell without its finest condition (units to their area, areas to the total, a group within
  an area to the group). Respondents with no group are normal: ``complete=None`` assumes exact sums
  unless a fully visible breakdown along that column sums to less than its total (then ``<=``);
* an item's n in a cell is at most the cell's respondent count (``count`` tables); every count is
  at most the cell's staff number in ``codebook.population`` (summed up the hierarchy);
* the test statistic side channel (``tests=True``): from a published p and effect size (Cramér's V,
  eta squared, epsilon squared) and the test's name, the number of groups in the test and their
  total n follow (:mod:`survey_kit.privacy._inversion`); when one number of groups fits, the n of
  the hidden groups in the test is bounded (which hidden groups: those with n >= the item's
  minimum, the rule of ``stats.compare``, with binary variables).

For each hidden cell the smallest and largest feasible ``n``, ``pos`` and ``n - pos`` are found with
``scipy.optimize.milp`` (HiGHS; ``integral=False``: the LP relaxation). A cell is recoverable when a
range is narrower than ``min_width`` (default 1: the exact value is determined).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from survey_kit.codebook.model import Codebook
from survey_kit.privacy._attack import Attack
from survey_kit.privacy._scope import Hierarchy, Scope

RESULT_COLUMNS = ["key", "level", "group_code", "wave", "quantity", "low", "high", "recoverable"]


def recoverable(
    tables: Sequence[pd.DataFrame],
    *,
    waves: Sequence[object] | None = None,
    codebook: Codebook | None = None,
    partition: Sequence[str] = ("item",),
    n_column: str = "n",
    complete: bool | None = None,
    integral: bool = True,
    min_width: float = 1,
    scopes: Sequence[Mapping[str, int] | None] | None = None,
    zeros_hidden: bool = False,
    tests: bool = True,
) -> pd.DataFrame:
    """Feasible ranges of every hidden cell of a set of published tables (see module docstring).

    Parameters
    ----------
    tables : sequence of DataFrame
        Published (suppressed) tables: ``compare``/``frequencies`` shape (``group_code`` NA on
        the total row; ``n_valid`` is the count of a frequencies table), ``compare_waves`` shape
        (``n_from``, ``n_to``, ``wave_from(_code)``, ``wave_to(_code)``), or respondent counts
        (``n``, ``by``, ``group_code``, no ``item``).
    waves : sequence, optional
        The wave of each level table (parallel to ``tables``); or put the wave in ``scopes``.
    codebook : Codebook, optional
        Hierarchy, wave column, staff numbers (``population``) and per-item minimum n.
    partition : sequence of str
        Columns that identify what a cell counts (the measure).
    n_column : str
        The count column of level tables.
    complete : bool, optional
        Groups add up exactly to the total (True), at most (False), or decide per column (None).
    integral : bool
        Integer counts (``milp``) or the LP relaxation (``linprog``).
    min_width : float
        A range narrower than this counts as recovered.
    scopes : sequence of mapping, optional
        The population of each table's report (parallel to ``tables``), e.g. ``{"bolge": 2,
        "omraade": 3}``; default: the whole population.
    zeros_hidden : bool
        Whether a hidden row may hide n = 0 (the run guard hides the zeros of a hidden group).
    tests : bool
        Use the test-statistic side channel.

    Returns
    -------
    DataFrame
        ``key, level, group_code, wave, quantity, low, high, recoverable``; one row per hidden cell
        and quantity (``n``; with shares also ``n_positive`` and ``n_negative``). ``key`` is the
        measure (and the other conditions of the cell after " | "), ``level``/``group_code`` the
        cell's finest condition.
    """
    for name, seq in (("waves", waves), ("scopes", scopes)):
        if seq is not None and len(seq) != len(tables):
            raise ValueError(f"{name}: needs one entry per table")
    hierarchy = Hierarchy(codebook)
    attack = Attack(hierarchy, complete=complete, zeros_hidden=zeros_hidden, use_tests=tests)
    for t, table in enumerate(tables):
        base = Scope.of(scopes[t] if scopes is not None else None, hierarchy).conditions
        if waves is not None and waves[t] is not None:
            base = hierarchy.with_(base, hierarchy.wave, waves[t])
        attack.read(table, base, partition=partition, n_column=n_column)
    rows = attack.solve(integral=integral, min_width=min_width)
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)
