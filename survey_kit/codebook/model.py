"""The instrument model: a codebook says what a survey asked and how its answers are coded.

A codebook is data (YAML, see ``instruments/*.yaml``); this module turns it into frozen
objects and refuses a bad one with an error that names the field.

Data conventions that every stage relies on
-------------------------------------------
* One row per respondent (per wave, for a panel), one column per *data column*.
* ``likert`` / ``single`` items: one column named ``item.code`` holding integer answer codes.
  Declared missing codes (``Ved ikke``) stay in the data as codes; statistics leave them out of
  the base and count them (``n_dont_know``). A blank answer is NA.
* ``multiple`` items: one 0/1 column per option, ``f"{code}_{option}"`` (as SurveyXact exports).
* ``ranking`` items: one column per option, ``f"{code}_{option}"``, holding the rank given to the
  option (1 = first) or NA when unranked.
* ``number`` items: a numeric column; ``date`` items: a datetime column; ``text``: a string column.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from survey_kit.errors import DataError

ItemType = Literal["likert", "single", "multiple", "ranking", "number", "date", "text"]
CATEGORICAL_TYPES = ("likert", "single")
DEFAULT_MIN_N = 5


class CodebookError(DataError):
    """A codebook that cannot be used; the message names the file and the field."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Condition(_Frozen):
    """Skip logic: the item is asked only when ``item`` holds one of ``codes``."""

    item: str
    codes: tuple[int, ...]


class RespondentId(_Frozen):
    """The respondent id column. ``personal`` ids are replaced by a keyed hash on ingest."""

    column: str
    personal: bool = False


class Source(_Frozen):
    """Where one round's export holds an item: its column name and/or its question text."""

    column: str | None = None
    text: str | None = None


class Recode(_Frozen):
    """A round whose codes differ from the codebook's: ``codes`` maps that round's code to the
    codebook's (``null``: no comparable answer). ``comparison``: ``bridged`` (the recoded answers
    compare with the other rounds: a unit merged, a label reworded) or ``broken`` (the scale
    changed: the round is shown but never compared with the others); ``note`` says why."""

    codes: dict[int, int | None] = Field(default_factory=dict)
    comparison: Literal["bridged", "broken"] = "bridged"
    note: str = ""
    labels: dict[int, str] = Field(default_factory=dict, description="the round's labels of its own codes")

    @field_validator("codes", mode="before")
    @classmethod
    def _int_codes(cls, v: Any) -> Any:
        if isinstance(v, Mapping):
            return {int(k): (None if x is None else int(x)) for k, x in v.items()}
        return v

    @field_validator("labels", mode="before")
    @classmethod
    def _int_labels(cls, v: Any) -> Any:
        return {int(k): str(x) for k, x in v.items()} if isinstance(v, Mapping) else v


