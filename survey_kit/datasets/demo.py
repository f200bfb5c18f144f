"""Write the demo exports of all shipped surveys, with flaws, into ``raw_dir/demo/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from survey_kit.codebook import instrument
from survey_kit.datasets._common import MARKER
from survey_kit.datasets.exports import write_excel_resaved_csv, write_forms_xlsx, write_spss
from survey_kit.datasets.flaws import add_flaws
from survey_kit.datasets.generic import demo_hints, simulate
from survey_kit.datasets.leader import leader_survey
from survey_kit.datasets.network import network_evaluation
from survey_kit.datasets.surveyxact import write_surveyxact_csv, write_surveyxact_xlsx
from survey_kit.datasets.temperature import temperature_survey
from survey_kit.errors import DataError

#: File names under ``raw_dir/demo/<instrument>/`` by kind.
FILES = {
    "surveyxact_xlsx": "surveyxact.xlsx",
    "surveyxact_csv": "surveyxact_csv",
    "excel_csv": "excel_resaved.csv",
    "sav": "spss.sav",
    "forms_xlsx": "forms.xlsx",
    "flaws": "flaws.csv",
    "truth": "truth.parquet",
}


def _generators(
    seed: int | None, n_temperature: int | None
) -> dict[str, Callable[[], pd.DataFrame]]:
    def s(default: int, k: int) -> int:
        return default if seed is None else seed + k

    return {
        "lederudvikling_2008": lambda: leader_survey(seed=s(2008, 0)),
        "temperaturmaaling": lambda: temperature_survey(n_temperature, seed=s(2010, 1)),
        "netvaerksevaluering": lambda: network_evaluation(seed=s(2005, 2)),
        # an instrument added as YAML only: demo data from the codebook and its x-demo hints
        "kompetencekortlaegning": lambda: simulate(
            instrument("kompetencekortlaegning"), seed=s(2009, 3), hints=demo_hints("kompetencekortlaegning")
        ),
    }


def write_demo_exports(
    raw_dir: str | Path, *, seed: int | None = None, n_temperature: int | None = None
) -> dict[str, dict[str, Path]]:
    """Generate the three demo surveys, plant flaws and write them as platform exports.

    Writes, for each instrument, under ``raw_dir/demo/<instrument>/``: ``surveyxact.xlsx``, the
    CSV triple in ``surveyxact_csv/`` (semicolon, windows-1252), ``excel_resaved.csv``,
    ``spss.sav``, ``forms.xlsx``, ``flaws.csv`` (the planted flaws, see
    :func:`survey_kit.datasets.add_flaws`) and ``truth.parquet`` (the flawed frame the files
    hold, in the processed-data conventions, for tests of ingest).

    Parameters
    ----------
    raw_dir
        The raw-data folder (``survey_kit.paths.RAW_DIR``). Only ``raw_dir/demo/`` is written;
        it is marked as ours with a ``.survey_kit_demo`` file, and a ``demo`` folder with other
        content and no marker is refused rather than overwritten.
    seed
        ``None`` (default): each generator's own calibrated default seed (the published demo).
        An integer: every generator, the flaws and the timestamps are seeded from it.
    n_temperature
        Respondents per wave of the temperaturmåling (``None``: a census of the units).

    Returns
    -------
    dict
        ``{instrument: {kind: path}}`` with the kinds of :data:`FILES` (``surveyxact_csv`` is the
        folder of the triple).
    """
    demo = Path(raw_dir) / "demo"
    if demo.exists() and not (demo / MARKER).exists() and any(demo.iterdir()):
        raise DataError(
            f"{demo}: the folder exists and was not written by write_demo_exports "
            f"(no {MARKER} file); move it away or choose another raw_dir"
        )
    demo.mkdir(parents=True, exist_ok=True)
    (demo / MARKER).write_text(
        "Written by survey_kit.datasets.write_demo_exports\n", encoding="utf-8"
    )
    result: dict[str, dict[str, Path]] = {}
    for k, (name, make) in enumerate(_generators(seed, n_temperature).items()):
        cb = instrument(name)
        base = 0 if seed is None else seed
        rng = np.random.default_rng([base, k])
        df, flaws = add_flaws(make(), cb, rng)
        folder = demo / name
        folder.mkdir(exist_ok=True)
        paths = {kind: folder / fname for kind, fname in FILES.items()}
        ts_seed = base + k
        write_surveyxact_xlsx(df, cb, paths["surveyxact_xlsx"], seed=ts_seed)
        write_surveyxact_csv(df, cb, paths["surveyxact_csv"], "semicolon-cp1252", seed=ts_seed)
        write_excel_resaved_csv(df, cb, paths["excel_csv"], seed=ts_seed)
        write_spss(df, cb, paths["sav"])
        write_forms_xlsx(df, cb, paths["forms_xlsx"], seed=ts_seed)
        flaws.to_csv(paths["flaws"], index=False)
        df.to_parquet(paths["truth"], index=False)
        result[name] = paths
    return result
