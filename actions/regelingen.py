"""Actions that explain a regulation, how to apply, and what to bring."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    gemeente,
    kb,
    last_text,
    regeling_in_focus,
    staff_view,
)
from actions.eenvoudig import short, simple_mode
from actions.kennis import (
    answer_first,
    answer_organisation,
    asks_more_than_the_name,
    say_other_gemeentes,
    suggest,
)
from actions.taal import writes_english
from knowledge.answers import meenemen_list, resident_fields, staff_fields
from knowledge.views import RegelingView


def _not_found(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Say honestly that we don't know which regulation, and offer close matches as buttons."""
    text = last_text(tracker)
    hits = (
        kb().search(text, kind="regeling", gemeente=gemeente(tracker), limit=3, record_miss=True)
        if text
        else []
    )
    dispatcher.utter_message(response="utter_regeling_onbekend")
    if hits:
        buttons = [{"title": h.naam, "payload": f"wat is {h.naam.lower()}"} for h in hits]
        dispatcher.utter_message(response="utter_regeling_suggesties", buttons=buttons)
    return []


class RegelingAnswer:
    """Mixin for an answer about one regulation: the one named in the message, else the one in focus.

    Not an ``Action`` itself, so rasa-sdk does not register it. Subclasses implement :meth:`answer`; when no regulation is known the resident hears so
    honestly, with close matches as buttons. The answered regulation stays in focus.
    """

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, reg: RegelingView
    ) -> list[dict[str, Any]] | None:
        """Utter the answer; return events beyond the regulation in focus, if any."""
        raise NotImplementedError

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        # The intent is the facet and the entity the regulation: "heb ik recht op zorgtoeslag" and
        # "en hoe vraag ik dat aan?" get the card. A question from the content answers first when
        # the message asks more than that ("mag ik mijn auto houden in de bijstand"). In staff mode
        # the complete card answers, unless a staff question fits.
        if asks_more_than_the_name(tracker):
            staff = staff_view(tracker)
            answered = answer_first(dispatcher, tracker, staff_only=staff)
            if answered is not None:
                return answered
        reg = regeling_in_focus(tracker)
        where = gemeente(tracker)
        if reg is not None and reg.gemeente and reg.gemeente != where:
            # "ik woon in diemen, kan ik een stadspas krijgen": Amsterdam's pass is not for Diemen.
            return say_other_gemeentes(dispatcher, reg, where)
        if reg is None:
            answered = answer_organisation(dispatcher, tracker)
            if answered is not None:
                return answered
            if suggest(dispatcher, tracker):
                return []
            return _not_found(dispatcher, tracker)
        extra = self.answer(dispatcher, tracker, reg) or []
        return [SlotSet("regeling", reg.id), *extra]


class ActionRegelingUitleg(RegelingAnswer, Action):
    """'wat is zorgtoeslag': B1 summary, one next step, source and peildatum."""

    def name(self) -> str:
        return "action_regeling_uitleg"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, reg: RegelingView) -> None:
        if staff_view(tracker):
            dispatcher.utter_message(response="utter_regeling_staff", **staff_fields(reg))
            return
        fields = resident_fields(reg, writes_english(tracker))
        if simple_mode(tracker):
            # Someone who reads with difficulty: the summary's first sentences, one step, a call.
            fields["samenvatting"] = short(fields["samenvatting"])
            dispatcher.utter_message(response="utter_regeling_uitleg", **fields)
            dispatcher.utter_message(response="utter_regeling_volgende_stap", **fields)
            dispatcher.utter_message(response="utter_eenvoudig_bellen")
            return
        dispatcher.utter_message(response="utter_regeling_uitleg", **fields)
        dispatcher.utter_message(response="utter_regeling_volgende_stap", **fields)
        if reg.let_op:
            dispatcher.utter_message(response="utter_regeling_let_op", **fields)
        related = [
            naam
            for rid, naam in reg.gerelateerd
            if (r := kb().regeling(rid)) and r.gemeente in (None, gemeente(tracker))
        ]
        if related:
            names = ", ".join(related[:3])
            dispatcher.utter_message(
                response="utter_regeling_gerelateerd", naam=reg.naam, gerelateerd=names
            )
        if reg.persoonlijk_advies:
            dispatcher.utter_message(response="utter_regeling_persoonlijk")


class ActionRegelingAanvragen(RegelingAnswer, Action):
    """'hoe vraag ik huurtoeslag aan' (or 'en hoe vraag ik dat aan?' for the one in focus)."""

    def name(self) -> str:
        return "action_regeling_aanvragen"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, reg: RegelingView) -> None:
        fields = resident_fields(reg, writes_english(tracker))
        dispatcher.utter_message(response="utter_regeling_aanvragen", **fields)
        if reg.meenemen:
            dispatcher.utter_message(
                response="utter_regeling_meenemen", meenemen=meenemen_list(reg), **fields
            )


class ActionRegelingMeenemen(RegelingAnswer, Action):
    """'wat moet ik meenemen?' for the named regulation or the one in focus."""

    def name(self) -> str:
        return "action_regeling_meenemen"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, reg: RegelingView) -> None:
        fields = resident_fields(reg, writes_english(tracker))
        if reg.meenemen:
            dispatcher.utter_message(
                response="utter_regeling_meenemen", meenemen=meenemen_list(reg), **fields
            )
        else:
            dispatcher.utter_message(response="utter_regeling_meenemen_onbekend", **fields)
