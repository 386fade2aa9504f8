"""Action unit tests: real action code against a real SQLite knowledge base."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.hulp import ActionGeldzorgen
from actions.regelingen import ActionRegelingAanvragen, ActionRegelingMeenemen, ActionRegelingUitleg


def tracker(text: str, intent: str, slots: dict | None = None) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "unit",
            "slots": {"gemeente": "amsterdam", "regeling": None, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": [],
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run(action, t: Tracker) -> tuple[list[dict], list[dict]]:
    d = CollectingDispatcher()
    events = action.run(d, t, {})
    return d.messages, events


@pytest.fixture(autouse=True)
def _db(db_url):
    return db_url


@pytest.fixture
def cards_only(monkeypatch):
    """Test the regulation cards and the social-map answers on their own: no question from the
    content is close enough to answer first (the question path has its own tests)."""
    import actions.kennis

    monkeypatch.setattr(actions.kennis, "ANSWER", 9.0)


def test_a_question_from_the_content_answers_before_the_card():
    msgs, events = run(ActionRegelingUitleg(), tracker("wat is zorgtoeslag", "regeling_uitleg"))
    assert msgs[0]["response"] == "utter_vraag_antwoord"
    assert "zorgtoeslag" in msgs[0]["antwoord"].lower()
    assert msgs[0]["bron_url"].startswith("https://") and msgs[0]["peildatum"]
    assert {"event": "slot", "name": "regeling", "value": "zorgtoeslag"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_uitleg_fills_summary_next_step_source_and_sets_focus():
    """The regulation's card (the button 'Wat is het?' sends no text, so no question matches)."""
    msgs, events = run(
        ActionRegelingUitleg(),
        tracker("/regeling_uitleg", "regeling_uitleg", {"regeling": "zorgtoeslag"}),
    )
    assert msgs[0]["response"] == "utter_regeling_uitleg"
    assert msgs[0]["naam"] == "Zorgtoeslag"
    step = next(m for m in msgs if m["response"] == "utter_regeling_volgende_stap")
    assert step["bron_url"].startswith("https://") and step["peildatum"]
    assert {"event": "slot", "name": "regeling", "value": "zorgtoeslag"}.items() <= events[
        0
    ].items()


def test_follow_up_uses_regeling_in_focus(cards_only):
    msgs, events = run(
        ActionRegelingAanvragen(),
        tracker("en hoe vraag ik dat aan?", "regeling_aanvragen", {"regeling": "huurtoeslag"}),
    )
    assert msgs[0]["response"] == "utter_regeling_aanvragen"
    assert msgs[0]["naam"] == "Huurtoeslag"
    assert events[0]["value"] == "huurtoeslag"


def test_named_regeling_wins_over_focus(cards_only):
    msgs, _ = run(
        ActionRegelingAanvragen(),
        tracker("hoe vraag ik bijstand aan", "regeling_aanvragen", {"regeling": "huurtoeslag"}),
    )
    assert "ijstand" in msgs[0]["naam"]


def test_meenemen_lists_documents(cards_only):
    msgs, _ = run(
        ActionRegelingMeenemen(),
        tracker("wat moet ik meenemen voor zorgtoeslag", "regeling_meenemen"),
    )
    assert msgs[0]["response"] == "utter_regeling_meenemen"
    assert "DigiD" in msgs[0]["meenemen"]


def test_unknown_regeling_is_honest_and_sets_nothing():
    msgs, events = run(
        ActionRegelingUitleg(), tracker("wat is de flubberpremie", "regeling_uitleg")
    )
    assert msgs[0]["response"] == "utter_regeling_onbekend"
    assert events == []


def test_geldzorgen_names_organisations_with_contact(cards_only):
    msgs, _ = run(ActionGeldzorgen(), tracker("ik heb schulden", "hulp_geldzorgen"))
    places = next(m for m in msgs if m["response"] == "utter_geldzorgen_plekken")["plekken"]
    assert "Buurtteam" in places and "0800-8115" in places
    assert msgs[-1]["response"] == "utter_geldzorgen_vraag"


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("zet medewerkermodus aan", "medewerker"),
        ("zet medewerkermodus uit", "bewoner"),
        ("schakel naar staff mode", "medewerker"),
        ("stop staff modus", "bewoner"),
        ("professionele modus", "medewerker"),
        ("makkelijke taal modus", "bewoner"),
        ("ik ben medewerker van het buurtteam", "medewerker"),
        ("ik ben geen medewerker", "bewoner"),
    ],
)
def test_mode_direction_comes_from_the_words(text, mode):
    from actions.gesprek import wanted_mode

    # the words decide, whatever the current mode is
    for current in ("bewoner", "medewerker", None):
        assert wanted_mode(text, current) == mode


