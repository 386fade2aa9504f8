"""A first overview from the story itself, before any form.

"ik ben alleenstaande moeder van 2, werk 24 uur, 1400 netto, huur 890: wat kan ik nog aanvragen?"
The person already gave what the regelcheck asks. Answering with "zullen we 6 vragen doen?" makes
them tell it again; this names the regulations that may fit right away (the same engine as the
regelcheck, an indication with reasons, never a decision), keeps the facts for the check, and
offers the check for the rest.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import kb, last_text
from knowledge.eligibility import (
    PLACE_REASON,
    Indication,
    Situation,
    candidate_ids,
    past_aow_route,
    regelcheck,
)
from knowledge.text import normalize_text
from nlu.situatie import Facts, facts_from_text

MAX_SHOWN = 9
MARK = "rc_uit_verhaal"  # the regelcheck's facts came from the story
# Asking what there is for them, in the words people use.
_ASKS_OPTIONS = re.compile(
    r"\b(wat (kan|kun|mag) (ik|we|wij|ze|hij|zij) (nog |allemaal |eigenlijk )?(aanvragen|krijgen)"
    r"|waar (heb|hebben) (ik|we|wij) (nog |allemaal |eigenlijk )?recht op"
    r"|welke (regelingen|toeslagen|hulp|potjes|vergoedingen)"
    r"|wat voor (regelingen|toeslagen|hulp|potjes)"
    r"|(is|zijn|bestaat|bestaan) er (nog |ergens )?(iets|regelingen|potjes|een (potje|regeling|fonds))"
    r"|nog meer (geld|hulp|regelingen|toeslagen)"
    r"|what (can|could) (i|we) (get|apply for|claim)|am i entitled|what (benefits|help|support) (is|are|can))\b"
)


def _own_reasons(ind: Indication) -> list[str]:
    """The reasons that come from what the person told, not from where they live."""
    place = PLACE_REASON.split("{")[0]
    return [r for r in ind.redenen if not r.startswith(place)]


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def asks_options(text: str) -> bool:
    """Whether the message asks which regulations there are for them."""
    return bool(_ASKS_OPTIONS.search(normalize_text(text)))


def _slots(facts: Facts) -> list[dict[str, Any]]:
    """The regelcheck's slots for what the story already said, as the form stores them."""
    values = {
        "rc_leeftijd": facts.leeftijd,
        "rc_huishouden": facts.huishouden,
        "rc_inkomen": facts.inkomen_maand,
        "rc_huur": facts.huur_maand,
    }
    return [SlotSet(slot, str(v)) for slot, v in values.items() if v is not None]


def answer_overview(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """The regulations that may fit the story, with the reason for each, or None when the
    message does not ask for options or tells no fact to go on."""
    text = last_text(tracker)
    if not asks_options(text):
        return None
    facts = facts_from_text(text)
    if not facts.any():
        return None
    gemeente = tracker.get_slot("gemeente")
    service = kb()
    situation = Situation(
        leeftijd=facts.leeftijd,
        huishouden=facts.huishouden,
        inkomen_maand=facts.inkomen_maand,
        huur_maand=facts.huur_maand,
        gemeente=gemeente,
    )
    regs = [r for rid in candidate_ids(gemeente) if (r := service.regeling(rid))]
    found = regelcheck(regs, situation, service.regeling("bijstand"))
    # What the story itself supports comes first; a regulation only "because you live here"
    # says nothing about this person and is left to the check.
    results = sorted(
        (i for i in found if _own_reasons(i) and not past_aow_route(i)),
        key=lambda i: (i.status != "waarschijnlijk", -len(_own_reasons(i))),
    )[:MAX_SHOWN]
    if not results:
        return None
    # Regulations that fit for the same reason share a line: "je hebt kinderen" once.
    groups: dict[str, list[str]] = {}
    for i in results:
        groups.setdefault("; ".join(_own_reasons(i)), []).append(i.regeling.naam)
    lines = [f"• {_and(names)}: {reason}" for reason, names in groups.items()]
    dispatcher.utter_message(response="utter_overzicht", regelingen="\n".join(lines))
    return [*_slots(facts), SlotSet("regeling", results[0].regeling.id), SlotSet(MARK, True)]


def gave_overview(events: list[dict[str, Any]] | None) -> bool:
    """Whether these events come from answer_overview (its reply already offers the check)."""
    return any(e.get("event") == "slot" and e.get("name") == MARK for e in events or [])
