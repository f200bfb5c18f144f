"""Masking of names, CPR numbers, e-mails and phone numbers; comment selection for reports."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from survey_kit.datasets import _phrases
from survey_kit.privacy import (
    html_escape,
    looks_personal,
    mask_personal,
    safe_comments,
    select_comments,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mit cpr er 010190-1234.", "Mit cpr er [CPR]."),
        ("cpr: 0101901234", "cpr: [CPR]"),
        ("CPR 311299 4321 tak", "CPR [CPR] tak"),
        ("(290272-1111)", "([CPR])"),
        ("født 150305-4xx2", "født 150305-4xx2"),  # not ten digits
        ("Skriv til anna.jensen@rksk.dk", "Skriv til [e-mail]"),
        ("mail: Søren_Ø+test@sub.kommune.dk.", "mail: [e-mail]."),
        ("ANNA@X.DK eller bo@kl.dk", "[e-mail] eller [e-mail]"),
        ("ring 20304050", "ring [telefon]"),
        ("ring 20 30 40 50 i dag", "ring [telefon] i dag"),
        ("tlf. 2030 4050", "tlf. [telefon]"),
        ("+45 20 30 40 50", "[telefon]"),
        ("+4520304050", "[telefon]"),
        ("0045 2030 4050", "[telefon]"),
        ("0045 20304050, lokal 12", "[telefon], lokal 12"),
        ("mobil:99887766", "mobil:[telefon]"),
        # issue 12: spellings that passed before
        ("04 05 06 1237", "[CPR]"),
        ("nr. 05.06.07-1238.", "nr. [CPR]."),
        ("070809 - 1240", "[CPR]"),
        ("091011/1242", "[CPR]"),
        ("04_05_06_1237", "[CPR]"),
        ("cpr0405061237", "cpr[CPR]"),
        ("CPR-nr.: ０４０５０６－１２３７", "CPR-nr.: [CPR]"),  # full-width digits and dash
        ("12 34 56 78", "[telefon]"),
        ("+45 12 34 56 78", "[telefon]"),
        ("ring 24-35-46-57", "ring [telefon]"),
        ("24.35.46.57", "[telefon]"),
        ("004524354657", "[telefon]"),
        ("(+45) 2435 4657", "[telefon]"),
        ("2435 4657", "[telefon]"),
        ("tlf. 12032010", "tlf. [telefon]"),  # a date-like number after a phone cue
        ("carl(at)kommune.dk", "[e-mail]"),
        ("carl [at] kommune [dot] dk", "[e-mail]"),
        ("skriv til carl at kommune dot dk", "skriv til [e-mail]"),
        ("carl＠kommune．dk", "[e-mail]"),
        (
            "Spørg gerne vores leder, Per Nielsen, om detaljerne.",
            "Spørg gerne vores leder, [navn], om detaljerne.",
        ),
        ("min leder Kurt er god", "min leder [navn] er god"),
        ("Lederen hedder Xenia.", "Lederen hedder [navn]."),  # not in the list: after a cue
        ("kollegaen, Bodil, hjalp", "kollegaen, [navn], hjalp"),
        ("vi talte med Hans om det", "vi talte med [navn] om det"),
        ("Anne-Mette Kjærbøl ringede", "[navn] ringede"),
        ("Hannes kontor", "[navn] kontor"),
        ("Hej ANNE HANSEN!", "Hej [navn]!"),
        ("Peter Wiese sagde, at Wiese var glad", "[navn] sagde, at [navn] var glad"),
        (
            "Mail anna@x.dk, tlf 22 33 44 55, cpr 010190-1234",
            "Mail [e-mail], tlf [telefon], cpr [CPR]",
        ),
        # issue 22: names in lower case, a CPR number whose date is no date, bare e-mails
        ("... spørg jens nielsen", "... spørg [navn]"),
        ("spørg mette om det", "spørg [navn] om det"),
        ("cpr 121314_1245", "cpr [CPR]"),
        ("skriv til lars@kommune", "skriv til [e-mail]"),
        ('skriv til "dorte"@kommune.dk', "skriv til [e-mail]"),
        ("anna@ikke-et-domæne", "[e-mail]"),
    ],
)
def test_masks_personal_data(text, expected):
    assert mask_personal(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Vi startede i 2010",
        "kl. 14-16",
        "mødet kl. 8.30-10.00",
        "2008/09 og 2010",
        "budget 12.500 kr.",
        "1.234.567 kr",
        "uge 12, 2011",
        "den 01-02-2010",
        "Trin 2 (2009-2011)",
        "3213991234",  # ten digits but no date (day 32)
        "0113991234",  # month 13
        "1234 5678 9012",  # longer run of digits (an account number, not a phone)
        "ISBN 978-87-7000-000-0",
        "@kollega",
        "1.234,50 kr",
        "højst max 5 minutter",  # a first name used as a word in lower case
        "Mødet den 12.03.2010 gik godt",  # a date alone is not a CPR number
        "12032010",  # eight digits that are a date
        "budget 12345678 kr",
        "i perioden 2010-2014",
        "Det er godt. Vi er glade. Ledelsen lytter.",
        "Per 1. januar skifter vi system.",  # "Per" opening a sentence is the preposition
        "Hans mor var syg.",  # "Hans" opening a sentence is the pronoun
        "Kan De hjælpe?",
        "HANS MOR ER SYG, kontakt HR eller AMR",
        "Den Lærende Organisation er en del af hverdagen.",
        "Vi mødes kl. 8.30-10.00 i uge 12",
        "Jeg prøvede at ringe, men fik ikke fat i nogen.",
        "3213991234",
    ],
)
def test_leaves_ordinary_text_alone(text):
    assert mask_personal(text) == text


def test_mask_handles_missing_values():
    assert mask_personal(None) == ""
    assert mask_personal(pd.NA) == ""


def test_html_escape_matches_stdlib():
    s = "<script>alert(\"x\")</script> & 'ok'"
    assert html_escape(s) == html.escape(s, quote=True)
    assert html_escape(None) == "" and html_escape(pd.NA) == ""


def test_safe_comments_masks_escapes_drops_empty_and_small_groups():
    frame = pd.DataFrame(
        {
            "enhed": [1] * 6 + [2] * 3,
            "kommentar": [
                "Godt <b>samarbejde</b>",
                "   ",
                None,
                "ring til mig på 22 33 44 55",
                "A & B",
                "",
                "kun tre i enheden",
                "hemmelig",
                None,
            ],
        }
    )
    before = frame.copy()
    out = safe_comments(frame, "kommentar", by="enhed", min_n=5)
    pd.testing.assert_frame_equal(frame, before)
    assert list(out.columns) == ["enhed", "comment"]
    assert set(out["enhed"]) == {1}  # unit 2 has 3 respondents < 5
    assert sorted(out["comment"]) == [
        "A &amp; B",
        "Godt &lt;b&gt;samarbejde&lt;/b&gt;",
        "ring til mig på [telefon]",
    ]
    plain = safe_comments(frame, "kommentar", by="enhed", min_n=3, escape=False)
    assert "A & B" in set(plain["comment"]) and "hemmelig" in set(plain["comment"])


def test_safe_comments_without_groups_and_argument_errors():
    frame = pd.DataFrame({"t": ["a", "b", "c"]})
    assert safe_comments(frame, "t", min_n=5).empty
    assert safe_comments(frame, "t", min_n=3)["comment"].tolist() == ["a", "b", "c"]
    with pytest.raises(ValueError, match="text_column"):
        safe_comments(frame, "x")
    with pytest.raises(ValueError, match="by"):
        safe_comments(frame, "t", by="enhed")


def _phrases_of_demo() -> list[str]:
    return [
        p
        for name in dir(_phrases)
        if name.endswith(("OPENERS", "FOLLOW_UPS"))
        for p in getattr(_phrases, name)
    ]


def test_demo_phrases_no_false_positives_and_every_personal_detail_masked():
    # the demo's phrase banks: 5 phrases carry a name, a phone number or an e-mail; the other 56
    # are ordinary Danish comments that must come out unchanged (0 false positives)
    phrases = _phrases_of_demo()
    personal = {
        p
        for p in phrases
        if any(k in p for k in ("Sørensen", "@", "Per Nielsen", "Jens Hansen", "97 12"))
    }
    assert len(phrases) == 61 and len(personal) == 5
    for p in phrases:
        masked = mask_personal(p)
        if p in personal:
            assert masked != p
            for secret in ("Hanne", "Sørensen", "21 43", "lone", "Per", "Nielsen", "Jens", "97 12"):
                assert secret not in masked
        else:
            assert masked == p, masked
        assert not looks_personal(masked)


def test_recall_on_the_demo_names_in_comment_templates():
    # every first name x surname of the demo generator in seven typical sentences (6300 texts)
    templates = [
        "Ring til {} hvis der er spørgsmål.",
        "Jeg har talt med {} om det.",
        "{} har været en god leder.",  # sentence start
        "Tak til {}!",
        "Min leder, {}, lytter ikke.",
        "Spørg {}s team.",
        "Kontakt: {}",
    ]
    missed = []
    for first in _phrases.FIRST_NAMES:
        for last in _phrases.LAST_NAMES:
            full = f"{first.capitalize()} {last.capitalize()}"
            for t in templates:
                if "[navn]" not in mask_personal(
                    t.format(full)
                ) or first.capitalize() in mask_personal(t.format(full)):
                    missed.append(t.format(full))
    assert missed == []


def test_single_first_names_after_cues_and_inside_sentences():
    for name in ("Kurt", "Bodil", "Per", "Hans", "Bo", "Lykke", "Xenia"):
        for t in (
            "min leder {} er god",
            "vores leder {} er god",
            "lederen {} er god",
            "kollegaen {} er god",
            "chefen, {}, er god",
            "hun hedder {}",
        ):
            assert mask_personal(t.format(name)) == t.format("[navn]"), t.format(name)


def test_select_comments_counts_and_method_sentence():
    frame = pd.DataFrame(
        {
            "enhed": [1] * 8 + [2] * 3,
            "kommentar": [
                "Godt samarbejde",
                "godt  samarbejde",  # the same comment again: shown once
                "Min leder Kurt Hansen lytter ikke",  # masked, kept
                "ring 2 4 3 5 4 6 5 7",  # still a phone number after masking: left out
                "min leder kurt er sød",  # a name in lower case after a cue: left out
                "skriv til kurt (at) kommune",  # an (at) left: left out
                None,
                "Det er 12.03.2010 vi holder møde, budget 1.234.567 kr",  # dates, amounts: kept
                "hemmelig",  # unit 2 has 3 respondents < 5
                "også hemmelig",
                "",
            ],
        }
    )
    before = frame.copy()
    sel = select_comments(frame, "kommentar", by="enhed", min_n=5)
    pd.testing.assert_frame_equal(frame, before)
    assert list(sel.comments.columns) == ["enhed", "comment", "count"]
    # "kurt" in lower case after a cue and "kurt (at) kommune" are masked (issue 22), so kept
    assert sel.comments["comment"].tolist() == [
        "Det er 12.03.2010 vi holder møde, budget 1.234.567 kr",
        "Godt samarbejde",
        "Min leder [navn] lytter ikke",
        "min leder [navn] er sød",
        "skriv til [e-mail]",
    ]
    assert sel.comments["count"].tolist() == [1, 2, 1, 1, 1]
    assert (sel.n_shown, sel.n_personal, sel.n_duplicates, sel.n_small_groups) == (5, 1, 1, 2)
    assert sel.method == (
        "Navne, CPR-numre, telefonnumre og e-mailadresser i kommentarerne er skjult. "
        "1 kommentar er udeladt, fordi den kunne identificere en person. "
        "Kommentarer fra grupper med færre end 5 svar vises ikke. "
        "Ens kommentarer vises én gang."
    )
    one = select_comments(frame.iloc[:4], "kommentar", min_n=4)
    assert "1 kommentar er udeladt, fordi den kunne identificere en person." in one.method
    with pytest.raises(ValueError, match="min_n"):
        select_comments(frame, "kommentar", min_n=0)


def test_everyday_words_of_other_languages_are_not_names():
    """Issue 23: the Spanish corpus file's answer "Bots-agenda (que avisen p.e. del tiempo que queda
    para una entrega)" came out as "... para [navn] entrega": "Una" is a (rare) Danish first name,
    "una" a Spanish article. Lower-case everyday words of the languages survey_kit reads stay text;
    the same names are still masked where a cue, a surname or a capital makes them a name."""
    import csv
    from pathlib import Path

    path = Path(__file__).parent / "data/corpus/google_forms_es/encuesta-edubots-uni.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row if " una " in c]
    assert len(cells) > 100  # the checkbox answer holding "para una entrega", in most rows
    assert [c for c in cells if mask_personal(c).count(" una ") != c.count(" una ")] == []
    for text in ("queda para una entrega", "someone else said so", "dina svar var gode", "nur einmal",
                 "elle a dit non", "any of them can help"):
        assert mask_personal(text) == text
    for text, masked in (("min leder una er god", "min leder [navn] er god"), ("Hablé con Una ayer", "Hablé con [navn] ayer"),
                         ("spørg una nielsen", "spørg [navn]"), ("vi talte med Else i går", "vi talte med [navn] i går"),
                         ("Else sagde det", "[navn] sagde det"), ("min leder else", "min leder [navn]")):
        assert mask_personal(text) == masked, text
