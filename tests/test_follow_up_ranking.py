"""Ranking for a follow-up (actions.kennis.ranked_questions): the follow-up on its own counts next
to the two messages together, so "en als ik ga samenwonen?" can reach the questions about living
together instead of only those about the first message. Real content, real database."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.kennis import ranked_questions
from nlu.entities import extract


@pytest.fixture(autouse=True)
def _db(db_url):
    return db_url


def _tracker(earlier: str, text: str) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "unit",
            "slots": {"gemeente": "amsterdam", "regeling": "bijstand"},
            "latest_message": {
                "text": text,
                "intent": {"name": "nlu_fallback"},
                "entities": extract(text),
            },
            "events": [{"event": "user", "text": earlier}, {"event": "user", "text": text}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def test_a_follow_up_reaches_questions_its_own_words_ask():
    hits = ranked_questions(
        _tracker("hoeveel bijstand krijg je als alleenstaande", "en als ik ga samenwonen?")
    )
    keys = [h.vraag.sleutel for h in hits]
    # the earlier message still leads (its numbers may be what is asked) ...
    assert keys[0] == "bijstand:hoeveel_alleenstaand", keys
    # ... but a question about living together is now among the answers offered
    assert any("partner" in k for k in keys), keys


def test_a_first_message_is_ranked_on_its_own_words():
    hits = ranked_questions(_tracker("", "hoeveel spaargeld mag ik hebben in de bijstand"))
    assert hits and hits[0].vraag.record_id.startswith("bijstand"), hits


def test_shorthand_and_english_the_glossary_knows_name_their_record():
    """'zt' is zorgtoeslag to a buurtteam worker, 'rent allowance' huurtoeslag in English: the
    glossary's words name the record, as the full name would (the NLU matcher alone does not)."""
    from actions.kennis import named_records

    staff = _tracker("hoi", "zt vermogensgrens 2026 alleenstaand?")
    assert "zorgtoeslag" not in {e["value"] for e in staff.latest_message["entities"]}
    assert "zorgtoeslag" in named_records(staff)["regeling"]
    english = _tracker("hello", "how much rent allowance can I get")
    assert "huurtoeslag" in named_records(english)["regeling"]
    assert named_records(_tracker("hoi", "ik heb een vraag"))["regeling"] == set()


def test_an_aow_that_is_not_full_is_answered_with_the_aio():
    """'Mijn AOW is niet volledig, kan ik iets erbij krijgen?' asks for the AIO-aanvulling, not
    for how the AOW is built up (the glossary names the regulation the resident describes)."""
    from actions.common import kb

    hits = kb().ask(
        "ik ben 70 en mijn aow is niet volledig want ik kwam later naar nederland, kan ik iets"
        " erbij krijgen?",
        gemeente="amsterdam",
        limit=1,
    )
    assert hits and hits[0].vraag.record_naam.startswith("AIO"), [h.vraag.vraag for h in hits]
