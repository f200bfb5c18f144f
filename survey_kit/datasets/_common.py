"""Shared building blocks of the demo-data generators (private).

Everything here is vectorised: one numpy call per column, never a loop over respondents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook

#: The file that marks a folder as written by survey_kit's demo (it may then be rewritten).
MARKER = ".survey_kit_demo"

#: cut points of the latent scale for a five-point item (code 1 below -1.5 ... code 5 above 1.5)
THRESHOLDS_5 = np.array([-1.5, -0.5, 0.5, 1.5])


def check_n(value: object, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise ``ValueError`` naming the argument."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def ordinal(rng: np.random.Generator, loc: np.ndarray, *, sd: float = 1.0) -> np.ndarray:
    """Five-point codes 1..5 from an ordered-probit model: ``loc + N(0, sd)`` cut at THRESHOLDS_5."""
    latent = loc + rng.normal(0.0, sd, size=len(loc))
    return (np.searchsorted(THRESHOLDS_5, latent) + 1).astype(np.int16)


def ordinal_by_rank(latent: np.ndarray, shares: Sequence[float]) -> np.ndarray:
    """Codes 1..len(shares) by cutting the ranks of ``latent`` at the cumulative ``shares``.

    The lowest ``shares[0]`` of the respondents get code 1, and so on: the marginal
    distribution is exact at any ``n`` while the order (and so every association built into the
    latent position) is kept.
    """
    n = len(latent)
    ranks = np.empty(n, dtype=np.int64)
    ranks[np.argsort(latent, kind="stable")] = np.arange(n)
    cuts = np.rint(np.cumsum(shares)[:-1] / np.sum(shares) * n)
    return (np.searchsorted(cuts, ranks, side="right") + 1).astype(np.int16)


def categorical(rng: np.random.Generator, n: int, probs: Mapping[int, float]) -> np.ndarray:
    """``n`` codes drawn with the given probabilities (normalised)."""
    codes = np.fromiter(probs.keys(), dtype=np.int16)
    p = np.fromiter(probs.values(), dtype=float)
    return rng.choice(codes, size=n, p=p / p.sum())


def quota(rng: np.random.Generator, n: int, probs: Mapping[int, float]) -> np.ndarray:
    """``n`` codes in exactly the given proportions (largest remainder), in random order.

    Used for the few headline variables whose published share the demo must hit at any ``n``.
    """
    codes = np.fromiter(probs.keys(), dtype=np.int16)
    p = np.fromiter(probs.values(), dtype=float)
    exact = n * p / p.sum()
    counts = np.floor(exact).astype(np.int64)
    short = n - counts.sum()
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return rng.permutation(np.repeat(codes, counts))


def sprinkle(
    rng: np.random.Generator,
    codes: np.ndarray,
    mask: np.ndarray,
    *,
    dont_know: float = 0.0,
    dont_know_code: int | None = None,
    blank: float = 0.0,
) -> np.ndarray:
    """Replace a share of answers by the "Ved ikke" code and blank (NA) a share.

    Returns the new codes; the blanks are added to ``mask`` in place (True = NA).
    """
    codes = codes.copy()
    u = rng.random(len(codes))
    if dont_know and dont_know_code is not None:
        codes[u < dont_know] = dont_know_code
    mask |= (u >= dont_know) & (u < dont_know + blank)
    return codes


def int_array(
    values: np.ndarray, mask: np.ndarray | None, dtype: str = "Int8"
) -> pd.api.extensions.ExtensionArray:
    """A nullable integer array (``Int8``/``Int16``/``Int64``) from values and an NA mask."""
    np_dtype = {"Int8": np.int8, "Int16": np.int16, "Int32": np.int32, "Int64": np.int64}[dtype]
    vals = np.asarray(values).astype(np_dtype)
    if mask is None:
        mask = np.zeros(len(vals), dtype=bool)
    vals = np.where(mask, 0, vals).astype(np_dtype)
    return pd.arrays.IntegerArray(vals, np.asarray(mask, dtype=bool).copy())


def code_dtype(item_values: Sequence[int]) -> str:
    """``Int8`` when every code fits, else ``Int16``."""
    return "Int8" if max(abs(int(v)) for v in item_values) <= 127 else "Int16"


def texts(
    rng: np.random.Generator,
    n: int,
    share: float,
    openers: Sequence[str],
    follow_ups: Sequence[str],
    *,
    line_break: float = 0.2,
) -> pd.Series:
    """Free-text answers for about ``share`` of ``n`` respondents (NA for the rest).

    A comment is one opener, and for half of them a follow-up sentence, joined by a space or
    (for ``line_break`` of the two-sentence ones) a line break, as people type in a text box.
    """
    has = rng.random(n) < share
    k = int(has.sum())
    first = np.asarray(openers, dtype=object)[rng.integers(0, len(openers), k)]
    second = np.asarray(follow_ups, dtype=object)[rng.integers(0, len(follow_ups), k)]
    two = rng.random(k) < 0.5
    sep = np.where(rng.random(k) < line_break, "\n", " ")
    joined = np.where(two, first + sep + second, first)
    out = pd.Series(pd.NA, index=range(n), dtype="str")
    out[has] = joined
    return out


def random_times(
    rng: np.random.Generator,
    n: int,
    start: str,
    end: str,
    *,
    front_load: float = 5.0,
) -> pd.Series:
    """Timestamps between ``start`` and ``end`` (inclusive days), most of them early, in working hours.

    Days follow an exponential decay with mean ``front_load`` days (answers come in right after
    the invitation and after reminders), clipped to the period; times of day 8:00-16:00.
    """
    t0 = pd.Timestamp(start)
    n_days = (pd.Timestamp(end) - t0).days + 1
    days = np.minimum(rng.exponential(front_load, n).astype(np.int64), n_days - 1)
    secs = rng.integers(8 * 3600, 16 * 3600, n)
    return pd.Series(t0 + pd.to_timedelta(days, unit="D") + pd.to_timedelta(secs, unit="s"))


def assemble(columns: Mapping[str, object], codebook: Codebook) -> pd.DataFrame:
    """A frame with exactly ``codebook.data_columns`` in codebook order."""
    missing = [c for c in codebook.data_columns if c not in columns]
    extra = [c for c in columns if c not in codebook.data_columns]
    if missing or extra:  # a programming error in a generator, not a user error
        raise RuntimeError(
            f"{codebook.instrument}: generator columns differ: missing {missing}, extra {extra}"
        )
    return pd.DataFrame({c: columns[c] for c in codebook.data_columns})


def likert_columns(
    rng: np.random.Generator,
    codebook: Codebook,
    locs: Mapping[str, np.ndarray],
    *,
    sd: float = 1.0,
    dont_know: float | Mapping[str, float] = 0.0,
    blank: float = 0.0,
    shown: np.ndarray | None = None,
) -> dict[str, pd.api.extensions.ExtensionArray]:
    """Likert columns from latent locations; reverse-scored items are flipped (6 - code).

    ``locs`` are on the "positive" direction of the characteristic; a ``reverse`` item asks the
    opposite statement, so agreeing with it (a high code) means a low position.
    """
    out = {}
    for code, loc in locs.items():
        item = codebook[code]
        vals = ordinal(rng, loc, sd=sd)
        if item.reverse:
            vals = (6 - vals).astype(np.int16)
        mask = np.zeros(len(vals), dtype=bool) if shown is None else ~shown
        dk = dont_know.get(code, 0.0) if isinstance(dont_know, Mapping) else dont_know
        dk_code = min(item.missing) if item.missing else None
        vals = sprinkle(rng, vals, mask, dont_know=dk, dont_know_code=dk_code, blank=blank)
        out[code] = int_array(vals, mask, code_dtype(item.allowed_codes))
    return out
