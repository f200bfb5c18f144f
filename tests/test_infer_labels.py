"""Drafting without a known scale (issue 23): order read from the labels, one scale per battery,
don't-know by meaning, metadata and personal columns left out, labels that tell items apart,
ids kept with their repeats, one date reader for infer and ingest, platform quirks."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from survey_kit.codebook.label_order import order_from_labels
from survey_kit.codebook.scales import is_dont_know
from survey_kit.ingest.core import ingest, read_raw
from survey_kit.ingest.infer import draft_codebook
from survey_kit.ingest.readers import read_export


@pytest.mark.parametrize(("scrambled", "expected"), [
    # codes written in the labels (Qualtrics "Disagree (2)", "7 - ", "1 = ")
    (["Disagree (2)", "Strongly agree (7)", "Somewhat agree (5)", "Strongly disagree (1)"],
     ["Strongly disagree (1)", "Disagree (2)", "Somewhat agree (5)", "Strongly agree (7)"]),
    (["5 - It's extremely important", "1 - Not important", "3 - Neutral"],
     ["1 - Not important", "3 - Neutral", "5 - It's extremely important"]),
    # numbers and bands
    (["3-5 timer", "5-8 timer", "Mer enn 8 timer", "1-3 timer", "Mindre enn 1 time"],
     ["Mindre enn 1 time", "1-3 timer", "3-5 timer", "5-8 timer", "Mer enn 8 timer"]),
    (["45+", "18-29", "30-44"], ["18-29", "30-44", "45+"]),
    (["10", "0", "5", "2"], ["0", "2", "5", "10"]),
    # intensity words in eight languages
    (["Sometimes", "Always", "Never", "Often", "Rarely"], ["Never", "Rarely", "Sometimes", "Often", "Always"]),
    (["oft", "nie", "sehr oft", "gelegentlich", "selten"], ["nie", "selten", "gelegentlich", "oft", "sehr oft"]),
    (["a veces", "siempre", "nunca", "casi nunca", "a menudo"], ["nunca", "casi nunca", "a veces", "a menudo", "siempre"]),
    (["souvent", "jamais", "parfois", "toujours"], ["jamais", "parfois", "souvent", "toujours"]),
    (["soms", "altijd", "nooit", "vaak"], ["nooit", "soms", "vaak", "altijd"]),
    (["Af og til", "Aldrig", "Ofte", "Altid"], ["Aldrig", "Af og til", "Ofte", "Altid"]),
    (["Ibland", "Aldrig", "Ofta"], ["Aldrig", "Ibland", "Ofta"]),
    (["Sehr", "Kaum", "Gar nicht", "Mäßig"], ["Gar nicht", "Kaum", "Mäßig", "Sehr"]),
    (["muy", "nada", "algo", "poco"], ["nada", "poco", "algo", "muy"]),
    (["Very", "Not at all", "A little", "Fairly"], ["Not at all", "A little", "Fairly", "Very"]),
    # strength combined with the pole
    (["Somewhat agree", "Strongly disagree", "Agree", "Strongly agree", "Disagree", "Somewhat disagree",
      "Neither agree nor disagree"],
     ["Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree",
      "Agree", "Strongly agree"]),
    (["Stimme eher zu", "Stimme gar nicht zu", "Stimme voll und ganz zu", "Stimme eher nicht zu"],
     ["Stimme gar nicht zu", "Stimme eher nicht zu", "Stimme eher zu", "Stimme voll und ganz zu"]),
    (["Totalmente de acuerdo", "En desacuerdo", "De acuerdo", "Totalmente en desacuerdo"],
     ["Totalmente en desacuerdo", "En desacuerdo", "De acuerdo", "Totalmente de acuerdo"]),
    (["Yes", "Maybe", "No"], ["No", "Maybe", "Yes"]),
    # seen on the held-out corpus (Google Forms in Spanish, a SurveyMonkey survey of the Carpentries)
    (["Muchas veces", "Algunas veces", "Pocas veces", "Nunca"], ["Nunca", "Pocas veces", "Algunas veces", "Muchas veces"]),
    (["All of the time", "Often", "Sometimes", "Rarely", "Never"],
     ["Never", "Rarely", "Sometimes", "Often", "All of the time"]),
    # change: much less ... no change ... much more
    (["More motivated", "No change in motivation", "Much more motivated", "Slightly less motivated", "Less motivated"],
     ["Less motivated", "Slightly less motivated", "No change in motivation", "More motivated", "Much more motivated"]),
    (["Uændret", "Lidt mere", "Meget mindre", "Mere"], ["Meget mindre", "Uændret", "Lidt mere", "Mere"]),
    # strength words that also read as degree ("very", "somewhat") but differ only by their pole
    (["Somewhat easy", "Very easy", "Somewhat difficult", "Very difficult"],
     ["Very difficult", "Somewhat difficult", "Somewhat easy", "Very easy"]),
    # quality, with "excellent" above "good" and what needs improving at the bottom
    (["Good", "Excellent", "Poor", "Fair"], ["Poor", "Fair", "Good", "Excellent"]),
    (["Bien", "Excellent", "Moyen", "Accueil laisse à désirer"], ["Accueil laisse à désirer", "Moyen", "Bien", "Excellent"]),
    # bands in different units of time
    (["Entre 1 y 2 años", "Mas de 2 años", "Menos de 6 meses", "Entre 6 meses y un año"],
     ["Menos de 6 meses", "Entre 6 meses y un año", "Entre 1 y 2 años", "Mas de 2 años"]),
    (["1-2 år", "Under 6 måneder", "Mere end 5 år", "6-12 måneder"],
     ["Under 6 måneder", "6-12 måneder", "1-2 år", "Mere end 5 år"]),
])
def test_order_read_from_the_labels(scrambled, expected) -> None:
    got = order_from_labels(scrambled)
    assert got is not None and got[0] == expected


def test_no_reading_no_order() -> None:
    assert order_from_labels(["Bærum", "Asker", "Oslo Øst"]) is None
    assert order_from_labels(["Rødt", "Grønt"]) is None


@pytest.mark.parametrize("label", [
    "I don't know", "I am not sure", "Not applicable to me", "weiss nicht", "Weiß nicht", "keine Antwort",
    "Keine Angabe", "No sé", "Je ne sais pas", "Weet niet", "Vet ikke", "Ved ikke", "Vet ej"])
def test_dont_know_in_eight_languages(label) -> None:
    assert is_dont_know(label)


@pytest.mark.parametrize("label", ["I don't know how to sell it, but I would", "Not sure-footed", "Keine"])
def test_dont_know_never_a_substring(label) -> None:
    assert not is_dont_know(label)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


QUESTION = "How often do you {} at work?"
ANSWERS = ["Never", "Rarely", "Sometimes", "Often", "Always"]


@pytest.fixture(scope="module")
def forms_export(tmp_path_factory) -> Path:
    """A Google-Forms-shaped export: US timestamps, e-mail, name, a battery where one item never got
    "Always", a don't-know answer, a date question in month/day order."""
    folder = tmp_path_factory.mktemp("forms")
    header = ["Timestamp", "Email Address", "Your name", "Phone", *(QUESTION.format(v) for v in ("rest", "eat", "sing")),
              "What is your gender?", "When did you start? (date)", "Comments"]
    rows = []
    for i in range(24):
        rest = ANSWERS[i % 5]
        eat = ANSWERS[i % 4]  # never "Always"
        sing = "I don't know" if i % 6 == 0 else ANSWERS[(i + 2) % 5]
        rows.append([f"{1 + i % 12}/{13 + i % 15}/2023 10:{i:02d}:00", f"person{i}@example.org", f"Name {i}",
                     f"+45 20 30 {i:02d} 11", rest, eat, sing, ["Female", "Male", "Prefer not to say"][i % 3],
                     f"{1 + i % 12}/{14 + i % 10}/2022", f"comment {i}"])
    return _write(folder / "responses.csv", header, rows)


