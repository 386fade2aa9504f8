"""The fallback action: 'bedoel je ...?' buttons, direct answers, long stories, two in a row."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from nlu.entities import extract


def _tracker(text: str, ranking: list[tuple[str, float]], events: list[dict] | None = None):
    return Tracker.from_dict(
        {
            "sender_id": "unit",
            "slots": {"gemeente": "amsterdam", "regeling": None},
            "latest_message": {
                "text": text,
                "intent": {"name": "nlu_fallback", "confidence": 0.45},
                "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.45}]
                + [{"name": n, "confidence": c} for n, c in ranking],
                "entities": extract(text),
            },
            "events": (events or []) + [{"event": "user", "text": text}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def _run(t: Tracker) -> tuple[list[dict], list[dict]]:
    d = CollectingDispatcher()
    return d.messages, ActionFallback().run(d, t, {})


@pytest.fixture(autouse=True)
def _db(db_url):
    return db_url


@pytest.fixture
def intents_only(monkeypatch):
    """The intent-based readings on their own: no question from the content is close enough
    (the question path has its own tests below and in test_kennis.py)."""
    import actions.fallback

    monkeypatch.setattr(actions.fallback, "ANSWER_WHEN_LOST", 9.0)
    monkeypatch.setattr(actions.fallback, "suggest", lambda dispatcher, tracker: False)
    monkeypatch.setattr(actions.fallback, "answer_closest", lambda dispatcher, tracker, m: None)


def test_a_question_the_content_knows_is_answered_when_no_intent_fits():
    msgs, events = _run(
        _tracker("mag ik mijn auto houden in de bijstand", [("chitchat", 0.2), ("greet", 0.1)])
    )
    assert msgs[0]["response"] == "utter_vraag_antwoord"
    assert "auto" in msgs[0]["antwoord"].lower()
    assert {"event": "slot", "name": "regeling", "value": "bijstand"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_close_questions_are_offered_as_buttons():
    """Nothing is close enough to answer, several questions are close: 'bedoel je' with them."""
    msgs, _ = _run(_tracker("toeslag partner", [("chitchat", 0.2), ("greet", 0.1)]))
    assert msgs[0]["response"] == "utter_vraag_bedoel_je"
    titles = [b["title"] for b in msgs[0]["buttons"]]
    payloads = [b["payload"] for b in msgs[0]["buttons"]]
    assert len(titles) >= 3 and titles[-1] == "Met een mens praten"
    assert all(
        t == p for t, p in zip(titles[:-1], payloads[:-1], strict=True)
    )  # a tap asks the question


def test_two_close_readings_ask_bedoel_je_with_buttons_and_keep_the_regulation(intents_only):
    msgs, events = _run(
        _tracker("stadspas kinderen kosten", [("kinderen_kosten", 0.3), ("regelcheck", 0.2)])
    )
    assert msgs[0]["response"] == "utter_bedoel_je"
    payloads = [b["payload"] for b in msgs[0]["buttons"]]
    assert payloads == ["/kinderen_kosten", "/regelcheck", "/what_can_you_do"]
    assert {"event": "slot", "name": "regeling", "value": "stadspas_amsterdam"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_clear_regulation_with_a_regulation_reading_is_answered_directly(intents_only):
    msgs, events = _run(
        _tracker(
            "wat is de collectieve zorgverzekering",
            [("regeling_uitleg", 0.43), ("zorgverzekering", 0.15)],
        )
    )
    assert msgs == []
    assert events[-1] == {"event": "followup", "name": "action_regeling_uitleg", "timestamp": None}


def test_one_unclear_reading_asks_to_rephrase():
    msgs, _ = _run(_tracker("blorp", [("chitchat", 0.2), ("greet", 0.05)]))
    assert msgs[0]["response"] == "utter_default"


def test_long_story_offers_the_buurtteam_with_a_button(intents_only):
    story = " ".join(["ik heb schulden en mijn huis en mijn werk en alles gaat mis"] * 2)
    msgs, events = _run(_tracker(story, [("schuld_aanmaning", 0.3), ("uitzetting", 0.2)]))
    assert msgs[0]["response"] == "utter_lang_verhaal"
    assert msgs[1]["response"] == "utter_meer_hulp_aanbod"
    assert not any(e.get("event") == "followup" for e in events)  # no form starts by itself


def test_second_misunderstanding_in_a_row_offers_a_person():
    earlier = [
        {"event": "user", "text": "blorp"},
        {"event": "action", "name": "action_fallback"},
        {"event": "bot", "text": "Sorry", "metadata": {"utter_action": "utter_default"}},
        {"event": "action", "name": "action_listen"},
    ]
    msgs, _ = _run(_tracker("snorf", [("chitchat", 0.2)], earlier))
    assert msgs[0]["response"] == "utter_default_mens"
    # A fallback that answered from the content understood the person: not a second miss.
    answered = [dict(e) for e in earlier]
    answered[2]["metadata"] = {"utter_action": "utter_vraag_antwoord"}
    msgs, _ = _run(_tracker("snorf", [("chitchat", 0.2)], answered))
    assert msgs[0]["response"] != "utter_default_mens"
    # ...but not when something else was answered in between
    earlier.insert(2, {"event": "action", "name": "utter_greet"})
    earlier.insert(2, {"event": "user", "text": "hoi"})
    msgs, _ = _run(_tracker("snorf", [("chitchat", 0.2)], earlier))
    assert msgs[0]["response"] == "utter_default"


def test_a_long_story_gets_the_closest_answer_and_then_a_person(monkeypatch):
    """A story no intent places got only 'het is veel'; now the closest question's answer comes
    first (from LONG_STORY_ANSWER), and a buurtteam member is offered after it."""
    import actions.fallback

    monkeypatch.setattr(actions.fallback, "ANSWER_WHEN_LOST", 9.0)  # not answered before the story
    story = (
        "Sinds mijn scheiding gaat alles mis, ik heb schulden bij de zorgverzekeraar en de "
        "energie en ik durf de post niet meer open te maken. Waar kan ik me aanmelden voor hulp "
        "bij mijn schulden?"
    )
    msgs, events = _run(_tracker(story, [("chitchat", 0.2), ("greet", 0.1)]))
    assert msgs[0]["response"] == "utter_vraag_antwoord", msgs[0]
    assert "schuld" in msgs[0]["antwoord"].lower()
    assert msgs[-1]["response"] == "utter_meer_hulp_aanbod"
    assert {"event": "slot", "name": "handoff_reden", "value": "meerdere_problemen"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_a_full_question_gets_the_closest_answer_with_the_others_as_buttons(monkeypatch):
    """Between 'bedoel je' and a clear answer, a full question (FULL_QUESTION_WORDS) gets the
    closest answer first; the other close questions stay one tap away. A short one ("toeslag
    partner", above) is still asked what it means."""
    import actions.fallback

    monkeypatch.setattr(actions.fallback, "ANSWER_WHEN_LOST", 9.0)
    msgs, _ = _run(
        _tracker("mag ik mijn auto houden in de bijstand", [("chitchat", 0.2), ("greet", 0.1)])
    )
    assert msgs[0]["response"] == "utter_vraag_antwoord"
    assert "auto" in msgs[0]["antwoord"].lower()
    # two other bijstand questions score above SUGGEST (werken, bijverdienen): offered as buttons
    assert msgs[1]["response"] == "utter_vraag_of_bedoel_je"
    assert len(msgs[1]["buttons"]) == 2 and all(b["payload"] for b in msgs[1]["buttons"])
