"""Drafts that need no renumbering: answer scales as knowledge, ids checked, groups found, a draft
always comes out (issue 14, points 1-3)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyreadstat
import pytest
import yaml
from fixtures_exports import write_text, write_xlsx
from typer.testing import CliRunner

from survey_kit.cli import app
from survey_kit.codebook import parse_codebook
from survey_kit.codebook.scales import find_scales, is_dont_know
from survey_kit.ingest import ingest
from survey_kit.ingest.infer import draft_codebook
from survey_kit.stats import compare

FORMS_HEAD = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]


def _forms(path, questions: dict[str, list[str]]):
    n = len(next(iter(questions.values())))
    rows = [FORMS_HEAD + list(questions)]
    for i in range(n):
        rows.append([i + 1, dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 1), "anonymous", None, None]
                    + [questions[q][i] for q in questions])
    return write_xlsx(path, {"Sheet1": rows})


def test_dont_know_is_a_whole_label_never_a_substring():
    for label in ("Ved ikke", "Vet ikke", "Vet ej", "Don't know", "Ønsker ikke at svare", "Ikke relevant",
                  "Ved ikke/ikke relevant", "Prefer not to say", "DK"):
        assert is_dont_know(label), label
    # GSS-style real answers that merely contain the words
    for label in ("Yes, even if he prefers not to sell", "Refuse to serve", "I don't know him well but agree",
                  "Ikke relevant for mit arbejde, men vigtigt", "Helt enig"):
        assert not is_dont_know(label), label


def test_scale_table_four_languages():
    assert find_scales(["Helt enig", "Delvist enig", "Delvist uenig"])[0].kind == "agreement"
    assert find_scales(["Helt enig", "Overvejende uenig"])[0].name == "da_agree5_overvejende"
    assert find_scales(["Delvis enig", "Verken enig eller uenig"])[0].lang == "no"
    assert find_scales(["Instämmer helt", "Instämmer delvis"])[0].lang == "sv"
    assert find_scales(["Strongly agree", "Disagree"])[0].lang == "en"
    assert find_scales(["I meget høj grad", "I nogen grad"])[0].kind == "degree"
    assert find_scales(["Aldrig", "Ofte"])[0].kind == "frequency"
    assert find_scales(["Ja", "Nej"])[0].kind == "yesno"
    assert find_scales(["Skole", "Dagtilbud"]) == []


def test_battery_of_text_answers_coded_alike_in_scale_order(tmp_path):
    """Issue 14: q3's answers were numbered by frequency (1 = Hverken ...); "Delvist" was unknown."""
    lead = "Hvor enig er du i følgende udsagn: "
    q = {
        lead + "Min leder giver mig tydelige mål": ["Hverken enig eller uenig", "Hverken enig eller uenig",
                                                    "Delvist enig", "Helt enig", "Ved ikke", "Delvist uenig"],
        lead + "Min leder anerkender mit arbejde": ["Helt enig", "Helt enig", "Helt enig", "Delvist enig",
                                                   "Helt uenig", "Helt enig"],
        lead + "Jeg får den information, jeg har brug for": ["Delvist uenig", "Delvist uenig", "Helt enig",
                                                            "Delvist enig", "Hverken enig eller uenig", "Ved ikke"],
    }
    path = _forms(tmp_path / "leder.xlsx", q)
    draft = draft_codebook(path)
    cb = draft.codebook
    items = [it for it in cb.items if it.text.startswith(lead)]
    assert len(items) == 3
    expected = {1: "Helt uenig", 2: "Delvist uenig", 3: "Hverken enig eller uenig", 4: "Delvist enig", 5: "Helt enig"}
    for it in items:
        assert it.type == "likert"
        assert it.values == expected  # the same codes for every item, in scale order
        assert it.positive == (4, 5)
        assert it.missing == {6: "Ved ikke"}
    # short labels are the part that differs within the battery
    assert [it.label for it in items] == ["Min leder giver mig tydelige mål", "Min leder anerkender mit arbejde",
                                          "Jeg får den information, jeg har brug for"]
    # the draft ingests and compare gives the true positive share without extra arguments
    res = ingest(path, cb, out_dir=tmp_path / "out", key="k")
    assert res.manifest["rows_valid"] == 6
    share = compare(res.data, [items[0].code], codebook=cb)
    assert share["value"].iloc[0] == pytest.approx(2 / 5)  # Delvist enig + Helt enig of 5 valid (Ved ikke out)