class Item(_Frozen):
    """One question of the instrument."""

    code: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    text: str = Field(min_length=1, description="Danish question text as asked")
    label: str = Field(min_length=1, description="Short Danish label for tables and charts")
    type: ItemType
    values: dict[int, str] = Field(default_factory=dict, description="code -> label")
    missing: dict[int, str] = Field(
        default_factory=dict, description="codes that are answers outside the base (Ved ikke)"
    )
    positive: tuple[int, ...] = Field(
        default=(), description="codes that count as the positive share (e.g. Helt + Overvejende enig)"
    )
    reverse: bool = False
    scale: str | None = None
    min_n: int | None = Field(default=None, ge=1)
    ask_if: Condition | None = None
    range: tuple[float, float] | None = None
    date_range: tuple[date, date] | None = None
    k: int | None = Field(default=None, ge=1, description="ranking: how many places are ranked")
    group: bool = Field(default=False, description="a background/grouping variable")
    parent: dict[int, int] = Field(
        default_factory=dict,
        description="hierarchy: code -> code of the enclosing group (unit -> area)",
    )
    # recurring surveys: keys are wave labels ("2008/09") or codes (see Codebook.wave)
    sources: dict[str, Source] = Field(
        default_factory=dict, description="per wave: the export's column name or question text"
    )
    waves: tuple[str, ...] | None = Field(
        default=None, description="the waves that asked the item (default every wave)"
    )
    recode: dict[str, Recode] = Field(
        default_factory=dict, description="per wave: that round's codes -> the codebook's"
    )

    @field_validator("sources", "recode", mode="before")
    @classmethod
    def _wave_keys(cls, v: Any) -> Any:
        return {str(k): x for k, x in v.items()} if isinstance(v, Mapping) else v

    @field_validator("waves", mode="before")
    @classmethod
    def _wave_list(cls, v: Any) -> Any:
        return tuple(str(x) for x in v) if isinstance(v, list | tuple) else v

    @field_validator("parent", mode="before")
    @classmethod
    def _parent_int(cls, v: Any) -> Any:
        return {int(k): int(x) for k, x in v.items()} if isinstance(v, Mapping) else v

    @field_validator("values", "missing", mode="before")
    @classmethod
    def _int_keys(cls, v: Any) -> Any:
        if v is None:
            return {}
        if isinstance(v, Mapping):
            out = {}
            for key, label in v.items():
                try:
                    out[int(key)] = str(label)
                except (TypeError, ValueError):
                    raise ValueError(f"code {key!r} is not an integer") from None
            return out
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if self.type in ("likert", "single", "multiple", "ranking") and not self.values:
            raise ValueError(f"item {self.code!r} of type {self.type} needs 'values'")
        overlap = set(self.values) & set(self.missing)
        if overlap:
            raise ValueError(
                f"item {self.code!r}: codes {sorted(overlap)} are both in 'values' and 'missing'"
            )
        bad = [c for c in self.positive if c not in self.values]
        if bad:
            raise ValueError(f"item {self.code!r}: 'positive' codes {bad} are not in 'values'")
        if self.reverse and self.type != "likert":
            raise ValueError(f"item {self.code!r}: 'reverse' applies to likert items only")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"item {self.code!r}: 'range' lower bound exceeds upper bound")
        if self.type == "ranking" and self.k is None:
            raise ValueError(f"item {self.code!r}: a ranking item needs 'k'")
        return self

    # -- derived -------------------------------------------------------------------------
    @property
    def columns(self) -> list[str]:
        """The data columns that hold this item's answers."""
        if self.type in ("multiple", "ranking"):
            return [f"{self.code}_{opt}" for opt in self.values]
        return [self.code]

    @property
    def labels(self) -> dict[int, str]:
        """All labelled codes, answers and missing codes alike."""
        return {**self.values, **self.missing}

    @property
    def allowed_codes(self) -> list[int]:
        return sorted(self.labels)

    @property
    def is_categorical(self) -> bool:
        return self.type in CATEGORICAL_TYPES

    def option_label(self, column: str) -> str:
        """Label of one option column of a multiple/ranking item."""
        opt = int(column.rsplit("_", 1)[1])
        return self.values[opt]


class Scale(_Frozen):
    """An index: the mean of its items after reverse scoring."""

    code: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    label: str
    items: tuple[str, ...] = Field(min_length=1)
    min_items: int | None = Field(default=None, ge=1, description="answers needed for a score")
    min_n: int | None = Field(default=None, ge=1)


class Wave(_Frozen):
    """Which column tells the wave, and the waves in order."""

    column: str
    labels: dict[int, str]

    @field_validator("labels", mode="before")
    @classmethod
    def _int_keys(cls, v: Any) -> Any:
        return {int(k): str(x) for k, x in v.items()} if isinstance(v, Mapping) else v


