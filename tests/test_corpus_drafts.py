"""Real public exports nobody on the team wrote, drafted with NO hand edits (issue 23).

For each file the truth is written here as data, counted by reading the file itself (csv module,
openpyxl, pyreadstat; see ``tests/data/README.md`` for sources and commits): how many responses,
the id, which columns are form metadata or personal data (never items), ordinal items with their
answers in scale order and one code per label across the battery, don't-know answers that must be
``missing``, and a group variable. The untouched draft (``draft_codebook``) must get all of it
right; a few files also go through ``survey-kit codebook infer`` -> ``ingest`` -> ``report``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from survey_kit.ingest.core import read_raw
from survey_kit.ingest.infer import draft_codebook

DATA = Path(__file__).parent / "data"
REAL = Path(os.environ.get("SURVEY_KIT_REALDATA", Path(__file__).resolve().parents[2] / "shared" / "realdata"))
if not REAL.exists():
    REAL = Path("/work/shared/realdata")


@dataclass(frozen=True)
class Truth:
    path: Path
    rows: int
    kept: int | None = None  # responses kept by ingest when some rows are not answers (status)
    id: str | None = None  # the respondent id column; None: the row number
    not_items: tuple[str, ...] = ()  # metadata and personal columns: never items
    ordered: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> answers low..high
    battery: tuple[str, ...] = ()  # columns that share one coded scale
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> don't-know labels
    group: str | None = None  # a column that is a group variable
    lang: str = "en"
    multiple: dict[str, tuple[str, ...]] = field(default_factory=dict)  # checkbox column -> its options
    numbers: tuple[str, ...] = ()  # columns of amounts (ages, counts): number items, never codes


SCREEN = ("Mindre enn 1 time", "1-3 timer", "3-5 timer", "5-8 timer", "Mer enn 8 timer")
TRAINING = ("Mindre enn 2 timer per uke", "2-4 timer per uke", "4-6 timer per uke", "Mer enn 6 timer per uke")
FORMS_NO = dict(
    rows=59, id="ID", lang="no",
    not_items=("Starttidspunkt", "Fullføringstidspunkt", "E-postadresse", "Navn"),
    ordered={"Hvor mye brukte skjerm på fritiden om dagen før pandemien?": SCREEN,
             "Hvor mye brukte skjerm på fritiden om dagen under pandemien?": SCREEN,
             "Hvor mye brukte skjerm på fritiden om dagen etter pandemien?": SCREEN,
             "Hvor mye trente du før pandemien?": TRAINING,
             "Hvor mye trente du etter pandemien?": TRAINING},
    battery=("Hvor mye brukte skjerm på fritiden om dagen før pandemien?",
             "Hvor mye brukte skjerm på fritiden om dagen under pandemien?",
             "Hvor mye brukte skjerm på fritiden om dagen etter pandemien?"),
    missing={"Tror du at skjermbruken har økt fra før til etter pandemien?": ("Vet ikke",)},
    group="Hvilket kjønn identifiserer du deg som?",
)
OFT_DE = ("nie", "selten", "gelegentlich", "oft", "sehr oft")
OFT_EN = ("never", "seldom", "sometimes", "often", "very often")
SOSCI_DE = "Wie oft lesen Sie in einem Buch (gemeint ist Freizeitliteratur, d.h. Romane etc.)?"
SOSCI_EN = "How often do you read in a book (meant here is literature you read in your free time like novels etc.)?"
OSMI_LEAVE = ("If a mental health issue prompted you to request a medical leave from work, how easy or difficult "
              "would it be to ask for that leave?")
OSMI_ANONYMITY = ("Is your anonymity protected if you choose to take advantage of mental health or substance abuse "
                  "treatment resources provided by your employer?")
OSMI_ANONYMITY_BEFORE = ("Was your anonymity protected if you chose to take advantage of mental health or substance "
                         "abuse treatment resources with previous employers?")
OSMI_INTERFERES = ("If you have a mental health disorder, how often do you feel that it interferes with your work "
                   "<strong>when being treated effectively?</strong>")
OSMI_INTERFERES_NOT = ("If you have a mental health disorder, how often do you feel that it interferes with your work "
                       "<strong>when <em>NOT</em> being treated effectively (i.e., when you are experiencing "
                       "symptoms)?</strong>")
LIME_SOURCES = "À quelle(s) source(s) avez-vous eu recours pour vous informer sur le week-end Caves Ouvertes?"
#: Typeform's boxes (osmi_2017.csv columns 50-62, 63-75 and 76-88: three checkbox questions with the
#: same 13 options, one column each, holding the option's text when ticked)
OSMI_OPTIONS = ("Anxiety Disorder (Generalized, Social, Phobia, etc)", "Mood Disorder (Depression, Bipolar Disorder, etc)",
                "Psychotic Disorder (Schizophrenia, Schizoaffective, etc)", "Eating Disorder (Anorexia, Bulimia, etc)",
                "Attention Deficit Hyperactivity Disorder",
                "Personality Disorder (Borderline, Antisocial, Paranoid, etc)", "Obsessive-Compulsive Disorder",
                "Post-traumatic Stress Disorder", "Stress Response Syndromes", "Dissociative Disorder",
                "Substance Use Disorder", "Addictive Disorder", "Other")
#: per question: boxes ticked per option (the "Other" box: cells with written-in text) and rows with any
#: box ticked, counted in the file with the csv module
OSMI_TICKED = (((0,) * 13, 0),
               ((97, 88, 0, 2, 29, 14, 17, 14, 13, 4, 8, 7, 3), 142),
               ((202, 232, 10, 19, 72, 16, 29, 58, 10, 6, 17, 11, 10), 313))
#: limesurvey_fr: "Oui" per box and rows not "N/A", counted with openpyxl
LIME_FR_TICKED = {LIME_SOURCES: ((31, 12, 140, 88), 224),
                  "Quel(s) jour(s) avez-vous fait des visites?": ((159, 152), 224),
                  "Vous êtes venu:": ((30, 166, 135, 145), 348)}
READSX = dict(
    rows=999, lang="no", kept=340 + 85,  # stato_4 = complete, stato_3 = partial; 574 only distributed
    ordered={"fp_01": ("Ikke viktig", "Litt viktig", "Ganske viktig", "Veldig viktig"),
             "up_01": ("Helt uenig", "Uenig", "Enig", "Helt enig")},
    battery=("up_01", "up_02", "up_14"),
    missing={"b_4": ("Ikke relevant/ vet ikke",)},
    group="b_1",
)

CORPUS: dict[str, Truth] = {
    # Microsoft Forms (Norwegian), CSV and xlsx of one survey
    "forms_no_csv": Truth(DATA / "corpus/forms_no/data.csv", **FORMS_NO),
    "forms_no_xlsx": Truth(DATA / "corpus/forms_no/data.xlsx", **FORMS_NO),
    # Google Forms (English): a US "Timestamp", no id; Q2 is a checkbox question (ticked boxes
    # joined by ", " in one cell), "Prefer not to say" one of its boxes
    "google_forms": Truth(
        DATA / "corpus/google_forms/autistica_form_responses.csv", rows=42, not_items=("Timestamp",),
        multiple={"Q2: Do you have a personal connection to autism?": (
            "I am autistic", "I am a parent/ guardian of someone autistic", "I know someone who is autistic",
            "I have another personal connection to autism", "Someone in my family is autistic",
            "Prefer not to say", "I have no personal connection to autism")}),
    # Google Forms (Spanish): "Marca temporal", checkbox answers joined by ", ", options that
    # themselves hold ", " ("Un grupo para toda la titulación, Facultad o Escuela (...)")
    "google_forms_es": Truth(
        DATA / "corpus/google_forms_es/encuesta-edubots-uni.csv", rows=193, lang="es", not_items=("Marca temporal",),
        ordered={"Edad (años)": ("25-35", "35-45", "45-55", "Más de 55"),
                 "Experiencia docente": ("0-5 años", "5-15 años", "15-25 años", "más de 25 años")},
        missing={"Género": ("Prefiero no decirlo",)}, group="Género",
        multiple={"Titulaciones que imparte": ("Grado", "Máster", "Doctorado", "Títulos propios",
                                               "Aula de Mayores/Extensión Universitaria"),
                  "Sobre el uso de los sistemas de mensajería en clase, prefiero": (
                      "Un grupo con los estudiantes de mi asignatura",
                      "Prefiero que los estudiantes se autoorganicen y no estar en ningún grupo de mensajería",
                      "Un grupo para toda la titulación, Facultad o Escuela (profesores y estudiantes)",
                      "Un grupo para el curso completo (profesores y estudiantes)")}),
    # LimeSurvey xlsx export in French (full question texts; "Question [option]" columns of Oui/Non;
    # "N/A" for no answer), 348 visitors of an open-cellar weekend in the canton of Vaud
    "limesurvey_fr": Truth(
        DATA / "corpus/limesurvey_fr/results-survey4914.xlsx", rows=348, id="ID réponse", lang="fr",
        not_items=("Langue",),
        ordered={"Globalement, comment jugez-vous l'accueil?": ("Accueil laisse à désirer", "Moyen", "Bien", "Excellent"),
                 "Comment jugez-vous l'offre pour des activités de loisirs}?": (
                     "L'offre devrait être améliorée", "Moyenne", "Bonne", "Excellente")},
        missing={"Vous êtes:": ("N/A",), "Est-ce que vous avez participé aux journées du patrimoine vaudois?": ("N/A",)},
        group="Vous êtes:",
        multiple={LIME_SOURCES: ("Journal quotidien", "Radio", "Internet", "Par des collègues et/ou amis"),
                  "Quel(s) jour(s) avez-vous fait des visites?": ("Samedi", "Dimanche"),
                  "Vous êtes venu:": ("Seul", "Avec mon conjoint / ma conjointe", "En famille", "Avec des amis")}),
    # Typeform (the OSMI Mental Health in Tech survey 2017, English): "#" id, "Start Date (UTC)",
    # "Submit Date (UTC)", "Network ID"
    "typeform": Truth(
        DATA / "corpus/typeform/osmi_2017.csv", rows=756, id="#",
        not_items=("Start Date (UTC)", "Submit Date (UTC)", "Network ID"),
        ordered={OSMI_LEAVE: ("Difficult", "Somewhat difficult", "Neither easy nor difficult", "Somewhat easy",
                              "Very easy"),
                 OSMI_ANONYMITY_BEFORE: ("No", "Sometimes", "Yes, always")},
        battery=(OSMI_INTERFERES, OSMI_INTERFERES_NOT),
        missing={OSMI_LEAVE: ("I don't know",), OSMI_ANONYMITY: ("I don't know",),
                 OSMI_INTERFERES: ("Not applicable to me",)},
        group="How many employees does your company or organization have?", numbers=("What is your age?",)),
    # SoSci-style CSV export (German and English versions of one study)
    "sosci_de": Truth(
        DATA / "corpus/sosci/survey_german_version.csv", rows=58, id="Teilnehmer", lang="de",
        not_items=("Startzeit", "Endzeit", "Quelle"),
        ordered={SOSCI_DE: OFT_DE, "Wie oft nutzen Sie Printmedien (unabhängig davon, welche Medien Sie nutzen)?": OFT_DE},
        battery=(SOSCI_DE, "Wie oft nutzen Sie Printmedien (unabhängig davon, welche Medien Sie nutzen)?"),
        missing={"Welchem Geschlecht ordnen Sie sich zu?": ("keine Angabe",)},
        group="Welchem Geschlecht ordnen Sie sich zu?", numbers=("Wie alt sind Sie?",)),
    "sosci_en": Truth(
        DATA / "corpus/sosci/survey_english_version.csv", rows=7, id="Teilnehmer",
        not_items=("Startzeit", "Endzeit", "Quelle"),
        ordered={SOSCI_EN: OFT_EN, "How often do you use visual media (independent of which media you use)?": OFT_EN,
                 "How much do you like reading on a scale from 1 (not at all) to 10 (very much)? (Punkte von 1 bis 10)":
                 tuple(map(str, range(1, 11)))},
        battery=(SOSCI_EN, "How often do you use visual media (independent of which media you use)?"),
        group="To which gender do you assign to?",
        numbers=("How old are you?",)),  # 19, 22, 26, 27, 28, 52 (csv module)
    # LimeSurvey R-data export with full question texts as headers (English and Dutch)
    "limesurvey": Truth(
        DATA / "corpus/limesurvey/survey_998192_R_data_file.csv", rows=7, id="Response ID",
        not_items=("Date submitted", "Last page", "Start language", "Seed", "Date started", "Date last action",
                   "Total time"),
        numbers=("How old are you?", "How many pets do you have  [cats]", "How many pets do you have  [dogs]",
                 "How many pets do you have  [fish]"),  # 66, 44, 4; 40 and 28 cats ... (csv module)
        multiple={"Which educations have you ever done or seem kind of interesting maybe later, when you have time?": (
            "Primary School", "Secondary School", "Tertairy School", "Quartiary School")}),
    # Qualtrics, both export styles
    "qualtrics": Truth(DATA / "qualtrics/sample.csv", rows=1, id="ResponseId",
                       not_items=("StartDate", "EndDate", "IPAddress", "RecipientEmail", "Duration (in seconds)")),
    "qualtrics_legacy": Truth(DATA / "qualtrics/sample_legacy.csv", rows=1, id="ResponseID"),
    # SurveyXact (Norwegian school survey) in its four export forms
    "surveyxact_semicolon": Truth(DATA / "readsx_semicolon/dataset.csv", **READSX),
    "surveyxact_comma": Truth(DATA / "corpus/readsx_comma/dataset.csv", **READSX),
    "surveyxact_utf16": Truth(DATA / "corpus/readsx_utf16/dataset.csv", **READSX),
    "surveyxact_xlsx": Truth(DATA / "corpus/readsx_xlsx/ex_survey2.xlsx", **READSX),
    # SPSS (Pallant's SPSS Survival Manual survey; one id repeated: 242)
    "spss_pallant": Truth(REAL / "pallant/survey.sav", rows=439, id="id", group="sex"),
    "spss_pallant_errors": Truth(REAL / "pallant/error_chap5.sav", rows=439, id="id", group="sex"),
}


def _draft(name: str):
    truth = CORPUS[name]
    if not truth.path.exists():
        pytest.skip(f"{truth.path} is not on this machine")
    return truth, read_raw(truth.path), draft_codebook(truth.path)


def _item(cb, column: str):
    for it in cb.items:
        if it.code == column or it.label == column or it.text == column or it.text.startswith(f"{column} (kolonne"):
            return it
    raise AssertionError(f"no item for column {column!r}")


@pytest.fixture(scope="module", params=sorted(CORPUS))
def drafted(request):
    return request.param, *_draft(request.param)


def test_rows_read_and_id_kept(drafted) -> None:
    name, truth, raw, draft = drafted
    assert len(raw.frame) == truth.rows, name
    assert draft.codebook.respondent_id.column == (truth.id or "_source_row"), name


def test_metadata_and_personal_columns_are_not_items(drafted) -> None:
    name, truth, raw, draft = drafted
    texts = {it.text for it in draft.codebook.items} | {it.label for it in draft.codebook.items}
    texts |= {it.code for it in draft.codebook.items}
    for col in truth.not_items:
        assert col in map(str, raw.frame.columns) or col in raw.system_columns, (name, col)
        assert col not in texts, (name, col)


def test_ordinal_items_in_scale_order_one_code_per_label(drafted) -> None:
    name, truth, raw, draft = drafted
    cb = draft.codebook
    for col, answers in truth.ordered.items():
        it = _item(cb, col)
        assert tuple(it.values[c] for c in sorted(it.values)) == answers, (name, col, it.values)
    if truth.battery:
        scales = {tuple(sorted(_item(cb, c).values.items())) for c in truth.battery}
        assert len(scales) == 1, (name, scales)


def test_dont_know_answers_are_missing(drafted) -> None:
    name, truth, raw, draft = drafted
    for col, labels in truth.missing.items():
        it = _item(draft.codebook, col)
        assert set(labels) <= set(it.missing.values()), (name, col, it.missing)
        assert not set(labels) & set(it.values.values()), (name, col, it.values)


def test_group_variable_and_unique_labels(drafted) -> None:
    name, truth, raw, draft = drafted
    cb = draft.codebook
    if truth.group:
        assert _item(cb, truth.group).group, (name, truth.group)
    labels = [it.label.casefold() for it in cb.items]
    assert len(labels) == len(set(labels)), (name, [x for x in labels if labels.count(x) > 1][:5])
    assert not [x for x in labels if "<strong>" in x or "<em>" in x], name  # Typeform's markup is no label


def test_checkbox_questions_are_one_multiple_item(drafted) -> None:
    """Ticked boxes joined in one cell become one 0/1 per option, options read from the column."""
    name, truth, raw, draft = drafted
    for col, options in truth.multiple.items():
        it = _item(draft.codebook, col)
        assert it.type == "multiple", (name, col, it.type)
        assert list(it.values.values())[:len(options)] == list(options), (name, col, it.values)


def test_amounts_are_numbers(drafted) -> None:
    """Whole numbers spread wider than any answer scale, or answers to "how old / how many", are
    ``number`` items, not ``single`` items with the ages as labels in first-seen order."""
    name, truth, raw, draft = drafted
    for col in truth.numbers:
        it = _item(draft.codebook, col)
        assert it.type == "number", (name, col, it.type, it.values)


def test_questions_keep_their_own_answers() -> None:
    """Yes/no questions with different third answers are not one battery: "Not eligible for
    coverage / NA" (an answer to the benefits question) is no answer to "Do you currently have a
    mental health disorder?" (typeform: counted in the file, each question's answers)."""
    truth, raw, draft = _draft("typeform")
    cb = draft.codebook
    own = {"Would you feel comfortable discussing a mental health issue with your direct supervisor(s)?":
           {"Yes", "Maybe", "No"},
           "Do you currently have a mental health disorder?": {"Yes", "No", "Possibly", "Don't Know"},
           "Does your employer provide mental health benefits as part of healthcare coverage?":
           {"Yes", "No", "I don't know", "Not eligible for coverage / NA"}}
    for col, answers in own.items():
        it = _item(cb, col)
        labels = set(it.values.values()) | set(it.missing.values())
        assert answers <= labels and not ({"Maybe", "Possibly", "Not eligible for coverage / NA"} - answers) & labels, \
            (col, labels)


