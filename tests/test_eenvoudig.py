"""Short mode for residents who read with difficulty (issue #21, actions/eenvoudig.py): the words
that switch it, the short answer, and the real actions with a tracker as Rasa sends it."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.eenvoudig import asks_simple, short


@pytest.mark.parametrize(
    "text",
    [
        "ik kan nie goed leze",
        "ik lees heel slecht, kun je het korter zeggen",
        "lezen is moeilijk voor mij",
        "ik heb dyslexie",
        "te veel tekst",
        "I can't read very well",
    ],
)
def test_saying_reading_is_hard_switches_short_answers_on(text):
    assert asks_simple(text) is True


@pytest.mark.parametrize(
    "text", ["hoe vraag ik zorgtoeslag aan", "ik heb de brief gelezen, wat nu?", "lees je mee?"]
)
def test_other_messages_say_nothing_about_reading(text):
    assert asks_simple(text) is None


def test_asking_for_the_full_answers_switches_it_off():
    assert asks_simple("gewone antwoorden graag") is False


def test_a_short_answer_is_its_first_two_sentences():
    text = "Ja, dat kan. De SVB beslist erover. Dat duurt 8 weken. Je krijgt een brief."
    assert short(text) == "Ja, dat kan. De SVB beslist erover."
    # a question at the cut is left out: without what follows it, it only confuses
    assert short("Ja. Heb je een partner? Dan is het meer.") == "Ja."
    assert short("In 2026 is het € 1.401,50 per maand. Dat is netto.") == (
        "In 2026 is het € 1.401,50 per maand. Dat is netto."
    )


def _tracker(text: str, eenvoudig: bool | None = None) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "unit",
            "slots": {"gemeente": "amsterdam", "eenvoudig": eenvoudig, "taal": None},
            "latest_message": {
                "text": text,
                "intent": {"name": "nlu_fallback", "confidence": 0.3},
                "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}],
                "entities": [],
            },
            "events": [{"event": "user", "text": text}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


@pytest.fixture
def _db(db_url):
    return db_url


@pytest.mark.usefixtures("_db")
@pytest.mark.parametrize("text", ["ik kan nie goed leze", "I can't read very well"])
def test_the_fallback_says_short_mode_is_on_and_offers_a_call(text):
    from actions.fallback import ActionFallback

    d = CollectingDispatcher()
    events = ActionFallback().run(d, _tracker(text), {})
    # only the acknowledgement: the words about reading are no question for the content
    assert [m.get("response") for m in d.messages] == ["utter_eenvoudig_aan"]
    assert {"event": "slot", "name": "eenvoudig", "value": True} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


@pytest.mark.usefixtures("_db")
def test_in_short_mode_an_answer_is_short_with_a_call_button():
    from actions.common import kb
    from actions.kennis import say_answer

    question = "hoeveel spaargeld mag ik hebben voor zorgtoeslag"
    hit = kb().ask(question, gemeente="amsterdam", limit=1)[0]
    full, brief = CollectingDispatcher(), CollectingDispatcher()
    say_answer(full, hit, tracker=_tracker(question))
    say_answer(brief, hit, tracker=_tracker(question, eenvoudig=True))
    long_text, short_text = full.messages[0]["antwoord"], brief.messages[0]["antwoord"]
    first = long_text.split(". ")[0]
    assert len(short_text) < len(long_text) and short_text.startswith(first)
    assert brief.messages[0]["buttons"] == [{"title": "Bel mij", "payload": "/vraag_mens"}]
    assert "146.011" in short_text  # the answer itself comes first and stays


def test_a_short_answer_keeps_its_first_step():
    text = (
        "Je gemeente moet je helpen met je schulden. Dat heet schuldhulpverlening. Woon je in"
        " Amsterdam? Ga dan naar het buurtteam. Bel ook gratis Geldfit."
    )
    assert short(text).endswith("Ga dan naar het buurtteam.")
    assert "Geldfit" not in short(text)


@pytest.mark.usefixtures("_db")
def test_in_short_mode_a_regulation_card_is_summary_step_and_a_call():
    from actions.common import kb
    from actions.regelingen import ActionRegelingUitleg

    full, brief = CollectingDispatcher(), CollectingDispatcher()
    reg = kb().regeling("huurtoeslag")
    for d, mode in ((full, None), (brief, True)):
        ActionRegelingUitleg().answer(d, _tracker("wat is huurtoeslag", eenvoudig=mode), reg)
    names = [m.get("response") for m in brief.messages]
    assert names == [
        "utter_regeling_uitleg",
        "utter_regeling_volgende_stap",
        "utter_eenvoudig_bellen",
    ], names
    assert "utter_regeling_let_op" in [m.get("response") for m in full.messages]
    summary = {m.get("response"): m for m in brief.messages}["utter_regeling_uitleg"]
    assert len(summary["samenvatting"]) < len(full.messages[0]["samenvatting"])


@pytest.mark.parametrize(
    ("text", "slot", "extracted"),
    [
        ("ik kan nie goed leze", None, {"eenvoudig": True}),
        ("ik kan nie goed leze", True, {}),
        ("gewone antwoorden graag", True, {"eenvoudig": False}),
        ("hoeveel zorgtoeslag krijg ik", True, {}),
    ],
)
def test_the_slot_follows_what_the_person_says_about_reading(text, slot, extracted):
    from actions.taal import ActionValidateSlotMappings

    tracker = _tracker(text, eenvoudig=slot)
    assert ActionValidateSlotMappings().extract_eenvoudig(None, tracker, {}) == extracted


@pytest.mark.usefixtures("_db")
def test_a_question_in_the_same_message_is_answered_short():
    from actions.fallback import ActionFallback

    d = CollectingDispatcher()
    ActionFallback().run(
        d, _tracker("ik kan niet goed lezen. hoeveel spaargeld mag ik hebben voor zorgtoeslag"), {}
    )
    names = [m.get("response") for m in d.messages]
    assert names[0] == "utter_eenvoudig_aan" and "utter_vraag_antwoord" in names, names
