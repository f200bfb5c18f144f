"""Recurring surveys: each round its own export, one dataset per instrument.

A round (wave) is ingested with ``ingest(export, codebook, wave="2012")`` into

```
data/processed/<instrument>/
    codebook.yaml              the codebook the latest wave was ingested with
    dataset.json               the dataset manifest: instrument, the waves in order, per wave its
                               part, source file, SHA-256 and row counts
    2008-09.parquet            one part per wave (valid rows, the wave column set to the wave)
    2008-09.manifest.json      the wave's manifest (as a single ingest's, plus wave, wave_label)
    2008-09.quarantine.csv
    2010.parquet ...
```

Ingesting a wave writes that wave's three files and rewrites ``dataset.json`` only: the other
parts are never read or written, so adding a wave costs what ingesting it alone costs.

How a round's export maps onto the codebook (fields of an item, keyed by wave label or code):

* ``sources: {"2012": {column: s_9, text: "..."}}``: the round's column name (for multiple and
  ranking items the prefix of the option columns) or question text (a label-header export, or the
  variable labels of a SurveyXact/SPSS export);
* ``waves: ["2012"]``: the rounds that asked the item; it is empty (NA) for the others, which is
  never a problem;
* ``recode: {"2008/09": {codes: {102: 101}, comparison: bridged, note: "..."}}``: the round's
  codes -> the codebook's (a unit merged into another, a scale changed); ``comparison: broken``
  keeps the round out of every comparison (trend sections say why).

:func:`diff_exports` lists what changed between two rounds' exports (``survey-kit codebook diff``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from survey_kit.codebook import Codebook
from survey_kit.errors import DataError
from survey_kit.ingest.mapping import Mapped, normalise_text
from survey_kit.ingest.raw import RawExport

DATASET_MANIFEST = "dataset.json"
DATASET_CODEBOOK = "codebook.yaml"
_UNUSED = " (ikke brugt i denne runde)"


def wave_code(codebook: Codebook, wave: str | int) -> int:
    """The code of ``wave`` (label or code); a DataError naming the waves when unknown."""
    if codebook.wave is None:
        raise DataError(f"kodebogen {codebook.instrument!r} har ingen målingsrunder (wave:); --wave kan ikke bruges",
                        en=f"the codebook {codebook.instrument!r} declares no waves (wave:); --wave cannot be used")
    code = codebook.wave_code(wave)
    if code is None:
        known = ", ".join(codebook.wave.labels.values())
        raise DataError(f"målingsrunden {wave!r} findes ikke i kodebogen (runderne er: {known})",
                        en=f"wave {wave!r} is not in the codebook (its waves are: {known})")
    return code


def part_name(codebook: Codebook, code: int) -> str:
    """The file name (no suffix) of a wave's part: its label made file-safe ("2008/09" -> "2008-09")."""
    label = codebook.wave.labels[code]
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
    slug = re.sub(r"[^A-Za-z0-9]+", "-", label.translate(table)).strip("-").lower()
    return slug or f"wave-{code}"


# -- one round's export onto the codebook ------------------------------------------------------
def _renames(raw: RawExport, codebook: Codebook, code: int) -> dict[str, str]:
    """Source column -> the codebook's column name, from the items' ``sources`` for wave ``code``."""
    columns = [str(c) for c in raw.frame.columns]
    by_text: dict[str, str] = {}
    for col in columns:
        by_text.setdefault(normalise_text(col), col)
        if col in raw.variable_labels:
            by_text.setdefault(normalise_text(raw.variable_labels[col]), col)
    out: dict[str, str] = {}
    for item in codebook.items:
        src = codebook.source_for(item.code, code)
        if src is None:
            continue
        if item.type in ("multiple", "ranking"):
            if src.column:
                for opt in item.values:
                    if f"{src.column}_{opt}" in columns:
                        out[f"{src.column}_{opt}"] = f"{item.code}_{opt}"
            continue
        found = src.column if src.column in columns else None
        if found is None and src.text:
            found = by_text.get(normalise_text(src.text))
        if found is not None:
            out[found] = item.code
    return out


def wave_view(raw: RawExport, codebook: Codebook, code: int) -> RawExport:
    """``raw`` with its columns named as the codebook names them in wave ``code``.

    A column that already carries a codebook name but is not the item in this round (the name
    was reused for another question) is renamed out of the way, so it is reported as unknown."""
    renames = _renames(raw, codebook, code)
    if not renames:
        return raw
    taken = set(renames.values())
    mapping = {}
    for col in map(str, raw.frame.columns):
        if col in renames:
            mapping[col] = renames[col]
        elif col in taken:
            mapping[col] = col + _UNUSED
    frame = raw.frame.copy(deep=False)
    frame.columns = [mapping.get(str(c), str(c)) for c in raw.frame.columns]

    def keyed(d: dict) -> dict:
        return {mapping.get(str(k), k): v for k, v in d.items()}

    return dataclasses.replace(raw, frame=frame, variable_labels=keyed(raw.variable_labels),
                               value_labels=keyed(raw.value_labels), missing_codes=keyed(raw.missing_codes),
                               integer_columns=keyed(raw.integer_columns))


