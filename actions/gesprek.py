"""Actions for eligibility questions, amounts, turning 18, finding help nearby, gemeente and mode."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    entity,
    find_place,
    gemeente,
    kb,
    known_gemeente,
    last_text,
    place_named,
    place_title,
    staff_view,
)
from actions.fallback import ActionFallback
from actions.kennis import (
    ANSWER_WHEN_LOST,
    FULL_QUESTION_WORDS,
    SUGGEST,
    answer_contact,
    answer_first,
    answer_from_content,
    message_before,
    named_records,
    question_beyond,
    ranked_questions,
    say_answers,
)
from actions.regelingen import RegelingAnswer
from actions.taal import writes_english
from knowledge import yamlfile
from knowledge.answers import (
    MONTHS_EN,
    amount_line,
    condition_line,
    datum,
    resident_fields,
    service_block,
)
from knowledge.eligibility import Situation, assess
from knowledge.faq import family, topic_words
from knowledge.text import normalize_text
from knowledge.views import RegelingView
from nlu import numbers

ACHTTIEN_FILE = Path(__file__).resolve().parent.parent / "bot" / "achttien.yml"


def age_verdict(reg: RegelingView, age: int) -> str:
    """'en als ik 19 ben?': what the age conditions of a regulation say for this age."""
    result = assess(reg, Situation(leeftijd=age))
    age_conditions = [c for c in reg.voorwaarden if c.soort == "leeftijd"]
    if not age_conditions:
        return f"voor {reg.naam} ken ik geen leeftijdsgrens. De andere voorwaarden blijven gelden."
    if result is None:
        failing = next(
            (c.tekst for c in age_conditions if c.veld == "leeftijd"), age_conditions[0].tekst
        )
        return f"{reg.naam} past niet bij je leeftijd. {failing}"
    texts = " ".join(c.tekst for c in age_conditions)
    return f"je leeftijd past bij {reg.naam}. {texts} De andere voorwaarden blijven gelden."


#: Characters of conditions in a resident's first reply: with the intro it stays under 600, the
#: length a phone shows without scrolling far (issue #15). Staff get every condition.
CONDITIONS_BUDGET = 480


def fit_in_first_reply(lines: list[str], budget: int = CONDITIONS_BUDGET) -> list[str]:
    """The first conditions that fit the budget (at least one), and a line saying how many more
    there are and where they stand."""
    kept: list[str] = []
    used = 0
    for line in lines:
        if kept and used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    rest = len(lines) - len(kept)
    if rest:
        word = "voorwaarde" if rest == 1 else "voorwaarden"
        kept.append(
            f"• Er {'is' if rest == 1 else 'zijn'} nog {rest} {word}: die staan op de bronpagina."
        )
    return kept


#: A question about the age itself ("ben ik oud genoeg", "vanaf welke leeftijd"), answered with
#: what the age conditions say.
_ASKS_ABOUT_AGE = re.compile(
    r"\b(leeftijd\w*|oud genoeg|te jong|te oud|hoe oud|jong genoeg|vanaf (welke|hoeveel|wanneer)"
    r"|tot (welke|hoeveel)|op (mijn|je|zijn|haar) \d+|als ik \d+ (ben|word)|old enough|too young|age)\b"
)


class ActionRegelingRecht(RegelingAnswer, Action):
    """'heb ik recht op huurtoeslag?': the conditions we know, and an honest 'geen beslissing'."""

    def name(self) -> str:
        return "action_regeling_recht"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, reg: RegelingView
    ) -> list[dict[str, Any]] | None:
        fields = resident_fields(reg, writes_english(tracker))
        age = entity(tracker, "leeftijd")
        if isinstance(age, (int, float)) and not isinstance(age, bool):
            if not _ASKS_ABOUT_AGE.search(normalize_text(last_text(tracker))):
                # "ik ben 24 en de huur is 950, krijg ik huurtoeslag?": the age is part of the
                # story; a question from the content about this regulation answers better than
                # the age check alone.
                hits = ranked_questions(tracker, limit=1)
                if hits and hits[0].score >= ANSWER_WHEN_LOST and hits[0].vraag.record_id == reg.id:
                    return say_answers(dispatcher, tracker, hits[0])
            dispatcher.utter_message(
                response="utter_regeling_leeftijd",
                leeftijd=int(age),
                oordeel=age_verdict(reg, int(age)),
            )
            dispatcher.utter_message(response="utter_regeling_geen_beslissing", **fields)
            return
        lines = [f"• {condition_line(c)}" for c in reg.voorwaarden] or [f"• {reg.voor_wie}"]
        if not staff_view(tracker):
            lines = fit_in_first_reply(lines)
        dispatcher.utter_message(
            response="utter_regeling_recht_intro", naam=reg.naam, voorwaarden="\n".join(lines)
        )
        dispatcher.utter_message(response="utter_regeling_geen_beslissing", **fields)


#: "hoeveel tijd", "hoe lang", "binnen hoeveel weken": a question about time, not an amount.
_ASKS_ABOUT_TIME = re.compile(
    r"\b(hoeveel (tijd|dagen|weken|maanden|jaar)|hoe lang|hoelang|termijn|binnen hoeveel"
    r"|how long|how much time)\b"
)


class ActionRegelingBedrag(RegelingAnswer, Action):
    """'hoeveel krijg ik?': amounts with the year they hold for, or honestly none."""

    def name(self) -> str:
        return "action_regeling_bedrag"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, reg: RegelingView
    ) -> list[dict[str, Any]] | None:
        # "binnen hoeveel tijd moet dat?", "hoeveel extra kan dat maximaal?": a question from the
        # content about this regulation answers what the list of amounts cannot; when the
        # regulation has no amounts at all, a less close question still beats "geen bedrag".
        time = bool(_ASKS_ABOUT_TIME.search(normalize_text(last_text(tracker))))
        floor = SUGGEST if time or not reg.bedragen else ANSWER_WHEN_LOST
        # With amounts to show, only a question about an amount beats them; what the regulation
        # is never answers "hoeveel".
        facets = {"bedrag"} if reg.bedragen and not time else None
        where = gemeente(tracker)
        hit = next(
            (
                h
                for h in ranked_questions(tracker, limit=5)
                if family(h.vraag.record_id, where) == family(reg.id, where)
            ),
            None,
        )
        if (
            hit is not None
            and hit.score >= floor
            and hit.vraag.facet != "wat"
            and (facets is None or hit.vraag.facet in facets)
        ):
            return say_answers(dispatcher, tracker, hit)
        fields = resident_fields(reg, writes_english(tracker))
        if reg.bedragen:
            dispatcher.utter_message(
                response="utter_regeling_bedragen",
                bedragen="\n".join(f"• {amount_line(a)}" for a in reg.bedragen),
                **fields,
            )
        else:
            dispatcher.utter_message(response="utter_regeling_geen_bedragen", **fields)


class ActionRegelingTerugwerkend(RegelingAnswer, Action):
    def name(self) -> str:
        return "action_regeling_terugwerkend"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, reg: RegelingView) -> None:
        dispatcher.utter_message(
            response="utter_regeling_terugwerkend", **resident_fields(reg, writes_english(tracker))
        )


@lru_cache(maxsize=1)
def achttien_items() -> list[dict[str, Any]]:
    """The turning-18 checklist from ``bot/achttien.yml`` (ids, month offsets, wording)."""
    return yamlfile.read(ACHTTIEN_FILE)["regelingen"]


def when_for(
    item: dict[str, Any],
    birthday: dt.date | None,
    today: dt.date | None = None,
    english: bool = False,
) -> str:
    """'Vanaf 1 juli 2027' from the month of turning 18, or the general wording; in English when
    the conversation is. A date that has already passed is never shown as a to-do: it says to do
    it now (issue #17 item 5)."""
    en = "_en" if english else ""
    if birthday is None or "maanden" not in item:
        return item[f"tekst{en}"] if birthday is None else item[f"wanneer{en}"]
    day = numbers.add_months(birthday, int(item["maanden"]))
    if item.get("kwartaal"):
        # Paid up to and including the quarter of the birthday: its last month.
        day = dt.date(day.year, (day.month - 1) // 3 * 3 + 3, 1)
    today = today or dt.date.today()
    if day < dt.date(today.year, today.month, 1):
        return f"{'Now (from' if english else 'Nu al (vanaf'} {month_year(day, english)})"
    return item[f"wanneer{en}"].format(
        datum=_day_label(day, english),
        maand=month_year(day, english),
    )


def month_year(day: dt.date, english: bool = False) -> str:
    """'juni 2027', or 'June 2027' in an English conversation."""
    return f"{MONTHS_EN[day.month - 1]} {day.year}" if english else numbers.month_year_label(day)


def _day_label(day: dt.date, english: bool) -> str:
    """'1 juni 2027', or '1 June 2027'."""
    return datum(day, english) if english else numbers.month_label(day)


class ValidateAchttienForm(FormValidationAction):
    """Reads the month of the 18th birthday, also from the first message ('ik word 18 in juni')."""

    def name(self) -> str:
        return "validate_achttien_form"

    async def extract_achttien_maand(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = last_text(tracker)
        asked = tracker.get_slot("requested_slot") == "achttien_maand"
        if not text or (not asked and tracker.get_slot("achttien_maand")):
            return {}
        if asked and numbers.is_unknown(text):
            return {"achttien_maand": "onbekend"}
        day = numbers.parse_birthday_18(text, dt.date.today())
        if day:
            return {"achttien_maand": day.isoformat()}
        if re.search(r"\b(al 18|ben 18|18 geworden|ben al|19|20)\b", normalize_text(text)):
            return {"achttien_maand": "onbekend"}
        if asked:
            dispatcher.utter_message(response="utter_achttien_maand_onduidelijk")
        return {}


class ActionAchttien(Action):
    """Turning 18: the checklist of what changes, with dates when we know the month."""

    def name(self) -> str:
        return "action_achttien"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        where = gemeente(tracker)
        value = tracker.get_slot("achttien_maand")
        birthday = dt.date.fromisoformat(value) if value and value != "onbekend" else None
        english = writes_english(tracker)
        if birthday:
            dispatcher.utter_message(
                response="utter_achttien_persoonlijk", maand=month_year(birthday, english)
            )
        else:
            dispatcher.utter_message(response="utter_achttien_intro")
        for item in achttien_items():
            reg = kb().regeling(item["id"])
            if reg and reg.gemeente in (None, where):
                fields = resident_fields(reg, english)
                if item.get("stap"):
                    fields["volgende_stap"] = item["stap_en" if english else "stap"]
                dispatcher.utter_message(
                    response="utter_achttien_datum_punt",
                    wanneer=when_for(item, birthday, english=english),
                    **fields,
                )
        dispatcher.utter_message(response="utter_achttien_slot")
        return [SlotSet("achttien_maand", None)]


#: "waar kan ik heen?", "wie helpt mij daar?": a message that gives a place and asks for help there.
_ASKS_WHERE = re.compile(r"\b(waar|wie|welke?|where|who|which)\b")
#: Words that say where someone lives, not what they ask.
_LIVING = frozenset({"woon", "wonen", "woont", "woonachtig", "adres", "live", "living"})
#: Any question word: a message with a place and one of these may ask something about the place.
_ASKS = re.compile(
    r"\b(waar|wie|welke?|wat|hoe|hoeveel|wanneer|mag|kan|kun|moet|nummer|telefoon|open|adres"
    r"|where|who|which|what|how|when|can|number)\b"
)


def say_local_help(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    text: str,
    where: str | None,
    stadsdeel: str | None,
    naam: str | None,
    front_door_first: bool = False,
) -> None:
    """The social map's places for what ``text`` asks, in this gemeente and stadsdeel (the
    schulden help when nothing fits better). ``front_door_first``: the area's front door for
    money worries (the buurtteam in Amsterdam) leads, for a question that only says "where"."""
    hits = kb().search(
        text, kind="dienst", gemeente=where, stadsdeel=stadsdeel, limit=3, record_miss=True
    )
    services = [
        s for s in (kb().service(h.ref) for h in hits) if s and not s.alleen_via_professional
    ]
    if front_door_first or not services:
        door = kb().help_for("schulden", where, stadsdeel, limit=1 if services else 2)
        seen = {s.id for s in door}
        services = [*door, *(s for s in services if s.id not in seen)][:3]
    if services:
        waar = f" in {naam}" if naam else ""
        dispatcher.utter_message(
            response="utter_zoek_hulp",
            waar=waar,
            plekken="\n".join(
                service_block(s, stadsdeel=stadsdeel, english=writes_english(tracker))
                for s in services
            ),
        )
    else:
        dispatcher.utter_message(response="utter_zoek_hulp_niets")


class ActionSetGemeente(Action):
    """'ik woon in noord' / 'ik woon in utrecht': remember the area for local answers."""

    def name(self) -> str:
        return "action_set_gemeente"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = last_text(tracker)
        norm = normalize_text(text)
        gem, sd, naam = find_place(text)
        # "ik woon in noord" says where, it asks nothing: an organisation with "Noord" in its
        # name is not the answer. Anything besides the place ("... en heb huurachterstand") may be.
        place_words = topic_words(" ".join(str(w) for w in (naam, gem, sd) if w)) | _LIVING
        place_words |= topic_words("amsterdam")  # "wij wonen niet in amsterdam" asks nothing
        asks = "?" in text or _ASKS.search(norm) or bool(topic_words(text) - place_words)
        answered = answer_from_content(dispatcher, tracker) if asks else None
        if answered is not None:
            # "gemeente amsterdam tel nummer?": a question with a place in it; keep the place.
            return (
                [*answered, SlotSet("gemeente", gem), SlotSet("stadsdeel", sd)] if gem else answered
            )
        if gem:
            dispatcher.utter_message(response="utter_gemeente_bekend", plaats=naam)
            if _ASKS_WHERE.search(norm):
                # "ik woon in oost. waar kan ik heen?" after "ik heb schulden": the places there,
                # for what the message before it was about.
                before = message_before(tracker) or ""
                say_local_help(
                    dispatcher,
                    tracker,
                    f"{before} {text}".strip(),
                    gem,
                    sd,
                    naam,
                    front_door_first=True,
                )
            return [SlotSet("gemeente", gem), SlotSet("stadsdeel", sd)]
        dispatcher.utter_message(response="utter_gemeente_onbekend")
        # Only a place the person says they live in ("ik woon in utrecht"), or a short answer
        # ("utrecht", "uit zaanstad"), is remembered: the last word of a sentence like "ik ga
        # verhuizen naar een andere stad" would later read as "Je woont in Stad".
        words = norm.split()
        other = place_named(text) or (words[-1] if 0 < len(words) <= 3 else None)
        return [SlotSet("gemeente", other), SlotSet("stadsdeel", None)] if other else []


class ActionZoekHulp(Action):
    """'waar kan ik in zuidoost terecht met schulden': social map by need and neighbourhood."""

    def name(self) -> str:
        return "action_zoek_hulp"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = last_text(tracker)
        gem, sd, naam = find_place(text)
        # "waar kan ik in zuidoost terecht": a place asks for the local listing, not a question;
        # "waar is het buurtteam in noord" names the organisation: its own answer first.
        names_one = bool(named_records(tracker)["organisatie"])
        answered = None if gem and not names_one else answer_first(dispatcher, tracker)
        if answered is not None:
            return answered
        where = gem or gemeente(tracker)
        stadsdeel = sd or tracker.get_slot("stadsdeel")
        elsewhere = known_gemeente(where) is None
        if elsewhere:
            # "ik woon in utrecht, waar is het buurtteam": not Amsterdam's buurtteam. Say what we
            # know (national help) and who finds help there.
            dispatcher.utter_message(response="utter_elders_hulp", plaats=place_title(where))
        say_local_help(dispatcher, tracker, text, where, stadsdeel, naam)
        return (
            [SlotSet("gemeente", where), SlotSet("stadsdeel", stadsdeel)]
            if gem or elsewhere
            else []
        )


_TO_RESIDENT = re.compile(
    r"\b(gewon\w*|normaa?l\w*|bewoner\w*|uit|stop|exit|verlaat|terug|back|makkelijke?|eenvoudig\w*"
    r"|geen medewerker|voor mezelf|resident)\b"
)
_TO_STAFF = re.compile(
    r"\b(aan|medewerker\w*|staff|profession\w*|consulent|hulpverlener|buurtteam|clie?nt|"
    r"uitgebreide?|volledige?|social worker)\b"
)


def wanted_mode(text: str, current: str | None) -> str:
    """'zet medewerkermodus aan' -> medewerker, 'uit staff modus' -> bewoner.

    One intent (``modus``) covers both directions: the words that say the direction decide.
    Without such words ("modus wisselen") the mode toggles from the current one.
    """
    norm = normalize_text(text)
    resident = bool(_TO_RESIDENT.search(norm))
    staff = bool(_TO_STAFF.search(norm))
    if re.search(r"\b(uit|stop|exit|verlaat|geen medewerker)\b", norm):  # "medewerkermodus uit"
        return "bewoner"
    if resident and not staff:
        return "bewoner"
    if staff and not resident:
        return "medewerker"
    return "bewoner" if current == "medewerker" else "medewerker"


_MODE_WORD = re.compile(r"\b(modus|mode|stand|versie)\b")
_INTRODUCES = re.compile(r"\b(ik ben|ik werk|kben|k ben|i am|i m|im|i work)\b")


#: Words about role or mode; what is left of a message is a question, if any ("Telefoonnummer
#: FBNA voor hulpverleners?" asks a phone number; "gewone modus" asks nothing).
_MODE_FRAME = re.compile(f"{_MODE_WORD.pattern}|{_TO_STAFF.pattern}|{_TO_RESIDENT.pattern}")


class ActionModus(Action):
    """Switch between resident answers and terse, complete staff answers; a question in the same
    message is answered too, and a question that only contains a word like 'gewoon' or 'cliënt'
    is answered instead of switching."""

    def name(self) -> str:
        return "action_modus"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = last_text(tracker)
        current = tracker.get_slot("modus") or "bewoner"
        wanted = wanted_mode(text, tracker.get_slot("modus"))
        norm = normalize_text(text)
        explicit = bool(_MODE_WORD.search(norm))
        # "ik ben hulpverlener, ...": a switch; "telefoonnummer voor hulpverleners?": a question.
        switch = explicit or (wanted != current and bool(_INTRODUCES.search(norm)))
        hit = question_beyond(tracker, _MODE_FRAME)
        events: list[dict[str, Any]] = []
        if hit is not None and not switch:
            # "heb ik een speciale digid nodig of gewoon de normale": a question, not a switch.
            return say_answers(dispatcher, tracker, hit)
        if (
            not switch
            and not explicit
            and (contact := answer_contact(dispatcher, tracker, named_records(tracker), True))
            is not None
        ):
            # "tel.nr FBNA voor hulpverleners?": how to reach them, with the professionals' line.
            return contact
        if hit is None and not switch and len(text.split()) >= FULL_QUESTION_WORDS:
            # A full message that neither names a mode nor introduces a role ("... geen
            # hulpverlener, gewoon iemand die luistert") is a question, never a switch: the
            # fallback's best effort.
            return ActionFallback().run(dispatcher, tracker, domain)
        if wanted == "medewerker":
            dispatcher.utter_message(response="utter_medewerker_modus")
        else:
            dispatcher.utter_message(response="utter_bewoner_modus")
        events.append(SlotSet("modus", wanted))
        if hit is not None:
            events += say_answers(dispatcher, tracker, hit)
        return events
