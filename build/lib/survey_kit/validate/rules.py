"""The rules: a pandera schema from the codebook run over a mapped frame, as issues.

Pure rules over a frame that ingest has mapped onto the codebook (codes as nullable integers,
:mod:`survey_kit.codebook.conventions`); nothing here reads files. Issues are an internal frame
with :data:`ISSUE_COLUMNS` (``pos`` = row position, -1 for a column-level issue).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from survey_kit.codebook import Codebook
from survey_kit.validate.schema import build_schema, wide_rules

ISSUE_COLUMNS = ["pos", "column", "value", "rule", "detail"]
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


def issues_frame(rows: list[dict]) -> pd.DataFrame:
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
        return issues_frame([])
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
    parts.append(issues_frame(rows))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else issues_frame([])


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