def apply_wave(mapped: Mapped, codebook: Codebook, code: int, path: Any) -> Mapped:
    """The mapped rows of wave ``code``: the wave column set, the round's recodes applied, items
    not asked in the round empty (and not reported missing)."""
    frame = mapped.frame.copy(deep=False)
    col = codebook.wave.column
    present = frame[col].dropna()
    if len(present) and not present.eq(code).all():
        other = sorted({int(v) for v in present if int(v) != code})
        labels = ", ".join(codebook.wave.labels.get(v, str(v)) for v in other)
        raise DataError(f"{path}: eksporten har rækker fra en anden måling ({labels}) end den angivne "
                        f"({codebook.wave.labels[code]}); indlæs hver måling fra sin egen eksport",
                        en=f"{path}: the export holds rows of another wave ({labels}) than the one given "
                           f"({codebook.wave.labels[code]}); ingest each wave from its own export")
    frame[col] = pd.array([code] * len(frame), dtype=frame[col].dtype)
    quiet = {col}
    for item in codebook.items:
        if item.code == col:
            continue
        if not codebook.asked_in(item.code, code):
            for c in item.columns:
                frame[c] = pd.array([pd.NA] * len(frame), dtype=frame[c].dtype) if item.type != "date" else pd.NaT
            quiet.update(item.columns)
            continue
        rec = codebook.recode_for(item.code, code)
        if rec is None or not rec.codes:
            continue
        for c in item.columns:
            s = frame[c]
            new = s.astype("Int64").map(lambda v, m=rec.codes: m.get(int(v), int(v)) if pd.notna(v) else pd.NA)
            frame[c] = pd.array(new.astype("Int64"), dtype=s.dtype)
    issues = mapped.issues
    if len(issues):
        issues = issues[~issues["column"].isin(quiet).to_numpy(dtype=bool)].reset_index(drop=True)
    return dataclasses.replace(mapped, frame=frame, issues=issues)


# -- the dataset manifest ----------------------------------------------------------------------
_WAVE_KEYS = ("wave", "wave_label", "source_path", "sha256", "rows_read", "rows_valid", "rows_quarantined",
              "rows_not_answered", "rows_rejected", "rows_partial", "answers_blanked", "created_utc")
_SUMS = ("rows_read", "rows_valid", "rows_quarantined", "rows_not_answered", "rows_rejected", "rows_partial",
         "answers_blanked")


def read_dataset_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / DATASET_MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise DataError(f"{path}: datasættets manifest kan ikke læses ({err})",
                        en=f"{path}: the dataset manifest cannot be read ({err})") from None


def update_dataset(folder: Path, codebook: Codebook, manifest: dict[str, Any]) -> Path:
    """Add (or replace) one wave's entry in ``folder/dataset.json``; returns its path."""
    from survey_kit.ingest.manifest import survey_kit_version, utc_now, write_json_atomic

    folder = Path(folder)
    old = read_dataset_manifest(folder)
    if old and old.get("instrument") != codebook.instrument:
        raise DataError(f"{folder}: mappen rummer data for {old.get('instrument')!r}, ikke {codebook.instrument!r}; "
                        "vælg en anden --out eller --name",
                        en=f"{folder}: the folder holds data of {old.get('instrument')!r}, not {codebook.instrument!r}; "
                           "choose another --out or --name")
    entries = {int(w["wave"]): w for w in old.get("waves", [])}
    entry = {k: manifest.get(k) for k in _WAVE_KEYS}
    entry["part"] = manifest["outputs"]["data"]
    entry["manifest"] = manifest["outputs"]["manifest"]
    entry["quarantine"] = manifest["outputs"]["quarantine"]
    entries[int(manifest["wave"])] = entry
    waves = [entries[k] for k in sorted(entries)]
    payload = {
        "instrument": codebook.instrument,
        "instrument_version": codebook.version,
        "codebook_title": codebook.title,
        "wave_column": codebook.wave.column,
        "waves": waves,
        # the counts of the latest wave (a report is of the latest wave by default); all waves: total
        **{k: int(waves[-1].get(k) or 0) for k in _SUMS},
        "total": {k: int(sum(int(w.get(k) or 0) for w in waves)) for k in _SUMS},
        "source_path": str(waves[-1]["source_path"]),
        "sha256": str(waves[-1]["sha256"]),
        "survey_kit_version": survey_kit_version(),
        "created_utc": utc_now(),
    }
    # the codebook the latest wave was ingested with, beside the data: the dataset describes itself
    from survey_kit.ingest.manifest import atomic_write_bytes

    atomic_write_bytes(folder / DATASET_CODEBOOK, codebook.to_yaml().encode("utf-8"))
    payload["codebook_path"] = DATASET_CODEBOOK
    path = folder / DATASET_MANIFEST
    write_json_atomic(path, payload)
    return path