class Design(_Frozen):
    """The sampling design: columns of the processed data holding the design variables.

    ``weight``: sampling (or analysis) weight (default: ``N / n`` of every stage from ``fpc``);
    ``strata``: stratum; ``cluster``: primary sampling unit (ids may repeat across strata), or a
    list with one column per stage (``[psu, ssu]``); ``fpc``: population size of the stratum
    (number of PSUs, or of respondents when there is no cluster) or the sampling fraction, a list
    with one column per stage for several stages; ``lonely_psu``: how a stratum with one PSU
    enters the variance (R's ``survey.lonely.psu``). Statistics use it unless a call overrides it.
    """

    weight: str | None = None
    strata: str | None = None
    cluster: str | tuple[str, ...] | None = None
    fpc: str | tuple[str, ...] | None = None
    lonely_psu: Literal["adjust", "average", "certainty", "remove", "fail"] | None = None
    # replicate weights (R's svrepdesign): the columns, or the prefix of their names
    repweights: str | tuple[str, ...] | None = None
    rep_type: Literal["BRR", "Fay", "JK1", "JKn", "bootstrap", "other"] | None = None
    rho: float | None = None
    scale: float | None = None
    rscales: float | tuple[float, ...] | None = None
    mse: bool | None = None

    @property
    def columns(self) -> list[str]:
        """The design's columns (replicate weights given by a prefix are not listed)."""
        out: list[str] = []
        rep = self.repweights if isinstance(self.repweights, tuple) else None
        for c in (self.weight, self.strata, self.cluster, self.fpc, rep):
            if isinstance(c, str):
                out.append(c)
            elif c is not None:
                out.extend(c)
        return out


