"""Not understood: 'bedoel je ...?' when two readings are close, rephrase, then offer a person.

Two misunderstandings in a row is a handoff trigger (design §4): the second time the assistant
offers a buurtteam member instead of asking again.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import entity, last_text, regeling_in_focus
from actions.eenvoudig import asks_simple, without_reading_words
from actions.kennis import (
    ANSWER_WHEN_LOST,
    FULL_QUESTION_WORDS,
    SUGGEST,
    answer_closest,
    answer_from_content,
    answer_in_context,
    answer_organisation,
    ranked_questions,
    say_answer,
    suggest,
)
from actions.kosten import answer_cost
from actions.onderwerpen import say_regulation_card
from actions.over import answer_chat_cost
from actions.taal import dutch_view, note_in, other_language_of
from knowledge import yamlfile
from knowledge.faq import topic_words
from knowledge.glossary import added_words
from nlu.entities import default_matcher

LABELS_FILE = Path(__file__).resolve().parent.parent / "bot" / "intent_labels.yml"
BEDOEL_JE_MIN = 0.15
LONG_STORY_WORDS = 18
#: A long story no intent places still gets the closest question's answer from this score up
#: (the person is offered after it): on the spent blind sets h, j, l, n and p, 23 of the 40 such
#: stories had the right answer in their closest question, and got only "het is veel" before.
LONG_STORY_ANSWER = 0.2
#: A message in another language is answered from the question closest to its Dutch view
#: (actions.taal.dutch_view) from this score up: a view is a few words ("kinderbijslag 18"),
#: so it shares less with a question than a Dutch message does.
OTHER_LANGUAGE_ANSWER = 0.4
# A full question (FULL_QUESTION_WORDS): between SUGGEST and ANSWER_WHEN_LOST it gets the closest
# answer with the other close questions as buttons; a shorter one ("toeslag partner") is asked
# what it means.
REGELING_ACTIONS = {
    "regeling_uitleg": "action_regeling_uitleg",
    "regeling_aanvragen": "action_regeling_aanvragen",
    "regeling_meenemen": "action_regeling_meenemen",
    "regeling_recht": "action_regeling_recht",
    "regeling_bedrag": "action_regeling_bedrag",
    "regeling_terugwerkend": "action_regeling_terugwerkend",
}


#: What the fallback says when it did not understand (not when it answered from the content).
NOT_UNDERSTOOD = frozenset({"utter_default", "utter_bedoel_je", "utter_vraag_bedoel_je"})


def _previous_turn(tracker: Tracker) -> list[dict[str, Any]]:
    """The events of the turn before this one: after the user message before the latest one, up
    to the latest user message."""
    turn: list[dict[str, Any]] = []
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break
            seen_user = True
        elif seen_user:
            turn.append(event)
    return turn[::-1]


def _previous_bot_action(tracker: Tracker) -> str | None:
    """The last action before the current user message (``action_listen`` skipped)."""
    actions = [
        e.get("name")
        for e in _previous_turn(tracker)
        if e.get("event") == "action" and e.get("name") != "action_listen"
    ]
    return actions[-1] if actions else None


def _not_understood_before(tracker: Tracker) -> bool:
    """True when the turn before this one ended in 'ik begrijp je niet' or 'bedoel je': the
    fallback ran and said one of NOT_UNDERSTOOD. A fallback that answered from the content
    ("Woont er iemand van 27 jaar of ouder bij je?") understood the person."""
    turn = _previous_turn(tracker)
    return _previous_bot_action(tracker) == "action_fallback" and any(
        (e.get("metadata") or {}).get("utter_action") in NOT_UNDERSTOOD
        for e in turn
        if e.get("event") == "bot"
    )


@lru_cache(maxsize=1)
def intent_labels() -> dict[str, str]:
    """Dutch button labels for intents the assistant may offer in 'bedoel je ...?'."""
    return yamlfile.read(LABELS_FILE)["intents"]


def _candidates(tracker: Tracker) -> list[tuple[str, str]]:
    """The two most likely intents with a label, when both are plausible."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    labels = intent_labels()
    plausible = [
        (r["name"], labels[r["name"]])
        for r in ranking
        if r.get("name") in labels and float(r.get("confidence") or 0) >= BEDOEL_JE_MIN
    ]
    return plausible[:2] if len(plausible) >= 2 else []


