"""A doubt (a middling crisis score) checks first and still answers a clear question
(actions/crisis.py): the real action, the real knowledge base, a tracker as Rasa sends it."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import ActionCrisis
from nlu.entities import extract


def _tracker(
    text: str, zekerheid: str, categorie: str = "suicide", ook: tuple[str, ...] = ()
) -> Tracker:
    entities = extract(text) + [
        {"entity": "crisis_categorie", "value": categorie},
        {"entity": "crisis_zekerheid", "value": zekerheid},
        *({"entity": "crisis_ook", "value": other} for other in ook),
    ]
    return Tracker.from_dict(
        {
            "sender_id": "unit",
            "slots": {"gemeente": "amsterdam", "regeling": None, "crisis_modus": None},
            "latest_message": {
                "text": text,
                "intent": {"name": "crisis", "confidence": 1.0},
                "intent_ranking": [{"name": "crisis", "confidence": 1.0}],
                "entities": entities,
            },
            "events": [{"event": "user", "text": text}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


@pytest.fixture(autouse=True)
def _db(db_url):
    return db_url


def _run(
    text: str, zekerheid: str, categorie: str = "suicide", ook: tuple[str, ...] = ()
) -> tuple[list[dict], list[dict]]:
    d = CollectingDispatcher()
    events = ActionCrisis().run(d, _tracker(text, zekerheid, categorie, ook), {})
    return d.messages, events


def test_a_doubt_checks_first_then_answers_the_question():
    messages, events = _run(
        "het is allemaal zwaar. wat is de vermogensgrens in de bijstand?", "twijfel"
    )
    names = [m.get("response") for m in messages]
    assert names[0] == "utter_crisis_twijfel_suicide"  # the check and 113 come first
    assert "utter_vraag_antwoord" in names  # then the answer to what was asked
    assert names[-1] == "utter_crisis_twijfel_keuze"  # and the check stays the open question
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["crisis_twijfel"] is True
    assert slots["crisis_vraag"] is None  # answered, so nothing is kept for later


def test_a_faint_doubt_in_a_money_question_answers_first_and_checks_after():
    """``na_vraag``: the question asked comes first, the check and 113 follow in the same reply."""
    messages, events = _run(
        "wat is de vermogensgrens in de bijstand voor een alleenstaande?", "na_vraag"
    )
    names = [m.get("response") for m in messages]
    assert names[0] == "utter_vraag_antwoord"
    assert "utter_crisis_twijfel_suicide" in names  # the check still comes, after the answer
    assert names.index("utter_crisis_twijfel_suicide") > names.index("utter_vraag_antwoord")
    assert names.count("utter_vraag_antwoord") == 1
    assert {"event": "slot", "name": "crisis_twijfel", "value": True} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_a_faint_doubt_the_content_cannot_answer_checks_first():
    messages, _ = _run("kan ik daar iets aan doen, wat kost dat eigenlijk allemaal?", "na_vraag")
    names = [m.get("response") for m in messages]
    assert names[0] == "utter_crisis_twijfel_suicide"


def test_a_doubt_about_a_full_question_answers_what_it_would_have_answered_without_it():
    """A full question the content answers less than clearly (a score between ANSWER_WHEN_LOST
    and ANSWER) still gets its answer after the check: without the check it would have."""
    text = (
        "ik zit in de bijstand en kan 10 uur per week in een winkel werken. mag ik iets van dat"
        " loon houden of gaat alles eraf?"
    )
    messages, _ = _run(text, "twijfel")
    names = [m.get("response") for m in messages]
    assert names[0] == "utter_crisis_twijfel_suicide"
    assert "utter_vraag_antwoord" in names, names
    # a short message in doubt is not answered from a middling match
    messages, _ = _run("zwaar allemaal, bijstand werken?", "twijfel")
    assert "utter_vraag_antwoord" not in [m.get("response") for m in messages]


def test_a_sure_crisis_does_not_answer_the_money_question_now():
    messages, _ = _run(
        "ik wil er niet meer zijn. wat is de vermogensgrens in de bijstand?", "zeker"
    )
    names = [m.get("response") for m in messages]
    assert names[0] == "utter_crisis_suicide"
    assert "utter_vraag_antwoord" not in names


def _mode_tracker(text: str, intent: str) -> Tracker:
    t = _tracker(text, "twijfel")
    t.slots.update({"crisis_modus": "suicide", "crisis_twijfel": True})
    t.latest_message["intent"] = {"name": intent, "confidence": 0.9}
    t.latest_message["entities"] = extract(text)
    return t


def test_after_a_doubt_a_clear_question_is_answered_and_the_doubt_ends():
    from actions.crisis import ActionCrisisVervolg

    d = CollectingDispatcher()
    events = ActionCrisisVervolg().run(
        d, _mode_tracker("wat is de vermogensgrens in de bijstand?", "out_of_scope"), {}
    )
    names = [m.get("response") for m in d.messages]
    assert "utter_vraag_antwoord" in names
    assert names[-1] == "utter_crisis_twijfel_verder"  # where help is, once more
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["crisis_modus"] is None and slots["crisis_twijfel"] is None


def test_after_a_doubt_not_wanting_to_call_stays_in_crisis_mode():
    from actions.crisis import ActionCrisisVervolg

    d = CollectingDispatcher()
    events = ActionCrisisVervolg().run(d, _mode_tracker("ik wil niet bellen", "out_of_scope"), {})
    names = [m.get("response") for m in d.messages]
    assert "utter_vraag_antwoord" not in names
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert "crisis_modus" not in slots or slots["crisis_modus"] is not None


def test_a_child_in_danger_first_and_113_in_the_line_after_it():
    """The detector leads with a child in danger when the model's suicide score is far below it
    (nlu/crisis.py, SUICIDE_OUTWEIGHED): the 113 line still follows in the same answer."""
    messages, _ = _run(
        "mijn vader slaat me, ik wil niet naar huis", "zeker", "kind_in_gevaar", ("suicide",)
    )
    names = [m.get("response") for m in messages]
    assert names[0] == "utter_crisis_kind"
    assert "utter_crisis_ook_suicide" in names
    line = next(m for m in messages if m.get("response") == "utter_crisis_ook_suicide")
    assert "113" in line["plekken"]


@pytest.mark.parametrize(
    "text,young",
    [
        ("mijn vader slaat me als hij gedronken heeft", True),
        ("i'm 13 and my uncle hurts me", True),
        ("babam beni her gün dövüyor, 12 yaşındayım", True),
        ("mam 14 lat i ojczym mnie bije", True),
        ("عمري ١٤ سنة وأبي يضربني", True),
        ("I'm 34 and my father hits me when he visits", False),  # a stated adult age wins
        ("mijn man slaat me en ik ben bang", False),
    ],
)
def test_a_young_person_is_recognised_in_their_own_words(text, young):
    from actions.crisis import is_young

    assert is_young(_tracker(text, "zeker", "geweld")) is young


def test_a_child_hurt_at_home_reads_de_kindertelefoon_in_their_own_language():
    """A 13-year-old writing in English: the Dutch answer, then the English line that names
    De Kindertelefoon (not only the violence line), then the Dutch line for young people."""
    messages, _ = _run("im 13 and my stepfather hits me every night", "zeker", "geweld")
    texts = [m.get("text") or "" for m in messages]
    names = [m.get("response") for m in messages]
    assert names[0] == "utter_crisis_geweld"
    assert "De Kindertelefoon" in texts[1] and "under 18" in texts[1], texts[1]
    assert "utter_crisis_jongere" in names


def _sure_mode_tracker(before: str, text: str, intent: str) -> Tracker:
    """Crisis mode after a sure crisis answer; ``before`` is the resident's message before."""
    t = _mode_tracker(text, intent)
    t.slots.update({"crisis_twijfel": None})
    t.events = [{"event": "user", "text": before}, {"event": "user", "text": text}]
    return t


