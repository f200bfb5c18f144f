"""Render a :class:`~survey_kit.report.content.Report` as one self-contained HTML page (jinja2,
plotly.js embedded once, nothing loaded from the network) and print it to a tagged A4 PDF with
headless Chromium (Playwright driving Debian's chromium; no LaTeX).

The PDF has page numbers ("Side 3 af 12") and the report's title and date in the footer of every
page but the first, a document outline (bookmarks) from the headings, and Danish as its language
(from ``<html lang="da">``).

The browser is a :class:`survey_kit._browser.Browser` held by a :class:`PdfPrinter` (its own, or one
it is given); no browser or driver handle lives at module level.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from survey_kit._browser import CHROMIUM_FLAGS, Browser, chromium_path  # noqa: F401 - names of this module too (tests, callers)
from survey_kit._files import atomic_write_bytes
from survey_kit.fmt import NUMERIC_KINDS

if TYPE_CHECKING:  # the model; render reads blocks by their ``kind`` (content shows itself through
    # render, so render never imports content: no import cycle inside report)
    from survey_kit.report.content import Figure, Report, Table

TEMPLATES = resources.files("survey_kit.report") / "templates"

CSS_DPI = 96
CM_PER_INCH = 2.54
#: A4 text width with 2 cm margins: 170 mm in CSS pixels.
TEXT_WIDTH_PX = 170 / 10 / CM_PER_INCH * CSS_DPI
#: A4 text height (257 mm) less room for a caption: a taller figure is shown smaller to fit one page.
FIGURE_MAX_HEIGHT_PX = 245 / 10 / CM_PER_INCH * CSS_DPI

WORDS = {
    "da": {"date": "Rapportdato", "page": "Side", "of": "af", "none": "Ingen kommentarer at vise."},
    "en": {"date": "Report date", "page": "Page", "of": "of", "none": "No comments to show."},
}


# -- HTML ---------------------------------------------------------------------------------------
@cache
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    return env


@cache
def _css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


@cache
def _draw_js() -> str:
    return (TEMPLATES / "draw.js").read_text(encoding="utf-8")


@cache
def _plotlyjs() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def print_figure(fig: Any, size: str | tuple[float, float]) -> Any:
    """The figure as laid out for its print size, with ``layout.width``/``height`` in CSS px.

    A figure that already carries its width and height is used as it is; otherwise the chart
    export's own fitting gives the print layout (the same as the figure files).
    """
    if fig.layout.width and fig.layout.height:
        return fig
    from survey_kit.charts.export import figure_size, fit_width

    w_cm, h_cm = figure_size(fig, size)
    out = fit_width(fig, size)
    out.update_layout(width=round(w_cm / CM_PER_INCH * CSS_DPI), height=round(h_cm / CM_PER_INCH * CSS_DPI))
    return out


def _figure_spec(fig: Any) -> str:
    """The figure's data and layout as JSON that is safe inside a ``<script>`` element."""
    import plotly.io as pio

    text = pio.to_json(fig, validate=False, pretty=False, engine="json")
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def table_context(table: Table, label: str) -> dict:
    """A table as text cells for a template: headers, rows, classes, suppression."""
    frame = table.display_frame()
    sup = table.suppressed()
    kinds = [c.kind for c in table.columns]
    rows = []
    for i, values in enumerate(frame.itertuples(index=False)):
        cells = []
        for kind, v in zip(kinds, values, strict=True):
            cls = "num" if kind in NUMERIC_KINDS else ("sk-method" if kind == "method" else "")
            if sup[i] and kind in NUMERIC_KINDS:
                cls += " sk-suppressed"
            cells.append({"text": str(v), "cls": cls.strip()})
        rows.append({"cells": cells, "suppressed": sup[i]})
    return {
        "kind": "table",
        "id": f"tabel-{_slug(table.name)}",
        "label": label,
        "title": table.title,
        "headers": [{"text": c.header, "numeric": c.kind in NUMERIC_KINDS} for c in table.columns],
        "rows": rows,
        "row_headers": bool(kinds) and kinds[0] in ("text", "method"),
        "note": table.note,
    }


def table_html(table: Table, label: str) -> str:
    """One table as accessible HTML (caption, ``th scope``)."""
    mod = _environment().get_template("report.html.j2").module
    return str(mod.table(table_context(table, label)))


