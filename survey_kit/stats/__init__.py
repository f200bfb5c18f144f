"""Statistics: frequencies, comparisons across groups and waves, crosstabs, rankings, scales,
weights. Every function takes a :class:`~survey_kit.survey.Survey` or a DataFrame (plus
``codebook=``), never modifies it, and returns tidy tables with suppression applied."""

from __future__ import annotations

from survey_kit.stats._common import total_mask, wilson
from survey_kit.stats.compare import compare
from survey_kit.stats.crosstab import CrosstabResult, crosstab
from survey_kit.stats.design import Design, LonelyPSUWarning, resolve_design
from survey_kit.stats.frequencies import frequencies
from survey_kit.stats.ranking import rank_shares
from survey_kit.stats.replicates import ReplicateWeights, replicate_weights
from survey_kit.stats.scales import reliability, scale_scores, with_scale_scores
from survey_kit.stats.waves import attrition, compare_waves, trend
from survey_kit.stats.weights import RakeResult, rake, trim_weights

__all__ = [
    "CrosstabResult",
    "Design",
    "LonelyPSUWarning",
    "RakeResult",
    "ReplicateWeights",
    "attrition",
    "compare",
    "compare_waves",
    "total_mask",
    "trend",
    "crosstab",
    "frequencies",
    "rake",
    "rank_shares",
    "reliability",
    "replicate_weights",
    "resolve_design",
    "scale_scores",
    "trim_weights",
    "wilson",
    "with_scale_scores",
]
