"""Static export of charts (PNG, SVG, PDF) with kaleido >= 1 and Debian's chromium.

A :class:`ChartExporter` owns one Chromium (kaleido, on its own event-loop thread) and writes
any number of charts with it; it is a context manager::

    with ChartExporter() as charts:
        charts.save(fig, "reports/figur1")          # png, svg, pdf + csv + alt text

:func:`save_chart` is the same for one-off use: it uses the module's default exporter, started on
first use and closed at exit; ``with exporting(): ...`` keeps that default running for a block
and closes it at the end (unless it ran before the block). No state is kept in plotly or kaleido:
the exporter passes MathJax off (no CDN request) to its own kaleido, and plotly's process-wide
defaults are left alone. Kaleido finds ``/usr/bin/chromium`` itself and honours ``BROWSER_PATH``;
it runs chromium without sandbox (needed as root) and downloads nothing.

Sizes: a survey_kit chart carries the print size it was laid out for (``layout.width`` and
``layout.height`` in CSS pixels, ``layout.meta["print_mm"]``) and is exported at exactly that
size. Asking for another size (``"full"`` 17 cm, ``"half"`` 8.2 cm or
``(width_cm, height_cm)``) lays the chart out again at that size from the data it keeps.
A PNG at ``dpi`` has ``round(cm / 2.54 * dpi)`` pixels and carries its DPI (pHYs chunk); a PDF
page is ``cm / 2.54 * 72`` points; an SVG is in CSS pixels (``cm / 2.54 * 96``).
Beside each chart go its data as CSV (``;`` separator, decimal comma, UTF-8 with BOM for Excel)
and a Danish alt text (``.alt.txt``).
"""

from __future__ import annotations

import asyncio
import atexit
import io
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from survey_kit.charts.layout import print_mm
from survey_kit.charts.style import CM_PER_INCH, CSS_DPI, table_from_meta
from survey_kit.fmt import fmt_num

__all__ = ["FORMATS", "ChartExporter", "alt_text", "chart_table", "default_exporter", "export", "exporting",
           "figure_size", "fit_width", "save_chart", "write_table_csv"]

FORMATS = ("png", "svg", "pdf")


def _kaleido():
    """kaleido (the ``pdf`` extra), or one sentence saying how to install it."""
    from survey_kit._extras import require

    return require("kaleido")


def _browser_path() -> str:
    """The chromium kaleido will use (``BROWSER_PATH`` first); an error names what is missing.

    Checked before the browser starts, so a missing browser is one sentence, not a wait.
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


class ChartExporter:
    """One Chromium (kaleido) that writes any number of charts as PNG, SVG and PDF.

    A context manager: ``with ChartExporter() as ex:`` starts the browser and closes it at the
    end of the block; :meth:`start` and :meth:`close` do the same by hand. Exporters are
    independent of each other (each has its own browser and event-loop thread), and one
    exporter may be used from several threads.

    Parameters
    ----------
    timeout : float
        Seconds to wait for one image before giving up with an error (a browser that stopped
        answering never hangs the caller).
    """

    def __init__(self, *, timeout: float = 90.0) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    @property
    def running(self) -> bool:
        """Whether the browser is started (and its thread alive)."""
        return self._kaleido is not None and self._thread is not None and self._thread.is_alive()

    def start(self) -> ChartExporter:
        """Start the browser unless it runs already; returns the exporter."""
        with self._lock:
            if self._kaleido is not None:
                return self
            kaleido = _kaleido()
            path = _browser_path()
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="survey_kit chart export",
                                      daemon=True)
            thread.start()

            async def _open():
                k = kaleido.Kaleido(n=1, timeout=self.timeout, mathjax=False, path=path)
                await k.open()
                return k

            try:
                self._kaleido = asyncio.run_coroutine_threadsafe(_open(), loop).result(
                    timeout=self.timeout)
            except BaseException:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=10)
                raise
            self._loop, self._thread = loop, thread
        return self

    def close(self) -> None:
        """Close the browser and its thread (a closed exporter can be started again)."""
        with self._lock:
            k, loop, thread = self._kaleido, self._loop, self._thread
            self._kaleido = self._loop = self._thread = None
        if k is None or loop is None:
            return
        try:
            if thread is not None and thread.is_alive():
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(timeout=30)
        except Exception:  # noqa: BLE001 - a crashed browser is closed already
            pass
        finally:
            loop.call_soon_threadsafe(loop.stop)
            if thread is not None:
                thread.join(timeout=30)
            if not loop.is_running():
                loop.close()

    def __enter__(self) -> ChartExporter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<ChartExporter {'running' if self.running else 'closed'}>"

    def image(self, fig: go.Figure, fmt: str, w_cm: float, h_cm: float, dpi: int = 300) -> bytes:
        """``fig`` as PNG, SVG or PDF bytes of exactly ``w_cm`` x ``h_cm`` (PNG at ``dpi``)."""
        if fmt == "png":
            scale = dpi / CSS_DPI
            # chromium floors width * scale; aim a quarter pixel above the target size
            w_px = (round(w_cm / CM_PER_INCH * dpi) + 0.25) / scale
            h_px = (round(h_cm / CM_PER_INCH * dpi) + 0.25) / scale
        else:
            scale = 1
            w_px = w_cm / CM_PER_INCH * CSS_DPI
            h_px = h_cm / CM_PER_INCH * CSS_DPI
        self.start()
        k, loop = self._kaleido, self._loop
        if not self.running or loop is None:
            self.close()
            raise RuntimeError("The chromium used for chart export stopped; see the log above.")
        future = asyncio.run_coroutine_threadsafe(k.calc_fig(
            fig.to_plotly_json(), opts=dict(format=fmt, width=w_px, height=h_px, scale=scale)), loop)
        try:
            out = future.result(timeout=self.timeout + 30)
        except TimeoutError as err:
            future.cancel()
            raise RuntimeError(f"Chart export: no {fmt} image after {self.timeout:.0f} s; the "
                               "chromium used for chart export does not answer.") from err
        return _with_dpi(out, dpi) if fmt == "png" else out

    def save(
        self,
        fig: go.Figure,
        path: str | Path,
        formats: Sequence[str] = FORMATS,
        size: str | tuple[float, float] | None = None,
        dpi: int = 300,
        *,
        table: pd.DataFrame | None = None,
    ) -> list[Path]:
        """Write a chart as PNG/SVG/PDF plus its data (CSV) and a Danish alt text.

        The arguments and the files written are those of :func:`save_chart`.
        """
        return _save(self, fig, path, formats, size, dpi, table=table)


#: The exporter behind :func:`save_chart` and :func:`exporting`: started on first use, closed at
#: exit (or at the end of the ``exporting()`` block that started it).
_DEFAULT = ChartExporter()
atexit.register(_DEFAULT.close)


def default_exporter() -> ChartExporter:
    """The module's default exporter (not started until it writes a chart)."""
    return _DEFAULT


