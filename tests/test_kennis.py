"""Answers from the content's questions: short first message, the source, no repeat word for word.

Through the real trained model, the real action server and the real database (``conversation``).
"""

from __future__ import annotations

import pytest

FIRST_MESSAGE_MAX = 600

QUESTIONS = [
    "mag ik mijn auto houden in de bijstand",
    "hoe lang krijg ik ww",
    "mijn zoon wordt 18, moet hij zelf een zorgverzekering",
    "wat is het telefoonnummer van het juridisch loket",
    "hoeveel mag ik bijverdienen in de bijstand",
]


@pytest.mark.parametrize("question", QUESTIONS)
async def test_first_message_is_short_and_sourced(conversation, question):
    reply = await conversation.say(question)
    first = reply.messages[0].get("text") or ""
    assert 40 < len(first) <= FIRST_MESSAGE_MAX, first
    assert "Bron: https://" in first
    assert "begrijp je niet" not in reply.text


async def test_same_question_twice_is_not_repeated_word_for_word(conversation):
    first = await conversation.say("mag ik mijn auto houden in de bijstand")
    second = await conversation.say("mag ik mijn auto houden in de bijstand")
    assert first.messages[0].get("text") != second.messages[0].get("text")
    assert "Met een mens praten" in second


async def test_offer_buttons_lead_to_the_form(conversation):
    """The checklist is one tap away after the answer, and the button starts it."""
    answer = await conversation.say("ik word 18 wat moet ik regelen")
    assert "In welke maand" not in answer
    payloads = [b["payload"] for m in answer.messages for b in m.get("buttons") or []]
    assert "/achttien_lijst" in payloads
    form = await conversation.say("/achttien_lijst")
    assert "In welke maand" in form


async def test_two_questions_joined_with_en_get_two_answers(conversation):
    """Two questions in one sentence: both answers, the first one first (before, only one of
    them was answered)."""
    reply = await conversation.say(
        "wat is de vermogensgrens in de bijstand en hoeveel mag ik bijverdienen?"
    )
    assert "8.000" in reply.text
    assert "15%" in reply.text
    assert reply.text.index("8.000") < reply.text.index("15%")
