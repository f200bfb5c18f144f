"""``sk.review`` in a real JupyterLab in Chromium: a notebook calls ``sk.review(draft, export)`` on
the untouched draft of a real export (Microsoft Forms, Norwegian), one decision is made by clicking
(an answer moved up), "Gem" is pressed, and the file on disk is checked.

Driven as the explorer's test drives JupyterLab (its helpers are reused): through
``window.jupyterapp``, waiting on states (server up, kernel idle, every cell run, the widget drawn,
the answers reordered, the saved message shown), never on time."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from test_explorer_jupyterlab import (
    _KERNEL_IDLE,
    _OPEN_NOTEBOOK,
    _RUN_ALL,
    TOKEN,
    lab_server,
)

from survey_kit.codebook import load_codebook
from survey_kit.ingest.infer import draft_codebook, open_decisions

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "tests" / "data" / "corpus" / "forms_no" / "data.xlsx"
GENDER = "Hvilket kjønn identifiserer du deg som?"
ORDER_NOTE = ("svarene står i den rækkefølge, de første gang optræder i filen: ret kodernes "
              "rækkefølge, hvis de er en skala")


def _project(folder: Path) -> str:
    """The draft (a note on the gender item, in the draft's words, if infer gave it none), the
    export and a thin notebook; returns the gender item's code."""
    draft = draft_codebook(EXPORT)
    code = next(it.code for it in draft.codebook.items if it.text == GENDER)
    lines = draft.to_yaml().splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if re.match(rf"^- code: ['\"]?{code}['\"]?\s*$", ln))
    if not lines[at - 1].startswith("# TJEK"):
        lines.insert(at, f"# TJEK: {ORDER_NOTE}\n")
    (folder / "udkast.yaml").write_text("".join(lines), encoding="utf-8")
    shutil.copy(EXPORT, folder / "data.xlsx")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Gennemgang af kodebogsudkastet"),
                nbformat.v4.new_code_cell("import survey_kit as sk\n"
                                          "gennemgang = sk.review('udkast.yaml', 'data.xlsx')\n"
                                          "gennemgang")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "gennemgang.ipynb")
    return code


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server rooted in a temporary project holding the draft, export and notebook."""
    code = _project(tmp_path)
    with lab_server(tmp_path, ROOT) as base:
        yield base, tmp_path, code


def _answers(page) -> list[str]:
    return page.locator(".sk-review .sk-review-answer").evaluate_all("els => els.map(e => e.textContent)")


@pytest.mark.slow
@pytest.mark.browser
def test_review_in_jupyterlab(lab, browser, artifacts):
    base, folder, code = lab
    draft = folder / "udkast.yaml"
    before = draft.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(300_000)  # a ceiling for a hung state only; every wait is on a state
    page.goto(f"{base}/lab?token={TOKEN}")
    page.wait_for_function("() => !!window.jupyterapp")
    assert page.evaluate(_OPEN_NOTEBOOK, "gennemgang.ipynb") == "python3"
    page.wait_for_function(_KERNEL_IDLE)
    run = page.evaluate(_RUN_ALL)
    if run["errors"]:
        page.screenshot(path=str(artifacts / "review_cell_error.png"))
        pytest.fail(f"a notebook cell failed:\n{run['errors'][0][-3000:]}")

    review = page.locator(".sk-review")
    review.wait_for(state="visible")
    pick = review.locator(".widget-dropdown", has_text="Spørgsmål").locator("select")
    label = next(o for o in pick.locator("option").all_text_contents() if o.startswith(f"{code}:"))
    pick.select_option(label=label)
    page.wait_for_function("""() => [...document.querySelectorAll('.sk-review .sk-review-answer')]
                                    .map(e => e.textContent).join('|') === 'Mann|Kvinne'""")
    review.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "review_before.png"))

    review.locator(".sk-review-up").nth(1).click()  # "Kvinne" up
    page.wait_for_function("""() => [...document.querySelectorAll('.sk-review .sk-review-answer')]
                                    .map(e => e.textContent).join('|') === 'Kvinne|Mann'""")
    review.locator("button", has_text="Gem").click()
    page.locator(".sk-review .sk-review-saved").wait_for(state="visible")
    page.screenshot(path=str(artifacts / "review_after.png"))
    page.close()

    after = draft.read_text(encoding="utf-8")
    cb = load_codebook(draft)
    assert cb[code].values == {1: "Kvinne", 2: "Mann"}
    assert not any(d.startswith(f"{code}:") for d in open_decisions(draft, cb))
    # the lines outside the decided item and its note are untouched
    assert after.count("# TJEK") == before.count("# TJEK") - 1
    assert after.splitlines()[0] == before.splitlines()[0]
