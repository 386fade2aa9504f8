"""Money worries: concrete places to turn to, from the social map."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import gemeente, kb, places_text
from actions.kennis import ANSWER_SITUATION, answer_first, named_records, not_the_gemeente
from actions.onderwerpen import TOPIC_QUESTION_WORDS

#: A question of the organisation a money-worries story names answers it from this score up.
NAMED_ORGANISATION_ANSWER = 0.55


def _threshold(tracker: Tracker) -> float:
    """How close a question from the content must be to replace the general places. A story that
    names an organisation ("ik heb studieschuld bij duo en kan het maandbedrag niet betalen") asks
    about that organisation: its question answers at the bar of a full question."""
    text = tracker.latest_message.get("text") or ""
    if len(text.split()) >= TOPIC_QUESTION_WORDS and named_records(tracker).get("organisatie"):
        return NAMED_ORGANISATION_ANSWER
    return ANSWER_SITUATION


class ActionGeldzorgen(Action):
    """'wie bel je als je financieel in de problemen raakt': concrete places and how to reach them."""

    def name(self) -> str:
        return "action_geldzorgen"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answered = answer_first(dispatcher, tracker, _threshold(tracker))
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
