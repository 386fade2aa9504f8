"""Helpers shared by the actions: the knowledge service, the gemeente, the regulation in focus."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.taal import writes_english
from knowledge import glossary
from knowledge.answers import service_block
from knowledge.faq import is_follow_up, topic_words
from knowledge.models import Gemeente
from knowledge.register import speaks_staff
from knowledge.service import DEFAULT_GEMEENTE, KnowledgeService, default_service
from knowledge.text import normalize_text
from knowledge.views import RegelingView, ServiceView
from nlu.entities import default_matcher


def kb() -> KnowledgeService:
    """The process-wide knowledge service (one engine and search index per process)."""
    return default_service()


def gemeente(tracker: Tracker) -> str:
    """The resident's gemeente: the one this message names ("ik woon in utrecht, waar is het
    buurtteam?" is answered for Utrecht), else the one remembered, else Amsterdam."""
    return place_named(last_text(tracker)) or tracker.get_slot("gemeente") or DEFAULT_GEMEENTE


def stadsdeel(tracker: Tracker) -> str | None:
    """The resident's stadsdeel: the one this message names ("waar zit het buurtteam in de
    bijlmer?"), else the one remembered; None when neither is known."""
    return find_place(last_text(tracker))[1] or tracker.get_slot("stadsdeel")


def places_text(tracker: Tracker, services: list[ServiceView], max_channels: int = 2) -> str:
    """The blocks for places to turn to, each with its address in the resident's stadsdeel where
    a source shows one, in the resident's language."""
    sd, english = stadsdeel(tracker), writes_english(tracker)
    return "\n".join(service_block(s, max_channels, sd, english) for s in services)


# "ik woon in utrecht", "wij wonen in de gemeente zaanstad", "i live in rotterdam": a place the
# knowledge base may not know. Not "ik woon in een studio" or "woon in bij mijn ouders".
_LIVES_IN = re.compile(
    r"\b(?:woon|woont|wonen|i live|we live|live) (?:nu |sinds kort |now )?(?:in|te) "
    r"(?:de gemeente |gemeente )?"
    r"(?!(?:een|de|het|mijn|m n|mn|ons|onze|bij|a|an|the|my|our|huis|kamer|studio|flat)\b)"
    r"([a-z][a-z' -]{1,30}?)(?= (?:en|maar|waar|wat|hoe|kan|mag|heb|is|and|but|where|what|how)\b|$)"
)
# Past the first clause only the person's own home counts: "ik woon in almere" and "..., woon in
# almere" do, "mijn moeder woont in utrecht" does not.
_FIRST_PERSON = re.compile(r"\b(?:ik|wij|we|i)\b|^\s*(?:woon|wonen)\b")
# "ik woon niet in amsterdam maar in almere", "wij wonen buiten amsterdam": not Amsterdam, and
# the place after "maar" when the person names it.
# Only about where the person lives: "kan ik de stadspas ook buiten amsterdam gebruiken" is not.
_NOT_AMSTERDAM = re.compile(
    r"(?:\b(?:woon|woont|wonen|live|living)\b.{0,20}?"
    r"\b(?:niet (?:meer )?in|buiten|not in|outside(?: of)?)"
    r"|\b(?:dont|don t|don't|do not) live in) "
    r"(?:amsterdam|adam|mokum)\b"
    r"(?:.{0,40}?\b(?:maar|but) (?:wel |nu )?(?:in|te) (?!(?:een|de|het|a|the)\b)([a-z][a-z'-]{1,30}))?"
)
# "we wonen in een dorpje bij groningen", "ik woon in een klein dorp in friesland": somewhere
# else, named as precisely as the person did.
_VILLAGE = re.compile(
    r"\b(?:woon|woont|wonen|live)\b.{0,30}?\b(een (?:klein )?(?:dorp|dorpje)|a (?:small )?village)\b"
    r"(?: ((?:in|bij|vlakbij|onder|in de buurt van|near|in) [a-z][a-z-]{2,30}))?"
)
#: Where someone lives who says it is not Amsterdam, without naming the place.
ELSEWHERE = "een andere gemeente"
_BEFORE_NAME = frozenset({"in", "bij", "vlakbij", "onder", "van", "near"})