class Codebook(_Frozen):
    """A survey instrument: id, version, respondent id, items, groups and scales."""

    instrument: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: str
    title: str
    description: str = ""
    source: str = ""
    respondent_id: RespondentId
    min_n: int = Field(default=DEFAULT_MIN_N, ge=1)
    period: tuple[date, date] | None = None
    wave: Wave | None = None
    panel_key: RespondentId | None = Field(
        default=None, description="column linking a respondent's waves (pre/post panel)"
    )
    hierarchy: tuple[str, ...] = Field(
        default=(), description="grouping items from largest to smallest unit (area, unit)"
    )
    population: dict[str, dict[int, int]] = Field(
        default_factory=dict, description="group item -> code -> population size (census/FPC)"
    )
    items: tuple[Item, ...] = Field(min_length=1)
    scales: tuple[Scale, ...] = ()
    design: Design | None = Field(
        default=None, description="sampling design columns (weight, strata, cluster, fpc)"
    )

    @field_validator("version", mode="before")
    @classmethod
    def _version_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | float) else v

    @field_validator("population", mode="before")
    @classmethod
    def _pop_int_keys(cls, v: Any) -> Any:
        if isinstance(v, Mapping):
            return {g: {int(k): int(n) for k, n in m.items()} for g, m in v.items()}
        return v

    @model_validator(mode="after")
    def _references(self) -> Codebook:
        codes = [it.code for it in self.items]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"item codes {dup} appear more than once")
        known = set(codes)
        scale_codes = {s.code for s in self.scales}
        for it in self.items:
            if it.scale is not None and it.scale not in scale_codes:
                raise ValueError(f"item {it.code!r}: scale {it.scale!r} is not declared in 'scales'")
            if it.ask_if is not None and it.ask_if.item not in known:
                raise ValueError(f"item {it.code!r}: ask_if refers to unknown item {it.ask_if.item!r}")
        by_code = {it.code: it for it in self.items}
        for s in self.scales:
            for c in s.items:
                if c not in known:
                    raise ValueError(f"scale {s.code!r}: item {c!r} is not declared in 'items'")
                if by_code[c].type not in ("likert", "number"):
                    raise ValueError(f"scale {s.code!r}: item {c!r} is not a likert or number item")
        for g in self.hierarchy:
            if g not in known:
                raise ValueError(f"hierarchy: {g!r} is not declared in 'items'")
        for upper, lower in zip(self.hierarchy, self.hierarchy[1:], strict=False):
            parent = by_code[lower].parent
            missing = sorted(set(by_code[lower].values) - set(parent))
            if missing:
                raise ValueError(f"items.{lower}.parent: codes {missing} have no parent in {upper!r}")
            orphans = sorted(set(parent.values()) - set(by_code[upper].values))
            if orphans:
                raise ValueError(f"items.{lower}.parent: {orphans} are not codes of {upper!r}")
        for g in self.population:
            if g not in known:
                raise ValueError(f"population: {g!r} is not declared in 'items'")
        self._check_wave_fields()
        return self

    def _check_wave_fields(self) -> None:
        """``sources``, ``waves`` and ``recode`` name waves of ``wave.labels`` (a recoded code that is
        not a code of the item is reported by validation like any impossible code)."""
        for it in self.items:
            keys = [*it.sources, *(it.waves or ()), *it.recode]
            if not keys:
                continue
            if self.wave is None:
                raise ValueError(f"item {it.code!r}: sources/waves/recode need a 'wave' block")
            for k in keys:
                if self.wave_code(k) is None:
                    known = ", ".join(self.wave.labels.values())
                    raise ValueError(f"item {it.code!r}: wave {k!r} is not one of the waves ({known})")

    # -- look-ups --------------------------------------------------------------------------
    @cached_property
    def _by_code(self) -> dict[str, Item]:
        return {it.code: it for it in self.items}

    def __getitem__(self, code: str) -> Item:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"{self.instrument}: no item {code!r}") from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def item_for_column(self, column: str) -> Item | None:
        """The item that owns a data column (``s_11_3`` -> item ``s_11``)."""
        if column in self._by_code:
            return self._by_code[column]
        base = column.rsplit("_", 1)[0]
        it = self._by_code.get(base)
        if it is not None and column in it.columns:
            return it
        return None

    @property
    def groups(self) -> list[Item]:
        return [it for it in self.items if it.group]

    @property
    def data_columns(self) -> list[str]:
        """Every column the processed data holds, in codebook order."""
        cols = [self.respondent_id.column]
        if self.wave is not None and self.wave.column not in self._by_code:
            cols.append(self.wave.column)
        if self.panel_key and self.panel_key.column not in cols:
            cols.append(self.panel_key.column)
        for it in self.items:
            cols.extend(it.columns)
        return cols

    def design_roles(self, columns=None) -> dict[str, str]:
        """The columns of the ``design:`` block that are not item, id, panel or wave columns (ingest
        keeps them in the processed data): column -> role (``weight``, ``strata``, ``cluster``,
        ``fpc``, ``repweights``). Replicate weights given by a prefix are the ``columns`` whose
        names start with it (without ``columns``: the prefix, role ``repweights_prefix``)."""
        block = self.design
        if block is None:
            return {}
        taken = set(self.data_columns)
        roles: dict[str, str] = {}
        for role in ("weight", "strata", "cluster", "fpc", "repweights"):
            value = getattr(block, role)
            if value is None:
                continue
            if role == "repweights" and isinstance(value, str):
                if columns is None:
                    roles[value] = "repweights_prefix"
                    continue
                names = [str(c) for c in columns if str(c).startswith(value)] or [value]
            else:
                names = [value] if isinstance(value, str) else list(value)
            for c in names:
                if c not in taken:
                    roles.setdefault(c, role)
        return roles

    # -- waves of a recurring survey ---------------------------------------------------------------
    def wave_code(self, wave: object) -> int | None:
        """The code of a wave given by label ("2008/09") or code (2, "2"); None when unknown."""
        if self.wave is None or wave is None:
            return None
        labels = self.wave.labels
        for code, label in labels.items():
            if str(wave).strip() == label:
                return code
        try:
            code = int(str(wave).strip())
        except ValueError:
            return None
        return code if code in labels else None

    def _per_wave(self, mapping: Mapping[str, Any], wave: int) -> Any:
        for k, v in mapping.items():
            if self.wave_code(k) == wave:
                return v
        return None

    def source_for(self, code: str, wave: int) -> Source | None:
        """Where wave ``wave``'s export holds item ``code`` (None: as the codebook names it)."""
        return self._per_wave(self[code].sources, wave)

    def recode_for(self, code: str, wave: int) -> Recode | None:
        """The recode of item ``code`` for wave ``wave`` (None: the codebook's codes)."""
        return self._per_wave(self[code].recode, wave)

    def asked_in(self, code: str, wave: int) -> bool:
        """True when wave ``wave`` asked item ``code`` (``waves:`` absent: every wave)."""
        waves = self[code].waves
        return waves is None or any(self.wave_code(w) == wave for w in waves)

    def broken_waves(self, code: str) -> list[int]:
        """Waves of item ``code`` (or of any item of scale ``code``) whose answers are not
        comparable with the others (``recode`` with ``comparison: broken``)."""
        codes = list(self.scale(code).items) if code not in self and code in {s.code for s in self.scales} else [code]
        out = {self.wave_code(k) for c in codes for k, r in self[c].recode.items() if r.comparison == "broken"}
        return sorted(w for w in out if w is not None)

    def scale(self, code: str) -> Scale:
        for s in self.scales:
            if s.code == code:
                return s
        raise KeyError(f"{self.instrument}: no scale {code!r}")

    def min_n_for(self, code: str | None = None) -> int:
        """The minimum number of respondents for an item or scale (never below the survey's)."""
        if code is None:
            return self.min_n
        own = None
        if code in self._by_code:
            own = self._by_code[code].min_n
        else:
            for s in self.scales:
                if s.code == code:
                    own = s.min_n
                    if own is None:  # a scale is as strict as its strictest item
                        own = max((self._by_code[c].min_n or 0) for c in s.items) or None
        return max(self.min_n, own or 0)

    def to_yaml(self) -> str:
        data = self.model_dump(mode="json", exclude_defaults=True)
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)

    def _repr_html_(self) -> str:  # JupyterLab: the items as a table
        from survey_kit._reprs import codebook_html

        return codebook_html(self)