@pytest.mark.parametrize(("answers", "positive_labels"), [
    (["Helt enig", "Delvis enig", "Verken enig eller uenig", "Delvis uenig", "Vet ikke"], {"Helt enig", "Delvis enig"}),
    (["Instämmer helt", "Instämmer i stor grad", "Instämmer delvis", "Instämmer inte alls", "Vet ej"],
     {"Instämmer helt", "Instämmer i stor grad"}),
    (["Strongly agree", "Agree", "Disagree", "Neither agree nor disagree", "Don't know"], {"Strongly agree", "Agree"}),
    (["I meget høj grad", "I høj grad", "I nogen grad", "Slet ikke", "Ved ikke"], {"I meget høj grad", "I høj grad"}),
    (["Meget tilfreds", "Tilfreds", "Utilfreds", "Meget utilfreds", "Ved ikke"], {"Meget tilfreds", "Tilfreds"}),
    (["Altid", "Ofte", "Nogle gange", "Sjældent", "Aldrig"], {"Altid", "Ofte"}),
])
def test_text_scales_in_four_languages(tmp_path, answers, positive_labels):
    path = _forms(tmp_path / "s.xlsx", {"Udsagn om arbejdet": answers * 2})
    it = next(i for i in draft_codebook(path).codebook.items if i.text == "Udsagn om arbejdet")
    assert it.type == "likert"
    assert {it.values[c] for c in it.positive} == positive_labels
    assert max(it.positive) == max(it.values)  # the positive end has the highest codes
    dk = [a for a in answers if is_dont_know(a)]
    assert list(it.missing.values()) == dk


def test_yes_no_is_single_with_positive_yes(tmp_path):
    path = _forms(tmp_path / "s.xlsx", {"Har du haft MUS i år?": ["Ja", "Nej", "Ja", "Ved ikke", "Ja", "Nej"]})
    it = next(i for i in draft_codebook(path).codebook.items if i.text.startswith("Har du"))
    assert it.type == "single" and it.values[it.positive[0]] == "Ja" and list(it.missing.values()) == ["Ved ikke"]


def test_unknown_text_answers_keep_first_seen_order_not_frequency(tmp_path):
    answers = ["Intranet", "Mail", "Teams", "Teams", "Teams", "Mail", "Teams", "Intranet", "Teams", "Teams"]
    path = _forms(tmp_path / "s.xlsx", {"Hvor finder du nyheder?": answers})
    draft = draft_codebook(path)
    it = next(i for i in draft.codebook.items if i.text.startswith("Hvor finder"))
    assert it.values == {1: "Intranet", 2: "Mail", 3: "Teams"}  # frequency order would put Teams first
    assert any("rækkefølge" in n for n in draft.notes[it.code])


def test_unknown_scale_ordered_by_its_words(tmp_path):
    answers = ["Meget", "Noget", "Meget", "Lidt", "Meget", "Noget", "Meget", "Lidt", "Meget", "Meget"]
    path = _forms(tmp_path / "s.xlsx", {"Hvor meget bruger du intranettet?": answers})
    draft = draft_codebook(path)
    it = next(i for i in draft.codebook.items if i.text.startswith("Hvor meget"))
    assert it.type == "likert" and it.values == {1: "Lidt", 2: "Noget", 3: "Meget"} and it.positive == (3,)
    assert not any("rækkefølge" in n for n in draft.notes.get(it.code, []))


def test_spss_labels_keep_file_codes_and_get_positive(tmp_path):
    """SurveyXact/SPSS order 1 = Helt enig ... 5 = Helt uenig, 6 = Ved ikke: codes kept, positive 1, 2."""
    p = tmp_path / "sx.sav"
    df = pd.DataFrame({"respondentid": [1.0, 2, 3, 4], "s_1": [1.0, 2, 6, 5]})
    labels = {1: "Helt enig", 2: "Delvist enig", 3: "Hverken enig eller uenig", 4: "Delvist uenig",
              5: "Helt uenig", 6: "Ved ikke"}
    pyreadstat.write_sav(df, p, variable_value_labels={"s_1": labels})
    draft = draft_codebook(p)
    it = draft.codebook["s_1"]
    assert it.type == "likert" and it.positive == (1, 2) and it.missing == {6: "Ved ikke"}
    assert list(it.values) == [1, 2, 3, 4, 5]
    assert any("højere gennemsnit" in n for n in draft.notes["s_1"])


