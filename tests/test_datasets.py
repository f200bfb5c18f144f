"""Tests of the demo-data generators, the flaws and the platform-shaped export writers.

Figures are computed here with plain pandas (not with survey_kit.stats), and the exports are
re-read with openpyxl, pyreadstat and the csv module, independently of survey_kit.ingest.
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from survey_kit.codebook import instrument
from survey_kit.datasets import (
    add_flaws,
    leader_survey,
    network_evaluation,
    temperature_survey,
    write_demo_exports,
    write_excel_resaved_csv,
    write_forms_xlsx,
    write_spss,
    write_surveyxact_csv,
    write_surveyxact_xlsx,
)
from survey_kit.errors import DataError

LEADER = instrument("lederudvikling_2008")
TEMP = instrument("temperaturmaaling")
NET = instrument("netvaerksevaluering")
UDB = ["udb_netvaerk", "udb_uddannelse", "udb_kursus", "udb_coaching", "udb_sparring"]
PRIO = [f"prioritet_{k}" for k in range(1, 9)]


# -- plain-pandas versions of the published figures ----------------------------------------------
def share_ja(df: pd.DataFrame) -> float:
    d = df["net_deltaget"].dropna()
    return float(d.isin([1, 2]).mean())


def share_godt(df: pd.DataFrame) -> float:
    g = df.loc[df["net_deltaget"].isin([1, 2]), "net_godt"].dropna()
    g = g[g != 6]  # Ved ikke outside the base
    return float(g.isin([4, 5]).mean())


def rank_shares(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    p = df[PRIO]
    rankers = p[p.notna().any(axis=1)]
    first = (rankers == 1).fillna(False).mean()
    top3 = rankers.notna().mean()
    return first, top3


def udb_means(df: pd.DataFrame) -> pd.Series:
    return pd.Series({c: df[c][df[c].notna() & (df[c] != 6)].astype(float).mean() for c in UDB})


# -- generators ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "kwargs"),
    [
        (leader_survey, {"n": 150}),
        (temperature_survey, {"n_per_wave": 300}),
        (network_evaluation, {"n_leaders": 40}),
    ],
)
def test_deterministic_given_seed(make, kwargs):
    a = make(**kwargs, seed=11)
    b = make(**kwargs, seed=11)
    c = make(**kwargs, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


@pytest.mark.parametrize(
    ("frame", "cb"),
    [
        (lambda: leader_survey(n=400, seed=3), LEADER),
        (lambda: temperature_survey(seed=3), TEMP),
        (lambda: network_evaluation(seed=3), NET),
    ],
)
def test_schema_matches_codebook(frame, cb):
    df = frame()
    assert list(df.columns) == cb.data_columns
    assert df[cb.respondent_id.column].is_unique
    for item in cb.items:
        for col in item.columns:
            s = df[col]
            if item.type in ("likert", "single", "multiple", "ranking"):
                assert str(s.dtype) in ("Int8", "Int16"), col
            values = s.dropna()
            if item.is_categorical:
                assert set(values.astype(int)) <= set(item.allowed_codes), col
            elif item.type == "multiple":
                assert set(values.astype(int)) <= {0, 1}, col
            elif item.type == "ranking":
                assert set(values.astype(int)) <= set(range(1, item.k + 1)), col
            elif item.type == "number" and item.range:
                assert values.between(*item.range).all(), col
            elif item.type == "date" and item.date_range:
                lo, hi = (pd.Timestamp(d) for d in item.date_range)
                assert values.between(lo, hi + pd.Timedelta(days=1)).all(), col
            elif item.type == "text":
                assert pd.api.types.is_string_dtype(s), col


def test_leader_skip_logic_and_ranking_shape():
    df = leader_survey(n=2000, seed=4)
    nej = df["net_deltaget"] == 3
    asked = [c for it in LEADER.items if it.ask_if is not None for c in it.columns]
    assert df.loc[nej, asked].isna().all().all()
    formaal = [c for c in df.columns if c.startswith("net_formaal_")]
    ja = df["net_deltaget"].isin([1, 2])
    assert df.loc[ja, formaal].notna().all().all()  # shown: 0/1, never NA
    ranks = df[PRIO]
    ranked = ranks.notna().sum(axis=1)
    assert set(ranked.unique()) == {0, 3}  # exactly three distinct options, or nothing
    full = ranks[ranked == 3]
    assert (np.sort(full.to_numpy(dtype=float, na_value=np.inf), axis=1)[:, :3] == [1, 2, 3]).all()
    assert df["besvaret"].dt.month.eq(9).all() and df["besvaret"].dt.year.eq(2008).all()
    share_comment = df["kommentar"].notna().mean()
    assert 0.12 < share_comment < 0.18
    assert set(df["sektor"].dropna().unique()) == {1, 2, 3, 4}
    assert (df["sektor"] == 4).mean() < 0.1  # a small "Andet" group


@pytest.mark.parametrize(("n", "seed"), [(20_000, 99), (764, 2008)])
def test_leader_reproduces_published_figures(n, seed):
    """KL 2008: 9 in 10 in a network; 90 % of them rate networks good; networks top the ranking
    with nearly half (47 %) in the top three; networks on a par with leadership education."""
    df = leader_survey(n=n, seed=seed)
    assert len(df) == n
    assert share_ja(df) == pytest.approx(0.90, abs=0.02)
    assert share_godt(df) == pytest.approx(0.90, abs=0.02)
    first, top3 = rank_shares(df)
    assert top3["prioritet_1"] == pytest.approx(0.47, abs=0.02)
    assert first.idxmax() == "prioritet_1" and top3.idxmax() == "prioritet_1"
    means = udb_means(df)
    assert set(means.nlargest(2).index) == {"udb_netvaerk", "udb_uddannelse"}
    assert abs(means["udb_netvaerk"] - means["udb_uddannelse"]) < 0.15


def test_leader_breakdowns_differ():
    df = leader_survey(n=20_000, seed=5)
    base = df[df["net_godt"].notna() & (df["net_godt"] != 6)]
    pos = base["net_godt"].isin([4, 5])
    by_deltagelse = pos.groupby(base["net_deltagelse"]).mean()
    assert 0.02 < by_deltagelse[2] - by_deltagelse[1] < 0.10  # voluntary a few points above
    by_facil = pos.groupby(base["net_facilitering"]).mean()
    assert by_facil[[1, 2]].min() > by_facil[3]  # facilitated above unfacilitated


def test_leader_at_scale():
    # its speed (vectorised, not a loop per respondent) is the benchmark's `simulate` stage
    df = leader_survey(n=50_000, seed=1)
    assert len(df) == 50_000 and df["respondentid"].is_unique


def test_temperature_census_units_and_waves():
    df = temperature_survey(seed=2010)
    enhed = TEMP["enhed"]
    assert (df["omraade"].astype(int) == df["enhed"].astype(int).map(enhed.parent)).all()
    counts = df.groupby(["bolge", "enhed"]).size()
    pop = pd.Series(TEMP.population["enhed"])
    for wave in (1, 2):
        c = counts.loc[wave]
        assert (c <= pop.reindex(c.index)).all()
        assert (c < 5).sum() >= 5  # several units below the anonymity limit
        assert 0.70 <= c.sum() / pop.sum() <= 0.85
    ids = df["respondentid"]
    assert ids.is_unique

    def scale_mean(wave: int, scale: str) -> float:
        items = list(TEMP.scale(scale).items)
        sub = df.loc[df["bolge"] == wave, items].astype("Float64")
        sub = sub.where(sub != 6)
        for it in items:
            if TEMP[it].reverse:
                sub[it] = 6 - sub[it]
        return float(sub.stack().mean())

    change = {s.code: scale_mean(2, s.code) - scale_mean(1, s.code) for s in TEMP.scales}
    assert change["intern_udveksling"] > 0.2 and change["laering_med_andre"] > 0.2
    assert abs(change["informationsteknologi"]) < 0.1
    for st in ("st_praesenteret", "st_plan", "st_videndeler"):
        ja = df[df[st].isin([1, 2])].groupby("bolge")[st].apply(lambda s: (s == 1).mean())
        assert ja[2] > ja[1] + 0.1
    valid = df[["ml_1", "ml_3"]].astype("Float64")
    valid = valid[(valid != 6).all(axis=1)].dropna()
    assert valid["ml_1"].corr(valid["ml_3"]) < -0.1  # the reverse-scored item runs the other way
    likert = [it.code for it in TEMP.items if it.type == "likert"]
    assert 0.035 < (df[likert] == 6).mean().mean() < 0.065


def test_temperature_scales_to_large_n():
    # its speed is the benchmark's `simulate` stage
    df = temperature_survey(n_per_wave=50_000, seed=2)
    assert df.groupby("bolge").size().tolist() == [50_000, 50_000]


def test_network_panel():
    df = network_evaluation(seed=2005)
    w1 = set(df.loc[df["maaling"] == 1, "leder_id"])
    w2 = set(df.loc[df["maaling"] == 2, "leder_id"])
    assert len(w1) == 96
    assert 0.75 <= len(w1 & w2) / len(w1) <= 0.95  # about 15 % attrition
    assert len(w2 - w1) >= 2  # new joiners answered only after a year
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\d*@[a-z]+\.dk", e) for e in w1 | w2)
    assert df.groupby("netvaerk")["leder_id"].nunique().between(10, 16).all()
    big = network_evaluation(n_leaders=8000, seed=3)
    valid = big[["sh_1", "pl_1"]].where(big[["sh_1", "pl_1"]] != 6).astype("Float64")
    change = valid.groupby([big["hjemmenetvaerk"], big["maaling"]]).mean()
    home = change.loc[(1, 2)] - change.loc[(1, 1)]
    other = change.loc[(2, 2)] - change.loc[(2, 1)]
    assert (home > other + 0.2).all()
    ja = (
        big[big["sparring_kollega"].notna()]
        .groupby("maaling")["sparring_kollega"]
        .apply(lambda s: (s == 1).mean())
    )
    assert ja[2] > ja[1] + 0.2


def test_argument_errors():
    with pytest.raises(ValueError, match="n"):
        leader_survey(n=0)
    with pytest.raises(ValueError, match="n_per_wave"):
        temperature_survey(n_per_wave=-1)
    with pytest.raises(ValueError, match="n_leaders"):
        network_evaluation(n_leaders=1.5)


# -- flaws ---------------------------------------------------------------------------------------
def test_flaws_are_present_as_listed():
    clean = leader_survey(n=300, seed=8)
    before = clean.copy()
    df, flaws = add_flaws(clean, LEADER, np.random.default_rng(0))
    pd.testing.assert_frame_equal(clean, before)  # the caller's frame is untouched
    assert list(flaws.columns) == ["kind", "respondent_id", "column", "value", "row"]
    assert set(flaws["kind"]) == {
        "impossible_code",
        "duplicate_row",
        "blank_row",
        "partial",
        "skip_violation",
        "date_outside_period",
    }
    assert len(df) == len(clean) + 3  # one duplicate, two blank rows
    for f in flaws.itertuples():
        row = df.iloc[f.row]
        assert row["respondentid"] == f.respondent_id
        if f.kind == "impossible_code":
            assert int(row[f.column]) == int(f.value) == 7
        elif f.kind == "skip_violation":
            assert row["net_deltaget"] == 3 and int(row[f.column]) == int(f.value)
        elif f.kind == "date_outside_period":
            assert row[f.column] > pd.Timestamp("2008-10-01")
        elif f.kind == "duplicate_row":
            prev = df.iloc[f.row - 1]
            assert prev.drop("_complete").equals(row.drop("_complete"))
        elif f.kind == "blank_row":
            assert row.drop(["respondentid", "_complete"]).isna().all() and not row["_complete"]
        elif f.kind == "partial":
            assert pd.isna(row[f.column]) and not row["_complete"]


# -- exports -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def flawed_leader():
    return add_flaws(leader_survey(n=120, seed=21), LEADER, np.random.default_rng(1))


def test_surveyxact_xlsx(tmp_path, flawed_leader):
    df, flaws = flawed_leader
    path = write_surveyxact_xlsx(df, LEADER, tmp_path / "sx.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Dataset", "Complete", "Labels", "Variables", "Structure"]
    rows = list(wb["Dataset"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:7] == [
        "respondentid",
        "closetime",
        "starttime",
        "created",
        "modified",
        "difftime",
        "email",
    ]
    assert header[-5:] == [f"statoverall_{k}" for k in range(1, 6)]
    assert header[7:-5] == LEADER.data_columns[1:]
    data = pd.DataFrame(rows[1:], columns=header)
    assert len(data) == len(df)
    ws = wb["Dataset"]
    godt = header.index("net_godt") + 1
    cells = [ws.cell(row=r, column=godt) for r in range(2, len(df) + 2)]
    assert all(c.data_type == "n" for c in cells)  # codes as numeric cells
    assert data["kommentar"].map(lambda v: isinstance(v, str)).all()  # empty open answers: ''
    assert (data["kommentar"] == "").any()
    status = data[[f"statoverall_{k}" for k in range(1, 6)]]
    assert (status.sum(axis=1) == 1).all()
    blank_rows = flaws.loc[flaws["kind"] == "blank_row", "row"]
    partial_rows = flaws.loc[flaws["kind"] == "partial", "row"]
    assert (data.loc[blank_rows, "statoverall_2"] == 1).all()
    assert (
        (data.loc[blank_rows, [c for c in header if c.startswith("net_formaal_")]] == 0).all().all()
    )
    assert data.loc[blank_rows, "closetime"].isna().all()
    assert (data.loc[partial_rows, "statoverall_3"] == 1).all()
    nej = data["net_deltaget"] == 3
    assert (data.loc[nej, "net_formaal_1"] == 0).all()  # not shown: 0 as SurveyXact writes it
    for f in flaws[flaws["kind"] == "impossible_code"].itertuples():
        assert data.loc[f.row, f.column] == 7
    for col in LEADER.data_columns[1:]:
        item = LEADER.item_for_column(col)
        if item.type in ("likert", "single", "multiple", "ranking", "number"):
            expected = df[col].fillna(0) if item.type == "multiple" else df[col]
            got = pd.array(data[col].tolist(), dtype="Float64")
            assert list(got) == list(expected.astype("Float64")), col
    labels = list(wb["Labels"].iter_rows(values_only=True))
    assert labels[0][0] in header  # no header row
    assert ("net_formaal_1", 0, "Ikke valgt") in labels and ("net_formaal_1", 1, "Valgt") in labels
    assert ("net_godt", 6, "Ved ikke") in labels
    variables = list(wb["Variables"].iter_rows(values_only=True))
    assert variables[0] == ("variableName", "variableDescription")
    assert [v[0] for v in variables[1:]] == header
    complete = next(wb["Complete"].iter_rows(values_only=True))
    assert list(complete) == [v[1] for v in variables[1:]]
    assert LEADER["net_godt"].text in complete
    structure = list(wb["Structure"].iter_rows(values_only=True))
    assert structure[0][:7] == (
        "questionName",
        "variableName",
        "questionType",
        "subType",
        "questionText",
        "choiceValue",
        "choiceText",
    )


def _decode(raw: bytes, encoding: str) -> str:
    if encoding == "utf-16":
        assert raw[:2] == b"\xff\xfe"  # UTF-16LE with BOM
        return raw[2:].decode("utf-16-le")
    return raw.decode(encoding)


@pytest.mark.parametrize(
    ("variant", "delim", "encoding"),
    [
        ("semicolon-cp1252", ";", "cp1252"),
        ("comma-cp1252", ",", "cp1252"),
        ("tab-utf16", "\t", "utf-16"),
    ],
)
def test_surveyxact_csv(tmp_path, flawed_leader, variant, delim, encoding):
    df, _ = flawed_leader
    paths = write_surveyxact_csv(df, LEADER, tmp_path / variant, variant)
    assert {p.name for p in paths.values()} == {"dataset.csv", "structure.csv", "labels.csv"}
    texts = {k: _decode(p.read_bytes(), encoding) for k, p in paths.items()}
    for text in texts.values():
        assert text.endswith("\r\n")
        unquoted = re.sub(r'"(?:[^"]|"")*"', "", text)
        assert _bare_lf(unquoted) == 0  # CRLF line ends; a bare LF only inside quoted text
    structure = list(csv.reader(io.StringIO(texts["structure"], newline=""), delimiter=delim))
    assert structure[0] == [
        "questionName",
        "variableName",
        "questionType",
        "subType",
        "questionText",
        "choiceValue",
        "choiceText",
    ]
    assert all(len(r) == 8 and r[7] == "" for r in structure[1:])  # the trailing empty column
    raw_lines = texts["structure"].split("\r\n")
    assert all(line.endswith(delim) for line in raw_lines[1:] if line)
    formaal = [r for r in structure if r[0] == "net_formaal"]
    assert (
        formaal[0][1:4] == ["net_formaal_1", "Closed", "Multiple"]
        and formaal[0][6] == "Styrke ledelseskompetencer"
    )
    labels = list(csv.reader(io.StringIO(texts["labels"], newline=""), delimiter=delim))
    assert labels[0][0] != "variableName" and all(len(r) == 3 for r in labels)
    assert ["net_deltaget", "1", "Ja, flere gange"] in labels
    if delim == ",":
        assert '"Ja, flere gange"' in texts["labels"]  # text containing the delimiter is quoted
    data = list(csv.reader(io.StringIO(texts["dataset"], newline=""), delimiter=delim))
    header = data[0]
    assert header[0] == "respondentid" and header[-1] == "statoverall_5"
    assert len(data) == len(df) + 1 and all(len(r) == len(header) for r in data)
    godt = header.index("net_godt")
    assert {r[godt] for r in data[1:]} <= {"", "1", "2", "3", "4", "5", "6", "7"}
    close = header.index("closetime")
    assert all(
        re.fullmatch(r"\d\d-\d\d-2008 \d\d:\d\d:\d\d", r[close]) for r in data[1:] if r[close]
    )
    kommentar = header.index("kommentar")
    assert any("\n" in r[kommentar] for r in data[1:])  # a line break inside a quoted answer


def _bare_lf(text: str) -> int:
    """Line feeds that are not part of CRLF (allowed only inside quoted free text)."""
    return text.count("\n") - text.count("\r\n")


def test_excel_resaved_csv(tmp_path, flawed_leader):
    df, flaws = flawed_leader
    path = write_excel_resaved_csv(df, LEADER, tmp_path / "resaved.csv")
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # windows-1252, as Danish Excel saves it
    text = raw.decode("cp1252")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0][0] == LEADER.title and set(rows[0][1:]) == {""}
    assert set(rows[1]) == {""}
    header = rows[2]
    assert len({len(r) for r in rows}) == 1  # Excel pads every row to the full width
    assert LEADER["net_godt"].text in header
    body = pd.DataFrame(rows[3:], columns=header)
    assert len(body) == len(df)
    godt = body[LEADER["net_godt"].text]
    assert {"Helt enig", "Overvejende enig"} <= set(godt) and "Ved ikke" in set(godt)
    serial = body["Afsluttet"][body["Afsluttet"] != ""].str.replace(",", ".").astype(float)
    dates = pd.Timestamp("1899-12-30") + pd.to_timedelta(serial, unit="D")
    ok = dates.between("2008-09-01", "2008-10-01")
    assert ok.mean() > 0.95 and re.fullmatch(r"\d{5},\d+", body["Afsluttet"].iloc[0])
    late = flaws.loc[flaws["kind"] == "date_outside_period", "row"].iloc[0]
    assert not ok.loc[late]
    svartid = body["Svartid (minutter)"][body["Svartid (minutter)"] != ""]
    assert svartid.str.contains(",").any()
    assert any("\n" in v for v in body[LEADER["kommentar"].text])


def test_spss(tmp_path, flawed_leader):
    df, _ = flawed_leader
    path = write_spss(df, LEADER, tmp_path / "l.sav")
    data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert meta.missing_ranges["net_godt"] == [{"lo": 6.0, "hi": 6.0}]
    assert meta.missing_ranges["net_facilitering"] == [{"lo": 9.0, "hi": 9.0}]
    assert meta.variable_value_labels["net_godt"][6.0] == "Ved ikke"
    assert meta.variable_value_labels["net_godt"][5.0] == "Helt enig"
    assert meta.variable_value_labels["net_formaal_2"] == {0.0: "Ikke valgt", 1.0: "Valgt"}
    assert meta.column_names_to_labels["net_deltaget"] == LEADER["net_deltaget"].text
    assert list(data.columns) == LEADER.data_columns
    assert (data["net_godt"] == 6).sum() == (df["net_godt"] == 6).sum()
    dropped, _ = pyreadstat.read_sav(str(path), user_missing=False)
    assert (dropped["net_godt"] == 6).sum() == 0  # user-missing codes become system missing


def test_forms_xlsx(tmp_path, flawed_leader):
    df, _ = flawed_leader
    path = write_forms_xlsx(df, LEADER, tmp_path / "forms.xlsx")
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0][:6]) == [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
    ]
    assert LEADER["net_formaal"].text in rows[0]
    j = rows[0].index(LEADER["net_formaal"].text)
    multi = [r[j] for r in rows[1:] if r[j]]
    assert multi and all(v.endswith(";") for v in multi)
    assert {r[3] for r in rows[1:]} == {"anonymous"}
    ranking = [r[rows[0].index(LEADER["prioritet"].text)] for r in rows[1:]]
    assert all(v.count(";") == 3 for v in ranking if v)  # three ranked options, in rank order
    panel = network_evaluation(n_leaders=16, seed=1)
    rows = list(
        openpyxl.load_workbook(
            write_forms_xlsx(panel, NET, tmp_path / "net.xlsx")
        ).active.iter_rows(values_only=True)
    )
    assert all("@" in r[3] for r in rows[1:])  # sign-in form: the leader's address


def test_write_demo_exports(tmp_path):
    paths = write_demo_exports(tmp_path)
    assert set(paths) == {"lederudvikling_2008", "temperaturmaaling", "netvaerksevaluering", "kompetencekortlaegning"}
    for name, kinds in paths.items():
        for kind in ("surveyxact_xlsx", "surveyxact_csv", "excel_csv", "sav", "flaws"):
            assert kinds[kind].exists(), (name, kind)
            assert tmp_path / "demo" in kinds[kind].parents
        flaws = pd.read_csv(kinds["flaws"])
        truth = pd.read_parquet(kinds["truth"])
        for f in flaws[flaws["kind"] == "impossible_code"].itertuples():
            assert truth.loc[f.row, f.column] == int(f.value)
    truth = pd.read_parquet(paths["lederudvikling_2008"]["truth"])
    clean = truth[truth["_complete"]].drop_duplicates("respondentid")
    assert share_ja(clean) == pytest.approx(0.90, abs=0.02)
    again = write_demo_exports(tmp_path, seed=7, n_temperature=60)  # our own folder: rewritten
    assert again["temperaturmaaling"]["sav"].exists()


def test_write_demo_exports_refuses_foreign_folder(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.csv").write_text("a;b\n", encoding="utf-8")
    with pytest.raises(DataError, match="not written by"):
        write_demo_exports(tmp_path)
    assert (tmp_path / "demo" / "mine.csv").read_text(encoding="utf-8") == "a;b\n"
