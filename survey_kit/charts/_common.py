"""Private helpers shared by the chart builders: column checks, row axes, suppressed rows."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from survey_kit.charts.layout import MIN_FONT_PX, Canvas
from survey_kit.charts.style import SUPPRESSED_TEXT, get_style
from survey_kit.fmt import fmt_num

#: The total row's label: written on the charts, never used to find the total (``is_total`` is).
TOTAL = "I alt"
#: The row key of the total row inside a builder, unlike any group's label, so a category that
#: is itself called "I alt" stays a group of its own.
TOTAL_KEY = "\x00total"
ROW_PX = 24  # height of one bar row in CSS pixels


def check_columns(table: pd.DataFrame, required: Sequence[str], argument: str) -> None:
    """Raise ``ValueError`` naming the argument and the missing result-table columns."""
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{argument}: expected a DataFrame (a survey_kit result table)")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise ValueError(f"{argument}: missing column(s) {', '.join(missing)}")
    if table.empty:
        raise ValueError(f"{argument}: the table has no rows")


def is_suppressed(table: pd.DataFrame) -> pd.Series:
    """Boolean mask of suppressed rows (``suppressed`` True; NA counts as not suppressed)."""
    if "suppressed" not in table.columns:
        return pd.Series(False, index=table.index)
    return table["suppressed"].fillna(False).astype(bool)


def group_keys(table: pd.DataFrame) -> pd.Series:
    """Each row's group as a row key: the group's label, or :data:`TOTAL_KEY` on the total row.

    The total is found by what it is (``is_total``, see :func:`survey_kit.stats.total_mask`) or
    by having no group (no breakdown), never by its label.
    """
    from survey_kit.stats import total_mask

    total = total_mask(table).to_numpy() | table["group"].isna().to_numpy()
    keys = [TOTAL_KEY if t else str(g) for t, g in zip(total, table["group"], strict=True)]
    return pd.Series(keys, index=table.index, dtype=object)


def label_of(key: str) -> str:
    """The label shown for a row key ("I alt" for the total)."""
    return TOTAL if key == TOTAL_KEY else key


def group_labels(keys: pd.Series) -> pd.Series:
    """The labels shown for a column of row keys."""
    return keys.map(label_of)


def ordered_unique(values: pd.Series) -> list:
    """Unique values in order of first appearance (the statistics' codebook order)."""
    return list(dict.fromkeys(values.tolist()))


def group_order(keys: pd.Series) -> list[str]:
    """Row keys (:func:`group_keys`) in table order with the total last."""
    found = ordered_unique(keys)
    return [g for g in found if g != TOTAL_KEY] + ([TOTAL_KEY] if TOTAL_KEY in found else [])


def row_axis(fig: go.Figure, labels: Sequence[str], *, row: int | None = None,
             col: int | None = None, standoff: int = 6) -> None:
    """A category axis drawn on numeric positions 0..n-1 from the top.

    Numeric positions keep every row (also a suppressed one, which has no trace point) and its
    order fixed, so two charts of the same rows line up.
    """
    n = len(labels)
    fig.update_yaxes(
        tickmode="array", tickvals=list(range(n)), ticktext=list(labels), ticklabelstandoff=standoff,
        range=[n - 0.5, -0.5], autorange=False, showgrid=False, ticks="", row=row, col=col,
    )


def mark_suppressed(fig: go.Figure, positions: Sequence[int], *, x: float, xref: str = "x",
                    yref: str = "y", size: int = MIN_FONT_PX) -> None:
    """Write "For få besvarelser" on the rows at ``positions`` (nothing else is drawn there)."""
    style = get_style()
    add_annotations(fig, [dict(
        x=x, y=pos, xref=xref, yref=yref, text=f"<i>{SUPPRESSED_TEXT}</i>",
        showarrow=False, xanchor="left", font=dict(size=size, color=style.palette.text),
        name="suppressed") for pos in positions])


def add_annotations(fig: go.Figure, annotations: Sequence[dict]) -> None:
    """Add many annotations at once (``add_annotation`` in a loop is quadratic in plotly)."""
    if annotations:
        fig.update_layout(annotations=[*fig.layout.annotations, *annotations])


def wrap_rows(canvas: Canvas, labels: Sequence[str], max_px: float | None = None,
              suffix: Sequence[str] | None = None, bold: Sequence[bool] | None = None,
              ) -> tuple[list[str], float, int]:
    """Row labels wrapped to ``max_px`` (default the canvas' label column), the widest line in
    px and the most lines; ``suffix`` adds a line (e.g. "n = 1.234") under each label; ``bold``
    marks the rows set in bold (the total row)."""
    room = max_px or canvas.label_width()
    # a long word (a Danish compound) widens the column rather than being cut, up to 55 %
    words = [w for lab in labels for w in str(lab).replace("<b>", "").replace("</b>", "").split()]
    widest_word = max((canvas.measure(w, bold=True) for w in words), default=0.0)
    room = max(room, min(widest_word + 1, 0.55 * canvas.width))
    out = []
    for i, lab in enumerate(labels):
        strong = bool(bold[i]) if bold is not None else False
        strong = strong or str(lab).startswith("<b>")
        plain = str(lab).replace("<b>", "").replace("</b>", "")
        text = canvas.wrap(plain, room, bold=strong)
        if strong:
            text = "<br>".join(f"<b>{t}</b>" for t in text.split("<br>"))
        if suffix is not None and suffix[i]:
            text += "<br>" + suffix[i]
        out.append(text)
    widest = max((canvas.measure(t) for t in out), default=0.0)
    lines = max((t.count("<br>") + 1 for t in out), default=1)
    return out, widest, lines


def row_pitch(canvas: Canvas, lines: int, minimum: float = ROW_PX) -> float:
    """Height of one row in px: room for its label lines, at least ``minimum``."""
    return max(minimum, lines * canvas.line_px() + 8)


def pct_axis(fig: go.Figure, *, title: str = "", row: int | None = None,
             col: int | None = None, rng: tuple[float, float] = (0, 100),
             dtick: float | None = 20) -> None:
    """A 0-100 percent x axis with Danish tick labels ("90 %")."""
    fig.update_xaxes(range=list(rng), ticksuffix=" %", tickformat=",d", dtick=dtick,
                     title=dict(text=title), row=row, col=col)


def n_text(n: object) -> str:
    """ "n = 1.234" with a Danish thousands point."""
    return f"n = {fmt_num(n, 0)}"


def extreme_sentence(labels: Sequence[str], values: Sequence[float], fmt, what: str) -> str:
    """Danish sentence naming the highest and lowest row, e.g. for the alt text."""
    pairs = [(lab, v) for lab, v in zip(labels, values, strict=True) if pd.notna(v)]
    if not pairs:
        return ""
    hi = max(pairs, key=lambda p: p[1])
    lo = min(pairs, key=lambda p: p[1])
    if len(pairs) == 1:
        return f"{what}: {hi[0]} ({fmt(hi[1])})."
    return f"Højest {what}: {hi[0]} ({fmt(hi[1])}); lavest: {lo[0]} ({fmt(lo[1])})."


def suppressed_sentence(k: int) -> str:
    if k == 0:
        return ""
    rows = "række er" if k == 1 else "rækker er"
    return f"{k} {rows} ikke vist, fordi der er for få besvarelser."


def value_range(lo: pd.Series, hi: pd.Series, given: tuple[float, float] | None
                ) -> tuple[float, float]:
    """The given axis range, or the data range padded by 5 %."""
    if given is not None:
        if len(given) != 2 or given[0] >= given[1]:
            raise ValueError("value_range: expected (low, high) with low < high")
        return float(given[0]), float(given[1])
    a, b = pd.to_numeric(lo, errors="coerce").min(), pd.to_numeric(hi, errors="coerce").max()
    if pd.isna(a) or pd.isna(b):
        return 0.0, 1.0
    pad = 0.05 * (b - a) if b > a else 0.5
    return float(a - pad), float(b + pad)
