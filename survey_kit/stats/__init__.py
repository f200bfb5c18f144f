"""Statistics: frequencies, comparisons across groups and waves, crosstabs, rankings, scales,
weights. Every function takes a :class:`~survey_kit.survey.Survey` or a DataFrame (plus
``codebook=``), never modifies it, and returns tidy tables with suppression applied."""

from __future__ import annotations

from survey_kit.stats.frequencies import frequencies

__all__ = ["frequencies"]
