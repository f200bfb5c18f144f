"""Demo data for the temperaturmåling of Den Lærende Organisation (``temperaturmaaling``)."""

from __future__ import annotations

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


def temperature_survey(n_per_wave: int | None = None, seed: int = 2010) -> pd.DataFrame:
    """Simulate two waves of the temperaturmåling across the 100 units in 8 areas.

    Parameters
    ----------
    n_per_wave
        ``None`` (default): a census of every unit's staff (``codebook.population``) with a
        response rate of 70-85 % per unit, so small units end up with fewer than 5 respondents.
        An integer: that many respondents per wave, spread over the units in proportion to their
        staff (for scaling tests).
    seed
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    pandas.DataFrame
        One row per respondent and wave (``bolge`` 1 = 2008/09, 2 = 2010), columns
        ``codebook.data_columns`` of ``temperaturmaaling``; ``omraade`` is the parent of ``enhed``.

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
    if n_per_wave is not None:
        n_per_wave = check_n(n_per_wave, "n_per_wave")
    rng = np.random.default_rng(seed)
    cb = instrument("temperaturmaaling")
    enhed_item = cb["enhed"]
    units = np.fromiter(enhed_item.values.keys(), dtype=np.int64)
    parents = np.array([enhed_item.parent[u] for u in units])
    pop = np.array([cb.population["enhed"][u] for u in units])
    areas = np.fromiter(cb["omraade"].values.keys(), dtype=np.int64)
    area_eff = dict(zip(areas, rng.normal(0.0, 0.15, len(areas)), strict=True))
    unit_eff = rng.normal(0.0, 0.35, len(units)) + np.array([area_eff[a] for a in parents])
    unit_status = rng.normal(0.0, 0.8, len(units))  # how far the unit is with the DLO steps

    frames = []
    next_id = 5_200_001
    for wave in (1, 2):
        counts = _respondents_per_unit(rng, pop, n_per_wave)
        u_idx = np.repeat(np.arange(len(units)), counts)
        n = len(u_idx)
        cols: dict[str, object] = {}
        cols["respondentid"] = int_array(next_id + np.arange(n), None, "Int64")
        next_id += n
        cols["bolge"] = int_array(np.full(n, wave), None, "Int8")
        cols["omraade"] = int_array(parents[u_idx], None, "Int8")
        cols["enhed"] = int_array(units[u_idx], None, "Int16")
        p_leader = np.minimum(1.0, 1.2 / pop[u_idx])
        cols["stilling"] = int_array(np.where(rng.random(n) < p_leader, 1, 2), rng.random(n) < 0.01)

        for code, (p1, p2) in STATUS_JA.items():
            base = p1 if wave == 1 else p2
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
                loc = level + (change if wave == 2 else 0.0) + ITEM_OFFSET.get(code, 0.0)
                locs[code] = loc + wave_unit + person
        cols.update(likert_columns(rng, cb, locs, sd=0.8, dont_know=0.05, blank=0.012))
        cols["kommentar"] = texts(
            rng, n, 0.10, _phrases.TEMPERATURE_OPENERS, _phrases.TEMPERATURE_FOLLOW_UPS
        )
        frames.append(assemble(cols, cb))
    return pd.concat(frames, ignore_index=True)
