"""Demo data for the one-year evaluation of eight leader networks (``netvaerksevaluering``)."""

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

#: Sector of each network (1 Skole, 2 Dagtilbud, 3 Ældrepleje); network 8 is cross-sector.
NETWORK_SECTOR = {1: 1, 2: 1, 3: 2, 4: 2, 5: 2, 6: 3, 7: 3, 8: 0}
#: Networks of leaders from the same field and level ("home networks").
HOME_NETWORKS = (1, 2, 3, 4, 5, 6, 7)
#: Latent change from before to after a year, in home networks and in the other network.
CHANGE = {"home": 0.55, "other": 0.10}
ATTRITION = 0.15
NEW_JOINERS = 0.05
#: Share answering Ja to ``sparring_kollega``: before; after in home networks; after in others.
SPARRING_JA = (0.45, 0.80, 0.60)


def _ascii(names: tuple[str, ...]) -> np.ndarray:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
    return np.array([s.translate(table) for s in names], dtype=object)


def _emails(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct invented work e-mail addresses (fornavn.efternavn@kommune.dk)."""
    first, last = _ascii(_phrases.FIRST_NAMES), _ascii(_phrases.LAST_NAMES)
    domains = np.array(_phrases.MUNICIPALITIES, dtype=object)
    n_combos = len(first) * len(last) * len(domains)
    pick = rng.choice(n_combos, size=min(n, n_combos), replace=False)
    if n > n_combos:  # more leaders than name combinations: reuse them with a number
        pick = np.concatenate([pick, rng.integers(0, n_combos, n - n_combos)])
    f = first[pick % len(first)]
    rest = pick // len(first)
    la = last[rest % len(last)]
    d = domains[rest // len(last)]
    suffix = np.where(np.arange(n) < n_combos, "", np.arange(n).astype(str))
    return f + "." + la + suffix.astype(object) + "@" + d


def network_evaluation(n_leaders: int = 96, seed: int = 2005) -> pd.DataFrame:
    """Simulate the before/after panel of eight leader networks.

    Parameters
    ----------
    n_leaders
        Leaders at the start, spread evenly over the 8 networks (about 12 each).
    seed
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    pandas.DataFrame
        One row per leader and measurement (``maaling`` 1 = Før, 2 = Efter et år), columns
        ``codebook.data_columns`` of ``netvaerksevaluering``. ``leder_id`` is the leader's e-mail
        address (personal: ingest replaces it by a keyed hash) and links the two measurements;
        ``respondentid`` is new for every row.

    Notes
    -----
    About 15 % of the leaders did not answer after a year (attrition) and about 5 % extra joined
    during the year and answered only then. Latent model per item: respondent effect N(0, 0.7²),
    wave-2 change :data:`CHANGE` (home networks improve much more), noise N(0, 0.8²), cut at
    -1.5, -0.5, 0.5, 1.5; ``sh_3`` (alone with hard decisions) is reverse-scored. ``sparring_kollega``
    Ja rises from 45 % to 80 % in home networks (60 % in the cross-sector network).

    Examples
    --------
    >>> df = network_evaluation(n_leaders=24, seed=1)
    >>> df.groupby("maaling")["leder_id"].nunique().index.tolist()
    [1, 2]
    """
    n_leaders = check_n(n_leaders, "n_leaders")
    rng = np.random.default_rng(seed)
    cb = instrument("netvaerksevaluering")
    n_new = int(round(NEW_JOINERS * n_leaders))
    n_all = n_leaders + n_new
    emails = _emails(rng, n_all)
    network = np.concatenate([np.arange(n_leaders) % 8 + 1, rng.integers(1, 9, n_new)]).astype(
        np.int64
    )
    sector = np.array([0] + [NETWORK_SECTOR[k] for k in range(1, 9)])[network]
    cross = sector == 0
    sector[cross] = rng.integers(1, 4, int(cross.sum()))
    home = np.isin(network, HOME_NETWORKS)
    person = rng.normal(0.0, 0.7, (n_all, 2))  # stress handling, personal leadership
    base = {"sh": 0.1, "pl": 0.35}

    stayed = rng.random(n_leaders) >= ATTRITION
    waves = {
        1: np.arange(n_leaders),
        2: np.concatenate([np.flatnonzero(stayed), n_leaders + np.arange(n_new)]),
    }
    frames = []
    next_id = 3_050_001
    for wave, who in waves.items():
        n = len(who)
        cols: dict[str, object] = {}
        cols["respondentid"] = int_array(next_id + np.arange(n), None, "Int64")
        next_id += n
        cols["leder_id"] = pd.array(emails[who], dtype="str")
        cols["maaling"] = int_array(np.full(n, wave), None)
        cols["netvaerk"] = int_array(network[who], None)
        cols["sektor"] = int_array(sector[who], None)
        cols["hjemmenetvaerk"] = int_array(np.where(home[who], 1, 2), None)
        change = np.where(home[who], CHANGE["home"], CHANGE["other"]) if wave == 2 else 0.0
        locs = {}
        for j, prefix in enumerate(("sh", "pl")):
            for code in (f"{prefix}_1", f"{prefix}_2", f"{prefix}_3"):
                locs[code] = base[prefix] + change + person[who, j]
        cols.update(likert_columns(rng, cb, locs, sd=0.8, dont_know=0.03, blank=0.01))
        p_ja = (
            np.full(n, SPARRING_JA[0])
            if wave == 1
            else np.where(home[who], SPARRING_JA[1], SPARRING_JA[2])
        )
        vals = np.where(rng.random(n) < p_ja, 1, 2)
        mask = np.zeros(n, dtype=bool)
        vals = sprinkle(rng, vals, mask, blank=0.01)
        cols["sparring_kollega"] = int_array(vals, mask)
        share = 0.05 if wave == 1 else 0.35
        cols["kommentar"] = texts(
            rng, n, share, _phrases.NETWORK_OPENERS, _phrases.NETWORK_FOLLOW_UPS
        )
        frames.append(assemble(cols, cb))
    return pd.concat(frames, ignore_index=True)
