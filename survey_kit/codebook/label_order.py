"""The order of answer labels read from what the labels say, in eight languages.

:mod:`survey_kit.codebook.scales` knows whole scales by heart; this module reads the order of
answers it does not know, from three things a label can carry (tried in this order):

1. a code written in the label: ``"(7)"``, ``"7 - Strongly agree"``, ``"1 = Helt uenig"``;
2. numbers and bands: ``"Mindre enn 1 time"``, ``"1-3 timer"``, ``"Mer enn 8 timer"``, ``"18-29"``,
   ``"45+"``, ``"0"`` ... ``"10"``;
3. intensity words in Danish, Norwegian, Swedish, English, German, Spanish, French and Dutch:
   frequency (never ... always), degree (not at all ... extremely), agreement and satisfaction with
   their strength (strongly / somewhat), change (much less ... no change ... much more), yes / maybe / no.

Numbers of different units of time are compared in days ("Menos de 6 meses" < "Entre 1 y 2 años").

:func:`order_from_labels` returns the labels low end first and how the order was read, or None
when no reading covers every label with distinct positions (the draft then says so).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from survey_kit.codebook.scales import normalise_label

__all__ = ["order_from_labels", "negative_stem"]

_CODE_LEAD = re.compile(r"^\s*\(?(-?\d{1,3})\)?\s*(?:[=:.)]|\s[-–]\s?|[-–]\s)\s*(?=[^\d\s])")
_CODE_TAIL = re.compile(r"\((-?\d{1,3})\)\s*$")
_NUMBER = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)")
_LESS = re.compile(
    r"\b(?:mindre end|mindre enn|mindre än|less than|fewer than|under|below|up to|weniger als|unter|bis zu|"
    r"menos de|moins de|minder dan|højst|høyst|högst|max|maks|op til|opptil|upp till|under)\b", re.I)
_MORE = re.compile(
    r"\b(?:mere end|mer enn|mer än|flere end|flere enn|fler än|more than|over|above|at least|mindst|minst|"
    r"mehr als|über|ueber|más de|mas de|plus de|meer dan|boven|over)\b|\+\s*$|\boder mehr\b|\bor more\b|"
    r"\beller mere\b|\beller mer\b|\bo más\b|\bou plus\b|\bof meer\b", re.I)

# frequency: never (0) ... always (4)
_FREQUENCY = {
    0: ("never", "aldrig", "aldri", "nie", "niemals", "nunca", "jamais", "nooit", "not at all often"),
    1: ("rarely", "seldom", "sjældent", "sjælden", "sjelden", "sällan", "selten", "rara vez", "casi nunca",
        "pocas veces", "pocas", "few times", "få gange", "få ganger", "få gånger", "peu souvent",
        "rarement", "zelden", "hardly ever", "almost never", "næsten aldrig", "nesten aldri", "nästan aldrig",
        "fast nie"),
    2: ("sometimes", "occasionally", "now and then", "nogle gange", "somme tider", "af og til", "av og til",
        "noen ganger", "ibland", "gelegentlich", "manchmal", "a veces", "algunas veces", "de vez en cuando",
        "parfois", "quelquefois", "soms", "af en toe", "monthly", "weekly"),
    3: ("often", "frequently", "ofte", "tit", "ofta", "oft", "häufig", "haeufig", "a menudo",
        "frecuentemente", "con frecuencia", "souvent", "vaak", "dikwijls", "usually", "most of the time",
        "meistens", "oftest", "for det meste", "oftast", "normalmente", "la plupart du temps", "meestal",
        "muchas veces", "many times", "mange gange", "mange ganger", "många gånger", "bien souvent"),
    3.5: ("very often", "meget ofte", "svært ofte", "veldig ofte", "mycket ofta", "sehr oft", "sehr häufig",
          "muy a menudo", "muy frecuentemente", "très souvent", "heel vaak", "zeer vaak", "erg vaak",
          "almost always", "næsten altid", "nesten alltid", "nästan alltid", "fast immer", "casi siempre",
          "presque toujours", "bijna altijd", "daily", "every day", "hver dag", "dagligt", "daglig",
          "täglich", "jeden tag"),
    4: ("always", "altid", "alltid", "immer", "siempre", "toujours", "altijd", "all of the time", "all the time",
        "hele tiden", "hela tiden", "die ganze zeit", "todo el tiempo", "tout le temps", "de hele tijd"),
}
# degree: not at all (0) ... extremely (4)
_DEGREE = {
    0: ("not at all", "slet ikke", "overhovedet ikke", "ikke i det hele tatt", "ikke i det hele taget",
        "inte alls", "gar nicht", "überhaupt nicht", "ueberhaupt nicht", "nada", "en absoluto",
        "pas du tout", "helemaal niet", "absolutely not", "none", "ingen", "keine", "ninguno", "aucun",
        "geen", "not", "ikke", "inte", "nicht", "no es", "nein"),
    1: ("a little", "slightly", "hardly", "barely", "little", "lidt", "litt", "lite", "kaum", "wenig",
        "ein wenig", "etwas wenig", "poco", "un poco", "un peu", "peu", "een beetje", "weinig", "nauwelijks",
        "low", "lav", "lavt", "niedrig", "bajo", "faible", "laag", "i lav grad", "i liten grad",
        "i ringe grad", "to a small extent", "in geringem maße"),
    2: ("somewhat", "moderately", "fairly", "rather", "moderate", "medium", "average", "noget", "nogenlunde",
        "middel", "moderat", "ganske", "noe", "ganska", "något", "mäßig", "maessig", "massig", "mittel",
        "mittelmäßig", "teils", "teilweise", "einigermaßen", "algo", "bastante", "regular", "moderado",
        "moyennement", "assez", "plutôt", "enigszins", "redelijk", "tamelijk", "matig", "gemiddeld",
        "i nogen grad", "i noen grad", "i viss grad", "to some extent", "in gewissem maße"),
    3: ("very", "much", "high", "meget", "svært", "veldig", "mycket", "sehr", "hoch", "stark", "muy", "mucho",
        "alto", "très", "beaucoup", "élevé", "zeer", "heel", "erg", "hoog", "veel", "i høj grad",
        "i stor grad", "to a great extent", "in hohem maße"),
    4: ("extremely", "completely", "entirely", "fully", "totally", "ekstremt", "fuldstændig", "helt",
        "fullstendig", "extremt", "helt och hållet", "äußerst", "extrem", "völlig", "vollkommen", "total",
        "extremadamente", "totalmente", "completamente", "extrêmement", "tout à fait", "complètement",
        "extreem", "volledig", "helemaal", "i meget høj grad", "i svært stor grad", "i mycket stor grad",
        "to a very great extent"),
}
# the two poles of agreement, satisfaction, likelihood, importance, quality ...
_NEGATIVE_POLE = (
    "disagree", "uenig", "oenig", "inte enig", "ikke enig", "tar avstånd", "stimme nicht zu", "lehne ab",
    "nicht zu", "trifft nicht zu", "en desacuerdo", "desacuerdo", "pas d accord", "en désaccord",
    "oneens", "niet eens", "dissatisfied", "unsatisfied", "utilfreds", "misfornøyd", "misnøgd",
    "missnöjd", "unzufrieden", "insatisfecho", "insatisfait", "mécontent", "ontevreden", "unlikely",
    "usandsynlig", "usannsynlig", "osannolik", "unwahrscheinlich", "improbable", "poco probable",
    "onwaarschijnlijk", "unimportant", "uvigtig", "uviktig", "oviktig", "unwichtig", "poor", "bad",
    "dårlig", "dålig", "schlecht", "malo", "mala", "mauvais", "slecht", "difficult", "svært at", "vanskelig",
    "svårt", "schwierig", "schwer", "difícil", "difficile", "moeilijk", "unhappy", "ulykkelig", "unglücklich",
    "infeliz", "malheureux", "ongelukkig", "worse", "værre", "verre", "sämre", "schlechter", "peor", "pire",
    "slechter", "untrue", "usandt", "usant", "falsch", "falso", "faux", "onwaar", "stämmer inte",
    "laisse à désirer", "laisse a desirer", "à améliorer", "être améliorée", "être amélioré", "needs improvement",
    "could be better", "kan forbedres", "bør forbedres", "kunne være bedre", "kan förbättras", "verbesserungswürdig",
    "mejorable", "puede mejorar", "kan beter",
)
_POSITIVE_POLE = (
    "agree", "enig", "instämmer", "stämmer", "stimme zu", "zustimmen", "trifft zu", "de acuerdo",
    "d accord", "eens", "satisfied", "tilfreds", "fornøyd", "nøgd", "nöjd", "zufrieden", "satisfecho",
    "satisfait", "content", "tevreden", "likely", "sandsynlig", "sannsynlig", "sannolik", "wahrscheinlich",
    "probable", "waarschijnlijk", "important", "vigtig", "viktig", "wichtig", "importante", "belangrijk",
    "good", "god", "godt", "gut", "bueno", "buena", "bon", "bien", "goed", "excellent", "fremragende",
    "utmerket", "utmärkt", "ausgezeichnet", "excelente", "uitstekend", "easy", "let", "lett", "lätt",
    "leicht", "fácil", "facile", "makkelijk", "gemakkelijk", "happy", "lykkelig", "glücklich", "feliz",
    "heureux", "gelukkig", "better", "bedre", "bättre", "besser", "mejor", "meilleur", "beter", "true", "bonne",
    "excellente", "excelent", "outstanding", "hervorragend", "udmærket",
    "bra", "buen", "bueno",
    "sandt", "sant", "wahr", "verdadero", "vrai", "waar", "zu",
)
_NEUTRAL = (
    "neither", "neutral", "hverken", "verken", "varken", "weder", "teils teils", "ni de acuerdo", "ni ",
    "ni d accord", "ni satisfait", "noch", "niet eens niet oneens", "neutraal", "neutro", "neutre",
    "undecided", "usikker", "uentschieden", "indeciso", "indécis", "middle", "midt i mellem",
    "både og", "hverken eller", "både och", "moyen", "moyenne", "average", "medium", "middel", "mittel", "regular",
    "gemiddeld", "mittelmäßig", "passable", "acceptable", "ok", "okay", "nogenlunde", "sådan da", "fair",
)
_STRONG = ("excellent", "excellente", "excelente", "fremragende", "udmærket", "utmerket", "utmärkt", "ausgezeichnet",
           "hervorragend", "uitstekend", "outstanding", "superb", "perfect", "parfait", "perfecto",
           "strongly", "completely", "totally", "very", "extremely", "fully", "helt", "meget", "svært",
           "veldig", "mycket", "sehr", "völlig", "voll und ganz", "voll", "ganz", "total", "totalmente",
           "muy", "completamente", "tout à fait", "très", "totalement", "fortement", "helemaal", "zeer",
           "heel", "erg", "absolutely", "definitely", "definitely not", "absolut", "absolutt", "fuldstændig",
           "gar nicht", "überhaupt nicht", "not at all", "slet ikke", "inte alls", "pas du tout", "helemaal niet")
_WEAK = ("somewhat", "slightly", "partly", "partially", "tend to", "mostly", "moderately", "a little",
         "rather", "delvis", "delvist", "overvejende", "noget", "litt", "lidt", "lite", "något", "ganska",
         "eher", "teilweise", "etwas", "bedingt", "algo", "parcialmente", "un poco", "bastante", "plutôt",
         "un peu", "partiellement", "enigszins", "een beetje", "gedeeltelijk", "redelijk", "tamelijk",
         "i nogen grad", "til dels", "i någon mån")
_YES = ("yes", "ja", "sí", "si", "oui", "jawel", "definitely yes", "certainly")
_MAYBE = ("maybe", "perhaps", "possibly", "måske", "kanskje", "kanske", "vielleicht", "quizás", "quizas",
          "tal vez", "peut être", "peut-être", "misschien", "unsure", "not sure", "usikker", "osäker",
          "unsicher", "weiß nicht genau", "partly", "delvis", "teilweise", "en parte", "en partie",
          "gedeeltelijk", "sometimes")
_NO = ("no", "nej", "nei", "nein", "non", "nee", "not", "definitely not", "certainly not")


def _phrase_re(phrases: Iterable[str]) -> re.Pattern:
    words = sorted({normalise_label(p) for p in phrases if normalise_label(p)}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


_RE = {name: _phrase_re(words) for name, words in (
    ("neg", _NEGATIVE_POLE), ("pos", _POSITIVE_POLE), ("neutral", _NEUTRAL), ("strong", _STRONG),
    ("weak", _WEAK), ("yes", _YES), ("maybe", _MAYBE), ("no", _NO))}
_TABLES = {
    kind: [(score, _phrase_re([p])) for score, ps in table.items() for p in ps]
    for kind, table in (("frequency", _FREQUENCY), ("degree", _DEGREE))
}


def order_from_labels(labels: Iterable[str]) -> tuple[list[str], str] | None:
    """``labels`` (don't-know answers left out) from the low/negative end to the high/positive end,
    and how the order was read (``"codes"``, ``"numbers"`` or ``"words"``); None when no reading
    places every label at its own position."""
    labels = [str(x) for x in dict.fromkeys(labels) if str(x).strip()]
    if len(labels) < 2:
        return None
    timed = [_number(lab, units=True) for lab in labels]  # numbers of months and years: in days
    if None in timed or len({_unit(lab, 0) for lab in labels}) < 2:
        timed = None
    for how, key in (("codes", _code), ("numbers", _number), ("words", None)):
        if key is None:
            keys = _word_keys(labels)
        elif key is _number and timed is not None:
            keys = timed
        else:
            keys = [key(lab) for lab in labels]
        if keys is not None and None not in keys and len(set(keys)) == len(keys):
            return [lab for _, lab in sorted(zip(keys, labels, strict=True), key=lambda p: p[0])], how
    return None


def _code(label: str) -> float | None:
    m = _CODE_LEAD.match(label) or _CODE_TAIL.search(label)
    return float(m.group(1)) if m else None


def _number(label: str, units: bool = False) -> float | None:
    text = label.strip()
    m = _NUMBER.search(text)
    if m is None:
        return None
    value = float(m.group(1).replace(",", "."))
    factor = _unit(text, m.end()) if units else 1.0
    if factor is None:
        return None
    low = normalise_label(text)
    if _LESS.search(low):
        return (value - 0.5) * factor
    if _MORE.search(text) or _MORE.search(low):
        return (value + 0.5) * factor
    return value * factor


#: Units of time in days, so "Menos de 6 meses" comes before "Entre 1 y 2 años".
_UNITS = [(re.compile(r"(?<!\w)(?:" + words + r")(?!\w)", re.I), days) for words, days in (
    (r"minut\w*|min", 1 / 1440),
    (r"timer?|timmar|timme|hours?|stunden?|horas?|heures?|uur|uren|hrs?", 1 / 24),
    (r"dag(?:e|en|er|ar)?|days?|tage?|d[ií]as?|jours?", 1.0),
    (r"ug(?:e|er)|uk(?:e|er)|veck(?:a|or)|weeks?|wochen?|semanas?|semaines?|weken|week", 7.0),
    (r"måned(?:er)?|måneder|månad(?:er)?|months?|monate?|mes(?:es)?|mois|maand(?:en)?", 30.4),
    (r"år|years?|jahre?|años?|ans?|jaar|jaren|anno", 365.0),
)]


def _unit(text: str, after: int) -> float | None:
    """The unit of time of the number ending at ``after``: the first unit word after it, else the
    first in the label; None when the label names no unit."""
    best = None
    for rx, days in _UNITS:
        for m in rx.finditer(text):
            key = (m.start() < after, m.start() if m.start() >= after else -m.start())
            if best is None or key < best[0]:
                best = (key, days)
    return None if best is None else best[1]


def _word_keys(labels: list[str]) -> list[float] | None:
    """One score per label from one family of words (frequency, degree, poles, yes/maybe/no)."""
    norm = [normalise_label(lab) for lab in labels]
    readings = (
        lambda t: _table_score(t, "frequency"), lambda t: _table_score(t, "degree"), _pole_score, _change_score,
        _yes_no,
    )
    for score in readings:  # the first family that places every label at its own position
        keys = [score(t) for t in norm]
        if None not in keys and len(set(keys)) == len(keys):
            return keys
    return None


def _table_score(text: str, kind: str) -> float | None:
    best: tuple[int, float] | None = None
    for score, rx in _TABLES[kind]:
        m = rx.search(text)
        if m and (best is None or len(m.group(0)) > best[0]):
            best = (len(m.group(0)), score)
    return None if best is None else best[1]


def _pole_score(text: str) -> float | None:
    if _RE["neutral"].search(text + " "):
        return 0.0
    if _RE["neg"].search(text):
        sign = -1
    elif _RE["pos"].search(text):
        sign = 1
    else:
        return None
    strength = 3.0 if _RE["strong"].search(text) else 1.0 if _RE["weak"].search(text) else 2.0
    return sign * strength


# change: much less ... no change ... much more ("Slightly less motivated", "Uændret", "Mye mer")
_SAME = _phrase_re((
    "no change", "unchanged", "the same", "same", "about the same", "uændret", "uendret", "oförändrad",
    "oforandret", "samme", "det samme", "samma", "unverändert", "gleich", "gleich geblieben", "sin cambios",
    "sin cambio", "igual", "lo mismo", "inchangé", "pas de changement", "pareil", "onveranderd", "hetzelfde",
    "gelijk", "ingen ændring", "ingen endring", "ingen förändring", "keine veränderung", "ningún cambio"))
_UP = _phrase_re(("more", "mere", "mer", "mehr", "más", "mas", "plus", "meer", "higher", "increased",
                  "større", "højere", "høyere", "högre", "höher", "mayor", "supérieur", "hoger", "øget", "økt",
                  "ökat", "erhöht", "aumentado", "augmenté", "toegenomen"))
_DOWN = _phrase_re(("less", "fewer", "mindre", "færre", "færre", "weniger", "menos", "moins", "minder",
                    "lower", "decreased", "lavere", "lägre", "niedriger", "menor", "inférieur", "lager",
                    "nedsat", "redusert", "minskat", "verringert", "disminuido", "diminué", "afgenomen"))
_MUCH = _phrase_re(("much", "a lot", "far", "significantly", "considerably", "meget", "mye", "mycket", "viel",
                    "mucho", "beaucoup", "veel", "langt", "betydeligt", "betydelig", "deutlich", "bien"))
_LITTLE = _phrase_re(("slightly", "a little", "somewhat", "a bit", "lidt", "litt", "lite", "något", "etwas",
                      "un poco", "un peu", "iets", "een beetje", "en smule", "noget"))


def _change_score(text: str) -> float | None:
    if _SAME.search(text):
        return 0.0
    sign = 1 if _UP.search(text) else -1 if _DOWN.search(text) else 0
    if not sign:
        return None
    return sign * (3.0 if _MUCH.search(text) else 1.0 if _LITTLE.search(text) else 2.0)


def _yes_no(text: str) -> float | None:
    if _RE["maybe"].search(text):
        return 0.0
    if _RE["no"].fullmatch(text) or text.startswith(("no ", "nej ", "nei ", "nein ", "non ", "nee ")):
        return -1.0
    if _RE["yes"].fullmatch(text) or text.startswith(("yes ", "ja ", "sí ", "si ", "oui ")):
        return 1.0
    return None


_NEGATIVE_STEM = _phrase_re((
    "stress", "stressed", "gestresst", "stresset", "stressad", "estresado", "stressé", "gestrest", "tired",
    "træt", "trøtt", "müde", "cansado", "fatigué", "moe", "worried", "bekymret", "orolig", "besorgt",
    "preocupado", "inquiet", "bezorgd", "difficult", "svært", "vanskelig", "svårt", "schwer", "anstrengend",
    "difícil", "difficile", "moeilijk", "pain", "smerte", "schmerz", "dolor", "douleur", "pijn", "symptom",
    "symptome", "symptoms", "lonely", "ensom", "einsam", "solo", "seul", "eenzaam", "anxious", "angst",
    "ængstelig", "belastet", "belastende", "burden", "conflict", "konflikt", "mobning", "bullying",
))


def negative_stem(text: str) -> bool:
    """True when a question asks about something unwanted (stress, tiredness, pain, difficulty ...):
    its high end is not the positive one."""
    return bool(_NEGATIVE_STEM.search(normalise_label(text)))
