"""Ingest: read an export, map it onto a codebook, validate, and write the outcome.

Outputs in ``out_dir`` (each written atomically; the raw export is only ever read):

* ``<name>.parquet``: the valid rows, codebook columns plus ``_source_row`` and ``_complete``;
* ``<name>.quarantine.csv``: the rows held back, with their original values, ``_source_row``
  and ``reasons`` (Danish sentences), protected as the parquet is: a personal id pseudonymised,
  personal columns (e-mail, name, CPR, phone) dropped, free text masked, every cell formula-safe
  and every field quoted;
* ``<name>.manifest.json``: provenance and counts. Always ``rows_read == rows_valid +
  rows_quarantined``.

What happens to a row that breaks a rule (``survey_kit.validate.RULE_ACTIONS``):

* quarantine the row: an impossible code, a value outside ``range``, text where a code/number/date
  is expected, a date outside the period, a missing respondent id, a repeated rank, too many ranks,
  a rank outside ``1..k``, a fully empty row, a CSV row with more fields than the header (rule
  ``extra_fields``; the extra values are kept in the quarantine's ``_extra_fields``), and a duplicate respondent id (per wave) — the first
  answer is kept, the later copies are quarantined;
* keep the row and blank the answer: skip logic (an answer to a question the respondent was not
  asked is set to NA in the processed data; the problem is recorded in ``problems`` and counted
  in the manifest);
* warn only: unknown, duplicate or missing columns (a missing column is all NA); a CSV row with
  fewer fields than the header (rule ``short_row``: padded with blanks, as Excel leaves out
  trailing empty fields);
* SurveyXact rows never answered (status new / distributed / not started) go to the quarantine
  with reason "ikke besvaret" and are counted as ``rows_not_answered``; rejected rows likewise with
  "afvist". Partial completes are kept with ``_complete=False``.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from survey_kit.codebook import Codebook
from survey_kit.codebook.conventions import COMPLETE, SOURCE_ROW
from survey_kit.errors import DataError
from survey_kit.ingest._pii_columns import protect_personal
from survey_kit.ingest.check import check_mapped
from survey_kit.ingest.manifest import (
    atomic_write_bytes,
    missing_code_counts,
    parquet_bytes,
    survey_kit_version,
    utc_now,
    write_json_atomic,
)
from survey_kit.ingest.mapping import map_export, resolve_key
from survey_kit.ingest.raw import RawExport
from survey_kit.ingest.readers import read_raw
from survey_kit.validate import RULE_ACTIONS, render_problems
from survey_kit.validate.report import Checked

NOT_ANSWERED_REASON = "ikke besvaret"
REJECTED_REASON = "afvist (status rejected)"


@dataclass(frozen=True)
class IngestResult:
    """The outcome of :func:`ingest`: valid data, quarantine, problems, manifest and paths."""

    data: pd.DataFrame
    quarantine: pd.DataFrame
    problems: pd.DataFrame
    manifest: dict[str, Any]
    paths: dict[str, Path] = field(default_factory=dict)

    def summary(self, lang: str = "da") -> str:
        """One paragraph (Danish, or English with ``lang="en"``): rows read, valid, quarantined (by
        reason), where the files are."""
        if lang == "en":
            return self._summary_en()
        m = self.manifest
        parts = [
            f"Læste {m['rows_read']} rækker fra {Path(m['source_path']).name} ({m['format']}"
            + (f", {m['platform']}" if m.get("platform") else "") + ")."
        ]
        noun = "gyldig besvarelse er" if m["rows_valid"] == 1 else "gyldige besvarelser er"
        parts.append(f"{m['rows_valid']} {noun} gemt i {self.paths['data']}.")
        if m["rows_quarantined"]:
            reasons = ", ".join(f"{n} {r}" for r, n in m["quarantine_reasons"].items())
            noun = "række er" if m["rows_quarantined"] == 1 else "rækker er"
            parts.append(f"{m['rows_quarantined']} {noun} sat i karantæne ({reasons}) i "
                         f"{self.paths['quarantine']}.")
        else:
            parts.append("Ingen rækker er sat i karantæne.")
        if m["rows_not_answered"]:
            parts.append(f"{m['rows_not_answered']} inviterede har ikke besvaret (tæller med i svarprocenten).")
        if m["rows_partial"]:
            noun = "delvist besvaret er" if m["rows_partial"] == 1 else "delvist besvarede er"
            parts.append(f"{m['rows_partial']} {noun} beholdt og markeret (_complete=False).")
        if m["answers_blanked"]:
            parts.append(f"{m['answers_blanked']} svar på spørgsmål, som respondenten ikke skulle have "
                         f"fået (spørgelogik), er sat til tomme.")
        n_short = m["problems_by_rule"].get("short_row", 0)
        if n_short:
            noun = "række havde" if n_short == 1 else "rækker havde"
            parts.append(f"{n_short} {noun} færre felter end overskriften; de manglende felter til sidst "
                         "er læst som tomme.")
        if m["columns_unknown"]:
            parts.append(f"Ukendte kolonner sprunget over: {', '.join(m['columns_unknown'])}.")
        if m["columns_missing"]:
            parts.append(f"Kolonner, der mangler i filen: {', '.join(m['columns_missing'])}.")
        parts.append(f"Manifest: {self.paths['manifest']}.")
        return " ".join(parts)

    def _summary_en(self) -> str:
        m = self.manifest
        parts = [f"Read {m['rows_read']} rows from {Path(m['source_path']).name} ({m['format']}"
                 + (f", {m['platform']}" if m.get("platform") else "") + ").",
                 f"{m['rows_valid']} valid responses saved in {self.paths['data']}."]
        if m["rows_quarantined"]:
            reasons = ", ".join(f"{n} {r}" for r, n in m["quarantine_rules"].items())
            parts.append(f"{m['rows_quarantined']} rows quarantined ({reasons}) in {self.paths['quarantine']}.")
        else:
            parts.append("No rows quarantined.")
        if m["rows_not_answered"]:
            parts.append(f"{m['rows_not_answered']} invitees did not answer (they count in the response rate).")
        if m["rows_partial"]:
            parts.append(f"{m['rows_partial']} partial responses kept and marked (_complete=False).")
        if m["answers_blanked"]:
            parts.append(f"{m['answers_blanked']} answers to questions the respondent should not have been "
                         "asked (skip logic) were blanked.")
        if m["columns_unknown"]:
            parts.append(f"Unknown columns skipped: {', '.join(m['columns_unknown'])}.")
        if m["columns_missing"]:
            parts.append(f"Columns missing from the file: {', '.join(m['columns_missing'])}.")
        parts.append(f"Manifest: {self.paths['manifest']}.")
        return " ".join(parts)

    def _repr_html_(self) -> str:  # JupyterLab
        from survey_kit._reprs import ingest_html

        return ingest_html(self)


def _output_paths(out_dir: Path, name: str) -> dict[str, Path]:
    return {
        "data": out_dir / f"{name}.parquet",
        "quarantine": out_dir / f"{name}.quarantine.csv",
        "manifest": out_dir / f"{name}.manifest.json",
    }


#: Column names that hold personal data (normalised: lower case, no spaces, "-" or "_"). They never
#: reach the processed data (which holds only codebook columns), so the quarantine drops them too.
PERSONAL_COLUMN = re.compile(
    r"^(?:e?mail|emailaddress|emailadresse|recipientemail|navn|name|fuldtnavn|fornavn|efternavn|firstname|"
    r"lastname|recipientfirstname|recipientlastname|cpr|cprnr|cprnummer|personnummer|fodselsnummer|"
    r"fødselsnummer|telefon|telefonnummer|tlf|phone|mobil|mobile|mobilnummer|ipaddress|ipaddr|ipadresse|"
    r"token|adresse|address)$", re.I)


def _is_personal_column(name: object) -> bool:
    return bool(PERSONAL_COLUMN.match(re.sub(r"[\s_\-.]+", "", str(name))))


def _quarantine_frame(raw: RawExport, positions: np.ndarray, reasons: list[str],
                      personal_sources: list[str], key: bytes | None) -> pd.DataFrame:
    """The rows held back with their original values, protected as the parquet is: a personal id
    or panel key pseudonymised (same keyed hash), other personal columns (e-mail, name, CPR, phone,
    IP address; SurveyXact's ``email``) dropped, and every text cell (reasons included) masked by
    :func:`survey_kit.privacy.text.mask_personal`."""
    from survey_kit.privacy import pseudonymise
    from survey_kit.privacy.text import mask_personal

    # no row held back (the usual case): a zero-copy slice, not a take over every column
    q = raw.frame.iloc[:0].copy() if len(positions) == 0 else raw.frame.iloc[positions].copy()
    q.columns = [str(c) for c in q.columns]
    hashed = []
    for col in personal_sources:  # never copy a personal id into data/processed
        if col in q and key is not None:
            q[col] = pseudonymise(q[col].astype(object).map(lambda v: v if pd.notna(v) else None), key)
            hashed.append(col)
    drop = [c for c in q.columns if c not in hashed and _is_personal_column(c)]
    q = q.drop(columns=drop).reset_index(drop=True)

    def masked(s: pd.Series) -> pd.Series:
        if pd.api.types.is_string_dtype(s) or s.dtype == object:
            return s.map(lambda v: mask_personal(v) if isinstance(v, str) else v).astype(object)
        return s

    columns = {col: (q[col] if col in hashed else masked(q[col])) for col in q.columns}
    if raw.extra_fields is not None:  # the values beyond the header, kept for the analyst
        extra = raw.extra_fields.iloc[positions].reset_index(drop=True)
        if extra.notna().any():
            columns["_extra_fields"] = masked(extra)
    columns[SOURCE_ROW] = pd.Series(np.asarray(raw.source_rows, dtype=np.int64)[positions])
    columns["reasons"] = pd.Series([mask_personal(r) for r in reasons], dtype="string")
    return pd.DataFrame(columns, index=pd.RangeIndex(len(positions)))


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    from survey_kit._files import csv_bytes
    from survey_kit.validate.messages import format_value

    return csv_bytes(frame, text=lambda v: format_value(v, "en"))


def ingest(export: str | Path, codebook: Codebook, *, out_dir: str | Path = "data/processed",
           name: str | None = None, key: bytes | str | None = None,
           sheet: str | None = None, wave: str | int | None = None) -> IngestResult:
    """Read ``export``, map and validate it against ``codebook``, write parquet, quarantine, manifest.

    Parameters
    ----------
    export
        The export file (CSV, xlsx, sav, ...). It is only read, never written or moved.
    codebook
        The instrument.
    out_dir, name
        Output folder and base name (default: the export's file name without suffix).
    key
        Secret for pseudonymising personal ids (default ``$SURVEY_KIT_KEY``). Required when the
        codebook marks the respondent id or panel key as personal.
    sheet
        Excel sheet to read.
    wave
        The round this export holds (a label of the codebook's ``wave`` block, "2012", or its
        code). The export then becomes one part of the instrument's dataset
        ``out_dir/<name or instrument>/`` (see :mod:`survey_kit.ingest.waves`): its items are
        found by that round's ``sources``, recoded by its ``recode``, items not asked in the round
        are left empty without a warning, and the dataset manifest lists the waves. Ingesting the
        same wave again replaces that part only.

    Returns
    -------
    IngestResult
        See the module docstring for which rule quarantines a row.
    """
    if not isinstance(codebook, Codebook):
        raise ValueError(f"codebook: expected a Codebook, got {type(codebook).__name__}")
    export = Path(export)
    wave_code = None
    if wave is not None:
        from survey_kit.ingest import waves as W

        wave_code = W.wave_code(codebook, wave)
        name = name or codebook.instrument
    name = name or export.stem
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise ValueError(f"name: {name!r} is not a plain file name")
    if wave_code is None:
        paths = _output_paths(Path(out_dir), name)
    else:
        paths = _output_paths(Path(out_dir) / name, W.part_name(codebook, wave_code))
    if any(p.resolve() == export.resolve() for p in paths.values()):
        raise DataError(f"{export}: uddata ville overskrive selve eksporten; vælg et andet --name",
                        en=f"{export}: output would overwrite the export itself; choose another --name")
    raw = read_raw(export, sheet=sheet)
    if wave_code is not None:
        raw = W.wave_view(raw, codebook, wave_code)
    mapped = map_export(raw, codebook, key=key, require_key=True)
    if wave_code is not None:
        mapped = W.apply_wave(mapped, codebook, wave_code, raw.path)
    with ThreadPoolExecutor(max_workers=1) as pool:  # pyarrow's parquet writer releases the GIL
        # Most exports hold back no row and change no answer: their parquet is encoded from the
        # mapped rows while the rules run, and used only when that turns out to be so.
        early = pool.submit(parquet_bytes, pa.Table.from_pandas(mapped.frame, preserve_index=False))
        checked = check_mapped(raw, mapped, codebook)
        data, quarantine, problems, manifest = _outcome(raw, codebook, checked, key, paths)
        # personal data the codebook does not declare: pseudonymised columns, CPR numbers masked
        data, manifest["personal_columns"] = protect_personal(data, codebook, resolve_key(key))
        if data is not mapped.frame:  # rows held back or answers blanked: encode what is kept
            early.cancel()
            early = pool.submit(parquet_bytes, pa.Table.from_pandas(data, preserve_index=False))
        quarantine_csv = _csv_bytes(quarantine)
        parquet = early.result()

    if wave_code is not None:
        manifest["wave"] = wave_code
        manifest["wave_label"] = codebook.wave.labels[wave_code]
    atomic_write_bytes(paths["data"], parquet)
    atomic_write_bytes(paths["quarantine"], quarantine_csv)
    write_json_atomic(paths["manifest"], manifest)
    if wave_code is not None:
        paths["dataset"] = W.update_dataset(paths["data"].parent, codebook, manifest)
    return IngestResult(data=data, quarantine=quarantine, problems=problems.drop(columns="_pos"),
                        manifest=manifest, paths=paths)


def _outcome(raw: RawExport, codebook: Codebook, checked: Checked, key: bytes | str | None,
             paths: dict[str, Path]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """``(data, quarantine, problems, manifest)`` of a checked export; ``data`` is the mapped
    frame itself when no row is held back and no answer blanked."""
    problems = render_problems(checked, codebook, lang="da", with_pos=True)
    frame = checked.frame
    n = len(frame)
    action = problems["rule"].map(RULE_ACTIONS).fillna("warn")
    row_problems = problems[problems["_pos"] >= 0]
    quar = row_problems[action.loc[row_problems.index] == "quarantine"]
    reasons: dict[int, list[str]] = {}
    for pos, msg in zip(quar["_pos"], quar["message"], strict=True):
        reasons.setdefault(int(pos), []).append(str(msg))
    for pos in np.flatnonzero(checked.not_answered):
        reasons.setdefault(int(pos), []).append(NOT_ANSWERED_REASON)
    for pos in np.flatnonzero(checked.rejected):
        reasons.setdefault(int(pos), []).append(REJECTED_REASON)
    q_pos = np.array(sorted(reasons), dtype=np.int64)
    valid = np.ones(n, dtype=bool)
    valid[q_pos] = False

    blank = problems[(problems["rule"] == "skip_logic") & (problems["_pos"] >= 0)]
    blank = blank[valid[blank["_pos"].to_numpy(dtype=np.int64)]]
    blanked = len(blank)
    data = frame
    if blanked or not valid.all() or data[COMPLETE].dtype != bool:
        data = frame.copy(deep=False)  # copy-on-write: blanking below copies only what it changes
        for column, group in blank.groupby("column", sort=True):
            item = codebook.item_for_column(str(column))
            cols = item.columns if item is not None else [str(column)]
            data.loc[group["_pos"].to_numpy(dtype=np.int64), cols] = pd.NA
        data = (data if valid.all() else data.loc[valid]).reset_index(drop=True)
        data[COMPLETE] = data[COMPLETE].astype(bool)

    personal = [r.column for r in (codebook.respondent_id, codebook.panel_key) if r is not None and r.personal]
    personal_sources = [src for src, tgt in checked.matched.items() if tgt in personal]
    quarantine = _quarantine_frame(raw, q_pos, [" | ".join(reasons[int(p)]) for p in q_pos],
                                   personal_sources, resolve_key(key))
    if len(data) + len(quarantine) != raw.n_rows:
        raise RuntimeError(
            f"ingest invariant broken: rows read {raw.n_rows} != valid {len(data)} + "
            f"quarantined {len(quarantine)}"
        )
    manifest = _manifest(raw, codebook, checked, data, quarantine, problems, blanked, paths)
    return data, quarantine, problems, manifest


def _manifest(raw, codebook, checked, data, quarantine, problems, blanked, paths) -> dict[str, Any]:
    from survey_kit.validate.messages import RULE_NAMES_DA

    rule_counts = problems["rule"].value_counts().to_dict()
    quarantining = [r for r, a in RULE_ACTIONS.items() if a == "quarantine"]
    rows = problems[(problems["_pos"] >= 0).to_numpy(dtype=bool) & problems["rule"].isin(quarantining).to_numpy(dtype=bool)]
    per_rule = rows.groupby("rule")["_pos"].nunique().to_dict()
    n_na = int(checked.not_answered.sum())
    n_rej = int(checked.rejected.sum())
    ordered = sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    q_reasons = {RULE_NAMES_DA.get(r, r): int(c) for r, c in ordered}
    q_rules = {str(r): int(c) for r, c in ordered}
    if n_na:
        q_reasons[NOT_ANSWERED_REASON] = n_na
        q_rules["not_answered"] = n_na
    if n_rej:
        q_reasons["afvist"] = n_rej
        q_rules["rejected"] = n_rej
    columns_unknown = problems.loc[problems["rule"] == "unknown_column", "column"].tolist()
    columns_missing = problems.loc[problems["rule"] == "missing_column", "column"].tolist()
    return {
        "instrument": codebook.instrument,
        "instrument_version": codebook.version,
        "codebook_title": codebook.title,
        "source_path": str(Path(raw.path).resolve()),
        "sha256": raw.sha256,
        "bytes": raw.n_bytes,
        "format": raw.format,
        "platform": raw.platform,
        "encoding": raw.encoding,
        "delimiter": raw.delimiter,
        "sheet": raw.sheet,
        "header_row": raw.header_row,
        "reader_notes": list(raw.notes),
        "rows_read": raw.n_rows,
        "rows_valid": len(data),
        "rows_quarantined": len(quarantine),
        "rows_not_answered": n_na,
        "rows_rejected": n_rej,
        "rows_partial": int((~data[COMPLETE]).sum()),
        "answers_blanked": blanked,
        "quarantine_reasons": q_reasons,
        "quarantine_rules": q_rules,
        "problems_by_rule": {str(k): int(v) for k, v in sorted(rule_counts.items())},
        "columns_matched": dict(checked.matched),
        "columns_unknown": columns_unknown,
        "columns_missing": columns_missing,
        "missing_codes": missing_code_counts(data, codebook),
        "outputs": {k: p.name for k, p in paths.items()},
        "survey_kit_version": survey_kit_version(),
        "created_utc": utc_now(),
    }
