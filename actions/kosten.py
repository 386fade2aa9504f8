"""'is dat gratis?', 'kost dat geld?': a follow-up about cost, answered from the social map.

Many people fear hidden costs (the seeds: "ik durf niet te bellen, straks kost het geld"). After
an answer about an organisation, the follow-up asks what that organisation costs; the social map
holds it per service (``kosten``). The classifier reads such a short question as anything with
"gratis" in it (free food); the follow-up policy sends it here instead (bot/vervolg_policy.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import kb, last_text
from knowledge.faq import is_cost_question
from knowledge.views import ServiceView
from nlu.entities import extract


def _services_in_focus(tracker: Tracker) -> list[ServiceView]:
    """The services of the organisation the conversation is about: the one whose question was
    answered last, else the first named in the person's previous message, else in the assistant's
    last reply."""
    record = str(tracker.get_slot("vraag") or "").split(":")[0]
    if record and (services := kb().organisation_services(record)):
        return services
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    replies = [e.get("text") or "" for e in tracker.events if e.get("event") == "bot"]
    for text in [*texts[-2:-1], *replies[-1:]]:
        named = [e["value"] for e in extract(text) if e.get("entity") == "organisatie"]
        if named:
            return kb().organisation_services(named[0])
    return []


def answer_cost(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
    """What the organisation in focus costs, with its source; None when the message is not a
    question about cost or the social map does not say."""
    if not is_cost_question(last_text(tracker)):
        return None
    services = [s for s in _services_in_focus(tracker) if s.kosten]
    if not services:
        return None
    dispatcher.utter_message(
        response="utter_kosten",
        organisatie=services[0].organisatie,
        kosten=services[0].kosten,
        bron_url=services[0].bron_url,
    )
    return []