def test_one_answer_holding_a_comma_is_no_checkbox() -> None:
    """typeform: "Yes, I observed" and "Yes, I experienced" are single answers (the csv module counts
    128 and 86 in the file), not the boxes "Yes" and "I observed" ticked together."""
    truth, raw, draft = _draft("typeform")
    it = _item(draft.codebook, "<strong>Have you observed or experienced an unsupportive or badly handled response to "
               "a mental health issue in your current or previous workplace?</strong>")
    assert it.type == "single", it.values
    assert {"Yes, I observed", "Yes, I experienced", "Maybe/Not sure", "No"} <= set(it.values.values())


def test_yes_no_question_answered_0_1_reads_no_yes() -> None:
    """typeform: "Are you self-employed?" holds 0 (643 rows) and 1 (113 rows), counted with the csv
    module; the draft reads them as No/Yes (with a note to check), not as the bare codes "0"/"1"."""
    truth, raw, draft = _draft("typeform")
    it = _item(draft.codebook, "<strong>Are you self-employed?</strong>")
    assert it.values == {0: "No", 1: "Yes"}


def test_duplicate_id_is_reported_not_dropped() -> None:
    truth, raw, draft = _draft("spss_pallant")
    assert draft.codebook.respondent_id.column == "id"
    assert any("242" in w and "'id'" in w for w in draft.warnings)