def test_battery_shares_one_scale_and_metadata_is_left_out(forms_export) -> None:
    draft = draft_codebook(forms_export)
    cb = draft.codebook
    by_text = {it.text: it for it in cb.items}
    items = [by_text[QUESTION.format(v)] for v in ("rest", "eat", "sing")]
    for it in items:
        assert it.type == "likert"
        assert [it.values[c] for c in sorted(it.values)] == ANSWERS
        assert it.positive == (4, 5)
    assert items[2].missing == {6: "I don't know"}
    texts = {it.text for it in cb.items}
    assert not {"Timestamp", "Email Address", "Your name", "Phone"} & texts
    assert any("Email Address" in w and "Your name" in w and "Phone" in w for w in draft.warnings)
    gender = by_text["What is your gender?"]
    assert gender.group and "Prefer not to say" in gender.missing.values()
    labels = [it.label for it in cb.items]
    assert len(set(labels)) == len(labels)


def test_one_date_reader_for_draft_and_ingest(forms_export, tmp_path) -> None:
    draft = draft_codebook(forms_export)
    date_item = next(it for it in draft.codebook.items if it.text.startswith("When did you start"))
    assert date_item.type == "date"
    result = ingest(forms_export, draft.codebook, out_dir=tmp_path / "out", key="k")
    frame = result.data
    assert len(frame) == 24  # nothing quarantined for its date
    first = frame.sort_values("_source_row")[date_item.code].iloc[0]
    assert (first.year, first.month, first.day) == (2022, 1, 14)  # "1/14/2022": month first


