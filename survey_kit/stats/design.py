"""A sampling design as data: weights, strata, clusters (PSUs) and finite population correction.

A :class:`Design` is resolved once per call from ``weight=``, ``strata=``, ``cluster=`` and
``fpc=`` (column names), or from the codebook's ``design:`` block when none of them is given.
Without any of them there is no design and the statistics keep their census/SRS formulas.

Variance estimation follows R's ``survey`` package (``svydesign(ids=~cluster, strata=~strata,
weights=~weight, fpc=~fpc, nest=TRUE)``, ``options(survey.lonely.psu = ...)``; several stages as
``ids=~psu+ssu, fpc=~fpc1+fpc2``, each later stage adding its variance within the units of the
stage before, times the sampling fractions above it, as R's ``multistage``):
every estimate is a ratio of weighted cell totals, linearised (Taylor), and the design covariance
of the cell totals is

``sum_h f_h n_h / (n_h - 1) * sum_{i in h} (t_hi - tbar_h)(t_hi - tbar_h)'``

over the PSUs ``i`` of stratum ``h`` (``n_h`` PSUs in the whole design, ``f_h = 1 - n_h / N_h``);
a stratum with a single PSU contributes ``f_h t_hi t_hi'`` (not centred: R's "adjust"), nothing
("certainty", "remove"), or the others' average ("average"); "fail" raises. Domains (groups, and
the data of a filtered :class:`~survey_kit.survey.Survey`) are estimated as ``svyby`` and
``subset(design, ...)`` do: rows outside the domain count as zeros, the PSU count of the full
design is kept. Without ``cluster`` every row is its own PSU.

Design degrees of freedom (``df``) are R's ``degf()``: PSUs minus strata among the rows with a
positive weight in the base of the estimate.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import special as spc

from survey_kit.codebook import Codebook
from survey_kit.errors import DataError
from survey_kit.stats import _design_rep
from survey_kit.stats._common import Groups, require_column, weights_of

LONELY_PSU = ("adjust", "average", "certainty", "remove", "fail")
_DOMAIN = "survey_kit_domain"  # key in DataFrame.attrs of a filtered survey's data


class LonelyPSUWarning(UserWarning):
    """A stratum has a single PSU; its variance follows the design's ``lonely_psu`` option."""


@dataclass
class Stage:
    """A later sampling stage (2, 3, ...) of a multi-stage design: its units nested in the units
    of the stage before (the "strata" of this stage), as R's ``svyrecvar`` treats them."""

    fine_starts: np.ndarray | None  # first finest unit of each unit of this stage (None: finest)
    unit_parent: np.ndarray  # (U_k,) parent unit of each unit, sorted
    scale: np.ndarray  # (P,) mult * f * n / (n - 1) per parent (lonely option applied)
    center: np.ndarray  # (P,) 1 / n per parent (0: not centred, R's "adjust")

    @property
    def starts(self) -> np.ndarray:
        counts = np.bincount(self.unit_parent, minlength=self.scale.size)
        return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)


REP_TYPES = ("BRR", "Fay", "JK1", "JKn", "bootstrap", "other")


@dataclass
class Replicates:
    """Replicate weights of a design (R's ``svrepdesign``): each row's replicate weights are its
    weight times the factors ``a`` of its unit (rows with the same factors form one unit)."""

    a: np.ndarray  # (U, R) replicate factor of every unit
    scale: float
    rscales: np.ndarray  # (R,)
    mse: bool
    rep_type: str
    columns: tuple[str, ...]
    degf: float  # rank of the replicate weights - 1 (R's degf() of the whole design)


