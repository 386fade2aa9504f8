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
from nlu.entities import extract


def _organisations_in_focus(tracker: Tracker) -> list[str]:
    """The organisation the conversation is about: the one whose question was answered last, else
    those named in the person's previous message, else in the assistant's last reply."""
    record = str(tracker.get_slot("vraag") or "").split(":")[0]
    if record and kb().organisation_services(record):
        return [record]
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    replies = [e.get("text") or "" for e in tracker.events if e.get("event") == "bot"]
    for text in [*texts[-2:-1], *replies[-1:]]:
        named = [e["value"] for e in extract(text) if e.get("entity") == "organisatie"]
        if named:
            return named[:1]
    return []


def answer_cost(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
    """What the organisation in focus costs, with its source; None when the message is not a
    question about cost or the social map does not say."""
    if not is_cost_question(last_text(tracker)):
        return None
    for org_id in _organisations_in_focus(tracker):
        services = [s for s in kb().organisation_services(org_id) if s.kosten]
        if services:
            s = services[0]
            dispatcher.utter_message(
                response="utter_kosten",
                organisatie=s.organisatie,
                kosten=s.kosten,
                bron_url=s.bron_url,
            )
            return []
    return None
