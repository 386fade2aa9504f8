"""The regelcheck form and its result: six short questions, then an indication with reasons.

Answers are read from free text (``nlu.numbers``); "weet ik niet" is a fine answer and leaves that
fact open. The result lists regulations from ``knowledge.eligibility``, each with reasons, the year
of the amounts and a clear "geen beslissing", then how to apply.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import find_place, kb
from knowledge.eligibility import Situation, candidate_ids, regelcheck
from knowledge.text import normalize_text
from nlu import numbers

UNKNOWN = "onbekend"
SLOTS = ["rc_gemeente", "rc_leeftijd", "rc_huishouden", "rc_inkomen", "rc_huur", "rc_vermogen"]
MAX_RESULTS = 6


def parse_huishouden(text: str) -> str | None:
    """'alleen met 2 kids' -> alleenstaande_ouder; 'samen met mn vriend' -> partners."""
    norm = normalize_text(text)
    kids = re.search(r"\b(kind|kinderen|kids|zoon|dochter|baby|kindje)\b", norm)
    partner = re.search(
        r"\b(partner|man|vrouw|vriend|vriendin|echtgeno\w*|getrouwd|samenwonend|samen)\b", norm
    )
    if partner:
        return "partners_kinderen" if kids else "partners"
    if kids:
        return "alleenstaande_ouder"
    if re.search(r"\b(alleen|alleenstaand|single|niemand|in mn eentje|op mezelf)\b", norm):
        return "alleenstaand"
    return None


# A place name as people type it: letters, spaces, hyphens, at most a few words.
PLACE_NAME = re.compile(r"[^\W\d_][^\W\d_' -]{1,30}(?:[ -][^\W\d_']{1,20}){0,2}")
#: An unusable answer is asked again once; the second one skips the question.
MAX_MISSES = 2


class ValidateRegelcheckForm(FormValidationAction):
    """Turns each free-text answer into a canonical value, or asks again kindly."""

    def name(self) -> str:
        return "validate_regelcheck_form"

    def validate_rc_gemeente(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if numbers.is_unknown(text):
            return {"rc_gemeente": UNKNOWN}
        gem, sd, _ = find_place(text)
        if gem:
            return {"rc_gemeente": gem, "gemeente": gem, "stadsdeel": sd, "rc_missers": 0}
        if not PLACE_NAME.fullmatch(text.strip()):
            # "hoezo wil je dat weten?" is not a place: ask again, at most twice.
            return self._miss("rc_gemeente", "utter_rc_gemeente_onduidelijk", dispatcher, tracker)
        plaats = text.strip()[:40] or "die plaats"
        dispatcher.utter_message(response="utter_rc_gemeente_onbekend", plaats=plaats)
        return {"rc_gemeente": normalize_text(plaats) or UNKNOWN}

    def validate_rc_leeftijd(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if numbers.is_unknown(text):
            return {"rc_leeftijd": UNKNOWN}
        age = numbers.parse_age(text, bare=True)
        if age is None:
            m = re.search(r"\b(\d{1,3})\b", text)
            age = int(m.group(1)) if m and 0 < int(m.group(1)) < 120 else None
        if age is None:
            return self._miss("rc_leeftijd", "utter_rc_leeftijd_onduidelijk", dispatcher, tracker)
        return {"rc_leeftijd": str(age), "rc_missers": 0}

    def validate_rc_huishouden(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if numbers.is_unknown(text):
            return {"rc_huishouden": UNKNOWN}
        found = parse_huishouden(text)
        if found is None:
            return self._miss(
                "rc_huishouden", "utter_rc_huishouden_onduidelijk", dispatcher, tracker
            )
        return {"rc_huishouden": found, "rc_missers": 0}

    def _miss(
        self, slot: str, reask: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """An answer the check cannot use: ask again once; the second miss skips the question
        (the check goes on with what it has, as with 'weet ik niet')."""
        misses = int(tracker.get_slot("rc_missers") or 0) + 1
        if misses >= MAX_MISSES:
            dispatcher.utter_message(response="utter_rc_overslaan")
            return {slot: UNKNOWN, "rc_missers": 0}
        dispatcher.utter_message(response=reask)
        return {slot: None, "rc_missers": misses}

    def _amount(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        text = str(value or "")
        if numbers.is_unknown(text):
            return {slot: UNKNOWN}
        cents = numbers.parse_amount(text)
        if cents is None:
            return self._miss(slot, "utter_rc_bedrag_onduidelijk", dispatcher, tracker)
        return {slot: str(cents), "rc_missers": 0}

    def validate_rc_inkomen(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._amount("rc_inkomen", value, dispatcher, tracker)

    def validate_rc_huur(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._amount("rc_huur", value, dispatcher, tracker)

    def validate_rc_vermogen(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._amount("rc_vermogen", value, dispatcher, tracker)


def _known(value: Any) -> str | None:
    return None if value in (None, UNKNOWN) else str(value)


def situation_of(tracker: Tracker) -> Situation:
    """The Situation from the form's slots; unknowns stay None."""

    def cents(slot: str) -> int | None:
        v = _known(tracker.get_slot(slot))
        return int(v) if v is not None else None

    age = _known(tracker.get_slot("rc_leeftijd"))
    return Situation(
        leeftijd=int(age) if age else None,
        huishouden=_known(tracker.get_slot("rc_huishouden")),
        inkomen_maand=cents("rc_inkomen"),
        huur_maand=cents("rc_huur"),
        vermogen=cents("rc_vermogen"),
        gemeente=_known(tracker.get_slot("rc_gemeente")),
    )


class ActionRegelcheckResultaat(Action):
    """Lists what the person probably qualifies for, with reasons, years and how to apply."""

    def name(self) -> str:
        return "action_regelcheck_resultaat"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        s = situation_of(tracker)
        service = kb()
        regs = [r for rid in candidate_ids(s.gemeente) if (r := service.regeling(rid))]
        results = regelcheck(regs, s, service.regeling("bijstand"))[:MAX_RESULTS]
        if not results:
            dispatcher.utter_message(response="utter_regelcheck_niets")
        else:
            dispatcher.utter_message(response="utter_regelcheck_intro")
            years: set[int] = set()
            for ind in results:
                years |= ind.jaren
                open_part = f" Nog onzeker: {ind.open[0]}" if ind.open else ""
                dispatcher.utter_message(
                    response="utter_regelcheck_regeling",
                    naam=ind.regeling.naam,
                    status=("waarschijnlijk" if ind.status == "waarschijnlijk" else "misschien"),
                    redenen="; ".join(ind.redenen) or "past bij wat je vertelde",
                    open=open_part.rstrip(".") + ("." if open_part else ""),
                    volgende_stap=ind.regeling.volgende_stap,
                )
            jaren = ", ".join(str(y) for y in sorted(years)) or "het jaar op de bronpagina"
            dispatcher.utter_message(response="utter_regelcheck_slot", jaren=jaren)
        events: list[dict[str, Any]] = [SlotSet(slot, None) for slot in [*SLOTS, "rc_uit_verhaal"]]
        if results:
            events.append(SlotSet("regeling", results[0].regeling.id))
        return events


class ActionRegelcheckGestopt(Action):
    """Stopping halfway is fine: forget the answers and say how to start again."""

    def name(self) -> str:
        return "action_regelcheck_gestopt"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_regelcheck_gestopt")
        return [SlotSet(slot, None) for slot in SLOTS] + [SlotSet("requested_slot", None)]
