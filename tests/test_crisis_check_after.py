"""A faint doubt of the learned model in a question about money is checked after the answer
(nlu.crisis.CHECK_AFTER_ANSWER_BELOW): the rule over the model's score, with the score set."""

from __future__ import annotations

import pytest

from nlu import crisis
from nlu.components import zekerheid

MONEY_QUESTION = "hoeveel bijstand krijg ik als alleenstaande in 2026?"


def _with_score(monkeypatch, score: float, patterns: dict[str, str] | None = None) -> None:
    """The model says ``score`` (suicide), the patterns say ``patterns``, for any text."""

    def evidence(text: str) -> crisis._Evidence:
        learned = {"suicide": score} if score >= crisis.DOUBT else {}
        return crisis._Evidence(
            patterns or {}, score, learned, scores={c: 0.0 for c in crisis.CATEGORIES} | learned
        )

    monkeypatch.setattr(crisis, "_evidence", evidence)


@pytest.mark.parametrize(
    "score,after", [(0.2, True), (crisis.CHECK_AFTER_ANSWER_BELOW - 0.01, True), (0.35, False)]
)
def test_a_faint_doubt_in_a_money_question_is_checked_after_the_answer(monkeypatch, score, after):
    _with_score(monkeypatch, score)
    signal = crisis.detect(MONEY_QUESTION)
    assert signal is not None and not signal.zeker
    assert signal.na_vraag is after
    assert zekerheid(signal) == ("na_vraag" if after else "twijfel")


def test_a_faint_doubt_without_a_money_question_is_checked_first(monkeypatch):
    _with_score(monkeypatch, 0.2)
    signal = crisis.detect("ik weet het allemaal niet meer met alles en iedereen")
    assert signal is not None and not signal.na_vraag


def test_a_pattern_is_never_checked_after_the_answer(monkeypatch):
    _with_score(monkeypatch, 0.2, {"suicide": "wil er niet meer zijn"})
    signal = crisis.detect("ik wil er niet meer zijn, hoeveel bijstand krijg ik nog?")
    assert signal is not None and signal.zeker and not signal.na_vraag


@pytest.mark.parametrize("value", ["twijfel", "na_vraag", "informatie"])
def test_the_crisis_mode_policy_sends_every_doubt_to_the_crisis_action(value):
    from rasa.shared.core.events import ActionExecuted, UserUttered  # noqa: PLC0415 - heavy
    from rasa.shared.core.trackers import DialogueStateTracker  # noqa: PLC0415

    from bot.crisis_policy import CRISIS, CrisisModePolicy  # noqa: PLC0415

    tracker = DialogueStateTracker.from_events(
        "unit",
        [
            ActionExecuted("action_listen"),
            UserUttered(
                MONEY_QUESTION,
                intent={"name": "regeling_bijstand", "confidence": 0.9},
                entities=[{"entity": "crisis_zekerheid", "value": value}],
            ),
        ],
    )
    assert CrisisModePolicy.next_action(tracker) == CRISIS
