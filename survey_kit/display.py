"""Danish presentation of result tables: ``present(table)`` -> a table an analyst can show.

The statistics functions return tidy DataFrames with English column names and proportions (the
public contract, see ``docs/ARCHITECTURE.md``). This module is a layer on top that never changes
them: :func:`present` recognises the kind of table by its columns (``frequencies``, ``compare``,
``compare_waves``, ``trend``, ``rank_shares``, ``reliability``, ``attrition``, a ``CrosstabResult``) and
returns a :class:`Presentation`: Danish headers ("Andel", "Antal svar", "95 %-KI"), Danish numbers
("88 %", "3,72", "< 0,001", "+21 pct.-point"), suppressed cells as "For få svar", the total row
in bold and the tests as notes under the table. It shows itself in JupyterLab, and writes HTML
and Excel.

The module depends only on pandas and :mod:`survey_kit.fmt`, so any stage may use it.

>>> import survey_kit as sk                                            # doctest: +SKIP
>>> sk.present(sk.compare(survey, ["ml_1"], by="omraade"))              # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from survey_kit.fmt import NA_TEXT, flag_text, fmt_int, fmt_num, fmt_p, fmt_pct, method_name

SUPPRESSED_TEXT = "For få svar"
CI_HEADER = "95 %-KI"
FLAG_TEXT = {"higher": "▲ højere", "lower": "▼ lavere"}
STAT_HEADER = {"share": "Andel", "mean": "Gennemsnit", "median": "Median"}

_CSS = [
    {"selector": "", "props": "border-collapse: collapse; font-size: 0.92em;"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; "
                                     "padding-bottom: 4px;"},
    {"selector": "th", "props": "text-align: left; border-bottom: 1px solid #555; padding: 3px 8px;"},
    {"selector": "td", "props": "padding: 2px 8px; border-bottom: 1px solid #ddd;"},
]


@dataclass(frozen=True)
class Presentation:
    """A result table in Danish form (``frame``: text cells, Danish headers) and its numbers.

    Attributes
    ----------
    frame : DataFrame
        What is shown: Danish headers, Danish text in every cell.
    data : DataFrame
        The tidy table it was made from (unchanged; written to Excel beside the text).
    title : str
    notes : tuple of str
        Sentences under the table (tests, bases, what a mark means).
    bold_rows, muted_rows : tuple of int
        Positions of total rows (bold) and of suppressed rows (grey) in ``frame``.
    """

    frame: pd.DataFrame
    data: pd.DataFrame
    title: str = ""
    notes: tuple[str, ...] = ()
    bold_rows: tuple[int, ...] = ()
    muted_rows: tuple[int, ...] = ()
    numeric_columns: tuple[str, ...] = field(default=())

    def styler(self) -> Any:
        """A pandas Styler of :attr:`frame` (no index, total rows bold, suppressed rows grey)."""
        bold, muted = set(self.bold_rows), set(self.muted_rows)
        numeric = [c for c in self.numeric_columns if c in self.frame.columns]

        def row_style(row: pd.Series) -> list[str]:
            i = self.frame.index.get_loc(row.name)
            css = "font-weight: bold;" if i in bold else ""
            css += "color: #666; font-style: italic;" if i in muted else ""
            return [css] * len(row)

        st = self.frame.style.hide(axis="index").apply(row_style, axis=1)
        if numeric:
            st = st.set_properties(subset=numeric, **{"text-align": "right"})
        st = st.set_table_styles(_CSS)
        if self.title:
            st = st.set_caption(html.escape(self.title))
        return st

    def to_html(self) -> str:
        notes = "".join(f'<p style="font-size:0.85em;margin:2px 0">{html.escape(n)}</p>'
                        for n in self.notes)
        return f'<div class="sk-present">{self.styler().to_html()}{notes}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        text = self.frame.to_string(index=False)
        return "\n".join([self.title, text, *self.notes]).strip()

    def to_excel(self, path: str | Path, *, sheet: str = "Tabel") -> Path:
        """Write the Danish table (sheet ``sheet``, notes below it) and the numbers (``Data``)."""
        path = Path(path)
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            start = 0
            if self.title:
                pd.DataFrame({self.title: []}).to_excel(xl, sheet_name=sheet, index=False)
                start = 2
            self.frame.to_excel(xl, sheet_name=sheet, index=False, startrow=start)
            if self.notes:
                pd.DataFrame({"Noter": list(self.notes)}).to_excel(
                    xl, sheet_name=sheet, index=False, startrow=start + len(self.frame) + 2
                )
            self.data.to_excel(xl, sheet_name="Data", index=False)
        return path


# -- cell formats ---------------------------------------------------------------------------------
def _num(x: Any, decimals: int = 2) -> str:
    return fmt_num(x, decimals)


def _p(x: Any) -> str:
    return fmt_p(x).removeprefix("p = ").removeprefix("p ")


def _ci(low: Any, high: Any, share: bool, decimals: int = 2) -> str:
    if pd.isna(low) or pd.isna(high):
        return NA_TEXT
    if share:
        return f"{fmt_num(100 * float(low), 0)}–{fmt_num(100 * float(high), 0)} %"
    return f"{fmt_num(low, decimals)}–{fmt_num(high, decimals)}"


def _signed(x: Any, share: bool) -> str:
    """A signed change without unit: ``+21`` (percentage points) or ``−0,14``; ``0`` when it
    rounds to zero."""
    if pd.isna(x):
        return NA_TEXT
    x = 100 * float(x) if share else float(x)
    text = fmt_num(abs(x), 0 if share else 2)
    if text.strip("0,") == "":
        return text
    return ("+" if x > 0 else "−") + text


def _change(x: Any, share: bool) -> str:
    if pd.isna(x):
        return NA_TEXT
    return _signed(x, share) + (" pct.-point" if share else "")


def _suppressed(t: pd.DataFrame) -> pd.Series:
    if "suppressed" not in t:
        return pd.Series(False, index=t.index)
    return t["suppressed"].fillna(False).astype(bool)


def _total(t: pd.DataFrame) -> pd.Series:
    if "is_total" in t:
        return t["is_total"].fillna(False).astype(bool)
    if "group" in t:
        return t["group"].eq("I alt")
    return pd.Series(False, index=t.index)


def _blank_repeats(values: list[str]) -> list[str]:
    """Show a label only where it changes (the first row of each item)."""
    out, last = [], object()
    for v in values:
        out.append(v if v != last else "")
        last = v
    return out


def _finish(rows: list[dict], t: pd.DataFrame, title: str, notes: list[str],
            numeric: list[str], *, supp: list[bool], total: list[bool]) -> Presentation:
    frame = pd.DataFrame(rows)
    if not title and "item_label" in t and t["item"].nunique() == 1 and "Spørgsmål" not in frame:
        title = str(t["item_label"].iloc[0])  # one item by groups: the question is the caption
    return Presentation(
        frame=frame,
        data=t,
        title=title,
        notes=tuple(n for n in notes if n),
        bold_rows=tuple(i for i, x in enumerate(total) if x),
        muted_rows=tuple(i for i, x in enumerate(supp) if x),
        numeric_columns=tuple(numeric),
    )


def _drop_empty_groups(t: pd.DataFrame, n_column: str = "n") -> pd.DataFrame:
    """Groups nobody in the data belongs to (n = 0, not suppressed) are not shown."""
    if "group" not in t:
        return t
    n = pd.to_numeric(t[n_column], errors="coerce")
    keep = _suppressed(t) | _total(t) | (n > 0) | n.isna()
    return t[keep.to_numpy()]


# -- one builder per kind of table ---------------------------------------------------------------
def _group_header(t: pd.DataFrame, codebook: Any) -> str:
    """The breakdown's own label ("Fagområde") when the codebook knows it, else "Gruppe"."""
    by = t["by"].dropna()
    if codebook is not None and len(by) and str(by.iloc[0]) in codebook:
        return str(codebook[str(by.iloc[0])].label)
    return "Gruppe"


