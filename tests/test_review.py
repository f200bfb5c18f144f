"""``sk.review``: the open decisions of a drafted codebook, decided and written back (issue 23, part 9).

The drafts are the untouched ``draft_codebook`` of real exports in ``tests/data/corpus`` (Microsoft
Forms in Norwegian, SoSci Survey in German, a SurveyXact workbook). Where a test needs a note on a
particular item it adds one in the draft's own words when the draft has none, so the tests do not
depend on which notes a later version of infer writes. What is checked is the file on disk: the
decided notes gone, every other line byte for byte, the decided codes in the new order, and the
file read again by ``load_codebook``, ``codebook check`` and ingest's mapping.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from survey_kit.codebook import CodebookError, load_codebook
from survey_kit.errors import DataError
from survey_kit.ingest.infer import draft_codebook, open_decisions
from survey_kit.review import Review, ReviewWidget

CORPUS = Path(__file__).parent / "data" / "corpus"
FORMS_NO = CORPUS / "forms_no" / "data.xlsx"
SOSCI_DE = CORPUS / "sosci" / "survey_german_version.csv"
SX_XLSX = CORPUS / "readsx_xlsx" / "ex_survey2.xlsx"
GOOGLE = CORPUS / "google_forms" / "autistica_form_responses.csv"
ORDER_NOTE = ("svarene står i den rækkefølge, de første gang optræder i filen: ret kodernes "
              "rækkefølge, hvis de er en skala")


def _code_of(cb, text: str) -> str:
    return next(it.code for it in cb.items if it.text == text)


def _with_note(yaml_text: str, code: str, note: str) -> str:
    """The draft with a ``# TJEK:`` note above item ``code`` (unless it has one)."""
    lines = yaml_text.splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if re.match(rf"^\s*- code: ['\"]?{code}['\"]?\s*$", ln))
    if at and lines[at - 1].lstrip().startswith("# TJEK"):
        return yaml_text
    return "".join(lines[:at] + [f"# TJEK: {note}\n"] + lines[at:])


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    """Untouched drafts of three real exports, as ``survey-kit codebook infer`` writes them."""
    folder = tmp_path_factory.mktemp("drafts")
    out = {}
    for name, export in (("forms_no", FORMS_NO), ("sosci", SOSCI_DE), ("sx", SX_XLSX), ("google", GOOGLE)):
        draft = draft_codebook(export)
        out[name] = (draft.to_yaml(), draft.codebook, export)
    out["folder"] = folder
    return out


def _draft_file(drafts, name: str, tmp_path: Path, *, notes: dict[str, str] | None = None,
                extra: tuple[int, str] | None = None) -> tuple[Path, Path, object]:
    text, cb, export = drafts[name]
    for code, note in (notes or {}).items():
        text = _with_note(text, code, note)
    if extra is not None:  # an analyst's own comment at a line
        lines = text.splitlines(keepends=True)
        lines.insert(extra[0], extra[1])
        text = "".join(lines)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path, export, cb


