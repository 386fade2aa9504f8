"""Handoff to a person, the resident's side: consent, a summary to confirm, contact preference,
honest expectations from office hours, and cancelling while waiting."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import gemeente, kb, places_text
from actions.crisis import crisis_no_handoff, offer_kept_question
from actions.office_hours import hours, when_text
from actions.taal import writes_english
from channels.cases import default_store
from channels.crypto import encrypt
from channels.notify import notify_new_case
from knowledge.answers import service_block
from knowledge.content import valid_phone
from nlu.pii import mask

FORM_SLOTS = [
    "handoff_toestemming",
    "handoff_samenvatting_ok",
    "handoff_vraag",
    "handoff_contact",
    "handoff_telefoon",
]
_SKIP = {"ja", "nee", "ok", "oke", "hoi", "hallo", "hey"}


def summary_of(tracker: Tracker, max_messages: int = 3, max_len: int = 300) -> str:
    """The resident's own recent words (personal data masked), newest last."""
    texts: list[str] = []
    for e in reversed(tracker.events):
        if e.get("event") == "session_started":
            break
        if e.get("event") != "user":
            continue
        text = (e.get("text") or "").strip()
        intent = (e.get("parse_data") or {}).get("intent", {}).get("name")
        if (
            not text
            or text.startswith("/")
            or text.lower() in _SKIP
            or intent in {"vraag_mens", "affirm", "deny"}
        ):
            continue
        texts.append(text)
        if len(texts) >= max_messages:
            break
    joined = " / ".join(reversed(texts))
    return mask(joined)[:max_len]


def no_question_yet(tracker: Tracker) -> bool:
    """True when the form should ask for the question: the resident has said nothing to
    summarise, or is already being asked (a short answer that was refused does not turn into a
    summary to confirm), or has answered it."""
    return (
        bool(tracker.get_slot("handoff_vraag"))
        or tracker.get_slot("requested_slot") == "handoff_vraag"
        or not summary_of(tracker)
    )


