"""Synthetic national-scale survey for the benchmarks: codebook, data and a cp1252 CSV export.

The survey has N respondents x 100 five-point items (``q001``..``q100``; codes 1-5, 6 = "Ved
ikke", some blanks), five grouping variables (``omraade`` 10 levels, ``enhed`` 100 units nested in
the areas, ``bolge`` wave 1/2, ``sektor`` 4 levels, ``rolle`` 2 levels), a respondent id and a
free-text comment with Danish letters (so the windows-1252 encoding of the export matters).
Everything is drawn with ``numpy.random.default_rng(seed)``, vectorised per column.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from survey_kit.codebook import Codebook, parse_codebook

N_ITEMS = 100
N_SCALES = 10
ITEMS = [f"q{i:03d}" for i in range(1, N_ITEMS + 1)]
SCALES = [f"s{j:02d}" for j in range(1, N_SCALES + 1)]
N_AREAS, N_UNITS, N_SECTORS, N_ROLES, N_WAVES = 10, 100, 4, 2, 2
DONT_KNOW = 6
SHARE_DONT_KNOW = 0.04
SHARE_BLANK = 0.03
SHARE_COMMENT = 0.05
GROUPS = ["omraade", "enhed", "bolge", "sektor", "rolle"]

_AGREE = {1: "Helt uenig", 2: "Overvejende uenig", 3: "Hverken enig eller uenig",
          4: "Overvejende enig", 5: "Helt enig"}
_COMMENTS = [
    "Godt samarbejde på tværs af afdelingerne",
    "For lidt tid til faglig sparring – især om fredagen",
    "Ledelsen er synlig og lyttende; vi får løn for indsatsen",
    "Større åbenhed om økonomien ønskes",
    "Arbejdsmiljøet er blevet bedre efter ombygningen på gården",
]


def make_codebook() -> Codebook:
    """The benchmark instrument, built in code with :func:`survey_kit.codebook.parse_codebook`."""
    items: list[dict[str, Any]] = [
        {"code": "omraade", "text": "Hvilket område hører du til?", "label": "Område",
         "type": "single", "group": True,
         "values": {a: f"Område {a}" for a in range(1, N_AREAS + 1)}},
        {"code": "enhed", "text": "Hvilken enhed er du ansat i?", "label": "Enhed",
         "type": "single", "group": True,
         "values": {u: f"Enhed {u:03d}" for u in range(1, N_UNITS + 1)},
         "parent": {u: unit_area(u) for u in range(1, N_UNITS + 1)}},
        {"code": "bolge", "text": "Målingsrunde", "label": "Måling", "type": "single",
         "group": True, "values": {1: "2025", 2: "2026"}},
        {"code": "sektor", "text": "Hvilken sektor arbejder du i?", "label": "Sektor",
         "type": "single", "group": True,
         "values": {1: "Børn og unge", 2: "Sundhed og ældre", 3: "Teknik og miljø",
                    4: "Administration"}},
        {"code": "rolle", "text": "Er du leder eller medarbejder?", "label": "Rolle",
         "type": "single", "group": True, "values": {1: "Leder", 2: "Medarbejder"}},
    ]
    for i, code in enumerate(ITEMS):
        items.append({
            "code": code, "text": f"Udsagn nummer {i + 1} om arbejdspladsen (spørgsmål {code})",
            "label": f"Udsagn {i + 1}", "type": "likert", "values": dict(_AGREE),
            "missing": {DONT_KNOW: "Ved ikke"}, "positive": [4, 5],
            "scale": SCALES[i // (N_ITEMS // N_SCALES)],
        })
    items.append({"code": "kommentar", "text": "Har du andre kommentarer?", "label": "Kommentar",
                  "type": "text"})
    per = N_ITEMS // N_SCALES
    scales = [{"code": s, "label": f"Indeks {j + 1}", "items": ITEMS[j * per:(j + 1) * per],
               "min_items": per // 2} for j, s in enumerate(SCALES)]
    return parse_codebook({
        "instrument": "benchmark_national", "version": "1.0",
        "title": "Syntetisk landsdækkende trivselsmåling (benchmark)",
        "respondent_id": {"column": "respondentid"}, "min_n": 5,
        "wave": {"column": "bolge", "labels": {1: "2025", 2: "2026"}},
        "hierarchy": ["omraade", "enhed"], "items": items, "scales": scales,
    }, source="benchmarks/_data.py")


def unit_area(unit: int) -> int:
    """Area (1..10) of a unit (1..100): ten units per area."""
    return (unit - 1) // (N_UNITS // N_AREAS) + 1


def generate(n: int, seed: int = 20261122) -> dict[str, np.ndarray]:
    """Columns of the synthetic survey as numpy arrays; item codes are int8 with 0 for a blank."""
    rng = np.random.default_rng(seed)
    unit = rng.integers(1, N_UNITS + 1, n, dtype=np.int16)
    area = ((unit - 1) // (N_UNITS // N_AREAS) + 1).astype(np.int8)
    cols: dict[str, np.ndarray] = {
        "respondentid": np.arange(1, n + 1, dtype=np.int64),
        "omraade": area, "enhed": unit,
        "bolge": rng.integers(1, N_WAVES + 1, n, dtype=np.int8),
        "sektor": rng.integers(1, N_SECTORS + 1, n, dtype=np.int8),
        "rolle": np.where(rng.random(n, dtype=np.float32) < 0.12, 1, 2).astype(np.int8),
    }
    # a latent satisfaction per respondent: unit effect + wave effect + person effect
    unit_eff = rng.normal(0, 0.35, N_UNITS + 1).astype(np.float32)
    person = (unit_eff[unit] + 0.1 * (cols["bolge"] - 1) + rng.normal(0, 0.7, n)
              ).astype(np.float32)
    cuts = np.array([-1.6, -0.7, 0.2, 1.2], dtype=np.float32)
    for code in ITEMS:
        latent = person + rng.standard_normal(n, dtype=np.float32)
        codes = (np.searchsorted(cuts, latent) + 1).astype(np.int8)
        u = rng.random(n, dtype=np.float32)
        codes[u < SHARE_DONT_KNOW + SHARE_BLANK] = DONT_KNOW
        codes[u < SHARE_BLANK] = 0
        cols[code] = codes
    comment = rng.integers(0, len(_COMMENTS), n)
    comment[rng.random(n, dtype=np.float32) >= SHARE_COMMENT] = -1
    cols["kommentar"] = comment.astype(np.int8)  # index into _COMMENTS, -1 = blank
    return cols


def to_arrow(cols: dict[str, np.ndarray]) -> pa.Table:
    """The export as an Arrow table: blank item answers and comments are nulls."""
    arrays: dict[str, pa.Array] = {}
    for name, values in cols.items():
        if name == "kommentar":
            texts = pa.array(_COMMENTS + [None], type=pa.string())
            arrays[name] = texts.take(pa.array(np.where(values < 0, len(_COMMENTS), values)))
        elif name in GROUPS or name == "respondentid":
            arrays[name] = pa.array(values)
        else:
            arrays[name] = pa.array(values, mask=values == 0)
    return pa.table(arrays)


def write_export(cols: dict[str, np.ndarray], path: Path) -> float:
    """Write the export as a windows-1252, semicolon separated CSV; returns seconds taken.

    pyarrow's CSV writer (UTF-8, integer codes, blanks empty) and a transcode to cp1252: about
    10x faster than ``DataFrame.to_csv(encoding="cp1252")`` on 1M x 100 (measured, see README).
    """
    t0 = time.perf_counter()
    tmp = path.with_suffix(".utf8.csv")
    opts = pacsv.WriteOptions(delimiter=";", quoting_style="needed", include_header=True)
    pacsv.write_csv(to_arrow(cols), tmp, write_options=opts)
    data = tmp.read_bytes()
    path.write_bytes(data.decode("utf-8").encode("cp1252"))
    tmp.unlink()
    return time.perf_counter() - t0


def processed_frame(cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """The processed data as ingest writes it: nullable ``Int8`` codes (NA blanks), an ``Int64``
    respondent id, the comment as ``string``, ``_source_row`` (header = row 1) and ``_complete``."""
    n = len(cols["respondentid"])
    out: dict[str, Any] = {"respondentid": pd.array(cols["respondentid"], dtype="Int64")}
    for name in GROUPS:
        out[name] = pd.array(cols[name].astype(np.int8), dtype="Int8")
    for code in ITEMS:
        v = cols[code]
        out[code] = pd.arrays.IntegerArray(v, v == 0)
    comments = np.array(_COMMENTS + [None], dtype=object)[
        np.where(cols["kommentar"] < 0, len(_COMMENTS), cols["kommentar"])]
    out["kommentar"] = pd.array(comments, dtype="string")
    out["_source_row"] = pd.array(np.arange(2, n + 2), dtype="Int64")
    out["_complete"] = np.ones(n, dtype=bool)
    return pd.DataFrame(out)


def write_processed(cols: dict[str, np.ndarray], path: Path) -> None:
    """Parquet of :func:`processed_frame` (input of the statistics stages)."""
    pq.write_table(pa.Table.from_pandas(processed_frame(cols), preserve_index=False), path)


def code_matrix(path: Path, columns: list[str]) -> np.ndarray:
    """int8 codes (0 = blank) of ``columns`` from a processed parquet, as a C-contiguous
    (n_columns, n) matrix: one row per column, so one item is one contiguous int8 vector."""
    table = pq.read_table(path, columns=columns)
    out = np.empty((len(columns), table.num_rows), dtype=np.int8)
    for i, name in enumerate(columns):
        out[i] = table.column(name).fill_null(0).to_numpy().astype(np.int8)
    return out
