"""A follow-up about cost ('is dat gratis?') is answered from the social map (actions/kosten.py):
the real action, the real knowledge base, a tracker as Rasa sends it."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.kosten import answer_cost
from knowledge.faq import is_cost_question


@pytest.fixture(autouse=True)
def _db(db_url):
    return db_url


def _tracker(turns: list[str], bot_reply: str | None = None) -> Tracker:
    events: list[dict] = [{"event": "user", "text": turns[0]}]
    if bot_reply:
        events.append({"event": "bot", "text": bot_reply})
    events += [{"event": "user", "text": t} for t in turns[1:]]
    return Tracker.from_dict(
        {
            "sender_id": "unit",
            "slots": {"gemeente": "amsterdam"},
            "latest_message": {"text": turns[-1], "intent": {"name": "eten"}, "entities": []},
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


@pytest.mark.parametrize(
    "text", ["is dat gratis?", "en is het wel gratis", "kost dat geld?", "moet ik daarvoor betalen"]
)
def test_a_short_question_about_cost_is_recognised(text):
    assert is_cost_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "waar kan ik gratis eten krijgen",
        "is de voedselbank gratis",
        "gratis luiers",
        "is het vrij op maandag",
    ],
)
def test_a_question_that_names_its_own_subject_is_not_a_cost_follow_up(text):
    assert not is_cost_question(text)


def test_the_cost_of_the_organisation_named_before():
    dispatcher = CollectingDispatcher()
    events = answer_cost(dispatcher, _tracker(["wat doet het juridisch loket", "kost dat geld?"]))
    assert events == []
    msg = dispatcher.messages[0]
    assert msg["response"] == "utter_kosten"
    assert msg["organisatie"] == "Het Juridisch Loket"
    assert "0,25" in msg["kosten"] and msg["bron_url"].startswith("https://")


def test_the_cost_of_the_organisation_in_the_last_reply():
    dispatcher = CollectingDispatcher()
    tracker = _tracker(["ik zit in de schulden, wie bel ik", "is dat gratis?"], "Bel GeldFit.")
    assert answer_cost(dispatcher, tracker) == []
    assert dispatcher.messages[0]["kosten"] == "gratis"


def test_no_organisation_in_focus_leaves_the_question_to_the_content():
    dispatcher = CollectingDispatcher()
    assert answer_cost(dispatcher, _tracker(["wat is de stadspas", "is dat gratis?"])) is None
    assert dispatcher.messages == []