def _channel(tracker: Tracker) -> str:
    return (tracker.get_latest_input_channel() or "bw").split(".")[-1]


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("handoff_toestemming") is False:
            return []
        slots = ["handoff_toestemming"]
        if tracker.get_slot("handoff_samenvatting_ok") is None and no_question_yet(tracker):
            # Nothing to summarise (the first message asked for a person): ask for the question
            # itself instead of confirming an empty summary (issue #20 item 2).
            slots.append("handoff_vraag")
        else:
            slots.append("handoff_samenvatting_ok")
            if tracker.get_slot("handoff_samenvatting_ok") is False:
                slots.append("handoff_vraag")
        slots.append("handoff_contact")
        if tracker.get_slot("handoff_contact") == "bellen":
            slots.append("handoff_telefoon")
        return slots

    def validate_handoff_vraag(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if len(text) < 3 or text.lower().strip(".!?") in _SKIP:
            dispatcher.utter_message(response="utter_handoff_vraag_te_kort")
            return {"handoff_vraag": None}
        return {"handoff_vraag": mask(text)[:300]}

    def validate_handoff_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").lower()
        if re.search(r"\bbel|telefoon|terugbel|call", text):
            return {"handoff_contact": "bellen"}
        if re.search(r"chat|hier|app|typ|bericht|whatsapp|telegram", text):
            return {"handoff_contact": "chat"}
        dispatcher.utter_message(response="utter_handoff_contact_onduidelijk")
        return {"handoff_contact": None}

    def validate_handoff_telefoon(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        digits = re.sub(r"[^\d+]", "", str(value or ""))
        if digits.startswith("+31"):
            digits = "0" + digits[3:]
        if not (len(digits) == 10 and digits.startswith("0") and valid_phone(digits)):
            dispatcher.utter_message(response="utter_handoff_telefoon_ongeldig")
            return {"handoff_telefoon": None}
        # Never keep the number in the clear: the slot holds it encrypted.
        return {"handoff_telefoon": "enc:" + encrypt(digits)}


class ActionAskHandoffSamenvattingOk(Action):
    """Shows the summary that staff will see and asks the resident to confirm it."""

    def name(self) -> str:
        return "action_ask_handoff_samenvatting_ok"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        samenvatting = summary_of(tracker) or "(nog geen vraag gesteld)"
        dispatcher.utter_message(
            response="utter_ask_handoff_samenvatting_ok", samenvatting=samenvatting
        )
        return [SlotSet("handoff_samenvatting", samenvatting)]


class ActionAskHandoffVraag(Action):
    """Asks for the question in the resident's own words: after 'nee' to the summary, or first
    of all when there was nothing to summarise yet."""

    def name(self) -> str:
        return "action_ask_handoff_vraag"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        rejected = tracker.get_slot("handoff_samenvatting_ok") is False
        dispatcher.utter_message(
            response="utter_ask_handoff_vraag" if rejected else "utter_ask_handoff_vraag_eerst"
        )
        return []


def emergency_lines(resident_gemeente: str) -> str:
    lines = []
    for org_id in hours().noodlijnen:
        for svc in kb().organisation_services(org_id)[:1]:
            if svc.gemeente in (None, resident_gemeente):
                lines.append(service_block(svc, max_channels=3))
    return "\n".join(lines)


#: How the staff member will respond, (Dutch, English) x (chat, call back): the {hoe} of the
#: confirmation; and the fallback for {wanneer}.
_HOW = (
    ("reageert hier in de chat", "belt je terug"),
    ("will reply here in the chat", "will call you back"),
)
_NEXT_DAY = ("de eerstvolgende werkdag", "the next working day")


class ActionHandoffSubmit(Action):
    """Creates the case (or respects a 'no'), and says honestly when someone will respond."""

    def name(self) -> str:
        return "action_handoff_submit"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reset = [SlotSet(s, None) for s in FORM_SLOTS] + [
            SlotSet("handoff_samenvatting", None),
            SlotSet("handoff_reden", None),
        ]
        crisis = tracker.get_slot("crisis_modus")
        if tracker.get_slot("handoff_toestemming") is not True:
            if crisis:
                # In crisis mode a "no" is never the end: the text-based lines stay on offer.
                crisis_no_handoff(dispatcher, tracker, crisis)
                return reset + offer_kept_question(dispatcher, tracker)
            dispatcher.utter_message(response="utter_handoff_geen_toestemming")
            places = kb().help_for("schulden", gemeente(tracker), limit=2)
            if places:
                dispatcher.utter_message(
                    response="utter_vraag_mens", plekken=places_text(tracker, places)
                )
            return reset
        # Masked again here: the slots were masked when they were filled, but a case is read by
        # staff, so nothing from a slot reaches it unmasked (a forged or older tracker included).
        samenvatting = mask(
            tracker.get_slot("handoff_vraag")
            or tracker.get_slot("handoff_samenvatting")
            or summary_of(tracker)
            or ""
        )
        contact = tracker.get_slot("handoff_contact") or "chat"
        telefoon = tracker.get_slot("handoff_telefoon")
        case = default_store().create(
            sender_id=tracker.sender_id,
            channel=_channel(tracker),
            reden="crisis" if crisis else tracker.get_slot("handoff_reden") or "vraag",
            samenvatting=samenvatting,
            contact_voorkeur=contact,
            telefoon_versleuteld=telefoon[4:]
            if isinstance(telefoon, str) and telefoon.startswith("enc:")
            else None,
        )
        notify_new_case(case.id, case.reden)
        h = hours()
        now = dt.datetime.now(dt.timezone.utc)
        english = writes_english(tracker)
        how = _HOW[english][contact == "bellen"]
        if h.is_open(now):
            dispatcher.utter_message(
                response="utter_handoff_aangemaakt_open",
                nummer=case.id,
                hoe=how,
                kantoortijden=h.describe(english),
            )
        else:
            nxt = h.next_opening(now)
            dispatcher.utter_message(
                response="utter_handoff_aangemaakt_dicht",
                nummer=case.id,
                hoe=how,
                wanneer=when_text(nxt, english) if nxt else _NEXT_DAY[english],
                noodnummers=emergency_lines(gemeente(tracker)),
            )
        dispatcher.utter_message(response="utter_handoff_annuleren_kan")
        return reset + offer_kept_question(dispatcher, tracker)


class ActionHandoffAnnuleren(Action):
    """'stop' / 'annuleer' while a case waits: cancel it; otherwise just stop any questions."""

    def name(self) -> str:
        return "action_handoff_annuleren"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cancelled = default_store().cancel_for(tracker.sender_id)
        if cancelled:
            dispatcher.utter_message(response="utter_handoff_geannuleerd", nummer=cancelled.id)
        else:
            dispatcher.utter_message(response="utter_gestopt")
        return [SlotSet(s, None) for s in FORM_SLOTS]
