"""Signs of a person's life stage in a message: young (15-27, school, 'mijn ouders') or around
the AOW age (65 or older, 'ik heb aow', 'een klein aowtje').

The question ranker (knowledge/faq.py) uses them because the law does: regulations for young
people only should not answer an adult's question on a tie, and bijstand stops at the AOW age,
where the AIO of the SVB takes over. Which regulations stop at the AOW age, and which start
there, is the regelcheck's own list (``aow`` in bot/regelcheck.yml).
"""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.eligibility import config as eligibility_config
from knowledge.models import Regeling
from knowledge.text import normalize_text

_YOUTH = re.compile(
    r"\b(1[5-9]|2[0-7]) ?(jaar|jr|j|year|years)\b|\b(ik ben|ben|word|wordt|worden|turn|turning|"
    r"i am|im|i m) (1[5-9]|2[0-7])\b|\b(16|17|18)\b|achttien|eighteen|\bjong\w*|\byoung\w*|"
    r"\bstude\w*|\bscholier\w*|\bschool\w*|\bmbo\b|\bhbo\b|\buni\b|universiteit|university|"
    r"\bstage\b|\bmijn (ouders?|moeder|vader|ma|pa|mama|papa|mams|paps)\b|"
    r"\bmy (parents?|mum|mom|dad|mother|father)\b|meerderjarig\w*|\bteen\w*|\btiener\w*|"
    r"\bduo\b|wajong"
)

#: Doelgroepen that say a regulation is for adults too.
_ADULT_GROUPS = frozenset(
    {"iedereen", "ouderen", "werkenden", "huurders", "zzp", "alleenstaande_ouders"}
)

# A stated age: "ik ben 68", "68 jaar", "(70)", "mijn moeder van 70", "my mother is 70".
_AGE = re.compile(
    r"\b(?:ik ben|ben|is|wordt|word|i am|im|i m|age|leeftijd)\s+(\d{2,3})\b|"
    # "ze wordt binnenkort 67", "hij wordt in maart 18"
    r"\b(?:wordt|word)\s+(?:binnenkort|straks|bijna|volgende\s+(?:week|maand)|volgend\s+jaar"
    r"|dit\s+jaar|in\s+\w+)\s+(\d{2,3})\b|"
    r"\b(\d{2,3}) ?(?:jaar|jr|year)|\((\d{2,3})\)|"
    r"\b(?:moeder|vader|opa|oma|man|vrouw|buurman|buurvrouw|partner|tante|oom|clie?nte?|"
    r"mevrouw|meneer|mother|father|mum|mom|dad)\s+(?:is\s+|van\s+|of\s+)?(\d{2,3})\b"
)
# AOW as what someone has ("ik heb aow", "her AOW", "een klein aowtje"); "mijn aow-leeftijd"
# is a date to come, not an income.
_ON_AOW = re.compile(
    r"\b(?:heb|heeft|hebben|krijg|krijgt|krijgen|ontvang\w*|alleen|kleine?|halve|volle|mijn|"
    r"zijn|haar|met|m[ny]n|zn|d r|onze|my|her|his|our|their)\s+(?:een\s+|a\s+)?"
    r"(?:volle\s+|volledige\s+|kleine?\s+|halve\s+|lage\s+)?aow\b(?! ?(?:leeftijd|age))|"
    r"\baow ?tje\b|\baow s\b|\bgepensioneerd\w*|\bpensionado|\bstate pension\b"
)
_INCOME_ASK = re.compile(
    r"\b(inkomen|minimum|aanvull\w*|rond ?komen|weinig|te laag|bijstand|hoeveel|bedrag|norm|"
    r"extra|erbij|bovenop|top ?up|supplement|income|enough)\b"
)


#: A question about the 18-20 group ("Hoeveel bijstand krijg ik als ik 18, 19 of 20 ben?").
_ASKS_18_TO_20 = re.compile(
    r"\b18\b.{0,20}\b(19|20|21)\b|\b(jonger dan|onder de) 21\b|\b18 ?- ?20\b"
)


def stated_ages(text: str) -> list[int]:
    """The ages a message states ("ik ben 34", "mijn moeder van 70", "(63)")."""
    return [int(next(g for g in m.groups() if g)) for m in _AGE.finditer(normalize_text(text))]


def only_older_than_20(text: str) -> bool:
    """The message states an age, and every age it states is 21 or more (up to 110)."""
    ages = stated_ages(text)
    return bool(ages) and all(21 <= age <= 110 for age in ages)


@lru_cache(maxsize=4096)
def asks_about_18_to_20(question: str) -> bool:
    """The content's question is about people of 18, 19 or 20 only."""
    return bool(_ASKS_18_TO_20.search(normalize_text(question)))


def shows_youth(text: str) -> bool:
    """A sign the message is from or about a young person: an age of 15-27, '18', school,
    study, 'mijn ouders'."""
    return bool(_YOUTH.search(normalize_text(text)))


def for_young_only(reg: Regeling | None) -> bool:
    """A regulation for young people only: "jongeren" among its doelgroepen and no group of
    adults. (Organisations are left out: adults ask about the Kindertelefoon too.)"""
    groups = set(reg.doelgroepen or []) if reg is not None else set()
    return "jongeren" in groups and not groups & _ADULT_GROUPS


def shows_aow_age(text: str, from_age: int) -> bool:
    """Someone of about the AOW age or on AOW: a stated age of ``from_age`` or more (up to 110)
    or AOW as what someone has ("ik heb aow", "een klein aowtje", "my state pension")."""
    norm = normalize_text(text)
    for m in _AGE.finditer(norm):
        age = int(next(g for g in m.groups() if g))
        if from_age <= age <= 110:
            return True
    return bool(_ON_AOW.search(norm))


def asks_about_income(text: str) -> bool:
    """The message is about income: the minimum, too little, a top-up, how much."""
    return bool(_INCOME_ASK.search(normalize_text(text)))


@lru_cache(maxsize=1)
def aow_lists() -> tuple[frozenset[str], frozenset[str], int]:
    """(regulations that stop at the AOW age, regulations from it, the youngest possible AOW
    age), from the regelcheck's configuration; read once."""
    aow = eligibility_config().get("aow") or {}
    return (
        frozenset(aow.get("tot_aow") or ()),
        frozenset(aow.get("vanaf_aow") or ()),
        int(aow.get("vanaf_mogelijk", 999)),
    )