def _leads(t: pd.DataFrame, codebook: Any = None) -> tuple[list[dict[str, str]], list[bool], list[bool]]:
    """Per row of a result table: its leading cells (the question, when there are several or no
    breakdown; the group under the breakdown's header), whether it is hidden, whether it is the
    total."""
    many = t["item"].nunique() > 1
    has_by = t["by"].notna().any()
    group_header = _group_header(t, codebook)
    labels = _blank_repeats(t["item_label"].astype(str).tolist())
    leads = []
    for i, (_, r) in enumerate(t.iterrows()):
        lead: dict[str, str] = {}
        if many or not has_by:
            lead["Spørgsmål"] = labels[i] if many else str(r["item_label"])
        if has_by:
            lead[group_header] = str(r["group"])
        leads.append(lead)
    return leads, _suppressed(t).tolist(), _total(t).tolist()


def _compare(t: pd.DataFrame, title: str, codebook: Any = None) -> Presentation:
    t = _drop_empty_groups(t)
    stat = str(t["stat"].iloc[0]) if len(t) else "share"
    share = stat == "share"
    head = STAT_HEADER.get(stat, "Værdi")
    leads, supp, total = _leads(t, codebook)
    many, has_by = t["item"].nunique() > 1, t["by"].notna().any()
    rows = []
    for i, (_, r) in enumerate(t.iterrows()):
        row: dict[str, str] = dict(leads[i])
        if supp[i]:
            row.update({"Antal svar": SUPPRESSED_TEXT, head: SUPPRESSED_TEXT, CI_HEADER: ""})
        else:
            row["Antal svar"] = fmt_int(r["n"])
            row[head] = fmt_pct(r["value"]) if share else _num(r["value"])
            row[CI_HEADER] = _ci(r["ci_low"], r["ci_high"], share)
        if has_by:
            row["Forskel fra resten"] = FLAG_TEXT.get(str(r["vs_total"]), "")
        rows.append(row)
    notes = []
    for _, first in t.drop_duplicates("item").iterrows():
        test = str(first.get("test") or "")
        if not test or pd.isna(first.get("p_val")):
            continue
        eff = ""
        if pd.notna(first.get("effect")):
            eff = f", {method_name(first['effect_name'])} = {_num(first['effect'])}"
        adj = ""
        if many and pd.notna(first.get("q_val")):
            adj = f" (justeret for {t['item'].nunique()} spørgsmål: {_p_word(first['q_val'])})"
        notes.append(f"{first['item_label']}: {method_name(test)}, {fmt_p(first['p_val'])}{adj}{eff}.")
    if has_by and t["vs_total"].isin(["higher", "lower"]).any():
        notes.append("▲/▼: gruppen ligger signifikant højere/lavere end resten af de svarende "
                     "(Benjamini-Hochberg-justeret, 5 %-niveau).")
    if share:
        notes.append("Andele er af dem, der har svaret (uden \"Ved ikke\").")
    if any(supp):
        notes.append(f"{SUPPRESSED_TEXT}: grupper med for få svar er skjult af hensyn til anonymiteten.")
    return _finish(rows, t, title, notes, ["Antal svar", head, CI_HEADER], supp=supp, total=total)


