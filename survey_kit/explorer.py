"""An interactive explorer for JupyterLab: pick a question, a breakdown, a wave and a filter.

``sk.explore(survey)`` shows dropdowns like the report module of SurveyXact: *what* (a question,
a battery of questions, or a scale), *how* (the distribution of answers, the share of positive
answers, or the mean), *by* (a background variable), *which wave* (one, all, or the change between
waves) and *a filter* (a background variable and one of its categories). Every change redraws the
chart and the Danish table below it. "Gem" writes the current view as figure files (PNG, SVG, PDF
+ CSV and alt text) and an Excel workbook.

Every number shown comes from :func:`publish`, which calls the statistics functions (they apply
the minimum n and complementary suppression exactly as in reports). Keep it that way: a run-wide
disclosure guard replaces that one function.

The state without widgets is :class:`View` (a frozen description) and :func:`compute` (a view ->
table, figure, presentation), so the explorer can be tested and timed without a browser.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survey_kit.display import Presentation, present
from survey_kit.stats.frequencies import option_shares
from survey_kit.survey import Survey

ALL = "__all__"
POOLED = "Alle målinger lagt sammen"
CHANGE = "__change__"
HOW_LABELS = {"dist": "Fordeling af svar", "share": "Andel positive svar", "mean": "Gennemsnit"}
#: A distribution chart with more rows (items x groups) than this is drawn as positive shares (the
#: table keeps the whole distribution): a stacked bar per unit of 100 units is unreadable, and
#: plotly needs seconds to lay it out.
MAX_DIST_ROWS = 30


@dataclass(frozen=True)
class View:
    """What the explorer shows: ``what`` is ``"item:<code>"``, ``"battery:<name>"`` or
    ``"scale:<code>"``; ``how`` one of ``"dist"``, ``"share"``, ``"mean"``; ``by`` a background
    column or None; ``wave`` a wave code, :data:`ALL` or :data:`CHANGE`; ``filter`` a
    (column, code) pair or None."""

    what: str
    how: str = "dist"
    by: str | None = None
    wave: Any = ALL
    filter: tuple[str, Any] | None = None


@dataclass(frozen=True)
class Result:
    view: View
    table: pd.DataFrame
    figure: Any
    presentation: Presentation
    n: int
    seconds: float
    note: str = ""


def choices(survey: Survey) -> dict[str, list[tuple[str, str]]]:
    """The options of each dropdown as (Danish label, value) pairs."""
    cb = survey.codebook
    what = [(f"Spørgsmål: {it.label}", f"item:{it.code}") for it in cb.items
            if it.type in ("likert", "single") and not it.group]
    what += [(f"Batteri: {', '.join(cb[c].label for c in codes)[:70]}", f"battery:{name}")
             for name, codes in survey.batteries().items()]
    what += [(f"Skala: {s.label}", f"scale:{s.code}") for s in cb.scales]
    wave_col = cb.wave.column if cb.wave is not None else None
    by = [("(ingen opdeling)", "")] + [(it.label, it.code) for it in cb.groups
                                        if it.code != wave_col and it.code in survey.data]
    waves = [(POOLED, ALL)]
    if cb.wave is not None and wave_col in survey.data:
        present_codes = set(pd.unique(survey.data[wave_col].dropna()).tolist())
        waves += [(lab, str(code)) for code, lab in cb.wave.labels.items() if code in present_codes]
        if len(waves) > 2:
            waves.append(("Udvikling mellem målinger", CHANGE))
    return {"what": what, "by": by, "wave": waves}


def hows(survey: Survey, what: str) -> list[str]:
    """The ``how`` values that mean something for ``what``: a distribution always; the positive
    share when every item has positive answers in the codebook; a mean when every item is on an
    ordinal (likert) scale. A scale is its mean."""
    kind, items = _items(survey, what)
    if kind == "scale":
        return ["mean"]
    cb = survey.codebook
    its = [cb[c] for c in items if c in cb]
    out = ["dist"]
    if its and all(it.positive for it in its):
        out.append("share")
    if its and all(it.type == "likert" for it in its):
        out.append("mean")
    return out


#: Why a view falls back to the distribution (the chosen ``how`` means nothing for the question).
_NO_HOW = {
    "share": "Spørgsmålet har ingen positive svar i kodebogen, så figuren viser fordelingen af svar.",
    "mean": "Svarene har ingen rækkefølge, så et gennemsnit giver ingen mening; figuren viser "
            "fordelingen af svar.",
}


def _items(survey: Survey, what: str) -> tuple[str, list[str]]:
    kind, _, code = what.partition(":")
    if kind == "item":
        return kind, [code]
    if kind == "battery":
        return kind, survey.batteries()[code]
    if kind == "scale":
        return kind, [code]
    raise ValueError(f"what: expected 'item:', 'battery:' or 'scale:', got {what!r}")


_KINDS = {"compare": "compare", "compare_waves": "waves", "frequencies": "frequencies"}
_VALUES = {"compare": ("value", "ci_low", "ci_high"),
           "compare_waves": ("value_from", "value_to", "change", "ci_low", "ci_high"),
           "frequencies": ("share", "ci_low", "ci_high")}


class Refused(ValueError):
    """A view the session will not show: with an earlier view it would reveal a hidden group."""


class Session:
    """One disclosure control for an explorer session (per survey; every wave, filter and view).

    Every view shown is protected together with everything shown before (and with what earlier
    report runs on the same data published, from a :class:`~survey_kit.privacy.Ledger`): a cell
    hidden once stays hidden, a cell shown once is never hidden later, and a view whose difference
    from an earlier one would isolate fewer than ``min_n`` respondents shows those cells hidden,
    or is refused (:class:`Refused`, with the reason) when only hiding an earlier number would help.

    To see the differences, each view also registers (unpublished) the same statistic for the
    other categories of its filter and wave, and for each category of every filter column used
    earlier in the session and of the waves when it pools them: "all staff" minus "employees"
    is the leaders, and the guard knows the leaders' numbers.
    """

    def __init__(self, survey: Survey, *, ledger: Any = None) -> None:
        from survey_kit.privacy import Ledger

        self.codebook = survey.codebook
        self.ledger = ledger if ledger is not None else Ledger(instrument=self.codebook.instrument)
        self.shown = Ledger(instrument=self.codebook.instrument)  # this session (in memory)
        self.filter_columns: set[str] = set()
        self.views = 0
        self.note = ""  # e.g. an earlier runs' ledger that does not fit these data

    def _others(self, data: pd.DataFrame, conditions: dict[str, int], *, waves: bool = True,
                by: str | None = None) -> list[dict[str, int]]:
        """Scopes of the unpublished companions of a view with ``conditions``."""
        cb = self.codebook
        cols = [c for c in conditions if c not in cb.hierarchy and c != by]
        cols += sorted(c for c in self.filter_columns if c not in conditions and c != by)
        wave = cb.wave.column if cb.wave is not None and cb.wave.column in data else None
        if wave is not None and wave not in cols and waves and wave != by:
            cols.append(wave)
        out = []
        for col in cols:
            rest = {k: v for k, v in conditions.items() if k != col}
            mask = np.ones(len(data), dtype=bool)
            for k, v in rest.items():
                mask &= data[k].eq(v).fillna(False).to_numpy(dtype=bool)
            codes = sorted(int(c) for c in pd.unique(data.loc[mask, col].dropna()))
            out += [{**rest, col: c} for c in codes if conditions.get(col) != c]
        return out

    def publish(self, survey: Survey, function: str, items: list[str], conditions: dict[str, int],
                **kwargs: Any) -> pd.DataFrame:
        """The protected table of ``function`` (a :class:`Survey` method) over the respondents
        matching ``conditions`` (``survey`` is the whole survey)."""
        from survey_kit.privacy import DisclosureConflict, Ledger
        from survey_kit.privacy.run import LedgerMismatch

        try:
            return self._publish(survey, function, items, conditions, **kwargs)
        except LedgerMismatch as err:
            if not len(self.ledger):
                raise
            # the reports' ledger belongs to other data: it cannot protect these
            self.note = ("Anonymitetshistorikken fra tidligere rapporter passer ikke til disse data "
                         f"og bruges ikke ({err}).")
            self.ledger = Ledger(instrument=self.codebook.instrument)
            return self._publish(survey, function, items, conditions, **kwargs)
        except DisclosureConflict as err:
            reasons = str(err).split("; ")
            more = f" og {len(reasons) - 1} andre steder" if len(reasons) > 1 else ""
            raise Refused(
                "Visningen vises ikke: sammen med en tidligere visning ville den afsløre en gruppe "
                f"med for få svar ({reasons[0]}{more}). Vælg en anden opdeling, måling eller et "
                "andet filter."
            ) from None

    def _publish(self, survey: Survey, function: str, items: list[str], conditions: dict[str, int],
                 **kwargs: Any) -> pd.DataFrame:
        from survey_kit.privacy import RunGuard, raw_codebook

        cb = survey.codebook
        rcb = raw_codebook(cb)
        data = survey.data

        def raw(cond: dict[str, int], *, companion: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
            mask = np.ones(len(data), dtype=bool)
            for k, v in cond.items():
                mask &= data[k].eq(v).fillna(False).to_numpy(dtype=bool)
            sub = Survey(data=data[mask], codebook=rcb, manifest=survey.manifest)
            kw = dict(kwargs)
            if companion and function == "compare":
                kw["fpc"] = False  # only its counts are used (no intervals)
            return getattr(sub, function)(items, min_n=1, **kw), sub.data

        guard = RunGuard(cb, pool_waves=True)
        guard.prior(self.ledger.records())
        guard.prior(self.shown.records())
        kind, values = _KINDS[function], _VALUES[function]
        table, _ = raw(conditions)
        tid = guard.add(table, scope=conditions, kind=kind, value_columns=values)
        by = kwargs.get("by")
        for cond in self._others(data, conditions, waves=function != "compare_waves", by=by):
            other, _ = raw(cond, companion=True)
            if len(other):
                guard.add(other, scope=cond, kind=kind, value_columns=values, publish=False)

        guard.protect()
        out = guard.table(tid)
        self.shown.add(guard.records(), run=None)
        self.filter_columns |= {c for c in conditions if c not in cb.hierarchy
                                and (cb.wave is None or c != cb.wave.column)}
        self.views += 1
        if "n" in out and "group_code" in out and by is not None:  # groups nobody belongs to
            zero = pd.to_numeric(table["n"], errors="coerce").eq(0).to_numpy() & table["group_code"].notna().to_numpy()
            out = out[~zero].reset_index(drop=True)
        return out


def publish(survey: Survey, function: str, items: list[str], *, session: Session | None = None,
            conditions: dict[str, int] | None = None, **kwargs: Any) -> pd.DataFrame:
    """The only place the explorer computes numbers, through the same disclosure control as the
    reports: the statistic is computed raw and protected by a :class:`~survey_kit.privacy.RunGuard`
    with everything the ``session`` showed before (minimum n, complementary cells over the
    hierarchy, the filters and the waves, zero groups, tests left out when a group is hidden,
    rounding for publication). ``survey`` is the whole survey; ``conditions`` the view's filter
    and wave as codes."""
    session = session if session is not None else Session(survey)
    return session.publish(survey, function, items, dict(conditions or {}), **kwargs)


def conditions_of(survey: Survey, view: View) -> dict[str, int]:
    """The view's population as codes: its filter and its wave (not for a change between waves)."""
    cb = survey.codebook
    out: dict[str, int] = {}
    if view.filter is not None:
        col, val = view.filter
        if col not in cb:
            raise ValueError(f"filter: {col!r} er ikke en variabel i {cb.instrument}")
        code = _code(cb[col].values, val)
        out[col] = code
    if view.wave not in (ALL, CHANGE) and cb.wave is not None:
        out[cb.wave.column] = _code(cb.wave.labels, view.wave)
    return out


