"""survey_kit: ingest, validate, compare and report Danish municipal surveys.

The public API; names load lazily so ``import survey_kit`` stays fast and has no side effects.

>>> import survey_kit as sk                                  # doctest: +SKIP
>>> survey = sk.load_processed("data/processed/lederudvikling_2008.parquet")
>>> sk.compare(survey, ["net_godt"], by="net_deltagelse")
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    # codebooks
    "Codebook": "survey_kit.codebook",
    "CodebookError": "survey_kit.codebook",
    "instrument": "survey_kit.codebook",
    "instruments": "survey_kit.codebook",
    "load_codebook": "survey_kit.codebook",
    # data
    "ingest": "survey_kit.ingest.core",
    "DataError": "survey_kit.errors",
    "Survey": "survey_kit.survey",
    "load_processed": "survey_kit.survey",
    "read_export": "survey_kit.ingest",
    "validate_export": "survey_kit.ingest",
    "validate_frame": "survey_kit.ingest",
    "draft_codebook": "survey_kit.ingest",
    # statistics
    "frequencies": "survey_kit.stats",
    "compare": "survey_kit.stats",
    "crosstab": "survey_kit.stats",
    "compare_waves": "survey_kit.stats",
    "attrition": "survey_kit.stats",
    "rank_shares": "survey_kit.stats",
    "scale_scores": "survey_kit.stats",
    "with_scale_scores": "survey_kit.stats",
    "reliability": "survey_kit.stats",
    "rake": "survey_kit.stats",
    "replicate_weights": "survey_kit.stats",
    # presentation
    "present": "survey_kit.display",
    "Presentation": "survey_kit.display",
    "select_items": "survey_kit.selection",
    "explore": "survey_kit.explorer",
    "Explorer": "survey_kit.explorer",
    "review": "survey_kit.review",
    # privacy
    "suppress_table": "survey_kit.privacy",
    "pseudonymise": "survey_kit.privacy",
    "mask_personal": "survey_kit.privacy",
    # charts and reports
    "save_chart": "survey_kit.charts",
    "build_report": "survey_kit.report",
    "build_run": "survey_kit.report",
    "render_reports": "survey_kit.report",
    "default_spec": "survey_kit.report",
    "load_spec": "survey_kit.report",
    "ReportSpec": "survey_kit.report",
    "disclosure_check": "survey_kit.report",
    "select_comments": "survey_kit.privacy",
}

__all__ = sorted([*_EXPORTS, "__version__"])

#: old public names, resolved with a DeprecationWarning naming the new one (survey_kit._deprecated)
_DEPRECATED = {
    "infer_codebook": "survey_kit._deprecated",
    "danish": "survey_kit.display",
    "export": "survey_kit.charts",
}


_SHADOWED = frozenset({"ingest", "review"})  # modules named like their function


class _Package(types.ModuleType):
    """``survey_kit.ingest`` and ``survey_kit.review`` are each both a module and the public
    function of that name. The import system binds a submodule on its parent once it is loaded;
    here the function wins, so ``sk.ingest(...)`` and ``sk.review(...)`` are the functions whenever
    and by whom the modules are imported (``sys.modules`` keeps the modules, so
    ``from survey_kit.ingest import core`` works as usual)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return  # resolved to the function by __getattr__ on first use
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None and name in _DEPRECATED:  # not cached: the function warns on every call
        return getattr(importlib.import_module(_DEPRECATED[name]), name)
    if module is None:
        raise AttributeError(f"module 'survey_kit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
