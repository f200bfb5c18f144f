"""A report as data: headings, findings, tables and figures in order.

Builders (``report/builders/*.py``) make a :class:`Report` from a survey; the notebook template
displays it, :func:`survey_kit.report.excel.write_workbook` writes its tables, and the chart export
writes its figures. Every number shown has passed through suppression before it gets here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from survey_kit.fmt import NA_TEXT, flag_text, fmt_int, fmt_num, fmt_pct, method_name


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str
    css: str = ""


@dataclass(frozen=True)
class Findings:
    """Key findings: plain Danish sentences generated from the numbers."""

    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """How to show one column of a table: its Danish header and format."""

    name: str
    header: str
    kind: str = "text"  # text | int | pct | num | p | method | flag (vs_total codes)


@dataclass(frozen=True)
class Table:
    """A published table. ``data`` holds the numbers (suppressed cells NA, ``suppressed`` flags)."""

    name: str
    title: str
    data: pd.DataFrame
    columns: tuple[Column, ...]
    note: str = ""

    def display_frame(self) -> pd.DataFrame:
        """The table as Danish text, suppressed cells marked."""
        fmt: dict[str, Callable[[Any], str]] = {
            "int": fmt_int,
            "pct": fmt_pct,
            "pp": lambda x: NA_TEXT if pd.isna(x) else f"{x * 100:+.0f} procentpoint".replace("-", "−"),
            "num": lambda x: fmt_num(x, 2),
            "p": lambda x: NA_TEXT if pd.isna(x) else ("< 0,001" if x < 0.001 else fmt_num(x, 3)),
            "text": lambda x: "" if pd.isna(x) else str(x),
            "method": method_name,
            "flag": flag_text,
        }
        sup = (
            self.data["suppressed"].fillna(False).astype(bool)
            if "suppressed" in self.data
            else pd.Series(False, index=self.data.index)
        )
        out = {}
        for col in self.columns:
            values = self.data[col.name]
            shown = [
                "For få svar" if (s and col.kind not in ("text", "method", "flag")) else fmt[col.kind](v)
                for v, s in zip(values, sup, strict=True)
            ]
            out[col.header] = shown
        return pd.DataFrame(out)

    def to_html(self) -> str:
        frame = self.display_frame()
        sup = self.data["suppressed"].fillna(False).tolist() if "suppressed" in self.data else []
        head = "".join(f"<th>{html.escape(h)}</th>" for h in frame.columns)
        rows = []
        for i, row in enumerate(frame.itertuples(index=False)):
            cls = ' class="sk-suppressed"' if sup and sup[i] else ""
            cells = "".join(f"<td>{html.escape(str(v))}</td>" for v in row)
            rows.append(f"<tr{cls}>{cells}</tr>")
        note = f'<p class="sk-note">{html.escape(self.note)}</p>' if self.note else ""
        return (
            f'<table class="sk-table"><caption>{html.escape(self.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
        )


@dataclass(frozen=True)
class Figure:
    """A chart with the table it was drawn from (exported beside it as CSV).

    ``figure`` may be given as a zero-argument callable that builds the plotly figure: it is built
    once, when first used (a run of many reports builds charts only for what it writes).
    """

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


@dataclass(frozen=True)
class Comments:
    """Free-text answers, already masked, escaped and filtered by min_n."""

    title: str
    texts: tuple[str, ...]  # already HTML-escaped


Block = Heading | Paragraph | Findings | Table | Figure | Comments


@dataclass
class Report:
    """An ordered list of blocks plus what the report is about."""

    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    audit: pd.DataFrame | None = None  # suppression audit: for the analyst, never printed

    def add(self, *blocks: Block) -> Report:
        self.blocks.extend(blocks)
        return self

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))

    def figures(self) -> Iterator[Figure]:
        return (b for b in self.blocks if isinstance(b, Figure))

    def findings(self) -> list[str]:
        return [s for b in self.blocks if isinstance(b, Findings) for s in b.sentences]

    # -- notebook display ----------------------------------------------------------------------
    def block_html(self, block: Block) -> str | None:
        """HTML for a non-figure block (figures are shown by plotly)."""
        if isinstance(block, Heading):
            return f"<h{block.level}>{html.escape(block.text)}</h{block.level}>"
        if isinstance(block, Paragraph):
            cls = f' class="{block.css}"' if block.css else ""
            return f"<p{cls}>{html.escape(block.text)}</p>"
        if isinstance(block, Findings):
            items = "".join(f"<li>{html.escape(s)}</li>" for s in block.sentences)
            return f'<ul class="sk-findings">{items}</ul>'
        if isinstance(block, Table):
            return block.to_html()
        if isinstance(block, Comments):
            if not block.texts:
                return f"<h3>{html.escape(block.title)}</h3><p class='sk-note'>Ingen kommentarer at vise.</p>"
            items = "".join(f'<p class="sk-comment">{t}</p>' for t in block.texts)
            return f"<h3>{html.escape(block.title)}</h3>{items}"
        return None

    def display(self) -> None:
        """Show the report in a notebook (used by the report templates)."""
        import plotly.io as pio
        from IPython.display import HTML, display

        header = f"<h1>{html.escape(self.title)}</h1>"
        if self.subtitle:
            header += f'<p class="sk-note">{html.escape(self.subtitle)}</p>'
        display(HTML(header))
        first_figure = True
        for block in self.blocks:
            if isinstance(block, Figure):
                # plotly.js is embedded once, with the first figure (offline; never a CDN)
                div = pio.to_html(
                    block.figure,
                    include_plotlyjs=first_figure,
                    full_html=False,
                    config={"displaylogo": False, "responsive": True},
                )
                first_figure = False
                display(HTML(f'<div class="sk-figure" data-figure="{block.name}">{div}</div>'))
            else:
                display(HTML(self.block_html(block)))

    def _repr_html_(self) -> str:
        parts = [f"<h1>{html.escape(self.title)}</h1>"]
        for block in self.blocks:
            parts.append(self.block_html(block) or f"<p>[figur: {html.escape(block.name)}]</p>")
        return "".join(parts)