@dataclass
class Design:
    """A resolved stratified (multi-stage) cluster design (arrays aligned with the data rows)."""

    w: np.ndarray  # weight of every row (1 without a weight column)
    clustered: bool  # False: every row is its own PSU (units are the strata)
    unit: np.ndarray  # per row: finest unit (clustered) or stratum index (not clustered)
    unit_stratum: np.ndarray  # (P,) stratum of each PSU; PSUs are sorted by stratum
    n_h: np.ndarray  # (H,) PSUs (rows when not clustered) per stratum in the whole design
    f_h: np.ndarray  # (H,) 1 - n_h / N_h (1 without fpc)
    weight: str | None = None
    strata: str | None = None
    cluster: str | tuple[str, ...] | None = None
    fpc: str | tuple[str, ...] | None = None
    lonely_psu: str = "adjust"
    psu_starts: np.ndarray | None = None  # first finest unit of each PSU (multi-stage only)
    later: tuple[Stage, ...] = ()  # stages 2, 3, ... (multi-stage designs with fpc)
    lonely: tuple[str, ...] = ()  # labels of the strata with a single PSU (stage 1)
    weights_from_fpc: bool = False
    rep: Replicates | None = None  # a replicate-weight design: variances from the replicates
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def n_units(self) -> int:
        """Units the tables are counted over: the finest sampling units (PSUs in one stage)."""
        if self.psu_starts is not None:
            return int(self.later[-1].unit_parent.size)
        return int(self.unit_stratum.size)

    @property
    def n_strata(self) -> int:
        return int(self.n_h.size)

    @property
    def n_psu(self) -> int:
        return int(self.unit_stratum.size)

    @property
    def starts(self) -> np.ndarray:
        """First PSU of every stratum (PSUs are sorted by stratum)."""
        if "starts" not in self._cache:
            counts = np.bincount(self.unit_stratum, minlength=self.n_h.size)
            self._cache["starts"] = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        return self._cache["starts"]

    def _lonely_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(scale, centre, lonely strata to average over) of stage 1 with the lonely-PSU option
        (R's ``onestrat``)."""
        if "lonely" not in self._cache:
            n = self.n_h.astype(float)
            f = self.f_h
            with np.errstate(divide="ignore", invalid="ignore"):
                scale = np.where(n > 1, f * n / (n - 1), f)
            scale = np.where(f < 1e-7, 0.0, scale)  # a census stratum adds nothing
            center = np.where(n > 1, 1 / np.maximum(n, 1), 0.0)
            alone = (n == 1) & (f >= 1e-7)
            average = None
            if alone.any() and self.lonely_psu != "adjust":
                scale = np.where(alone, 0.0, scale)  # certainty, remove: centred at itself
                if self.lonely_psu == "average":
                    average = alone
            self._cache["lonely"] = (scale, center, average)
        return self._cache["lonely"]

    @property
    def w2(self) -> np.ndarray:
        if "w2" not in self._cache:
            self._cache["w2"] = self.w * self.w
        return self._cache["w2"]

    @property
    def has_zero_weights(self) -> bool:
        if "zero" not in self._cache:
            self._cache["zero"] = bool((self.w == 0).any())
        return self._cache["zero"]

    @property
    def wpos(self) -> np.ndarray:
        if "wpos" not in self._cache:
            self._cache["wpos"] = (self.w > 0).astype(float)
        return self._cache["wpos"]

    def restrict(self, mask: np.ndarray) -> Design:
        """The design of a domain: the rows of ``mask``, the variance of the whole design (R's
        ``subset(design, ...)``): PSUs without a row in the domain count with zero totals."""
        return replace(self, w=self.w[mask], unit=self.unit[mask], _cache={})

    def describe(self) -> str:
        """The design in one Danish sentence (for method sections of reports)."""
        if self.weight:
            parts = [f"vægt {self.weight!r}"]
        elif self.weights_from_fpc:
            parts = ["vægte N/n fra endelighedskorrektionen"]
        else:
            parts = ["ingen vægt (alle vægte sat til 1: lige udvælgelsessandsynlighed)"]
        if self.strata:
            parts.append(f"strata {self.strata!r} ({self.n_strata})")
        if self.cluster:
            stages = self.cluster if isinstance(self.cluster, tuple) else (self.cluster,)
            parts.append(f"klynger (PSU) {stages[0]!r} ({self.n_psu})")
            for i, c in enumerate(stages[1:], start=2):
                parts.append(f"trin {i}: {c!r}")
        if self.fpc:
            fpcs = self.fpc if isinstance(self.fpc, tuple) else (self.fpc,)
            parts.append("endelighedskorrektion " + ", ".join(repr(f) for f in fpcs))
        if self.rep is not None:
            parts.append(f"{len(self.rep.columns)} replikatvægte ({self.rep.rep_type})")
            return (
                f"Designbaseret analyse (replikatvægte, {self.rep.rep_type}, som R's "
                "survey-pakke): " + ", ".join(parts) + "."
            )
        if self.lonely:
            parts.append(f"strata med én PSU ({', '.join(self.lonely)}): {self.lonely_psu!r}")
        return (
            "Designbaseret analyse (Taylor-linearisering, som R's survey-pakke): "
            + ", ".join(parts)
            + "."
        )


class _DomainOf(str):
    """What :meth:`Survey.filter` leaves in ``data.attrs``: the whole data and the rows kept.

    A ``str`` (so ``to_parquet`` writes a plain text, which reads back as no domain) that is never
    copied (pandas deep-copies ``attrs`` when they propagate)."""

    full: pd.DataFrame
    mask: np.ndarray
    index: pd.Index

    def __new__(cls, full: pd.DataFrame, mask: np.ndarray):
        obj = super().__new__(cls, f"survey_kit domain: {int(mask.sum())} of {len(full)} rows")
        obj.full, obj.mask = full, mask
        obj.index = full.index[mask]
        return obj

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):  # pickling (e.g. to a worker process) keeps the domain
        return (_DomainOf, (self.full, self.mask))

    def __copy__(self):
        return self


