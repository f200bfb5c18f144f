"""Validate an export or a frame against a codebook: the problems table and its report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from survey_kit.codebook import Codebook
from survey_kit.ingest.mapping import (
    ISSUE_COLUMNS,
    Mapped,
    map_export,
    not_answered_mask,
)
from survey_kit.ingest.raw import RawExport
from survey_kit.validate.messages import (
    PROBLEM_COLUMNS,
    RULE_NAMES_DA,
    check_lang,
    format_value,
    message,
)
from survey_kit.validate.schema import build_schema, date_bounds, wide_rules

ELEMENT_RULES = ("invalid_code", "out_of_range", "date_range", "rank_out_of_range")
#: What ingest does with a row that breaks a rule: "quarantine" the row, "blank" the offending
#: answer (set it to NA, keep the row), or "warn" (column-level; the rows are kept).
RULE_ACTIONS: dict[str, str] = {
    "invalid_code": "quarantine",
    "out_of_range": "quarantine",
    "wrong_type": "quarantine",
    "date_range": "quarantine",
    "duplicate_id": "quarantine",
    "missing_id": "quarantine",
    "rank_repeated": "quarantine",
    "rank_too_many": "quarantine",
    "rank_out_of_range": "quarantine",
    "empty_row": "quarantine",
    "extra_fields": "quarantine",
    "short_row": "warn",
    "skip_logic": "blank",
    "unknown_column": "warn",
    "duplicate_column": "warn",
    "missing_column": "warn",
}


@dataclass
class Checked:
    """An export mapped and checked: frame, internal issues, and rows that are not answers."""

    raw: RawExport
    mapped: Mapped
    issues: pd.DataFrame
    not_answered: np.ndarray
    rejected: np.ndarray

    @property
    def frame(self) -> pd.DataFrame:
        return self.mapped.frame


def _issues_frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS}).astype({"pos": "int64"})
    return pd.DataFrame(rows, columns=ISSUE_COLUMNS).astype({"pos": "int64"})


def run_schema(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Validate ``frame`` with the codebook's pandera schema (lazy); issues in internal form."""
    schema = build_schema(codebook)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
    else:
        return _issues_frame([])
    parts: list[pd.DataFrame] = []
    rows: list[dict] = []
    checks = fc["check"].astype(str)
    element = fc[checks.isin(ELEMENT_RULES) & fc["index"].notna()]
    if len(element):
        parts.append(pd.DataFrame({
            "pos": element["index"].astype("int64").to_numpy(), "column": element["column"].to_numpy(),
            "value": element["failure_case"].to_numpy(dtype=object), "rule": element["check"].astype(str).to_numpy(),
            "detail": [{}] * len(element),
        }))
    nulls = fc[(checks == "not_nullable") & (fc["column"] == codebook.respondent_id.column)]
    for idx in nulls["index"].dropna():
        rows.append({"pos": int(idx), "column": codebook.respondent_id.column, "value": None,
                     "rule": "missing_id", "detail": {}})
    for _, case in fc[checks.str.startswith(("dtype(", "column_in_"))].iterrows():
        rule = {"column_in_schema": "unknown_column", "column_in_dataframe": "missing_column"}.get(
            str(case["check"]), "wrong_type")
        col = case["column"] if case["column"] is not None else case["failure_case"]
        rows.append({"pos": -1, "column": str(col), "value": None if rule != "wrong_type" else str(case["failure_case"]),
                     "rule": rule, "detail": {"kind": "code"}})
    failed = set(checks)
    for rule in wide_rules(codebook):
        if rule.name in failed:
            parts.append(_wide_issues(frame, codebook, rule))
    parts.append(_issues_frame(rows))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else _issues_frame([])


def _wide_issues(frame: pd.DataFrame, codebook: Codebook, rule) -> pd.DataFrame:
    bad = rule.violations(frame)
    hit_rows, hit_cols = np.nonzero(bad.to_numpy(dtype=bool))
    positions = frame.index.to_numpy()[hit_rows]
    columns = [bad.columns[j] for j in hit_cols]
    details: list[dict] = [{}] * len(positions)
    values: list[object]
    if rule.rule == "duplicate_id":
        subset = [codebook.respondent_id.column] + ([codebook.wave.column] if codebook.wave else [])
        first = pd.Series(frame.index, index=frame.index).groupby(
            [frame[c] for c in subset], dropna=False, sort=False).transform("first")
        details = [{"first_pos": int(first.loc[p])} for p in positions]
        values = list(frame.loc[positions, codebook.respondent_id.column])
    elif rule.rule == "skip_logic":
        item = codebook.item_for_column(columns[0]) if columns else None
        cond = frame.loc[positions, item.ask_if.item].tolist() if item is not None else []
        details = [{"cond_value": c} for c in cond]
        values = [frame.at[p, c] for p, c in zip(positions, columns, strict=True)]
    elif rule.rule == "rank_too_many":
        item = codebook[columns[0]] if columns else None
        values = list(frame.loc[positions, item.columns].notna().sum(axis=1)) if item is not None else []
    elif rule.rule == "empty_row":
        values = [None] * len(positions)
        columns = [""] * len(positions)
    else:
        values = [frame.at[p, c] for p, c in zip(positions, columns, strict=True)]
    return pd.DataFrame({"pos": positions.astype("int64"), "column": columns,
                         "value": pd.Series(values, dtype=object), "rule": rule.rule, "detail": details})