def _figure_context(report: Report, fig: Figure, used_ids: set[str]) -> dict:
    printed = print_figure(fig.figure, fig.size)
    div_id = f"figur-{_slug(fig.name)}"
    while div_id in used_ids:
        div_id += "-2"
    used_ids.add(div_id)
    return {
        "name": fig.name,
        "id": div_id,
        "size": fig.size if isinstance(fig.size, str) else "custom",
        "label": report.label(fig),
        "title": fig.caption_title(),
        "alt": fig.alt_text(),
        "spec": Markup(_figure_spec(printed)),
        "width_px": printed.layout.width,
        "height_px": printed.layout.height,
        "zoom": min(1.0, FIGURE_MAX_HEIGHT_PX / printed.layout.height, TEXT_WIDTH_PX / printed.layout.width),
    }


def _blocks_context(report: Report) -> list[dict]:
    out: list[dict] = []
    used: set[str] = set()
    for block in report.blocks:
        if block.kind == "heading":
            out.append({"kind": "heading", "level": min(max(block.level, 2), 3), "text": report.resolve(block.text)})
        elif block.kind == "paragraph":
            out.append({"kind": "paragraph", "text": report.resolve(block.text), "css": block.css})
        elif block.kind == "findings":
            out.append({"kind": "findings", "sentences": [report.resolve(s) for s in block.sentences]})
        elif block.kind == "table":
            out.append(table_context(block, report.label(block)))
        elif block.kind == "figure":
            ctx = _figure_context(report, block, used)
            prev = out[-1] if out else None
            if (block.size == "half" and prev and prev["kind"] == "figures"
                    and len(prev["figs"]) == 1 and prev["figs"][0]["size"] == "half"):
                prev["figs"].append(ctx)
            else:
                out.append({"kind": "figures", "figs": [ctx]})
        elif block.kind == "comments":
            out.append({"kind": "comments", "title": block.title, "texts": [Markup(t) for t in block.texts]})
    return out


def report_source(report: Report) -> str:
    """The report's source line without its count ("Kilde: Temperaturmåling 2010"), from the
    report's ``source`` when it has one, else from the first chart's source line."""
    own = getattr(report, "source", None)
    if own:
        return str(own)
    for fig in report.figures():
        for ann in fig.figure.layout.annotations:
            if ann.name == "source" and ann.text:
                text = ann.text.replace("<br>", " ")
                return text.split(", antal svar", 1)[0].split(", n =", 1)[0].strip()
    return ""


def page_css(report: Report, lang: str = "da") -> str:
    """The report's ``@page`` rules: the footer (title, date, "Side N af M") on every page but
    the first, as CSS margin boxes (printed by Chromium >= 131 and by the browser's print dialog)."""
    w = WORDS.get(lang, WORDS["da"])
    font = 'font: 8pt "Liberation Sans", Arial, sans-serif; color: #444; vertical-align: top; padding-top: 5mm;'
    left = css_string(f"{report.title} · {report.date_text()}")
    return (
        "@page {\n"
        f'  @bottom-left {{ content: "{left}"; {font} }}\n'
        f'  @bottom-right {{ content: "{w["page"]} " counter(page) " {w["of"]} " counter(pages); {font} text-align: right; }}\n'
        "}\n"
        "@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }\n"
    )


def _render(report: Report, *, lang: str, part: str, body: tuple[str, int] | None = None) -> tuple[str, int]:
    words = WORDS.get(lang, WORDS["da"])
    blocks = [] if body else _blocks_context(report)
    n_figures = body[1] if body else sum(len(b["figs"]) for b in blocks if b["kind"] == "figures")
    text = _environment().get_template("report.html.j2").render(
        lang=lang,
        part=part,
        title=report.title,
        subtitle=report.subtitle,
        date_label=words["date"],
        date_text=report.date_text(),
        date_iso=report.report_date.isoformat(),
        source=report_source(report),
        blocks=blocks,
        no_comments=words["none"],
        css=Markup(_css() + page_css(report, lang)),
        body_html=Markup(body[0]) if body else None,
        plotlyjs=Markup(_plotlyjs()) if n_figures else None,
        draw_js=Markup(_draw_js()),
    )
    return text, n_figures


def report_html(report: Report, *, lang: str = "da", fragment: bool = False,
                body: tuple[str, int] | None = None) -> str:
    """The report as one self-contained, offline HTML page (or a fragment for a notebook).

    ``body`` is :func:`report_body`'s result when the caller has it already.
    """
    return _render(report, lang=lang, part="fragment" if fragment else "page", body=body)[0]


def report_body(report: Report, *, lang: str = "da") -> tuple[str, int]:
    """The page's ``<body>`` content and its number of figures (for :class:`PdfPrinter`)."""
    return _render(report, lang=lang, part="body")


