"""Render a report: execute a parameterised notebook (papermill), convert it to self-contained
HTML (nbconvert, code hidden, plotly.js embedded once, nothing loaded from the network) and print
that HTML to an A4 PDF with headless Chromium (no LaTeX)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

TEMPLATES = resources.files("survey_kit.report") / "templates"

#: Chromium flags for a closed network, as root, without a screen (see TECH-NOTES).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)


def chromium_path() -> str:
    """The Chromium executable: ``BROWSER_PATH`` if set, else Debian's ``chromium``."""
    candidates = [os.environ.get("BROWSER_PATH"), "chromium", "chromium-browser", "google-chrome"]
    for c in candidates:
        if c and (found := shutil.which(c)):
            return found
    raise RuntimeError(
        "Chromium was not found: install Debian's chromium (make install does) or set BROWSER_PATH"
    )


def execute_notebook(template: Path, out_path: Path, parameters: dict[str, Any], *, cwd: Path | None = None) -> Path:
    """Execute ``template`` with papermill, injecting ``parameters``; returns ``out_path``."""
    import papermill as pm

    out_path.parent.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(
        str(template),
        str(out_path),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        cwd=str(cwd) if cwd else None,
        report_mode=True,
        # quiet kernel: its start-up warnings (e.g. about TCP transport) are not the analyst's concern
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    return out_path


def notebook_to_html(nb_path: Path, html_path: Path, *, title: str) -> Path:
    """Convert an executed notebook to one self-contained, offline HTML file without code."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(nb_path, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:  # a reader sees results, never warnings or logs from the kernel
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    with resources.as_file(TEMPLATES / "nbconvert") as tpl_dir:
        exporter = HTMLExporter(
            template_name="survey_kit",
            extra_template_basedirs=[str(tpl_dir)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = body.replace("<html>", '<html lang="da">', 1)
    _atomic_write_text(html_path, body)
    return html_path


def html_to_pdf(html_path: Path, pdf_path: Path, *, timeout: float = 120) -> Path:
    """Print an HTML file to PDF (A4, from the page's CSS) with headless Chromium."""
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        tmp_pdf = pdf_path.with_suffix(".pdf.part")
        cmd = [
            chromium_path(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=15000",
            f"--print-to-pdf={tmp_pdf}",
            html_path.resolve().as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or not tmp_pdf.exists():
            raise RuntimeError(f"Chromium could not print {html_path} to PDF: {proc.stderr[-500:]}")
        os.replace(tmp_pdf, pdf_path)
    return pdf_path


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
