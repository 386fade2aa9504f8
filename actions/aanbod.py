"""Answer first, then offer: turning 18, the regelcheck and a person for many problems at once.

No keyword starts a form. A message classified as "ik word 18", "waar heb ik recht op" or a story
with many problems first gets the answer to what it asks (a question from the content when one is
close), then the checklist, the check or the buurtteam is offered with a button.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity, last_text
from actions.fallback import ActionFallback
from actions.gesprek import achttien_items, month_year, when_for
from actions.kennis import ANSWER, ANSWER_WHEN_LOST, answer_first, named_records
from actions.onderwerpen import ANSWER_TOPIC_QUESTION, asks_full_question
from actions.overzicht import gave_overview
from actions.taal import writes_english
from knowledge.faq import is_follow_up, topic_words
from knowledge.text import normalize_text
from nlu import numbers

_EIGHTEEN = re.compile(r"\b(18|achttien|meerderjarig|eighteen)\b")
_OTHER_AGE = re.compile(r"\b(?:word|wordt|turn|turns|worden)\s+(?:\w+\s+){0,2}?(\d{1,3})\b")


def about_18(text: str) -> bool:
    """The message is about turning 18: it says 18 and turns no other age ("ik word in maart
    67", "mijn dochter wordt volgende maand 12" are about AOW and kindgebonden budget)."""
    norm = normalize_text(text or "")
    if not _EIGHTEEN.search(norm):
        return False
    return all(m.group(1) == "18" for m in _OTHER_AGE.finditer(norm))


# "wat moet ik regelen", "wat verandert er": what the checklist itself answers.
_CHECKLIST_WORDS = re.compile(
    r"\b(regelen|geregeld|regel|veranderen|verandert|verandering|veranderingen|doen|checklist"
    r"|lijstje|lijst|allemaal|alles|arrange|change|changes|word|wordt|worden|turn|turns|jarig"
    r"|verjaardag|birthday|maand|month|jaar|year)\b"
)


def asks_one_thing(text: str) -> bool:
    """Next to turning 18, the message asks about one thing ("stopt de kinderbijslag dan?",
    "moet ik het hele jaar eigen risico betalen?"), not what to arrange in general: a question
    with topic words left after the birthday and the checklist's own words are taken out."""
    norm = normalize_text(text)
    if not (asks_full_question(text) or "?" in text):
        return False
    rest = _CHECKLIST_WORDS.sub(" ", _EIGHTEEN.sub(" ", norm))
    rest = " ".join(w for w in rest.split() if w not in numbers.MONTHS and not w.isdigit())
    return bool(topic_words(rest))


def say_date_for_them(
    dispatcher: CollectingDispatcher,
    events: list[dict[str, Any]],
    birthday: dt.date,
    english: bool = False,
) -> None:
    """After the answer about one regulation ("vanaf wanneer moet ik zelf premie betalen?"), the
    date that follows for this person from the checklist ("Vanaf 1 april 2027"), when the
    checklist counts that regulation from the birthday month."""
    asked = next(
        (str(e.get("value")) for e in events if e.get("name") == "vraag" and e.get("value")), ""
    )
    record = asked.split(":")[0]
    item = next((i for i in achttien_items() if i["id"] == record and "maanden" in i), None)
    if item is not None:
        dispatcher.utter_message(
            response="utter_achttien_voor_jou",
            maand=month_year(birthday, english),
            wanneer=when_for(item, birthday, english=english),
        )


class ActionAchttienVraag(Action):
    """'ik word 18', 'mijn zoon wordt 18, moet hij ...': the answer, then the checklist offer."""

    def name(self) -> str:
        return "action_achttien_vraag"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = last_text(tracker)
        if text and not about_18(text):
            # "ik word in maart 67", "mijn dochter wordt 12": another age, another question.
            return ActionFallback().run(dispatcher, tracker, domain)
        day = numbers.parse_birthday_18(text, dt.date.today()) if text else None
        if day:
            month = SlotSet("achttien_maand", day.isoformat())
            if asks_one_thing(text):
                # "mijn zoon wordt in februari 18, stopt de kinderbijslag dan meteen?": that
                # question first, then his date; the checklist with all dates is one tap away,
                # so a question that is only fairly close still answers better than the list.
                events = answer_first(dispatcher, tracker, ANSWER_WHEN_LOST)
                if events is not None:
                    say_date_for_them(dispatcher, events, day, writes_english(tracker))
                    dispatcher.utter_message(response="utter_achttien_lijst_aanbod")
                    return [*events, month]
            # "ik word in juni 18, wat moet ik regelen": the month is the question's own answer,
            # so the personal checklist with dates is the answer.
            return [month, FollowupAction("action_achttien")]
        # "zoon is 18 geworden, krijgt hij studiefinanciering": a regulation named next to the age
        # is what the question is about, so a question about it needs less to be answered.
        named = any(named_records(tracker).values())
        events = answer_first(dispatcher, tracker, ANSWER_WHEN_LOST if named else ANSWER)
        if events is not None:
            dispatcher.utter_message(response="utter_achttien_lijst_aanbod")
            return events
        dispatcher.utter_message(response="utter_achttien_kort")
        return []


class ActionRegelcheckAanbod(Action):
    """'waar heb ik recht op': answer a concrete question first; offer the check with a button.

    Facts the message already holds (an age) are kept for the check, so it does not ask again.
    """

    def name(self) -> str:
        return "action_regelcheck_aanbod"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        # "tot welk inkomen kan ik hem krijgen" after a question about the Stadspas asks about
        # the regulation in focus, not "waar heb ik recht op": answered like any follow-up.
        named = any(named_records(tracker).values())
        follow_up = bool(tracker.get_slot("regeling")) and is_follow_up(last_text(tracker), named)
        # A full question ("waar vraag ik een aanvulling op mijn aow aan?") gets its answer at the
        # same score as under a topic; the check is offered after it.
        if follow_up:
            threshold = ANSWER_WHEN_LOST
        elif asks_full_question(last_text(tracker)):
            threshold = ANSWER_TOPIC_QUESTION
        else:
            threshold = ANSWER
        answered = answer_first(dispatcher, tracker, threshold)
        events = answered or []
        if not gave_overview(answered):  # the overview offers the check itself
            kort = answered is not None
            dispatcher.utter_message(
                response="utter_regelcheck_aanbod_kort" if kort else "utter_regelcheck_aanbod"
            )
        age = entity(tracker, "leeftijd")
        if isinstance(age, int | float) and 0 < age < 120:
            events.append(SlotSet("rc_leeftijd", str(int(age))))
        return events


class ActionMeerdereProblemen(Action):
    """A story with several problems: answer the concrete question in it, then offer the buurtteam.

    When no question in the story is close, the buurtteam is offered right away (with consent:
    the hand-off form's first question asks it).
    """

    def name(self) -> str:
        return "action_meerdere_problemen"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        events = answer_first(dispatcher, tracker, ANSWER_WHEN_LOST, buttons=False)
        if events is not None:
            if not gave_overview(events):
                dispatcher.utter_message(response="utter_meer_hulp_aanbod")
            return [*events, SlotSet("handoff_reden", "meerdere_problemen")]
        dispatcher.utter_message(response="utter_meerdere_problemen")
        return [SlotSet("handoff_reden", "meerdere_problemen")]