def test_mode_without_direction_words_toggles() -> None:
    from actions.gesprek import wanted_mode

    assert wanted_mode("modus wisselen", "bewoner") == "medewerker"
    assert wanted_mode("modus wisselen", "medewerker") == "bewoner"
    assert wanted_mode("andere modus", None) == "medewerker"


def test_turning_18_checklist_never_shows_a_past_date_as_a_to_do():
    """Someone who turns 18 next month: 'apply 3 months before' is already past, so: now."""
    import datetime as dt

    from actions.gesprek import achttien_items, when_for

    today = dt.date(2026, 11, 30)
    birthday = dt.date(2026, 12, 1)
    items = {i["id"]: i for i in achttien_items()}
    scholieren = when_for(items["tegemoetkoming_scholieren"], birthday, today)
    assert scholieren.startswith("Nu al") and "september 2026" in scholieren
    zorg = when_for(items["zorgverzekering_18"], birthday, today)
    assert zorg == "Vanaf 1 januari 2027"


def test_turning_18_checklist_keeps_kinderbijslag_to_the_end_of_the_birthday_quarter():
    """The SVB pays the whole quarter in which the child turns 18 (issue #17 item 5): a birthday
    in May keeps kinderbijslag through June, one in December through December."""
    import datetime as dt

    from actions.gesprek import achttien_items, when_for

    today = dt.date(2026, 11, 30)
    item = next(i for i in achttien_items() if i["id"] == "kinderbijslag")
    assert "tot en met juni 2027" in when_for(item, dt.date(2027, 5, 1), today)
    assert "tot en met december 2026" in when_for(item, dt.date(2026, 12, 1), today)


def test_turning_18_checklist_dates_in_english():
    """#21: an English conversation gets the checklist's dates and wording in English, every
    item (no Dutch month name or 'Vanaf' inside an English answer)."""
    import datetime as dt

    from actions.gesprek import achttien_items, when_for

    today = dt.date(2026, 11, 30)
    birthday = dt.date(2027, 3, 1)
    items = {i["id"]: i for i in achttien_items()}
    assert when_for(items["zorgverzekering_18"], birthday, today, english=True) == (
        "From 1 April 2027"
    )
    assert "March 2027" in when_for(items["kinderbijslag"], birthday, today, english=True)
    dutch = {
        "januari",
        "februari",
        "maart",
        "mei",
        "juni",
        "juli",
        "vanaf",
        "meestal",
        "nu al",
        "stopt",
    }
    for item in items.values():
        for day in (birthday, None):
            text = when_for(item, day, today, english=True).lower()
            assert not any(w in text for w in dutch), (item["id"], text)
        if item.get("stap"):
            assert item.get("stap_en"), item["id"]


@pytest.mark.parametrize(
    ("text", "slots", "words"),
    [
        # a question that names staff, but asks a phone number: the number, not a mode switch
        ("wat is het nummer van geldfit voor mijn cliënten?", {}, ["0800-8115"]),
        # 'gewoon' and 'normaal' are words of a question here, not 'back to resident mode'
        ("kan ik gewoon bellen met de belastingtelefoon?", {"modus": "bewoner"}, ["0800-0543"]),
    ],
)
def test_a_question_with_a_mode_word_gets_its_answer_not_a_switch(text, slots, words):
    from actions.gesprek import ActionModus

    msgs, events = run(ActionModus(), tracker(text, "modus", slots))
    said = " ".join(str(m.get("antwoord") or m.get("text") or "") for m in msgs)
    assert all(w in said for w in words), said
    assert not any(
        m.get("response") in {"utter_medewerker_modus", "utter_bewoner_modus"} for m in msgs
    )
    assert not any(e.get("name") == "modus" for e in events)


def test_a_story_with_role_words_but_no_mode_or_introduction_never_switches():
    """'gewoon' and 'hulpverlener' in a long message are words of the story: no staff mode."""
    from actions.gesprek import ActionModus

    text = "ik zoek mensen om mee te praten over mijn schulden, liever geen hulpverlener, gewoon praten"
    msgs, events = run(ActionModus(), tracker(text, "modus", {"modus": "bewoner"}))
    assert not any(
        m.get("response") in {"utter_medewerker_modus", "utter_bewoner_modus"} for m in msgs
    )
    assert not any(e.get("name") == "modus" for e in events)
    assert msgs  # the fallback's best effort, not silence


