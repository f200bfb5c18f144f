"""Static export of charts (PNG, SVG, PDF) with kaleido >= 1 and Debian's chromium.

One browser process serves every figure: ``with exporting(): ...`` starts kaleido's sync server
for a block; ``export()`` outside such a block starts it once, lazily, and stops it at exit.
Kaleido finds ``/usr/bin/chromium`` itself and honours ``BROWSER_PATH``; it runs chromium without
sandbox (needed as root) and downloads nothing. MathJax is off (no CDN request).

Sizes: ``"full"`` is the A4 text width (16 cm), ``"half"`` 7.8 cm, or ``(width_cm, height_cm)``.
A PNG at ``dpi`` has ``round(cm / 2.54 * dpi)`` pixels; a PDF page is ``cm / 2.54 * 72`` points
(chromium rounds the page to well under 1 pt); an SVG is in CSS pixels (``cm / 2.54 * 96``).
Beside each chart go its data as CSV (``;`` separator, decimal comma, UTF-8 with BOM for Excel)
and a Danish alt text (``.alt.txt``).
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import kaleido
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from survey_kit.charts.style import (
    CM_PER_INCH,
    CSS_DPI,
    FULL_WIDTH_PX,
    SIZES,
    fit_top,
    label_lines,
    table_from_meta,
    wrap,
)
from survey_kit.fmt import fmt_num

__all__ = ["FORMATS", "alt_text", "chart_table", "export", "exporting", "figure_size",
           "fit_width", "write_table_csv"]

FORMATS = ("png", "svg", "pdf")
_state = {"lazy": False, "atexit": False}


def _mathjax_off() -> None:
    pio.defaults.mathjax = None


def _server_running() -> bool:
    server = getattr(kaleido, "_global_server", None)
    return bool(server is not None and server.is_running())


def _browser_path() -> str:
    """The chromium kaleido will use (``BROWSER_PATH`` first); an error names what is missing.

    Checked before the server starts because kaleido's sync server waits forever on a browser
    that failed to launch.
    """
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
    if not path or not Path(path).is_file():
        where = os.environ.get("BROWSER_PATH")
        raise RuntimeError(
            "Static chart export needs Chrome/Chromium: "
            + (f"BROWSER_PATH={where!r} is not a file. " if where else "none found on PATH. ")
            + "Install Debian's chromium (apt-get install chromium) or set BROWSER_PATH."
        )
    return str(path)


def _start() -> None:
    _mathjax_off()
    _browser_path()
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)


def _check_alive() -> None:
    """Fail instead of hanging when the server thread died (e.g. chromium crashed)."""
    thread = getattr(getattr(kaleido, "_global_server", None), "_thread", None)
    if thread is not None and not thread.is_alive():
        _stop()
        raise RuntimeError("The chromium used for chart export stopped; see the log above.")


def _stop() -> None:
    if _server_running():
        kaleido.stop_sync_server(silence_warnings=True)
    _state["lazy"] = False


@contextmanager
def exporting() -> Iterator[None]:
    """Keep one chromium process for every export inside the block.

    Nested blocks and a server that is already running are reused; the server is stopped at
    the end of the block only if this block started it.
    """
    started = not _server_running()
    if started:
        _start()
    try:
        yield
    finally:
        if started:
            _stop()


def _ensure_server() -> None:
    if _server_running():
        return
    _start()
    _state["lazy"] = True
    if not _state["atexit"]:
        atexit.register(_stop)
        _state["atexit"] = True


def _width_cm(size: str | tuple[float, float]) -> tuple[float, float | None]:
    if isinstance(size, str):
        if size not in SIZES:
            raise ValueError(f"size: expected 'full', 'half' or (width_cm, height_cm), got {size!r}")
        return SIZES[size], None
    try:
        w, h = (float(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError("size: expected 'full', 'half' or (width_cm, height_cm)") from None
    if w <= 0 or h <= 0:
        raise ValueError("size: width and height must be positive")
    return w, h


def _compact(fig: go.Figure) -> None:
    """Smaller type, fewer x ticks and narrower column labels for a narrow chart."""
    tpl = fig.layout.template.layout
    base = fig.layout.font.size or tpl.font.size or 11
    fig.update_layout(font_size=base - 2, title_font_size=(tpl.title.font.size or base + 3) - 3,
                      legend_font_size=(tpl.legend.font.size or base - 1) - 2)
    fig.update_xaxes(tickfont_size=base - 2, title_font_size=base - 2)
    fig.update_yaxes(tickfont_size=base - 2, title_font_size=base - 2)
    for ann in fig.layout.annotations:
        if ann.font.size:
            ann.font.size = max(ann.font.size - 2, 6)
    for tr in fig.data:
        if getattr(tr, "textfont", None) is not None and tr.textfont.size:
            tr.textfont.size = max(tr.textfont.size - 2, 6)
    for key in [k for k in fig.layout if k.startswith("xaxis")]:
        ax = fig.layout[key]
        if ax.tickvals is not None and len(ax.tickvals) > 5 and ax.ticktext is not None:
            ax.update(tickvals=ax.tickvals[::2], ticktext=ax.ticktext[::2])
        elif ax.dtick is not None and ax.ticksuffix == " %":
            ax.update(dtick=25 if float(ax.dtick) < 25 else 2 * float(ax.dtick))
        if ax.ticktext is not None and ax.side == "top":  # heatmap column labels
            ax.update(ticktext=[wrap(t.replace("<br>", " "), 11) for t in ax.ticktext])
            meta = dict(fig.layout.meta)
            meta["top_gap"] = label_lines(ax.ticktext) * (base + 2) + 8
            fig.layout.meta = meta
    for key in [k for k in fig.layout if k.startswith("yaxis")]:
        ax = fig.layout[key]
        if ax.ticktext is not None:  # long row labels: wrap the first line, keep "n = ..."
            ax.update(ticktext=[_wrap_head(t, 20) for t in ax.ticktext])
    if fig.layout.margin.r and fig.layout.margin.r > 40:
        fig.update_layout(margin_r=round(fig.layout.margin.r * 0.75))


def _wrap_head(text: str, width: int) -> str:
    head, sep, rest = str(text).partition("<br>")
    bold = head.startswith("<b>") and head.endswith("</b>")
    if bold:
        head = head[3:-4]
    head = wrap(head, width)
    if bold:
        head = "<br>".join(f"<b>{h}</b>" for h in head.split("<br>"))
    return head + sep + rest


def fit_width(fig: go.Figure, size: str | tuple[float, float] = "full") -> go.Figure:
    """A copy of a survey_kit chart laid out for a print size (the figure is not changed).

    Title and legend are re-flowed for the width; below 12 cm the type is 2 px smaller and
    axes get fewer ticks. The height of a named size follows the chart's content.
    """
    w_cm, h_cm = _width_cm(size)
    out = go.Figure(fig)
    meta = out.layout.meta
    if not (isinstance(meta, dict) and "survey_kit" in meta):
        return out
    w_px = w_cm / CM_PER_INCH * CSS_DPI
    if w_px < 0.75 * FULL_WIDTH_PX:
        _compact(out)
    h_px = h_cm / CM_PER_INCH * CSS_DPI if h_cm else None
    return fit_top(out, w_px, h_px)


def figure_size(fig: go.Figure, size: str | tuple[float, float]) -> tuple[float, float]:
    """Width and height in cm of ``fig`` exported at ``size``.

    A named size takes the height the chart needs at that width (builders size the plot by
    its rows, so type keeps its size on paper); other figures get ``layout.height`` or 62 % of
    the width.
    """
    w, h = _width_cm(size)
    if h is not None:
        return w, h
    h_px = fit_width(fig, size).layout.height
    return w, (h_px / CSS_DPI * CM_PER_INCH if h_px else 0.62 * w)


def _render(fig: go.Figure, fmt: str, w_cm: float, h_cm: float, dpi: int) -> bytes:
    if fmt == "png":
        scale = dpi / CSS_DPI
        # chromium floors width * scale; aim a quarter pixel above the target size
        w_px = (round(w_cm / CM_PER_INCH * dpi) + 0.25) / scale
        h_px = (round(h_cm / CM_PER_INCH * dpi) + 0.25) / scale
    else:
        scale = 1
        w_px = w_cm / CM_PER_INCH * CSS_DPI
        h_px = h_cm / CM_PER_INCH * CSS_DPI
    _ensure_server()
    _check_alive()
    return kaleido.calc_fig_sync(
        fig.to_plotly_json(), opts=dict(format=fmt, width=w_px, height=h_px, scale=scale))


def chart_table(fig: go.Figure) -> pd.DataFrame | None:
    """The result table a survey_kit chart was made from (kept in ``fig.layout.meta``)."""
    meta = fig.layout.meta
    if isinstance(meta, dict) and "table" in meta:
        return table_from_meta(meta)
    return None


def write_table_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as Danish CSV: ``;`` separator, decimal comma, UTF-8 with BOM."""
    path = Path(path)
    table.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8-sig")
    return path