def _p_word(q: Any) -> str:
    return "q < 0,001" if q < 0.001 else f"q = {fmt_num(q, 3)}"


def _frequencies(t: pd.DataFrame, title: str, codebook: Any = None) -> Presentation:
    """Wide form: one row per item x group, one column per answer (shares), then counts."""
    has_by = t["by"].notna().any()
    keys = ["item", "group"] if has_by else ["item"]
    t = t.copy()
    if has_by:  # groups without anybody are not shown
        base = t.groupby(keys, sort=False)[["n_valid", "n_dont_know", "n_missing"]].transform("first")
        t = t[(base.sum(axis=1, min_count=1) != 0).to_numpy() | _suppressed(t).to_numpy()
              | _total(t).to_numpy()]
    answers = list(dict.fromkeys(t.loc[~t["is_missing_code"].astype(bool), "label"].astype(str)))
    missing = list(dict.fromkeys(t.loc[t["is_missing_code"].astype(bool), "label"].astype(str)))
    many = t["item"].nunique() > 1
    group_header = _group_header(t, codebook)
    rows, supp, total = [], [], []
    blocks = list(t.groupby(keys, sort=False))
    item_labels = _blank_repeats([str(g["item_label"].iloc[0]) for _, g in blocks])
    for (_, g), item_label in zip(blocks, item_labels, strict=True):
        s = bool(_suppressed(g).any())
        row: dict[str, str] = {}
        if many or not has_by:
            row["Spørgsmål"] = item_label if many else str(g["item_label"].iloc[0])
        if has_by:
            row[group_header] = str(g["group"].iloc[0])
        shares = dict(zip(g["label"].astype(str), g["share"], strict=True))
        counts = dict(zip(g["label"].astype(str), g["n"], strict=True))
        for a in answers:
            row[a] = SUPPRESSED_TEXT if s else (fmt_pct(shares[a]) if a in shares else "")
        for m in missing:
            row[f"{m} (antal)"] = SUPPRESSED_TEXT if s else (fmt_int(counts[m]) if m in counts else "")
        row["Antal svar"] = SUPPRESSED_TEXT if s else fmt_int(g["n_valid"].iloc[0])
        rows.append(row)
        supp.append(s)
        total.append(bool(_total(g).any()) and has_by)
    notes = ["Andele er af \"Antal svar\": dem, der har valgt et svar"
             + (f" (uden {', '.join(missing)})." if missing else ".")]
    if any(supp):
        notes.append(f"{SUPPRESSED_TEXT}: grupper med for få svar er skjult af hensyn til anonymiteten.")
    numeric = [*answers, *[f"{m} (antal)" for m in missing], "Antal svar"]
    return _finish(rows, t, title, notes, numeric, supp=supp, total=total)


