"""Money worries: concrete places to turn to, from the social map."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import gemeente, kb, places_text
from actions.kennis import ANSWER_SITUATION, answer_first, not_the_gemeente


class ActionGeldzorgen(Action):
    """'wie bel je als je financieel in de problemen raakt': concrete places and how to reach them."""

    def name(self) -> str:
        return "action_geldzorgen"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answered = answer_first(dispatcher, tracker, ANSWER_SITUATION)
        if answered is not None:
            return answered
        places = kb().help_for("schulden", gemeente(tracker), limit=6)
        if not_the_gemeente(tracker):
            # "ik wil niet naar de gemeente": places that are not the gemeente itself.
            places = [p for p in places if p.organisatie_soort not in ("gemeente", "overheid")]
        places = places[:3]
        dispatcher.utter_message(response="utter_geldzorgen_intro")
        if places:
            dispatcher.utter_message(
                response="utter_geldzorgen_plekken",
                plekken=places_text(tracker, places),
            )
        dispatcher.utter_message(response="utter_geldzorgen_vraag")
        return []
