"""One command per round: a project file says what a recurring survey is made of, ``run`` does it.

```yaml
# projekt.yaml (paths relative to this file)
instrument: temperaturmaaling          # a shipped instrument, or: codebook: min_codebook.yaml
exports:                               # one export per round (wave label: file)
  "2008/09": data/raw/temperaturmaaling/2008-09.xlsx
  "2010": data/raw/temperaturmaaling/2010.xlsx
  "2012": data/raw/temperaturmaaling/2012.xlsx
spec: rapport.yaml                     # optional (default: the codebook's report)
by: omraade                            # optional: also one report per group
formats: [html, pdf, docx]             # optional
min_n: 5                               # optional (never below the codebook's)
processed: data/processed              # optional (default data/processed)
reports: reports                       # optional (default reports)
key_file: noegle.txt                   # optional (else $SURVEY_KIT_KEY)
```

:func:`run_project` ingests each round whose export (or codebook) changed since the last run
(content hashes, SHA-256) into ``<processed>/<instrument>/``, then renders the whole report set
(every wave of the dataset under one disclosure control) when anything it depends on changed:
the dataset's exports, the codebook, the spec, the options or survey_kit's version. A second run
with nothing changed does nothing. Each run appends to ``<reports>/<instrument>/koerselslog.txt``
(the run log the analyst keeps with the reports) and keeps its hashes in ``koersel.json`` beside it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from survey_kit.errors import DataError

STATE_FILE = "koersel.json"
LOG_FILE = "koerselslog.txt"


class ProjectError(DataError):
    """A project file that cannot be used; the message names the file and the field."""


class Project(BaseModel):
    """A recurring survey's project file (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    instrument: str | None = None
    codebook: str | None = None
    exports: dict[str, str] = Field(min_length=1)
    spec: str | None = None
    by: str | None = None
    formats: tuple[str, ...] = ("html", "pdf", "docx")
    min_n: int | None = Field(default=None, ge=1)
    processed: str = "data/processed"
    reports: str = "reports"
    key_file: str | None = None
    figures: bool = True

    @field_validator("exports", mode="before")
    @classmethod
    def _str_keys(cls, v: Any) -> Any:
        return {str(k): str(x) for k, x in v.items()} if isinstance(v, Mapping) else v

    @field_validator("formats", mode="before")
    @classmethod
    def _formats(cls, v: Any) -> Any:
        return tuple(f.strip() for f in v.split(",")) if isinstance(v, str) else v

    @model_validator(mode="after")
    def _one_codebook(self) -> Project:
        if (self.instrument is None) == (self.codebook is None):
            raise ValueError("give exactly one of 'instrument' or 'codebook'")
        bad = [f for f in self.formats if f not in ("html", "pdf", "docx", "xlsx")]
        if bad:
            raise ValueError(f"formats: {bad} are not html, pdf, docx or xlsx")
        return self


