"""Choosing items and respondents by what they mean: item selectors and survey filters.

* :func:`select_items`: item codes by type, scale, battery, background flag or a list.
* :func:`batteries`: items asked as one battery (same code prefix, same type and answers).
* :func:`filter_survey`: respondents by answer labels or codes; background categories that no
  longer occur are dropped from the filtered survey's codebook.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from survey_kit.codebook import Codebook, Item

if TYPE_CHECKING:
    from survey_kit.survey import Survey

ITEM_TYPES = ("likert", "single", "multiple", "ranking", "number", "date", "text")


def _prefix(code: str) -> str:
    return code.split("_", 1)[0] if "_" in code else code


def batteries(codebook: Codebook) -> dict[str, list[str]]:
    """Batteries: two or more likert/single items sharing the code prefix before the first "_"
    (``ml_1, ml_2, ml_3`` -> ``"ml"``; ``st_plan, st_ideer`` -> ``"st"``) and the same answers.

    Items with the prefix but other answers are left out of the battery.
    """
    groups: dict[tuple[str, str, tuple], list[str]] = {}
    for it in codebook.items:
        if it.type not in ("likert", "single") or it.group or "_" not in it.code:
            continue
        key = (_prefix(it.code), it.type, tuple(sorted(it.values.items())))
        groups.setdefault(key, []).append(it.code)
    out: dict[str, list[str]] = {}
    for (prefix, _, _), codes in groups.items():
        if len(codes) >= 2 and (prefix not in out or len(codes) > len(out[prefix])):
            out[prefix] = codes
    return out


def select_items(
    codebook: Codebook,
    *,
    type: str | Sequence[str] | None = None,  # noqa: A002
    scale: str | None = None,
    battery: str | None = None,
    group: bool | None = None,
    codes: Sequence[str] | None = None,
) -> list[str]:
    """Item codes of ``codebook`` meeting every given condition, in codebook order.

    Parameters
    ----------
    type : str or list of str, optional
        Item types ("likert", "single", "multiple", "ranking", "number", "date", "text").
    scale : str, optional
        A scale code or label: the scale's items.
    battery : str, optional
        A battery name (see :func:`batteries`).
    group : bool, optional
        True: background (grouping) items only; False: no background items.
    codes : list of str, optional
        Item codes (checked against the codebook).

    Examples
    --------
    >>> select_items(cb, type="likert", scale="Miljø for læring")  # doctest: +SKIP
    ['ml_1', 'ml_2', 'ml_3']
    """
    chosen = list(codebook.items)
    if type is not None:
        types = [type] if isinstance(type, str) else list(type)
        bad = [t for t in types if t not in ITEM_TYPES]
        if bad:
            raise ValueError(f"type: ukendt spørgsmålstype {bad[0]!r}; mulige: {', '.join(ITEM_TYPES)}")
        chosen = [it for it in chosen if it.type in types]
    if scale is not None:
        sc = _find_scale(codebook, scale)
        chosen = [it for it in chosen if it.code in sc]
    if battery is not None:
        found = batteries(codebook)
        if battery not in found:
            raise ValueError(f"battery: {codebook.instrument} har intet batteri {battery!r}; "
                             f"mulige: {', '.join(found) or 'ingen'}")
        chosen = [it for it in chosen if it.code in found[battery]]
    if group is not None:
        chosen = [it for it in chosen if it.group == bool(group)]
    if codes is not None:
        wanted = [codes] if isinstance(codes, str) else list(codes)
        for c in wanted:
            if c not in codebook:
                raise ValueError(f"codes: {codebook.instrument} har intet spørgsmål {c!r}"
                                 + _suggest(c, [it.code for it in codebook.items]))
        chosen = [it for it in chosen if it.code in wanted]
    return [it.code for it in chosen]


def _find_scale(codebook: Codebook, scale: str) -> tuple[str, ...]:
    for s in codebook.scales:
        if scale == s.code or scale.casefold() == s.label.casefold():
            return s.items
    names = [s.code for s in codebook.scales] + [s.label for s in codebook.scales]
    raise ValueError(f"scale: {codebook.instrument} har ingen skala {scale!r}" + _suggest(scale, names))


def _suggest(value: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(value), [str(o) for o in options], n=3, cutoff=0.5)
    return f" (mente du {' eller '.join(repr(c) for c in close)}?)" if close else ""


# -- filters ------------------------------------------------------------------------------------
def _labels_of(codebook: Codebook, column: str) -> dict[Any, str]:
    if column in codebook:
        return codebook[column].labels
    if codebook.wave is not None and column == codebook.wave.column:
        return dict(codebook.wave.labels)
    return {}


def resolve_codes(codebook: Codebook, column: str, value: Any) -> list[Any]:
    """The codes meant by ``value`` (a label, a code, or a list of them) for ``column``."""
    values = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
    labels = _labels_of(codebook, column)
    by_label = {str(lab).casefold(): code for code, lab in labels.items()}
    out = []
    for v in values:
        if isinstance(v, str) and v.casefold() in by_label:
            out.append(by_label[v.casefold()])
        elif labels and v in labels and not isinstance(v, bool):
            out.append(v)
        elif not labels:
            out.append(v)  # a column the codebook does not describe: compare values as they are
        else:
            name = codebook[column].label if column in codebook else column
            raise ValueError(
                f"{column}: {name} har ingen kategori {v!r}"
                + _suggest(str(v), [str(x) for x in labels.values()])
            )
    return out


def _restrict(item: Item, keep: set[Any]) -> dict[str, Any]:
    """The item's fields with its answer codes restricted to ``keep`` (missing codes stay)."""
    data = item.model_dump()
    data["values"] = {c: lab for c, lab in item.values.items() if c in keep}
    data["parent"] = {c: p for c, p in item.parent.items() if c in keep}
    return data