def test_an_introduction_with_a_question_switches_and_answers():
    from actions.gesprek import ActionModus

    msgs, events = run(
        ActionModus(),
        tracker("ik ben schuldhulpverlener, wat is het telefoonnummer van geldfit", "modus"),
    )
    assert msgs[0]["response"] == "utter_medewerker_modus"
    assert "0800-8115" in " ".join(str(m.get("antwoord") or "") for m in msgs[1:])
    assert {"event": "slot", "name": "modus", "value": "medewerker"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


@pytest.mark.parametrize("text", ["gewone modus", "ik ben medewerker van het buurtteam"])
def test_a_plain_mode_request_only_switches(text):
    from actions.gesprek import ActionModus

    msgs, events = run(ActionModus(), tracker(text, "modus"))
    assert [m["response"] for m in msgs] in (["utter_bewoner_modus"], ["utter_medewerker_modus"])
    assert [e["name"] for e in events] == ["modus"]


def _with_entities(text: str, intent: str, entities: list[dict]) -> Tracker:
    t = tracker(text, intent)
    t.latest_message["entities"] = entities
    return t


def test_an_age_in_a_story_does_not_replace_the_answer_with_an_age_check():
    """'ik ben 23 en de kale huur is 960': the rent limit answers, not 'je leeftijd past'."""
    from actions.gesprek import ActionRegelingRecht

    ents = [{"entity": "leeftijd", "value": 23}, {"entity": "regeling", "value": "huurtoeslag"}]
    text = "ik ben 23 en vond een woning met 960 euro kale huur, krijg ik dan huurtoeslag"
    msgs, _ = run(ActionRegelingRecht(), _with_entities(text, "regeling_recht", ents))
    assert msgs[0]["response"] == "utter_vraag_antwoord"
    assert "932,93" in msgs[0]["antwoord"]


def test_a_question_about_the_age_itself_gets_the_age_check():
    from actions.gesprek import ActionRegelingRecht

    ents = [{"entity": "leeftijd", "value": 19}, {"entity": "regeling", "value": "huurtoeslag"}]
    text = "ben ik met 19 oud genoeg voor huurtoeslag"
    msgs, _ = run(ActionRegelingRecht(), _with_entities(text, "regeling_recht", ents))
    assert msgs[0]["response"] == "utter_regeling_leeftijd"


def test_a_short_follow_up_stays_with_the_regulation_in_focus():
    """'hoeveel extra kan dat maximaal?' after the eigen risico: 'extra' in another regulation's
    synonym ('extra geld laag inkomen') does not take the conversation elsewhere."""
    from actions.common import regeling_in_focus

    t = tracker("hoeveel extra kan dat maximaal?", "regeling_bedrag", {"regeling": "eigen_risico"})
    assert regeling_in_focus(t).id == "eigen_risico"
    # a message that names a regulation still moves on
    t = tracker("en hoe zit het met huurtoeslag?", "regeling_bedrag", {"regeling": "eigen_risico"})
    assert regeling_in_focus(t).id == "huurtoeslag"


def test_how_long_is_answered_from_the_content_not_as_an_amount():
    from actions.gesprek import ActionRegelingBedrag

    t = tracker(
        "binnen hoeveel tijd moet dat?", "regeling_bedrag", {"regeling": "bezwaar_toeslagen"}
    )
    t.events = [
        {"event": "user", "text": "kan ik bezwaar maken tegen de brief over mijn zorgtoeslag?"},
        {"event": "user", "text": "binnen hoeveel tijd moet dat?"},
    ]
    msgs, _ = run(ActionRegelingBedrag(), t)
    assert msgs[0]["response"] == "utter_vraag_antwoord"
    assert "6 weken" in msgs[0]["antwoord"]


def test_how_much_with_amounts_gets_the_amounts_not_what_it_is():
    from actions.gesprek import ActionRegelingBedrag

    t = tracker("hoeveel krijg ik dan?", "regeling_bedrag", {"regeling": "huurtoeslag"})
    msgs, _ = run(ActionRegelingBedrag(), t)
    said = " ".join(str(m.get("antwoord") or m.get("bedragen") or "") for m in msgs)
    assert "932,93" in said


def test_a_question_read_as_a_bare_number_gets_an_answer_not_waarmee():
    """'ik moet 180 euro aan duo betalen maar verdien 1400, kan dat lager?' was read as a number
    ('inform_getal') and got 'Waar kan ik je mee helpen?'; a bare '1200' still does."""
    from actions.kennis import ActionGeenVraag

    text = "ik moet elke maand 180 euro aan duo betalen maar ik verdien maar 1400 netto. kan dat lager?"
    msgs, _ = run(ActionGeenVraag(), tracker(text, "inform_getal"))
    assert msgs and all(m.get("response") != "utter_how_can_i_help" for m in msgs)
    msgs, _ = run(ActionGeenVraag(), tracker("1200", "inform_getal"))
    assert [m["response"] for m in msgs] == ["utter_how_can_i_help"]


@pytest.mark.parametrize(
    ("text", "privacy"),
    [
        ("kan ik ergens anoniem bellen over mijn schulden?", False),
        ("is dit anoniem", True),
        ("gaat dit naar de belastingdienst", True),
        ("wat doen jullie met mijn gegevens", True),
    ],
)
def test_anonymous_help_is_not_a_question_about_this_chat(text, privacy):
    """'anoniem' fires the privacy intent; anonymous help (Geldfit) is another question."""
    from actions.privacy import ActionPrivacy

    msgs, _ = run(ActionPrivacy(), tracker(text, "privacy_vraag"))
    assert (msgs[0]["response"] == "utter_privacy") is privacy
    if not privacy:
        assert "geldfit" in msgs[0]["antwoord"].lower()


def test_a_full_question_under_the_regelcheck_intent_gets_its_answer_first():
    """'kan ik als gepensioneerde ook huurtoeslag krijgen?' is a question, not 'waar heb ik
    recht op': a close answer (at the topic threshold, below ANSWER) comes first, then the
    short offer of the check. A bare 'waar heb ik recht op' keeps the plain offer."""
    from actions.aanbod import ActionRegelcheckAanbod
    from actions.kennis import ANSWER, named_records, ranked_questions
    from actions.onderwerpen import ANSWER_TOPIC_QUESTION

    t = tracker("kan ik als gepensioneerde ook huurtoeslag krijgen?", "regelcheck")
    best = ranked_questions(t, limit=1, named=named_records(t))[0]
    assert ANSWER_TOPIC_QUESTION <= best.score < ANSWER  # the case this rule is for
    msgs, _ = run(ActionRegelcheckAanbod(), t)
    assert [m.get("response") for m in msgs] == [
        "utter_vraag_antwoord",
        "utter_regelcheck_aanbod_kort",
    ]
    assert "huurtoeslag" in str(msgs[0]).lower()
    msgs, _ = run(ActionRegelcheckAanbod(), tracker("waar heb ik recht op", "regelcheck"))
    assert [m.get("response") for m in msgs] == ["utter_regelcheck_aanbod"]


@pytest.mark.parametrize(
    ("text", "regeling"),
    [
        ("kiram çok yüksek ve tek başıma yaşıyorum, kira yardımı alabilir miyim?", "huurtoeslag"),
        ("mam długi u kilku firm i nie wiem, od czego zacząć", "schuldhulpverlening"),
    ],
)
def test_a_turkish_or_polish_money_question_gets_the_note_and_a_dutch_answer(text, regeling):
    """A Turkish or Polish message: first the line in their language about Dutch, English and
    the buurtteam, then a Dutch answer about the regulation its money words name (a question of
    it, or its card) (issue #21)."""
    from actions.fallback import ActionFallback

    msgs, events = run(ActionFallback(), tracker(text, "nlu_fallback"))
    assert msgs[0].get("text") and "buurtteam" in msgs[0]["text"], msgs
    assert len(msgs) >= 2, "the note alone: nothing of the question answered"
    slots = {e.get("name"): e.get("value") for e in events if e.get("event") == "slot"}
    assert regeling in (slots.get("regeling"), str(slots.get("vraag") or "").split(":")[0])


def test_a_phone_number_for_professionals_is_a_question_not_a_switch_to_staff_mode():
    """'tel nr juridisch loket voor hulpverleners?' under the mode intent: the organisation's
    card, and the mode stays as it was (before, staff mode was switched on and nothing answered)."""
    from actions.gesprek import ActionModus

    t = tracker("tel nr juridisch loket voor hulpverleners?", "modus")
    t.latest_message["entities"] = [{"entity": "organisatie", "value": "juridisch_loket"}]
    msgs, events = run(ActionModus(), t)
    said = " ".join(str(v) for m in msgs for v in m.values() if isinstance(v, str))
    assert "0900-8020" in said
    assert "utter_medewerker_modus" not in [m.get("response") for m in msgs]
    assert not [e for e in events if e.get("name") == "modus"]


def test_a_card_for_professionals_under_the_mode_intent_shows_their_line():
    """The same where the NLU names the fund's regulation and no question is close: the fund's
    card with the professionals' line (not the buurtteam, the resident's way in), no switch."""
    from actions.gesprek import ActionModus

    t = tracker("tel.nr FBNA voor hulpverleners?", "modus")
    t.latest_message["entities"] = [{"entity": "regeling", "value": "noodfonds_fbna_amsterdam"}]
    msgs, events = run(ActionModus(), t)
    assert "utter_medewerker_modus" not in [m.get("response") for m in msgs]
    said = " ".join(str(v) for m in msgs for v in m.values() if isinstance(v, str))
    assert "Fonds Bijzondere Noden" in said
    assert not [e for e in events if e.get("name") == "modus"]
