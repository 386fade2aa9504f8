"""'is deze chat gratis?': what this chat costs, said plainly, in the person's language.

Many people fear hidden costs (the seeds: "straks kost het geld"), and someone who asks whether
this chat is free gets a short, certain answer rather than a regulation that shares the word
"gratis" (free food). Dutch and English come from the domain (``utter_chat_gratis``); Turkish,
Arabic, Polish and Papiamentu from the core lines (``bot/crisis_talen.yml``, key ``gratis``).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import last_text
from knowledge.faq import asks_if_this_chat_is_free
from knowledge.glossary import added_words
from nlu.entities import default_matcher

#: The glossary's Dutch words for "free" in another language ("ücretsiz", "darmowe", "مجاني").
FREE_WORDS = frozenset({"gratis", "kosteloos"})


def asks_about_chat_cost(text: str, language: str | None) -> bool:
    """True when the message asks whether this chat costs money. In another language: its
    words for "free" (read by the glossary) in a message that names nothing the content knows
    ("bu uygulama ücretsiz mi?"); "is de voedselbank gratis" in Polish names the Voedselbank."""
    if language is None:
        return asks_if_this_chat_is_free(text)
    return bool(FREE_WORDS & set(added_words(text))) and not default_matcher().find(text)


def answer_chat_cost(
    dispatcher: CollectingDispatcher, tracker: Tracker, language: str | None = None
) -> list[dict[str, Any]] | None:
    """Say that this chat is free; None when the message does not ask. ``language``: the
    message's language when it is one of the core-line languages (see actions.taal)."""
    if not asks_about_chat_cost(last_text(tracker), language):
        return None
    from actions.crisis import language_lines  # noqa: PLC0415 - crisis imports kennis, kennis this

    line = (language_lines().get(language) or {}).get("gratis") if language else None
    if line:
        dispatcher.utter_message(text=line)
    else:
        dispatcher.utter_message(response="utter_chat_gratis")  # Dutch or English: the domain
    return []
