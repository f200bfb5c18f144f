"""A survey in memory: processed data, the codebook it was validated against, and provenance."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from survey_kit.codebook import Codebook, instrument, instruments, load_codebook
from survey_kit.errors import DataError

#: Columns added by ingest; statistics ignore every column whose name starts with "_".
SOURCE_ROW = "_source_row"  # row number in the source file (the header is row 1)
COMPLETE = "_complete"  # True for a complete answer, False for a partial complete


@dataclass(frozen=True)
class Survey:
    """Processed survey data with its codebook: every statistic and chart knows the instrument.

    Statistics accept either a :class:`Survey` or a plain DataFrame (then pass ``codebook=``).
    The methods below call them with the survey's codebook; :meth:`filter` and
    :meth:`with_scale_scores` return a new :class:`Survey` (the data are never modified).

    Examples
    --------
    >>> skole = survey.filter(omraade="Skole", bolge="2010")                 # doctest: +SKIP
    >>> skole.present(skole.compare(skole.items(scale="miljoe_for_laering"), by="enhed"))
    """

    data: pd.DataFrame
    codebook: Codebook
    manifest: dict[str, Any] = field(default_factory=dict)
    filters: tuple[str, ...] = ()  # Danish descriptions of the filters applied, in order

    @property
    def n(self) -> int:
        return len(self.data)

    def _repr_html_(self) -> str:  # JupyterLab
        from survey_kit._reprs import survey_html

        return survey_html(self)

    def __repr__(self) -> str:
        cb = self.codebook
        where = f"; {'; '.join(self.filters)}" if self.filters else ""
        return f"<Survey {cb.instrument}: {self.n} besvarelser, {len(cb.items)} spørgsmål{where}>"

    # -- selecting items and respondents --------------------------------------------------------
    def items(
        self,
        *,
        type: str | Sequence[str] | None = None,  # noqa: A002 - the codebook's field name
        scale: str | None = None,
        battery: str | None = None,
        group: bool | None = None,
        codes: Sequence[str] | None = None,
    ) -> list[str]:
        """Item codes selected from the codebook (in codebook order); see :func:`select_items`."""
        from survey_kit.selection import select_items

        return select_items(
            self.codebook, type=type, scale=scale, battery=battery, group=group, codes=codes
        )

    def batteries(self) -> dict[str, list[str]]:
        """Batteries of the codebook: name -> item codes (see :func:`batteries`)."""
        from survey_kit.selection import batteries

        return batteries(self.codebook)

    def filter(self, **conditions: Any) -> Survey:
        """The respondents whose answers match every condition, as a new :class:`Survey`.

        ``survey.filter(omraade="Skole")``, ``filter(bolge="2010")``, ``filter(enhed=[101, 102])``:
        a value is an answer's label (as in the codebook, case-insensitive) or its code, or a
        list of them. Categories of the background (group) items that no longer occur are dropped
        from the new survey's codebook, so a breakdown by unit after filtering to one area shows
        only that area's units.

        With a sampling design (the codebook's ``design:`` block or ``weight=``/``strata=``/
        ``cluster=``/``fpc=`` of a call) the result is a domain: the same estimates, with the
        variance, ``df`` and tests of the whole design (R's ``subset(design, ...)``). Rows
        selected from ``survey.data`` by hand form a new design of their own.
        """
        import numpy as np

        from survey_kit.selection import filter_survey
        from survey_kit.stats.design import mark_domain

        at = self.data.set_axis(pd.RangeIndex(len(self.data)))
        kept = filter_survey(replace(self, data=at), conditions)
        pos = kept.data.index.to_numpy()
        mask = np.zeros(len(self.data), dtype=bool)
        mask[pos] = True
        data = mark_domain(self.data.iloc[pos], self.data, mask)
        return replace(kept, data=data)

    def with_scale_scores(self, *, min_items: int | None = None) -> Survey:
        """A new :class:`Survey` whose data carry one score column per scale (named by the scale
        code, labelled by the scale's label in every table and chart)."""
        from survey_kit.stats import with_scale_scores

        data = with_scale_scores(self.data, self.codebook, min_items=min_items)
        return replace(self, data=data)

    # -- statistics with the survey's codebook --------------------------------------------------
    def frequencies(self, items: str | Sequence[str], **kwargs: Any) -> pd.DataFrame:
        """:func:`survey_kit.stats.frequencies` on this survey."""
        from survey_kit.stats import frequencies

        return frequencies(self, items, **kwargs)

    def compare(self, items: str | Sequence[str], **kwargs: Any) -> pd.DataFrame:
        """:func:`survey_kit.stats.compare` on this survey."""
        from survey_kit.stats import compare

        return compare(self, items, **kwargs)

    def compare_waves(
        self, items: str | Sequence[str], *, wave: str | None = None, **kwargs: Any
    ) -> pd.DataFrame:
        """:func:`survey_kit.stats.compare_waves`; ``wave`` defaults to the codebook's wave
        column, ``paired_on`` to its panel key when the codebook has one."""
        from survey_kit.stats import compare_waves

        if self.codebook.panel_key is not None:
            kwargs.setdefault("paired_on", self.codebook.panel_key.column)
        return compare_waves(self, items, wave=wave or self._wave_column(), **kwargs)

    def attrition(self, **kwargs: Any) -> pd.DataFrame:
        """:func:`survey_kit.stats.attrition` with the codebook's wave column and panel key."""
        from survey_kit.stats import attrition

        if self.codebook.panel_key is None:
            raise ValueError("attrition: the codebook has no panel_key")
        kwargs.setdefault("paired_on", self.codebook.panel_key.column)
        return attrition(self, wave=kwargs.pop("wave", None) or self._wave_column(), **kwargs)

    def crosstab(self, row: str, col: str, **kwargs: Any) -> Any:
        """:func:`survey_kit.stats.crosstab` on this survey (a ``CrosstabResult``)."""
        from survey_kit.stats import crosstab

        return crosstab(self, row, col, **kwargs)

    def rank_shares(self, ranking: str, **kwargs: Any) -> pd.DataFrame:
        """:func:`survey_kit.stats.rank_shares` on this survey."""
        from survey_kit.stats import rank_shares

        return rank_shares(self, ranking, **kwargs)

    def scale_scores(self, **kwargs: Any) -> pd.DataFrame:
        """:func:`survey_kit.stats.scale_scores` on this survey (one column per scale)."""
        from survey_kit.stats import scale_scores

        return scale_scores(self, **kwargs)

    def reliability(self, scale: str | Sequence[str] | None = None, **kwargs: Any) -> pd.DataFrame:
        """Cronbach's alpha of one scale, or of every scale of the codebook (one row each)."""
        from survey_kit.stats import reliability

        scales = [scale] if scale is not None else [s.code for s in self.codebook.scales]
        if not scales:
            raise ValueError("scale: the codebook declares no scales")
        return pd.concat([reliability(self, s, **kwargs) for s in scales], ignore_index=True)

    # -- charts and presentation ------------------------------------------------------------------
    def likert(self, items: str | Sequence[str], *, by: str | None = None, title: str | None = None,
               source: str | None = None, **kwargs: Any) -> Any:
        """Diverging bars of Likert items (``charts.likert_bars`` of :meth:`frequencies`)."""
        from survey_kit.charts import likert_bars

        freq = self.frequencies(items, by=by, **kwargs)
        return likert_bars(freq, title=title, source=source or self.source())

    def bars(self, items: str | Sequence[str], *, by: str | None = None, title: str | None = None,
             source: str | None = None, **kwargs: Any) -> Any:
        """Shares or means by group with intervals (``charts.share_bars`` of :meth:`compare`)."""
        from survey_kit.charts import share_bars

        return share_bars(self.compare(items, by=by, **kwargs), title=title,
                          source=source or self.source())

    def heatmap(self, items: str | Sequence[str], *, by: str, title: str | None = None,
                source: str | None = None, **kwargs: Any) -> Any:
        """Groups x items (or scales) of means (``charts.heatmap`` of :meth:`compare`)."""
        from survey_kit.charts import heatmap

        kwargs.setdefault("stat", "mean")
        return heatmap(self.compare(items, by=by, **kwargs), title=title,
                       source=source or self.source())

    def present(self, result: Any, *, title: str = "") -> Any:
        """A result table in Danish form, with this survey's labels (``survey_kit.present``)."""
        from survey_kit.display import present

        return present(result, title=title, codebook=self.codebook)

    def source(self) -> str:
        """The source line for charts and tables: "Kilde: <title>, antal svar = 1.234"."""
        from survey_kit.fmt import fmt_int

        where = f" ({'; '.join(self.filters)})" if self.filters else ""
        return f"Kilde: {self.codebook.title}{where}, antal svar = {fmt_int(self.n)}"

    def _wave_column(self) -> str:
        if self.codebook.wave is None:
            raise ValueError("wave: the codebook declares no wave column; pass wave=")
        return self.codebook.wave.column


def load_processed(path: str | Path, codebook: Codebook | str | Path | None = None) -> Survey:
    """Read a processed parquet file and its manifest (written by ``survey-kit ingest``), or a
    dataset of waves (a folder ``data/processed/<instrument>/`` written by ``ingest --wave``, or its
    ``dataset.json``): every wave's part in wave order, with the dataset manifest.

    The codebook is taken from ``codebook`` when given (a Codebook, a shipped instrument name or a
    YAML path), else from the instrument named in the manifest.
    """
    path = Path(path)
    if path.is_dir() or path.name == "dataset.json":
        from survey_kit.ingest.waves import read_dataset

        data, manifest = read_dataset(path if path.is_dir() else path.parent)
    else:
        data, manifest = _read_single(path)
    if codebook is None:
        cb_ref = manifest.get("codebook_path") or manifest.get("instrument")
        if cb_ref is None:
            raise ValueError(f"{path}: no manifest names the instrument; pass codebook=")
        codebook = cb_ref
    ingested_as = manifest.get("instrument")
    if isinstance(codebook, str) and ingested_as and codebook in instruments() and codebook != ingested_as:
        raise DataError(
            f"{path}: the data were ingested with instrument {ingested_as!r}, not {codebook!r}"
        )
    if isinstance(codebook, Codebook):
        cb = codebook
    elif isinstance(codebook, Path) or str(codebook).endswith((".yaml", ".yml")):
        cb = load_codebook(codebook)
    else:
        cb = instrument(str(codebook))
    return Survey(data=data, codebook=cb, manifest=manifest)


def _read_single(path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    if not path.is_file():
        raise DataError(f"{path}: processed data not found (run `survey-kit ingest` first)")
    try:
        data = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several types for a file that is not parquet
        raise DataError(f"{path}: not a readable parquet file ({type(err).__name__})") from None
    manifest_path = path.with_name(path.name.removesuffix(".parquet") + ".manifest.json")
    manifest: dict[str, Any] = {}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return data, manifest
