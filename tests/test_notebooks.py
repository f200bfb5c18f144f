"""Every notebook in notebooks/ executes top to bottom (on the demo data, in a temporary project)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from _nbrun import SlicedClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_notebooks_are_named_in_order():
    assert [p.name.split("-")[0] for p in NOTEBOOKS] == ["1.0", "2.0", "3.0"]


@pytest.mark.slow
@pytest.mark.xdist_group("notebooks")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEY_KIT_HOME", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks without outputs"
    client = SlicedClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    # the notebook wrote only into the temporary project, never into the repository's data/
    assert (tmp_path / "data" / "processed").is_dir()