def test_labels_tell_items_apart() -> None:
    from survey_kit.ingest.infer import _unique_labels

    stem = "Hvor mye brukte skjerm på fritiden om dagen {} pandemien?"
    items = [{"code": f"q{i}", "text": stem.format(w), "label": "Hvor mye brukte skjerm på fritiden om…"}
             for i, w in enumerate(("før", "under", "etter"))]
    _unique_labels(items)
    labels = [it["label"] for it in items]
    assert len(set(labels)) == 3 and [lab.split()[-1] for lab in labels] == ["før", "under", "etter"]


def test_mostly_unique_id_is_kept_and_repeats_named(tmp_path) -> None:
    rows = [[str(i), "Ja" if i % 2 else "Nej"] for i in range(1, 41)] + [["7", "Ja"]]
    path = _write(tmp_path / "ids.csv", ["id", "Er du leder?"], rows)
    draft = draft_codebook(path)
    assert draft.codebook.respondent_id.column == "id"
    assert any("'id'" in w and "7" in w for w in draft.warnings)
    result = ingest(path, draft.codebook, out_dir=tmp_path / "out", key="k")
    assert len(result.data) == 40 and len(result.quarantine) == 1


def test_participant_codes_are_ids(tmp_path) -> None:
    rows = [[f"S{i:03d}", ["Ja", "Nej"][i % 2]] for i in range(1, 13)]
    path = _write(tmp_path / "codes.csv", ["Deltagerkode", "Er du leder?"], rows)
    assert draft_codebook(path).codebook.respondent_id.column == "Deltagerkode"


def test_qualtrics_import_id_rows_in_single_quotes(tmp_path) -> None:
    header = ["StartDate", "EndDate", "Status", "Finished", "ResponseId", "Q1", "Q2_-1"]
    texts = ["Start Date", "End Date", "Response Type", "Finished", "Response ID", "How are you?", "Rate it"]
    ids = [f"{{'ImportId': '{x}'}}" for x in ("startDate", "endDate", "status", "finished", "_recordId", "QID1", "QID2_-1")]
    rows = [texts, ids] + [[f"2024-01-0{i + 1}", f"2024-01-0{i + 1}", "0", "1", f"R_{i}", "Good", "3"]
                           for i in range(3)]
    path = _write(tmp_path / "q.csv", header, rows)
    raw = read_export(path)
    assert raw.platform == "qualtrics" and len(raw.frame) == 3
    assert not raw.frame.astype(str).apply(lambda s: s.str.contains("ImportId")).any().any()