def css_string(text: str) -> str:
    """``text`` escaped for a CSS string in double quotes inside a ``<style>`` element."""
    out = []
    for ch in text:
        if ch in '\\"<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)


def write_html(report: Report, path: Path, *, lang: str = "da", body: tuple[str, int] | None = None) -> Path:
    """Write :func:`report_html` atomically to ``path``."""
    atomic_write_bytes(Path(path), report_html(report, lang=lang, body=body).encode("utf-8"))
    return Path(path)


# -- PDF ----------------------------------------------------------------------------------------
_READY_JS = """(n) => {
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return plots.length >= n && plots.every(p => p._fullLayout && p.querySelector('svg.main-svg'));
}"""

_LOAD_JS = """async ({lang, title, css, body, pngScale}) => {
  document.querySelectorAll('.js-plotly-plot').forEach(p => Plotly.purge(p));
  document.documentElement.lang = lang;
  document.title = title;
  document.getElementById('sk-css').textContent = css;
  document.body.innerHTML = body;
  await skDraw();
  await document.fonts.ready;
  const drawn = document.querySelectorAll('.sk-plot.js-plotly-plot').length;
  const svgs = await skFreeze(document, pngScale);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return {drawn: drawn, svgs: svgs};
}"""

def playwright():
    """This thread's Playwright driver, held until the process exits (for code that launches
    browsers of its own from it). Prefer :class:`Browser`, which holds the driver only while it
    runs."""
    from survey_kit._browser import hold_driver

    return hold_driver()


def launch_chromium(**kwargs: Any) -> Browser:
    """A started :class:`Browser` (Debian's Chromium, closed-network flags); ``close()`` it."""
    return Browser(executable=kwargs.pop("executable_path", None), **kwargs).start()


#: The printing page's @page rules without the footer: it is printed apart and laid over the
#: pages as an artifact (no untagged content to find and wrap in the report's own pages).
_NO_FOOTER = "@page { @bottom-left { content: none; } @bottom-right { content: none; } }\n"

_PDF_OPTIONS = dict(format="A4", prefer_css_page_size=True, print_background=True, tagged=True, outline=True)


def _loop_running() -> bool:
    """Whether this thread runs an asyncio loop (a Jupyter kernel does), where Playwright's sync API
    cannot run."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _on_printer_thread(method):
    """Run a :class:`PdfPrinter` method on the printer's own thread when it has one."""
    import functools

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        worker = self._worker_for_call()
        if worker is None:
            return method(self, *args, **kwargs)
        return worker.submit(method, self, *args, **kwargs).result()

    return call