def test_gss_style_labels_give_a_draft(tmp_path):
    """GSS 1991 (765 variables) stopped infer: 'prefer not'/'refus' matched inside real answers, and a
    declared missing code that also is an answer refused the file. Faithful fixture of both."""
    p = tmp_path / "gss_like.sav"
    df = pd.DataFrame({"id": [1.0, 2, 3, 4, 5], "racopen": [1.0, 2, 1, 8, 2], "spkath": [1.0, 2, 2, 1, 9]})
    pyreadstat.write_sav(
        df, p,
        column_labels={"racopen": "Vote on open housing law", "spkath": "Allow anti-religionist to speak"},
        variable_value_labels={
            "racopen": {1: "Owner decides", 2: "Cant discriminate, even if he prefers not to sell", 8: "DK",
                        9: "NA", 0: "IAP"},
            "spkath": {1: "Allowed", 2: "Not allowed, refuses", 9: "NA"},
        },
        missing_ranges={"racopen": [0, 8, 9], "spkath": [2, 9]},  # code 2 declared missing but labelled an answer
    )
    draft = draft_codebook(p)
    cb = draft.codebook
    assert cb["racopen"].values == {1: "Owner decides", 2: "Cant discriminate, even if he prefers not to sell"}
    assert set(cb["racopen"].missing) == {0, 8, 9}
    # the declared user-missing code wins and the analyst is told
    assert 2 in cb["spkath"].missing and 2 not in cb["spkath"].values
    assert parse_codebook(yaml.safe_load(draft.to_yaml())) == cb


def test_id_not_unique_uses_row_number_and_says_why(tmp_path):
    """Issue 14: 'id' held 9 school names and 77 blanks; 416 rows were quarantined."""
    schools = [f"Skole {i % 3}" if i % 10 < 1 else "" for i in range(86)]
    lines = ["id;spm1"] + [f"{s};{1 + i % 5}" for i, s in enumerate(schools)]
    path = write_text(tmp_path / "skoler.csv", "\n".join(lines) + "\n")
    draft = draft_codebook(path)
    assert draft.codebook.respondent_id.column == "_source_row"
    why = draft.notes[""][0]
    assert "'id'" in why and "tomme" in why and "gentagne" in why
    res = ingest(path, draft.codebook, out_dir=tmp_path / "out")
    assert res.manifest["rows_valid"] == 86 and res.manifest["rows_quarantined"] == 0


def test_unique_id_is_kept(tmp_path):
    path = write_text(tmp_path / "a.csv", "ResponseId;spm1\nR_a;1\nR_b;2\nR_c;3\n")
    assert draft_codebook(path).codebook.respondent_id.column == "ResponseId"


@pytest.mark.parametrize(("header", "answers"), [
    ("Kjønn", ["Kvinne", "Mann", "Mann", "Kvinne"]),
    ("Er du jente eller gutt?", ["Jente", "Gutt", "Gutt", "Jente"]),
    ("Kön", ["Kvinna", "Man", "Man", "Kvinna"]),
    ("Department", ["HR", "IT", "IT", "HR"]),
    ("What is your age group?", ["18-29", "30-49", "30-49", "18-29"]),
    ("Hvilken afdeling er du ansat i?", ["Skole", "Dagtilbud", "Skole", "Dagtilbud"]),
])
def test_groups_by_words_in_four_languages(tmp_path, header, answers):
    path = _forms(tmp_path / "g.xlsx", {header: answers * 3, "Hvor tilfreds er du?": ["Tilfreds"] * 12})
    it = next(i for i in draft_codebook(path).codebook.items if i.text == header)
    assert it.type == "single" and it.group, header


def test_non_groups_stay_answers(tmp_path):
    path = _forms(tmp_path / "g.xlsx", {"Vi deler viden i min afdeling på møderne": ["Helt enig", "Enig"] * 4})
    it = draft_codebook(path).codebook.items[0]
    assert not it.group


def test_cli_check_lists_what_to_decide(tmp_path):
    p = tmp_path / "x.sav"
    df = pd.DataFrame({"lbnr": [1.0, 2, 3, 4, 5], "q1": [1.0, 2, 3, 4, 5]})
    pyreadstat.write_sav(df, p)
    runner = CliRunner()
    r = runner.invoke(app, ["codebook", "infer", str(p)])
    assert r.exit_code == 0
    assert "# TJEK:" in r.stdout
    yml = tmp_path / "x.yaml"
    yml.write_text(r.stdout, encoding="utf-8")
    r = runner.invoke(app, ["codebook", "check", str(yml)])
    assert r.exit_code == 0, r.output
    assert "q1: " in r.output and "positive" in r.output


def test_compare_mean_on_nominal_item_says_so():
    from survey_kit.codebook import instrument

    cb = instrument("lederudvikling_2008")
    single = next(it for it in cb.items if it.type == "single")
    frame = pd.DataFrame({cb.respondent_id.column: [1, 2], single.code: pd.array(list(single.values)[:2], dtype="Int8")})
    with pytest.raises(ValueError, match="not ordinal"):
        compare(frame, [single.code], stat="mean", codebook=cb)
    assert len(compare(frame, [single.code], stat="share", positive=[list(single.values)[0]], codebook=cb))