def test_surveyxact_api_close_time_marks_complete(tmp_path) -> None:
    header = ["responde", "closetim", "stat_1", "stat_2", "stat_3", "stat_4", "stat_5", "s_1"]
    rows = [["1", "", "0", "1", "0", "0", "0", ""], ["2", "2024-03-01 10:00", "0", "1", "0", "0", "0", "3"],
            ["3", "2024-03-02 11:00", "0", "0", "0", "0", "0", "2"], ["4", "", "0", "1", "0", "0", "0", ""]]
    path = tmp_path / "dataset.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows([header, *rows])
    raw = read_raw(path)
    assert raw.platform == "surveyxact"
    assert raw.status.tolist() == ["distributed", "complete", "complete", "distributed"]


def test_labelled_codes_get_positive_from_their_words(tmp_path) -> None:
    import pyreadstat

    df = pd.DataFrame({"id": [1.0, 2, 3, 4, 5], "fp_1": [1.0, 2, 3, 4, 2], "fp_2": [4.0, 3, 2, 1, 1],
                       "grade": [1.0, 6, 7, 3, 5]})
    labels = {"fp_1": {1: "Ikke viktig", 2: "Litt viktig", 3: "Ganske viktig", 4: "Veldig viktig"},
              "fp_2": {1: "Sehr wichtig", 2: "Eher wichtig", 3: "Eher unwichtig", 4: "Völlig unwichtig"},
              "grade": {**{k: str(k) for k in range(1, 7)}, 7: "Ikke fått karakter"}}
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(df, str(path), variable_value_labels=labels)
    draft = draft_codebook(path)
    cb = draft.codebook
    assert cb["fp_1"].type == "likert" and cb["fp_1"].positive == (3, 4)
    assert not any("positive" in n for n in draft.notes.get("fp_1", []))
    assert cb["fp_2"].positive == (1, 2)  # codes run from the positive end: kept, and said
    assert any("positive til den negative" in n for n in draft.notes["fp_2"])
    assert cb["grade"].missing == {7: "Ikke fått karakter"} and max(cb["grade"].values) == 6


def test_surveymonkey_two_header_rows(tmp_path) -> None:
    header = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
              "First Name", "Last Name", "Custom Data 1", "How satisfied are you with your job?",
              "Which tools do you use?", "", "", "What is your department?"]
    second = ["", "", "", "", "", "", "", "", "", "Response", "Email", "Chat", "Video", "Response"]
    sat = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]
    rows = [[str(1000 + i), "C1", "03/01/2024 10:00:00 AM", "03/01/2024 10:05:00 AM", "10.0.0.1",
             f"p{i}@example.org", f"First{i}", f"Last{i}", "", sat[i % 5], "Email" if i % 2 else "",
             "Chat" if i % 3 else "", "", ["Sales", "IT", "HR"][i % 3]] for i in range(12)]
    path = _write(tmp_path / "sm.csv", header, [second, *rows])
    raw = read_export(path)
    assert len(raw.frame) == 12
    assert "Which tools do you use? - Chat" in raw.frame.columns
    draft = draft_codebook(path)
    cb = draft.codebook
    assert cb.respondent_id.column == "Respondent ID"
    texts = {it.text for it in cb.items}
    assert not {"Email Address", "First Name", "Last Name", "IP Address", "Start Date", "Custom Data 1"} & texts
    it = next(i for i in cb.items if i.text.startswith("How satisfied"))
    assert [it.values[c] for c in sorted(it.values)] == sat
    assert next(i for i in cb.items if i.text.startswith("What is your department")).group
    result = ingest(path, cb, out_dir=tmp_path / "out", key="k")
    assert len(result.data) == 12 and it.code in result.data.columns