def _waves(t: pd.DataFrame, title: str, codebook: Any = None) -> Presentation:
    share = str(t["stat"].iloc[0]) == "share" if len(t) else True
    pairs = t[["wave_from", "wave_to"]].drop_duplicates()
    one_pair = len(pairs) == 1
    w_from = str(pairs["wave_from"].iloc[0]) if one_pair else "Før"
    w_to = str(pairs["wave_to"].iloc[0]) if one_pair else "Efter"
    leads, supp, total = _leads(t, codebook)
    rows = []
    for i, (_, r) in enumerate(t.iterrows()):
        row: dict[str, str] = dict(leads[i])
        if not one_pair:
            row["Målinger"] = f"{r['wave_from']} → {r['wave_to']}"
        if supp[i]:
            for h in (w_from, w_to, "Ændring", f"{CI_HEADER} (ændring)", "Antal svar"):
                row[h] = SUPPRESSED_TEXT
            row["Signifikant"] = ""
        else:
            f = fmt_pct if share else _num
            row[w_from] = f(r["value_from"])
            row[w_to] = f(r["value_to"])
            row["Ændring"] = _change(r["change"], share)
            row[f"{CI_HEADER} (ændring)"] = (
                f"{_signed(r['ci_low'], share)} til {_change(r['ci_high'], share)}"
                if pd.notna(r["ci_low"]) else NA_TEXT)
            row["Antal svar"] = f"{fmt_int(r['n_from'])} / {fmt_int(r['n_to'])}"
            row["Signifikant"] = "ja" if bool(r["significant"]) else ""
        rows.append(row)
    paired = bool(t["paired"].any()) if "paired" in t else False
    notes = [("Parret sammenligning af de samme respondenter. " if paired else "")
             + "Signifikant: ændringen er signifikant efter Benjamini-Hochberg-justering (5 %-niveau)."]
    if share:
        notes.append("Ændringer i andele er i procentpoint.")
    if any(supp):
        notes.append(f"{SUPPRESSED_TEXT}: grupper med for få svar er skjult af hensyn til anonymiteten.")
    numeric = [w_from, w_to, "Ændring", "Antal svar"]
    return _finish(rows, t, title, notes, numeric, supp=supp, total=total)


