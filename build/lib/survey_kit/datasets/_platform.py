"""What every export writer needs: response status, timestamps and headers of a frame (private)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook, Item

#: Field periods of the shipped instruments without a ``period`` (per wave), for the timestamps
#: the platforms add; other instruments without a period fall back to January 2020.
FIELD_PERIODS = {
    "temperaturmaaling": {1: ("2008-12-01", "2009-01-16"), 2: ("2010-11-01", "2010-12-10")},
    "netvaerksevaluering": {1: ("2005-01-10", "2005-02-04"), 2: ("2006-01-09", "2006-02-03")},
}
DEFAULT_PERIOD = ("2020-01-06", "2020-01-31")
STATUS_LABELS = {1: "Ny", 2: "Distribueret", 3: "Delvist besvaret", 4: "Gennemført", 5: "Frafaldet"}


def data_columns(df: pd.DataFrame, codebook: Codebook) -> list[str]:
    """The frame's columns that are data (not ``_``-prefixed), respondent id excluded."""
    return [c for c in df.columns if not c.startswith("_") and c != codebook.respondent_id.column]


def answer_columns(df: pd.DataFrame, codebook: Codebook) -> list[str]:
    keep = {*codebook.hierarchy}
    if codebook.wave is not None:
        keep.add(codebook.wave.column)
    if codebook.panel_key is not None:
        keep.add(codebook.panel_key.column)
    return [c for c in data_columns(df, codebook) if c not in keep]


def status(df: pd.DataFrame, codebook: Codebook) -> np.ndarray:
    """SurveyXact status code per row: 2 distributed (no answer), 3 partial, 4 complete."""
    answered = df[answer_columns(df, codebook)].notna().any(axis=1).to_numpy()
    complete = (
        df["_complete"].to_numpy(dtype=bool)
        if "_complete" in df.columns
        else np.ones(len(df), bool)
    )
    return np.where(~answered, 2, np.where(complete, 4, 3))


def periods(df: pd.DataFrame, codebook: Codebook) -> tuple[pd.Series, pd.Series]:
    """Start and end of the field period for each row (by wave where the codebook has waves)."""
    if codebook.period is not None:
        start = pd.Series(pd.Timestamp(codebook.period[0]), index=df.index)
        end = pd.Series(pd.Timestamp(codebook.period[1]), index=df.index)
        return start, end
    table = FIELD_PERIODS.get(codebook.instrument, {})
    wave = (
        df[codebook.wave.column].fillna(1).astype("int64")
        if codebook.wave is not None and codebook.wave.column in df.columns
        else pd.Series(1, index=df.index)
    )
    start = wave.map(lambda w: pd.Timestamp(table.get(w, DEFAULT_PERIOD)[0]))
    end = wave.map(lambda w: pd.Timestamp(table.get(w, DEFAULT_PERIOD)[1]))
    return start, end


def timestamps(df: pd.DataFrame, codebook: Codebook, seed: int = 0) -> pd.DataFrame:
    """SurveyXact's system columns ``closetime, starttime, created, modified, difftime``.

    ``closetime`` is the answer time: the codebook's date item (``besvaret``) where it has one,
    else a time drawn inside the field period. Respondents take 4-30 minutes (``difftime`` in
    seconds); partial completes have a start and no close time; people who never answered have
    only ``created`` and ``modified`` (the day before the field period, when they were invited).
    """
    rng = np.random.default_rng(seed)
    n = len(df)
    st = status(df, codebook)
    start, end = periods(df, codebook)
    span = ((end - start).dt.days + 1).to_numpy()
    day = np.minimum(rng.exponential(5.0, n).astype(np.int64), span - 1)
    secs = rng.integers(8 * 3600, 16 * 3600, n)
    close = start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(secs, unit="s")
    dated = [it.code for it in codebook.items if it.type == "date" and it.code in df.columns]
    if dated:
        given = pd.to_datetime(df[dated[0]])
        close = given.where(given.notna(), close)
    duration = np.clip(rng.lognormal(np.log(540), 0.5, n), 240, 1800).astype(np.int64)
    begin = close - pd.to_timedelta(duration, unit="s")
    created = (start - pd.Timedelta(days=1)).dt.normalize() + pd.Timedelta(hours=9)
    out = pd.DataFrame(
        {
            "closetime": close.dt.floor("s"),
            "starttime": begin.dt.floor("s"),
            "created": created,
            "modified": close.dt.floor("s"),
            "difftime": pd.array(duration, dtype="Int64"),
        },
        index=df.index,
    )
    partial, distributed = st == 3, st == 2
    out.loc[partial, "modified"] = out.loc[partial, "starttime"] + pd.Timedelta(minutes=3)
    out.loc[partial | distributed, ["closetime", "difftime"]] = pd.NA
    out.loc[distributed, "starttime"] = pd.NaT
    out.loc[distributed, "modified"] = out.loc[distributed, "created"]
    return out


def header_text(item: Item | None, column: str) -> str:
    """The question text a platform shows as header (``text - option`` for option columns)."""
    if item is None:
        return column
    if item.type in ("multiple", "ranking"):
        return f"{item.text} - {item.option_label(column)}"
    return item.text


def as_code_frame(df: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The data columns with multiple-choice dummies not shown written as 0 (SurveyXact)."""
    out = df[data_columns(df, codebook)].copy()
    for c in out.columns:
        item = codebook.item_for_column(c)
        if item is not None and item.type == "multiple":
            out[c] = out[c].fillna(0)
    return out
