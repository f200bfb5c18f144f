"""Rich displays in JupyterLab (``_repr_html_``) of survey_kit's objects, in Danish.

Each object's ``_repr_html_`` calls one function here. The functions read the objects by their
attributes only (no imports of the stages), so every stage can use them without breaking the
one-way flow.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survey_kit.fmt import fmt_int, fmt_num

TYPE_NAMES = {
    "likert": "enighedsskala",
    "single": "enkeltvalg",
    "multiple": "flervalg",
    "ranking": "prioritering",
    "number": "tal",
    "date": "dato",
    "text": "fritekst",
}


def _e(x: Any) -> str:
    return html.escape(str(x))


def _table(frame: pd.DataFrame, *, max_rows: int = 30) -> str:
    more = len(frame) - max_rows
    shown = frame.head(max_rows) if more > 0 else frame
    out = shown.to_html(index=False, escape=True, border=0, na_rep="", classes="sk-table")
    if more > 0:
        out += f"<p><i>… og {fmt_int(more)} rækker mere</i></p>"
    return f'<div style="max-height:28em;overflow:auto">{out}</div>'


def _head(title: str, lines: list[str]) -> str:
    body = "".join(f"<li>{line}</li>" for line in lines if line)
    return f"<p><b>{_e(title)}</b></p><ul style='margin-top:0'>{body}</ul>"


# -- codebook and survey ------------------------------------------------------------------------
def items_frame(codebook: Any) -> pd.DataFrame:
    """One row per item: code, label, Danish type, scale, answer options, background flag."""
    scales = {s.code: s.label for s in codebook.scales}
    return pd.DataFrame({
        "Kode": [it.code for it in codebook.items],
        "Spørgsmål": [it.label for it in codebook.items],
        "Type": [TYPE_NAMES.get(it.type, it.type) for it in codebook.items],
        "Skala": [scales.get(it.scale, "") if it.scale else "" for it in codebook.items],
        "Svarmuligheder": [len(it.values) if it.values else "" for it in codebook.items],
        "Baggrund": ["ja" if it.group else "" for it in codebook.items],
    })


def codebook_html(codebook: Any) -> str:
    waves = ", ".join(codebook.wave.labels.values()) if codebook.wave is not None else ""
    lines = [
        f"Instrument <code>{_e(codebook.instrument)}</code>, version {_e(codebook.version)}",
        f"{len(codebook.items)} spørgsmål, {len(codebook.scales)} skalaer; mindste antal svar "
        f"pr. gruppe: {codebook.min_n}",
        f"Målinger: {_e(waves)}" if waves else "",
        "Hierarki: " + " → ".join(_e(codebook[g].label) for g in codebook.hierarchy)
        if codebook.hierarchy else "",
    ]
    out = _head(codebook.title, lines) + _table(items_frame(codebook), max_rows=200)
    if codebook.scales:
        sc = pd.DataFrame({
            "Skala": [s.label for s in codebook.scales],
            "Kode": [s.code for s in codebook.scales],
            "Spørgsmål": [", ".join(s.items) for s in codebook.scales],
        })
        out += "<p><b>Skalaer</b></p>" + _table(sc)
    return out


def survey_html(survey: Any) -> str:
    cb, df = survey.codebook, survey.data
    lines = [f"{fmt_int(len(df))} besvarelser, {len(cb.items)} spørgsmål, "
             f"{len(cb.scales)} skalaer (instrument <code>{_e(cb.instrument)}</code>)"]
    if cb.wave is not None and cb.wave.column in df:
        counts = df[cb.wave.column].value_counts()
        per = [f"{_e(lab)}: {fmt_int(counts.get(code, 0))}" for code, lab in cb.wave.labels.items()
               if counts.get(code, 0)]
        lines.append("Målinger: " + ", ".join(per))
    for g in cb.groups:
        if g.code in df and g.code != (cb.wave.column if cb.wave else None):
            k = int(df[g.code].isin(list(g.values)).groupby(df[g.code]).size().size)
            lines.append(f"{_e(g.label)} (<code>{_e(g.code)}</code>): {k} grupper med svar")
    filters = getattr(survey, "filters", ())
    if filters:
        lines.append("Udvalgt: " + "; ".join(_e(f) for f in filters))
    lines.append(f"Mindste antal svar pr. gruppe: {cb.min_n}")
    return _head(cb.title, lines)


# -- ingest and validation ----------------------------------------------------------------------
PROBLEM_HEADERS = {"respondent_id": "Respondent", "row": "Række", "column": "Kolonne",
                   "value": "Værdi", "rule": "Regel", "message": "Besked"}


def problems_frame(problems: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in PROBLEM_HEADERS if c in problems]
    return problems[cols].rename(columns=PROBLEM_HEADERS)


def validation_html(report: Any, rule_names: dict[str, str] | None = None) -> str:
    rule_names = rule_names or {}
    n = len(report.problems)
    head = f"{_e(report.source)}: {fmt_int(report.n_rows)} rækker kontrolleret"
    if report.n_not_answered:
        head += f" ({fmt_int(report.n_not_answered)} ikke besvaret)"
    if n == 0:
        return f"<p><b>{head}</b>: ingen problemer fundet.</p>"
    counts = report.counts()
    per_rule = pd.DataFrame({"Regel": [rule_names.get(r, r) for r in counts.index],
                             "Kode": list(counts.index), "Antal": [fmt_int(c) for c in counts]})
    notes = "".join(f"<p><i>{_e(x)}</i></p>" for x in report.notes)
    return (f"<p><b>{head}: {fmt_int(n)} problemer fundet.</b></p>" + notes
            + _table(per_rule) + "<p><b>Problemerne</b></p>"
            + _table(problems_frame(report.problems), max_rows=50))


def ingest_html(result: Any) -> str:
    m = result.manifest
    lines = [
        f"Kilde: {_e(Path(m.get('source_path', '')).name)} ({_e(m.get('format', ''))}"
        + (f", {_e(m['platform'])}" if m.get("platform") else "") + ")",
        f"Rækker læst: {fmt_int(m.get('rows_read'))} = gyldige {fmt_int(m.get('rows_valid'))} + "
        f"i karantæne {fmt_int(m.get('rows_quarantined'))}",
    ]
    for key, label in (("rows_partial", "delvist besvarede (beholdt)"),
                       ("rows_not_answered", "inviterede uden svar"),
                       ("answers_blanked", "svar sat til tomme (spørgelogik)")):
        if m.get(key):
            lines.append(f"{label}: {fmt_int(m[key])}")
    for key, label in (("data", "Data"), ("quarantine", "Karantæne"), ("manifest", "Manifest")):
        if key in result.paths:
            lines.append(f"{label}: <code>{_e(result.paths[key])}</code>")
    out = _head("Indlæsning og validering", lines)
    if len(result.problems):
        out += "<p><b>Problemer</b></p>" + _table(problems_frame(result.problems), max_rows=20)
    return out


# -- privacy and weights ------------------------------------------------------------------------
def audit_html(log: Any) -> str:
    frame = log.to_frame().rename(columns={"where": "Hvor", "what": "Hvad", "why": "Hvorfor",
                                           "n": "Antal svar"})
    if frame.empty:
        return "<p><b>Skjulte tal</b>: ingen.</p>"
    frame["Antal svar"] = frame["Antal svar"].map(lambda x: "" if pd.isna(x) else fmt_int(x))
    return (f"<p><b>Skjulte tal</b>: {fmt_int(len(frame))} (kun til analytikeren; "
            "rapporterne viser det ikke)</p>" + _table(frame, max_rows=100))


def rake_html(result: Any) -> str:
    w = result.weights.to_numpy(dtype=float)
    deff = float(len(w) * (w**2).sum() / w.sum() ** 2) if len(w) and w.sum() > 0 else np.nan
    state = "konvergeret" if result.converged else "<b>ikke konvergeret</b>"
    lines = [
        f"{state} efter {result.iterations} iterationer (største afvigelse fra målet: "
        f"{fmt_num(100 * result.max_error, 4)} procentpoint)",
        f"Vægte: mindste {fmt_num(np.min(w), 3)}, største {fmt_num(np.max(w), 3)}, "
        f"gennemsnit {fmt_num(np.mean(w), 3)}" if len(w) else "",
        f"Designeffekt af vægtene (Kish): {fmt_num(deff, 2)}; effektiv stikprøve "
        f"{fmt_int(len(w) / deff)} af {fmt_int(len(w))}" if len(w) else "",
    ]
    return _head("Vægtning (raking)", lines)