def trend_direction(slope: Any, p_val: Any) -> str:
    """The trend in words, as the reports say it: "stigende"/"faldende" at p < 0,05, else
    "ingen sikker tendens"; "kan ikke beregnes" without a test."""
    if pd.isna(p_val) or pd.isna(slope):
        return "kan ikke beregnes"
    if float(p_val) >= 0.05:
        return "ingen sikker tendens"
    return "stigende" if float(slope) > 0 else "faldende"


def _trend(t: pd.DataFrame, title: str, codebook: Any = None) -> Presentation:
    """A ``stats.trend`` table: per item (x group) the rounds, the trend per round and its test.

    Shares: the odds ratio per round (``exp(slope)``, the logistic regression's slope) with its
    interval; means: the change in points per round. Each row is its own test (its rounds only).
    """
    import numpy as np

    share = str(t["stat"].iloc[0]) == "share" if len(t) else True
    leads, supp, total = _leads(t, codebook)
    has_by = t["by"].notna().any()
    per_round = "Odds-forhold pr. måling" if share else "Ændring pr. måling"
    rows = []
    for i, (_, r) in enumerate(t.iterrows()):
        row: dict[str, str] = dict(leads[i])
        row["Målinger"] = str(r["waves"])
        if supp[i]:
            row.update({"Antal svar": SUPPRESSED_TEXT, per_round: SUPPRESSED_TEXT, CI_HEADER: "",
                        "Tendens": "", "p-værdi": ""})
            rows.append(row)
            continue
        row["Antal svar"] = fmt_int(r["n"])
        if pd.isna(r["slope"]):
            row.update({per_round: NA_TEXT, CI_HEADER: NA_TEXT})
        elif share:
            row[per_round] = _num(np.exp(float(r["slope"])))
            row[CI_HEADER] = (_ci(np.exp(float(r["ci_low"])), np.exp(float(r["ci_high"])), False)
                              if pd.notna(r["ci_low"]) else NA_TEXT)
        else:
            row[per_round] = _signed(r["slope"], False)
            row[CI_HEADER] = (f"{_signed(r['ci_low'], False)} til {_signed(r['ci_high'], False)}"
                              if pd.notna(r["ci_low"]) else NA_TEXT)
        row["Tendens"] = trend_direction(r["slope"], r["p_val"])
        row["p-værdi"] = _p(r["p_val"]) if pd.notna(r["p_val"]) else NA_TEXT
        rows.append(row)
    if share:
        notes = ["Tendens over målingerne: logistisk regression af andelen på målingens nummer. "
                 "Odds-forholdet pr. måling er det tal, oddsene ganges med fra én måling til den næste "
                 "(over 1: stigende, under 1: faldende)."]
    else:
        notes = ["Tendens over målingerne: lineær regression af svarene på målingens nummer; "
                 "ændringen er i point pr. måling."]
    notes.append("Stigende/faldende: p < 0,05 for den enkelte række (ikke justeret for flere spørgsmål).")
    if t["waves"].astype(str).nunique() > 1:
        notes.append("Målinger: de målinger, hvor spørgsmålet kan sammenlignes, indgår.")
    if any(supp):
        notes.append(f"{SUPPRESSED_TEXT}: grupper med for få svar i en måling er skjult af hensyn til "
                     "anonymiteten.")
    return _finish(rows, t, title, notes, ["Antal svar", per_round, CI_HEADER, "p-værdi"],
                   supp=supp, total=[x and has_by for x in total])


