"""Which language to answer a content question in (issue #21): English or Dutch.

A resident who writes in English gets the English answer of a question (``antwoord_en``). The
latest message decides; a message that says nothing about the language (a button, a payload,
one word such as "ok") leaves the language of the last message that does.

Names of Dutch regulations and organisations are left out before detection: "can I get
zorgtoeslag" reads as Dutch to the detector because of its one Dutch word.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker

from nlu.entities import default_matcher

#: How many earlier user messages are looked at when the latest does not tell the language.
LOOK_BACK = 5
#: A message with fewer words does not tell the language ("ok", "ja", "yes").
MIN_WORDS = 2
#: Without the names, this many words are left to tell the language; else the whole message.
MIN_WORDS_WITHOUT_NAMES = 3
_WORD = re.compile(r"[^\W\d_]+")


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
    """True when the resident writes in English: the latest message that tells the language is
    English before any other language, Dutch included (the offline detector in
    ``nlu/language.py``)."""
    from nlu.language import leads  # noqa: PLC0415 - loads lingua on first use

    texts = _telling_texts(list(tracker.events or []))
    latest = (tracker.latest_message or {}).get("text") or ""
    if not texts and len(latest.split()) >= MIN_WORDS and not latest.startswith("/"):
        texts = [latest]  # a tracker without the user event (tests, a single message)
    return bool(texts) and leads(without_names(texts[0]), "en")