def test_code_dot_text_headers(tmp_path) -> None:
    header = ["id. Response ID", "submitdate. Date submitted", "lastpage. Last page", "startlanguage. Start language",
              "G01Q01. How often do you work from home?", "G01Q02. How often do you work late?",
              "G01Q03[SQ001]. Which devices? [Laptop]"]
    answers = ["Never", "Sometimes", "Often", "Always"]
    rows = [[str(i), "2024-01-02 10:00:00", "2", "en", answers[i % 4], answers[(i + 1) % 4], "Y" if i % 2 else ""]
            for i in range(1, 9)]
    path = _write(tmp_path / "lime.csv", header, rows)
    raw = read_export(path)
    assert raw.platform == "limesurvey" and "G01Q01" in raw.frame.columns
    cb = draft_codebook(path).codebook
    assert cb["G01Q01"].text == "How often do you work from home?"
    assert [cb["G01Q01"].values[c] for c in sorted(cb["G01Q01"].values)] == [*answers[:1], "Rarely", *answers[1:]]
    assert cb["G01Q01"].values == cb["G01Q02"].values
    result = ingest(path, cb, out_dir=tmp_path / "out", key="k")
    assert len(result.data) == 8 and result.data["G01Q01"].notna().all()


def test_qualtrics_column_names_kept(tmp_path) -> None:
    header = ["StartDate", "EndDate", "Status", "Finished", "ResponseId", "Q1", "Q2_-1", "Q2_1"]
    texts = ["Start Date", "End Date", "Response Type", "Finished", "Response ID", "How are you?", "Rate it - -1",
             "Rate it - 1"]
    ids = [f'{{"ImportId":"{x}"}}' for x in ("startDate", "endDate", "status", "finished", "_recordId", "QID1",
                                              "QID2_-1", "QID2_1")]
    rows = [texts, ids] + [[f"2024-01-0{i + 1}", f"2024-01-0{i + 1}", "0", "1", f"R_{i}", "Good", str(i % 3), "2"]
                           for i in range(6)]
    path = _write(tmp_path / "q.csv", header, rows)
    cb = draft_codebook(path).codebook
    result = ingest(path, cb, out_dir=tmp_path / "out", key="k")
    assert len(result.data) == 6
    assert not any(p for p in result.problems.get("rule", []) if p in ("unknown_column", "missing_column"))


def test_conventional_no_answer_codes_are_missing(tmp_path) -> None:
    import pyreadstat

    df = pd.DataFrame({"id": [1.0, 2, 3, 4, 5, 6], "q1": [1.0, 2, 3, 9, 5, 4], "q2": [1.0, 99, 3, 4, 5, 2],
                       "q3": [1.0, 2, 8, 9, 3, 4]})
    five = {1: "Helt uenig", 2: "Uenig", 3: "Hverken enig eller uenig", 4: "Enig", 5: "Helt enig"}
    labels = {"q1": {**five, 9: "Ikke stillet"}, "q2": {**five, 99: "Systemmissing"},
              "q3": {**{k: f"Trin {k}" for k in range(1, 9)}, 9: "Højeste trin"}}
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(df, str(path), variable_value_labels=labels)
    cb = draft_codebook(path).codebook
    assert cb["q1"].missing == {9: "Ikke stillet"} and max(cb["q1"].values) == 5
    assert cb["q2"].missing == {99: "Systemmissing"}
    assert 9 in cb["q3"].values and not cb["q3"].missing  # 1..9: a scale going on


def test_one_answer_given_needs_no_order_check(tmp_path) -> None:
    path = _write(tmp_path / "consent.csv", ["Timestamp", "I agree to take part", "How often do you rest?"],
                  [["1/2/2024 10:00:00", "Yes", a] for a in ANSWERS])
    draft = draft_codebook(path)
    it = next(i for i in draft.codebook.items if i.text == "I agree to take part")
    assert it.values == {1: "Yes"} and not draft.notes.get(it.code)


def test_background_named_codes_are_groups(tmp_path) -> None:
    rows = [[str(i), str(1 + i % 4), str(1 + i % 2), str(1 + i % 5)] for i in range(1, 21)]
    path = _write(tmp_path / "codes.csv", ["respondentid", "sektor", "rolle", "q1"], rows)
    draft = draft_codebook(path)
    cb = draft.codebook
    assert cb["sektor"].type == "single" and cb["sektor"].group
    assert cb["rolle"].group
    assert cb["q1"].type == "likert" and not cb["q1"].group
    assert not any("positive" in n for n in draft.notes.get("sektor", []))