class PdfPrinter:
    """One headless Chromium (a :class:`Browser`) that prints any number of reports; a context
    manager. ``browser=`` prints in a browser the caller owns (and closes) instead of its own.

    :meth:`print_report` keeps one page with plotly.js already loaded and swaps each report's
    content into it (loading plotly.js takes about 2 s per page on a busy machine; drawing and
    printing a report then takes a few tenths of a second). :meth:`print_pdf` prints an HTML file.
    Every PDF is A4, tagged, with an outline (bookmarks) from the headings and the language of
    ``<html lang>``; page numbers and the footer come from the page's CSS (see :func:`page_css`).

    In a thread that runs an asyncio loop (a Jupyter kernel), where Playwright's sync API cannot
    run, a printer with its own browser drives it from a thread of its own (all of its methods run
    there), so ``render_reports`` writes PDFs from a notebook too.
    """

    def __init__(self, *, executable: str | None = None, browser: Browser | None = None) -> None:
        self.executable = executable
        self._browser = browser
        self._own = browser is None
        self._shell = None
        self._footer = None
        self._worker = None  # the printer's own thread (a one-thread executor), when it needs one
        self._worker_ident = None

    def _worker_for_call(self):
        """The executor to run a call on, or None to run it here (no own thread, or on it already)."""
        import threading

        if self._worker is None:
            if not (self._own and self._browser is None and _loop_running()):
                return None
            from concurrent.futures import ThreadPoolExecutor

            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="survey_kit-pdf")
            self._worker_ident = self._worker.submit(threading.get_ident).result()
        return None if threading.get_ident() == self._worker_ident else self._worker

    @_on_printer_thread
    def start(self) -> PdfPrinter:
        """Start the browser (this printer's own, or the one it was given) unless it runs."""
        if self._browser is None:
            self._browser = Browser(executable=self.executable)
            self._own = True
        self._browser.start()
        return self

    def close(self) -> None:
        """Close this printer's pages, and its browser when it is its own (a browser it was given
        stays open for its owner); then its own thread, if it has one."""
        if self._worker is None:  # nothing to hand over to a thread of its own
            PdfPrinter._close.__wrapped__(self)
            return
        self._close()
        worker, self._worker, self._worker_ident = self._worker, None, None
        if worker is not None:
            worker.shutdown(wait=True)

    @_on_printer_thread
    def _close(self) -> None:
        for page in (self._shell, self._footer):
            if page is not None and self._browser is not None and self._browser.running:
                try:
                    page.close()
                except Exception:  # noqa: BLE001 - a page of a crashed browser is gone
                    pass
        self._shell = None
        self._footer = None
        if self._browser is not None and self._own:
            self._browser.close()
            self._browser = None

    def __enter__(self) -> PdfPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _shell_page(self):
        if self._shell is None or self._shell.is_closed():
            self.start()
            page = self._browser.new_page()
            page.route("**/*", lambda route: route.abort()
                       if not route.request.url.startswith(("data:", "about:", "blob:")) else route.continue_())
            page.set_content(
                '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title></title>'
                '<style id="sk-css"></style>'
                "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
                f"<script>{_plotlyjs()}</script><script>{_draw_js()}</script></head><body></body></html>",
                wait_until="load",
            )
            self._shell = page
        return self._shell

    def print_report(self, report: Report, pdf_path: Path, *, lang: str = "da",
                     body: tuple[str, int] | None = None, timeout_ms: float = 60_000) -> Path:
        """Print ``report`` (as :func:`report_html` shows it) to ``pdf_path``."""
        return self.render(report, pdf_path=pdf_path, lang=lang, body=body, timeout_ms=timeout_ms)[0]

    def render(self, report: Report, *, pdf_path: Path | None = None, png_dpi: int | None = None,
               lang: str = "da", body: tuple[str, int] | None = None,
               timeout_ms: float = 60_000) -> tuple[Path | None, dict[str, bytes]]:
        """Draw ``report``'s charts in the printing page; print the PDF and/or return PNGs.

        ``png_dpi``: also return every chart as a PNG at that resolution (figure name -> bytes),
        drawn by the same plotly.js in the same page (for Word), so no separate export is needed.
        The PDF is finished for PDF/UA-1 by :func:`survey_kit.report.pdfpost.finish_pdf`.
        """
        pdf, images = self.draw(report, pdf_path=pdf_path, png_dpi=png_dpi, lang=lang, body=body,
                                timeout_ms=timeout_ms)
        return pdf, {name: im["png"] for name, im in images.items() if "png" in im}

    @_on_printer_thread
    def draw(self, report: Report, *, pdf_path: Path | None = None, png_dpi: int | None = None,
             lang: str = "da", body: tuple[str, int] | None = None,
             timeout_ms: float = 60_000) -> tuple[Path | None, dict[str, dict]]:
        """As :meth:`render`, returning every chart's images: ``{name: {"svg": bytes, "width":
        px, "height": px[, "png": bytes]}}`` (the SVG is what the PDF shows)."""
        import base64
        from urllib.parse import unquote

        body, n_figures = body or report_body(report, lang=lang)
        page = self._shell_page()
        page.set_default_timeout(timeout_ms)
        res = page.evaluate(_LOAD_JS, {"lang": lang, "title": report.title,
                                       "css": _css() + (_NO_FOOTER if pdf_path else page_css(report, lang)),
                                       "body": body,
                                       "pngScale": (png_dpi / CSS_DPI) if png_dpi else 0})
        if res["drawn"] < n_figures:
            raise RuntimeError(f"{report.title}: only {res['drawn']} of {n_figures} charts were drawn for the PDF")
        images: dict[str, dict] = {}
        for name, svg in res["svgs"].items():
            head, _, data = svg["url"].partition(",")
            text = base64.b64decode(data) if head.endswith(";base64") else unquote(data).encode("utf-8")
            images[name] = {"svg": text, "width": svg["width"], "height": svg["height"]}
            if svg.get("png"):
                images[name]["png"] = png_with_dpi(base64.b64decode(svg["png"].split(",", 1)[1]), png_dpi)
        if pdf_path is None:
            return None, images
        return self._pdf(page, Path(pdf_path), title=report.title, lang=lang,
                         footer=lambda n: self._footer_pdf(report, lang, n)), images

    def _footer_pdf(self, report: Report, lang: str, n_pages: int) -> bytes:
        """``n_pages`` empty A4 pages with only the report's footer (CSS margin boxes), to be laid
        over the report's pages as artifacts (see :func:`survey_kit.report.pdfpost.finish_pdf`)."""
        if self._footer is None or self._footer.is_closed():
            self.start()
            self._footer = self._browser.new_page()
        blank = '<div style="break-after: page; height: 1px"></div>' * (n_pages - 1) + '<div style="height: 1px"></div>'
        self._footer.set_content(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>'
                                 f"{_css()}{page_css(report, lang)}</style></head><body>{blank}</body></html>")
        return self._footer.pdf(format="A4", prefer_css_page_size=True, print_background=False)

    @_on_printer_thread
    def figure_pdfs(self, images: dict[str, dict], timeout_ms: float = 60_000) -> dict[str, bytes]:
        """Each chart's SVG (from :meth:`draw`) as a one-page PDF of exactly its size.

        One print of a page with a named CSS page per chart, split into files with pikepdf.
        """
        import base64
        import io

        from survey_kit._extras import require

        pikepdf = require("pikepdf")

        names = [n for n, im in images.items() if "svg" in im]
        if not names:
            return {}
        css, body = [], []
        for i, name in enumerate(names):
            im = images[name]
            w, h = im["width"], im["height"]
            css.append(f"@page f{i} {{ size: {w}px {h}px; margin: 0; }} .f{i} {{ page: f{i}; width: {w}px; height: {h}px; }}")
            uri = "data:image/svg+xml;base64," + base64.b64encode(im["svg"]).decode("ascii")
            body.append(f'<div class="f{i}"><img src="{uri}" alt="" style="display:block;width:{w}px;height:{h}px"></div>')
        html = ('<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><style>html, body { margin: 0; padding: 0; }'
                " body > div { break-after: page; overflow: hidden; } " + " ".join(css) + "</style></head><body>"
                + "".join(body) + "</body></html>")
        self.start()
        page = self._browser.new_page()
        try:
            page.set_default_timeout(timeout_ms)
            page.set_content(html, wait_until="load")
            pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            page.close()
        out: dict[str, bytes] = {}
        with pikepdf.open(io.BytesIO(pdf)) as src:
            if len(src.pages) != len(names):
                raise RuntimeError(f"figure PDFs: {len(src.pages)} pages for {len(names)} charts")
            for name, pg in zip(names, src.pages, strict=True):
                one = pikepdf.new()
                one.pages.append(pg)
                buf = io.BytesIO()
                one.save(buf)
                out[name] = buf.getvalue()
        return out

    @_on_printer_thread
    def print_pdf(self, html_path: Path, pdf_path: Path, *, n_figures: int = 0,
                  timeout_ms: float = 60_000) -> Path:
        """Print an HTML file (e.g. one written by :func:`write_html`) to ``pdf_path``."""
        self.start()
        page = self._browser.new_page()
        try:
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load", timeout=timeout_ms)
            if n_figures:
                page.wait_for_function(_READY_JS, arg=n_figures, timeout=timeout_ms)
                page.evaluate("async () => window.skFreeze ? Object.keys(await skFreeze()).length : 0")
            return self._pdf(page, Path(pdf_path))
        finally:
            page.close()

    @staticmethod
    def _pdf(page, pdf_path: Path, *, title: str | None = None, lang: str | None = None,
             footer=None) -> Path:
        from survey_kit.report.pdfpost import finish_pdf

        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = pdf_path.with_name(f".{pdf_path.name}.part")
        page.pdf(path=str(tmp), **_PDF_OPTIONS)
        try:
            finish_pdf(tmp, pdf_path, title=title if title is not None else page.title(),
                       lang=lang or page.evaluate("() => document.documentElement.lang") or "da",
                       footer=footer)
        finally:
            tmp.unlink(missing_ok=True)
        return pdf_path


def png_with_dpi(png: bytes, dpi: int) -> bytes:
    """``png`` with its resolution (a ``pHYs`` chunk after ``IHDR``), without decoding it."""
    import struct
    import zlib

    if png[12:16] != b"IHDR" or b"pHYs" in png[:4096]:
        return png
    ppm = round(dpi / 0.0254)
    data = struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", len(data)) + b"pHYs" + data + struct.pack(">I", zlib.crc32(b"pHYs" + data))
    end = 8 + 4 + 4 + 13 + 4  # signature + IHDR chunk
    return png[:end] + chunk + png[end:]
