"""Realistic flaws planted in demo data, listed so that tests can check that ingest finds them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook

FLAW_COLUMNS = ["kind", "respondent_id", "column", "value", "row"]


def _answer_columns(df: pd.DataFrame, codebook: Codebook) -> list[str]:
    """Columns a respondent fills in (not the id, wave, hierarchy or panel key)."""
    keep = {codebook.respondent_id.column, *codebook.hierarchy}
    if codebook.wave is not None:
        keep.add(codebook.wave.column)
    if codebook.panel_key is not None:
        keep.add(codebook.panel_key.column)
    return [c for c in df.columns if not c.startswith("_") and c not in keep]


def add_flaws(
    df: pd.DataFrame, codebook: Codebook, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plant the flaws real exports have, and list them.

    Flaws (each listed once per affected cell or row):

    * ``impossible_code``: three answers set to a code the item does not have (the highest
      declared code + 1, e.g. 7 on a 1-5 + 6 "Ved ikke" scale);
    * ``duplicate_row``: one respondent's row appears twice (the copy right after it);
    * ``blank_row``: two invited people who never answered (new respondent ids; only the wave,
      hierarchy and panel key are filled, as background variables are);
    * ``partial``: two respondents who stopped halfway (the second half of their answers NA);
    * ``skip_violation``: two answers to an item whose ``ask_if`` condition the respondent does not
      meet (e.g. a ``net_godt`` rating from a leader who answered Nej), when the codebook has such
      items;
    * ``date_outside_period``: one date answer outside the item's ``date_range``, when it has one.

    Parameters
    ----------
    df
        A clean frame from a generator (not modified).
    codebook
        Its codebook.
    rng
        The random generator (``numpy.random.default_rng(seed)``).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The flawed frame, with a boolean ``_complete`` column (False for blank and partial rows),
        and the flaws: ``kind, respondent_id, column, value, row`` where ``row`` is the 0-based
        position in the flawed frame (the second copy for a duplicate) and ``value`` is the planted
        value as text (NA for row-level flaws).
    """
    id_col = codebook.respondent_id.column
    if id_col not in df.columns:
        raise ValueError(f"df has no respondent id column {id_col!r}")
    if len(df) < 10:
        raise ValueError(f"df needs at least 10 rows to plant flaws, got {len(df)}")
    out = df.copy()
    out["_complete"] = True
    answers = _answer_columns(out, codebook)
    flaws: list[dict[str, object]] = []
    ids = out[id_col].to_numpy()
    used: set[int] = set()

    def pick(candidates: np.ndarray, k: int) -> np.ndarray:
        free = np.array([i for i in candidates if i not in used], dtype=np.int64)
        chosen = rng.choice(free, size=min(k, len(free)), replace=False) if len(free) else free
        used.update(int(i) for i in chosen)
        return chosen

    positions = np.arange(len(out))
    # impossible codes on likert items
    likert = [it for it in codebook.items if it.type == "likert" and it.code in out.columns]
    if likert:
        for _ in range(3):
            item = likert[int(rng.integers(len(likert)))]
            col = out[item.code]
            rows = pick(positions[col.notna().to_numpy()], 1)
            bad = max(item.allowed_codes) + 1
            for r in rows:
                out.iloc[r, out.columns.get_loc(item.code)] = bad
                flaws.append(
                    {
                        "kind": "impossible_code",
                        "id": ids[r],
                        "column": item.code,
                        "value": str(bad),
                    }
                )
    # skip-logic violations
    conditional = [
        it for it in codebook.items if it.ask_if is not None and it.type in ("likert", "single")
    ]
    if conditional:
        item = next((it for it in conditional if it.type == "likert"), conditional[0])
        cond = out[item.ask_if.item]
        outside = cond.notna() & ~cond.isin(list(item.ask_if.codes))
        value = (
            sorted(item.values)[len(item.values) // 2 + 1]
            if len(item.values) > 2
            else min(item.values)
        )
        for r in pick(positions[outside.to_numpy()], 2):
            out.iloc[r, out.columns.get_loc(item.code)] = value
            flaws.append(
                {"kind": "skip_violation", "id": ids[r], "column": item.code, "value": str(value)}
            )
    # a date outside the item's range
    dated = [
        it
        for it in codebook.items
        if it.type == "date" and it.date_range and it.code in out.columns
    ]
    for item in dated[:1]:
        late = pd.Timestamp(item.date_range[1]) + pd.Timedelta(days=14, hours=10, minutes=12)
        for r in pick(positions[out[item.code].notna().to_numpy()], 1):
            out.iloc[r, out.columns.get_loc(item.code)] = late
            flaws.append(
                {
                    "kind": "date_outside_period",
                    "id": ids[r],
                    "column": item.code,
                    "value": str(late),
                }
            )
    # partial completes: the second half of the answers blank
    half = answers[len(answers) // 2 :]
    for r in pick(positions, 2):
        for c in half:
            out.iloc[r, out.columns.get_loc(c)] = pd.NA
        out.iloc[r, out.columns.get_loc("_complete")] = False
        flaws.append({"kind": "partial", "id": ids[r], "column": half[0], "value": pd.NA})

    # blank rows (invited, never answered): appended with new ids
    new_ids = int(np.nanmax(out[id_col].astype("float64"))) + 1 + np.arange(2)
    blank = out.iloc[pick(positions, 2)].copy()
    blank[id_col] = new_ids
    for c in answers:
        blank[c] = pd.NA
    blank["_complete"] = False
    for i in new_ids:
        flaws.append({"kind": "blank_row", "id": i, "column": pd.NA, "value": pd.NA})
    # one duplicated respondent, the copy right after the original
    dup = int(pick(positions, 1)[0])
    flaws.append({"kind": "duplicate_row", "id": ids[dup], "column": pd.NA, "value": pd.NA})
    out = pd.concat(
        [out.iloc[: dup + 1], out.iloc[[dup]], out.iloc[dup + 1 :], blank], ignore_index=True
    )
    out = out.astype({c: df[c].dtype for c in df.columns})

    table = pd.DataFrame(flaws)
    id_values = out[id_col].to_numpy()
    rows = []
    for kind, rid in zip(table["kind"], table["id"], strict=True):
        where = np.flatnonzero(id_values == rid)
        rows.append(int(where[-1] if kind == "duplicate_row" else where[0]))
    result = pd.DataFrame(
        {
            "kind": pd.array(table["kind"], dtype="str"),
            "respondent_id": pd.array(table["id"].astype("int64"), dtype="Int64"),
            "column": pd.array(table["column"], dtype="str"),
            "value": pd.array(table["value"], dtype="str"),
            "row": pd.array(rows, dtype="int64"),
        }
    )
    return out, result