def _ranking(t: pd.DataFrame, title: str, codebook: Any = None) -> Presentation:
    k = int(t["k"].iloc[0]) if len(t) else 3
    supp = _suppressed(t).tolist()
    rows = []
    for i, (_, r) in enumerate(t.iterrows()):
        s = supp[i]
        rows.append({
            "Valgmulighed": str(r["label"]),
            "Førsteprioritet": SUPPRESSED_TEXT if s else fmt_pct(r["share_first"]),
            f"Blandt top {k}": SUPPRESSED_TEXT if s else fmt_pct(r["share_top_k"]),
            f"{CI_HEADER} (top {k})": "" if s else _ci(r["top_k_ci_low"], r["top_k_ci_high"], True),
        })
    n = t["n"].dropna()
    notes = [f"Andele af de {fmt_int(n.iloc[0])}, der har prioriteret mindst én valgmulighed."
             if len(n) else ""]
    return _finish(rows, t, title, notes, ["Førsteprioritet", f"Blandt top {k}"],
                   supp=supp, total=[False] * len(t))


def _reliability(t: pd.DataFrame, title: str, codebook: Any = None) -> Presentation:
    supp = _suppressed(t).tolist()
    names = {s.code: s.label for s in codebook.scales} if codebook is not None else {}
    rows = []
    for i, (_, r) in enumerate(t.iterrows()):
        s = supp[i]
        rows.append({
            "Skala": names.get(str(r["scale"]), str(r["scale"])),
            "Antal svar": SUPPRESSED_TEXT if s else fmt_int(r["n"]),
            "Antal spørgsmål": fmt_int(r["n_items"]),
            "Cronbachs alfa": SUPPRESSED_TEXT if s else _num(r["alpha"]),
            CI_HEADER: "" if s else _ci(r["ci_low"], r["ci_high"], False),
        })
    notes = ["Antal svar: respondenter, der har svaret på alle skalaens spørgsmål. "
             "Konfidensinterval efter Feldt (1965)."]
    return _finish(rows, t, title, notes, ["Antal svar", "Antal spørgsmål", "Cronbachs alfa"],
                   supp=supp, total=[False] * len(t))


def _attrition(t: pd.DataFrame, title: str, codebook: Any = None) -> Presentation:
    supp = _suppressed(t).tolist()
    rows = [{
        "Deltagelse": str(r["pattern"]),
        "Antal": SUPPRESSED_TEXT if supp[i] else fmt_int(r["n"]),
        "Andel": SUPPRESSED_TEXT if supp[i] else fmt_pct(r["share"]),
    } for i, (_, r) in enumerate(t.iterrows())]
    return _finish(rows, t, title, ["Andel af alle i panelet."], ["Antal", "Andel"], supp=supp,
                   total=[False] * len(t))


def _crosstab(res: Any, title: str) -> Presentation:
    if hasattr(res, "published"):
        res = res.published()  # tests over the shown cells only, rounded as the reports
    shares = res.row_share
    frame = shares.map(lambda x: SUPPRESSED_TEXT if pd.isna(x) else fmt_pct(x))
    frame.insert(0, str(shares.index.name or res.row), [str(i) for i in shares.index])
    frame.columns = [str(c) for c in frame.columns]
    frame = frame.reset_index(drop=True)
    scope = getattr(res, "test_scope", "all")
    notes = [f"Rækkeprocenter (antal svar i alt: {fmt_int(res.n)})."]
    if scope == "none" or pd.isna(res.p_val):
        notes.append("Ingen test: der er skjulte celler i for mange rækker og kolonner.")
    else:
        notes.append(f"Chi-i-anden-test: χ² = {_num(res.chi2)} (df = {res.dof}), {fmt_p(res.p_val)}, "
                     f"Cramérs V = {_num(res.cramers_v)}."
                     + (" Testen omfatter kun de kolonner (eller rækker), der ikke har skjulte celler."
                        if scope == "published" else ""))
    if res.fisher_p is not None:
        notes.append(f"Fishers eksakte test: {fmt_p(res.fisher_p)}.")
    notes += list(res.warnings)
    title = title or f"{shares.index.name or res.row} × {shares.columns.name or res.col}"
    return Presentation(frame=frame, data=res.to_frame(), title=title, notes=tuple(notes),
                        numeric_columns=tuple(frame.columns[1:]))