def _format_errors(err: ValidationError, data: Mapping[str, Any]) -> str:
    lines = []
    for e in err.errors():
        loc = list(e["loc"])
        parts: list[str] = []
        node: Any = data
        for step in loc:
            if isinstance(step, int) and isinstance(node, list) and step < len(node):
                node = node[step]
                code = node.get("code") if isinstance(node, Mapping) else None
                parts[-1] = f"{parts[-1]}[{step}]" + (f" (code {code!r})" if code else "")
                continue
            parts.append(str(step))
            node = node.get(step) if isinstance(node, Mapping) else None
        field = ".".join(parts) or "codebook"
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"field {field}: {msg}")
    return "; ".join(lines)


def parse_codebook(data: Mapping[str, Any], *, source: str = "<codebook>") -> Codebook:
    """Build a :class:`Codebook` from plain data, raising :class:`CodebookError` naming the field."""
    if not isinstance(data, Mapping):
        raise CodebookError(f"{source}: a codebook must be a mapping, got {type(data).__name__}",
                            da=f"{source}: en kodebog skal være en YAML-mapping, ikke {type(data).__name__}")
    # keys starting with "x-" hold YAML anchors (shared value sets) and are not part of the model
    data = {k: v for k, v in data.items() if not str(k).startswith("x-")}
    try:
        return Codebook.model_validate(data)
    except ValidationError as err:
        detail = _format_errors(err, data)
        raise CodebookError(f"{source}: {detail}", da=f"{source}: kodebogen er ugyldig: {detail}") from None


def load_codebook(path: str | Path) -> Codebook:
    """Read a codebook YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except IsADirectoryError:
        raise CodebookError(f"{path}: is a folder, not a codebook file", da=f"{path}: er en mappe, ikke en kodebogsfil") from None
    except FileNotFoundError:
        raise CodebookError(f"{path}: codebook file not found", da=f"{path}: kodebogsfilen findes ikke") from None
    except UnicodeDecodeError:
        raise CodebookError(f"{path}: codebook is not UTF-8 text", da=f"{path}: kodebogen er ikke UTF-8-tekst") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise CodebookError(f"{path}: not valid YAML ({err})", da=f"{path}: ikke gyldig YAML ({err})") from None
    return parse_codebook(data, source=str(path))
