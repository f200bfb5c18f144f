"""Pseudonymous respondent keys: a keyed hash (HMAC-SHA256) of a personal id.

The key is supplied by the analyst (a file or the ``SURVEY_KIT_KEY`` environment variable) and is
never stored beside the data. The same id and key always give the same pseudonym, so the waves of
a pre/post panel can still be linked; without the key the id cannot be recomputed from a guess.
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd


def pseudonymise(values: pd.Series, key: bytes | str, *, length: int = 16) -> pd.Series:
    """Replace each non-missing value by ``HMAC-SHA256(key, normalised value)`` (hex, truncated).

    Values are normalised (stripped, case-folded) so ``" Anna@X.dk"`` and ``"anna@x.dk"`` link.

    >>> pseudonymise(pd.Series(["anna@x.dk", None]), "hemmelig").iloc[0][:8]
    '60221d36'
    """
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not key:
        raise ValueError("key: an empty key gives no protection; supply a secret key")

    def one(v: object) -> object:
        if pd.isna(v):
            return pd.NA
        text = str(v).strip().casefold()
        return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:length]

    return values.map(one).astype("string")
