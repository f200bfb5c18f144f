"""Answer scales the field uses, as knowledge: wording, order and positive end, in four languages.

Survey platforms export answers either as codes with labels (SPSS, SurveyXact's Labels sheet) or
as label text only (Microsoft Forms, "Complete" sheets, re-saved CSVs). In the second case the
order of the answers cannot be read from the file: it comes from knowing the scale. This module
holds that knowledge (Danish, Norwegian, Swedish and English wordings of agreement, degree,
satisfaction, frequency, importance, quality and yes/no scales) and the don't-know answers.

Conventions
-----------
* Each :class:`AnswerScale` lists its answers from the negative end to the positive end; a draft
  codes them ``1..k`` in that order (so a higher mean is more agreement, satisfaction, ...), the
  same codes for every item on the scale. ``positive`` is the agreeing end (the top two answers of
  a scale of four or more, "Ja" of yes/no); ``compare(stat="share")`` counts them.
* Labels are compared after :func:`normalise_label` (case, punctuation, spacing and a leading
  code such as ``"5 = "`` do not matter); each answer may have several spellings
  (``"Hverken enig eller uenig"``, ``"Hverken/eller"``).
* Don't-know answers (:func:`is_dont_know`) are matched as WHOLE labels, never as substrings: a
  real answer such as "... even if he prefers not to sell" is not a missing value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

__all__ = [
    "ANSWER_SCALES",
    "AnswerScale",
    "find_scales",
    "is_dont_know",
    "normalise_label",
    "polarity",
]

_LEADING_CODE = re.compile(r"^\s*\(?\d{1,2}\)?\s*(?:[=.:)\-]\s*)?(?=\D)")


def normalise_label(label: object) -> str:
    """Case-folded words of a label: ``"5 = Helt  enig!"`` -> ``"helt enig"``."""
    text = unicodedata.normalize("NFKC", str(label)).strip()
    text = _LEADING_CODE.sub("", text).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class AnswerScale:
    """One answer scale: its answers from the negative to the positive end.

    Attributes
    ----------
    name
        Id, e.g. ``"da_agree5_overvejende"``.
    kind
        ``agreement``, ``degree``, ``satisfaction``, ``frequency``, ``importance``, ``quality``
        or ``yesno``.
    lang
        ``da``, ``no``, ``sv`` or ``en``.
    answers
        Per position (negative end first) the accepted spellings; the first is the canonical one.
    n_positive
        How many answers at the positive end count as positive.
    """

    name: str
    kind: str
    lang: str
    answers: tuple[tuple[str, ...], ...]
    n_positive: int

    @property
    def labels(self) -> tuple[str, ...]:
        """Canonical labels, negative end first."""
        return tuple(a[0] for a in self.answers)

    @property
    def k(self) -> int:
        return len(self.answers)

    @property
    def positive_positions(self) -> tuple[int, ...]:
        """0-based positions of the positive answers."""
        return tuple(range(self.k - self.n_positive, self.k))

    @property
    def ordinal(self) -> bool:
        """True for ordered scales (likert items); yes/no is not."""
        return self.kind != "yesno"

    def position(self, label: object) -> int | None:
        """0-based position of a label on this scale, or None."""
        return _positions(self).get(normalise_label(label))


@cache
def _positions(scale: AnswerScale) -> dict[str, int]:
    return {normalise_label(s): i for i, spellings in enumerate(scale.answers) for s in spellings}


def _s(name: str, kind: str, lang: str, *answers: str | tuple[str, ...], positive: int = 2) -> AnswerScale:
    return AnswerScale(name, kind, lang, tuple(a if isinstance(a, tuple) else (a,) for a in answers), positive)


_DA_NEUTRAL = ("Hverken enig eller uenig", "Hverken/eller", "Hverken enig/uenig", "Hverken enig el. uenig")
_NO_NEUTRAL = ("Verken enig eller uenig", "Verken/eller", "Hverken enig eller uenig")
_SV_NEUTRAL = ("Varken instämmer eller tar avstånd", "Varken eller", "Varken enig eller oenig")
_EN_NEUTRAL = ("Neither agree nor disagree", "Neither agree or disagree", "Neutral")

#: The known answer scales (negative end first). Order matters only for ties: the first scale that
#: holds every observed answer wins.
ANSWER_SCALES: tuple[AnswerScale, ...] = (
    # -- Danish ---------------------------------------------------------------------------------
    _s("da_agree5_overvejende", "agreement", "da", "Helt uenig", "Overvejende uenig", _DA_NEUTRAL,
       "Overvejende enig", "Helt enig"),
    _s("da_agree5_delvist", "agreement", "da", "Helt uenig", ("Delvist uenig", "Delvis uenig"), _DA_NEUTRAL,
       ("Delvist enig", "Delvis enig"), "Helt enig"),
    _s("da_agree5_enig", "agreement", "da", "Helt uenig", "Uenig", _DA_NEUTRAL, "Enig", "Helt enig"),
    _s("da_agree5_meget", "agreement", "da", "Meget uenig", "Uenig", _DA_NEUTRAL, "Enig", "Meget enig"),
    _s("da_agree4_overvejende", "agreement", "da", "Helt uenig", "Overvejende uenig", "Overvejende enig", "Helt enig"),
    _s("da_agree4_delvist", "agreement", "da", "Helt uenig", ("Delvist uenig", "Delvis uenig"),
       ("Delvist enig", "Delvis enig"), "Helt enig"),
    _s("da_agree4_meget", "agreement", "da", "Meget uenig", "Uenig", "Enig", "Meget enig"),
    _s("da_degree5_lav", "degree", "da", ("I meget lav grad", "I meget ringe grad"), ("I lav grad", "I ringe grad"),
       "I nogen grad", "I høj grad", "I meget høj grad"),
    _s("da_degree5_slet", "degree", "da", "Slet ikke", ("I ringe grad", "I lav grad", "I mindre grad"),
       "I nogen grad", "I høj grad", "I meget høj grad"),
    _s("da_degree4", "degree", "da", ("Slet ikke", "I meget lav grad", "I meget ringe grad"),
       ("I mindre grad", "I lav grad", "I ringe grad"), "I høj grad", "I meget høj grad"),
    _s("da_satisfaction5", "satisfaction", "da", "Meget utilfreds", "Utilfreds",
       ("Hverken tilfreds eller utilfreds", "Hverken/eller"), "Tilfreds", "Meget tilfreds"),
    _s("da_satisfaction4", "satisfaction", "da", "Meget utilfreds", "Utilfreds", "Tilfreds", "Meget tilfreds"),
    _s("da_frequency5", "frequency", "da", "Aldrig", ("Sjældent", "Sjælden"), ("Nogle gange", "Af og til"),
       ("Ofte", "Tit"), "Altid"),
    _s("da_frequency5_meget", "frequency", "da", ("Aldrig", "Aldrig eller næsten aldrig"), "Sjældent",
       ("Somme tider", "Nogle gange", "Af og til"), "Ofte", "Meget ofte"),
    _s("da_importance4", "importance", "da", ("Slet ikke vigtigt", "Uvigtigt"), ("Mindre vigtigt", "Ikke særlig vigtigt"),
       "Vigtigt", "Meget vigtigt"),
    _s("da_importance5", "importance", "da", "Slet ikke vigtigt", "Mindre vigtigt", ("Hverken vigtigt eller uvigtigt", "Noget vigtigt"),
       "Vigtigt", "Meget vigtigt"),
    _s("da_quality5", "quality", "da", "Meget dårlig", "Dårlig", ("Hverken god eller dårlig", "Middel", "Acceptabel"),
       "God", "Meget god"),
    _s("da_quality4", "quality", "da", "Meget dårlig", "Dårlig", "God", "Meget god"),
    # -- Norwegian --------------------------------------------------------------------------------
    _s("no_agree5_delvis", "agreement", "no", ("Helt uenig", "Svært uenig"), ("Delvis uenig", "Litt uenig"), _NO_NEUTRAL,
       ("Delvis enig", "Litt enig"), ("Helt enig", "Svært enig")),
    _s("no_agree5_enig", "agreement", "no", "Helt uenig", "Uenig", _NO_NEUTRAL, "Enig", "Helt enig"),
    _s("no_agree4", "agreement", "no", "Helt uenig", ("Delvis uenig", "Litt uenig"), ("Delvis enig", "Litt enig"), "Helt enig"),
    _s("no_degree5", "degree", "no", ("I svært liten grad", "I meget liten grad", "Ikke i det hele tatt"), "I liten grad",
       ("I noen grad", "I noe grad", "I en viss grad"), "I stor grad", ("I svært stor grad", "I meget stor grad")),
    _s("no_degree4", "degree", "no", ("I svært liten grad", "Ikke i det hele tatt"), "I liten grad", "I stor grad",
       "I svært stor grad"),
    _s("no_satisfaction5", "satisfaction", "no", "Svært misfornøyd", "Misfornøyd", "Verken fornøyd eller misfornøyd",
       "Fornøyd", "Svært fornøyd"),
    _s("no_satisfaction5_godt", "satisfaction", "no", "Svært dårlig", "Dårlig", "Verken godt eller dårlig", "Godt",
       "Svært godt"),
    _s("no_frequency5", "frequency", "no", "Aldri", "Sjelden", ("Av og til", "Noen ganger"), "Ofte", ("Alltid", "Svært ofte")),
    _s("no_importance4", "importance", "no", "Ikke viktig", ("Litt viktig", "Lite viktig"), "Viktig", "Svært viktig"),
    # -- Swedish ----------------------------------------------------------------------------------
    _s("sv_agree5_instammer", "agreement", "sv", "Instämmer inte alls", ("Instämmer i liten grad", "Instämmer till liten del"),
       ("Instämmer delvis", "Varken eller"), ("Instämmer i stor grad", "Instämmer till stor del"), "Instämmer helt"),
    _s("sv_agree4_instammer", "agreement", "sv", "Instämmer inte alls", "Instämmer inte särskilt",
       "Instämmer delvis", "Instämmer helt"),
    _s("sv_agree4_stammer", "agreement", "sv", "Stämmer inte alls", "Stämmer ganska dåligt", "Stämmer ganska bra",
       "Stämmer helt"),
    _s("sv_agree5_enig", "agreement", "sv", ("Helt oenig", "Mycket oenig"), ("Delvis oenig", "Oenig"), _SV_NEUTRAL,
       ("Delvis enig", "Enig"), ("Helt enig", "Mycket enig")),
    _s("sv_degree5", "degree", "sv", ("I mycket liten grad", "Inte alls"), "I liten grad", ("I viss grad", "I någon grad"),
       "I stor grad", "I mycket stor grad"),
    _s("sv_satisfaction5", "satisfaction", "sv", "Mycket missnöjd", "Missnöjd", "Varken nöjd eller missnöjd", "Nöjd",
       "Mycket nöjd"),
    _s("sv_frequency5", "frequency", "sv", "Aldrig", "Sällan", "Ibland", "Ofta", "Alltid"),
    _s("sv_importance4", "importance", "sv", "Inte alls viktigt", "Inte särskilt viktigt", "Ganska viktigt",
       "Mycket viktigt"),
    # -- English ----------------------------------------------------------------------------------
    _s("en_agree5", "agreement", "en", "Strongly disagree", ("Disagree", "Somewhat disagree", "Tend to disagree"),
       _EN_NEUTRAL, ("Agree", "Somewhat agree", "Tend to agree"), "Strongly agree"),
    _s("en_agree4", "agreement", "en", "Strongly disagree", ("Disagree", "Somewhat disagree"), ("Agree", "Somewhat agree"),
       "Strongly agree"),
    _s("en_agree7", "agreement", "en", "Strongly disagree", "Disagree", "Somewhat disagree", _EN_NEUTRAL,
       "Somewhat agree", "Agree", "Strongly agree", positive=3),
    _s("en_degree5", "degree", "en", ("Not at all", "To a very small extent"), ("To a small extent", "To a little extent"),
       ("To some extent", "To a moderate extent"), ("To a great extent", "To a large extent"),
       ("To a very great extent", "To a very large extent")),
    _s("en_satisfaction5", "satisfaction", "en", "Very dissatisfied", ("Dissatisfied", "Somewhat dissatisfied"),
       ("Neither satisfied nor dissatisfied", "Neutral"), ("Satisfied", "Somewhat satisfied"), "Very satisfied"),
    _s("en_frequency5", "frequency", "en", "Never", ("Rarely", "Seldom"), "Sometimes", ("Often", "Very often"), "Always"),
    _s("en_importance5", "importance", "en", "Not at all important", "Slightly important", "Moderately important",
       "Very important", "Extremely important"),
    _s("en_importance4", "importance", "en", "Not at all important", ("Not very important", "Slightly important"),
       ("Fairly important", "Important"), "Very important"),
    _s("en_quality5", "quality", "en", "Poor", "Fair", "Good", "Very good", "Excellent"),
    _s("en_quality5_very", "quality", "en", "Very poor", "Poor", ("Fair", "Average", "Neither good nor poor"), "Good",
       "Very good"),
    # -- yes/no (not ordinal: single items with "Ja" as the positive answer) -----------------------
    _s("da_yesno", "yesno", "da", "Nej", "Ja", positive=1),
    _s("sv_yesno", "yesno", "sv", "Nej", "Ja", positive=1),
    _s("no_yesno", "yesno", "no", "Nei", "Ja", positive=1),
    _s("en_yesno", "yesno", "en", "No", "Yes", positive=1),
)

#: Whole labels that mean "no answer on the scale" (don't know, not relevant, prefer not to say).
DONT_KNOW = frozenset(normalise_label(x) for x in (
    # Danish
    "Ved ikke", "Ved ej", "Ved ikke/ikke relevant", "Ikke relevant", "Ikke aktuelt", "Ikke aktuel",
    "Ønsker ikke at svare", "Ønsker ikke at oplyse", "Vil ikke svare", "Vil ikke oplyse", "Kan ikke svare",
    "Uoplyst", "Ingen mening", "Har ingen mening", "Kan ikke vurdere", "Ikke muligt at svare",
    "Ved ikke / ønsker ikke at svare", "Manglende", "Manglende svar", "Ubesvaret",
    # Norwegian
    "Vet ikke", "Ikke aktuelt", "Vil ikke svare", "Ønsker ikke å svare", "Ingen formening", "Kan ikke svare",
    "Vet ikke/ikke relevant", "Ikke relevant",
    # Swedish
    "Vet ej", "Vet inte", "Ingen åsikt", "Ej aktuellt", "Ej relevant", "Vill inte svara", "Kan inte svara",
    "Ingen uppfattning", "Vet ej/ej aktuellt",
    # English
    "Don't know", "Do not know", "Dont know", "Don't know / not sure", "Not sure", "Prefer not to say",
    "Prefer not to answer", "Rather not say", "Not applicable", "N/A", "NA", "DK", "IAP", "No answer",
    "Refused", "Missing", "No opinion", "Can't say", "Cannot say", "Can't choose", "Don't know/not applicable",
    "I don't know", "I do not know", "I am not sure", "I'm not sure", "Unsure", "Not applicable to me",
    "Does not apply", "Does not apply to me", "Not relevant", "Not relevant to me", "I prefer not to say",
    "I prefer not to answer", "I'd rather not say", "No response", "Not answered", "Don't know / can't say",
    "Unknown", "Other / prefer not to say",
    # German
    "Weiß nicht", "Weiss nicht", "Weiß ich nicht", "Weiss ich nicht", "Keine Angabe", "Keine Antwort",
    "Kann ich nicht sagen", "Kann ich nicht beurteilen", "Nicht zutreffend", "Trifft nicht zu (nicht relevant)",
    "Möchte ich nicht sagen", "Möchte nicht antworten", "Keine Meinung", "Unbekannt", "k.A.", "Nicht beantwortet",
    # Spanish
    "No sé", "No lo sé", "No sabe", "No sabe / no contesta", "NS/NC", "No contesta", "Prefiero no decirlo",
    "Prefiero no contestar", "Prefiero no responder", "No aplica", "No corresponde", "Sin opinión", "No responde",
    # French
    "Je ne sais pas", "Ne sais pas", "Ne sait pas", "NSP", "Sans opinion", "Sans réponse", "Non concerné",
    "Non applicable", "Je préfère ne pas répondre", "Préfère ne pas répondre", "Ne se prononce pas",
    # Dutch
    "Weet niet", "Weet ik niet", "Geen mening", "Geen antwoord", "Niet van toepassing", "Wil ik niet zeggen",
    "Zeg ik liever niet", "Wil niet antwoorden", "Onbekend",
    # Danish / Norwegian / Swedish more spellings
    "Det ved jeg ikke", "Ved ikke / ikke relevant", "Ikke relevant for mig", "Det vet jeg ikke",
    "Ikke relevant for meg", "Vet ikke / ikke relevant", "Ønsker ikke å oppgi", "Vil ikke oppgi",
    "Vet inte / vill inte svara", "Ej tillämpligt", "Ingen kommentar",
))
_DK_PARTS = re.compile(r"\s*(?:/|;| eller | or | el\. | eller\b)\s*", re.I)


def is_dont_know(label: object) -> bool:
    """True when the whole label is a don't-know answer ("Ved ikke", "Vet ej", "Don't know",
    "Ved ikke/ikke relevant"), never when such words are only part of a real answer."""
    text = str(label).strip()
    if not text:
        return False
    if normalise_label(text) in DONT_KNOW:
        return True
    parts = [p for p in _DK_PARTS.split(text) if p.strip()]
    return len(parts) > 1 and all(normalise_label(p) in DONT_KNOW for p in parts)


def find_scales(labels: Iterable[object]) -> list[AnswerScale]:
    """Known scales holding every one of ``labels`` (don't-know answers left out by the caller),
    in table order; empty when the labels are not all on one scale or fewer than two differ."""
    wanted = {normalise_label(x) for x in labels}
    wanted.discard("")
    if len(wanted) < 2:
        return []
    return [s for s in ANSWER_SCALES if wanted <= set(_positions(s))]


@cache
def _ends() -> dict[str, int]:
    out: dict[str, int] = {}
    for s in ANSWER_SCALES:
        if not s.ordinal:
            continue
        for spelling in s.answers[0]:
            out.setdefault(normalise_label(spelling), -1)
        for spelling in s.answers[-1]:
            out.setdefault(normalise_label(spelling), 1)
    for word, sign in (("strongly disagree", -1), ("strongly agree", 1), ("i liten grad", -1),
                       ("i stor grad", 1)):
        out.setdefault(word, sign)
    return out


def polarity(label: object) -> int:
    """+1 when the label is the positive end of a known scale ("Helt enig", "I meget høj grad"),
    -1 for a negative end ("Helt uenig", "Slet ikke"), 0 otherwise."""
    return _ends().get(normalise_label(label), 0)
