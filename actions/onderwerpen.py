"""Situations ("ik heb een aanmaning", "achter met de huur"): an opening sentence, the regulation
that helps, and places to go, all from ``bot/onderwerpen.yml`` and the knowledge base."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import gemeente, kb, places_text
from actions.kennis import ANSWER_SITUATION, answer_first, named_records
from actions.taal import writes_english
from knowledge import yamlfile
from knowledge.answers import resident_fields

MAP_FILE = Path(__file__).resolve().parent.parent / "bot" / "onderwerpen.yml"


@lru_cache(maxsize=1)
def topics() -> dict[str, dict[str, Any]]:
    return yamlfile.read(MAP_FILE)


#: A message that says more than its topic ("ik kan mijn zorgverzekering al 3 maanden niet
#: betalen") is a question, and a question from the content this close answers it better than the
#: topic's general text; a short message ("zorgverzekering", "ik heb schulden") keeps the overview.
ANSWER_TOPIC_QUESTION = 0.5
TOPIC_QUESTION_WORDS = 6


_ASKS = re.compile(
    r"\?|\b(wat|wie|hoe|waar|wanneer|welke|hoeveel|hoelang|kan ik|mag ik|moet ik|krijg ik"
    r"|what|how|when|where|can i)\b"
)


def asks_full_question(text: str) -> bool:
    """A message of at least TOPIC_QUESTION_WORDS words with a question word or mark."""
    return len(text.split()) >= TOPIC_QUESTION_WORDS and bool(_ASKS.search(text.lower()))


def topic_threshold(tracker: Tracker) -> float:
    """A longer message that asks something: a close question from the content answers it.
    A story without a question ("mijn ww stopt en de bijstand duurt weken") keeps the overview."""
    if asks_full_question(tracker.latest_message.get("text") or ""):
        return ANSWER_TOPIC_QUESTION
    return ANSWER_SITUATION


def say_regulation_card(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reg_ids: Iterable[str],
    english: bool = False,
) -> list[dict[str, Any]] | None:
    """The card of the first of ``reg_ids`` that exists and holds in the person's gemeente, with
    the regulation put in focus; None when none does."""
    where = gemeente(tracker)
    for reg_id in reg_ids:
        reg = kb().regeling(reg_id)
        if reg is None or reg.gemeente not in (None, where):
            continue
        dispatcher.utter_message(
            response="utter_onderwerp_regeling", **resident_fields(reg, english)
        )
        return [SlotSet("regeling", reg.id)]
    return None


class ActionOnderwerp(Action):
    def name(self) -> str:
        return "action_onderwerp"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answered = answer_first(dispatcher, tracker, topic_threshold(tracker))
        if answered is not None:
            return answered
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = topics().get(intent)
        if topic is None:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        where = gemeente(tracker)
        dispatcher.utter_message(response=topic["intro"])
        events: list[dict[str, Any]] = []
        # A regulation the message names goes first ("cjib" is not the toeslag repayment plan).
        named = named_records(tracker)["regeling"]
        ids = topic.get("regelingen", [])
        ordered = sorted(ids, key=lambda rid: rid not in named)
        events += say_regulation_card(dispatcher, tracker, ordered, writes_english(tracker)) or []
        places = kb().help_for(topic["onderwerp"], where, limit=2)
        if places:
            dispatcher.utter_message(
                response="utter_onderwerp_plekken",
                plekken=places_text(tracker, places),
            )
        return events