def alt_text(fig: go.Figure) -> str:
    """A Danish alt text for a chart: its title, what the marks mean, extremes and n.

    The builders store the description in ``fig.layout.meta["alt"]``; the current title is put
    in front. Other figures get a short generic description of their traces.
    """
    title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else ""
    meta = fig.layout.meta
    parts = [f"Diagram: {title}." if title else "Diagram."]
    if isinstance(meta, dict) and meta.get("alt"):
        parts.extend(meta["alt"])
    else:
        kinds = sorted({tr.type for tr in fig.data})
        parts.append(f"Figuren har {fmt_num(len(fig.data), 0)} dataserier ({', '.join(kinds)}).")
    for ann in fig.layout.annotations:
        if ann.name == "source" and ann.text:
            parts.append(f"{ann.text}.".replace("..", "."))
    return " ".join(parts)


def export(
    fig: go.Figure,
    path: str | Path,
    formats: Sequence[str] = FORMATS,
    size: str | tuple[float, float] = "full",
    dpi: int = 300,
    *,
    table: pd.DataFrame | None = None,
) -> list[Path]:
    """Write a chart as PNG/SVG/PDF plus its data (CSV) and a Danish alt text.

    Parameters
    ----------
    fig : Figure
        A chart (from a survey_kit builder or any plotly figure).
    path : str or Path
        The output path without suffix (a suffix among ``formats`` is dropped):
        ``reports/fig1`` gives ``fig1.png``, ``fig1.svg``, ``fig1.pdf``, ``fig1.csv`` and
        ``fig1.alt.txt``.
    formats : sequence of {"png", "svg", "pdf"}
    size : "full", "half" or (width_cm, height_cm)
        16 cm (A4 text width), 7.8 cm (half width) or an explicit size.
    dpi : int
        Resolution of the PNG (pixels = cm / 2.54 * dpi).
    table : DataFrame, optional
        The data for the CSV; by default the result table the builder stored in the figure.
        No CSV is written when neither is available.

    Returns
    -------
    list of Path
        The files written: the images in ``formats`` order, then the CSV and the alt text.
    """
    if not isinstance(fig, go.Figure):
        raise ValueError("fig: expected a plotly.graph_objects.Figure")
    if isinstance(formats, str):
        formats = (formats,)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"formats: expected some of {', '.join(FORMATS)}, got {list(formats)}")
    if not isinstance(dpi, int) or dpi <= 0:
        raise ValueError("dpi: expected a positive integer")
    w_cm, h_cm = figure_size(fig, size)
    fitted = fit_width(fig, size)
    path = Path(path)
    if path.suffix.lstrip(".").lower() in FORMATS:
        path = path.with_suffix("")
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        out = path.with_name(f"{path.name}.{fmt}")
        out.write_bytes(_render(fitted, fmt, w_cm, h_cm, dpi))
        written.append(out)
    data = table if table is not None else chart_table(fig)
    if data is not None:
        written.append(write_table_csv(data, path.with_name(f"{path.name}.csv")))
    alt = path.with_name(f"{path.name}.alt.txt")
    alt.write_text(alt_text(fig) + "\n", encoding="utf-8")
    written.append(alt)
    return written