def mark_domain(data: pd.DataFrame, full: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """``data`` (the rows ``mask`` of ``full``) marked as a domain of ``full``'s design; a domain
    of a domain is a domain of the first whole data."""
    outer = domain_of(full)
    if outer is not None:
        pos = np.flatnonzero(outer.mask)[mask]
        mask = np.zeros(outer.mask.size, dtype=bool)
        mask[pos] = True
        full = outer.full
    data.attrs[_DOMAIN] = _DomainOf(full, np.asarray(mask, dtype=bool))
    return data


def design_arguments(codebook: Codebook | None) -> dict[str, object]:
    """The codebook's ``design:`` block as the keyword arguments of the statistics functions, for a
    call that cannot pass the codebook itself (its columns are derived: a gap, a sum)."""
    block = getattr(codebook, "design", None)
    if block is None:
        return {}
    keys = ("weight", "strata", "cluster", "fpc", "lonely_psu", "repweights", "rep_type", "rho",
            "scale", "rscales", "mse")
    return {k: getattr(block, k) for k in keys if getattr(block, k, None) is not None}


def domain_of(df: pd.DataFrame) -> _DomainOf | None:
    """The domain marked on ``df`` by :meth:`Survey.filter`, when ``df`` still is exactly its
    rows (a frame sliced or re-indexed afterwards is a new design)."""
    dom = df.attrs.get(_DOMAIN) if hasattr(df, "attrs") else None
    if not isinstance(dom, _DomainOf) or len(dom.index) != len(df):
        return None
    return dom if dom.index.equals(df.index) else None


def _codes(df: pd.DataFrame, column: str, name: str) -> tuple[np.ndarray, np.ndarray]:
    require_column(df, column, name)
    s = df[column]
    na = s.isna().to_numpy()
    if na.any():
        i = int(np.flatnonzero(na)[0])
        raise DataError(
            f"column {column!r}, row {df.index[i]!r}: blank {name}; every row needs one"
        )
    codes, uniques = pd.factorize(s, sort=True)
    return codes.astype(np.intp), np.asarray(uniques)


def _columns(v, name: str) -> tuple[str, ...] | None:
    if v is None:
        return None
    if isinstance(v, str):
        return (v,)
    if isinstance(v, list | tuple) and v and all(isinstance(c, str) for c in v):
        return tuple(v)
    raise ValueError(f"{name}: expected a column name or a list of column names (one per stage)")


def _populations(df, col: str, parent: np.ndarray, n_par: np.ndarray, stage: int):
    """Population size per parent (stratum, or unit of the stage before) from an fpc column:
    counts, or fractions when every value is <= 1 (R's ``as.fpc``)."""
    require_column(df, col, "fpc")
    pop = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.flatnonzero(~np.isfinite(pop) | (pop <= 0))
    if bad.size:
        raise DataError(
            f"column {col!r}, row {df.index[bad[0]]!r}: population size "
            f"{df[col].iloc[bad[0]]!r} is not a positive number"
        )
    k = n_par.size
    lo = np.full(k, np.inf)
    hi = np.full(k, -np.inf)
    np.minimum.at(lo, parent, pop)
    np.maximum.at(hi, parent, pop)
    varies = np.flatnonzero((lo != hi) & np.isfinite(lo))
    if varies.size:
        where = "stratum" if stage == 1 else f"unit of stage {stage - 1}"
        raise DataError(f"column {col!r}: the population size varies within a {where}")
    return lo


def _stage_scale(n, f, mult, lonely_psu: str, labels, stage: int, cluster: str | None):
    """(scale, centre, labels of the lonely parents) of one stage, as R's ``onestrat``."""
    n = n.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 1, f * n / (n - 1), f) * mult
    scale = np.where(f < 1e-7, 0.0, scale)
    center = np.where(n > 1, 1 / np.maximum(n, 1), 0.0)
    alone = (n == 1) & (f >= 1e-7)
    names = tuple(str(labels[i]) for i in np.flatnonzero(alone))
    if alone.any() and lonely_psu in ("certainty", "remove"):
        scale = np.where(alone, 0.0, scale)
    if alone.any() and lonely_psu == "average" and stage > 1:
        raise DataError(
            f"lonely_psu='average': {len(names)} unit(s) of stage {stage - 1} ({cluster!r}: "
            f"{', '.join(names[:5])}) have a single sampled unit at stage {stage} and nothing "
            "to average over (R's survey gives NaN); choose lonely_psu='adjust', 'certainty' or "
            "'remove'"
        )
    return scale, center, names


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lonely_message(names, stage: int, option: str, parent: str | None = None) -> str:
    shown = ", ".join(names[:10]) + (f" (+{len(names) - 10})" if len(names) > 10 else "")
    if stage > 1:
        shown = f"(unit {shown} of {parent!r})"
    how = {
        "adjust": "contributes its deviation from 0 (R's 'adjust')",
        "average": "gets the average variance of the other strata (R's 'average')",
        "certainty": "contributes no variance (sampled with certainty)",
        "remove": "contributes no variance (R's 'remove')",
    }.get(option, "")
    return (
        f"stratum {shown} has a single PSU at stage {stage}; lonely_psu={option!r}: it {how}. "
        "Choose lonely_psu= 'adjust', 'average', 'certainty', 'remove' or 'fail' (R's "
        "options(survey.lonely.psu=))"
    )