def _code(labels: dict, value: Any) -> int:
    if str(value).lstrip("-").isdigit():
        return int(value)
    for code, lab in labels.items():
        if str(lab).casefold() == str(value).casefold():
            return int(code)
    raise ValueError(f"{value!r} er hverken en kode eller en af svarmulighederne "
                     f"({', '.join(map(str, labels.values()))})")


def subset(survey: Survey, view: View) -> Survey:
    """The respondents of the view: its filter and its wave (not for a change between waves)."""
    cb = survey.codebook
    if view.filter is not None:
        survey = survey.filter(**{view.filter[0]: view.filter[1]})
    if view.wave not in (ALL, CHANGE) and cb.wave is not None:
        code = int(view.wave) if str(view.wave).lstrip("-").isdigit() else view.wave
        survey = survey.filter(**{cb.wave.column: code})
    return survey


def compute(survey: Survey, view: View, *, session: Session | None = None) -> Result:
    """The table, chart and Danish presentation of ``view`` (``survey`` should carry its scale
    scores, see :meth:`Survey.with_scale_scores`), protected together with everything ``session``
    showed before (default: a session of this one view)."""
    from survey_kit import charts

    t0 = time.perf_counter()
    session = session if session is not None else Session(survey)
    kind, items = _items(survey, view.what)
    allowed = hows(survey, view.what)
    how = view.how if view.how in allowed else allowed[0]
    note = "" if how == view.how or kind == "scale" else _NO_HOW[view.how]
    sub = subset(survey, view)
    cond = conditions_of(survey, view)
    by = view.by or None
    title = _title(survey, kind, items, how)
    pooled = (view.wave == ALL and survey.codebook.wave is not None
              and survey.codebook.wave.column in survey.data
              and survey.data[survey.codebook.wave.column].nunique() > 1)
    if pooled:
        title += f" ({POOLED.lower()})"
    source = sub.source()

    def pub(function: str, **kw: Any) -> pd.DataFrame:
        return publish(survey, function, items, session=session, conditions=cond, by=by, **kw)

    if view.wave == CHANGE and how == "dist":  # a change between waves needs one number per group
        how = "share" if "share" in allowed else "mean" if "mean" in allowed else "dist"
    if view.wave == CHANGE and how == "dist":
        raise ValueError("Udvikling mellem målinger kræver positive svar eller en skala med rækkefølge; "
                         "spørgsmålet har ingen af delene. Vælg én måling.")
    if view.wave == CHANGE:
        stat = "mean" if how == "mean" else "share"
        table = pub("compare_waves", stat=stat)
        rng = None if stat == "share" else scale_range(survey.codebook, items)
        fig = charts.wave_dumbbell(table, title=title, source=source, value_range=rng)
    elif how == "dist":
        table = pub("frequencies")
        rows = table.drop_duplicates(["item", "group"]).shape[0]
        ordinal = all(survey.codebook[c].type == "likert" for c in items if c in survey.codebook)
        if "share" in allowed and (rows > MAX_DIST_ROWS or not ordinal):
            comp = pub("compare", stat="share")
            fig = charts.share_bars(comp, title=f"{title}: andel positive svar", source=source)
            note = (f"Figuren viser andelen positive svar ({rows} rækker er for mange til en "
                    "fordeling); tabellen viser hele fordelingen." if ordinal else
                    "Figuren viser andelen positive svar (svarene har ingen rækkefølge); "
                    "tabellen viser hele fordelingen.")
        elif ordinal:
            fig = charts.likert_bars(table, title=title, source=source)
        else:  # answers without an order or a positive side: the share choosing each answer
            fig = charts.share_bars(option_shares(table), title=title, source=source)
    else:
        table = pub("compare", stat=how)
        rng = scale_range(survey.codebook, items) if how == "mean" else None
        fig = charts.share_bars(table, title=title, source=source, value_range=rng)
    if pooled:
        note = (f"{POOLED}: hver måling tæller med sine egne svar, så tallene hører ikke til én "
                "måling. " + note).strip()
    pres = present(table, title=title, codebook=survey.codebook)
    return Result(view, table, fig, pres, sub.n, time.perf_counter() - t0, note)


