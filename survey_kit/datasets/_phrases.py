"""Danish phrase banks for the free-text answers of the demo surveys (private).

Every phrase is windows-1252 safe (the CSV exports are written in that encoding). A few phrases
carry the kind of personal data real comments contain (a name, a phone number, an e-mail), so that
the masking of free text has something to find; all of them are invented.
"""

from __future__ import annotations

LEADER_OPENERS = (
    "Netværket har været det mest givende i min tid som leder.",
    "Det er godt at kunne sparre med andre ledere, der står med de samme udfordringer.",
    "Vores netværk fungerede bedst, da vi havde en ekstern facilitator.",
    "Det obligatoriske netværk føltes mest som endnu et møde i kalenderen.",
    "Jeg savner, at topledelsen bakker tydeligere op om netværkene.",
    "Lederuddannelsen har givet mig et teoretisk fundament, som netværket bygger videre på.",
    "Der mangler tid i hverdagen til at deltage i netværksmøder.",
    "Vi har fået et fælles sprog om ledelse på tværs af institutionerne.",
    "Netværket er et frirum, hvor man kan tale åbent om svære sager.",
    "Det tværfaglige netværk har givet mig et bredere blik på kommunen.",
    "Jeg har ikke haft mulighed for at deltage i netværk, men vil gerne.",
    "Coaching har hjulpet mig mere end kurser.",
    "Kortere kurser giver inspiration, men sjældent varig forandring.",
    "Min chef har ikke tid til sparring, så netværket er vigtigt for mig.",
    "Netværket bør have et klart formål og en tidsramme på 2-4 år.",
)
LEADER_FOLLOW_UPS = (
    "Det bør prioriteres højere i kommunen.",
    "Vi har aftalt at evaluere netværket efter et år.",
    "Kontakt mig gerne, hvis I vil høre mere: ring til Hanne Sørensen på 21 43 65 87.",
    "Nye ledere bør tilbydes et netværk fra start.",
    "Det kræver, at nogen tager ansvar for at indkalde og følge op.",
    "Skriv gerne til mig på lone.madsen@kommune.dk.",
    "Tak for en god undersøgelse.",
    "Rotation i netværket ville give nye input.",
    "Økonomien til ekstern facilitering er desværre skåret væk.",
    "Mødefrekvensen på fire gange om året passer godt.",
)

TEMPERATURE_OPENERS = (
    "Vi er godt i gang, men der mangler tid til at følge op.",
    "Videndeling på personalemøderne fungerer rigtig godt nu.",
    "Det er uklart, hvad de forskellige IT-systemer skal bruges til.",
    "Vi har endnu ikke lavet en plan for det videre arbejde.",
    "Velkomstmessen for nye medarbejdere var en god idé.",
    "Der er for travlt til at prøve nye måder at arbejde på.",
    "Vores videndeler gør et stort stykke arbejde.",
    "Kortlægningen af kerneviden har sat gang i gode drøftelser.",
    "Den Lærende Organisation er blevet en del af hverdagen hos os.",
    "Jeg har ikke hørt meget om Den Lærende Organisation i min enhed.",
    "Samarbejdet med andre enheder kunne være bedre.",
    "Vi bruger borgernes erfaringer mere end før.",
)
TEMPERATURE_FOLLOW_UPS = (
    "Ledelsen skal gå forrest.",
    "Intranettet er svært at finde rundt i.",
    "Det tager tid, men vi er på rette vej.",
    "Spørg gerne vores leder, Per Nielsen, om detaljerne.",
    "Vi har brug for flere ressourcer til kurser.",
    "Det lærte fra kurser bliver nu delt på møderne.",
    "Tak for muligheden for at svare.",
    "Ring evt. på 97 12 34 56 for at høre mere.",
)

NETWORK_OPENERS = (
    "Netværket har gjort mig bedre til at håndtere presset i jobbet.",
    "Jeg føler mig mindre alene med de svære beslutninger.",
    "Det har været værdifuldt at møde ledere fra samme fagområde.",
    "Jeg har fået konkrete redskaber, som jeg bruger i hverdagen.",
    "Refleksionen i netværket har gjort min lederstil tydeligere.",
    "Netværket har ikke betydet så meget for mig endnu.",
    "Sparringen med kollegerne er det vigtigste udbytte.",
    "Det tværfaglige netværk gav nye perspektiver, men lidt for lidt dybde.",
    "Jeg ringer nu til en kollega, når jeg står i en svær sag.",
    "Møderne har været godt faciliteret.",
)
NETWORK_FOLLOW_UPS = (
    "Jeg håber, netværket fortsætter.",
    "Det har givet mere ro i hverdagen.",
    "Vi bør mødes oftere.",
    "Kontakt gerne min kollega Jens Hansen, som også var med.",
    "Tiden var den største udfordring.",
    "Tak til facilitatoren.",
)

FIRST_NAMES = (
    "anne", "mette", "hanne", "susanne", "lone", "kirsten", "helle", "pia", "lene", "tina",
    "camilla", "louise", "maria", "karen", "birgitte", "jens", "peter", "michael", "lars",
    "henrik", "thomas", "søren", "niels", "morten", "jesper", "anders", "rasmus", "martin",
    "christian", "jan",
)
LAST_NAMES = (
    "jensen", "nielsen", "hansen", "pedersen", "andersen", "christensen", "larsen", "sørensen",
    "rasmussen", "jørgensen", "petersen", "madsen", "kristensen", "olsen", "thomsen",
    "christiansen", "poulsen", "johansen", "møller", "mortensen", "knudsen", "jakobsen",
    "mikkelsen", "olesen", "frederiksen", "laursen", "henriksen", "lund", "schmidt", "holm",
)
MUNICIPALITIES = (
    "aarhus.dk", "odense.dk", "vejle.dk", "horsens.dk", "randers.dk", "kolding.dk",
    "herning.dk", "silkeborg.dk", "viborg.dk", "holstebro.dk", "rksk.dk", "skive.dk",
)