def resolve_design(
    df: pd.DataFrame,
    codebook: Codebook | None,
    *,
    weight: str | None = None,
    strata: str | None = None,
    cluster: str | list[str] | None = None,
    fpc: str | list[str] | None = None,
    lonely_psu: str | None = None,
    repweights: str | list[str] | None = None,
    rep_type: str | None = None,
    rho: float | None = None,
    scale: float | None = None,
    rscales: float | list[float] | None = None,
    mse: bool | None = None,
) -> Design | None:
    """The design of a call: the arguments, else the codebook's ``design:`` block, else None.

    ``cluster`` and ``fpc`` take one column per stage (``cluster=["psu", "ssu"]``,
    ``fpc=["fpc1", "fpc2"]``: population sizes or sampling fractions, as R's ``svydesign``);
    without ``weight`` the weights come from the fpc (``N / n`` per stage). ``lonely_psu``: R's
    ``survey.lonely.psu`` option for a stratum with one PSU ("adjust" by default, with a
    :class:`LonelyPSUWarning` naming the strata; "fail" raises). On the data of a filtered
    :class:`~survey_kit.survey.Survey` the design is the whole data's, restricted to the domain.

    ``repweights`` (columns, or the prefix of their names) make a replicate-weight design (R's
    ``svrepdesign`` with combined weights): ``rep_type`` "BRR", "Fay" (with ``rho``), "JK1",
    "JKn" (with ``rscales``), "bootstrap" or "other", ``scale``, ``rscales`` and ``mse`` as in R.

    Raises :class:`DataError` for blank strata/PSUs, negative weights or an fpc that varies within
    a stratum or is smaller than the sample.
    """
    rep_args = {"rep_type": rep_type, "rho": rho, "scale": scale, "rscales": rscales, "mse": mse}
    if repweights is None and all(v is None for v in rep_args.values()):
        block = getattr(codebook, "design", None) if codebook is not None else None
        if (weight is None and strata is None and cluster is None and fpc is None
                and getattr(block, "repweights", None) is not None):
            repweights = block.repweights
            rep_args = {k: getattr(block, k, None) for k in rep_args}
            weight = block.weight
    if repweights is not None:
        if strata is not None or cluster is not None or fpc is not None:
            raise ValueError(
                "repweights: a replicate-weight design carries strata, clusters and fpc in its "
                "weights; give weight= and the replicate options only"
            )
        dom = domain_of(df)
        if dom is not None:
            d = build_replicate_design(dom.full, weight, repweights, **rep_args)
            return d.restrict(dom.mask)
        return build_replicate_design(df, weight, repweights, **rep_args)
    if any(v is not None for v in rep_args.values()):
        raise ValueError("rep_type, rho, scale, rscales, mse: only with repweights=")
    if weight is not None and not isinstance(weight, str):
        raise ValueError("weight: expected a column name")
    if strata is not None and not isinstance(strata, str):
        raise ValueError("strata: expected a column name")
    clusters, fpcs = _columns(cluster, "cluster"), _columns(fpc, "fpc")
    if weight is None and strata is None and clusters is None and fpcs is None:
        block = getattr(codebook, "design", None) if codebook is not None else None
        if block is None:
            return None
        weight, strata = block.weight, block.strata
        clusters, fpcs = _columns(block.cluster, "cluster"), _columns(block.fpc, "fpc")
        if lonely_psu is None:
            lonely_psu = getattr(block, "lonely_psu", None)
        for name, v in (("weight", weight), ("strata", strata)):
            if v is not None and v not in df.columns:
                raise ValueError(f"codebook design: {name} column {v!r} is not in the data")
        for v in clusters or ():
            if v not in df.columns:
                raise ValueError(f"codebook design: cluster column {v!r} is not in the data")
        if weight is None and strata is None and clusters is None and fpcs is None:
            return None
    lonely_psu = "adjust" if lonely_psu is None else lonely_psu
    if lonely_psu not in LONELY_PSU:
        raise ValueError(f"lonely_psu: expected one of {', '.join(LONELY_PSU)}, got {lonely_psu!r}")
    if fpcs is not None and clusters is not None and len(fpcs) != len(clusters):
        raise ValueError(
            f"fpc: one column per stage: {len(clusters)} cluster column(s) but {len(fpcs)} fpc "
            "column(s)"
        )
    if fpcs is not None and clusters is None and len(fpcs) > 1:
        raise ValueError("fpc: several stages need as many cluster= columns")
    dom = domain_of(df)
    if dom is not None:
        used = [c for c in (weight, strata, *(clusters or ()), *(fpcs or ())) if c is not None]
        if all(c in dom.full.columns for c in used):
            d = _build(dom.full, weight, strata, clusters, fpcs, lonely_psu)
            return d.restrict(dom.mask)
    return _build(df, weight, strata, clusters, fpcs, lonely_psu)