def scale_range(cb: Any, codes: list[str]) -> tuple[float, float] | None:
    """The answer scale means lie on (1-5 for a five-point item, the items' range for a scale)."""
    vals: list[int] = []
    for code in codes:
        if code in {s.code for s in cb.scales}:
            vals += [v for c in cb.scale(code).items for v in cb[c].values]
        elif code in cb:
            vals += list(cb[code].values)
    return (float(min(vals)), float(max(vals))) if vals else None


def _title(survey: Survey, kind: str, items: list[str], how: str) -> str:
    cb = survey.codebook
    if kind == "scale":
        return f"{cb.scale(items[0]).label}: gennemsnit (indeks)"
    name = cb[items[0]].label if len(items) == 1 else ", ".join(cb[c].label for c in items)
    return f"{name}: {HOW_LABELS[how].lower()}" if how != "dist" else name


class Explorer:
    """The widget (``explorer.widget``); shows itself in JupyterLab.

    Parameters
    ----------
    survey : Survey
    what : str, optional
        The first view's ``View.what`` (default: the first question).
    ledger : path or Ledger, optional
        What earlier report runs on the same data published (default: the ledger
        ``reports/<instrument>/anonymitet_historik.json`` of the project, when there is one); the
        session's views are protected together with it. ``False``: none.
    """

    def __init__(self, survey: Survey, *, what: str | None = None, by: str | None = None,
                 ledger: Any = None) -> None:
        from survey_kit._extras import require
        from survey_kit.privacy import Ledger
        from survey_kit.privacy.ledger import LEDGER_FILE

        w = require("ipywidgets")

        self.survey = survey if all(s.code in survey.data for s in survey.codebook.scales) \
            else survey.with_scale_scores()
        opts = choices(self.survey)
        cb = self.survey.codebook
        if ledger is None:
            from survey_kit.paths import REPORTS_DIR

            ledger = Path(REPORTS_DIR) / cb.instrument / LEDGER_FILE
        if ledger is False:
            ledger = None
        elif not isinstance(ledger, Ledger):
            ledger = Ledger.load(ledger, instrument=cb.instrument)
        self.session = Session(self.survey, ledger=ledger)
        # one wave by default (the latest): a pooled view's numbers belong to no wave
        waves = [v for _, v in opts["wave"] if v not in (ALL, CHANGE)]
        groups = [(lab, code) for lab, code in opts["by"] if code]
        lay = w.Layout(width="auto")
        style = {"description_width": "initial"}
        self.what = w.Dropdown(options=opts["what"], value=what or opts["what"][0][1],
                               description="Vis:", layout=w.Layout(width="44em"), style=style)
        first = what or opts["what"][0][1]
        self.how = w.Dropdown(options=self._how_options(first), value=hows(self.survey, first)[0],
                              description="Som:", layout=lay, style=style)
        self.by = w.Dropdown(options=opts["by"], value=by or "", description="Opdelt på:",
                             layout=lay, style=style)
        self.wave = w.Dropdown(options=opts["wave"], value=waves[-1] if waves else ALL, description="Måling:",
                               layout=lay, style=style)
        self.filter_col = w.Dropdown(options=[("(intet filter)", "")] + groups, value="",
                                     description="Filter:", layout=lay, style=style)
        self.filter_val = w.Dropdown(options=[("(alle)", "")], value="", layout=lay)
        self.folder = w.Text(value="udforsk", description="Mappe:", layout=w.Layout(width="16em"))
        self.save = w.Button(description="Gem figur og tabel", icon="download",
                             layout=w.Layout(width="auto", min_width="13em"))  # the whole label shows
        self.status = w.HTML()
        self.chart = w.Output(layout=w.Layout(min_height="300px"))
        self.table = w.Output()
        self.result: Result | None = None
        self.what.observe(self._what_changed, names="value")
        for d in (self.how, self.by, self.wave, self.filter_val):
            d.observe(self._changed, names="value")
        self.filter_col.observe(self._filter_column, names="value")
        self.save.on_click(lambda _: self.export(self.folder.value))
        self.widget = w.VBox([
            w.HBox([self.what, self.how]),
            w.HBox([self.by, self.wave, self.filter_col, self.filter_val]),
            w.HBox([self.folder, self.save, self.status]),
            self.chart,
            self.table,
        ])
        self.widget.add_class("sk-explorer")
        self._cb = cb
        self.refresh()

    # -- state --------------------------------------------------------------------------------
    @property
    def view(self) -> View:
        filt = None
        if self.filter_col.value and self.filter_val.value != "":
            filt = (self.filter_col.value, self.filter_val.value)
        wave = self.wave.value
        return View(what=self.what.value, how=self.how.value, by=self.by.value or None,
                    wave=wave, filter=filt)

    def _filter_column(self, change: dict) -> None:
        col = change["new"]
        opts = [("(alle)", "")]
        if col:
            occurring = set(pd.unique(self.survey.data[col].dropna()).tolist())
            opts += [(lab, code) for code, lab in self._cb[col].values.items() if code in occurring]
        with self.filter_val.hold_trait_notifications():
            self.filter_val.options = opts
            self.filter_val.value = ""
        self.refresh()

    def _changed(self, _change: dict) -> None:
        self.refresh()

    def _how_options(self, what: str) -> list[tuple[str, str]]:
        return [(HOW_LABELS[h], h) for h in hows(self.survey, what)]

    def _what_changed(self, change: dict) -> None:
        """Offer only the ``how`` that mean something for the new question (one redraw)."""
        options = self._how_options(change["new"])
        if [v for _, v in options] != [v for _, v in self.how.options]:
            keep = self.how.value if self.how.value in [v for _, v in options] else options[0][1]
            with self.how.hold_trait_notifications():
                self.how.unobserve(self._changed, names="value")
                self.how.options = options
                self.how.value = keep
                self.how.observe(self._changed, names="value")
        self.refresh()

    def refresh(self) -> Result | None:
        """Recompute the current view and redraw the chart and the table."""
        from IPython.display import display

        view = self.view
        if view.what.startswith("scale:"):
            view = replace(view, how="mean")
        try:
            res = compute(self.survey, view, session=self.session)
        except (ValueError, KeyError) as err:  # e.g. a filter that leaves nobody, a refused view
            self.status.value = f"<span style='color:#a00'>{html.escape(str(err))}</span>"
            self.result = None
            self.chart.clear_output()
            self.table.clear_output()
            return None
        self.result = res
        self.chart.clear_output(wait=True)
        with self.chart:
            display(res.figure)
        self.table.clear_output(wait=True)
        with self.table:
            display(res.presentation)
        self.status.value = (f"<span class='sk-status'>{res.n:,} svar · beregnet på "
                             f"{res.seconds * 1000:.0f} ms</span>").replace(",", ".") + (
                             f" <i>{html.escape(res.note)}</i>" if res.note else "") + (
                             f" <i>{html.escape(self.session.note)}</i>" if self.session.note else "")
        return res

    def export(self, folder: str | Path, *, formats: tuple[str, ...] = ("png", "svg", "pdf")
               ) -> list[Path]:
        """Write the current view: ``<folder>/<name>.png/.svg/.pdf/.csv/.alt.txt`` and
        ``<folder>/<name>.xlsx`` (the Danish table and its numbers)."""
        from survey_kit.charts import save_chart

        if self.result is None:
            raise ValueError("export: nothing to export (the current view has no result)")
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        name = _file_name(self.result.view)
        written = [self.result.presentation.to_excel(folder / f"{name}.xlsx")]
        try:
            written = save_chart(self.result.figure, folder / name, formats=formats) + written
        except Exception as err:  # no Chrome/Chromium for kaleido: the table is still written
            self.status.value = (f"Tabellen er gemt i {written[0]}; figurerne kræver Chrome, "
                                 f"Chromium eller Edge ({type(err).__name__}).")
            return written
        self.status.value = f"Gemt: {', '.join(p.name for p in written)} i {folder}"
        return written

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _file_name(view: View) -> str:
    parts = [view.what.replace(":", "-"), view.how]
    if view.by:
        parts.append(f"efter-{view.by}")
    if view.wave not in (ALL, None):
        parts.append("udvikling" if view.wave == CHANGE else f"maaling-{view.wave}")
    if view.filter:
        parts.append(f"{view.filter[0]}-{view.filter[1]}")
    return "_".join(str(p) for p in parts)


def explore(survey: Survey, **kwargs: Any) -> Explorer:
    """Open the explorer on ``survey`` (see :class:`Explorer`)."""
    return Explorer(survey, **kwargs)
