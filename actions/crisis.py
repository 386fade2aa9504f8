"""The crisis answer: calm, short, the right numbers from the social map, then a person."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import gemeente, kb
from knowledge.answers import service_block

CRISIS_FILE = Path(__file__).resolve().parent.parent / "bot" / "crisis.yml"
DEFAULT_CATEGORY = "suicide"


@lru_cache(maxsize=1)
def crisis_config() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(CRISIS_FILE.read_text(encoding="utf8"))


def crisis_places(categorie: str, resident_gemeente: str) -> list[str]:
    """Lines for the organisations of this category that serve the resident's area."""
    lines = []
    for org_id in crisis_config()[categorie]["organisaties"]:
        for svc in kb().organisation_services(org_id)[:1]:
            if svc.gemeente not in (None, resident_gemeente):
                continue
            lines.append(service_block(svc, max_channels=3))
    return lines


class ActionCrisis(Action):
    """Answers a crisis signal before anything else and offers a person."""

    def name(self) -> str:
        return "action_crisis"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        categorie = (
            next(tracker.get_latest_entity_values("crisis_categorie"), None) or DEFAULT_CATEGORY
        )
        config = crisis_config().get(categorie) or crisis_config()[DEFAULT_CATEGORY]
        places = crisis_places(
            categorie if categorie in crisis_config() else DEFAULT_CATEGORY, gemeente(tracker)
        )
        dispatcher.utter_message(response=config["response"], plekken="\n".join(places))
        return [SlotSet("handoff_reden", "crisis")]