def place_title(place: str) -> str:
    """A place for a sentence: "utrecht" -> "Utrecht", "den haag" -> "Den Haag", "een dorp bij
    groningen" -> "een dorp bij Groningen"; "een andere gemeente" stays as it is."""
    words = place.split()
    if not _BEFORE_NAME & set(words):
        return place if words[:1] in (["een"], ["a"]) else place.title()
    return " ".join(
        w.capitalize() if i and words[i - 1] in _BEFORE_NAME else w for i, w in enumerate(words)
    )


def known_gemeente(gemeente_id: str) -> str | None:
    """The display name of a gemeente the knowledge base has, else None (a place elsewhere)."""
    with Session(kb().engine, future=True) as s:
        gem = s.get(Gemeente, gemeente_id)
        return gem.naam if gem else None


def place_named(text: str) -> str | None:
    """The gemeente a message names: a known one by its id, else the name of the place where
    the person says they live (lower case), else None. A message that says it is not Amsterdam
    gets the place it names after "maar", else ELSEWHERE."""
    if not text:
        return None
    not_here = _NOT_AMSTERDAM.search(normalize_text(text))
    if not_here and not_here.group(1):
        return not_here.group(1)
    if gem := find_place(text)[0]:
        return gem
    for i, clause in enumerate(re.split(r"[,.;:!?\n]", text)):
        norm = normalize_text(clause)
        if i and not _FIRST_PERSON.search(norm):
            continue
        if (match := _LIVES_IN.search(norm)) and not (not_here and find_place(match.group(1))[0]):
            return match.group(1).strip()
        if village := _VILLAGE.search(norm):
            return " ".join(g for g in village.groups() if g)
    return ELSEWHERE if not_here else None


def last_text(tracker: Tracker) -> str:
    """The text of the latest user message ('' for button payloads like /intent)."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def staff_view(tracker: Tracker) -> bool:
    """Staff answers for this message: staff mode is on, or the message itself is written in
    staff register ("gehuwdennorm Pw, welk artikel?", "mijn cliënt ...")."""
    return tracker.get_slot("modus") == "medewerker" or speaks_staff(last_text(tracker))


def entity(tracker: Tracker, name: str) -> object | None:
    """The first value of an entity in the latest message (from nlu.entities)."""
    for ent in tracker.latest_message.get("entities") or []:
        if ent.get("entity") == name:
            return ent.get("value")
    return None


def regeling_in_focus(tracker: Tracker) -> RegelingView | None:
    """The regulation this message is about: named in the message, else the one in focus.

    "hoe vraag ik huurtoeslag aan" names it (the ``regeling`` entity, or a search over the text,
    which also picks the gemeente's own variant); "en hoe vraag ik dat aan?" refers back to the
    slot.
    """
    service = kb()
    text = last_text(tracker)
    where = gemeente(tracker)
    # The message's own words first, then the words the glossary adds for staff shorthand and
    # other languages ("recht op zt?" names zorgtoeslag, not a search hit on "recht").
    added = " ".join(glossary.added_words(text)) if text else ""
    for source in (text, added):
        for ids in default_matcher().candidates(source, "regeling") if source else []:
            regs = [r for rid in ids if (r := service.regeling(rid))]
            local = [r for r in regs if r.gemeente == where]
            national = [r for r in regs if r.gemeente is None]
            if local or national:
                return (local or national)[0]
    named = entity(tracker, "regeling")
    slot = tracker.get_slot("regeling")
    # A search over the words, only when the message has a topic word: "waar moet ik dat
    # aanvragen?" refers back to the slot, and a search over its generic words finds anything.
    # A short follow-up with a regulation in focus refers back too: "hoeveel extra kan dat
    # maximaal?" after the eigen risico is not about a regulation with 'extra' in a synonym.
    refers_back = bool(slot) and not named and is_follow_up(text, False)
    searched = bool(text) and bool(topic_words(text)) and not refers_back
    found = service.find_regeling(text, where) if searched else None
    if found:
        return found
    if isinstance(named, str) and (reg := service.regeling(named)):
        return reg
    return service.regeling(slot) if slot else None


def find_place(text: str) -> tuple[str | None, str | None, str | None]:
    """(gemeente id, stadsdeel id, display name) named in a text, from the knowledge base. A text
    that says the person does not live in Amsterdam ("ik woon in hoorn, niet in amsterdam") names
    no place of it."""
    norm = f" {normalize_text(text)} "
    if _NOT_AMSTERDAM.search(norm):
        return None, None, None
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
