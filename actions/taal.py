"""Which language to answer a content question in (issue #21): English or Dutch.

A resident who writes in English gets the English answer of a question (``antwoord_en``). The
latest message decides; a message that says nothing about the language (a button, a payload,
one word such as "ok") leaves the language of the last message that does.

Names of Dutch regulations and organisations are left out before detection: "can I get
zorgtoeslag" reads as Dutch to the detector because of its one Dutch word.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa_sdk import Tracker, ValidationAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.eenvoudig import asks_simple
from knowledge.glossary import added_words
from nlu.entities import default_matcher

#: A message needs this many words before a note in its language is added.
NOTE_WORDS = 3
#: How many earlier user messages are looked at when the latest does not tell the language.
LOOK_BACK = 5
#: A message with fewer words does not tell the language ("ok", "ja", "yes").
MIN_WORDS = 2
#: Without the names, this many words are left to tell the language; else the whole message.
MIN_WORDS_WITHOUT_NAMES = 3
_WORD = re.compile(r"[^\W\d_]+")
#: Common English and Dutch words: a message must hold some to change the conversation's language.
_ENGLISH_WORDS = frozenset(
    "i you my me the a an are am was what how much many can could do does to for of on it"
    " have has get got please want and with where when who why this that not no yes will would"
    " should need help hello hi thanks thank if i'm our they she his her your from at be is".split()
)
#: A short message ("what is huurtoeslag?") is too short for the detector, which reads the Dutch
#: name: its words decide when it has English words only (words both languages share aside).
SHORT_MESSAGE_WORDS = 5
_DUTCH_WORDS = frozenset(
    "ik je jij u mijn de het een is zijn wat hoe hoeveel kan kun kunnen ik niet en van voor met op"
    " te dat er heb hebt ben wil moet mag krijg graag waar wie wanneer waarom ook nog maar als"
    " dit die wij we hij zij ze naar bij om mij jou jullie hallo hoi help doe weet dank bedankt".split()
)
#: "English please", "in het Nederlands graag": the person chooses the language.
_ASKS_ENGLISH = re.compile(
    r"\b(english please|in english|speak english|english\?|answer in english|engels graag"
    r"|in het engels)\b|^(english|engels)$"
)
_ASKS_DUTCH = re.compile(
    r"\b(in het nederlands|nederlands graag|in dutch|dutch please|speak dutch|nederlands\?)\b"
    r"|^(nederlands|dutch)$"
)


def without_names(text: str) -> str:
    """The message without the names of regulations, organisations and places it holds, when
    enough words are left to tell the language ("wat is zorgtoeslag" stays whole)."""
    chars = list(text)
    for match in default_matcher().find(text):
        chars[match.start : match.end] = " " * (match.end - match.start)
    out = "".join(chars)
    return out if len(_WORD.findall(out)) >= MIN_WORDS_WITHOUT_NAMES else text


def _button_texts(event: dict[str, Any] | None) -> set[str]:
    """Titles and payloads of the buttons a bot message offered."""
    if not event:
        return set()
    buttons = (event.get("data") or {}).get("buttons") or []
    return {str(b.get(k) or "").strip() for b in buttons for k in ("title", "payload")}


def _telling_texts(events: list[dict[str, Any]]) -> list[str]:
    """User texts that tell the language, latest first: no payloads, buttons or single words."""
    out: list[str] = []
    last_bot: dict[str, Any] | None = None
    for event in events:
        if event.get("event") == "bot":
            last_bot = event
        elif event.get("event") == "user":
            text = (event.get("text") or "").strip()
            offered = _button_texts(last_bot)
            if not text.startswith("/") and text not in offered and len(text.split()) >= MIN_WORDS:
                out.append(text)
    return out[::-1][:LOOK_BACK]


def writes_english(tracker: Tracker) -> bool:
    """True when the answer should be English: the latest message asks for it or is English, or
    it tells nothing and the conversation's language (the ``taal`` slot) is English."""
    told = told_language(tracker)
    if told is not None:
        return told == "en"
    if tracker.get_slot("taal") is not None:
        return tracker.get_slot("taal") == "en"
    return _detects_english(tracker)