@contextmanager
def exporting() -> Iterator[ChartExporter]:
    """Keep the default exporter's chromium running for every chart written inside the block.

    Nested blocks and an exporter that is already running are reused; the browser is closed at
    the end of the block only if this block started it. Yields the exporter.
    """
    started = not _DEFAULT.running
    _DEFAULT.start()
    try:
        yield _DEFAULT
    finally:
        if started:
            _DEFAULT.close()


def _own_mm(fig: go.Figure) -> tuple[float, float] | None:
    meta = fig.layout.meta
    if isinstance(meta, dict) and meta.get("print_mm"):
        w, h = meta["print_mm"]
        return float(w), float(h)
    return None


def _builders() -> dict:
    from survey_kit.charts import bars, trend, waves

    return {"likert_bars": bars.likert_bars, "share_bars": bars.share_bars,
            "ranking_bars": bars.ranking_bars, "wave_dumbbell": waves.wave_dumbbell,
            "prepost": waves.prepost, "heatmap": waves.heatmap, "trend_lines": trend.trend_lines}


def fit_width(fig: go.Figure, size: str | tuple[float, float] | None = None) -> go.Figure:
    """A survey_kit chart laid out for a print size (the figure itself is not changed).

    ``None`` or the chart's own size gives a copy of it. Another size builds the chart again
    from the table and arguments it keeps (``layout.meta``), so labels wrap and margins fit
    that width; changes made to the figure after it was built are not carried over then.
    Other plotly figures are returned as a copy with ``width``/``height`` of the size.
    """
    out = go.Figure(fig)
    if size is None:
        return out
    w_mm, h_mm = print_mm(size)
    own = _own_mm(fig)
    meta = fig.layout.meta
    if own is not None and abs(own[0] - w_mm) < 0.05 and (h_mm is None or abs(own[1] - h_mm)
                                                          < 0.05):
        return out
    if own is not None and meta.get("survey_kit") in _builders():
        kwargs = dict(meta.get("build") or {})
        for key in ("value_range", "change_range", "color_range"):
            if kwargs.get(key) is not None:
                kwargs[key] = tuple(kwargs[key])
        return _builders()[meta["survey_kit"]](table_from_meta(meta), size=size, **kwargs)
    w_px = w_mm / 25.4 * CSS_DPI
    h_px = h_mm / 25.4 * CSS_DPI if h_mm else (fig.layout.height or 0.62 * w_px)
    out.update_layout(width=w_px, height=h_px)
    return out


def figure_size(fig: go.Figure, size: str | tuple[float, float] | None = None
                ) -> tuple[float, float]:
    """Width and height in cm of ``fig`` exported at ``size`` (default: its own print size).

    A survey_kit chart takes the height its rows need at that width; other figures get
    ``layout.height`` or 62 % of the width.
    """
    if size is not None and not isinstance(size, str):
        w_mm, h_mm = print_mm(size)
        return w_mm / 10, h_mm / 10
    fitted = fit_width(fig, size)
    own = _own_mm(fitted)
    if own is not None:
        return own[0] / 10, own[1] / 10
    w_px = fitted.layout.width or 170 / 25.4 * CSS_DPI
    h_px = fitted.layout.height or 0.62 * w_px
    return w_px / CSS_DPI * CM_PER_INCH, h_px / CSS_DPI * CM_PER_INCH


