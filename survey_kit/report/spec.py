"""A report specification as data: what an analyst decides about a recurring report.

A :class:`ReportSpec` is YAML the analyst can edit (``survey-kit spec draft``): the title, the noun
for respondents, the sections in order and, per section, which items, which statistic, which
breakdowns, which chart, whether a table is shown and which key findings to state. Waves, the panel
key and the hierarchy come from the codebook. :func:`default_spec` drafts a sensible report from
any codebook; :func:`load_spec` checks a file like a codebook (an error names the field).

>>> from survey_kit.codebook import instrument
>>> spec = default_spec(instrument("temperaturmaaling"))
>>> [s.kind for s in spec.sections][:3]
['findings', 'response', 'waves']
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from survey_kit.codebook.model import Codebook, CodebookError, Item, _format_errors

SectionKind = Literal[
    "findings",  # key findings: sentences from every section + named findings functions
    "response",  # data basis: answers, response rate, panel attrition
    "items",  # a set of items: distribution / share / mean, breakdowns, chart, table
    "scales",  # indices of scales: mean per scale, Cronbach's alpha, breakdowns (heatmap)
    "waves",  # current wave against the previous one
    "panel",  # paired pre/post comparison with attrition
    "ranking",  # first place and top-k shares of a ranking item
    "benchmark",  # the report's group beside its parent level and the whole
    "gap",  # two item sets rated on one scale: today vs needed (competence gap)
    "comments",  # masked free-text answers
    "method",  # method section generated from what was done
    "trend",  # every round on one chart: n, change since the previous and the first, trend test
]
Stat = Literal["share", "mean", "distribution"]
Chart = Literal["likert", "share_bars", "dumbbell", "heatmap", "ranking", "prepost", "gap", "none"]


class SpecError(CodebookError):
    """A report specification that cannot be used; the message names the field."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Select(_Frozen):
    """Which items a section is about; the conditions combine (all must hold)."""

    codes: tuple[str, ...] | None = Field(default=None, description="item or scale codes, in order")
    scale: str | None = Field(default=None, description="the items of one scale")
    type: str | None = Field(default=None, description="every item of this type, e.g. likert")
    group: bool | None = Field(default=None, description="items marked as background/group")
    values: tuple[str, ...] | None = Field(
        default=None, description="a battery: items whose answer labels are exactly these"
    )


class CommentOptions(_Frozen):
    """Which comments a ``comments`` section shows: all (``limit: null``) or a seeded random sample
    of ``limit`` spread over the groups; shown by group or in random order."""

    limit: int | None = Field(default=15, ge=1, description="how many to show; null: all")
    order: Literal["group", "random"] = Field(default="group", description="group: by group, then text")
    seed: int = Field(default=0, ge=0, description="seed of the random sample")


class Section(_Frozen):
    """One section of a report."""

    kind: SectionKind
    heading: str = ""
    intro: str = ""
    items: Select | None = None
    stat: Stat | None = None
    positive: tuple[int, ...] | None = Field(default=None, description="codes counted as positive")
    by: tuple[str, ...] = Field(
        default=(),
        description="breakdowns: group variables, or 'next_level' (the hierarchy level below the report's)",
    )
    chart: Chart | None = None
    table: bool = True
    findings: tuple[str, ...] = Field(default=(), description="named findings functions")
    pair: tuple[str, ...] | None = Field(
        default=None, description="gap: the second item set (needed), paired with items in order"
    )
    size: Literal["full", "half"] = "full"
    limit: int = Field(default=15, ge=1, description="comments: how many to show (see also comments)")
    comments: CommentOptions | None = Field(
        default=None, description="comments: {limit, order, seed}; limit null shows all")