def load_project(path: str | Path) -> Project:
    """Read a project file; a :class:`ProjectError` naming the field when it cannot be used."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProjectError(f"{path}: project file not found", da=f"{path}: projektfilen findes ikke") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ProjectError(f"{path}: not a readable YAML file ({err})",
                           da=f"{path}: projektfilen kan ikke læses som YAML ({err})") from None
    if not isinstance(data, Mapping):
        raise ProjectError(f"{path}: a project file must be a mapping", da=f"{path}: en projektfil skal være en YAML-mapping")
    try:
        return Project.model_validate(data)
    except ValidationError as err:
        detail = "; ".join(f"field {'.'.join(map(str, e['loc'])) or 'project'}: {e['msg'].removeprefix('Value error, ')}"
                           for e in err.errors())
        raise ProjectError(f"{path}: {detail}", da=f"{path}: projektfilen er ugyldig: {detail}") from None


@dataclass
class ProjectRun:
    """What one run did: waves ingested and skipped, report files written (none when up to date)."""

    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    rebuilt: bool = False
    log_path: Path | None = None
    lines: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return "\n".join(self.lines)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_project(path: str | Path, *, force: bool = False, say=None) -> ProjectRun:
    """Ingest the rounds that changed and rebuild the reports when anything changed (see module)."""
    from survey_kit.codebook import instrument, instruments, load_codebook
    from survey_kit.ingest import ingest
    from survey_kit.ingest.manifest import survey_kit_version, utc_now, write_json_atomic
    from survey_kit.ingest.waves import read_dataset_manifest, wave_code

    path = Path(path)
    project = load_project(path)
    root = path.resolve().parent
    say = say or (lambda msg: None)

    def at(p: str) -> Path:
        q = Path(p)
        return q if q.is_absolute() else (root / q).resolve()

    if project.instrument is not None:
        if project.instrument not in instruments():
            raise ProjectError(f"{path}: unknown instrument {project.instrument!r}",
                               da=f"{path}: ukendt instrument {project.instrument!r} "
                                  f"(de indbyggede er: {', '.join(instruments())})")
        cb = instrument(project.instrument)
    else:
        cb = load_codebook(at(project.codebook))
    cb_hash = _text_hash(cb.to_yaml())
    key = None
    if project.key_file:
        try:
            key = at(project.key_file).read_bytes().strip()
        except OSError as err:
            raise ProjectError(f"{path}: key_file {project.key_file} cannot be read ({err.strerror})",
                               da=f"{path}: nøglefilen {project.key_file} kan ikke læses ({err.strerror})") from None
    processed, reports = at(project.processed), at(project.reports)
    dataset = processed / cb.instrument
    log_dir = reports / cb.instrument
    state_path = log_dir / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    run = ProjectRun()
    known = {int(w["wave"]): w for w in read_dataset_manifest(dataset).get("waves", [])}
    for label, export in project.exports.items():
        code = wave_code(cb, label)
        src = at(export)
        if not src.exists():
            raise ProjectError(f"{path}: exports.{label}: {src} not found",
                               da=f"{path}: exports.{label}: filen {src} findes ikke")
        sha = _sha256(src)
        same = (code in known and known[code].get("sha256") == sha and state.get("codebook") == cb_hash
                and (dataset / known[code]["part"]).exists())
        name = cb.wave.labels[code]
        if same and not force:
            run.unchanged.append(name)
            continue
        say(f"Indlæser {name} fra {src.name}")
        result = ingest(src, cb, out_dir=processed, wave=code, key=key)
        run.ingested.append(name)
        run.lines.append(f"{name}: {result.summary()}")
    manifest = read_dataset_manifest(dataset)
    spec_hash = _sha256(at(project.spec)) if project.spec else None
    inputs = {
        "codebook": cb_hash,
        "waves": {str(w["wave"]): w["sha256"] for w in manifest.get("waves", [])},
        "spec": spec_hash,
        "options": {"by": project.by, "formats": list(project.formats), "min_n": project.min_n,
                    "figures": project.figures},
        "survey_kit": survey_kit_version(),
    }
    reports_there = all(Path(p).exists() for p in state.get("reports", [])) and state.get("reports")
    if not force and state.get("inputs") == inputs and reports_there and not run.ingested:
        run.lines.append("Intet er ændret siden sidste kørsel (samme eksporter, kodebog, rapportspecifikation "
                         "og indstillinger): ingen rapporter er dannet igen.")
    else:
        from survey_kit._browser import browser_available
        from survey_kit.report import render_reports
        from survey_kit.survey import load_processed

        formats = project.formats
        figures = project.figures and browser_available()
        if not browser_available():
            formats = tuple(f for f in formats if f not in ("pdf", "docx"))
            run.lines.append("Ingen browser fundet: rapporterne er skrevet uden PDF og Word.")
        say(f"Danner rapporter for {cb.instrument} ({', '.join(formats)})")
        survey = load_processed(dataset, cb)
        written = render_reports(survey, spec=at(project.spec) if project.spec else None, out_dir=reports,
                                 by=project.by, formats=formats, min_n=project.min_n,
                                 figures="whole" if figures else False)
        run.reports = [Path(p) for p in written]
        run.rebuilt = True
        run.lines.append(f"{len(run.reports)} rapportfiler dannet i {reports / cb.instrument} "
                         f"(målinger: {', '.join(w['wave_label'] for w in manifest.get('waves', []))}).")
        for label, reason in written.skipped:
            run.lines.append(f"Ingen rapport for {label}: {reason}")
        state = {"inputs": inputs, "codebook": cb_hash, "reports": [str(p) for p in run.reports]}
        write_json_atomic(state_path, state)
    if run.unchanged:
        run.lines.insert(0, f"Uændrede målinger (samme indhold som sidst): {', '.join(run.unchanged)}.")
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / LOG_FILE
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"== Kørsel {utc_now()} af {path.name} (survey_kit {survey_kit_version()})\n")
        for w in manifest.get("waves", []):
            fh.write(f"   {w['wave_label']}: {Path(str(w['source_path'])).name}, SHA-256 {w['sha256']}, "
                     f"{w['rows_valid']} gyldige af {w['rows_read']} rækker\n")
        for line in run.lines:
            fh.write(f"   {line}\n")
    run.log_path = log
    return run
