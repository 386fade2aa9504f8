"""The crisis answer and the turns after it.

The first crisis answer is calm and short, with the right numbers from the social map, most urgent
first; a second category in the same message follows in one line; a money question in that message
is kept as a button for later. Then the conversation stays in crisis mode (slot ``crisis_modus``)
for the rest of the session: ``bot.crisis_policy`` sends the turns that would otherwise get a joke,
a form or "ik begrijp je niet" to ``action_crisis_vervolg``, which keeps offering a person and the
text-based alternatives (113 chat, Veilig Thuis chat, Kindertelefoon chat).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity, gemeente, kb
from actions.fallback import LONG_STORY_WORDS, intent_labels
from actions.kennis import (
    ANSWER,
    ANSWER_WHEN_LOST,
    FULL_QUESTION_WORDS,
    answer_first,
    answer_in_context,
)
from knowledge import yamlfile
from knowledge.answers import service_block
from knowledge.faq import topic_words
from nlu.crisis import NOT_SURE
from nlu.crisis_frame import asks

CRISIS_FILE = Path(__file__).resolve().parent.parent / "bot" / "crisis.yml"
LANGUAGES_FILE = Path(__file__).resolve().parent.parent / "bot" / "crisis_talen.yml"
# Which line of bot/crisis_talen.yml a category gets.
LINE_OF = {
    "suicide": "suicide",
    "gevaar_nu": "gevaar",
    "geweld": "geweld",
    "kind_in_gevaar": "kind",
    "dakloos_vannacht": "praktisch",
    "geen_eten_vandaag": "praktisch",
    "uitzetting_acuut": "praktisch",
    "afsluiting_acuut": "praktisch",
}
DEFAULT_CATEGORY = "suicide"
# Intents whose question is kept for after the crisis answer (one tap to ask it).
LATER_MIN_CONFIDENCE = 0.5
_NOT_LATER = {"crisis", "nlu_fallback", "greet", "goodbye", "thank", "affirm", "deny", "chitchat"}
_NO_CALL = re.compile(
    r"\b(niet|geen|nie|not|don ?t|dont|can ?t|cant|liever niet)\b.{0,30}\b(bell\w*|bel|call\w*|praten|talk)\b"
    r"|\b(bell\w*|bel|call\w*|praten|talk)\b.{0,20}\b(niet|nie|not|durf|kan ik niet)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def crisis_config() -> dict[str, dict[str, Any]]:
    return yamlfile.read(CRISIS_FILE)


@lru_cache(maxsize=1)
def language_lines() -> dict[str, dict[str, str]]:
    return yamlfile.read(LANGUAGES_FILE)["talen"]


def _phones(org_id: str) -> str:
    """'113 / 0800-0113': the phone numbers the social map has for an organisation."""
    for svc in kb().organisation_services(org_id)[:1]:
        return " / ".join(k.waarde for k in svc.kanalen if k.soort == "telefoon")
    return ""


def _chat(org_id: str) -> str:
    for svc in kb().organisation_services(org_id)[:1]:
        return next((k.waarde for k in svc.kanalen if k.soort == "chat"), svc.website or "")
    return ""


def translated_line(key: str, lang: str, resident_gemeente: str) -> str | None:
    """A core crisis line in the resident's language, numbers filled from the social map."""
    lines = language_lines().get(lang)
    if not lines or key not in lines:
        return None
    gemeente_phone = _phones(f"gemeente_{resident_gemeente}")
    if "{gemeente}" in lines[key] and not gemeente_phone:
        return None  # no number for this gemeente: the Dutch answer points the way
    values = {
        "lijn_113": _phones("lijn_113"),
        "chat_113": _chat("lijn_113"),
        "alarmnummer_112": _phones("alarmnummer_112"),
        "veilig_thuis": _phones("veilig_thuis"),
        "kindertelefoon": _phones("kindertelefoon"),
        "gemeente": gemeente_phone,
    }
    return lines[key].format(**values)


def say_in_language(
    dispatcher: CollectingDispatcher, tracker: Tracker, key: str, with_note: bool = True
) -> None:
    """Under the Dutch answer: the same core line in the language the resident wrote in."""
    from nlu.language import other_language  # noqa: PLC0415 - loads lingua on first use

    lang = other_language(tracker.latest_message.get("text") or "")
    if lang is None or (lang == "en" and tracker.get_slot("taal") == "en"):
        return  # no other language, or the whole answer is English already (its en variant)
    line = translated_line(key, lang, gemeente(tracker))
    if line:
        note = language_lines()[lang].get("taal") if with_note else None
        dispatcher.utter_message(text=f"{line}\n{note}" if note else line)


def category_of(value: object) -> str:
    """A known crisis category, or the default (suicide: the safest answer when unsure)."""
    return value if isinstance(value, str) and value in crisis_config() else DEFAULT_CATEGORY