def drop_absent_categories(codebook: Codebook, data: pd.DataFrame) -> Codebook:
    """The codebook with each background item's categories cut to those occurring in ``data``
    (a category that is the parent of one that occurs is kept, so the hierarchy stays whole)."""
    present: dict[str, set[Any]] = {}
    for it in codebook.groups:
        if it.code in data and it.values:
            s = data[it.code].dropna()
            present[it.code] = {c for c in it.values if c in set(pd.unique(s).tolist())}
    for upper, lower in zip(codebook.hierarchy, codebook.hierarchy[1:], strict=False):
        if lower in present and upper in present:
            parents = {codebook[lower].parent.get(c) for c in present[lower]}
            present[upper] |= {p for p in parents if p is not None}
    if all(present[c] == set(codebook[c].values) for c in present):
        return codebook
    raw = codebook.model_dump()
    raw["items"] = [
        _restrict(it, present[it.code]) if it.code in present and present[it.code] else it.model_dump()
        for it in codebook.items
    ]
    return Codebook.model_validate(raw)


def filter_survey(survey: Survey, conditions: Mapping[str, Any]) -> Survey:
    """See :meth:`survey_kit.survey.Survey.filter`."""
    if not conditions:
        raise ValueError("filter: angiv mindst én betingelse, fx filter(omraade=\"Skole\")")
    cb, df = survey.codebook, survey.data
    mask = np.ones(len(df), dtype=bool)
    described = []
    for column, value in conditions.items():
        if column not in df.columns:
            raise ValueError(f"filter: data har ingen kolonne {column!r}"
                             + _suggest(column, [str(c) for c in df.columns]))
        codes = resolve_codes(cb, column, value)
        mask &= df[column].isin(codes).fillna(False).to_numpy(dtype=bool)
        labels = _labels_of(cb, column)
        name = cb[column].label if column in cb else column
        described.append(f"{name}: " + ", ".join(str(labels.get(c, c)) for c in codes))
    data = df[mask]
    return replace(survey, data=data, codebook=drop_absent_categories(cb, data),
                   filters=(*survey.filters, *described))
