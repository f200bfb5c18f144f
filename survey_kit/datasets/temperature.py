"""Demo data for the temperaturmåling of Den Lærende Organisation (``temperaturmaaling``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from survey_kit.codebook import instrument
from survey_kit.datasets import _phrases
from survey_kit.datasets._common import (
    assemble,
    check_n,
    int_array,
    likert_columns,
    sprinkle,
    texts,
)

#: Latent level of each characteristic (scale) in wave 1 and its change to wave 2. Step 2 worked on
#: characteristics 10, 5, 11 and 9 (intern_udveksling and laering_med_andre most), with IT flat.
SCALE_LEVEL = {
    "miljoe_for_laering": (0.55, 0.20),
    "intern_udveksling": (0.35, 0.45),
    "selvudvikling": (0.45, 0.20),
    "laering_med_andre": (0.05, 0.40),
    "informationsteknologi": (0.30, 0.0),
}
#: Item offsets within a scale (a registration of competences is rarer than talks with the leader).
ITEM_OFFSET = {"su_2": -0.6, "ls_2": -0.3, "it_2": -0.2, "iu_3": -0.2}
#: Share answering Ja to the status items in wave 1 and wave 2 (among Ja/Nej answers).
STATUS_JA = {
    "st_praesenteret": (0.70, 0.90),
    "st_ideer": (0.55, 0.78),
    "st_plan": (0.40, 0.72),
    "st_videndeler": (0.15, 0.68),
    "st_kerneviden": (0.08, 0.45),
}
#: Response rate of a unit (census of all staff) drawn uniformly from this range.
RESPONSE_RATE = (0.70, 0.85)


def _respondents_per_unit(
    rng: np.random.Generator, population: np.ndarray, n_per_wave: int | None
) -> np.ndarray:
    """Respondents per unit: a census (binomial around the unit's response rate) or, when
    ``n_per_wave`` is given, that many spread over the units in proportion to their staff."""
    if n_per_wave is None:
        rate = rng.uniform(*RESPONSE_RATE, size=len(population))
        return rng.binomial(population, rate)
    return rng.multinomial(n_per_wave, population / population.sum())


def temperature_survey(n_per_wave: int | None = None, seed: int = 2010, *, waves: int = 2) -> pd.DataFrame:
    """Simulate the temperaturmåling's waves (default the first two) across its units in 8 areas.

    Parameters
    ----------
    n_per_wave
        ``None`` (default): a census of every unit's staff (``codebook.population``) with a
        response rate of 70-85 % per unit, so small units end up with fewer than 5 respondents.
        An integer: that many respondents per wave, spread over the units in proportion to their
        staff (for scaling tests).
    seed
        Seed of ``numpy.random.default_rng``.
    waves
        How many rounds: 2 (2008/09 and 2010) or 3 (and 2012, the same respondents' draws for the
        first two rounds). :func:`temperature_rounds` gives each round as its own export holds it.

    Returns
    -------
    pandas.DataFrame
        One row per respondent and wave (``bolge`` 1 = 2008/09, 2 = 2010, 3 = 2012), columns
        ``codebook.data_columns`` of ``temperaturmaaling`` in the codebook's codes (Ældrecenter
        Hoven's answers as the merged unit 313; ``st_velkomst`` empty before 2012); ``omraade`` is
        the parent of ``enhed``.

    Notes
    -----
    Ordered-probit model: latent = level of the characteristic (:data:`SCALE_LEVEL`, with its
    wave-2 change) + item offset + area effect N(0, 0.15²) + unit effect N(0, 0.35²) (the same in
    both waves, plus N(0, 0.1²) per wave) + a respondent effect N(0, 0.7²) + noise N(0, 0.8²), cut at -1.5, -0.5, 0.5, 1.5. The
    reverse-scored ``ml_3`` ("for travlt til at prøve nyt") is answered from the negated latent,
    so agreeing with it goes with a poor learning climate. About 5 % "Ved ikke" per item. Status
    items (``st_*``) have more Ja in wave 2 (:data:`STATUS_JA`), driven partly by the unit.

    Examples
    --------
    >>> df = temperature_survey(seed=1)
    >>> sorted(df["bolge"].unique().tolist())
    [1, 2]
    """
    return _simulate(n_per_wave, seed, waves, round_codes=False)


def temperature_rounds(n_per_wave: int | None = None, seed: int = 2010) -> dict[int, pd.DataFrame]:
    """The three rounds of the temperaturmåling, each as its own SurveyXact export holds it: wave
    code -> one frame in that round's codes and columns (``round_codebook(cb, wave).data_columns``:
    no wave column, Ældrecenter Hoven as its own unit 315 before 2012, ``st_velkomst`` only in
    2012). The same draws as :func:`temperature_survey` with ``waves=3``."""
    from survey_kit.datasets.surveyxact import round_codebook

    cb = instrument("temperaturmaaling")
    df = _simulate(n_per_wave, seed, 3, round_codes=True)
    out = {}
    for w in (1, 2, 3):
        rcb = round_codebook(cb, w)
        part = df[df["bolge"].eq(w).to_numpy()].reset_index(drop=True)
        out[w] = part[rcb.data_columns]
    return out


#: Units merged in 2012: old code -> (merged code, staff of the old unit); the merged unit's staff
#: before the merger.
MERGED = {315: (313, 18)}
STAFF_BEFORE_MERGER = {313: 4}
#: Change of each characteristic from 2010 to 2012, and the share Ja in 2012.
SCALE_CHANGE_2012 = {"miljoe_for_laering": 0.10, "intern_udveksling": 0.15, "selvudvikling": 0.10,
                     "laering_med_andre": 0.20, "informationsteknologi": 0.05}
STATUS_JA_2012 = {"st_praesenteret": 0.93, "st_ideer": 0.85, "st_plan": 0.81, "st_videndeler": 0.80,
                  "st_kerneviden": 0.62}
VELKOMST_JA = 0.58


def _simulate(n_per_wave: int | None, seed: int, waves: int, *, round_codes: bool) -> pd.DataFrame:
    if waves not in (2, 3):
        raise ValueError(f"waves: expected 2 or 3, got {waves!r}")
    if n_per_wave is not None:
        n_per_wave = check_n(n_per_wave, "n_per_wave")
    rng = np.random.default_rng(seed)
    cb = instrument("temperaturmaaling")
    enhed_item = cb["enhed"]
    # the units as they were before the 2012 merger (the draws of the first rounds never change)
    units = np.array(sorted([*enhed_item.values, *MERGED]), dtype=np.int64)
    merged_into = {old: new for old, (new, _) in MERGED.items()}
    parents = np.array([enhed_item.parent[merged_into.get(u, u)] for u in units])
    staff = {**cb.population["enhed"], **STAFF_BEFORE_MERGER, **{old: n for old, (_, n) in MERGED.items()}}
    pop = np.array([staff[u] for u in units])
    areas = np.fromiter(cb["omraade"].values.keys(), dtype=np.int64)
    area_eff = dict(zip(areas, rng.normal(0.0, 0.15, len(areas)), strict=True))
    unit_eff = rng.normal(0.0, 0.35, len(units)) + np.array([area_eff[a] for a in parents])
    unit_status = rng.normal(0.0, 0.8, len(units))  # how far the unit is with the DLO steps

    frames = []
    next_id = 5_200_001
    for wave in range(1, waves + 1):
        counts = _respondents_per_unit(rng, pop, n_per_wave)
        u_idx = np.repeat(np.arange(len(units)), counts)
        n = len(u_idx)
        cols: dict[str, object] = {}
        cols["respondentid"] = int_array(next_id + np.arange(n), None, "Int64")
        next_id += n
        cols["bolge"] = int_array(np.full(n, wave), None, "Int8")
        cols["omraade"] = int_array(parents[u_idx], None, "Int8")
        unit = units[u_idx]
        if not (round_codes and wave < 3):  # the codebook's codes: the merged unit
            unit = np.array([merged_into.get(int(u), int(u)) for u in unit], dtype=np.int64)
        cols["enhed"] = int_array(unit, None, "Int16")
        p_leader = np.minimum(1.0, 1.2 / pop[u_idx])
        cols["stilling"] = int_array(np.where(rng.random(n) < p_leader, 1, 2), rng.random(n) < 0.01)

        for code, (p1, p2) in STATUS_JA.items():
            base = (p1, p2, STATUS_JA_2012[code])[wave - 1]
            logit = np.log(base / (1 - base)) + unit_status[u_idx]
            ja = rng.random(n) < 1 / (1 + np.exp(-logit))
            vals = np.where(ja, 1, 2)
            mask = np.zeros(n, dtype=bool)
            vals = sprinkle(rng, vals, mask, dont_know=0.08, dont_know_code=3, blank=0.01)
            cols[code] = int_array(vals, mask)

        person = rng.normal(0.0, 0.7, n)
        wave_unit = unit_eff[u_idx] + rng.normal(0.0, 0.1, len(units))[u_idx]
        locs = {}
        for scale in cb.scales:
            level, change = SCALE_LEVEL[scale.code]
            for code in scale.items:
                step = (0.0, change, change + SCALE_CHANGE_2012[scale.code])[wave - 1]
                loc = level + step + ITEM_OFFSET.get(code, 0.0)
                locs[code] = loc + wave_unit + person
        cols.update(likert_columns(rng, cb, locs, sd=0.8, dont_know=0.05, blank=0.012))
        cols["kommentar"] = texts(
            rng, n, 0.10, _phrases.TEMPERATURE_OPENERS, _phrases.TEMPERATURE_FOLLOW_UPS
        )
        if wave == 3:  # asked from 2012 on, drawn after everything else
            ja = rng.random(n) < VELKOMST_JA + 0.1 * unit_status[u_idx]
            vals = np.where(ja, 1, 2)
            mask = np.zeros(n, dtype=bool)
            vals = sprinkle(rng, vals, mask, dont_know=0.10, dont_know_code=3, blank=0.01)
            cols["st_velkomst"] = int_array(vals, mask)
        else:
            cols["st_velkomst"] = int_array(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
        frames.append(assemble(cols, cb))
    return pd.concat(frames, ignore_index=True)


def write_temperature_rounds(raw_dir: str | Path, *, n_per_wave: int | None = None, seed: int = 2010
                             ) -> dict[str, Path]:
    """Write the temperaturmåling's three rounds as three SurveyXact workbooks, each as that round's
    export names things (:func:`temperature_rounds`), into ``raw_dir/demo/temperaturmaaling/runder/``:
    ``2008-09.xlsx``, ``2010.xlsx``, ``2012.xlsx``. Returns wave label -> path."""
    from survey_kit.datasets._common import MARKER
    from survey_kit.datasets.surveyxact import round_codebook, write_surveyxact_xlsx
    from survey_kit.errors import DataError

    demo = Path(raw_dir) / "demo"
    if demo.exists() and not (demo / MARKER).exists() and any(demo.iterdir()):
        raise DataError(f"{demo}: mappen findes og er ikke skrevet af survey_kit (ingen {MARKER}); flyt den",
                        en=f"{demo}: the folder exists and was not written by survey_kit (no {MARKER} file)")
    folder = demo / "temperaturmaaling" / "runder"
    folder.mkdir(parents=True, exist_ok=True)
    (demo / MARKER).write_text("Written by survey_kit.datasets\n", encoding="utf-8")
    cb = instrument("temperaturmaaling")
    out = {}
    for w, df in temperature_rounds(n_per_wave, seed).items():
        label = cb.wave.labels[w]
        path = folder / f"{label.replace('/', '-')}.xlsx"
        write_surveyxact_xlsx(df, round_codebook(cb, w), path, seed=seed + w)
        out[label] = path
    return out
