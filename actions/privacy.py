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

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

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
        first = not any(e.get("event") == "bot" for e in tracker.events)
        if first:
            dispatcher.utter_message(response="utter_privacy_kort", dagen=_days())
        return []


class ActionPrivacy(Action):
    """'wat doen jullie met mijn gegevens': what is kept, masked, for how long, and how to delete."""

    def name(self) -> str:
        return "action_privacy"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_privacy", dagen=_days())
        return []
