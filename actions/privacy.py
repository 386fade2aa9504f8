"""'verwijder mijn gesprek': the confirmed deletion of everything about this resident.

The flow (rules in bot/data/privacy.yml): the intent ``verwijder_gesprek`` gets
``utter_verwijder_vraag`` (buttons "Ja, verwijder alles" / "Nee"); "nee" gets
``utter_verwijder_niet``; "ja" runs this action. The action only confirms: it cannot delete the
tracker it runs in, because Rasa saves the tracker after the action. The deletion itself happens
in the Rasa server when it saves this turn: ``channels.tracker_store.PrivateSQLTrackerStore`` sees
this action's ``ActionExecuted`` and removes the conversation, the cases, notes and outbox, and the
channel state (``bot.privacy.forget``). That also works when this action server is down.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import last_text
from actions.kennis import CONTACT, question_beyond, say_answer
from actions.taal import language_note
from knowledge.text import normalize_text
from nlu.crisis_frame import is_privacy_request

ACTION_NAME = "action_verwijder_gesprek"


class ActionVerwijderGesprek(Action):
    """Confirm the deletion to the resident; the tracker store does the deleting."""

    def name(self) -> str:
        return ACTION_NAME

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_verwijder_klaar")
        return []


def _days() -> int:
    from bot.privacy import retention_days  # noqa: PLC0415 - keeps the import light

    return retention_days()


class ActionGreet(Action):
    """Greeting; the first time in a conversation with a short privacy statement (what, how long)."""

    def name(self) -> str:
        return "action_greet"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_greet")
        if (note := language_note(tracker)) is not None:
            dispatcher.utter_message(text=note)  # "merhaba": who can help, in Turkish
        first = not any(e.get("event") == "bot" for e in tracker.events)
        if first:
            dispatcher.utter_message(response="utter_privacy_kort", dagen=_days())
        return []


#: Words about what this chat stores; a question left after them may be about something else.
#: "anoniem" stays: "kan ik ergens anoniem bellen?" asks for anonymous help (Geldfit).
_PRIVACY_FRAME = re.compile(
    r"\b(privacy|gegevens|data|opgeslagen|opslaan|bewaren|bewaard|delen|gedeeld|meelezen|"
    r"meelees\w*|leest|lezen|stored|store|share|shared)\b"
)
#: The message is about this chat itself: "is dit anoniem", "delen jullie dit", "gaat dit naar".
_ABOUT_THIS_CHAT = re.compile(
    r"\b(dit|jullie|deze chat|dit gesprek|this chat|you store|you share)\b"
)


#: Words about what is stored or shared: with these, a number in the message is about privacy.
_STORAGE = re.compile(
    r"\b(privacy|gegevens|data|opgeslagen|opslaan|bewaren|bewaard|bewaar|delen|gedeeld|deel|"
    r"meelezen|meelees\w*|onleesbaar|verwijder\w*|wis|wissen|stored|store|share|shared|delete)\b"
)


def asks_how_to_reach(text: str) -> bool:
    """'hebben jullie het telefoonnummer?', 'kan zij ergens anoniem bellen?': a question how to
    reach someone, which the classifier may read as privacy because of 'nummer' or 'anoniem'."""
    low = normalize_text(text)
    return bool(CONTACT.search(low)) and not _STORAGE.search(low)


class ActionPrivacy(Action):
    """'wat doen jullie met mijn gegevens': what is kept, masked, for how long, and how to delete."""

    def name(self) -> str:
        return "action_privacy"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = last_text(tracker)
        # "does my klantmanager read what i type here?", "czy gmina zobaczy to co pisze?": the
        # crisis frame's privacy words (bot/crisis_kader.yml) say it is about this chat too.
        plainly = is_privacy_request(text)
        about_chat = plainly or bool(_ABOUT_THIS_CHAT.search(normalize_text(text)))
        hit = None if about_chat else question_beyond(tracker, _PRIVACY_FRAME)
        if hit is not None:
            # "kan ik ergens anoniem bellen over mijn schulden?": a question about help that is
            # anonymous, not about what this chat stores.
            return say_answer(dispatcher, hit, tracker=tracker)
        if not plainly and asks_how_to_reach(text):
            # Not about this chat's data: who to call, with the conversation as context.
            from actions.fallback import ActionFallback  # noqa: PLC0415 - fallback imports kennis

            return ActionFallback().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_privacy", dagen=_days())
        return []
