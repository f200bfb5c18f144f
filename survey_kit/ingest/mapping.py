"""Map an export (a :class:`RawExport`) onto a codebook: columns, codes, dates, numbers, ids.

Columns are matched by data column name (``s_11_3``), item code, or question text (normalised
for case, whitespace and punctuation, for label-header exports). Answers may be codes in any
spelling (``4``, ``"4"``, ``"4.0"``, ``4.0``) or label text (``"Helt enig"``, ``"Ved ikke"``);
multiple-choice answers may be 0/1 option columns or one cell ``"a;b;"`` (Microsoft Forms).
Every column is converted on its *distinct* values (``pd.factorize``, :mod:`._convert`), so a
million rows cost little more than the few distinct answers they hold.

Values that cannot be read are set to NA and recorded as issues (rule ``wrong_type``); values
that can be read but break a codebook rule are left in the frame for validation to report.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook, Item
from survey_kit.codebook.conventions import COMPLETE, DATE_DTYPE, SOURCE_ROW, code_dtype
from survey_kit.errors import DataError
from survey_kit.ingest._checkbox import OTHER_LABELS, header_base
from survey_kit.ingest._convert import (
    _UNPARSED,
    _integer_strings,
    _Issues,
    _map_cell,
    _map_codes,
    _map_id,
    _map_option,
    _map_plain,
    fill_unticked,
    integer_values,
    normalise_text,
)
from survey_kit.ingest.raw import RawExport

__all__ = ["COMPLETE", "DATE_DTYPE", "SOURCE_ROW", "Mapped", "code_dtype", "map_export",
           "match_columns", "normalise_text", "not_answered_mask", "resolve_key"]

KEY_ENV = "SURVEY_KIT_KEY"
NOT_ANSWERED_STATUS = ("not_started", "distributed", "new")
ID_ALIASES = ("respondentid", "responde", "id", "respondent_id", "respondent")


@dataclass(frozen=True)
class Target:
    """What a source column becomes: ``kind`` is id, panel, wave, item, option or cell."""

    kind: str
    column: str
    item: Item | None = None


@dataclass
class Mapped:
    """The result of mapping: the frame, its issues (internal form) and what was matched."""

    frame: pd.DataFrame
    issues: pd.DataFrame
    matched: dict[str, str]
    status: pd.Series
    ephemeral_key: bool


def resolve_key(key: bytes | str | None) -> bytes | None:
    """The pseudonymisation key: the argument, else ``$SURVEY_KIT_KEY``, else None."""
    if key is None:
        key = os.environ.get(KEY_ENV) or None
    if key is None:
        return None
    key = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    return key.strip() or None


def _targets(codebook: Codebook) -> tuple[dict[str, Target], dict[str, Target]]:
    """Targets by exact data-column name, and by normalised name/text/label."""
    exact: dict[str, Target] = {}
    fuzzy: dict[str, Target] = {}
    exact[codebook.respondent_id.column] = Target("id", codebook.respondent_id.column)
    if codebook.panel_key is not None:
        exact[codebook.panel_key.column] = Target("panel", codebook.panel_key.column)
    if codebook.wave is not None and codebook.wave.column not in codebook:
        exact[codebook.wave.column] = Target("wave", codebook.wave.column)
    for item in codebook.items:
        if item.type in ("multiple", "ranking"):
            for col, label in zip(item.columns, item.values.values(), strict=True):
                exact[col] = Target("option", col, item)
                # "Question text - Option label" headers (SurveyXact's Complete sheet, Excel re-saves)
                for head in (item.text, item.label):
                    fuzzy.setdefault(normalise_text(f"{head} {label}"), Target("option", col, item))
            cell = Target("cell", item.code, item)  # Forms: all options in one "a;b;" cell
            exact.setdefault(item.code, cell)
            fuzzy.setdefault(normalise_text(item.text), cell)
            fuzzy.setdefault(normalise_text(item.label), cell)
        else:
            target = Target("item", item.code, item)
            exact[item.code] = target
            fuzzy.setdefault(normalise_text(item.text), target)
            fuzzy.setdefault(normalise_text(item.label), target)
    for name, target in exact.items():
        fuzzy.setdefault(normalise_text(name), target)
    return exact, fuzzy


def _option_headers(codebook: Codebook) -> dict[str, list[Target]]:
    """Option columns headed by the option's text alone (Typeform): normalised option label -> the
    option targets of the multiple items that hold it, in codebook order."""
    bare: dict[str, list[Target]] = {}
    for item in codebook.items:
        if item.type == "multiple":
            for col, label in zip(item.columns, item.values.values(), strict=True):
                bare.setdefault(normalise_text(label), []).append(Target("option", col, item))
    return bare


def match_columns(raw: RawExport, codebook: Codebook) -> tuple[dict[str, Target], list[str], list[str]]:
    """Match source columns to targets: ``(matched, unknown, duplicates)``. A column headed by an
    option's text alone ("Mood Disorder", pandas' "Mood Disorder.1" for its repeat) is the next
    free box of that option, in codebook order (Typeform's one column per option)."""
    exact, fuzzy = _targets(codebook)
    bare = _option_headers(codebook)
    names = {str(c) for c in raw.frame.columns}
    matched: dict[str, Target] = {}
    taken: set[str] = set()
    unknown: list[str] = []
    duplicates: list[str] = []
    system = set(raw.system_columns)
    design = {normalise_text(c) for c in codebook.design_roles(raw.frame.columns)}
    for col in map(str, raw.frame.columns):
        target = exact.get(col) or fuzzy.get(normalise_text(col))
        if target is None and normalise_text(col) in design:
            continue  # a column of the design: block (mapped by _design_columns)
        if target is None and col in raw.variable_labels:
            target = fuzzy.get(normalise_text(raw.variable_labels[col]))
        if target is None:
            if col not in system and not col.startswith("_") and col.strip():
                unknown.append(col)
            continue
        if target.column in taken:
            duplicates.append(col)
            continue
        matched[col] = target
        taken.add(target.column)
    for col in list(unknown) if bare else []:  # after every other match, so a box never takes a column's place
        free = [t for t in bare.get(normalise_text(header_base(col, names)), []) if t.column not in taken]
        if free:
            matched[col] = free[0]
            taken.add(free[0].column)
            unknown.remove(col)
    id_col = codebook.respondent_id.column
    if id_col not in taken:  # Forms' "ID", SurveyXact's short "responde"
        for col in map(str, raw.frame.columns):
            if col not in matched and normalise_text(col).replace(" ", "") in ID_ALIASES:
                matched[col] = Target("id", id_col)
                if col in unknown:
                    unknown.remove(col)
                break
    return matched, unknown, duplicates


# -- conversion of distinct values -------------------------------------------------------------
def map_export(raw: RawExport, codebook: Codebook, *, key: bytes | str | None = None,
               require_key: bool = True) -> Mapped:
    """Map ``raw`` onto ``codebook`` (see the module docstring); issues in internal form."""
    personal = [r.column for r in (codebook.respondent_id, codebook.panel_key) if r is not None and r.personal]
    key_bytes = resolve_key(key)
    ephemeral = False
    matched, unknown, duplicates = match_columns(raw, codebook)
    if personal and key_bytes is None:
        present = [t.column for t in matched.values() if t.column in personal]
        if present and require_key:
            raise DataError(
                f"{raw.path}: kolonnen {present[0]!r} indeholder personhenførbare id'er, som skal "
                f"pseudonymiseres, men der er ingen nøgle. Angiv en hemmelig nøgle med --key-file "
                f"FIL eller miljøvariablen {KEY_ENV} (rule: personal_id_needs_key).",
                en=f"{raw.path}: column {present[0]!r} holds personal ids that must be pseudonymised, but "
                   f"there is no key. Give a secret key with --key-file FILE or the environment variable "
                   f"{KEY_ENV} (rule: personal_id_needs_key).",
            )
        key_bytes, ephemeral = secrets.token_bytes(32), True
    n = raw.n_rows
    issues = _Issues()
    src = raw.frame
    by_target = {t.column: (col, t) for col, t in matched.items()}
    if not any(t.kind in ("item", "option", "cell") for t in matched.values()) and len(src.columns):
        raise DataError(
            f"{raw.path}: ingen af filens kolonner passer til kodebogen {codebook.instrument!r} "
            f"(kolonner i filen: {', '.join(map(str, list(src.columns)[:8]))}); "
            f"er det den rigtige kodebog? (rule: no_matching_columns)",
            en=f"{raw.path}: none of the file's columns fits the codebook {codebook.instrument!r} (columns in "
               f"the file: {', '.join(map(str, list(src.columns)[:8]))}); is it the right codebook? "
               f"(rule: no_matching_columns)",
        )
    answer_columns = [c for it in codebook.items for c in it.columns]
    found = {t.column for t in matched.values()}
    found |= {c for t in matched.values() if t.kind == "cell" for c in t.item.columns}
    share_missing = 1 - len(found & set(answer_columns)) / len(answer_columns)
    if len(src.columns) and len(unknown) > len(matched) and share_missing > 0.5:
        raise DataError(
            f"{raw.path}: filen passer ikke til kodebogen {codebook.instrument!r}: "
            f"{len(unknown)} af filens kolonner er ukendte (fx {', '.join(unknown[:5])}) og "
            f"{share_missing:.0%} af kodebogens kolonner mangler; er det den rigtige kodebog? "
            f"(rule: codebook_mismatch)",
            en=f"{raw.path}: the file does not fit the codebook {codebook.instrument!r}: {len(unknown)} of the "
               f"file's columns are unknown (e.g. {', '.join(unknown[:5])}) and {share_missing:.0%} of the "
               f"codebook's columns are missing; is it the right codebook? (rule: codebook_mismatch)",
        )
    id_col = codebook.respondent_id.column
    if n and id_col not in by_target and id_col != SOURCE_ROW:
        raise DataError(
            f"{raw.path}: kolonnen {id_col!r} med respondent-id mangler i filen, så besvarelserne "
            f"kan ikke skelnes (kolonner i filen: {', '.join(map(str, list(src.columns)[:8]))}) "
            f"(rule: missing_id_column)",
            en=f"{raw.path}: the respondent id column {id_col!r} is missing from the file, so the answers "
               f"cannot be told apart (columns in the file: {', '.join(map(str, list(src.columns)[:8]))}) "
               f"(rule: missing_id_column)",
        )
    for col in unknown:
        issues.add([-1], col, [None], "unknown_column")
    for col in duplicates:
        issues.add([-1], col, [None], "duplicate_column")
    columns: dict[str, pd.Series] = {}
    positions = {str(c): i for i, c in reversed(list(enumerate(src.columns)))}
    pos_of = {t.column: positions[c] for c, t in matched.items()}
    cell_items = {t.column: t for t in matched.values() if t.kind == "cell"}
    ints = _parse_integer_columns(
        {c: raw.integer_columns.get(source, src.iloc[:, pos_of[c]])
         for c, (source, t) in by_target.items() if _integer_target(t, personal)})
    for data_col in codebook.data_columns:
        if data_col == SOURCE_ROW and data_col not in by_target:  # no id column: the row is the id
            columns[data_col] = pd.Series(pd.array(np.asarray(raw.source_rows, dtype=np.int64), dtype="Int64"))
            continue
        if data_col in by_target:
            source_col, target = by_target[data_col]
            series = src.iloc[:, pos_of[data_col]].reset_index(drop=True)
            columns[data_col] = _map_target(series, target, codebook, raw, source_col, issues, personal, key_bytes,
                                            ints.get(data_col, _UNPARSED))
            continue
        owner = codebook.item_for_column(data_col)
        if owner is not None and owner.code in cell_items:
            if data_col == owner.columns[0]:
                series = src.iloc[:, pos_of[owner.code]].reset_index(drop=True)
                columns.update(_map_cell(series, owner, issues))
            continue
        issues.add([-1], data_col, [None], "missing_column")
        columns[data_col] = _empty_column(data_col, codebook, n)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n), copy=False)  # columns made here: no copy
    frame = frame[[c for c in codebook.data_columns]]
    boxes = {t.item.code: t.item for t in matched.values() if t.kind == "option" and t.item.type == "multiple"}
    for item in boxes.values():  # ticked or blank: a blank box beside a tick is "not chosen"
        fill_unticked(frame, item.columns)
    status = raw.status.reset_index(drop=True) if raw.status is not None else pd.Series([pd.NA] * n, dtype=object)
    for col, values in _design_columns(raw, codebook, status).items():
        frame[col] = values
    frame[SOURCE_ROW] = pd.array(np.asarray(raw.source_rows, dtype=np.int64), dtype="Int64")
    frame[COMPLETE] = (status.astype(object) != "partial").to_numpy(dtype=bool)
    return Mapped(frame, issues.frame(), {c: t.column for c, t in matched.items()}, status, ephemeral)