def check_raw(raw: RawExport, codebook: Codebook, *, key: bytes | str | None = None,
              require_key: bool = True) -> Checked:
    """Map ``raw`` onto ``codebook`` and run every rule; rows that are not answers are skipped."""
    mapped = map_export(raw, codebook, key=key, require_key=require_key)
    frame = mapped.frame
    status = mapped.status.astype(object)
    not_answered = not_answered_mask(status)
    rejected = status.eq("rejected").to_numpy(dtype=bool)
    skip = not_answered | rejected
    issues = mapped.issues
    if len(issues) and skip.any():
        keep = (issues["pos"] < 0) | ~skip[issues["pos"].clip(lower=0).to_numpy()]
        issues = issues[keep.to_numpy(dtype=bool)]
    schema_issues = run_schema(frame.loc[~skip], codebook)
    field_issues = _field_count_issues(raw)
    issues = pd.concat([x for x in (issues, schema_issues, field_issues) if len(x)] or [issues],
                       ignore_index=True)
    empty = set(issues.loc[issues["rule"] == "empty_row", "pos"])
    if empty:  # an empty row is one problem, not also a missing id and a wrong value
        drop = issues["pos"].isin(empty) & ~issues["rule"].isin(["empty_row", "extra_fields"])
        issues = issues[~drop.to_numpy(dtype=bool)]
    return Checked(raw, mapped, issues.reset_index(drop=True), not_answered, rejected)


def _field_count_issues(raw: RawExport) -> pd.DataFrame:
    """Rows of a text export with more fields than the header (``extra_fields``: the extra values
    are kept in ``_extra_fields``) or fewer (``short_row``: padded with blanks); see
    :func:`survey_kit.ingest.textfile._read_ragged`."""
    from survey_kit.ingest.textfile import EXTRA_FIELDS, N_FIELDS, N_HEADER_FIELDS

    frame = raw.frame
    if N_FIELDS not in frame.columns:
        return _issues_frame([])
    n_header = frame.attrs.get(N_HEADER_FIELDS) or sum(
        not str(c).startswith("_") for c in frame.columns)
    counts = frame[N_FIELDS]
    extra = frame[EXTRA_FIELDS] if EXTRA_FIELDS in frame.columns else pd.Series(pd.NA, index=frame.index)
    rows = []
    for pos in np.flatnonzero(counts.notna().to_numpy(dtype=bool)):
        n = int(counts.iat[pos])
        long = n > n_header and pd.notna(extra.iat[pos])
        rows.append({"pos": int(pos), "column": "", "value": extra.iat[pos] if long else None,
                     "rule": "extra_fields" if long else "short_row",
                     "detail": {"n_fields": n, "n_header": int(n_header)}})
    return _issues_frame(rows)


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
    src = np.asarray(checked.raw.source_rows, dtype=np.int64)
    ids = frame[codebook.respondent_id.column]
    hide_ids = checked.mapped.ephemeral_key and codebook.respondent_id.personal
    out: dict[str, list] = {c: [] for c in PROBLEM_COLUMNS}
    for pos, column, value, rule, detail in issues[ISSUE_COLUMNS].itertuples(index=False):
        pos = int(pos)
        if pos >= 0:
            row: object = int(src[pos])
            rid = "" if hide_ids else format_value(ids.iat[pos], lang)
        else:
            row = checked.raw.header_row if rule in ("unknown_column", "duplicate_column") else pd.NA
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
        from survey_kit._files import write_csv_atomic

        return write_csv_atomic(self.problems[PROBLEM_COLUMNS], path)


def _report(checked: Checked, codebook: Codebook, lang: str, source: str) -> ValidationReport:
    problems = render_problems(checked, codebook, lang=lang)
    return ValidationReport(problems, source=source, n_rows=checked.raw.n_rows,
                            n_not_answered=int(checked.not_answered.sum()), lang=lang,
                            notes=tuple(checked.raw.notes))


def validate_frame(frame: pd.DataFrame, codebook: Codebook, *, lang: str = "da",
                   key: bytes | str | None = None) -> ValidationReport:
    """Validate an in-memory DataFrame (raw answers or processed data) against a codebook.

    Rows are numbered as in a file with a header row (first data row = row 2) unless the frame
    has a ``_source_row`` column. The frame is not modified.
    """
    check_lang(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame: expected a pandas DataFrame, got {type(frame).__name__}")
    if "_source_row" in frame.columns:
        rows = pd.to_numeric(frame["_source_row"], errors="coerce").fillna(0).astype("int64").to_numpy()
    else:
        rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    raw = RawExport(frame=frame.reset_index(drop=True), source_rows=rows, path=Path("<DataFrame>"),
                    sha256="", n_bytes=0, format="frame")
    checked = check_raw(raw, codebook, key=key, require_key=False)
    return _report(checked, codebook, lang, "DataFrame")


def validate_export(path: str | Path, codebook: Codebook, *, lang: str = "da",
                    sheet: str | None = None, key: bytes | str | None = None) -> ValidationReport:
    """Read an export and report every problem against ``codebook`` (pandera, ``lazy=True``).

    Personal ids are pseudonymised with ``key`` (or ``$SURVEY_KIT_KEY``); without a key they are
    hashed with a throw-away key and left out of the report, which then names rows only.
    """
    from survey_kit.ingest.core import read_raw

    check_lang(lang)
    raw = read_raw(path, sheet=sheet)
    checked = check_raw(raw, codebook, key=key, require_key=False)
    return _report(checked, codebook, lang, str(path))