def answer_by_glossary(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """For a message in Turkish or Polish: the card of the regulation its money words name
    ("kira yardımı" -> huurtoeslag, "borçlarım" -> schuldhulpverlening), in Dutch. None when
    the glossary names no regulation."""
    words = added_words(tracker.latest_message.get("text") or "")
    if not words:
        return None
    named = [
        str(m.value) for m in default_matcher().find(" ".join(words)) if m.entity == "regeling"
    ]
    return say_regulation_card(dispatcher, tracker, named)


def answer_in_dutch_words(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """A message in another language, answered from what the content can read of it: the
    question closest to its Dutch view (names, numbers, the glossary's words: "kızım 18 oluyor
    kinderbijslag devam eder mi" asks whether kinderbijslag stops at 18); else the card of the
    regulation its words name; else the organisation it names. None when nothing is readable."""
    view = dutch_view(last_text(tracker))
    if view.strip():
        hits = ranked_questions(tracker, limit=1, text=view)
        if (
            hits
            and hits[0].score >= OTHER_LANGUAGE_ANSWER
            and hits[0].vraag.sleutel != tracker.get_slot("vraag")
        ):
            return say_answer(dispatcher, hits[0], tracker=tracker)
    answered = answer_by_glossary(dispatcher, tracker)
    return answered if answered is not None else answer_organisation(dispatcher, tracker)


class ActionFallback(Action):
    """Not understood. When two readings are close: 'bedoel je A of B?' with buttons. Else ask to
    rephrase; the second misunderstanding in a row offers a person."""

    def name(self) -> str:
        return "action_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        simple = asks_simple(tracker.latest_message.get("text") or "")
        if simple:
            # "ik kan nie goed leze": short answers from now on, and a person who can call; a
            # question in the same message is answered (short) right after.
            dispatcher.utter_message(response="utter_eenvoudig_aan")
            text = tracker.latest_message.get("text") or ""
            asks = len(topic_words(without_reading_words(text))) >= 2
            answered = answer_from_content(dispatcher, tracker, ANSWER_WHEN_LOST) if asks else None
            return [SlotSet("eenvoudig", True), *(answered or [])]
        if simple is False and tracker.get_slot("eenvoudig"):
            dispatcher.utter_message(response="utter_eenvoudig_uit")
            return [SlotSet("eenvoudig", False)]
        language = other_language_of(tracker)  # detected once: the note and the answer use it
        other = note_in(language)
        if other is not None:
            # Turkish, Arabic, Polish, Papiamentu: first, in their own language, that the
            # answer is Dutch and who can help; then what the content knows.
            free = answer_chat_cost(dispatcher, tracker, language)
            dispatcher.utter_message(
                text=other,
                buttons=[{"title": "Met een mens praten", "payload": "/vraag_mens"}],
            )
            answered = free if free is not None else answer_in_dutch_words(dispatcher, tracker)
            return [*(answered or []), SlotSet("handoff_reden", "taal")]
        # "is dat gratis?" after an organisation: what it costs, from the social map.
        cost = answer_cost(dispatcher, tracker)
        if cost is not None:
            return cost
        # "is deze chat gratis?": yes.
        if (free := answer_chat_cost(dispatcher, tracker)) is not None:
            return free
        # The content may know the question even when no intent fits it.
        answered = answer_from_content(dispatcher, tracker, ANSWER_WHEN_LOST)
        if answered is None:
            # "mag ik iets van dat loon houden?" after "ik zit in de bijstand en ga werken".
            answered = answer_in_context(dispatcher, tracker)
        if answered is not None:
            return answered
        if _not_understood_before(tracker):
            dispatcher.utter_message(response="utter_default_mens")
            return [SlotSet("handoff_reden", "niet_begrepen")]
        text = tracker.latest_message.get("text") or ""
        if len(text.split()) >= LONG_STORY_WORDS:
            # A long story the classifier cannot place: the closest answer we have, or an
            # acknowledgement; then a person for the rest.
            answered = answer_closest(dispatcher, tracker, LONG_STORY_ANSWER)
            if answered is None:
                dispatcher.utter_message(response="utter_lang_verhaal")
            dispatcher.utter_message(response="utter_meer_hulp_aanbod")
            return [*(answered or []), SlotSet("handoff_reden", "meerdere_problemen")]
        if len(text.split()) >= FULL_QUESTION_WORDS and (
            answered := answer_closest(dispatcher, tracker, SUGGEST)
        ):
            return answered
        if suggest(dispatcher, tracker):
            return []
        options = _candidates(tracker)
        reg = regeling_in_focus(tracker) if entity(tracker, "regeling") else None
        direct = next((REGELING_ACTIONS[i] for i, _ in options if i in REGELING_ACTIONS), None)
        if reg and direct:
            # "wat is de collectieve zorgverzekering": the regulation is clear, so answer it.
            return [SlotSet("regeling", reg.id), FollowupAction(direct)]
        if options:
            buttons = [{"title": label, "payload": f"/{intent}"} for intent, label in options]
            buttons.append({"title": "Iets anders", "payload": "/what_can_you_do"})
            dispatcher.utter_message(response="utter_bedoel_je", buttons=buttons)
            reg = reg or regeling_in_focus(tracker)
            return [SlotSet("regeling", reg.id)] if reg else []
        dispatcher.utter_message(response="utter_default")
        return []
