"""A report as data: headings, findings, tables and figures in order.

Builders make a :class:`Report` from a survey; :class:`survey_kit.report.output.ReportWriter`
writes it as HTML, PDF, Word and Excel. Every number shown has passed through suppression before
it gets here.

Tables and figures are numbered in order of appearance ("Tabel 2", "Figur 4"); a paragraph refers
to them with the placeholders ``{tabel:NAME}`` and ``{figur:NAME}``, which every renderer replaces
with the number (:meth:`Report.resolve`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from survey_kit.fmt import (
    NUMERIC_KINDS,
    SUPPRESSED_TEXT,
    flag_text,
    fmt_int,
    fmt_num,
    fmt_p_value,
    fmt_pct,
    fmt_pp,
    method_name,
)

#: Column kinds: how a value is shown. Numeric kinds (``fmt.NUMERIC_KINDS``) are stored as numbers
#: in Excel.
KINDS = ("text", "int", "pct", "num", "p", "pp", "method", "flag")

_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "int": fmt_int,
    "pct": fmt_pct,
    "num": lambda x: fmt_num(x, 2),
    "p": fmt_p_value,
    "pp": fmt_pp,
    "text": lambda x: "" if pd.isna(x) else str(x),
    "method": method_name,
    "flag": flag_text,  # vs_total codes ("higher"/"lower") as Danish words
}

_PLACEHOLDER = re.compile(r"\{(figur|tabel):([^{}\s]+)\}")


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"  # the HTML writer dispatches on it
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Plain text; may refer to tables and figures as ``{tabel:NAME}`` / ``{figur:NAME}``."""

    kind: ClassVar[str] = "paragraph"  # the HTML writer dispatches on it

    text: str
    css: str = ""


@dataclass(frozen=True)
class Findings:
    """Key findings: plain Danish sentences generated from the numbers."""

    kind: ClassVar[str] = "findings"  # the HTML writer dispatches on it

    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """How to show one column of a table: its Danish header and format."""

    name: str
    header: str
    kind: str = "text"  # text | int | pct | num | p | pp | method | flag


def format_value(value: Any, kind: str) -> str:
    """One value as Danish text for a column of ``kind`` (the same in HTML, Word and charts)."""
    return _FORMATTERS[kind](value)


@dataclass(frozen=True)
class Table:
    """A published table. ``data`` holds the numbers (suppressed cells NA, ``suppressed`` flags)."""

    kind: ClassVar[str] = "table"  # the HTML writer dispatches on it

    name: str
    title: str
    data: pd.DataFrame
    columns: tuple[Column, ...]
    note: str = ""

    def suppressed(self) -> list[bool]:
        """Per row: are its numbers hidden for anonymity?"""
        if "suppressed" not in self.data:
            return [False] * len(self.data)
        return [bool(v) if not pd.isna(v) else False for v in self.data["suppressed"]]

    def display_frame(self) -> pd.DataFrame:
        """The table as Danish text, suppressed cells marked."""
        sup = self.suppressed()
        out = {}
        for col in self.columns:
            values = self.data[col.name]
            out[col.header] = [
                SUPPRESSED_TEXT if (s and col.kind in NUMERIC_KINDS) else format_value(v, col.kind)
                for v, s in zip(values, sup, strict=True)
            ]
        return pd.DataFrame(out)

    def to_html(self) -> str:
        """The table alone as an accessible HTML table (without its number)."""
        from survey_kit.report.render import table_html

        return table_html(self, self.title)


