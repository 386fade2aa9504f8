"""Facts about someone's situation as they tell them in a story: age, household, income, rent.

"ik ben alleenstaande moeder van 2, werk 24 uur, verdien 1400 netto en mijn huur is 890": the
regelcheck needs exactly these facts, and asking them again after they were told is what makes
people give up. This module reads only what is said plainly; anything unsure stays None, so the
check still asks it. Amounts are eurocent, like the regelcheck's slots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import normalize_text
from nlu.numbers import parse_age

_NUM = r"(\d{1,3}(?:[.]\d{3})+|\d{3,5})(?:,\d{1,2})?"
_KIDS = re.compile(
    r"\b(alleenstaande (moeder|vader|ouder|mama|papa)|single (mum|mom|dad|parent)"
    r"|(mijn|m n|onze|ons|de|2|3|4|twee|drie|vier|\d) (kind|kinderen|kids|zoon|zoontje|dochter"
    r"|dochtertje|baby|kindje)|(my|our) (kids|children|son|daughter|baby)"
    r"|met (\d|twee|drie|vier) (kinderen|kids))\b"
)
_PARTNER = re.compile(
    r"\b((mijn|m n) (man|vrouw|partner|echtgeno\w+)|(we|wij) (zijn getrouwd|wonen samen)"
    r"|samenwonend|getrouwd|my (husband|wife|partner))\b"
)
_SINGLE = re.compile(
    r"\b(alleenstaand\w*|woon alleen|alleen woon|in m n eentje|live alone|single)\b"
)
# Each fact: the word before the number ("huur is 890"), else the number before the word.
_INCOME = (
    re.compile(
        rf"\b(verdien\w*|inkomen|salaris|loon|uitkering|bijstand|earn\w*|income|salary)"
        rf"\D{{0,25}}?{_NUM}"
    ),
    re.compile(rf"(){_NUM}\D{{0,12}}(netto|per maand netto|salaris|inkomen|a month)"),
)
_RENT = (
    re.compile(rf"\b(huur|rent)\D{{0,20}}?{_NUM}"),
    re.compile(rf"(){_NUM}\D{{0,10}}(huur|rent)\b"),
)
# An amount followed by these words is a debt, a fine or a repayment, not a month's income or rent.
_NOT_MONTHLY = re.compile(
    r"(?:,\d{1,2})?\s*(?:euro\s*|eur\s*)?(?:aan\s+|aan\s+de\s+)?"
    r"(?:schuld|schulden|achterstand|boete|terug|huurachterstand|lening|per jaar|bruto per jaar)"
)
_NO_RENT = re.compile(
    r"\b(woon (nog )?bij (mijn|m n) (ouders|moeder|vader|oma)|koophuis|eigen huis)\b"
)


@dataclass(frozen=True)
class Facts:
    """What a message says plainly; None where it says nothing (or nothing sure)."""

    leeftijd: int | None = None
    huishouden: str | None = None
    inkomen_maand: int | None = None
    huur_maand: int | None = None

    def any(self) -> bool:
        return any(
            v is not None
            for v in (self.leeftijd, self.huishouden, self.inkomen_maand, self.huur_maand)
        )


def _cents(patterns: tuple[re.Pattern[str], ...], text: str) -> int | None:
    """The amount the first pattern that matches names, in eurocent; plausible monthly amounts
    only (a yearly income or a debt is not a month's income)."""
    for rx in patterns:
        for m in rx.finditer(text):
            if _NOT_MONTHLY.match(text, m.end(2)):
                continue  # "2000 euro schuld", "400 terugbetalen": not what comes in or goes out
            euros = int(m.group(2).replace(".", ""))
            return euros * 100 if 50 <= euros <= 20_000 else None
    return None


def household(norm: str) -> str | None:
    kids, partner = bool(_KIDS.search(norm)), bool(_PARTNER.search(norm))
    if partner:
        return "partners_kinderen" if kids else "partners"
    if kids:
        return "alleenstaande_ouder" if _SINGLE.search(norm) or "alleenstaande" in norm else None
    return "alleenstaand" if _SINGLE.search(norm) else None


def facts_from_text(text: str) -> Facts:
    """The facts a story states plainly. A child mentioned without 'alleenstaand' leaves the
    household open (it may be a couple); an income word without a number leaves income open."""
    norm = normalize_text(text)
    low = text.lower()
    age = parse_age(text)
    if age is not None and re.search(rf"\b{age} ?(uur|euro|keer|dagen|weken|maanden)\b", norm):
        age = None  # "ik ben 24 uur aan het werk"
    rent = 0 if _NO_RENT.search(norm) else _cents(_RENT, low)
    return Facts(
        leeftijd=age if age is not None and 15 <= age <= 110 else None,
        huishouden=household(norm),
        inkomen_maand=_cents(_INCOME, low),
        huur_maand=rent,
    )
