"""The house style: a plotly template registered as ``"survey_kit"`` and the shared chart helpers.

One place to override palette, font and logo::

    from survey_kit.charts import HouseStyle, use_style
    with use_style(HouseStyle(logo="logo.png")):
        fig = share_bars(table)

Numbers follow Danish conventions: ``layout.separators = ",."`` (decimal comma, thousands
point) and percent axes on 0-100 values with ``ticksuffix=" %"`` ("90 %"). The palette is
colour-blind safe (orange/blue) and its diverging colours have distinct CIELAB lightness, so
charts still read when printed in greyscale.
"""

from __future__ import annotations

import base64
import json
import mimetypes
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

__all__ = [
    "CM_PER_INCH",
    "CSS_DPI",
    "HouseStyle",
    "Palette",
    "SIZES",
    "SUPPRESSED_TEXT",
    "TEMPLATE_NAME",
    "get_style",
    "lightness",
    "set_style",
    "label_lines",
    "use_style",
    "wrap",
]

TEMPLATE_NAME = "survey_kit"
CM_PER_INCH = 2.54
CSS_DPI = 96  # plotly layout pixels are CSS pixels (1/96 inch)
#: Chart widths for council papers (cm): full A4 text width and half width.
SIZES: dict[str, float] = {"full": 17.0, "half": 8.2}
SUPPRESSED_TEXT = "For få besvarelser"


@dataclass(frozen=True)
class Palette:
    """Colours of the house style.

    ``negative`` runs from the strongest to the mildest negative category, ``positive`` from the
    mildest to the strongest positive one; a Likert scale with k categories on a side takes the
    k outermost colours of that side. Their CIELAB lightness (L*) is chosen so the scale reads
    in greyscale: for 2- to 5-point scales every two categories differ by at least 15 L*
    (strongest negative 29, negative 61, neutral 93, positive 45, strongest positive 13), and
    on 6- and 7-point scales neighbours do; every colour carries black or white text at a WCAG
    contrast of at least 4.5:1 (checked in the tests).
    """

    negative: tuple[str, ...] = ("#753000", "#D2802F", "#F0B270")
    neutral: str = "#EBEBEB"
    positive: tuple[str, ...] = ("#189DD5", "#0E70AB", "#012341")
    dont_know: str = "#A6A6A6"
    primary: str = "#2B5C8A"
    bar: str = "#9ECAE1"
    benchmark: str = "#B35806"
    wave_from: str = "#9ECAE1"
    wave_to: str = "#08306B"
    ci: str = "#404040"
    text: str = "#1A1A1A"
    muted: str = "#6B6B6B"
    sequential: tuple[str, ...] = ("#F7FBFF", "#C6DBEF", "#6BAED6", "#2171B5", "#08306B")

    def diverging(self, n_negative: int, neutral: bool, n_positive: int) -> list[str]:
        """Colours for a scale in code order: negatives, the neutral one, positives."""
        if n_negative > len(self.negative) or n_positive > len(self.positive):
            raise ValueError(
                f"n_negative/n_positive: the palette has {len(self.negative)} negative and "
                f"{len(self.positive)} positive colours"
            )
        neg = list(self.negative[:n_negative])
        pos = list(self.positive[-n_positive:]) if n_positive else []
        return neg + ([self.neutral] if neutral else []) + pos


@dataclass(frozen=True)
class HouseStyle:
    """Palette, font and logo of the charts.

    Parameters
    ----------
    palette : Palette
        The colours.
    font : str
        CSS font family list; Liberation Sans ships with Debian's chromium (fonts-liberation),
        so static exports need no downloaded fonts.
    font_size : int
        Base font size in CSS pixels at the export width (11 px = 8.25 pt on paper).
    logo : str, Path or None
        An image file (PNG/SVG/JPEG) placed top right on every chart, e.g. the municipality's logo.
    """

    palette: Palette = field(default_factory=Palette)
    font: str = "Liberation Sans, Arial, sans-serif"
    font_size: int = 11
    logo: str | Path | None = None

    def template(self) -> go.layout.Template:
        """The plotly template of this style."""
        p = self.palette
        axis = dict(
            showgrid=False,
            zeroline=False,
            linecolor="#8C8C8C",
            ticks="outside",
            tickcolor="#8C8C8C",
            ticklen=3,
            automargin=True,
            separatethousands=True,
            tickangle=0,
            title=dict(font=dict(size=self.font_size)),
        )
        layout = go.Layout(
            font=dict(family=self.font, size=self.font_size, color=p.text),
            title=dict(x=0, xref="container", xanchor="left", y=0.98, yanchor="top",
                       yref="container", pad=dict(l=6), font=dict(size=self.font_size + 3)),
            separators=",.",
            paper_bgcolor="white",
            plot_bgcolor="white",
            colorway=[p.primary, p.benchmark, p.positive[1], p.negative[1], p.muted],
            xaxis=dict(axis, showgrid=True, gridcolor="#E6E6E6"),
            yaxis=axis,
            legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                        traceorder="normal", font=dict(size=max(self.font_size, 11))),
            hoverlabel=dict(font=dict(family=self.font)),
            margin=dict(l=8, r=24, t=60, b=48),
            bargap=0.3,
            uniformtext=dict(minsize=11, mode="hide"),  # 8 pt at print size
        )
        return go.layout.Template(layout=layout)


_style: HouseStyle = HouseStyle()


def get_style() -> HouseStyle:
    """The current house style."""
    return _style


def set_style(style: HouseStyle) -> None:
    """Make ``style`` the house style and re-register the ``"survey_kit"`` template."""
    global _style
    if not isinstance(style, HouseStyle):
        raise ValueError("style: expected a HouseStyle")
    _style = style
    pio.templates[TEMPLATE_NAME] = style.template()


@contextmanager
def use_style(style: HouseStyle) -> Iterator[HouseStyle]:
    """Use ``style`` inside a ``with`` block, then restore the previous style."""
    previous = get_style()
    set_style(style)
    try:
        yield style
    finally:
        set_style(previous)


pio.templates[TEMPLATE_NAME] = _style.template()


# --- greyscale and labels ------------------------------------------------------------------


def lightness(color: str) -> float:
    """CIELAB L* (0 black - 100 white) of a ``#RRGGBB`` colour: its grey value in print."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    f = y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116
    return 116 * f - 16


def wrap(text: str, width: int = 18) -> str:
    """Break a label into lines of about ``width`` characters with ``<br>`` (plotly text).

    A word much longer than ``width`` (Danish compounds: "Selvudviklingsmuligheder") is
    hyphenated.
    """
    words: list[str] = []
    for word in str(text).split():
        while len(word) > width + 3:
            words.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and not lines[-1].endswith("-") and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def label_lines(labels: Sequence[str]) -> int:
    """The largest number of lines among plotly labels (``<br>`` separated)."""
    return max((str(t).count("<br>") + 1 for t in labels), default=1)


# --- shared helpers for the builders ------------------------------------------------------


def _table_meta(table: pd.DataFrame) -> dict:
    """A JSON-safe copy of a result table for ``fig.layout.meta``."""
    return json.loads(table.to_json(orient="split", index=False, date_format="iso"))


def table_from_meta(meta: dict) -> pd.DataFrame:
    """Rebuild the result table stored by :func:`finish` (dtypes via ``convert_dtypes``)."""
    t = meta["table"]
    return pd.DataFrame(t["data"], columns=t["columns"]).convert_dtypes()


def _logo_source(logo: str | Path) -> str:
    path = Path(logo)
    if not path.is_file():
        raise ValueError(f"logo: no such file {path}")
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
