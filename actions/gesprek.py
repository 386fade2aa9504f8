"""Actions for eligibility questions, amounts, turning 18, finding help nearby, gemeente and mode."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import gemeente, kb, last_text, regeling_in_focus
from actions.regelingen import _not_found
from knowledge.answers import amount_line, condition_line, resident_fields, service_block
from knowledge.text import normalize_text

ACHTTIEN_FILE = Path(__file__).resolve().parent.parent / "bot" / "achttien.yml"


class ActionRegelingRecht(Action):
    """'heb ik recht op huurtoeslag?': the conditions we know, and an honest 'geen beslissing'."""

    def name(self) -> str:
        return "action_regeling_recht"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reg = regeling_in_focus(tracker)
        if reg is None:
            return _not_found(dispatcher, tracker)
        fields = resident_fields(reg)
        lines = [f"• {condition_line(c)}" for c in reg.voorwaarden] or [f"• {reg.voor_wie}"]
        dispatcher.utter_message(
            response="utter_regeling_recht_intro", naam=reg.naam, voorwaarden="\n".join(lines)
        )
        dispatcher.utter_message(response="utter_regeling_geen_beslissing", **fields)
        return [SlotSet("regeling", reg.id)]


class ActionRegelingBedrag(Action):
    """'hoeveel krijg ik?': amounts with the year they hold for, or honestly none."""

    def name(self) -> str:
        return "action_regeling_bedrag"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reg = regeling_in_focus(tracker)
        if reg is None:
            return _not_found(dispatcher, tracker)
        fields = resident_fields(reg)
        if reg.bedragen:
            dispatcher.utter_message(
                response="utter_regeling_bedragen",
                bedragen="\n".join(f"• {amount_line(a)}" for a in reg.bedragen),
                **fields,
            )
        else:
            dispatcher.utter_message(response="utter_regeling_geen_bedragen", **fields)
        return [SlotSet("regeling", reg.id)]


class ActionRegelingTerugwerkend(Action):
    def name(self) -> str:
        return "action_regeling_terugwerkend"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reg = regeling_in_focus(tracker)
        if reg is None:
            return _not_found(dispatcher, tracker)
        dispatcher.utter_message(response="utter_regeling_terugwerkend", **resident_fields(reg))
        return [SlotSet("regeling", reg.id)]


@lru_cache(maxsize=1)
def achttien_items() -> list[str]:
    return yaml.safe_load(ACHTTIEN_FILE.read_text(encoding="utf8"))["regelingen"]


class ActionAchttien(Action):
    """Turning 18: the checklist of what changes, each with its next step and source."""

    def name(self) -> str:
        return "action_achttien"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        where = gemeente(tracker)
        dispatcher.utter_message(response="utter_achttien_intro")
        for reg_id in achttien_items():
            reg = kb().regeling(reg_id)
            if reg and reg.gemeente in (None, where):
                dispatcher.utter_message(response="utter_achttien_punt", **resident_fields(reg))
        dispatcher.utter_message(response="utter_achttien_slot")
        return []


def find_place(text: str) -> tuple[str | None, str | None, str | None]:
    """(gemeente id, stadsdeel id, display name) named in a text, from the knowledge base."""
    norm = f" {normalize_text(text)} "
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from knowledge.models import Gemeente

    with Session(kb().engine, future=True) as s:
        for gem in s.execute(select(Gemeente)).scalars():
            for sd in gem.stadsdelen:
                for name in [sd.naam, *sd.synoniemen]:
                    if f" {normalize_text(name)} " in norm:
                        return gem.id, sd.id, f"{gem.naam} {sd.naam}"
            for name in [gem.naam, *gem.synoniemen]:
                if f" {normalize_text(name)} " in norm:
                    return gem.id, None, gem.naam
    return None, None, None


class ActionSetGemeente(Action):
    """'ik woon in noord' / 'ik woon in utrecht': remember the area for local answers."""

    def name(self) -> str:
        return "action_set_gemeente"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        gem, sd, naam = find_place(last_text(tracker))
        if gem:
            dispatcher.utter_message(response="utter_gemeente_bekend", plaats=naam)
            return [SlotSet("gemeente", gem), SlotSet("stadsdeel", sd)]
        dispatcher.utter_message(response="utter_gemeente_onbekend")
        words = normalize_text(last_text(tracker)).split()
        other = words[-1] if words else "onbekend"
        return [SlotSet("gemeente", other), SlotSet("stadsdeel", None)]


class ActionZoekHulp(Action):
    """'waar kan ik in zuidoost terecht met schulden': social map by need and neighbourhood."""

    def name(self) -> str:
        return "action_zoek_hulp"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = last_text(tracker)
        gem, sd, naam = find_place(text)
        where = gem or gemeente(tracker)
        stadsdeel = sd or tracker.get_slot("stadsdeel")
        hits = kb().search(
            text, kind="dienst", gemeente=where, stadsdeel=stadsdeel, limit=3, record_miss=True
        )
        services = [
            s for s in (kb().service(h.ref) for h in hits) if s and not s.alleen_via_professional
        ]
        if not services:
            services = kb().help_for("schulden", where, stadsdeel, limit=2)
        if services:
            waar = f" in {naam}" if naam else ""
            dispatcher.utter_message(
                response="utter_zoek_hulp",
                waar=waar,
                plekken="\n".join(service_block(s) for s in services),
            )
        else:
            dispatcher.utter_message(response="utter_zoek_hulp_niets")
        return [SlotSet("gemeente", where), SlotSet("stadsdeel", stadsdeel)] if gem else []


class ActionModus(Action):
    """Switch between resident answers and terse, complete staff answers."""

    def name(self) -> str:
        return "action_modus"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "medewerker_modus":
            dispatcher.utter_message(response="utter_medewerker_modus")
            return [SlotSet("modus", "medewerker")]
        dispatcher.utter_message(response="utter_bewoner_modus")
        return [SlotSet("modus", "bewoner")]