class ReportSpec(_Frozen):
    """What a report holds. ``instrument`` ties it to a codebook."""

    instrument: str
    title: str
    subtitle: str = ""
    noun: str = Field(default="respondenter", description="plural noun for respondents")
    whole: str = Field(default="Hele organisationen", description="the name of the whole in comparisons")
    min_n: int | None = Field(default=None, ge=1, description="stricter minimum than the codebook's")
    sections: tuple[Section, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_of_each(self) -> ReportSpec:
        for kind in ("findings", "method"):
            if sum(s.kind == kind for s in self.sections) > 1:
                raise ValueError(f"only one section of kind {kind!r} is allowed")
        return self

    def to_yaml(self) -> str:
        data = self.model_dump(mode="json", exclude_defaults=True)
        head = (
            f"# Rapportspecifikation for {self.instrument}: rediger og brug med\n"
            "#   survey-kit report --codebook CODEBOOK --data DATA --spec DENNE_FIL\n"
        )
        return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# -- checking against a codebook ---------------------------------------------------------------
def _field(i: int, name: str) -> str:
    return f"sections[{i}].{name}"


def check_spec(spec: ReportSpec, codebook: Codebook, *, source: str = "<spec>") -> ReportSpec:
    """Check that every code, scale, breakdown and findings function a spec names exists."""
    from survey_kit.report.findings import FINDINGS

    problems: list[str] = []
    if spec.instrument != codebook.instrument:
        problems.append(
            f"field instrument: {spec.instrument!r} does not match the codebook ({codebook.instrument!r})"
        )
    scales = {s.code for s in codebook.scales}
    for i, sec in enumerate(spec.sections):
        sel = sec.items
        if sel is not None:
            for code in sel.codes or ():
                if code not in codebook and code not in scales:
                    problems.append(f"field {_field(i, 'items.codes')}: no item or scale {code!r}")
            if sel.scale is not None and sel.scale not in scales:
                problems.append(f"field {_field(i, 'items.scale')}: no scale {sel.scale!r}")
        for code in sec.pair or ():
            if code not in codebook:
                problems.append(f"field {_field(i, 'pair')}: no item {code!r}")
        for by in sec.by:
            if by != "next_level" and (by not in codebook or not codebook[by].is_categorical):
                problems.append(f"field {_field(i, 'by')}: {by!r} is not a categorical item")
        for name in sec.findings:
            if name not in FINDINGS:
                problems.append(
                    f"field {_field(i, 'findings')}: unknown findings function {name!r} "
                    f"(known: {', '.join(sorted(FINDINGS))})"
                )
        if sec.kind in ("items", "scales", "gap", "ranking", "comments") and sel is None:
            problems.append(f"field {_field(i, 'items')}: a {sec.kind!r} section needs items")
        if sec.kind == "gap" and not sec.pair:
            problems.append(f"field {_field(i, 'pair')}: a 'gap' section needs pair (the needed level)")
        if sec.kind in ("waves", "trend") and codebook.wave is None:
            problems.append(f"field {_field(i, 'kind')}: {sec.kind!r} needs a wave in the codebook")
        if sec.kind == "panel" and (codebook.panel_key is None or codebook.wave is None):
            problems.append(f"field {_field(i, 'kind')}: 'panel' needs a panel key and waves")
    if problems:
        raise SpecError(f"{source}: " + "; ".join(problems))
    return spec


def parse_spec(data: Mapping[str, Any], codebook: Codebook, *, source: str = "<spec>") -> ReportSpec:
    """Build and check a spec from plain data; errors name the field."""
    if not isinstance(data, Mapping):
        raise SpecError(f"{source}: a report spec must be a mapping, got {type(data).__name__}")
    data = {k: v for k, v in data.items() if not str(k).startswith("x-")}
    try:
        spec = ReportSpec.model_validate(data)
    except ValidationError as err:
        raise SpecError(f"{source}: {_format_errors(err, data)}") from None
    return check_spec(spec, codebook, source=source)


def load_spec(path: str | Path, codebook: Codebook) -> ReportSpec:
    """Read a report spec (YAML) and check it against ``codebook``."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"{path}: filen findes ikke") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (linje {mark.line + 1})" if mark is not None else ""
        raise SpecError(f"{path}: ikke gyldig YAML{where}") from None
    return parse_spec(raw or {}, codebook, source=str(path))


def shipped_spec_path(codebook: Codebook) -> Path | None:
    """The spec shipped beside a shipped instrument's codebook (``<instrument>.report.yaml``)."""
    from importlib import resources

    p = resources.files("survey_kit.codebook") / "instruments" / f"{codebook.instrument}.report.yaml"
    return Path(str(p)) if p.is_file() else None


def spec_for(codebook: Codebook, spec: ReportSpec | str | Path | None = None) -> ReportSpec:
    """The spec to use: the one given, else the one shipped with the instrument, else the default."""
    if isinstance(spec, ReportSpec):
        return check_spec(spec, codebook)
    if spec is not None:
        return load_spec(spec, codebook)
    shipped = shipped_spec_path(codebook)
    if shipped is not None:
        return load_spec(shipped, codebook)
    return default_spec(codebook)


# -- the default spec --------------------------------------------------------------------------
def _noun(codebook: Codebook) -> str:
    text = f"{codebook.title} {codebook.description}".lower()
    if "leder" in text.replace("ledere", "leder") and "medarbejder" in text:
        return "medarbejdere og ledere"
    for word, noun in (("leder", "ledere"), ("medarbejder", "medarbejdere"), ("elev", "elever"),
                       ("borger", "borgere"), ("ansat", "medarbejdere")):
        if word in text:
            return noun
    return "respondenter"


def _batteries(items: list[Item]) -> list[list[Item]]:
    """Consecutive likert items outside scales with the same answer labels and one question form a
    battery: the same code prefix (``up_01``, ``up_02``; not a bare question number such as ``q5``,
    ``s_3``) or the same question text before the part that differs ("Hvor enig er du i …? -
    Jeg …"), or, for texts with no such lead-in, the same first words ("Wie oft nutzen …", "Wie oft
    lesen …"). Two questions on one answer scale ("Hvor enig …" then "Hva synes du om matematikk …")
    are two batteries."""
    out: list[list[Item]] = []
    for it in items:
        prev = out[-1][-1] if out else None
        if prev is not None and tuple(prev.values.values()) == tuple(it.values.values()) and _one_question(prev, it):
            out[-1].append(it)
        else:
            out.append([it])
    return out


def _code_prefix(code: str) -> str | None:
    """A code's stem before its item number ("up_01" -> "up", "b_7_1" -> "b_7", "mast3" -> "mast");
    None for a bare question number ("q5", "Q12", "s_3": one letter) or a code without a number."""
    import re

    m = re.match(r"^(?P<stem>.*?[A-Za-z0-9])_?\d+$", code)
    if m is None:
        return None
    stem = m.group("stem")
    return None if re.fullmatch(r"[A-Za-z]", stem) else stem


def _question_stem(text: str) -> str | None:
    """The question before the part an item adds ("Hvor enig er du i følgende utsagn?  - Jeg er
    ..." -> "Hvor enig er du i følgende utsagn?"), or None when the text has no such lead-in."""
    import re

    plain = " ".join(re.sub(r"<[^>]+>", "", text).split())
    m = re.search(r"\?\s|:\s|\s[-–]\s", plain)
    return plain[:m.start() + 1].strip(" -–:") if m and m.end() < len(plain) else None


def _one_question(a: Item, b: Item) -> bool:
    """Whether two neighbouring items belong to one question (see :func:`_batteries`)."""
    pa, pb = _code_prefix(a.code), _code_prefix(b.code)
    if pa is not None and pa == pb:
        return True
    sa, sb = _question_stem(a.text), _question_stem(b.text)
    if sa is not None or sb is not None:
        return sa == sb
    if pa is not None and pb is not None:
        return False  # two named questions ("hm_1", "hn_1") without a shared lead-in
    wa, wb = a.text.split(), b.text.split()
    return len(wa) >= 2 and wa[:2] == wb[:2]


def default_spec(codebook: Codebook) -> ReportSpec:
    """A sensible report for any codebook, with no spec written.

    Data basis and response; the wave comparison when the codebook has waves; the paired comparison
    with attrition when it has a panel key; one section per scale (Likert chart + table, index and
    Cronbach's alpha, breakdowns as a heatmap); likert batteries outside scales; single and multiple
    choice as share bars on their own base; rankings as first/top-k shares; breakdowns by every
    variable marked as a group; masked free-text comments; the method section.
    """
    cb = codebook
    skip = {cb.respondent_id.column}
    if cb.wave is not None:
        skip.add(cb.wave.column)
    if cb.panel_key is not None:
        skip.add(cb.panel_key.column)
    hierarchy = set(cb.hierarchy)
    groups = [it.code for it in cb.items if it.group and it.code not in skip and it.code not in hierarchy]
    by = (("next_level",) if cb.hierarchy else ()) + tuple(groups)
    in_scale = {c for s in cb.scales for c in s.items}
    sections: list[Section] = [Section(kind="findings", heading="Hovedresultater"),
                               Section(kind="response", heading="Datagrundlag")]
    if cb.panel_key is not None and cb.wave is not None:
        sections.append(Section(kind="panel", heading="Før og efter", chart="prepost",
                                items=Select(codes=tuple(s.code for s in cb.scales) or None,
                                             type=None if cb.scales else "likert")))
    elif cb.wave is not None:
        codes = tuple(s.code for s in cb.scales) + tuple(
            it.code for it in cb.items
            if it.type in ("single", "likert") and it.positive and not it.group and it.code not in in_scale
        )
        if codes and len(cb.wave.labels) >= 3:  # three or more rounds: the trend over all of them
            sections.append(Section(kind="trend", heading="Udvikling over tid", items=Select(codes=codes)))
        elif codes:
            sections.append(Section(kind="waves", heading="Udvikling siden sidste måling",
                                    items=Select(codes=codes), chart="dumbbell"))
    if cb.scales:
        sections.append(Section(kind="scales", heading="Indeks", items=Select(type="likert"),
                                by=by, chart="heatmap"))
    for scale in cb.scales:
        sections.append(Section(kind="items", heading=scale.label, items=Select(scale=scale.code),
                                stat="distribution", chart="likert"))
    loose = [it for it in cb.items if it.type == "likert" and it.code not in in_scale and not it.group]
    for battery in _batteries(loose):
        codes = tuple(it.code for it in battery)
        sections.append(Section(kind="items", heading=battery[0].label if len(battery) == 1 else
                                _common_heading(battery), items=Select(codes=codes),
                                stat="distribution", chart="likert",
                                by=by if len(battery) <= 3 else ()))
    for it in cb.items:
        if it.group or it.code in skip or it.code in in_scale:
            continue
        if it.type == "single":
            sections.append(Section(kind="items", heading=it.label, items=Select(codes=(it.code,)),
                                    stat="share" if it.positive else "distribution",
                                    chart="share_bars", by=by if it.positive else ()))
        elif it.type == "multiple":
            sections.append(Section(kind="items", heading=it.label, items=Select(codes=(it.code,)),
                                    stat="share", chart="share_bars"))
        elif it.type == "ranking":
            sections.append(Section(kind="ranking", heading=it.label, items=Select(codes=(it.code,)),
                                    chart="ranking"))
    if any(it.group and it.code not in skip for it in cb.items):
        sections.append(Section(kind="items", heading="Baggrund", items=Select(group=True),
                                stat="distribution", chart="none"))
    for it in cb.items:
        if it.type == "text":
            sections.append(Section(kind="comments", heading="Kommentarer", items=Select(codes=(it.code,))))
    sections.append(Section(kind="method", heading="Metode"))
    return ReportSpec(instrument=cb.instrument, title=cb.title, subtitle=cb.source, noun=_noun(cb),
                      sections=tuple(sections))


def _common_heading(items: list[Item]) -> str:
    """A battery's heading: its items' shared stem, the part of the question that does not differ.

    The lead-in the items share up to its last separator ("Hvor enig er du i følgende utsagn?"),
    the stem of the first items when later ones have another (a battery of one answer scale may
    span two questions), else the shared words around the part that differs ("Wie oft …?"); the
    first item's label only when the texts share nothing."""
    import os
    import re

    texts = [" ".join(re.sub(r"<[^>]+>", "", it.text).split()) for it in items]
    lead = _lead(os.path.commonprefix(texts))
    if len(lead) >= 12:
        return lead
    first = _lead(os.path.commonprefix(texts[:2]))
    if len(first) >= 12:  # the stem of the leading items
        return first
    head = os.path.commonprefix(texts)
    head = head[:head.rfind(" ") + 1].strip() if " " in head else ""
    tail = os.path.commonprefix([t[::-1] for t in texts])[::-1]
    tail = tail[tail.find(" "):].strip() if " " in tail else tail.strip()
    if not tail[:1].isalnum():  # "?" or ")?": the closing marks, not a word cut in two
        tail = tail.lstrip(" )").strip()
    if head:
        return f"{head} …{(' ' + tail) if tail[:1].isalnum() else tail}"
    return items[0].label


def _lead(common: str) -> str:
    """A shared prefix cut after its last separator ("? - ", ": ", " - "), without the separator."""
    import re

    cuts = [m.start() + 1 if m.group().startswith("?") else m.start()
            for m in re.finditer(r"\?\s|:\s|\s[-–]\s", common)]
    return common[:cuts[-1]].strip() if cuts else ""