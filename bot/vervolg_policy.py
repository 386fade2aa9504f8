"""A follow-up after an answer is read with the conversation, not as small talk.

"wat moet ik nu doen?", "wat is het nummer", "hoe laat zijn ze open": after a question about a
deurwaarder, Herstel Toeslagen or the Juridisch Loket these are follow-ups, but on their own the
classifier reads them as small talk, "wat kun je" or out of scope, and the answer ignores what was
just said. When the conversation has a topic and such a message names nothing new, this policy
sends it to ``action_fallback``, which asks the content with the previous message as context
(``actions.kennis.ranked_questions``) and otherwise asks what the person means.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policy_base import RuleInCodePolicy
from knowledge.faq import asks_if_this_chat_is_free, is_cost_question, is_follow_up, topic_words
from knowledge.glossary import added_words
from knowledge.text import normalize_text

FALLBACK = "action_fallback"
#: Intents that answer with something general (a joke, what the bot can do, "daar kan ik niet
#: mee helpen"): wrong for a follow-up. Topic intents keep their own path.
GENERAL = frozenset({"chitchat", "what_can_you_do", "out_of_scope"})
#: A greeting or goodbye of a few words is one ("tot ziens", "hoi hoi"); a longer message under
#: these intents may be a question the classifier misread: "tot welk inkomen mag dat" is no
#: goodbye but a follow-up about the Stadspas.
GREETINGS = frozenset({"greet", "goodbye"})
GREETING_WORDS = 3
#: Small talk about the assistant itself stays small talk ("hoe gaat het met je", "wie ben jij").
_ABOUT_THE_BOT = re.compile(
    r"\b(met je|met jou|ben je|ben jij|wie ben|hoe heet|jij een|je een (bot|robot|mens|computer)"
    r"|(wat|wie) (kun|kan) (je|jij)|what can you|are you|who are you|your name|grapje|haha|lol"
    r"|dank|bedankt|thanks|thank you)\b"
)
#: A question: a question mark, a question word first, or one that asks wherever it stands
#: ("tot welk inkomen mag dat").
_QUESTION = re.compile(
    r"\?|^(wat|wie|hoe|waar|wanneer|welke|welk|hoeveel|hoelang|kan|kun|mag|moet|is|zijn|heb|krijg"
    r"|en|maar|what|who|how|where|when|which|can|do|does|is|are)\b"
    r"|\b(hoe laat|hoe lang|tot wanneer|vanaf wanneer|hoeveel|welk|welke|waarom|what time|how long)\b"
)


def has_topic(tracker: DialogueStateTracker) -> bool:
    """The conversation is about something: a regulation or an answered question in focus, or
    the person's previous message had a topic word ("ik heb een brief van het cjib")."""
    if tracker.get_slot("regeling") or tracker.get_slot("vraag"):
        return True
    texts = [e.text or "" for e in tracker.events if isinstance(e, UserUttered)]
    earlier = [t for t in texts[:-1] if t and not t.startswith("/")]
    return bool(earlier and topic_words(earlier[-1]))


def _glossary_topic(text: str) -> bool:
    """A question in words the glossary knows ("tax office", "social assistance"): English or
    jargon for a topic of the content, which the classifier may take for out of scope."""
    return bool(_QUESTION.search(text.lower().strip())) and bool(
        topic_words(" ".join(added_words(text)))
    )


def names_something(tracker: DialogueStateTracker) -> bool:
    return any(
        e.get("entity") in {"regeling", "organisatie"} for e in tracker.latest_message.entities
    )


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class FollowUpPolicy(RuleInCodePolicy):
    """Sends a general-intent message to ``action_fallback`` when it names something the content
    knows, or is a follow-up in a conversation with a topic."""

    PRIORITY = 7

    @staticmethod
    def next_action(tracker: DialogueStateTracker) -> str | None:
        message = tracker.latest_message
        if tracker.active_loop_name or not message or tracker.get_slot("crisis_modus"):
            return None
        intent = (message.intent or {}).get("name")
        text = message.text or ""
        if text.startswith("/"):
            return None
        # "is deze chat gratis?" and "is dat gratis?" after an organisation read as free food
        # to the classifier: the fallback says what this chat or that organisation costs.
        free = asks_if_this_chat_is_free(text)
        general = intent in GENERAL or (intent in GREETINGS and len(text.split()) > GREETING_WORDS)
        cost = not general and is_cost_question(text)
        if not general and not cost and not free:
            return None
        if tracker.latest_action_name == FALLBACK:
            return ACTION_LISTEN_NAME  # the follow-up was answered (or asked about): wait
        if tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        if free:
            return FALLBACK
        if cost:
            return FALLBACK if not names_something(tracker) and has_topic(tracker) else None
        if _ABOUT_THE_BOT.search(normalize_text(text)):
            return None
        if names_something(tracker) or _glossary_topic(text):
            # "nummer van de kindertelefoon", "phone number of the tax office": what the content
            # knows is never out of scope.
            return FALLBACK
        if not has_topic(tracker) or not _QUESTION.search(text.lower().strip()):
            return None
        return FALLBACK if is_follow_up(text, False) else None