def test_labelled_missing_on_a_measure_keeps_it_a_number(tmp_path):
    """GSS studentware: age labelled only 99 "Missing data" and 18..89 observed: a number with 99
    missing, not a 72-category single, and not a group."""
    p = tmp_path / "age.sav"
    ages = [float(a) for a in range(18, 90)] + [99.0]
    pyreadstat.write_sav(pd.DataFrame({"id": [float(i) for i in range(len(ages))], "age": ages}), p,
                         column_labels={"age": "Age of respondent"},
                         variable_value_labels={"age": {99: "Missing data"}}, missing_ranges={"age": [99]})
    it = draft_codebook(p).codebook["age"]
    assert it.type == "number" and it.missing == {99: "Missing data"} and not it.group


def test_draft_maps_every_column_onto_its_own_item(tmp_path):
    """Issue 14: 'Score (Indekseret score) (gennemsnit)' was matched to another item by the start of
    its text: validate exited 1 and ingest dropped the column. Both columns must map to their own item."""
    a = "Score (Indekseret score) (gennemsnit) for hele enheden i år"
    b = "Score (Indekseret score) (gennemsnit)"
    path = _forms(tmp_path / "s.xlsx", {a: ["1,5", "2,5", "3,5", "4,5"], b: ["2,0", "3,0", "4,0", "1,0"]})
    draft = draft_codebook(path)
    cb = draft.codebook
    res = ingest(path, cb, out_dir=tmp_path / "o")
    assert res.manifest["columns_missing"] == [] and res.manifest["columns_unknown"] == []
    codes = {it.text: it.code for it in cb.items}
    assert res.manifest["columns_matched"][a] == codes[a] and res.manifest["columns_matched"][b] == codes[b]
    assert res.data[codes[b]].tolist() == [2.0, 3.0, 4.0, 1.0]
    assert any("entydig" in n for n in draft.notes[codes[a]])  # the cut label of a was relabelled


def test_cli_draft_and_check_in_english(tmp_path):
    """``--lang en``: the draft's notes are ``# CHECK:`` comments in English (no Danish sentence
    among them), and ``codebook check --lang en`` lists them in English; a Danish ``# TJEK:``
    draft is read by the English check too."""
    p = tmp_path / "x.sav"
    df = pd.DataFrame({"id": [1.0, 1, None, 4, 5], "q1": [1.0, 2, 3, 4, 5],
                       "q2": ["Helt enig", "Enig", "Uenig", "Helt uenig", "Hverken enig eller uenig"]})
    pyreadstat.write_sav(df, p)
    runner = CliRunner()
    en = runner.invoke(app, ["codebook", "infer", str(p), "--lang", "en"])
    da = runner.invoke(app, ["codebook", "infer", str(p)])
    assert en.exit_code == 0 and da.exit_code == 0
    notes_en = [line.split("# CHECK:", 1)[1] for line in en.stdout.splitlines() if "# CHECK:" in line]
    notes_da = [line.split("# TJEK:", 1)[1] for line in da.stdout.splitlines() if "# TJEK:" in line]
    assert len(notes_en) == len(notes_da) >= 2 and "# TJEK:" not in en.stdout
    danish = ("kolonnen", "rækkenummeret", "koderne", "angiv", " og ", "tomme", "gentag")
    assert not [n for n in notes_en if any(w in n for w in danish)], notes_en
    assert any("row number" in n and "1 blank" in n and "1 repeated value" in n for n in notes_en), notes_en
    for lang, draft in (("en", en.stdout), ("da", da.stdout)):
        yml = tmp_path / f"x_{lang}.yaml"
        yml.write_text(draft, encoding="utf-8")
        r = runner.invoke(app, ["codebook", "check", str(yml), "--lang", "en"])
        assert r.exit_code == 0, r.output
        assert "things to decide" in r.output and "q1: " in r.output
    assert "positive" in r.output


def test_draft_in_an_unknown_language_is_a_sentence(tmp_path):
    p = tmp_path / "x.sav"
    pyreadstat.write_sav(pd.DataFrame({"q1": [1.0, 2, 3, 4, 5]}), p)
    from survey_kit.ingest.infer import draft_codebook

    draft = draft_codebook(p)
    for call in (lambda: draft.to_yaml("fr"), lambda: draft.warnings_in("de")):
        with pytest.raises(ValueError, match="lang: must be 'da' or 'en'"):
            call()
