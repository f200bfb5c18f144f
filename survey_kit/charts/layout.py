"""Print layout of the charts: print sizes, text measured in the template font, wrapping.

A chart is laid out for the width it is printed at (``"full"`` A4 text width, 170 mm, or
``"half"``, 82 mm): the builders measure every label in the template font (the TrueType file
that Chromium draws with, found with ``fc-match``), wrap titles and labels at word boundaries to
the room they have, and set the margins so that nothing is drawn outside the canvas. The figure
carries its print size: ``layout.width``/``layout.height`` in CSS pixels (1/96 inch at print
size) and ``layout.meta["print_mm"]``; export renders exactly that size.

Type is at least 8 pt at print size (``MIN_FONT_PX`` = 8 / 72 * 96 px, rounded up to 11 px).
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MIN_FONT_PT",
    "MIN_FONT_PX",
    "MM_PER_INCH",
    "PRINT_MM",
    "Canvas",
    "contrast_ratio",
    "mm_to_px",
    "print_mm",
    "text_color_on",
    "text_width",
    "wrap_px",
]

MM_PER_INCH = 25.4
CSS_DPI = 96
#: Print widths in mm: the A4 text width and half of it (with a gutter).
PRINT_MM: dict[str, float] = {"full": 170.0, "half": 82.0}
MIN_FONT_PT = 8.0
MIN_FONT_PX = 11  # 8 pt = 10.67 CSS px, rounded up
LINE = 1.3  # plotly's line height for <br>-separated text, in em
PAD = 6  # px kept free along the canvas edges

_FALLBACK_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/liberation2",
                  "/usr/share/fonts/truetype/dejavu")
_TAG = re.compile(r"<[^>]+>")


def mm_to_px(mm: float) -> float:
    """CSS pixels (1/96 inch) of a length in mm."""
    return mm / MM_PER_INCH * CSS_DPI


def print_mm(size: str | tuple[float, float]) -> tuple[float, float | None]:
    """Width and (optional) height in mm of a print size.

    ``"full"`` (170 mm), ``"half"`` (82 mm) or ``(width_cm, height_cm)`` as in ``export``.
    """
    if isinstance(size, str):
        if size not in PRINT_MM:
            raise ValueError(f"size: expected 'full', 'half' or (width_cm, height_cm), got {size!r}")
        return PRINT_MM[size], None
    try:
        w, h = (float(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError("size: expected 'full', 'half' or (width_cm, height_cm)") from None
    if w <= 0 or h <= 0:
        raise ValueError("size: width and height must be positive")
    return w * 10, h * 10


# --- fonts ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _font_file(family: str, bold: bool) -> str | None:
    """The TrueType file of the first family of a CSS font list (fc-match, then known paths)."""
    first = family.split(",")[0].strip().strip("'\"")
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(
                ["fc-match", "-f", "%{file}", f"{first}:weight={200 if bold else 80}"],
                capture_output=True, text=True, timeout=10, check=False).stdout.strip()
            if out and Path(out).is_file():
                return out
        except (OSError, subprocess.SubprocessError):
            pass
    name = first.replace(" ", "") + ("-Bold" if bold else "-Regular") + ".ttf"
    for d in _FALLBACK_DIRS:
        if (Path(d) / name).is_file():
            return str(Path(d) / name)
    return None


@functools.lru_cache(maxsize=64)
def _font(family: str, size: float, bold: bool):
    from PIL import ImageFont

    path = _font_file(family, bold)
    return ImageFont.truetype(path, size=size) if path else None


def _plain(text: str) -> str:
    return _TAG.sub("", text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def text_width(text: str, size: float, family: str, bold: bool = False) -> float:
    """Width in px of plotly text (``<br>`` lines, ``<b>`` bold) drawn at ``size`` px."""
    widest = 0.0
    for line in str(text).split("<br>"):
        b = bold or "<b>" in line
        plain = _plain(line)
        font = _font(family, float(size), b)
        w = font.getlength(plain) if font else 0.6 * size * len(plain)
        widest = max(widest, w)
    return widest


def n_lines(text: str) -> int:
    return str(text).count("<br>") + 1


@functools.lru_cache(maxsize=1)
def _hyphenator():
    """Danish hyphenation patterns (pyphen's da_DK, from LibreOffice), or None without pyphen."""
    try:
        import pyphen

        return pyphen.Pyphen(lang="da_DK", left=3, right=3)
    except (ImportError, KeyError):
        return None


def hyphen_points(word: str) -> list[int]:
    """Where a word may be broken in Danish: after a hyphen it already has, or at a hyphenation
    point of the Danish patterns (points one letter apart, such as "Me-d-ar", are doubtful and
    left out)."""
    points = {i + 1 for i, ch in enumerate(word) if ch in "-‐" and 1 < i + 1 < len(word) - 1}
    h = _hyphenator()
    if h is not None:
        letters = word.strip(".,:;!?()'\"")
        start = word.find(letters) if letters else 0
        pos = [p for p in h.positions(letters) if "-" not in letters[max(p - 1, 0): p + 1]]
        for i, p in enumerate(pos):
            near = (i > 0 and p - pos[i - 1] < 2) or (i + 1 < len(pos) and pos[i + 1] - p < 2)
            if not near:
                points.add(start + p)
    return sorted(points)


def _break_word(word: str, max_px: float, size: float, family: str, bold: bool) -> list[str]:
    """A word wider than ``max_px`` in pieces that fit, broken at Danish hyphenation points
    (with a hyphen, or after the hyphen it has); only where no point fits, at the last letter
    that does."""
    pieces: list[str] = []
    while text_width(word, size, family, bold) > max_px and len(word) > 4:
        fits = [p for p in hyphen_points(word)
                if text_width(word[:p] + ("" if word[p - 1] in "-‐" else "-"), size, family, bold) <= max_px]
        if fits:
            # prefer the joint of a compound: after a hyphen or a linking s ("informations-teknologi")
            joints = [p for p in fits if word[p - 1] in "-‐" or (word[p - 1] == "s" and p >= 6)]
            cut = joints[-1] if joints and joints[-1] >= fits[-1] * 0.6 else fits[-1]
            pieces.append(word[:cut] + ("" if word[cut - 1] in "-‐" else "-"))
        else:
            cut = len(word) - 1
            while cut > 2 and text_width(word[:cut] + "-", size, family, bold) > max_px:
                cut -= 1
            pieces.append(word[:cut] + "-")
        word = word[cut:]
    return [*pieces, word]


def wrap_px(text: str, max_px: float, size: float, family: str, bold: bool = False) -> str:
    """Break text into ``<br>`` lines no wider than ``max_px`` at word boundaries.

    Existing ``<br>`` breaks are kept. A single word wider than ``max_px`` is the only thing
    broken inside: at a Danish hyphenation point with a hyphen ("informations-teknologi"), or
    after a hyphen it has ("IT-/systemer").
    """
    out: list[str] = []
    for para in str(text).split("<br>"):
        words: list[str] = []
        for word in para.split():
            words.extend(_break_word(word, max_px, size, family, bold))
        lines: list[str] = []
        for word in words:
            if lines and not lines[-1].endswith("-") and text_width(
                    lines[-1] + " " + word, size, family, bold) <= max_px:
                lines[-1] += " " + word
            else:
                lines.append(word)
        out.extend(lines or [""])
    return "<br>".join(out)


# --- colour contrast -----------------------------------------------------------------------


def _luminance(color: str) -> float:
    r, g, b = (int(color[i: i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color_on(background: str, dark: str = "#000000", light: str = "#FFFFFF") -> str:
    """The text colour (``dark`` or ``light``) with the higher contrast on ``background``."""
    return dark if contrast_ratio(dark, background) >= contrast_ratio(light, background) else light


# --- the canvas ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Canvas:
    """The print size a chart is laid out for, with its type sizes and text measurement.

    Parameters
    ----------
    width_mm, height_mm : float
        Print size; ``height_mm`` None lets the chart take the height its rows need.
    family : str
        The CSS font list of the house style (the first family is measured).
    base : int
        Base font size in px (at least ``MIN_FONT_PX``).
    """

    width_mm: float
    height_mm: float | None
    family: str
    base: int

    @classmethod
    def for_size(cls, size: str | tuple[float, float], family: str, font_size: int) -> Canvas:
        w, h = print_mm(size)
        return cls(w, h, family, max(int(font_size), MIN_FONT_PX))

    @property
    def width(self) -> float:
        """Canvas width in CSS px."""
        return round(mm_to_px(self.width_mm), 2)

    @property
    def narrow(self) -> bool:
        return self.width_mm < 120

    @property
    def small(self) -> int:
        """Size of secondary text (value labels, n, source line): the minimum, 8 pt."""
        return max(self.base - 1, MIN_FONT_PX)

    @property
    def title(self) -> int:
        return self.base + (2 if self.narrow else 3)

    def measure(self, text: str, size: float | None = None, bold: bool = False) -> float:
        return text_width(text, size or self.base, self.family, bold)

    def wrap(self, text: str, max_px: float, size: float | None = None,
             bold: bool = False) -> str:
        return wrap_px(text, max_px, size or self.base, self.family, bold)

    def line_px(self, size: float | None = None) -> float:
        return LINE * (size or self.base)

    def label_width(self) -> float:
        """Room for row labels left of the plot: about 38 % of the width (42 % at half)."""
        return self.width * (0.40 if self.narrow else 0.36)
