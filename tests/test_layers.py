"""The layer contracts of pyproject.toml ([tool.importlinter]) hold: the one-way flow
codebook -> ingest/validate -> stats -> privacy -> charts -> report, private modules kept private,
and no import cycles inside a package (docs/ARCHITECTURE.md, "Layers, checked by a tool")."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    proc = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "BROKEN" not in proc.stdout and "KEPT" in proc.stdout