def crisis_places(categorie: str, resident_gemeente: str, key: str = "organisaties") -> list[str]:
    """Lines for the organisations of this category that serve the resident's area."""
    lines = []
    for org_id in crisis_config()[categorie][key]:
        for svc in kb().organisation_services(org_id)[:1]:
            if svc.gemeente not in (None, resident_gemeente):
                continue
            lines.append(service_block(svc, max_channels=3))
    return lines


def chat_lines(categorie: str) -> str:
    """'• 113 Zelfmoordpreventie: chat op https://www.113.nl (chat, 24/7).' per chat place."""
    lines = []
    for org_id in crisis_config()[categorie]["chat"]:
        for svc in kb().organisation_services(org_id)[:1]:
            for k in svc.kanalen:
                if k.soort == "chat":
                    note = f" ({k.toelichting})" if k.toelichting else ""
                    lines.append(f"• {svc.organisatie}: chat op {k.waarde}{note}.")
    return "\n".join(lines) + ("\n" if lines else "")


def later_intent(tracker: Tracker) -> str | None:
    """The money question in the crisis message (its intent), to ask it afterwards."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    labels = intent_labels()
    for r in ranking:
        name = r.get("name")
        if name in _NOT_LATER or name not in labels:
            continue
        return name if float(r.get("confidence") or 0) >= LATER_MIN_CONFIDENCE else None
    return None


def later_button(intent: str) -> dict[str, str]:
    return {"title": f"Mijn vraag: {intent_labels()[intent]}", "payload": f"/{intent}"}


def offer_kept_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """After the hand-off question: the money question from the crisis message, one tap away."""
    intent = tracker.get_slot("crisis_vraag")
    if not intent or intent not in intent_labels():
        return []
    dispatcher.utter_message(response="utter_crisis_vraag_bewaard", buttons=[later_button(intent)])
    return [SlotSet("crisis_vraag", None)]


# A young person writing about their own crisis also gets De Kindertelefoon.
YOUTH_DOOR = {"suicide", "gevaar_nu", "geweld"}
_YOUTH = re.compile(
    r"\b(mijn (ouders|papa|mama|stiefvader|stiefmoeder)|mn (ouders|pa|ma)|mama|papa|op school"
    r"|mijn (juf|mentor|meester)|my (parents|mom|mum|dad|stepdad)|at school)\b"
    # a parent or other adult at home doing something to "me": "mijn vader slaat me"
    r"|\b(mijn|mn|m'n) (vader|moeder|stiefvader|stiefmoeder|oom|tante|opa|broer)\b[^.?!]{0,40}"
    r"\b(me|mij)\b|\bmy (father|mother|stepfather|uncle|brother)\b[^.?!]{0,40}\bme\b"
    r"|\b(babam|annem|üvey babam|abim|amcam)\b[^.?!]{0,40}\bbeni\b"
    r"|\b(tata|ojciec|ojczym|mama|wujek|brat)\b[^.?!]{0,40}\bmnie\b"
    r"|(أبي|أمي|زوج أمي|عمي|أخي)\s+\S*ني",
    re.IGNORECASE,
)
# A stated age in the languages the crisis lines speak (Dutch ages come from the NLU entity).
_YOUNG_AGE = re.compile(
    r"\b(?:i'?m|i am)\s+(\d{1,2})\b|\b(\d{1,2})\s*(?:years? old|yo)\b"
    r"|\b(\d{1,2})\s*yaş|\bmam\s+(\d{1,2})\s+lat|عمري\s*(\d{1,2})",
    re.IGNORECASE,
)


def is_young(tracker: Tracker) -> bool:
    """Under 18 by a stated age, or writing like a child about parents, home or school."""
    age = entity(tracker, "leeftijd")
    if isinstance(age, (int, float)):
        return age < 18
    text = tracker.latest_message.get("text") or ""
    if m := _YOUNG_AGE.search(text):  # \d and int() read Arabic-Indic digits too
        return int(next(g for g in m.groups() if g)) < 18
    return bool(_YOUTH.search(text))


def crisis_no_handoff(dispatcher: CollectingDispatcher, tracker: Tracker, modus: object) -> None:
    """A 'no' to a person in crisis mode: calling is not needed, chatting is, the door stays open."""
    categorie = category_of(modus)
    chat = chat_lines(categorie)
    places = "\n".join(crisis_places(categorie, gemeente(tracker))[:2])
    if _NO_CALL.search(tracker.latest_message.get("text") or ""):
        dispatcher.utter_message(response="utter_crisis_niet_bellen", chat=chat or places + "\n")
        say_in_language(dispatcher, tracker, "niet_bellen", with_note=False)
    else:
        dispatcher.utter_message(response="utter_crisis_geen_mens", chat=chat, plekken=places)


def answer_as_information(
    dispatcher: CollectingDispatcher, categorie: str, where: str
) -> list[dict[str, Any]]:
    """A question for someone else or for work: the right lines as information. No check, no
    crisis mode, no hand-off: the person asked where to send someone, and this is the answer."""
    dispatcher.utter_message(
        response=crisis_config()[categorie]["informatie"],
        plekken="\n".join(crisis_places(categorie, where)),
    )
    return []


class ActionCrisis(Action):
    """Answers a crisis signal before anything else, and starts crisis mode.

    Sure: the crisis answer, then the question whether a buurtteam member may contact them.
    In doubt: a short check with the right number, and their own question one tap away.
    A question for someone else or for work: the lines as information.
    """

    def name(self) -> str:
        return "action_crisis"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        categorie = category_of(next(tracker.get_latest_entity_values("crisis_categorie"), None))
        config = crisis_config()[categorie]
        where = gemeente(tracker)
        again = bool(tracker.get_slot("crisis_modus"))
        zekerheid = next(tracker.get_latest_entity_values("crisis_zekerheid"), "zeker")
        if zekerheid == "informatie" and not again:
            return answer_as_information(dispatcher, categorie, where)
        zeker = zekerheid not in NOT_SURE
        response = "opnieuw" if again else ("response" if zeker else "twijfel")
        # A faint doubt in a money question: the answer it asked for first, when the content has
        # one; the check and its number follow in the same reply.
        answered_first = (
            answer_first(dispatcher, tracker, ANSWER_WHEN_LOST, buttons=False)
            if zekerheid == "na_vraag" and not again
            else None
        )
        dispatcher.utter_message(
            response=config[response], plekken="\n".join(crisis_places(categorie, where))
        )
        young = categorie in YOUTH_DOOR and is_young(tracker)
        # A young person in danger or hurt at home reads, in their own language, the line that
        # names De Kindertelefoon as well as Veilig Thuis and 112 (suicide keeps its 113 line).
        line = "kind" if young and categorie != "suicide" else LINE_OF[categorie]
        say_in_language(dispatcher, tracker, line)
        if young:
            dispatcher.utter_message(
                response="utter_crisis_jongere",
                plekken="\n".join(crisis_places("kind_in_gevaar", where, "jongeren")),
            )
        for other in tracker.get_latest_entity_values("crisis_ook"):
            if other in crisis_config() and other != categorie:
                extra = crisis_config()[other]
                dispatcher.utter_message(
                    response=extra["ook"], plekken="\n".join(crisis_places(other, where)[:2])
                )
                break  # one extra line: the answer stays short
        kept = later_intent(tracker)
        events: list[dict[str, Any]] = [
            SlotSet("handoff_reden", "crisis"),
            SlotSet("crisis_modus", categorie),
        ]
        if (regeling := entity(tracker, "regeling")) is not None:
            events.append(SlotSet("regeling", regeling))  # the kept question stays about it
        if not zeker and not again:
            # In doubt the check comes first (after the answer for ``na_vraag``), and a question
            # the content answers is answered right after it: most doubts are about someone who
            # only asked something. A full question gets the answer it would have got without
            # the check (ANSWER_WHEN_LOST).
            text = tracker.latest_message.get("text") or ""
            full = len(text.split()) >= FULL_QUESTION_WORDS
            threshold = ANSWER_WHEN_LOST if full else ANSWER
            answered = (
                answered_first
                if zekerheid == "na_vraag"
                else answer_first(dispatcher, tracker, threshold, buttons=False)
            )
            buttons = [
                {"title": "Ja, het klopt", "payload": "/affirm"},
                {"title": "Nee, iets anders", "payload": "/deny"},
            ]
            dispatcher.utter_message(response="utter_crisis_twijfel_keuze", buttons=buttons)
            return [
                *events,
                *(answered or []),
                SlotSet("crisis_twijfel", True),
                SlotSet("crisis_vraag", None if answered is not None else kept),
            ]
        if kept:
            # Offered after the hand-off question, so the two never compete for one answer.
            events.append(SlotSet("crisis_vraag", kept))
        if tracker.active_loop_name:
            return events  # a rule continues or ends the running form
        return [*events, FollowupAction("handoff_form")]


def answer_to_check(
    dispatcher: CollectingDispatcher, tracker: Tracker, categorie: str, intent: str | None
) -> list[dict[str, Any]] | None:
    """The answer to "klopt dat?" after a doubt. Yes: the full crisis answer and the question
    about a person. No: crisis mode ends and their own question is one tap away. Anything else:
    None, and crisis mode goes on as usual."""
    done = [SlotSet("crisis_twijfel", None)]
    if intent == "affirm":
        dispatcher.utter_message(
            response=crisis_config()[categorie]["response"],
            plekken="\n".join(crisis_places(categorie, gemeente(tracker))),
        )
        return [*done, SlotSet("handoff_reden", "crisis"), FollowupAction("handoff_form")]
    if intent == "deny" and not _NO_CALL.search(tracker.latest_message.get("text") or ""):
        dispatcher.utter_message(response="utter_crisis_twijfel_nee")
        kept = offer_kept_question(dispatcher, tracker)
        if kept or not _checked_a_long_story(tracker):
            return [*done, SlotSet("crisis_modus", None), SlotSet("handoff_reden", None), *kept]
        # The check was about a long story with several problems and no one question: what that
        # story would have got without the check, a buurtteam member who looks at all of it.
        dispatcher.utter_message(response="utter_meer_hulp_aanbod")
        return [
            *done,
            SlotSet("crisis_modus", None),
            SlotSet("handoff_reden", "meerdere_problemen"),
        ]
    return None


def _checked_a_long_story(tracker: Tracker) -> bool:
    """Whether the message the doubt checked (the user message before this one) was a long story."""
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return len(texts) >= 2 and len(texts[-2].split()) >= LONG_STORY_WORDS


def moved_on_after_doubt(
    dispatcher: CollectingDispatcher, tracker: Tracker, categorie: str, intent: str | None
) -> list[dict[str, Any]] | None:
    """After a doubt the person did not answer "klopt dat?" but asked something the content
    clearly answers: they moved on. Answer it, end the doubt, and say once more where help is.
    (A message that is itself a crisis never gets here: the safety net answers it first.)"""
    if intent in {"affirm", "deny"} or _NO_CALL.search(tracker.latest_message.get("text") or ""):
        return None
    answered = answer_first(dispatcher, tracker, ANSWER)
    if answered is None:
        answered = answer_money_question(dispatcher, tracker, categorie)
        if answered is None:
            return None
    else:
        dispatcher.utter_message(response="utter_crisis_twijfel_verder", chat=chat_lines(categorie))
    return [
        *answered,
        SlotSet("crisis_twijfel", None),
        SlotSet("crisis_modus", None),
        SlotSet("handoff_reden", None),
    ]


def answer_money_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, categorie: str
) -> list[dict[str, Any]] | None:
    """A question about money or a regulation in crisis mode that no topic intent caught ("dat is
    toch niks?? kan er nog wat bij omdat mijn ouders niks geven"): the closest content answer,
    read with the message before it, then once more where help is, day and night. Better than
    "ik begrijp niet alles" to someone who asked something we know. None when the message names
    no topic or nothing is close enough. (A message that is itself a crisis never gets here.)"""
    text = tracker.latest_message.get("text") or ""
    if not (asks(text) and topic_words(text)):
        return None
    answered = answer_in_context(dispatcher, tracker)
    if answered is None:
        answered = answer_first(dispatcher, tracker, ANSWER_WHEN_LOST, buttons=False)
    if answered is None:
        return None
    dispatcher.utter_message(response="utter_crisis_twijfel_verder", chat=chat_lines(categorie))
    return answered


class ActionCrisisVervolg(Action):
    """A turn in crisis mode that would otherwise get a joke, a form or 'ik begrijp je niet'."""

    def name(self) -> str:
        return "action_crisis_vervolg"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        categorie = category_of(tracker.get_slot("crisis_modus"))
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("crisis_twijfel"):
            answered = answer_to_check(dispatcher, tracker, categorie, intent)
            if answered is not None:
                return answered
            moved_on = moved_on_after_doubt(dispatcher, tracker, categorie, intent)
            if moved_on is not None:
                return moved_on
        if _NO_CALL.search(text) or intent == "deny":
            crisis_no_handoff(dispatcher, tracker, categorie)
            return [SlotSet("handoff_reden", "crisis")]
        if intent == "affirm":
            # Every crisis-mode answer ends by offering a person: "ja" takes that offer.
            return [
                SlotSet("handoff_reden", "crisis"),
                SlotSet("handoff_toestemming", True),
                FollowupAction("handoff_form"),
            ]
        if intent in {"regelcheck", "achttien_worden", "meerdere_problemen"}:
            dispatcher.utter_message(response="utter_crisis_eerst_mens")
        elif (answered := answer_money_question(dispatcher, tracker, categorie)) is not None:
            return [*answered, SlotSet("handoff_reden", "crisis")]
        else:
            beter = intent in {"thank", "chitchat", "greet", "goodbye", "feedback_negatief"}
            dispatcher.utter_message(
                response="utter_crisis_beter" if beter else "utter_crisis_luister",
                chat=chat_lines(categorie),
                plekken="\n".join(crisis_places(categorie, gemeente(tracker))[:2]),
            )
        return [SlotSet("handoff_reden", "crisis")]