def _block(text: str, code: str) -> tuple[int, int]:
    """Line range of item ``code`` in a YAML text (start line, one past its last line)."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if re.match(rf"^- code: ['\"]?{code}['\"]?$", ln))
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    return start, end


def test_untouched_draft_is_written_back_byte_for_byte(drafts, tmp_path) -> None:
    for name in ("forms_no", "sosci", "sx"):
        path, export, _ = _draft_file(drafts, name, tmp_path)
        before = path.read_bytes()
        rv = Review(path, export)
        assert rv.open, f"{name}: the draft has open decisions"
        rv.save()
        assert path.read_bytes() == before


def test_decided_order_gives_codes_in_the_new_order_and_keeps_everything_else(drafts, tmp_path) -> None:
    _, cb, _ = drafts["forms_no"]
    gender = _code_of(cb, "Hvilket kjønn identifiserer du deg som?")
    place = _code_of(cb, "Hvor mener du at du bor (omtrentlig)?")
    mine = "# Analytikerens egen note: kommunerne er fra 2024-opdelingen\n"
    path, export, _ = _draft_file(drafts, "forms_no", tmp_path,
                                  notes={gender: ORDER_NOTE, place: ORDER_NOTE}, extra=(0, mine))
    before = path.read_text(encoding="utf-8")
    rv = Review(path, export)
    assert gender in rv.open and place in rv.open
    counts = {a.label: a.count for a in rv[gender].answers}
    assert counts == {"Mann": 11, "Kvinne": 48}  # counted in the file: 11 + 48 = 59 responses
    assert [a.label for a in rv[gender].answers] == ["Mann", "Kvinne"]
    rv.move(gender, "Kvinne", -1)
    assert [a.label for a in rv[gender].answers] == ["Kvinne", "Mann"]
    rv.save()

    after = path.read_text(encoding="utf-8")
    cb2 = load_codebook(path)
    assert cb2[gender].values == {1: "Kvinne", 2: "Mann"}
    assert cb2[gender].group  # untouched keys stay
    # the decided note is gone, the other item's note and the analyst's comment stay
    left = open_decisions(path, cb2)
    assert not any(d.startswith(f"{gender}:") for d in left)
    assert any(d.startswith(f"{place}:") for d in left)
    assert after.startswith(mine)
    # every line outside the decided item and its note is the same, in the same order
    b0, b1 = _block(before, gender)
    a0, a1 = _block(after, gender)
    old = before.splitlines()
    assert old[b0 - 1].startswith("# TJEK") and ORDER_NOTE in old[b0 - 1]
    assert old[:b0 - 1] + old[b1:] == after.splitlines()[:a0] + after.splitlines()[a1:]
    # ingest's mapping reads the answers under their new codes (the counts follow the labels)
    rv2 = Review(path, export)
    assert gender not in rv2.open
    frame_counts = rv2._mapped.frame[gender].value_counts().to_dict()
    assert frame_counts == {1: 48, 2: 11}


def test_a_windows_edited_draft_keeps_its_line_ends(drafts, tmp_path) -> None:
    _, cb, _ = drafts["forms_no"]
    gender = _code_of(cb, "Hvilket kjønn identifiserer du deg som?")
    path, export, _ = _draft_file(drafts, "forms_no", tmp_path, notes={gender: ORDER_NOTE})
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # saved by Notepad
    before = path.read_bytes()
    rv = Review(path, export)
    rv.move(gender, "Kvinne", -1)
    rv.save()
    after = path.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n")
    assert len(after.splitlines()) == len(before.splitlines()) - 1  # the note line, nothing else
    assert load_codebook(path)[gender].values == {1: "Kvinne", 2: "Mann"}


def test_positive_and_missing_decided_for_the_battery(drafts, tmp_path) -> None:
    _, cb, _ = drafts["sosci"]
    headache = _code_of(cb, "Wie oft haben Sie Symptome wie Kopfschmerzen, brennende Augen etc. nach dem Lesen?")
    gender = _code_of(cb, "Welchem Geschlecht ordnen Sie sich zu?")
    path, export, _ = _draft_file(drafts, "sosci", tmp_path, notes={
        headache: "spørgsmålet handler om noget uønsket (fx stress, besvær): tjek at 'positive' er den ønskede ende",
        gender: ORDER_NOTE})
    rv = Review(path, export)
    siblings = rv[headache].siblings
    assert siblings, "the other 'Wie oft ...' items share the answers nie ... sehr oft"
    rv.set_positive(headache, ["nie", "selten"], siblings=False)  # headaches: 'never' is the good end
    rv.set_missing(gender, ["divers", "keine Angabe"])
    rv.save()
    cb2 = load_codebook(path)
    it = cb2[headache]
    assert [it.values[c] for c in it.positive] == ["nie", "selten"]
    assert cb2[siblings[0]].positive == cb[siblings[0]].positive  # siblings=False: left alone
    assert sorted(cb2[gender].missing.values()) == ["divers", "keine Angabe"]
    assert sorted(cb2[gender].values.values()) == ["männlich", "weiblich"]
    # codes unchanged where the order did not change: the file's answers map as before
    assert {**cb2[gender].values, **cb2[gender].missing} == cb[gender].labels
    left = open_decisions(path, cb2)
    assert not any(d.startswith((f"{headache}:", f"{gender}:")) for d in left)


def test_a_battery_decision_reaches_every_item_with_the_same_answers(drafts, tmp_path) -> None:
    _, cb, _ = drafts["sosci"]
    headache = _code_of(cb, "Wie oft haben Sie Symptome wie Kopfschmerzen, brennende Augen etc. nach dem Lesen?")
    path, export, _ = _draft_file(drafts, "sosci", tmp_path, notes={headache: ORDER_NOTE})
    rv = Review(path, export)
    siblings = list(rv[headache].siblings)
    rv.set_order(headache, ["sehr oft", "oft", "gelegentlich", "selten", "nie"])  # siblings too
    rv.save()
    cb2 = load_codebook(path)
    for code in [headache, *siblings]:
        assert list(cb2[code].values.values()) == ["sehr oft", "oft", "gelegentlich", "selten", "nie"], code
        assert list(cb2[code].values) == [1, 2, 3, 4, 5]
    # one code per label across the battery
    assert len({tuple(cb2[c].values.items()) for c in [headache, *siblings]}) == 1


def test_ignore_personal_and_type(drafts, tmp_path) -> None:
    _, cb, _ = drafts["forms_no"]
    place = _code_of(cb, "Hvor mener du at du bor (omtrentlig)?")
    gender = _code_of(cb, "Hvilket kjønn identifiserer du deg som?")
    age = _code_of(cb, "Er du yngre enn 20 år?")
    path, export, _ = _draft_file(drafts, "forms_no", tmp_path, notes={
        place: ORDER_NOTE, gender: ORDER_NOTE, age: "tjek typen"})
    rv = Review(path, export)
    rv.set_ignore(place)
    rv.set_personal(gender)
    rv.set_type(age, "text")
    with pytest.raises(DataError, match="typen kan ikke ændres"):
        rv.set_type(age, "multiple")
    with pytest.raises(DataError, match="læses efter teksten"):
        rv.set_label(gender, "Mann", "Menn")  # text answers are read by their text
    rv.save()
    text = path.read_text(encoding="utf-8")
    cb2 = load_codebook(path)
    assert place not in cb2 and f"# {place} ('Hvor mener du at du bor (omtrentlig)?'): udeladt" in text
    assert gender not in cb2 and "personoplysning" in text  # never stored in clear
    assert cb2[age].type == "text" and not cb2[age].values
    assert len(cb2.items) == len(cb.items) - 2


def test_coded_answers_keep_the_files_codes(drafts, tmp_path) -> None:
    path, export, _ = _draft_file(drafts, "sx", tmp_path)
    rv = Review(path, export)
    code = next(c for c in rv.open if rv[c].type == "likert" and rv[c].coded)
    labels = [a.label for a in rv[code].answers if not a.missing]
    assert sum(a.count for a in rv[code].answers) > 0
    with pytest.raises(DataError, match="koder i filen"):
        rv.move(code, labels[-1], -1)
    with pytest.raises(DataError, match="positive svar"):
        rv.decide(code)
        rv.save()  # a decided likert item needs its positive answers
    rv.set_positive(code, labels[-2:], siblings=False)
    rv.set_label(code, labels[0], "Laveste svar", siblings=False)  # codes in the file: labels are free
    rv.save()
    cb2 = load_codebook(path)
    assert cb2[code].values[min(cb2[code].values)] == "Laveste svar"
    labels[0] = "Laveste svar"
    assert [cb2[code].values[c] for c in cb2[code].positive] == labels[-2:]
    assert list(cb2[code].values) == sorted(cb2[code].values)  # the file's codes
    check = subprocess.run([sys.executable, "-m", "survey_kit.cli", "codebook", "check", str(path)],
                           capture_output=True, text=True)
    assert check.returncode == 0 and ": ok (" in check.stdout, check.stderr
    assert f"- {code}:" not in check.stdout  # decided
    assert any(f"- {c}:" in check.stdout for c in rv.open if c != code)  # the rest still open


def test_the_respondent_id_is_chosen_among_the_files_columns(drafts, tmp_path) -> None:
    text, cb, export = drafts["google"]
    assert cb.respondent_id.column == "_source_row"  # the Google Forms export has no id column
    note = ("filen har ingen kolonne med et respondent-id; rækkenummeret (_source_row) bruges. Angiv "
            "kolonnen under respondent_id, hvis filen har et entydigt id.")
    if note not in text:
        text = f"# TJEK: {note}\n{text}"
    path = tmp_path / "google.yaml"
    path.write_text(text, encoding="utf-8")
    rv = Review(path, export)
    about_id = [i for i in range(len(rv.general)) if rv.id_note(i)]
    assert about_id, rv.general
    item_columns = set(rv._mapped.matched)
    assert rv.id_choices and not set(rv.id_choices) & item_columns  # never an item's column
    with pytest.raises(DataError) as err:
        rv.set_id("Q1: What information would you like us to know about your needs, priorities, desires "
                   "and concerns for the citizen science platform?")
    assert "kan ikke være respondent-id" in err.value.text("da")
    column = rv.id_choices[0]
    rv.set_id(column)
    rv.save()
    cb2 = load_codebook(path)
    assert cb2.respondent_id.column == column
    assert not any("_source_row" in d or "respondent_id" in d for d in open_decisions(path, cb2))
    before, after = text.splitlines(), path.read_text(encoding="utf-8").splitlines()
    changed = [ln for ln in after if ln not in before]
    assert changed == [f"  column: {column}" if column.isidentifier() else f'  column: "{column}"']


def test_widget_clicks_decide_and_save(drafts, tmp_path) -> None:
    """The widget without a browser: the same buttons the JupyterLab test clicks."""
    pytest.importorskip("ipywidgets")
    _, cb, _ = drafts["forms_no"]
    gender = _code_of(cb, "Hvilket kjønn identifiserer du deg som?")
    path, export, _ = _draft_file(drafts, "forms_no", tmp_path, notes={gender: ORDER_NOTE})
    ui = ReviewWidget(Review(path, export))
    ui.pick.value = gender
    grid = ui.panel.children[-1].children[0]
    ups = [c for c in grid.children if "sk-review-up" in c._dom_classes]
    ups[1].click()  # "Kvinne" up
    assert ui.pick.label.startswith("✓")
    ui.save_button.click()
    assert "Gemt" in ui.status.value
    assert load_codebook(path)[gender].values == {1: "Kvinne", 2: "Mann"}


def test_widget_opens_on_the_first_open_decision(drafts, tmp_path) -> None:
    pytest.importorskip("ipywidgets")
    path, export, _ = _draft_file(drafts, "sx", tmp_path)
    ui = ReviewWidget(Review(path, export))
    assert ui.pick.value == ui.review.open[0]
    grid = ui.panel.children[-1].children[0]
    labels = [c for c in grid.children if "sk-review-label" in c._dom_classes]  # coded: editable
    assert [x.value for x in labels] == [a.label for a in ui.review[ui.pick.value].answers]


def test_english_and_bad_input_are_one_sentence(drafts, tmp_path) -> None:
    path, export, _ = _draft_file(drafts, "forms_no", tmp_path)
    with pytest.raises(CodebookError) as err:
        Review(tmp_path / "ingen.yaml", export)
    assert err.value.text("da").endswith("kodebogsfilen findes ikke")
    with pytest.raises(DataError) as err:
        Review(path, tmp_path / "ingen.xlsx")
    assert err.value.text("da").endswith("filen findes ikke")
    rv = Review(path, export, lang="en")
    code = rv.open[0]
    with pytest.raises(DataError) as err:
        rv.set_positive(code, ["Nobody answered this"])
    assert "are not answers of the item" in err.value.text("en")
    ui = ReviewWidget(rv)
    assert "Review of a codebook draft" in ui.header.value and ui.save_button.description == "Save"


@pytest.mark.parametrize("export", [FORMS_NO.with_suffix(".csv"), CORPUS / "limesurvey" / "survey_998192_R_data_file.csv",
                                    CORPUS / "sosci" / "survey_english_version.csv"], ids=lambda p: p.parent.name)
def test_every_open_decision_of_a_real_draft_can_be_decided_in_the_widget(export, tmp_path) -> None:
    """Each item shown in the widget, decided as it stands (a likert item given a positive end),
    saved: ``codebook check`` then lists no item, and the codebook loads."""
    pytest.importorskip("ipywidgets")
    path = tmp_path / "udkast.yaml"
    path.write_text(draft_codebook(export).to_yaml("en"), encoding="utf-8")  # "# CHECK:" notes
    ui = ReviewWidget(Review(path, export, lang="en"))
    rv = ui.review
    assert rv.open
    for code in list(rv.open):
        ui.pick.value = code
        it = rv[code]
        if it.type == "likert" and not any(a.positive for a in it.answers):
            rv.set_positive(code, [[a for a in it.answers if not a.missing][-1].label], siblings=False)
        rv.decide(code)
    ui.save_button.click()
    assert "Saved to" in ui.status.value, ui.status.value
    cb = load_codebook(path)
    assert not [d for d in open_decisions(path, cb, "en") if re.match(r"^[A-Za-z][A-Za-z0-9_]*: ", d)
                and not d.startswith("respondent_id:")]
    assert path.read_text(encoding="utf-8").count("# CHECK") == len(rv.general)  # the whole-codebook notes
