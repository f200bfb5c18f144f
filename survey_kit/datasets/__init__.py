"""Demo data for the three shipped surveys, and writers of the files survey platforms export.

Generators (deterministic given ``seed``, vectorised) return clean frames in the processed-data
conventions; :func:`add_flaws` plants the flaws real exports have; the writers produce SurveyXact
workbooks and CSV triples, a CSV re-saved in Danish Excel, SPSS ``.sav`` and Microsoft Forms
workbooks; :func:`write_demo_exports` does it all for the ``make demo`` job.
"""

from __future__ import annotations

from survey_kit.datasets.demo import write_demo_exports
from survey_kit.datasets.exports import write_excel_resaved_csv, write_forms_xlsx, write_spss
from survey_kit.datasets.flaws import add_flaws
from survey_kit.datasets.generic import demo_hints, simulate
from survey_kit.datasets.leader import leader_survey
from survey_kit.datasets.network import network_evaluation
from survey_kit.datasets.surveyxact import write_surveyxact_csv, write_surveyxact_xlsx
from survey_kit.datasets.temperature import (
    temperature_rounds,
    temperature_survey,
    write_temperature_rounds,
)

__all__ = [
    "add_flaws",
    "demo_hints",
    "leader_survey",
    "network_evaluation",
    "simulate",
    "temperature_rounds",
    "temperature_survey",
    "write_demo_exports",
    "write_excel_resaved_csv",
    "write_forms_xlsx",
    "write_spss",
    "write_surveyxact_csv",
    "write_surveyxact_xlsx",
    "write_temperature_rounds",
]