def _detects_english(tracker: Tracker) -> bool:
    """True when the latest message that tells the language is English before any other
    language, Dutch included (the offline detector in ``nlu/language.py``)."""
    from nlu.language import leads  # noqa: PLC0415 - loads lingua on first use

    texts = _telling_texts(list(tracker.events or []))
    latest = (tracker.latest_message or {}).get("text") or ""
    if not texts and len(latest.split()) >= MIN_WORDS and not latest.startswith("/"):
        texts = [latest]  # a tracker without the user event (tests, a single message)
    if not texts:
        return False
    words = set(_WORD.findall(texts[0].lower()))
    if len(texts[0].split()) < SHORT_MESSAGE_WORDS:
        english, dutch = words & _ENGLISH_WORDS, words & _DUTCH_WORDS
        if english - dutch and not dutch - english:
            return True  # "what is huurtoeslag?", "how much bijstand"
    return leads(without_names(texts[0]), "en")


def told_language(tracker: Tracker) -> str | None:
    """The language the latest message tells: 'en' or 'nl' (also when the person asks for it:
    "English please", "in het Nederlands graag"), or None when it tells nothing (a button, a
    payload, one word), so the language of the conversation stays."""
    latest = ((tracker.latest_message or {}).get("text") or "").strip()
    low = latest.lower()
    if _ASKS_DUTCH.search(low):
        return "nl"
    if _ASKS_ENGLISH.search(low):
        return "en"
    texts = _telling_texts(list(tracker.events or []))
    if not texts or texts[0] != latest:
        return None
    # The detector guesses a language for anything, also for "flurp blarg snorf": a switch
    # needs words of that language as well.
    words = set(_WORD.findall(without_names(latest).lower()))
    if _detects_english(tracker):
        return "en" if len(words & _ENGLISH_WORDS) >= 2 else None
    return "nl" if words & _DUTCH_WORDS else None


class ActionValidateSlotMappings(ValidationAction):
    """Runs on every message (Rasa's slot extraction): sets the ``taal`` slot when the message
    tells the language, so every response is given in English (its ``taal: en`` variant) or
    Dutch, and the ``eenvoudig`` slot when it says reading is hard (short answers)."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return ["taal", "eenvoudig"]

    def extract_eenvoudig(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "ik kan niet goed lezen": short answers from now on; "gewone antwoorden": full again."""
        told = asks_simple((tracker.latest_message or {}).get("text") or "")
        if told is None or told == bool(tracker.get_slot("eenvoudig")):
            return {}
        return {"eenvoudig": told}

    def extract_taal(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        language = told_language(tracker)
        if language is None or language == tracker.get_slot("taal"):
            return {}
        return {"taal": language}


def language_note(tracker: Tracker) -> str | None:
    """For a message in a language we have core lines for but no answers (Turkish, Arabic,
    Polish, Papiamentu): the line in that language that says this chat answers in Dutch or
    English and that a buurtteam worker can help (bot/crisis_talen.yml). None for Dutch and
    English."""
    return note_in(other_language_of(tracker))


def note_in(language: str | None) -> str | None:
    """The line of ``language_note`` for a language already detected (None for none)."""
    from actions.crisis import language_lines  # noqa: PLC0415 - crisis imports kennis, kennis this

    return None if language is None else (language_lines().get(language) or {}).get("taal")


def other_language_of(tracker: Tracker) -> str | None:
    """The language of the latest message when it is one we have core lines for but no answers
    ('tr', 'ar', 'pl', 'pap'); None for Dutch, English, and messages too short to tell."""
    from nlu.language import other_language  # noqa: PLC0415 - loads lingua on first use

    text = (tracker.latest_message or {}).get("text") or ""
    if len(_WORD.findall(text)) < NOTE_WORDS:
        return None  # "blorp": the detector guesses a language for any word
    lang = other_language(text)
    return None if lang in (None, "en") else lang


def dutch_view(text: str) -> str:
    """What the Dutch content can read of a message in another language: the names of
    regulations, organisations and places it holds ("kinderbijslag", "DUO"), its numbers (also
    in Arabic-Indic digits) and the glossary's Dutch words for its own words ("belediye" ->
    gemeente). '' when none: the ranker then has nothing to compare."""
    ascii_digits = "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text
    )
    names = [ascii_digits[m.start : m.end] for m in default_matcher().find(ascii_digits)]
    numbers = re.findall(r"\d+", ascii_digits)
    return " ".join([*names, *numbers, *added_words(ascii_digits)])
