"""Ingest's safety net for personal data the codebook does not declare (issue 22).

* A column whose values look like e-mail addresses, phone numbers or CPR numbers (at least half of
  its non-empty values, and at least two) is pseudonymised (the keyed hash of
  :func:`survey_kit.privacy.pseudonymise`; without a key each value becomes its mask, e.g.
  ``[e-mail]``), with a warning, even when the codebook does not mark it personal. The manifest
  lists it under ``personal_columns``; reports never draw it.
* CPR numbers written in free text (any spelling :func:`survey_kit.privacy.mask_personal` knows)
  are replaced by ``[CPR]``: they have no analytic use. Names, e-mails and phone numbers in free
  text stay for the analyst and are masked when published.

The respondent id and the panel key are pseudonymised (never blanked), so panels still link.
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from survey_kit.codebook.model import Codebook

#: The least share of a column's non-empty values that must look personal.
SHARE = 0.5
_SAMPLE = 500


def personal_kind(values: pd.Series) -> str | None:
    """"e-mail", "telefon" or "CPR" when at least half of the values (and two) are one, else None;
    the one rule for drafting (``infer``) and ingest's safety net."""
    from survey_kit.privacy.patterns import CPR, CPR_SHAPE, EMAIL_BARE, PHONE, detection_copy

    vals = [detection_copy(str(v).strip()) for v in values.dropna().head(_SAMPLE) if str(v).strip()]
    if len(vals) < 2:
        return None
    tests = {"e-mail": (EMAIL_BARE,), "CPR": (CPR, CPR_SHAPE), "telefon": (PHONE,)}
    for kind, rxs in tests.items():
        hits = sum(any(rx.fullmatch(v) for rx in rxs) for v in vals)
        if hits >= 2 and hits >= SHARE * len(vals):
            return kind
    return None


def _mask_cpr(values: pd.Series) -> pd.Series:
    from survey_kit.privacy.patterns import CPR, CPR_MASK, CPR_SHAPE, detection_copy

    def mask(v: Any) -> Any:
        if not isinstance(v, str):
            return v
        det = detection_copy(v)
        spans = sorted((m.start(), m.end()) for rx in (CPR, CPR_SHAPE) for m in rx.finditer(det))
        if not spans:
            return v
        out, pos = [], 0
        for s, e in spans:
            if s < pos:
                continue
            out += [v[pos:s], CPR_MASK]
            pos = e
        out.append(v[pos:])
        return "".join(out)

    text = values.astype("string")
    digits = text.str.count(r"\d").fillna(0) >= 10  # a CPR number has ten digits
    if not digits.any():
        return values
    out = values.astype(object).copy()
    out[digits.to_numpy(dtype=bool)] = [mask(v) for v in values[digits.to_numpy(dtype=bool)]]
    return out.astype(values.dtype) if isinstance(values.dtype, pd.StringDtype) else out


def protect_personal(data: pd.DataFrame, codebook: Codebook, key: bytes | None
                     ) -> tuple[pd.DataFrame, dict[str, str]]:
    """``data`` with unmarked personal columns pseudonymised and CPR numbers in free text masked;
    returns the frame (the same object when nothing changed) and ``{column: kind}`` of the
    pseudonymised columns."""
    from survey_kit.privacy import pseudonymise

    ids = {r.column: r.personal for r in (codebook.respondent_id, codebook.panel_key) if r is not None}
    design = codebook.design_roles(data.columns)  # strata and PSU ids: equal ids must stay equal
    text_cols = [c for c in data.columns if c not in ids and c not in design
                 and (pd.api.types.is_string_dtype(data[c]) or data[c].dtype == object)]
    changed: dict[str, pd.Series] = {}
    found: dict[str, str] = {}
    for col in [*[c for c, personal in ids.items() if not personal and c in data], *text_cols]:
        s = data[col]
        if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
            continue
        kind = personal_kind(s)
        if kind is not None:
            found[col] = kind
            if key:
                hashed = pseudonymise(s.astype(object).map(lambda v: v if pd.notna(v) else None), key)
            else:
                mask = {"e-mail": "[e-mail]", "CPR": "[CPR]", "telefon": "[telefon]"}[kind]
                hashed = s.map(lambda v, m=mask: m if pd.notna(v) and str(v).strip() else v)
            changed[col] = hashed.astype(s.dtype) if isinstance(s.dtype, pd.StringDtype) else hashed
            continue
        if col in text_cols:
            masked = _mask_cpr(s)
            if masked is not s and not masked.equals(s):
                changed[col] = masked
    for col, kind in found.items():
        warnings.warn(
            f"Kolonnen {col!r} ligner {kind} ({'pseudonymiseret' if key else 'maskeret'}), selv om "
            "kodebogen ikke markerer den som personlig; marker den 'personal' i kodebogen.",
            UserWarning, stacklevel=3,
        )
    if not changed:
        return data, found
    out = data.copy(deep=False)
    for col, s in changed.items():
        out[col] = s
    return out, found