# -- the columns of the codebook's design: block ----------------------------------------------------
_DESIGN_NUMBERS = ("weight", "fpc", "repweights")  # roles whose cells must be numbers


def _design_columns(raw: RawExport, codebook: Codebook, status: pd.Series) -> dict[str, pd.Series]:
    """The design columns of ``raw``, converted: weights, fpc and replicate weights as numbers
    (``Float64``), strata and PSU ids as ids (``Int64`` or text). A design column missing from the
    file, or a blank or non-numeric weight on an answered row, is a :class:`DataError` (the
    design could not be used on the processed data)."""
    roles = codebook.design_roles(raw.frame.columns)
    if not roles:
        return {}
    src = raw.frame
    names = {str(c): i for i, c in reversed(list(enumerate(src.columns)))}
    by_norm = {normalise_text(c): i for c, i in reversed(list(names.items()))}
    skip = not_answered_mask(status) | status.astype(object).eq("rejected").to_numpy(dtype=bool)
    out: dict[str, pd.Series] = {}
    for col, role in roles.items():
        pos = names.get(col, by_norm.get(normalise_text(col)))
        if pos is None:
            shown = ", ".join(map(str, list(src.columns)[:8]))
            raise DataError(
                f"{raw.path}: kolonnen {col!r} ({_ROLE_DA[role]} i kodebogens design:-blok) "
                f"mangler i filen, så designet kan ikke bruges (kolonner i filen: {shown}) "
                f"(rule: missing_design_column)",
                en=f"{raw.path}: the column {col!r} ({role} in the codebook's design: block) is "
                   f"missing from the file, so the design cannot be used (columns in the file: "
                   f"{shown}) (rule: missing_design_column)",
            )
        series = src.iloc[:, pos].reset_index(drop=True)
        if role in _DESIGN_NUMBERS:
            scratch = _Issues()
            values = _map_plain(series, "number", col, scratch)
            bad = values.isna().to_numpy(dtype=bool) & ~skip
        else:
            values = _map_id(series, False, None)
            bad = values.isna().to_numpy(dtype=bool) & ~skip
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            row = int(raw.source_rows[i])
            cell = series.iat[i]
            blank = cell is None or (isinstance(cell, float) and np.isnan(cell)) or (
                isinstance(cell, str) and not cell.strip()) or cell is pd.NA
            what_da = "er tom" if blank else f"er {str(cell)!r}, ikke et tal"
            what_en = "is blank" if blank else f"is {str(cell)!r}, not a number"
            if role not in _DESIGN_NUMBERS:
                what_da, what_en = "er tom", "is blank"
            need_da, need_en = ("et tal", "a number") if role in _DESIGN_NUMBERS else (
                "en værdi", "a value")
            n_bad = int(bad.sum())
            more_da = f" (og {n_bad - 1} rækker mere)" if n_bad > 1 else ""
            more_en = f" (and {n_bad - 1} more rows)" if n_bad > 1 else ""
            raise DataError(
                f"{raw.path}, række {row}: kolonnen {col!r} ({_ROLE_DA[role]} i kodebogens "
                f"design:-blok) {what_da}{more_da}; hver besvarelse skal have {need_da}, før "
                f"designet kan bruges (rule: design_value)",
                en=f"{raw.path}, row {row}: the column {col!r} ({role} in the codebook's design: "
                   f"block) {what_en}{more_en}; every answer needs {need_en} before the design "
                   f"can be used (rule: design_value)",
            )
        if role in ("weight", "repweights"):
            neg = (values < 0).fillna(False).to_numpy(dtype=bool) & ~skip
            if neg.any():
                i = int(np.flatnonzero(neg)[0])
                row, cell = int(raw.source_rows[i]), str(series.iat[i])
                raise DataError(
                    f"{raw.path}, række {row}: kolonnen {col!r} ({_ROLE_DA[role]} i kodebogens "
                    f"design:-blok) er {cell!r}; en vægt kan ikke være negativ (rule: design_value)",
                    en=f"{raw.path}, row {row}: the column {col!r} ({role} in the codebook's "
                       f"design: block) is {cell!r}; a weight cannot be negative (rule: "
                       f"design_value)",
                )
        out[col] = values
    return out