@dataclass(frozen=True)
class Figure:
    """A chart with the table it was drawn from (exported beside it as CSV).

    ``title`` is the caption (default: the chart's own title); ``alt`` the alt text (default:
    the chart export's generated alt text). ``figure`` may be given as a zero-argument callable
    that builds the plotly figure: it is built once, when first used (a run of many reports builds
    charts only for what it writes).
    """

    kind: ClassVar[str] = "figure"  # the HTML writer dispatches on it

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name == "figure" and callable(value):
            value = value()
            object.__setattr__(self, "figure", value)
        return value

    name: str
    figure: Any  # plotly.graph_objects.Figure
    data: pd.DataFrame
    size: str = "full"
    title: str = ""
    alt: str = ""

    def caption_title(self) -> str:
        if self.title:
            return self.title
        try:
            text = self.figure.layout.title.text or ""
        except AttributeError:
            text = ""
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() or self.name

    def alt_text(self) -> str:
        if self.alt:
            return self.alt
        from survey_kit.charts.export import alt_text

        text = re.sub(r"<[^>]+>", " ", alt_text(self.figure)).replace("  ", " ")
        if text.startswith("Diagram.") and self.title:  # a chart drawn without a title: its caption
            text = f"Diagram: {self.title}." + text[len("Diagram."):]
        return text


@dataclass(frozen=True)
class Comments:
    """Free-text answers, already masked, escaped and filtered by min_n."""

    kind: ClassVar[str] = "comments"  # the HTML writer dispatches on it

    title: str
    texts: tuple[str, ...]  # already HTML-escaped

    def plain_texts(self) -> list[str]:
        return [html.unescape(t) for t in self.texts]


Block = Heading | Paragraph | Findings | Table | Figure | Comments


@dataclass
class Report:
    """An ordered list of blocks plus what the report is about."""

    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    audit: pd.DataFrame | None = None  # suppression audit: for the analyst, never printed
    date: dt.date | None = None  # shown on the front and in the footer; None: today

    def add(self, *blocks: Block) -> Report:
        self.blocks.extend(blocks)
        return self

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))

    def figures(self) -> Iterator[Figure]:
        return (b for b in self.blocks if isinstance(b, Figure))

    def findings(self) -> list[str]:
        return [s for b in self.blocks if isinstance(b, Findings) for s in b.sentences]

    # -- numbering -----------------------------------------------------------------------------
    @property
    def report_date(self) -> dt.date:
        return self.date or dt.date.today()

    def date_text(self) -> str:
        """The report date in Danish: ``"3. marts 2026"``."""
        d = self.report_date
        return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"

    def numbers(self) -> dict[tuple[str, str], int]:
        """``{("tabel", name): 1, ("figur", name): 1, ...}`` in order of appearance."""
        out: dict[tuple[str, str], int] = {}
        counts = {"tabel": 0, "figur": 0}
        for b in self.blocks:
            kind = "tabel" if isinstance(b, Table) else "figur" if isinstance(b, Figure) else None
            if kind and (kind, b.name) not in out:
                counts[kind] += 1
                out[(kind, b.name)] = counts[kind]
        return out

    def label(self, block: Table | Figure) -> str:
        """``"Tabel 2"`` / ``"Figur 4"``."""
        kind = "tabel" if isinstance(block, Table) else "figur"
        return f"{kind.capitalize()} {self.numbers()[(kind, block.name)]}"

    def caption(self, block: Table | Figure) -> str:
        """``"Tabel 2. <title>"``."""
        title = block.title if isinstance(block, Table) else block.caption_title()
        return f"{self.label(block)}. {title}"

    def resolve(self, text: str) -> str:
        """Replace ``{figur:NAME}`` / ``{tabel:NAME}`` by "Figur N" / "Tabel N"."""
        numbers = self.numbers()

        def sub(m: re.Match) -> str:
            key = (m.group(1), m.group(2))
            if key not in numbers:
                names = sorted(n for k, n in numbers if k == key[0]) or ["(ingen)"]
                raise ValueError(
                    f"Teksten henviser til {m.group(0)}, men rapporten '{self.title}' har ingen "
                    f"{key[0]} med navnet {key[1]!r}; navne: {', '.join(names)}"
                )
            return f"{key[0].capitalize()} {numbers[key]}"

        return _PLACEHOLDER.sub(sub, text)

    # -- notebook display ----------------------------------------------------------------------
    def display(self) -> None:
        """Show the report in a notebook."""
        from IPython.display import HTML, display

        display(HTML(self._repr_html_()))

    def _repr_html_(self) -> str:
        from survey_kit.report.render import report_html

        return report_html(self, fragment=True)


MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december")