def test_two_answers_on_one_point_of_a_known_scale_keep_their_own_codes(tmp_path) -> None:
    """"often" and "very often" are one point of the table's English frequency scale: the file's
    five answers get five codes, ordered by their words, and every answer is read on ingest."""
    five = ["never", "seldom", "sometimes", "often", "very often"]
    rows = [[str(i), five[i % 5], five[(i + 2) % 4]] for i in range(1, 16)]
    path = _write(tmp_path / "often.csv", ["id", "How often do you read?", "How often do you watch TV?"], rows)
    cb = draft_codebook(path).codebook
    for it in cb.items:
        assert [it.values[c] for c in sorted(it.values)] == five
    assert len(ingest(path, cb, out_dir=tmp_path / "out", key="k").data) == 15


def test_a_date_column_of_timestamps_is_metadata(tmp_path) -> None:
    """A bare "Date" header over "9/8/18 15:29" (a SurveyMonkey download cleaned by hand) says when
    the form was sent: metadata, not a date question; a "Date" of days only may be a question."""
    path = tmp_path / "post.csv"
    rows = [["Date", "Recommend"], ["9/8/18 15:29", "Agree"], ["9/8/18 3:42", "Strongly Agree"],
            ["9/10/18 11:02", "Disagree"], ["9/11/18 9:15", "Agree"]]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    draft = draft_codebook(path)
    assert [it.text for it in draft.codebook.items] == ["Recommend"]
    days = tmp_path / "days.csv"
    with open(days, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["Date", "Recommend"], ["9/8/18", "Agree"], ["9/10/18", "Disagree"]])
    assert "Date" in [it.text for it in draft_codebook(days).codebook.items]


def test_checkbox_answers_joined_by_semicolon_are_one_multiple_item(tmp_path) -> None:
    """Some Google Forms downloads join the ticked boxes with ";" ("Enseñanza de Grado;Máster u otro
    posgrado oficial"): one multiple item, one 0/1 per option, in the draft and on ingest."""
    path = tmp_path / "respuestas.csv"
    cells = ["Enseñanza de Grado;Máster u otro posgrado oficial", "Enseñanza de Grado",
             "Títulos propios;Enseñanza de Grado;Máster u otro posgrado oficial", "Enseñanza de Grado",
             "Ciclos formativos de grado medio/superior;Títulos propios", "Enseñanza de Grado;Máster u otro posgrado oficial",
             "Ciclos formativos de grado medio/superior"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Marca temporal", "Titulaciones que imparte"])
        w.writerows([f"2021/02/15 11:{20 + i}:23 a. m. EET", c] for i, c in enumerate(cells))
    it = draft_codebook(path).codebook.items[0]
    assert it.type == "multiple"
    assert sorted(it.values.values()) == sorted(["Enseñanza de Grado", "Máster u otro posgrado oficial",
                                                  "Títulos propios", "Ciclos formativos de grado medio/superior"])


def test_a_semicolon_inside_a_comment_is_no_checkbox(tmp_path) -> None:
    """"Ledelsen er synlig og lyttende; vi får løn for indsatsen" is one answer: its two halves never
    occur apart, so the column is no ';'-joined checkbox question."""
    path = tmp_path / "kommentarer.csv"
    comments = ["Godt samarbejde på tværs af afdelingerne", "Ledelsen er synlig og lyttende; vi får løn for indsatsen",
                "Større åbenhed om økonomien ønskes", "For lidt tid til faglig sparring"] * 5
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["respondentid", "Har du andre kommentarer?"])
        w.writerows([i + 1, c] for i, c in enumerate(comments))
    it = draft_codebook(path).codebook.items[0]
    assert it.type != "multiple", it.values


def test_yes_no_question_coded_0_1_in_its_own_language(tmp_path) -> None:
    path = tmp_path / "svar.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Er du leder?", "Antal børn"])
        w.writerows([[i % 2, i % 2] for i in range(8)])
    items = draft_codebook(path).codebook.items
    assert items[0].values == {0: "Nej", 1: "Ja"}
    assert items[1].values != {0: "Nej", 1: "Ja"}  # no question: the codes stay as they are