@pytest.mark.parametrize("name", ["forms_no_csv", "sosci_de", "sosci_en", "surveyxact_semicolon", "google_forms_es",
                                  "typeform", "limesurvey_fr"])
def test_untouched_draft_ingests_and_reports(name: str, tmp_path: Path) -> None:
    truth = CORPUS[name]
    env = {k: v for k, v in os.environ.items() if k != "SURVEY_KIT_KEY"} | {"SURVEY_KIT_KEY": "corpus-test-key"}
    cli = [sys.executable, "-m", "survey_kit.cli"]
    done = subprocess.run([*cli, "codebook", "infer", str(truth.path)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    cb = tmp_path / "codebook.yaml"
    cb.write_text(done.stdout, encoding="utf-8")
    out = tmp_path / "processed"
    done = subprocess.run([*cli, "ingest", str(truth.path), "--codebook", str(cb), "--out", str(out)],
                          capture_output=True, text=True, env=env)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    parquet = next(out.glob("*.parquet"))
    import pandas as pd

    kept = len(pd.read_parquet(parquet))
    quarantine = next(out.glob("*.quarantine.csv"), None)
    held = len(pd.read_csv(quarantine)) if quarantine is not None and quarantine.stat().st_size else 0
    assert kept + held == truth.rows, (kept, held)
    assert kept == truth.kept if truth.kept is not None else kept >= 0.9 * truth.rows, (kept, held)
    frame = pd.read_parquet(parquet)
    for col in truth.not_items:  # never written in clear
        assert col not in frame.columns
    if name in ("typeform", "limesurvey_fr"):  # one column per box: ticks counted in the file (see the truths)
        from survey_kit.codebook import load_codebook

        boxes = [it for it in load_codebook(cb).items if it.type == "multiple"]
        if name == "limesurvey_fr":
            assert [it.text for it in boxes] == list(LIME_FR_TICKED)
        truth_ticks = OSMI_TICKED if name == "typeform" else list(LIME_FR_TICKED.values())
        assert len(boxes) == len(truth_ticks), [it.text for it in boxes]
        for it, (ticked, answered) in zip(boxes, truth_ticks, strict=True):
            assert tuple(int(frame[c].sum()) for c in it.columns) == ticked, it.text
            assert int(frame[it.columns].notna().any(axis=1).sum()) == answered, it.text
    if name == "google_forms_es":  # the boxes ticked, counted in the file with the csv module
        grado, master, doctorado, propios, aula = (frame[f"q1_{k}"].sum() for k in range(1, 6))
        assert (grado, master, doctorado, propios, aula) == (179, 103, 41, 19, 2)
        assert frame["q6_3"].sum() == 13  # cells holding "Un grupo para toda la titulación, Facultad o Escuela (...)"
    if name not in ("forms_no_csv", "google_forms_es", "limesurvey_fr"):  # about 6 s each; every other file
        return  # was reported by hand (typeform: 55 pages in 14 s, too slow for the suite)
    done = subprocess.run([*cli, "report", "--codebook", str(cb), "--data", str(parquet), "--format", "html",
                           "--out", str(tmp_path / "reports")], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    html = list((tmp_path / "reports").rglob("rapport.html"))
    assert html and html[0].stat().st_size > 10_000


def test_option_columns_are_one_multiple_item() -> None:
    """sosci_de: "Zu welcher Tageszeit lesen Sie normalerweise? (Eine Mehrfachauswahl ist möglich.)
    (morgens)" ... "(nachts)" are five 0/1 columns of one question."""
    truth, raw, draft = _draft("sosci_de")
    head = "Zu welcher Tageszeit lesen Sie normalerweise? (Eine Mehrfachauswahl ist möglich.)"
    it = next(i for i in draft.codebook.items if i.text == head)
    assert it.type == "multiple"
    assert list(it.values.values()) == ["morgens", "mittags", "nachmittags", "abends", "nachts"]


def test_one_column_per_option_is_one_multiple_item() -> None:
    """typeform: three checkbox questions written as one column per option (the option's text when
    ticked), their headers repeated ("Mood Disorder ...", "Mood Disorder ....1"), are three multiple
    items of the file's 13 options each, not 39 text items; the "Other" column of written-in answers
    is their last box."""
    truth, raw, draft = _draft("typeform")
    boxes = [it for it in draft.codebook.items if it.type == "multiple"]
    assert len(boxes) == 3
    for it in boxes:
        assert [v.casefold() for v in it.values.values()] == [o.casefold() for o in OSMI_OPTIONS]
    texts = {it.text for it in draft.codebook.items}
    assert not set(OSMI_OPTIONS) & texts
    assert any("spørgsmålsteksten" in w for w in draft.warnings)  # the question text is asked for


def test_battery_heading_is_the_shared_stem() -> None:
    """The default report heads a battery with the part of the question its items share, not with
    the first item's label ("Wie oft nutzen Sie Printmedien…" over ten "Wie oft ...?" items)."""
    from survey_kit.report.spec import default_spec

    def headings(name: str) -> list[str]:
        cb = _draft(name)[2].codebook
        return [s.heading for s in default_spec(cb).sections
                if s.kind == "items" and s.items and s.items.codes and len(s.items.codes) > 1]

    assert headings("sosci_de") == ["Wie oft …?"]
    assert headings("sosci_en") == ["How often do you …?"]
    assert "Hvor enig er du i følgende utsagn om deg og fagene på programområdet/programfag du har valgt?" \
        in headings("surveyxact_semicolon")


def test_one_battery_is_one_question() -> None:
    """surveyxact_semicolon: "Hvor enig er du i følgende utsagn …" (up_01 … up_14) is followed by
    "Hva synes du generelt om matematikkfaget …" (hm_1 … hm_7) and "… om naturfaget …" (hn_1 …
    hn_7) on the same agreement scale: three questions, three batteries in the default report
    (counted in the file's structure.csv: 14, 7 and 7 items), not one of 28 items."""
    from survey_kit.report.spec import default_spec

    cb = _draft("surveyxact_semicolon")[2].codebook
    batteries = [s.items.codes for s in default_spec(cb).sections
                 if s.kind == "items" and s.items and s.items.codes and len(s.items.codes) > 1]
    stems = {code.rsplit("_", 1)[0] for codes in batteries for code in codes}
    for codes in batteries:
        assert len({c.rsplit("_", 1)[0] for c in codes}) == 1, codes  # one question per battery
    by_stem = {codes[0].rsplit("_", 1)[0]: len(codes) for codes in batteries}
    assert (by_stem["up"], by_stem["hm"], by_stem["hn"]) == (14, 7, 7)
    assert {"up", "hm", "hn", "fp", "i"} <= stems