def _with_dpi(png: bytes, dpi: int) -> bytes:
    """The PNG with its resolution written into it (pHYs), as kaleido leaves it out."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        img.load()
        buf = io.BytesIO()
        img.save(buf, format="PNG", dpi=(dpi, dpi), optimize=False)
    return buf.getvalue()


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
    if isinstance(meta, dict) and (meta.get("build") or {}).get("title"):
        title = meta["build"]["title"]
    title = title.replace("<br>", " ")
    parts = [f"Diagram: {title}." if title else "Diagram."]
    if isinstance(meta, dict) and meta.get("alt"):
        parts.extend(meta["alt"])
    else:
        kinds = sorted({tr.type for tr in fig.data})
        parts.append(f"Figuren har {fmt_num(len(fig.data), 0)} dataserier ({', '.join(kinds)}).")
    for ann in fig.layout.annotations:
        if ann.name == "source" and ann.text:
            parts.append(f"{ann.text.replace('<br>', ' ')}.".replace("..", "."))
    return " ".join(parts)


def save_chart(
    fig: go.Figure,
    path: str | Path,
    formats: Sequence[str] = FORMATS,
    size: str | tuple[float, float] | None = None,
    dpi: int = 300,
    *,
    table: pd.DataFrame | None = None,
) -> list[Path]:
    """Write a chart as PNG/SVG/PDF plus its data (CSV) and a Danish alt text.

    Uses the module's default :class:`ChartExporter` (one browser for every call, closed at
    exit); ``with ChartExporter() as ex: ex.save(...)`` does the same with a browser of its own.

    Parameters
    ----------
    fig : Figure
        A chart (from a survey_kit builder or any plotly figure).
    path : str or Path
        The output path without suffix (a suffix among ``formats`` is dropped):
        ``reports/fig1`` gives ``fig1.png``, ``fig1.svg``, ``fig1.pdf``, ``fig1.csv`` and
        ``fig1.alt.txt``.
    formats : sequence of {"png", "svg", "pdf"}
    size : "full", "half", (width_cm, height_cm) or None
        None (default): the print size the chart was built for. Otherwise 17 cm (A4 text
        width), 8.2 cm (half width) or an explicit size; a survey_kit chart is then laid out
        again for that size.
    dpi : int
        Resolution of the PNG (pixels = cm / 2.54 * dpi).
    table : DataFrame, optional
        The data for the CSV; by default the result table the builder stored in the figure.
        No CSV is written when neither is available.

    Returns
    -------
    list of Path
        The files written: the images in ``formats`` order, then the CSV and the alt text.

    Examples
    --------
    >>> import survey_kit as sk                                   # doctest: +SKIP
    >>> sk.save_chart(fig, "reports/figur1", size="full")          # doctest: +SKIP
    """
    return _save(_DEFAULT, fig, path, formats, size, dpi, table=table)


def _save(exporter: ChartExporter, fig, path, formats, size, dpi, *, table) -> list[Path]:
    if not isinstance(fig, go.Figure):
        raise ValueError("fig: expected a plotly.graph_objects.Figure")
    if isinstance(formats, str):
        formats = (formats,)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"formats: expected some of {', '.join(FORMATS)}, got {list(formats)}")
    if not isinstance(dpi, int) or dpi <= 0:
        raise ValueError("dpi: expected a positive integer")
    fitted = fit_width(fig, size)
    w_cm, h_cm = figure_size(fitted, size if size is not None and not isinstance(size, str)
                             else None)
    path = Path(path)
    if path.suffix.lstrip(".").lower() in FORMATS:
        path = path.with_suffix("")
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        out = path.with_name(f"{path.name}.{fmt}")
        out.write_bytes(exporter.image(fitted, fmt, w_cm, h_cm, dpi))
        written.append(out)
    data = table if table is not None else chart_table(fig)
    if data is not None:
        written.append(write_table_csv(data, path.with_name(f"{path.name}.csv")))
    alt = path.with_name(f"{path.name}.alt.txt")
    alt.write_text(alt_text(fitted) + "\n", encoding="utf-8")
    written.append(alt)
    return written


def export(
    fig: go.Figure,
    path: str | Path,
    formats: Sequence[str] = FORMATS,
    size: str | tuple[float, float] | None = None,
    dpi: int = 300,
    *,
    table: pd.DataFrame | None = None,
) -> list[Path]:
    """Deprecated name of :func:`save_chart` (``export`` read like reading a survey export)."""
    from survey_kit._deprecated import RENAMED, warn

    warn("export", RENAMED["export"])
    return save_chart(fig, path, formats, size, dpi, table=table)
