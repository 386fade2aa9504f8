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


# --- what this chat costs (actions/over.py) ----------------------------------------------------
from actions.over import answer_chat_cost  # noqa: E402 - kept next to its tests
from knowledge.faq import asks_if_this_chat_is_free  # noqa: E402


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "is deze chat gratis?",
        "Kost dit geld?",
        "moet ik betalen voor deze app",
        "is bestaanswijzer gratis",
        "is this app free?",
        "does this chat cost anything",
        "do i have to pay for this",
    ],
)
def test_a_question_about_what_this_chat_costs(text: str) -> None:
    assert asks_if_this_chat_is_free(text)


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "is de voedselbank gratis?",
        "is dat gratis?",  # the organisation in focus (answer_cost)
        "kost de zorgverzekering veel geld",
        "is het buurtteam gratis",
        "is legal aid free",
    ],
)
def test_other_cost_questions_are_not_about_this_chat(text: str) -> None:
    assert not asks_if_this_chat_is_free(text)


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("is deze chat gratis?", None, None),
        ("bu sohbet ücretsiz mi, sonra para istiyor musunuz", "tr", "ücretsizdir"),
        ("czy ten czat jest darmowy?", "pl", "bezpłatny"),
    ],
)
def test_this_chat_is_free_in_the_persons_language(text: str, language, expected) -> None:
    dispatcher = CollectingDispatcher()
    assert answer_chat_cost(dispatcher, _tracker([text]), language) == []
    [message] = dispatcher.messages
    if language is None:
        assert message["response"] == "utter_chat_gratis"  # its text: the domain, in nl or en
    else:
        assert expected in message["text"]


def test_a_free_question_in_polish_that_names_the_voedselbank_is_not_about_this_chat() -> None:
    dispatcher = CollectingDispatcher()
    assert answer_chat_cost(dispatcher, _tracker(["czy voedselbank jest darmowy?"]), "pl") is None
    assert dispatcher.messages == []
