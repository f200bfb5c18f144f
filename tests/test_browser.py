"""The browser behind PDFs is an object (survey_kit._browser.Browser), not module state: each
Browser owns its Chromium, the Browsers of a thread share Playwright's one sync driver, which
stops when the last of them closes; a PdfPrinter prints in its own browser or in one it is given."""

from __future__ import annotations

import pytest

from survey_kit._browser import Browser, driver_users

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chromium")]


def test_a_browser_is_a_context_manager_that_owns_its_chromium():
    before = driver_users()
    with Browser() as one:
        assert one.running and driver_users() == before + 1
        with Browser() as two:  # a second browser beside it, on the same driver
            assert two.running and two.chromium is not one.chromium
            assert driver_users() == before + 2
            page = two.new_page()
            page.set_content("<p>æøå</p>")
            assert page.inner_text("p") == "æøå"
        assert not two.running and one.running  # closing one leaves the other alone
        assert driver_users() == before + 1
    assert not one.running and driver_users() == before
    one.close()  # closing again is harmless
    assert driver_users() == before


def test_a_printer_prints_in_a_browser_it_is_given_and_leaves_it_open(tmp_path):
    from survey_kit.report.render import PdfPrinter

    html = tmp_path / "r.html"
    html.write_text('<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Rapport</title>'
                    "</head><body><h1>Rapport</h1><p>Side med æøå</p></body></html>", encoding="utf-8")
    with Browser() as browser:
        with PdfPrinter(browser=browser) as printer:
            pdf = printer.print_pdf(html, tmp_path / "r.pdf")
            assert printer._browser is browser
        assert browser.running  # the caller's browser: the printer does not close it
        from pypdf import PdfReader

        assert "æøå" in PdfReader(pdf).pages[0].extract_text()
    # a printer without one starts its own and closes it with itself
    with PdfPrinter() as printer:
        own = printer._browser
        printer.print_pdf(html, tmp_path / "s.pdf")
        assert own.running and own is not browser
    assert not own.running


def test_a_report_pdf_is_printed_from_a_notebook(tmp_path):
    # a Jupyter kernel runs an asyncio loop in the thread of the cells, where Playwright's sync API
    # refuses to run ("using Playwright Sync API inside the asyncio loop"): the printer prints from
    # a thread of its own there, so the report writer's PDF works in JupyterLab
    import nbformat
    from _nbrun import SlicedClient

    html = tmp_path / "r.html"
    html.write_text('<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Rapport</title>'
                    "</head><body><h1>Rapport</h1><p>Side med æøå</p></body></html>", encoding="utf-8")
    code = ("import asyncio\nasyncio.get_running_loop()  # the kernel's loop runs in this thread\n"
            "from survey_kit.report.render import PdfPrinter\n"
            "with PdfPrinter() as printer:\n"
            f"    printer.print_pdf({str(html)!r}, {str(tmp_path / 'r.pdf')!r})\n"
            "    printer.print_pdf(" + repr(str(html)) + ", " + repr(str(tmp_path / "s.pdf")) + ")\n"
            "print(printer._worker is None and printer._browser is None)\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    SlicedClient(nb, kernel_name="python3", timeout=120, allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    out = nb.cells[0].outputs
    errors = [o for o in out if o.output_type == "error"]
    assert not errors, "\n".join(errors[0].traceback)[-1500:]
    assert "".join(o.get("text", "") for o in out).strip() == "True"  # closed, thread and browser
    from pypdf import PdfReader

    for name in ("r.pdf", "s.pdf"):
        assert "æøå" in PdfReader(tmp_path / name).pages[0].extract_text()
