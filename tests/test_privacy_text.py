"""Masking of CPR numbers, e-mails and phone numbers; safe comments."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from survey_kit.privacy import html_escape, mask_personal, safe_comments


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
        (
            "Mail anna@x.dk, tlf 22 33 44 55, cpr 010190-1234",
            "Mail [e-mail], tlf [telefon], cpr [CPR]",
        ),
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
        "12345678",  # Danish numbers do not start with 1
        "1234 5678 9012",  # longer run of digits (an account number, not a phone)
        "ISBN 978-87-7000-000-0",
        "anna@ikke-et-domæne",
        "@kollega",
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
