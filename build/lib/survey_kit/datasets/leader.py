"""Demo data for KL's survey of institution leaders, September 2008 (``lederudvikling_2008``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from survey_kit.codebook import instrument
from survey_kit.datasets import _phrases
from survey_kit.datasets._common import (
    assemble,
    categorical,
    check_n,
    int_array,
    likert_columns,
    ordinal_by_rank,
    quota,
    random_times,
    sprinkle,
    texts,
)

#: Share of the leaders who rank anything that put Ledernetværk in their top three ("nearly half").
NETWORK_TOP3_SHARE = 0.47
#: Where Ledernetværk stands when it is in the top three (place -> probability): first for
#: about 0.47 * 0.48 = 23 % of the rankers, far ahead of any other offer.
NETWORK_PLACE = {1: 0.48, 2: 0.30, 3: 0.22}
#: Plackett-Luce weights of the other seven offers (option code -> weight), fitted by simulation
#: so that their expected top-3 shares are 41, 36, 38, 34, 40, 31 and 33 % (first places 9-13 %).
RANKING_WEIGHTS = {2: 1.165, 3: 0.991, 4: 1.062, 5: 0.93, 6: 1.131, 7: 0.83, 8: 0.892}

#: Distribution of ``net_godt`` codes 1..5 in the base (Ved ikke and blanks left out): 90 % agree.
GODT_SHARES = (0.01, 0.03, 0.06, 0.45, 0.45)
#: Shift of the latent ``net_godt`` position by kind of network (mean zero over the groups).
GODT_SHIFT_DELTAGELSE = {1: -0.14, 2: 0.09}  # obligatorisk lower than frivillig
GODT_SHIFT_FACILITERING = {1: 0.06, 2: 0.10, 3: -0.17, 9: 0.0}  # facilitated networks rate better


def _lookup(mapping: dict[int, float], codes: np.ndarray) -> np.ndarray:
    table = np.zeros(max(mapping) + 1)
    table[list(mapping)] = list(mapping.values())
    return table[codes]


def leader_survey(n: int = 764, seed: int = 2008) -> pd.DataFrame:
    """Simulate answers to the 2008 leader survey, calibrated to KL's published figures.

    Parameters
    ----------
    n
        Number of respondents (764 answered the real survey).
    seed
        Seed of ``numpy.random.default_rng``; the same ``n`` and ``seed`` give the same frame.

    Returns
    -------
    pandas.DataFrame
        One row per leader, columns ``codebook.data_columns`` of ``lederudvikling_2008``: codes as
        nullable ``Int8``/``Int16`` (declared "Ved ikke" codes kept as codes), NA where the skip
        logic hid an item (``net_*`` for leaders who answered Nej) or the leader left it blank;
        ``net_formaal_*`` dummies are 0/1 when shown and NA when not shown (the export writers
        write 0 there, as SurveyXact does); ``besvaret`` datetimes in September 2008; ``kommentar``
        text for about 15 %.

    Notes
    -----
    The published headline figures are built in exactly, at any ``n``: 90 % answer
    ``net_deltaget`` Ja (1 or 2, drawn as a quota); of those, the ``net_godt`` answers in the base
    ("Ved ikke" and blanks left out) are cut by rank from a latent position so that exactly
    :data:`GODT_SHARES` (90 % agree) hold while mandatory networks sit a few points below
    voluntary ones and facilitated networks above unfacilitated ones; exactly
    :data:`NETWORK_TOP3_SHARE` (47 %) of the rankers put Ledernetværk in their top three, with by
    far the largest first-place share, and the other offers follow a Plackett-Luce model
    (Gumbel-max trick) with :data:`RANKING_WEIGHTS`. The other items come from an ordered-probit
    model with a respondent effect, so items correlate and the ``udbytte`` scale is reliable;
    ``udb_netvaerk`` and ``udb_uddannelse`` share the highest expected mean (about 3.9).

    Examples
    --------
    >>> df = leader_survey(n=100, seed=1)
    >>> bool(df["net_deltaget"].isin([1, 2]).mean() > 0.8)
    True
    """
    n = check_n(n, "n")
    rng = np.random.default_rng(seed)
    cb = instrument("lederudvikling_2008")
    cols: dict[str, object] = {}

    cols["respondentid"] = int_array(4_810_000 + np.arange(1, n + 1), None, "Int64")
    sektor = categorical(rng, n, {1: 0.40, 2: 0.35, 3: 0.20, 4: 0.05})
    cols["sektor"] = int_array(sektor, rng.random(n) < 0.003, "Int8")
    aar = categorical(rng, n, {1: 0.15, 2: 0.30, 3: 0.25, 4: 0.28, 9: 0.02})
    cols["leder_aar"] = int_array(aar, rng.random(n) < 0.005, "Int8")
    median_staff = np.array([0, 38, 16, 45, 20])[sektor]
    staff = np.clip(np.rint(median_staff * rng.lognormal(0.0, 0.5, n)), 1, 400)
    cols["antal_medarb"] = int_array(staff, rng.random(n) < 0.02, "Int16")

    deltaget = quota(rng, n, {1: 0.62, 2: 0.28, 3: 0.10})  # exactly nine in ten
    deltaget_blank = rng.random(n) < 0.004
    cols["net_deltaget"] = int_array(deltaget, deltaget_blank, "Int8")
    shown = np.isin(deltaget, (1, 2)) & ~deltaget_blank  # skip logic: asked only of Ja

    def single(
        probs: dict[int, float], blank: float
    ) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray]:
        vals = categorical(rng, n, probs)
        mask = ~shown | (rng.random(n) < blank)
        return vals, int_array(vals, mask, "Int8")

    # faglige networks are the common kind among school and day-care leaders
    p_faglig = np.where(np.isin(sektor, (1, 2)), 0.70, 0.50)
    net_type = np.where(rng.random(n) < p_faglig, 1, 2)
    cols["net_type"] = int_array(net_type, ~shown | (rng.random(n) < 0.01), "Int8")
    deltagelse, cols["net_deltagelse"] = single({1: 0.40, 2: 0.60}, 0.01)
    facil, cols["net_facilitering"] = single({1: 0.35, 2: 0.30, 3: 0.30, 9: 0.05}, 0.01)
    _, cols["net_forankring"] = single({1: 0.55, 2: 0.30, 9: 0.15}, 0.015)

    p_formaal = np.array([0.70, 0.45, 0.80, 0.60, 0.40, 0.30, 0.15])
    picked = rng.random((n, len(p_formaal))) < p_formaal
    for j, opt in enumerate(cb["net_formaal"].values):
        cols[f"net_formaal_{opt}"] = int_array(picked[:, j], ~shown, "Int8")

    person = rng.normal(0.0, 1.0, n)  # general positivity towards development activities
    shift = _lookup(GODT_SHIFT_DELTAGELSE, deltagelse) + _lookup(GODT_SHIFT_FACILITERING, facil)
    # who says "Ved ikke" (6) or leaves it blank is random; the valid answers are cut from the
    # latent position by rank, so exactly GODT_SHARES of the base answer 1..5 (90 % agree) while
    # the kind of network still moves a leader's position
    godt = np.zeros(n, dtype=np.int16)
    mask = ~shown
    godt = sprinkle(rng, godt, mask, dont_know=0.03, dont_know_code=6, blank=0.01)
    valid = ~mask & (godt != 6)
    latent = shift + 0.45 * person + rng.normal(0.0, 0.75, n)
    godt[valid] = ordinal_by_rank(latent[valid], GODT_SHARES)
    cols["net_godt"] = int_array(godt, mask, "Int8")

    # udbytte: "Har ikke deltaget / ved ikke" (6) for those without the activity
    udb_locs = {
        "udb_netvaerk": 1.0,
        "udb_uddannelse": 1.0,
        "udb_kursus": 0.4,
        "udb_coaching": 0.6,
        "udb_sparring": 0.3,
    }
    tried = {
        "udb_netvaerk": shown,
        "udb_uddannelse": rng.random(n) < 0.60,
        "udb_kursus": rng.random(n) < 0.85,
        "udb_coaching": rng.random(n) < 0.45,
        "udb_sparring": rng.random(n) < 0.80,
    }
    udb = likert_columns(
        rng,
        cb,
        {k: np.full(n, v) + 0.5 * person for k, v in udb_locs.items()},
        sd=np.sqrt(1 - 0.25),
        dont_know=0.02,
        blank=0.01,
    )
    for code, arr in udb.items():
        vals = np.asarray(arr.to_numpy(dtype="int16", na_value=0))
        vals = np.where(tried[code], vals, 6)
        cols[code] = int_array(vals, np.asarray(arr.isna()) & tried[code], "Int8")

    # ranking: exactly NETWORK_TOP3_SHARE of the rankers have Ledernetværk in the top three (at a
    # place drawn from NETWORK_PLACE); the other places follow a Plackett-Luce model of the other
    # offers (Gumbel-max trick), so each ranker ranks exactly k distinct options.
    k = cb["prioritet"].k or 3
    rankers = np.flatnonzero(rng.random(n) >= 0.02)
    net_top = np.zeros(n, dtype=bool)
    net_top[rng.permutation(rankers)[: round(NETWORK_TOP3_SHARE * len(rankers))]] = True
    net_place = categorical(rng, n, NETWORK_PLACE)
    others = np.fromiter(RANKING_WEIGHTS.keys(), dtype=np.int64)
    keys = np.log(np.fromiter(RANKING_WEIGHTS.values(), dtype=float)) + rng.gumbel(
        size=(n, len(others))
    )
    ranks = np.empty((n, len(others)), dtype=np.int64)
    np.put_along_axis(
        ranks, np.argsort(-keys, axis=1), np.arange(1, len(others) + 1)[None, :], axis=1
    )
    ranks = np.where(net_top[:, None] & (ranks >= net_place[:, None]), ranks + 1, ranks)
    ranked = np.zeros(n, dtype=bool)
    ranked[rankers] = True
    cols["prioritet_1"] = int_array(net_place, ~net_top, "Int8")
    for j, opt in enumerate(others):
        cols[f"prioritet_{opt}"] = int_array(ranks[:, j], (ranks[:, j] > k) | ~ranked, "Int8")

    cols["kommentar"] = texts(rng, n, 0.15, _phrases.LEADER_OPENERS, _phrases.LEADER_FOLLOW_UPS)
    start, end = cb["besvaret"].date_range or cb.period
    cols["besvaret"] = random_times(rng, n, str(start), str(end), front_load=6.0)
    return assemble(cols, cb)
