"""Numbers as people type them: amounts, ages and months, parsed in plain Python.

Used by the entity component (so follow-ups like "en als ik 19 ben?" carry an age) and by the
forms (regelcheck, turning 18), which read the answer to their own question from free text.
"""

from __future__ import annotations

import datetime as dt
import re

from knowledge.answers import MAANDEN
from knowledge.text import normalize_text

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    # English (issue #21: the turning-18 question has an English variant)
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "oct": 10,
}
MONTH_NAMES = MAANDEN
_ZERO_WORDS = {"geen", "niks", "niets", "nul", "0", "nop", "none", "nothing"}
_UNKNOWN_RE = re.compile(
    r"\b(weet (ik )?(het )?niet|geen idee|weet niet|wil ik niet zeggen|zeg ik liever niet|"
    r"overslaan|sla over|skip|dunno|idk|don'?t know|geen flauw idee|onbekend)\b"
)
_NUMBER_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?(?![\d])")
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:,\d{1,2})?"
_EURO_RE = re.compile(rf"€\s*(?:{_NUM})|(?:{_NUM})\s*(?:euro|eur|piek)\b")
_K_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*k\b")
_AGE_RE = re.compile(
    r"\b(?:ik ben|ben ik|als ik|word ik|ik word|wordt|bijna|net)\s+(\d{1,3})\b|\b(\d{1,3})\s*(?:jaar|jr|jarig)\b"
)
_AMOUNT_HINT_RE = re.compile(r"€|\beuro\b|\beur\b|\bpiek\b|\bnetto\b|\bbruto\b|\bper maand\b")
_DATE_RE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})\b")
_MONTH_YEAR_RE = re.compile(r"\b(\d{1,2})[-/](\d{4})\b")


def is_unknown(text: str) -> bool:
    """'weet ik niet', 'geen idee', 'sla over': the person does not know or won't say."""
    return bool(_UNKNOWN_RE.search(normalize_text(text)))


def parse_amount(text: str) -> int | None:
    """An amount in eurocent: '€ 1.250,50' -> 125050, '1200 euro' -> 120000, 'geen' -> 0."""
    raw = text.lower().replace("\u20ac", " € ")
    words = set(re.findall(r"\w+", raw))
    k = _K_RE.search(raw)
    if k:
        return round(float(k.group(1).replace(",", ".")) * 100_000)
    euro = _EURO_RE.search(raw)
    m = _NUMBER_RE.search(euro.group(0)) if euro else _NUMBER_RE.search(raw)
    if m:
        euros = int(m.group(1).replace(".", ""))
        cents = int((m.group(2) or "0").ljust(2, "0"))
        return euros * 100 + cents
    if words & _ZERO_WORDS:
        return 0
    return None


def parse_age(text: str, bare: bool = False) -> int | None:
    """An age from 'ik ben 19', 'als ik 19 ben', '19 jaar'; with ``bare`` also a lone '19'."""
    norm = normalize_text(text)
    m = _AGE_RE.search(norm)
    if m:
        age = int(m.group(1) or m.group(2))
        return age if 0 < age < 120 else None
    if bare:
        lone = re.fullmatch(r"\s*(\d{1,3})\s*", norm)
        if lone and 0 < int(lone.group(1)) < 120:
            return int(lone.group(1))
    return None


def _month_in(norm: str) -> int | None:
    for word in norm.split():
        if word in MONTHS:
            return MONTHS[word]
    return None


#: Turning 18 told as past: "18 geworden", "toen ik 18 werd", "turned 18".
_PAST = re.compile(r"\b(geworden|werd|turned|became)\b")


def parse_birthday_18(text: str, today: dt.date) -> dt.date | None:
    """The first day of the month in which someone turns 18, from what they typed.

    Accepts a birth date ('12-03-2009'), a month and year ('maart 2027', '03/2009'), a month
    alone ('in juni' = the next June), or 'volgende maand' / 'over 3 maanden' / 'deze maand'.
    """
    norm = normalize_text(text)
    m = _DATE_RE.search(text)
    if m:
        month, year = int(m.group(2)), int(m.group(3))
        year = year + 2000 if year < 100 else year
        if 1 <= month <= 12:
            return _as_18th(month, year, today)
    m = _MONTH_YEAR_RE.search(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return _as_18th(int(m.group(1)), int(m.group(2)), today)
    if "deze maand" in norm:
        return dt.date(today.year, today.month, 1)
    if "volgende maand" in norm or "next month" in norm:
        return _add_months(dt.date(today.year, today.month, 1), 1)
    m = re.search(r"over (\d{1,2}) maand", norm)
    if m:
        return _add_months(dt.date(today.year, today.month, 1), int(m.group(1)))
    month = _month_in(norm)
    if month is None:
        return None
    year_m = re.search(r"\b(19|20)\d{2}\b", norm)
    if year_m:
        return _as_18th(month, int(year_m.group(0)), today)
    if _PAST.search(norm):
        # "ik ben op 31 januari 18 geworden": the last such month, not the next one.
        year = today.year if month <= today.month else today.year - 1
    else:
        year = today.year if month >= today.month else today.year + 1
    return dt.date(year, month, 1)


def _as_18th(month: int, year: int, today: dt.date) -> dt.date:
    """A year far in the past is a birth year; otherwise it is the year of turning 18."""
    if year <= today.year - 10:
        year += 18
    return dt.date(year, month, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or before, if negative) ``day``'s month."""
    return _add_months(dt.date(day.year, day.month, 1), months)


def month_label(day: dt.date) -> str:
    """'1 juni 2027' style label used in answers."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def month_year_label(day: dt.date) -> str:
    """'juni 2027'."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def has_amount_hint(text: str) -> bool:
    """Whether a message speaks of money (a euro sign, 'euro', 'netto', 'per maand')."""
    return bool(_AMOUNT_HINT_RE.search(text.lower()))