_ROLE_DA = {"weight": "vægt", "strata": "strata", "cluster": "klynge (PSU)",
            "fpc": "endelighedskorrektion", "repweights": "replikatvægt"}


def _integer_target(target: Target, personal: list[str]) -> bool:
    """True when the target's cells are codes or (non-personal) ids: worth parsing as integers."""
    if target.kind in ("id", "panel"):
        return target.column not in personal
    if target.kind in ("wave", "option"):
        return True
    return target.kind == "item" and target.item.type in ("likert", "single")


def _parse_integer_columns(columns: dict[str, object]) -> dict[str, object]:
    """``(values, present)`` of each column of integer cells, or None: :func:`_integer_strings` of
    a string column, :func:`integer_values` of cells the reader already cast (``RawExport
    .integer_columns``); in threads (pyarrow releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    def parse(column: object) -> object:
        return _integer_strings(column) if isinstance(column, pd.Series) else integer_values(column)

    if len(columns) < 2:
        return {}
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return dict(zip(columns, pool.map(parse, columns.values()), strict=True))


def _map_target(series, target, codebook, raw, source_col, issues, personal, key_bytes,
                ints=_UNPARSED) -> pd.Series:
    col = target.column
    if target.kind in ("id", "panel"):
        return _map_id(series, col in personal, key_bytes, ints)
    raw_labels = raw.value_labels.get(source_col)
    if target.kind == "wave":
        codes = sorted(codebook.wave.labels)
        words = {normalise_text(v): k for k, v in codebook.wave.labels.items()}
        return _map_codes(series, None, raw_labels, code_dtype(codes), col, issues, words, codes, ints)
    item = target.item
    if target.kind == "option":
        if item.type == "multiple":
            label = item.values[int(col.rsplit("_", 1)[1])]
            return _map_option(series, label, col, issues, normalise_text(label) in OTHER_LABELS, ints)
        return _map_codes(series, None, None, "Int8", col, issues, ints=ints)
    if item.type in ("likert", "single"):
        return _map_codes(series, item, raw_labels, code_dtype(item.allowed_codes), col, issues, ints=ints)
    return _map_plain(series, item.type, col, issues)


def _empty_column(data_col: str, codebook: Codebook, n: int) -> pd.Series:
    item = codebook.item_for_column(data_col)
    if item is None:
        if codebook.wave is not None and data_col == codebook.wave.column:
            return pd.Series(pd.array([pd.NA] * n, dtype=code_dtype(sorted(codebook.wave.labels))))
        return pd.Series(pd.array([pd.NA] * n, dtype="string"))
    dtype = {"number": "Float64", "date": DATE_DTYPE, "text": "string"}.get(item.type)
    if dtype is None:
        dtype = code_dtype(item.allowed_codes) if item.is_categorical else "Int8"
    if dtype == DATE_DTYPE:
        return pd.Series(pd.NaT, index=range(n), dtype=dtype)
    return pd.Series(pd.array([pd.NA] * n, dtype=dtype))


def not_answered_mask(status: pd.Series) -> np.ndarray:
    """Rows whose SurveyXact status says the respondent never answered."""
    if status.isna().all():  # no status column (a plain export)
        return np.zeros(len(status), dtype=bool)
    return status.astype(object).isin(NOT_ANSWERED_STATUS).to_numpy(dtype=bool)
