"""Demo data for any codebook: plausible answers from the codebook alone (plus optional hints).

An instrument added as YAML only gets demo data from :func:`simulate`: respondents spread over the
hierarchy's finest level as a census of ``codebook.population`` at a common response rate (never more
answers than staff; else evenly), group variables
drawn evenly (or by ``shares`` hints), answers on ordered scales around a mean (``means`` hints,
else slightly positive) with a shared unit effect, "Ved ikke" now and then, ``ask_if`` respected,
multiple choice as 0/1 columns, rankings as distinct places, some free-text comments.

Hints come from the codebook file's ``x-demo:`` block (:func:`demo_hints`)::

    x-demo:
      n: 900                       # respondents
      unit_effect: 0.35            # sd of the unit's shift on every ordered scale
      means: {k_digital_nu: 2.9}   # mean answer per item, on its code scale
      shares: {stilling: {1: 0.15, 2: 0.85}}
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from survey_kit.codebook.model import Codebook
from survey_kit.datasets import _phrases
from survey_kit.datasets._common import assemble, code_dtype, texts


def demo_hints(instrument_name: str) -> dict[str, Any]:
    """The ``x-demo`` block of a shipped instrument's YAML (empty when there is none)."""
    path = resources.files("survey_kit.codebook") / "instruments" / f"{instrument_name}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return dict(raw.get("x-demo") or {})


def _units(rng: np.random.Generator, cb: Codebook, n: int) -> dict[str, np.ndarray]:
    """Codes of every hierarchy level, consistent with ``Item.parent``."""
    out: dict[str, np.ndarray] = {}
    if not cb.hierarchy:
        return out
    finest = cb.hierarchy[-1]
    codes = np.array(list(cb[finest].values), dtype=np.int64)
    pop = cb.population.get(finest, {})
    if pop:  # a census of the staff: never more answers than staff in a unit
        staff = np.array([pop.get(int(c), 0) for c in codes], dtype=np.int64)
        rate = min(1.0, n / max(1, int(staff.sum())))
        per_unit = rng.binomial(staff, rate)
        out[finest] = rng.permutation(np.repeat(codes, per_unit))
    else:
        out[finest] = rng.choice(codes, size=n)
    for upper, lower in zip(reversed(cb.hierarchy[:-1]), reversed(cb.hierarchy[1:]), strict=True):
        parent = cb[lower].parent
        out[upper] = np.array([parent.get(int(c), -1) for c in out[lower]], dtype=np.int64)
    return out


def simulate(codebook: Codebook, n: int | None = None, *, seed: int = 0,
             hints: dict[str, Any] | None = None) -> pd.DataFrame:
    """A clean frame in the processed-data conventions (``codebook.data_columns``)."""
    cb = codebook
    hints = dict(hints or {})
    n = int(n or hints.get("n", 500))
    if n < 1:
        raise ValueError("n: must be at least 1")
    rng = np.random.default_rng(seed)
    levels = _units(rng, cb, n)
    if levels:  # with staff numbers, the number of answers follows from the response rate
        n = len(next(iter(levels.values())))
    cols: dict[str, Any] = {cb.respondent_id.column: np.arange(1, n + 1)}
    finest = levels.get(cb.hierarchy[-1]) if cb.hierarchy else None
    if finest is not None:
        uniq, inv = np.unique(finest, return_inverse=True)
        unit_shift = rng.normal(0, float(hints.get("unit_effect", 0.3)), len(uniq))[inv]
    else:
        unit_shift = np.zeros(n)
    person = rng.normal(0, 0.35, n)  # a respondent's general tendency, shared across items
    means, shares = hints.get("means", {}), hints.get("shares", {})
    for it in cb.items:
        if it.code in levels:
            cols[it.code] = pd.array(levels[it.code], dtype=code_dtype(it.allowed_codes))
            continue
        if it.type in ("single", "likert"):
            codes = np.array(sorted(it.values), dtype=np.int64)
            if it.code in shares:
                probs = {int(k): float(v) for k, v in shares[it.code].items()}
                keys = np.array(list(probs), dtype=np.int64)
                p = np.array(list(probs.values()))
                vals = rng.choice(keys, size=n, p=p / p.sum())
            elif it.type == "likert" or (len(codes) >= 4 and not it.group):
                lo, hi = codes.min(), codes.max()
                mean = float(means.get(it.code, lo + 0.62 * (hi - lo)))
                latent = mean + unit_shift + person + rng.normal(0, 0.8, n)
                vals = np.clip(np.rint(latent), lo, hi).astype(np.int64)
                if it.missing:
                    vals = np.where(rng.random(n) < 0.03, min(it.missing), vals)
            else:
                vals = rng.choice(codes, size=n)
            arr = pd.array(vals, dtype=code_dtype(it.allowed_codes))
            cols[it.code] = arr
        elif it.type == "multiple":
            for c in it.columns:
                cols[c] = pd.array((rng.random(n) < 0.35).astype(np.int64), dtype="Int8")
        elif it.type == "ranking":
            k = it.k or 3
            opts = np.array(sorted(it.values))
            ranks = np.zeros((n, len(opts)), dtype=np.int64)
            for r in range(n):
                chosen = rng.choice(len(opts), size=min(k, len(opts)), replace=False)
                ranks[r, chosen] = np.arange(1, len(chosen) + 1)
            for j, c in enumerate(it.columns):
                cols[c] = pd.array(np.where(ranks[:, j] > 0, ranks[:, j], 0), dtype="Int8").astype("Int8")
                cols[c][ranks[:, j] == 0] = pd.NA
        elif it.type == "number":
            lo, hi = it.range or (0, 100)
            cols[it.code] = np.round(rng.uniform(lo, hi, n), 0)
        elif it.type == "text":
            cols[it.code] = texts(rng, n, 0.15, _phrases.TEMPERATURE_OPENERS, _phrases.TEMPERATURE_FOLLOW_UPS)
        elif it.type == "date":
            start = pd.Timestamp(cb.period[0]) if cb.period else pd.Timestamp("2010-01-01")
            cols[it.code] = start + pd.to_timedelta(rng.integers(0, 30, n), unit="D")
        else:
            cols[it.code] = pd.Series(pd.NA, index=range(n))
    frame = pd.DataFrame(cols)
    for it in cb.items:  # questions asked only of some are blank for the others
        if it.ask_if is not None and it.ask_if.item in frame:
            asked = frame[it.ask_if.item].isin(list(it.ask_if.codes)).fillna(False).to_numpy()
            for c in it.columns:
                frame.loc[~asked, c] = pd.NA
    extra = {c: frame[c] for c in cb.data_columns if c in frame}
    for c in cb.data_columns:
        extra.setdefault(c, pd.Series(pd.NA, index=range(n)))
    return assemble(extra, cb)