def _generic(t: pd.DataFrame, title: str) -> Presentation:
    def cell(v: Any) -> str:
        if isinstance(v, bool):
            return "ja" if v else "nej"
        if isinstance(v, int):
            return fmt_int(v)
        if isinstance(v, float):
            return _num(v)
        return "" if v is None or v is pd.NA else str(v)

    frame = t.map(cell).reset_index(drop=True) if len(t) else t.astype(str)
    num = [c for c in t.columns if pd.api.types.is_numeric_dtype(t[c])]
    return Presentation(frame=frame, data=t, title=title, numeric_columns=tuple(num))


_KINDS = [
    ({"slope", "n_waves", "waves"}, _trend),
    ({"wave_from", "value_from", "change"}, _waves),
    ({"stat", "value", "vs_total"}, _compare),
    ({"share", "n_valid", "is_missing_code"}, _frequencies),
    ({"share_first", "share_top_k"}, _ranking),
    ({"alpha", "n_items"}, _reliability),
    ({"pattern", "n_waves", "share"}, _attrition),
]


def present(result: Any, *, title: str = "", codebook: Any = None) -> Presentation:
    """Turn a result of survey_kit's statistics into a Danish presentation table.

    Parameters
    ----------
    result : DataFrame or CrosstabResult
        A table from ``frequencies``, ``compare``, ``compare_waves``, ``trend``, ``rank_shares``,
        ``reliability``, ``attrition``, or a ``CrosstabResult``; any other DataFrame gets Danish
        number formats only.
    title : str, optional
        Caption above the table.
    codebook : Codebook, optional
        Gives the breakdown's label as the group header ("Fagområde") and scale labels
        (``Survey`` methods pass their codebook).

    Returns
    -------
    Presentation
        Shows itself in JupyterLab; ``.frame`` is the Danish text table, ``.to_excel(path)``
        writes it with the numbers beside it.

    Examples
    --------
    >>> sk.present(sk.compare(survey, ["ml_1"], by="omraade"))  # doctest: +SKIP
    """
    if hasattr(result, "row_share") and hasattr(result, "to_frame"):
        return _crosstab(result, title)
    if not isinstance(result, pd.DataFrame):
        raise ValueError(f"result: expected a result table (DataFrame), got {type(result).__name__}")
    cols = set(result.columns)
    for needed, build in _KINDS:
        if needed <= cols:
            t = result.reset_index(drop=True)
            # a trend row is its own test (one group's rounds): a hidden group hides no other row's
            t = _rounded(t.copy()) if build is _trend else _for_publication(t)
            return build(t, title, codebook)
    return _generic(result, title)


_TESTS = ("p_val", "q_val", "effect", "effect_name", "test")


def _chi2_shares(n: Any, pos: Any) -> tuple[float, float] | None:
    """Pearson's chi-square (p, Cramér's V) of positives/negatives across the groups."""
    import numpy as np
    from scipy import stats as sps

    ok = n > 0
    n, pos = n[ok], pos[ok]
    if len(n) < 2 or np.isnan(pos).any():
        return None
    obs = np.stack([pos, n - pos], axis=1)
    cs = obs.sum(axis=0)
    if (cs == 0).any():
        return None
    exp = np.outer(n, cs) / n.sum()
    chi2 = float(((obs - exp) ** 2 / exp).sum())
    return float(sps.chi2.sf(chi2, len(n) - 1)), float(np.sqrt(chi2 / n.sum()))


