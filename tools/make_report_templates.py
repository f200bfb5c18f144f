"""Write the report notebook templates (survey_kit/report/templates/<instrument>.ipynb).

The templates are thin on purpose: a parameters cell for papermill and one call into the library.
Run this after changing the template text; the .ipynb files are committed.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parents[1] / "survey_kit" / "report" / "templates"

INTRO = {
    "lederudvikling_2008": "Rapport: lederudvikling og ledernetværk blandt kommunale institutionsledere.",
    "temperaturmaaling": "Rapport: temperaturmåling af Den Lærende Organisation, målingen mod den forrige.",
    "netvaerksevaluering": "Rapport: evaluering af ledernetværk, før- og eftermåling af de samme ledere.",
}

for instrument, intro in INTRO.items():
    params = new_code_cell(
        "# Parameters (papermill): wave = label or code of the wave to report (None = the latest);\n"
        "# area = code of one area, fagområde (None = the whole survey);\n"
        "# min_n = minimum respondents per published group (None = the codebook's).\n"
        f'instrument = "{instrument}"\n'
        'data = "data/processed/' + instrument + '.parquet"\n'
        "wave = None\n"
        "area = None\n"
        "min_n = None"
    )
    params.metadata["tags"] = ["parameters"]
    body = new_code_cell(
        "from survey_kit.report import build_report\n\n"
        "report = build_report(instrument, data, wave=wave, area=area, min_n=min_n)\n"
        "report.display()"
    )
    nb = new_notebook(
        cells=[new_markdown_cell(f"<!-- {intro} -->"), params, body],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                  "language_info": {"name": "python"}},
    )
    nbformat.write(nb, HERE / f"{instrument}.ipynb")
    print("wrote", HERE / f"{instrument}.ipynb")