def read_dataset(folder: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Every wave's part of a dataset, in wave order, as one frame; and the dataset manifest."""
    folder = Path(folder)
    manifest = read_dataset_manifest(folder)
    if not manifest.get("waves"):
        raise DataError(f"{folder}: ingen målinger i datasættet (mangler {DATASET_MANIFEST}); kør survey-kit ingest --wave",
                        en=f"{folder}: no waves in the dataset ({DATASET_MANIFEST} missing); run survey-kit ingest --wave")
    parts = []
    for w in manifest["waves"]:
        path = folder / w["part"]
        try:
            parts.append(pd.read_parquet(path))
        except FileNotFoundError:
            raise DataError(f"{path}: målingen {w['wave_label']} mangler i datasættet; indlæs den igen",
                            en=f"{path}: wave {w['wave_label']} is missing from the dataset; ingest it again") from None
    data = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    if manifest.get("codebook_path"):
        manifest["codebook_path"] = str(folder / manifest["codebook_path"])
    for col in data.columns:  # a column one part lacks: keep the type the others have
        if data[col].dtype == object:
            typed = [p[col].dtype for p in parts if col in p and p[col].dtype != object]
            if typed:
                try:
                    data[col] = data[col].astype(typed[0])
                except (TypeError, ValueError):
                    pass
    return data, manifest


# -- what changed between two rounds -----------------------------------------------------------
def diff_exports(path_a: str | Path, path_b: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """What changed between two rounds' exports: one row per change, columns
    ``change, column, text_a, text_b, detail`` with ``change`` one of ``added`` (only in B),
    ``dropped`` (only in A), ``reworded`` (same column, other question text), ``moved`` (same
    question text under another column name), ``values`` (answer labels differ)."""
    from survey_kit.ingest.readers import read_raw

    a, b = read_raw(path_a, sheet=sheet), read_raw(path_b, sheet=sheet)

    def columns(raw: RawExport) -> dict[str, str]:
        system = set(raw.system_columns)
        return {str(c): str(raw.variable_labels.get(str(c), "")) for c in raw.frame.columns
                if str(c) not in system and not str(c).startswith("_")}

    ca, cb = columns(a), columns(b)
    text_b = {normalise_text(t): c for c, t in cb.items() if t}
    rows: list[dict[str, str]] = []
    moved_a, moved_b = set(), set()
    for col, t in ca.items():
        if col not in cb and t and normalise_text(t) in text_b and text_b[normalise_text(t)] not in ca:
            other = text_b[normalise_text(t)]
            moved_a.add(col)
            moved_b.add(other)
            rows.append({"change": "moved", "column": f"{col} -> {other}", "text_a": t, "text_b": cb[other],
                         "detail": "samme spørgsmålstekst, ny kolonne"})
    for col, t in ca.items():
        if col in moved_a:
            continue
        if col not in cb:
            rows.append({"change": "dropped", "column": col, "text_a": t, "text_b": "", "detail": "kun i A"})
            continue
        if normalise_text(t) != normalise_text(cb[col]):
            rows.append({"change": "reworded", "column": col, "text_a": t, "text_b": cb[col],
                         "detail": "ny spørgsmålstekst"})
        la, lb = a.value_labels.get(col) or {}, b.value_labels.get(col) or {}
        if la and lb and la != lb:
            gone = sorted(set(la.items()) - set(lb.items()))
            new = sorted(set(lb.items()) - set(la.items()))
            detail = "; ".join(x for x in (
                "kun i A: " + ", ".join(f"{k}={v}" for k, v in gone) if gone else "",
                "kun i B: " + ", ".join(f"{k}={v}" for k, v in new) if new else "") if x)
            rows.append({"change": "values", "column": col, "text_a": t, "text_b": cb[col], "detail": detail})
    for col, t in cb.items():
        if col not in ca and col not in moved_b:
            rows.append({"change": "added", "column": col, "text_a": "", "text_b": t, "detail": "kun i B"})
    return pd.DataFrame(rows, columns=["change", "column", "text_a", "text_b", "detail"])