def _for_publication(t: pd.DataFrame) -> pd.DataFrame:
    """What a presentation shows and writes (its Excel ``Data`` sheet too), as the reports publish:
    a test across the groups of an item with a hidden group is left out unless it was recomputed
    over the shown groups (``test_scope == "published"``); p and q to 3 decimals (below 0.001:
    0.0), effect sizes to 2. The caller's table is not changed."""
    if not {"p_val", "item"} <= set(t.columns):
        return t
    t = t.copy()
    supp = _suppressed(t)
    scope = t["test_scope"].astype(str) if "test_scope" in t else pd.Series("", index=t.index)
    hid_items = set(t.loc[supp & ~_total(t), "item"]) if "group" in t else set()
    blank = t["item"].isin(hid_items) & scope.ne("published")
    retested = False
    for item in hid_items:  # shares: the chi-square over the shown groups from their n and share
        rows = (t["item"] == item) & blank
        test = t.loc[rows, "test"].dropna().astype(str) if "test" in t else pd.Series(dtype=str)
        if not (test.eq("chi2").any() and t.loc[rows, "stat"].eq("share").all()):
            continue
        shown = rows & ~supp & ~_total(t)
        n = pd.to_numeric(t.loc[shown, "n"], errors="coerce").to_numpy(dtype=float)
        pos = (pd.to_numeric(t.loc[shown, "value"], errors="coerce").to_numpy(dtype=float) * n).round()
        retest = _chi2_shares(n, pos)
        if retest is None:
            continue
        t.loc[rows, "p_val"], t.loc[rows, "effect"] = retest
        t.loc[rows, "effect_name"], t.loc[rows, "test"] = "cramers_v", "chi2"
        scope = scope.where(~rows, "published")
        blank &= ~rows
        retested = True
    if retested:
        t["test_scope"] = scope.to_numpy()
    for c in _TESTS:
        if c in t and blank.any():
            t[c] = t[c].astype(object).where(~blank, None) if c in ("effect_name", "test") else \
                pd.to_numeric(t[c], errors="coerce").where(~blank)
    if "q_val" in t and hid_items:  # Benjamini-Hochberg over the published p-values
        import numpy as np

        firsts = t.drop_duplicates("item")
        p = pd.to_numeric(firsts["p_val"], errors="coerce").to_numpy(dtype=float)
        q = np.full_like(p, np.nan)
        ok = np.flatnonzero(~np.isnan(p))
        if ok.size:
            order = np.argsort(p[ok])
            ranked = p[ok][order] * ok.size / np.arange(1, ok.size + 1)
            q[ok[order]] = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
        t["q_val"] = t["item"].map(dict(zip(firsts["item"], q, strict=True))).astype(float)
    return _rounded(t)


def _rounded(t: pd.DataFrame) -> pd.DataFrame:
    """p and q to 3 decimals (below 0.001: 0.0, shown "< 0,001"), effect sizes to 2 (in place)."""
    for c in ("p_val", "q_val"):
        if c in t:
            p = pd.to_numeric(t[c], errors="coerce")
            t[c] = p.where(~(p < 0.001), 0.0).round(3)
    if "effect" in t:
        t["effect"] = pd.to_numeric(t["effect"], errors="coerce").round(2)
    return t


def danish(result: Any, *, codebook: Any = None) -> pd.DataFrame:
    """Deprecated: ``present(result, codebook=...).frame`` (the Danish text table as a DataFrame)."""
    from survey_kit._deprecated import RENAMED, warn

    warn("danish", RENAMED["danish"])
    return present(result, codebook=codebook).frame


__all__ = ["Presentation", "flag_text", "present"]
