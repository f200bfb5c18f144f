"""The problems table and its report, from a frame ingest has mapped and checked.

``validate`` is a pure rule set (:mod:`.rules`, :mod:`.schema`) and this presentation of its
issues; it imports nothing from ingest (ingest orchestrates read -> map -> validate -> write and
hands a :class:`Checked` here). :func:`survey_kit.ingest.validate_export` and
:func:`survey_kit.ingest.validate_frame` are the entry points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook
from survey_kit.validate.messages import (
    PROBLEM_COLUMNS,
    RULE_NAMES_DA,
    check_lang,
    format_value,
    message,
)
from survey_kit.validate.rules import ISSUE_COLUMNS
from survey_kit.validate.schema import date_bounds


@dataclass
class Checked:
    """A mapped frame and its issues, as ingest hands them to the report.

    ``source_rows``/``header_row`` number the rows as in the source file; ``not_answered`` and
    ``rejected`` mark rows that are not answers; ``hide_ids`` leaves respondent ids out of the
    messages (personal ids hashed with a throw-away key); ``matched`` maps source columns to
    data columns.
    """

    frame: pd.DataFrame
    issues: pd.DataFrame
    source_rows: np.ndarray
    not_answered: np.ndarray
    rejected: np.ndarray
    header_row: int = 1
    hide_ids: bool = False
    matched: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def n_rows(self) -> int:
        return len(self.frame)


def render_problems(checked: Checked, codebook: Codebook, *, lang: str = "da",
                    with_pos: bool = False) -> pd.DataFrame:
    """Internal issues -> the public problems table (``respondent_id, row, column, value, rule, message``).

    ``with_pos=True`` adds ``_pos``, the row's position in the mapped frame (-1 for a column).
    """
    check_lang(lang)
    issues = checked.issues
    frame = checked.frame
    if not len(issues):
        empty = pd.DataFrame({c: pd.Series(dtype="string") for c in PROBLEM_COLUMNS}).astype({"row": "Int64"})
        return empty.assign(_pos=pd.Series(dtype="int64")) if with_pos else empty
    order = {c: i for i, c in enumerate(frame.columns)}
    issues = issues.assign(
        _col=issues["column"].map(lambda c: order.get(c, -1)),
    ).sort_values(["pos", "_col", "rule"], kind="stable")
    src = np.asarray(checked.source_rows, dtype=np.int64)
    ids = frame[codebook.respondent_id.column]
    hide_ids = checked.hide_ids
    out: dict[str, list] = {c: [] for c in PROBLEM_COLUMNS}
    for pos, column, value, rule, detail in issues[ISSUE_COLUMNS].itertuples(index=False):
        pos = int(pos)
        if pos >= 0:
            row: object = int(src[pos])
            rid = "" if hide_ids else format_value(ids.iat[pos], lang)
        else:
            row = checked.header_row if rule in ("unknown_column", "duplicate_column") else pd.NA
            rid = ""
        detail = dict(detail or {})
        if "first_pos" in detail:
            detail["first"] = int(src[detail.pop("first_pos")])
        if rule == "date_range":
            item = codebook.item_for_column(column)
            bounds = date_bounds(item, codebook) if item is not None else None
            if bounds is not None:
                detail.update(lo=bounds[0].date().isoformat(), hi=bounds[1].date().isoformat())
        row_text = "" if row is pd.NA else row
        out["respondent_id"].append(rid)
        out["row"].append(row)
        out["column"].append(column or "")
        out["value"].append(format_value(value, "en"))
        out["rule"].append(rule)
        out["message"].append(message(rule, row=row_text, respondent=rid, column=column or "",
                                      value=value, detail=detail, codebook=codebook, lang=lang))
    problems = pd.DataFrame(out)
    for c in PROBLEM_COLUMNS:
        problems[c] = problems[c].astype("Int64" if c == "row" else "string")
    if with_pos:
        problems["_pos"] = issues["pos"].to_numpy(dtype=np.int64)
    return problems


@dataclass(frozen=True)
class ValidationReport:
    """Every problem of one export, with a text rendering and a CSV writer."""

    problems: pd.DataFrame
    source: str = ""
    n_rows: int = 0
    n_not_answered: int = 0
    lang: str = "da"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when there is no problem at all."""
        return len(self.problems) == 0

    def counts(self) -> pd.Series:
        """Number of problems per rule, most frequent first."""
        return self.problems["rule"].value_counts()

    def render(self, max_problems: int = 50) -> str:
        """A readable summary: counts per rule, then the problems, capped with "... og N flere"."""
        da = self.lang == "da"
        n = len(self.problems)
        head = (f"{self.source}: {self.n_rows} rækker kontrolleret" if da
                else f"{self.source}: {self.n_rows} rows checked")
        if self.n_not_answered:
            head += (f" ({self.n_not_answered} ikke besvaret, ikke kontrolleret)" if da
                     else f" ({self.n_not_answered} not answered, not checked)")
        if n == 0:
            return head + (": ingen problemer fundet." if da else ": no problems found.")
        lines = [head + (f": {n} problemer fundet." if da else f": {n} problems found.")]
        lines.append("Problemer pr. regel:" if da else "Problems per rule:")
        for rule, count in self.counts().items():
            name = f"{rule} ({RULE_NAMES_DA.get(rule, rule)})" if da else rule
            lines.append(f"  {name}: {count}")
        lines.append("")
        for msg in self.problems["message"].head(max_problems):
            lines.append(f"- {msg}")
        if n > max_problems:
            rest = n - max_problems
            lines.append(f"... og {rest} flere" if da else f"... and {rest} more")
        return "\n".join(lines)

    def write_csv(self, path: str | Path) -> Path:
        """Write the problems as CSV (``respondent_id,row,column,value,rule,message``), formula-safe."""
        from survey_kit._files import write_csv_atomic  # the one safe CSV writer (not a stage)

        return write_csv_atomic(self.problems[PROBLEM_COLUMNS], path)

    def _repr_html_(self) -> str:  # JupyterLab: the problems as a table
        from survey_kit._reprs import validation_html

        return validation_html(self, RULE_NAMES_DA)


def report_from(checked: Checked, codebook: Codebook, *, lang: str, source: str) -> ValidationReport:
    """The :class:`ValidationReport` of a checked frame."""
    problems = render_problems(checked, codebook, lang=lang)
    return ValidationReport(problems, source=source, n_rows=checked.n_rows,
                            n_not_answered=int(checked.not_answered.sum()), lang=lang,
                            notes=tuple(checked.notes))