def test_in_crisis_mode_a_money_question_no_intent_caught_is_answered_not_misunderstood():
    """Not "ik ben een computer en begrijp niet alles": the question read with the message
    before it gets its answer, then where help is, and crisis mode goes on."""
    from actions.crisis import ActionCrisisVervolg

    d = CollectingDispatcher()
    t = _sure_mode_tracker(
        "ik ben 20 en woon sinds kort alleen, ik heb een bijstandsuitkering",
        "is dat echt alles wat ik krijg? kan er nog wat bij als mijn ouders niks geven",
        "nlu_fallback",
    )
    events = ActionCrisisVervolg().run(d, t, {})
    names = [m.get("response") for m in d.messages]
    assert "utter_vraag_antwoord" in names and "utter_crisis_luister" not in names
    assert names[-1] == "utter_crisis_twijfel_verder"
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert "crisis_modus" not in slots  # still in crisis mode
    assert slots["handoff_reden"] == "crisis"


def test_in_crisis_mode_words_without_a_question_still_get_the_listening_answer():
    from actions.crisis import ActionCrisisVervolg

    d = CollectingDispatcher()
    t = _sure_mode_tracker("ik wil er niet meer zijn", "alles is gewoon zwart", "nlu_fallback")
    ActionCrisisVervolg().run(d, t, {})
    names = [m.get("response") for m in d.messages]
    assert names == ["utter_crisis_luister"]
