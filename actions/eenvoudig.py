"""Short mode for residents who read with difficulty (issue #21).

Someone who says "ik kan niet goed lezen" gets, from then on, the first sentences of each answer,
one step, and a person who can call them. The words that switch it on and off are data
(``bot/eenvoudig.yml``); the ``eenvoudig`` slot keeps the choice for the conversation.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rasa_sdk import Tracker

from knowledge import yamlfile
from knowledge.text import strip_accents

DATA_FILE = Path(__file__).resolve().parent.parent / "bot" / "eenvoudig.yml"
#: An answer in short mode: this many sentences (the answer comes first in every content answer).
SHORT_SENTENCES = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9€])")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    data = yamlfile.read(DATA_FILE)
    return {
        key: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in data[key]) + r")")
        for key in ("aan", "uit")
    }


def _plain(text: str) -> str:
    return strip_accents(text.lower().replace("'", " "))


def asks_simple(text: str) -> bool | None:
    """True when the message says reading is hard or asks for shorter answers, False when it asks
    for the full answers again, None when it says neither."""
    plain = _plain(text)
    if _patterns()["uit"].search(plain):
        return False
    if _patterns()["aan"].search(plain):
        return True
    return None


def without_reading_words(text: str) -> str:
    """The message without what it says about reading: what is left may be a question."""
    return _patterns()["aan"].sub(" ", _plain(text))


def simple_mode(tracker: Tracker) -> bool:
    """Short answers for this conversation: the slot is on, or this message switches it on."""
    told = asks_simple((tracker.latest_message or {}).get("text") or "")
    if told is not None:
        return told
    return bool(tracker.get_slot("eenvoudig"))


#: A sentence that is a step to take: who to call or go to, what to do.
_STEP = re.compile(
    r"^(?:bel|ga|vraag|neem|kijk|log|meld|stuur|zoek|call|go|ask|contact|apply|look)\b"
    r"|\b(?:0800|0900|14 ?020|buurtteam)\b",
    re.IGNORECASE,
)


def short(text: str, sentences: int = SHORT_SENTENCES) -> str:
    """The first sentences of an answer (what it says first is the answer itself), and its first
    step when those sentences hold none: "Ga naar het buurtteam" must not be cut off."""
    parts = _SENTENCE_END.split(" ".join(text.split()))
    head = parts[:sentences]
    while len(head) > 1 and head[-1].endswith("?"):
        head.pop()  # "Heb je een toeslagpartner?" without what follows it only confuses
    if not any(_STEP.search(p) for p in head):
        head += [p for p in parts[sentences:] if _STEP.search(p)][:1]
    return " ".join(head)