def _build(df, weight, strata, clusters, fpcs, lonely_psu) -> Design:
    n = len(df)
    h, h_lab = _codes(df, strata, "strata") if strata is not None else (
        np.zeros(n, dtype=np.intp), np.array([1]))
    n_strata = int(h.max()) + 1 if n else 1
    if clusters is not None and fpcs is None and len(clusters) > 1:
        clusters = clusters[:1]  # R: without fpc only the first stage enters the variance
    stages = clusters or ()
    # units of every stage, numbered in (stratum, psu, ssu, ...) order
    row_unit: list[np.ndarray] = []
    parents: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    key = h.astype(np.int64)
    for col in stages:
        c, lab = _codes(df, col, "cluster")
        m = int(c.max()) + 1 if n else 1
        uniq, inv = np.unique(key * m + c, return_inverse=True)
        parents.append((uniq // m).astype(np.intp))
        labels.append(lab[uniq % m])
        key = inv.astype(np.int64).ravel()
        row_unit.append(key.astype(np.intp))
    if stages:
        unit_stratum = parents[0]
        n_h = np.bincount(unit_stratum, minlength=n_strata)
        unit = row_unit[-1]
    else:
        unit = h
        unit_stratum = np.arange(n_strata, dtype=np.intp)
        n_h = np.bincount(h, minlength=n_strata)
    # population sizes and sampling fractions per stage (parents: strata, then units)
    f_par: list[np.ndarray] = []
    frac: list[np.ndarray] = []
    n_par: list[np.ndarray] = []
    for k in range(max(len(stages), 1)):
        parent_row = h if k == 0 else row_unit[k - 1]
        cnt = n_h if k == 0 else np.bincount(parents[k], minlength=parents[k - 1].size)
        n_par.append(cnt)
        frac.append(np.zeros(cnt.size))
        if fpcs is None:
            f_par.append(np.ones(cnt.size))
            continue
        pop = _populations(df, fpcs[k], parent_row, cnt, k + 1)
        f_par.append(pop)
    if fpcs is not None:
        allpop = np.concatenate(f_par)
        fraction = bool((allpop <= 1).all())
        if not fraction and (allpop < 1).any():
            raise DataError(
                f"fpc {', '.join(map(repr, fpcs))}: every value must be a population size "
                "(>= 1) or every value a sampling fraction (<= 1), not both"
            )
        for k, pop in enumerate(f_par):
            big = n_par[k] / pop if fraction else pop
            short = np.flatnonzero(big < n_par[k] - 1e-9)
            if short.size:
                s = int(short[0])
                where = f"stratum {h_lab[s]}" if k == 0 else f"unit {labels[k - 1][s]}"
                raise DataError(
                    f"column {fpcs[k]!r}: {where} has {int(n_par[k][s])} sampled units but a "
                    f"population of only {big[s]:g}"
                )
            f_par[k] = np.where(np.isinf(big), 1.0, (big - n_par[k]) / big)
            frac[k] = n_par[k] / big
    # weights: the column, else N / n of every stage from the fpc, else 1
    from_fpc = weight is None and fpcs is not None
    if weight is not None:
        w = weights_of(df, weight)
    elif from_fpc:
        w = np.ones(n)
        for k in range(len(f_par)):
            parent_row = h if k == 0 else row_unit[k - 1]
            w = w / frac[k][parent_row]
    else:
        w = np.ones(n)
    # stage 1 lonely strata; later stages (multi-stage with fpc)
    lonely: tuple[str, ...] = ()
    alone = (n_h == 1) & (f_par[0] >= 1e-7)
    if alone.any():
        lonely = tuple(str(h_lab[i]) for i in np.flatnonzero(alone))
    messages = []
    if lonely:
        messages.append(_lonely_message(lonely, 1, lonely_psu))
    later: list[Stage] = []
    psu_starts = None
    if len(stages) > 1:
        fine = np.arange(parents[-1].size)
        to_fine = [fine]  # per stage k (from the last): finest unit -> unit of stage k
        for k in range(len(stages) - 1, 0, -1):
            to_fine.insert(0, parents[k][to_fine[0]])
        mult_unit = frac[0][parents[0]]  # per PSU: n1 / N1 of its stratum
        for k in range(1, len(stages)):
            cnt = n_par[k]
            scale, center, names = _stage_scale(
                cnt, f_par[k], mult_unit, lonely_psu, labels[k - 1], k + 1, stages[k - 1]
            )
            if names:
                messages.append(_lonely_message(names, k + 1, lonely_psu, stages[k - 1]))
            m = to_fine[k]
            fs = None if k == len(stages) - 1 else np.searchsorted(m, np.arange(parents[k].size))
            later.append(Stage(fs, parents[k], scale, center))
            mult_unit = (mult_unit * frac[k])[parents[k]]
        psu_starts = np.searchsorted(to_fine[0], np.arange(parents[0].size)).astype(np.intp)
    if messages and lonely_psu == "fail":
        raise DataError(_first_upper(messages[0].split(";")[0]) + "; lonely_psu='fail' (R's "
                        "default) stops here. Choose lonely_psu= 'adjust', 'average', "
                        "'certainty' or 'remove'")
    for msg in messages:
        warnings.warn(_first_upper(msg), LonelyPSUWarning, stacklevel=3)
    return Design(
        w=w,
        clustered=bool(stages),
        unit=unit,
        unit_stratum=unit_stratum,
        n_h=n_h,
        f_h=f_par[0],
        weight=weight,
        strata=strata,
        cluster=None if not stages else (stages[0] if len(stages) == 1 else stages),
        fpc=None if fpcs is None else (fpcs[0] if len(fpcs) == 1 else fpcs),
        lonely_psu=lonely_psu,
        psu_starts=psu_starts,
        later=tuple(later),
        lonely=lonely,
        weights_from_fpc=from_fpc,
    )


# -- tables per unit -------------------------------------------------------------------------------
def unit_groups(groups: Groups, d: Design) -> Groups:
    """A :class:`Groups` over unit x group (reused by every item of a call)."""
    key = ("ug", id(groups))
    if key not in d._cache:  # noqa: SLF001
        g1 = groups.n_groups + 1
        idx = d.unit * g1 + groups.index
        d._cache[key] = Groups(idx, [None] * (d.n_units * g1 - 1), [], "design")  # noqa: SLF001
    return d._cache[key]  # noqa: SLF001


def design_weights(d: Design) -> tuple:
    """The weights counted per unit x group x code: None (counts), w, and when rows are the PSUs
    w^2 (second moments) and the positive-weight indicator (only when some weight is 0)."""
    ws: list = [None, d.w]
    if not d.clustered:
        ws.append(d.w2)
    if d.has_zero_weights:
        ws.append(d.wpos)
    return tuple(ws)


def split_tables(tabs: list[np.ndarray], d: Design, g1: int) -> dict[str, np.ndarray | None]:
    """Tables from :func:`~survey_kit.stats._common.tabulate` over :func:`unit_groups`, reshaped
    to (U, g1, k): ``n`` counts, ``t`` weight sums, ``t2`` squared-weight sums (rows as PSUs),
    ``npos`` positive-weight counts."""
    u = d.n_units

    def r(a):
        return a.reshape(u, g1, a.shape[-1])

    out = {"n": r(tabs[0]), "t": r(tabs[1]), "t2": None}
    i = 2
    if not d.clustered:
        out["t2"] = r(tabs[2])
        i = 3
    out["npos"] = r(tabs[i]) if len(tabs) > i else out["n"]
    return out


# -- covariance of cell totals ----------------------------------------------------------------------
def _stage_cov(t, starts, unit_parent, scale, center) -> np.ndarray:
    """One stage: centre each unit at its parent's (stratum's) mean (not for an "adjust"-ed lonely
    unit), scale, cross product. ``t`` (U, B, K) -> (B, K, K)."""
    th = np.add.reduceat(t, starts, axis=0) if t.shape[0] else t
    x = (t - center[unit_parent][:, None, None] * th[unit_parent])
    x = x * np.sqrt(scale[unit_parent])[:, None, None]
    xb = np.ascontiguousarray(x.transpose(1, 0, 2))  # (B, U, K)
    return np.matmul(xb.transpose(0, 2, 1), xb)


def cov_totals(d: Design, t: np.ndarray, t2: np.ndarray | None) -> np.ndarray:
    """Design covariance of cell totals, batched: ``t`` is (U, B, K) unit totals; ``t2`` (rows
    as PSUs only) the within-stratum second moments, (U, B, K) when every row lies in one cell or
    (U, B, K, K). Returns (B, K, K). Multi-stage designs add the variance of every later stage
    (R's ``multistage``)."""
    if d.rep is not None:  # replicate covariance of the totals (exact: they are linear)
        return _design_rep.rep_var(d, t.sum(axis=0), _design_rep.rep_totals(d, t))
    c, center, average = d._lonely_arrays()  # noqa: SLF001
    if d.clustered:
        tp = t
        if d.psu_starts is not None and t.shape[0]:
            tp = np.add.reduceat(t, d.psu_starts, axis=0)
        out = _stage_cov(tp, d.starts, d.unit_stratum, c, center)
        for st in d.later:
            tk = t if st.fine_starts is None else np.add.reduceat(t, st.fine_starts, axis=0)
            out = out + _stage_cov(tk, st.starts, st.unit_parent, st.scale, st.center)
        return out if average is None else _average(out, tp, d, average)
    if t2.ndim == t.ndim:
        diag = np.tensordot(c, t2, axes=1)  # (B, K)
        k = diag.shape[-1]
        s = np.zeros((*diag.shape, k))
        s[:, np.arange(k), np.arange(k)] = diag
    else:
        s = np.tensordot(c, t2, axes=1)
    y = np.ascontiguousarray((t * np.sqrt(c * center)[:, None, None]).transpose(1, 0, 2))
    out = s - np.matmul(y.transpose(0, 2, 1), y)
    return out if average is None else _average(out, t, d, average)


def _average(out: np.ndarray, t: np.ndarray, d: Design, alone: np.ndarray) -> np.ndarray:
    """lonely_psu="average": the variance times strata / strata with more than one PSU, counting
    the strata with rows in each estimate's domain (R's ``onestage`` on ``subset()``)."""
    present = (t != 0).any(axis=2)  # (P or H, B)
    if d.clustered:
        present = np.add.reduceat(present, d.starts, axis=0) > 0
    k = present.sum(axis=0)
    ok = k - (present & alone[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(ok > 0, k / np.maximum(ok, 1), np.nan)
    return out * factor[:, None, None]


def degf(d: Design, counts: np.ndarray) -> np.ndarray:
    """PSUs minus strata among the rows counted in ``counts`` ((U, ...) per unit, e.g. positive-
    weight rows in the base of each estimate): R's ``degf()`` of the domain; for replicate
    weights the rank of the domain's replicate weights minus 1."""
    if d.rep is not None:
        return _design_rep._rep_degf(d, counts)
    if d.clustered:
        if d.psu_starts is not None and counts.shape[0]:
            counts = np.add.reduceat(counts, d.psu_starts, axis=0)
        has = counts > 0
        psu = has.sum(axis=0)
        strata = (np.add.reduceat(has, d.starts, axis=0) > 0).sum(axis=0)
    else:
        psu = counts.sum(axis=0)
        strata = (counts > 0).sum(axis=0)
    return (psu - strata).astype(float)


def domain_stats(
    d: Design, tabs: dict, sel: np.ndarray, values: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Shares (``values`` None) or means of the codes ``values`` per domain, from unit tables.

    ``tabs`` holds (U, D, k) tables of the domains (rows: published groups and the total);
    ``sel`` picks the base columns (answer codes). Returns per domain (x code for shares):
    ``value``, ``se``, ``deff`` (R's ``deff="replace"``), ``df``, ``nrow`` (rows in the base),
    ``wsum``, ``npos`` (rows with a positive weight in the base).
    """
    t = tabs["t"][:, :, sel]
    t2 = None if tabs["t2"] is None else tabs["t2"][:, :, sel]
    k_ = t.shape[2]
    s = cov_totals(d, t, t2) if d.rep is None else np.zeros((t.shape[1], k_, k_))
    tot = t.sum(axis=0)  # (D, k)
    wd = tot.sum(axis=1)  # (D,)
    nrow = tabs["n"][:, :, sel].sum(axis=(0, 2))
    npos = tabs["npos"][:, :, sel]
    nobs = npos.sum(axis=(0, 2))
    df = degf(d, npos.sum(axis=2))
    se_logit = None
    if d.rep is not None:  # every replicate's own ratio (R's svymean on svrepdesign)
        tr = _design_rep.rep_totals(d, t)  # (R, D, k)
        with np.errstate(divide="ignore", invalid="ignore"):
            if values is None:
                p0, pr = tot / wd[:, None], tr / tr.sum(axis=2, keepdims=True)
                v = _design_rep.rep_var(d, p0.reshape(-1, 1), pr.reshape(pr.shape[0], -1, 1))
                var_rep = v[:, 0, 0].reshape(p0.shape)
                lr = spc.logit(pr)
                lg = _design_rep.rep_var(d, spc.logit(p0).reshape(-1, 1),
                                         lr.reshape(pr.shape[0], -1, 1))
                se_logit = np.sqrt(lg[:, 0, 0]).reshape(p0.shape)
                # a replicate share of 0 or 1 has no logit (R's glm does not converge there)
                se_logit = np.where(np.isinf(lr).any(axis=0), np.nan, se_logit)
            else:
                m0, mr = tot @ values / wd, tr @ values / tr.sum(axis=2)
                var_rep = _design_rep.rep_var(d, m0[:, None], mr[:, :, None])[:, 0, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        if values is None:
            p = tot / wd[:, None]
            rs = s.sum(axis=2)
            all_ = s.sum(axis=(1, 2))
            diag = np.diagonal(s, axis1=1, axis2=2)
            var = (diag - 2 * p * rs + p**2 * all_[:, None]) / wd[:, None] ** 2
            popvar = p * (1 - p)
        else:
            m = tot @ values / wd
            j = values[None, :] - m[:, None]  # (D, k)
            var = np.einsum("dk,dkl,dl->d", j, s, j) / wd**2
            p = m
            popvar = (tot * j**2).sum(axis=1) / wd
        if d.rep is not None:
            var = var_rep
        n_ = nobs if values is not None else nobs[:, None]
        vsrs = popvar * n_ / (n_ - 1) / n_
        se = np.sqrt(np.maximum(var, 0))
        deff = np.where(vsrs > 0, var / vsrs, np.nan)
    out = {"value": p, "se": se, "deff": deff, "df": df, "nrow": nrow, "wsum": wd, "npos": nobs}
    if se_logit is not None:
        out["se_logit"] = se_logit  # svyciprop "logit" on replicates: the SE of logit(p)
    return out


def domain_tables(tabs: dict, groups: Groups) -> dict:
    """Unit tables (U, g1, k) -> (U, D, k) with the published domains: each group, then the total
    over every row (also rows in no group); unchanged without ``by``."""
    if groups.by is None:
        return tabs

    def dom(a):
        if a is None:
            return None
        return np.concatenate([a[:, :-1], a.sum(axis=1, keepdims=True)], axis=1)

    return {k: dom(v) for k, v in tabs.items()}


def tabulate_design(df: pd.DataFrame, spec, groups: Groups, d: Design):
    """:func:`~survey_kit.stats._common.tabulate` per unit: (spec, tables of :func:`split_tables`)."""
    from survey_kit.stats._common import tabulate

    spec, tabs = tabulate(df, spec, unit_groups(groups, d), design_weights(d))
    return spec, split_tables(tabs, d, groups.n_groups + 1)



# -- replicate-weight designs (the variance in _design_rep) ---------------------------------------
def build_replicate_design(df, weight, repweights, *, rep_type=None, rho=None, scale=None,
                           rscales=None, mse=None) -> Design:
    """A replicate-weight design (R's ``svrepdesign(..., combined.weights=TRUE)``)."""
    cols = _design_rep._rep_columns(df, repweights)
    r = len(cols)
    if rep_type not in REP_TYPES:
        raise ValueError(
            f"rep_type: expected one of {', '.join(REP_TYPES)} for the replicate weights, "
            f"got {rep_type!r}"
        )
    if r < 2:
        raise ValueError(f"repweights: {r} replicate column; a replicate design needs at least 2")
    if rep_type == "Fay" and rho is None:
        raise ValueError("rho: rep_type='Fay' needs Fay's rho (e.g. rho=0.5)")
    if rho is not None and rep_type != "Fay":
        raise ValueError(f"rho: only rep_type='Fay' uses rho, not {rep_type!r}")
    if rep_type == "JKn" and rscales is None:
        raise ValueError("rscales: rep_type='JKn' needs rscales ((n_h - 1) / n_h per replicate)")
    if rep_type in ("BRR", "Fay") and scale is not None:
        raise ValueError(f"scale: rep_type={rep_type!r} sets the scale itself")
    if rep_type == "BRR":
        scale = 1 / r
    elif rep_type == "Fay":
        scale = 1 / (r * (1 - float(rho)) ** 2)
    elif rep_type == "bootstrap" and scale is None:
        scale = 1 / (r - 1)
    elif rep_type == "JK1" and scale is None:
        scale = (r - 1) / r  # R: guessing n = the number of replicates
    elif scale is None:
        scale = 1.0
    if rscales is None:
        rs = np.ones(r)
    else:
        rs = np.broadcast_to(np.asarray(rscales, dtype=float), (r,)).copy() if np.ndim(
            rscales) == 0 or len(np.atleast_1d(rscales)) == r else None
        if rs is None:
            raise ValueError(f"rscales: {len(rscales)} values for {r} replicate columns")
    n = len(df)
    w = weights_of(df, weight) if weight is not None else np.ones(n)
    # the factors of every row, hashed twice in one pass over column chunks (the data may be
    # large): rows with equal first hashes form a unit, the second hash confirms it
    rng = np.random.default_rng(20251207)
    key = np.zeros(n)
    check = np.zeros(n)
    chunk = max(1, 4_000_000 // max(n, 1))
    pos = w > 0
    for j in range(0, r, chunk):
        block = np.round(_design_rep._rep_block(df, cols[j : j + chunk], w, pos), 12)
        g1, g2 = rng.standard_normal(block.shape[1]), rng.standard_normal(block.shape[1])
        for c in range(block.shape[1]):  # column by column: equal rows, bit-equal sums
            key += block[:, c] * g1[c]
            check += block[:, c] * g2[c]
    codes, _ = pd.factorize(key)
    unit = codes.astype(np.intp)
    u = int(unit.max()) + 1 if n else 0
    first = np.full(u, n, dtype=np.intp)
    np.minimum.at(first, unit, np.arange(n))
    if (check != check[first][unit]).any():
        raise DataError("repweights: two rows share a hash but not their replicate factors")
    a = _design_rep._rep_block(df.iloc[first], cols, w[first], pos[first])
    rep = Replicates(a=a, scale=float(scale), rscales=rs, mse=bool(mse), rep_type=rep_type,
                     columns=tuple(cols), degf=np.nan)
    d = Design(
        w=w, clustered=True, unit=unit, unit_stratum=np.zeros(u, dtype=np.intp),
        n_h=np.array([u]), f_h=np.ones(1), weight=weight, rep=rep,
    )
    present = np.zeros(u, dtype=bool)
    present[unit[pos]] = True
    rep.degf = float(_design_rep._rank_present(d, present) - 1)
    return d
