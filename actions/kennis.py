"""Answer from the knowledge base's questions first, before any generic card or form.

The decision order of a content question (issue #15): crisis (NLU, before this) -> a dialogue act
(rules) -> a confident question from the content (this module) -> the regulation's own card or the
situation's help -> "bedoel je ...?" with the closest questions as buttons -> a person.

Every content action calls :func:`answer_first` before its own answer. The question ranker lives
in ``knowledge/faq.py``; this module only decides and words it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    find_place,
    gemeente,
    kb,
    known_gemeente,
    last_text,
    place_title,
    places_text,
    stadsdeel,
    staff_view,
)
from actions.eenvoudig import short, simple_mode
from actions.overzicht import answer_overview
from actions.taal import writes_english
from knowledge import glossary
from knowledge.answers import ONLY_DUTCH, datum, places_line
from knowledge.faq import (
    CONTEXT,
    VraagHit,
    is_follow_up,
    question_halves,
    split_questions,
    topic_words,
)
from knowledge.text import normalize_text
from knowledge.views import RegelingView
from nlu.entities import default_matcher

#: A question this close is the answer to a message whose intent has its own answer (a card, a
#: situation): below this, generic questions ("hoeveel huurtoeslag krijg ik") matched a specific
#: question too often (chosen on the development set and the conversation tests).
ANSWER = 0.65

#: A situation ("ik heb geen geld voor boodschappen") has its own answer with places to go: a
#: question from the content replaces it only when it is nearly the same question.
ANSWER_SITUATION = 0.8
#: A message whose intent found nothing better: answer from this score.
ANSWER_WHEN_LOST = 0.42
#: A message of this many words is a full question, not a bare answer like "1200" or "ja".
FULL_QUESTION_WORDS = 6
#: Close questions worth offering as "bedoel je ...?" buttons.
SUGGEST = 0.30


#: A regulation named right after one of these says what someone lives on ("ik heb bijstand",
#: "wij zitten al 3 jaar in de bijstand", "ik krijg aow"), not what they ask about.
_SITUATION = re.compile(
    r"\b(?:ik|wij|we|hij|zij|ze|mijn (?:man|vrouw|partner|moeder|vader))"
    r" (?:heb|hebben|heeft|krijg|krijgen|krijgt|ontvang|ontvangen|ontvangt|zit|zitten|leef|leven)"
    r"(?: (?:al|nu|sinds|ook|gewoon|lang|een|paar|jaar|jaren|maand|maanden|week|weken|tijdje"
    r"|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|\d+)){0,4}"
    r"(?: (?:in de|van de|van|een|de|op))? ?$"
)

#: What someone can live on or be in: a benefit, an allowance, a debt scheme. A debt or an
#: arrear named after "ik heb een" is what the message is about, so it is not in this list.
LIVING_ON = frozenset(
    {
        "aio_aanvulling",
        "anw",
        "aow",
        "bbz_zelfstandigen",
        "bijstand",
        "bijstand_amsterdam",
        "bijstand_jongeren",
        "huurtoeslag",
        "kinderbijslag",
        "kindgebonden_budget",
        "studiefinanciering",
        "wajong",
        "wsnp",
        "ww_uitkering",
        "zorgtoeslag",
    }
)


def named_records(tracker: Tracker) -> dict[str, set[str]]:
    """Regulations and organisations the latest message names (the NLU's knowledge entities).

    A place name is a filter, not an organisation: "schulden in noord" does not name the
    organisation that happens to have "noord" among its synonyms. Shorthand and English the
    glossary knows name records too: "zt vermogensgrens" names zorgtoeslag, "rent allowance"
    huurtoeslag (on the spent blind sets +0.4 point, staff and English questions most).
    """
    named: dict[str, set[str]] = {"regeling": set(), "organisatie": set(), CONTEXT: set()}
    text = tracker.latest_message.get("text") or ""
    for ent in tracker.latest_message.get("entities") or []:
        kind = ent.get("entity")
        if kind not in named or not isinstance(ent.get("value"), str):
            continue
        span = text[ent.get("start", 0) : ent.get("end", 0)]
        if kind == "organisatie" and span and find_place(span)[0]:
            continue
        if (
            kind == "regeling"
            and ent["value"] in LIVING_ON
            and _SITUATION.search(normalize_text(text[: ent.get("start", 0)]))
        ):
            # "ik heb bijstand. mijn koelkast is kapot": the person's situation, not the topic.
            named[CONTEXT].add(ent["value"])
            continue
        named[kind].add(ent["value"])
    if extra := glossary.added_words(text):
        add_names_in(" ".join(extra), named)
    named["organisatie"] = {o for o in named["organisatie"] if not only_elsewhere(o, tracker)}
    if not_the_gemeente(tracker):
        # "ik ben bang voor de gemeente ... niet via hen": the word names no organisation to offer.
        named["organisatie"] = {o for o in named["organisatie"] if not is_gemeente_body(o)}
    return named


def only_elsewhere(org_id: str, tracker: Tracker) -> bool:
    """True when every service of this organisation is in another gemeente than the resident's:
    "ik woon in een dorp in friesland, hier is geen loket" does not ask for Amsterdam's
    Stadsloket (the question ranker leaves such organisations out the same way)."""
    services = kb().organisation_services(org_id)
    where = gemeente(tracker)
    return bool(services) and all(s.gemeente not in (None, where) for s in services)


def add_names_in(text: str, named: dict[str, set[str]]) -> dict[str, set[str]]:
    """Add the records the entity matcher finds in ``text`` to ``named``, for the kinds it has."""
    for match in default_matcher().find(text):
        if match.entity in named:
            named[match.entity].add(str(match.value))
    return named


def asks_more_than_the_name(tracker: Tracker) -> bool:
    """True when the message has a topic word beyond the regulation or organisation it names.

    "heb ik recht op zorgtoeslag" is the intent's own question about the named regulation: its
    card answers it. "mag ik mijn auto houden in de bijstand" asks more ("auto"): a question from
    the content may know that.
    """
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/"):
        return False
    spans = sorted(
        (int(e.get("start", 0)), int(e.get("end", 0)))
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") in ("regeling", "organisatie") and e.get("end")
    )
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    return bool(topic_words(text))


# "ik wil niet naar de gemeente", "liever niet via de gemeente", "zonder de gemeente".
NOT_THE_GEMEENTE = re.compile(
    r"\b(niet|nooit|liever niet|geen zin)\b.{0,20}\b(naar|via|bij|met)\b.{0,5}\bgemeente\b"
    r"|\bzonder\b.{0,5}\bgemeente\b"
    # "ik wil geen schuldhulp van de gemeente", "ik ben bang voor de gemeente", "de gemeente mag
    # het niet weten", "i don't want the gemeente involved"
    r"|\bgeen \w+ (van|via|bij) de gemeente\b"
    r"|\b(bang|angst) (voor|van) de gemeente\b"
    r"|\bgemeente\b.{0,15}\b(niet|nie) (weten|mag weten|hoeft te weten|bij betrekken|erbij)\b"
    r"|\b(dont|don t|don't|do not) want the (gemeente|municipality)\b"
    r"|\b(not through|without) the (gemeente|municipality)\b"
)


def not_the_gemeente(tracker: Tracker) -> bool:
    """The person said they do not want to go to the gemeente: that changes the answer."""
    return bool(NOT_THE_GEMEENTE.search(normalize_text(last_text(tracker))))


def is_gemeente_body(org_id: str) -> bool:
    """The gemeente itself or another government body ("gemeente_amsterdam", WPI): not the
    answer for someone who does not want to go to the gemeente."""
    return any(
        s.organisatie_soort in ("gemeente", "overheid") for s in kb().organisation_services(org_id)
    )


def in_focus(tracker: Tracker) -> str | None:
    """The record the conversation is about: the regulation in focus, else the record of the
    question answered last (an organisation: "juridisch loket" -> "hoe laat zijn ze open")."""
    return tracker.get_slot("regeling") or (
        str(tracker.get_slot("vraag") or "").split(":")[0] or None
    )


def message_before(tracker: Tracker) -> str | None:
    """The resident's last typed message before the latest one (payloads left out), or None."""
    earlier = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    earlier = [t for t in earlier[:-1] if t and not t.startswith("/")]
    return earlier[-1] if earlier else None


def ranked_questions(
    tracker: Tracker,
    limit: int = 3,
    named: dict[str, set[str]] | None = None,
    text: str | None = None,
) -> list[VraagHit]:
    """The questions the latest message most likely asks, with the conversation as context.
    ``named``: the message's named records when the caller has them already; ``text``: the part
    of the message to rank (default: all of it)."""
    text = last_text(tracker) if text is None else text
    if not text:
        return []
    named = named_records(tracker) if named is None else named
    own = text
    follow_up = is_follow_up(text, any(named.values()))
    # "hij is 30", "voor een stel", "ik ben alleen met 1 kind": a follow-up says what changed,
    # the message before it says what it is about.
    if follow_up and (before := message_before(tracker)):
        text = f"{before} {text}"
    if not_the_gemeente(tracker):
        # "wie kan me anders helpen": the answer is another organisation, not a regulation the
        # gemeente carries out, whatever the message names.
        hits = kb().ask(text, gemeente=gemeente(tracker), english=writes_english(tracker), limit=20)
        return [
            h
            for h in hits
            if h.vraag.record_kind == "organisatie" and not is_gemeente_body(h.vraag.record_id)
        ][:limit]

    focus, where, staff = in_focus(tracker), gemeente(tracker), staff_view(tracker)
    english = writes_english(tracker)

    def ask(words: str) -> list[VraagHit]:
        return kb().ask(
            words,
            named=named,
            focus=focus,
            gemeente=where,
            staff=staff,
            english=english,
            limit=limit,
        )

    hits = ask(text)
    if follow_up and text != own:
        # "en als ik ga samenwonen?": the follow-up on its own (with the topic in focus) may fit
        # a question of the same topic better than the two messages together, which lean on the
        # first one.
        alone = ask(own)
        # Only about what the conversation is about: "tot hoe laat kan ik ze bellen" on its own
        # fits any organisation's opening hours.
        about = {h.vraag.record_id for h in hits} | {focus}
        alone = [h for h in alone if h.vraag.record_id in about]
        best = {h.vraag.sleutel: h for h in hits}
        for hit in alone:
            if hit.vraag.sleutel not in best or hit.score > best[hit.vraag.sleutel].score:
                best[hit.vraag.sleutel] = hit
        hits = sorted(best.values(), key=lambda h: -h.score)
    return hits[:limit]


#: A message longer than this is a question of its own, not a reply to the one before it.
CONTEXT_WORDS = 25
MIN_CONTEXT_WORDS = 3


def answer_in_context(
    dispatcher: CollectingDispatcher, tracker: Tracker, threshold: float = ANSWER_WHEN_LOST
) -> list[dict[str, Any]] | None:
    """A message nothing answers on its own, read with the message before it: "ik zit in de
    bijstand en kan 12 uur gaan werken" + "mag ik iets van dat loon houden?", "mijn zus van 30
    is bij mij ingetrokken" + "krijg ik daardoor minder?". The two together must be close to a
    question. That may be the question answered last: "krijg ik daardoor minder?" after the
    kostendelersnorm gets that answer again, which is better than "ik begrijp je niet". The
    message must say something itself (three words, one of them a topic word), so noise after an
    answer does not repeat it. None otherwise."""
    text = last_text(tracker)
    words = text.split()
    if not MIN_CONTEXT_WORDS <= len(words) <= CONTEXT_WORDS or not topic_words(text):
        return None
    before = message_before(tracker)
    if not before:
        return None
    hits = ranked_questions(tracker, limit=1, text=f"{before} {text}")
    if not hits:
        return None
    # About what the conversation is about ("krijg ik daardoor minder geld?" after the
    # kostendelersnorm): a question of that record may be a little less close.
    same_record = hits[0].vraag.record_id == in_focus(tracker)
    if hits[0].score < (min(threshold, SUGGEST) if same_record else threshold):
        return None
    return say_answer(dispatcher, hits[0], tracker=tracker)


def _asked_twice(tracker: Tracker) -> bool:
    """True when the latest message says the same as the one before it."""
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return len(texts) >= 2 and normalize_text(texts[-1]) == normalize_text(texts[-2])


#: Titles of the buttons after an answer: (Dutch, English).
_OFFERS = [
    ("recht", ("Voorwaarden", "Conditions"), "regeling_recht"),
    ("aanvragen", ("Hoe vraag ik het aan?", "How do I apply?"), "regeling_aanvragen"),
    ("bedrag", ("Bedragen", "Amounts"), "regeling_bedrag"),
]
_PERSON = ("Met een mens praten", "Talk to a person")


def _buttons(hit: VraagHit, english: bool = False) -> list[dict[str, str]]:
    """What to offer after the answer: the regulation's other facets, and a person (titles in
    the answer's language; the payloads are the same)."""
    v = hit.vraag
    buttons: list[dict[str, str]] = []
    if v.record_kind == "regeling":
        entity = f'{{"regeling":"{v.record_id}"}}'
        for facet, titles, intent in _OFFERS:
            if v.facet != facet:
                buttons.append({"title": titles[english], "payload": f"/{intent}{entity}"})
        buttons = buttons[:2]
    buttons.append({"title": _PERSON[english], "payload": "/vraag_mens"})
    return buttons


def with_topic(antwoord: str, record_naam: str) -> str:
    """The answer opened with what it is about when it does not say so itself: "In 2026 is het
    maximaal € 2.580 per kind" reads as an answer about kindgebonden budget only with the name."""
    core = re.sub(r"\s*\(.*?\)", "", record_naam)
    core = re.sub(r"\s+(in |van )?(amsterdam|de gemeente)$", "", core, flags=re.IGNORECASE).strip()
    if not core or normalize_text(core) in normalize_text(antwoord):
        return antwoord
    return f"{core}: {antwoord}"


def _answer_in_language(hit: VraagHit, english: bool) -> tuple[str, str]:
    """(response, answer): English when the resident writes English and the content has it;
    the Dutch answer under "I only have this in Dutch:" when it does not (issue #21)."""
    q = hit.vraag
    if english:
        if q.antwoord_en:
            return "utter_vraag_antwoord", with_topic(q.antwoord_en, q.record_naam)
        return "utter_vraag_antwoord_alleen_nl", with_topic(q.antwoord, q.record_naam)
    return "utter_vraag_antwoord", with_topic(q.antwoord, q.record_naam)


def _with_nearby_address(antwoord: str, org_id: str, tracker: Tracker, english: bool) -> str:
    """An organisation's answer with its address in the resident's stadsdeel, where a source
    shows one and the answer does not name it yet ("waar zit het buurtteam in de bijlmer?")."""
    sd = stadsdeel(tracker)
    for service in kb().organisation_services(org_id):
        near = places_line(service, sd, english)
        if near and not any(loc.adres and loc.adres in antwoord for loc in service.places_in(sd)):
            return f"{antwoord} {near}"
    return antwoord


def say_answer(
    dispatcher: CollectingDispatcher,
    hit: VraagHit,
    buttons: bool = True,
    tracker: Tracker | None = None,
) -> list[dict[str, Any]]:
    """Utter one question's answer with its source and date; keep its record in focus. With the
    tracker, a resident who writes English gets the English answer (:func:`_answer_in_language`)."""
    v = hit.vraag
    english = tracker is not None and writes_english(tracker)
    response, antwoord = _answer_in_language(hit, english)
    choices = _buttons(hit, english) if buttons else []
    if tracker is not None and v.record_kind == "organisatie":
        antwoord = _with_nearby_address(antwoord, v.record_id, tracker, english)
    if tracker is not None and simple_mode(tracker):
        # Someone who reads with difficulty: the answer's first sentences and a person who calls.
        antwoord = short(antwoord)
        choices = [{"title": "Call me" if english else "Bel mij", "payload": "/vraag_mens"}]
    dispatcher.utter_message(
        response=response,
        antwoord=antwoord,
        bron_url=v.bron_url,
        peildatum=datum(dt.date.fromisoformat(v.peildatum), english=english),
        buttons=choices,
    )
    events: list[dict[str, Any]] = [SlotSet("vraag", v.sleutel)]
    if v.record_kind == "regeling":
        events.append(SlotSet("regeling", v.record_id))
    return events


MAX_PARTS = 3


def answer_each(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
    """Several questions in one message, each answered from the content, in order; None when the
    message holds one question, or fewer than two of its questions have a clear answer."""
    text = last_text(tracker)
    spans = split_questions(text)[:MAX_PARTS]
    if not spans:
        return None
    entities = tracker.latest_message.get("entities") or []
    hits: list[VraagHit] = []
    english = writes_english(tracker)
    for start, end in spans:
        named: dict[str, set[str]] = {"regeling": set(), "organisatie": set()}
        for ent in entities:
            kind, value = ent.get("entity"), ent.get("value")
            if kind in named and isinstance(value, str) and start <= ent.get("start", -1) < end:
                named[kind].add(value)
        best = kb().ask(
            text[start:end],
            named=named,
            gemeente=gemeente(tracker),
            staff=staff_view(tracker),
            english=english,
            limit=1,
        )
        if (
            best
            and best[0].score >= ANSWER
            and all(h.vraag.sleutel != best[0].vraag.sleutel for h in hits)
        ):
            hits.append(best[0])
    if len(hits) < 2:
        return None
    dispatcher.utter_message(response="utter_meer_vragen", aantal=len(hits))
    events: list[dict[str, Any]] = []
    for i, hit in enumerate(hits):
        events = say_answer(dispatcher, hit, buttons=i == len(hits) - 1, tracker=tracker)
    if len(hits) < len(spans):
        dispatcher.utter_message(response="utter_meer_vragen_rest")
    return events


def not_for_this_gemeente(
    dispatcher: CollectingDispatcher, tracker: Tracker, named: dict[str, set[str]]
) -> list[dict[str, Any]] | None:
    """ "ik woon in utrecht, kan ik een stadspas krijgen": a regulation of another gemeente, with
    no national regulation of the same name, is not for this resident. Say so and point to their
    own gemeente (the ranker leaves that gemeente's records out, so its questions cannot answer).
    None when the message names no such regulation."""
    where = gemeente(tracker)
    for rid in sorted(named.get("regeling", ())):
        reg = kb().regeling(rid)
        if reg is None or not reg.gemeente or reg.gemeente == where:
            continue
        if kb().regeling(rid.removesuffix(f"_{reg.gemeente}")) is not None:
            continue  # bijzondere_bijstand_amsterdam: the national bijzondere bijstand answers
        return say_other_gemeentes(dispatcher, reg, where)
    return None


def say_other_gemeentes(
    dispatcher: CollectingDispatcher, reg: RegelingView, where: str
) -> list[dict[str, Any]]:
    """'De Stadspas is een regeling van Amsterdam. Jij woont in Utrecht ...': the regulation
    belongs to another gemeente than the resident's; their gemeente is remembered."""
    dispatcher.utter_message(
        response="utter_regeling_andere_gemeente",
        naam=reg.naam,
        eigenaar=known_gemeente(str(reg.gemeente)) or place_title(str(reg.gemeente)),
        plaats=known_gemeente(where) or place_title(where),
    )
    return [SlotSet("gemeente", where)]


def answer_first(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    threshold: float | None = None,
    buttons: bool = True,
    staff_only: bool = False,
) -> list[dict[str, Any]] | None:
    """Answer the message from a question in the content when one is close enough, else None.
    A message asking how to reach someone gets that organisation's card first (answer_contact).

    The same message twice in a row is not answered word for word again: the second time the
    person hears that this is all we know, with a person one tap away. (A follow-up in other
    words whose answer is the same question does get that answer.)
    """
    if not staff_only and (overview := answer_overview(dispatcher, tracker)) is not None:
        # "wat kan ik nog aanvragen" with the facts told: what may fit, not one question's answer.
        return overview
    if not staff_only and (each := answer_each(dispatcher, tracker)) is not None:
        return each  # "1 krijg ik ... 2 kan ik ... 3 wat is ...": every question its answer
    named = named_records(tracker)  # one look-up for the ranking and the contact answer
    if not staff_only and (elsewhere := not_for_this_gemeente(dispatcher, tracker, named)):
        return elsewhere
    hits = ranked_questions(tracker, limit=3, named=named)
    if staff_only:
        hits = [h for h in hits if h.vraag.doelgroep == "medewerker"]
    # A question from the content that is clearly this one (and not the answer just given) wins;
    # else a message asking how to reach someone gets that organisation's card.
    clear = (
        bool(hits)
        and hits[0].score >= ANSWER
        and hits[0].vraag.sleutel != tracker.get_slot("vraag")
    )
    if (
        not staff_only
        and (not clear or only_asks_how_to_reach(last_text(tracker), named))
        and (contact := answer_contact(dispatcher, tracker, named)) is not None
    ):
        return contact  # "duo bellen welk nummer": how to reach them, whatever else is named
    if not hits or hits[0].score < (ANSWER if threshold is None else threshold):
        return None
    if hits[0].vraag.sleutel == tracker.get_slot("vraag") and _asked_twice(tracker):
        # Asked again: the answer did not help. Not the same text again, but a person.
        dispatcher.utter_message(response="utter_vraag_herhaald")
        return []
    return say_answers(dispatcher, tracker, hits[0], buttons)


def say_answers(
    dispatcher: CollectingDispatcher, tracker: Tracker, best: VraagHit, buttons: bool = True
) -> list[dict[str, Any]]:
    """Utter the answer to the message: ``best``, or for two questions joined by "en" each
    half's answer (:func:`answers_in_order`). Buttons go under the last answer; the events (the
    focus) are the first answer's."""
    answers = answers_in_order(tracker, best)
    events = say_answer(dispatcher, answers[0], buttons and len(answers) == 1, tracker=tracker)
    for hit in answers[1:]:
        say_answer(dispatcher, hit, buttons and hit is answers[-1], tracker=tracker)
    return events


def answers_in_order(tracker: Tracker, best: VraagHit) -> list[VraagHit]:
    """The answers to give, in order: ``best`` (the whole message's closest question), or for two
    questions joined by "en" ("welke bijstandsnorm geldt in 2026 en welke vermogensgrens?") each
    half's own answer, first half first, when the content has one close enough (at most two, no
    answer twice). The conversation's focus is the first answer's."""
    halves = question_halves(last_text(tracker))
    if not halves:
        return [best]
    found: list[VraagHit] = []
    where, staff, english = gemeente(tracker), staff_view(tracker), writes_english(tracker)
    for half in halves:
        hits = kb().ask(
            half,
            named=add_names_in(half, {"regeling": set(), "organisatie": set()}),
            focus=best.vraag.record_id,
            gemeente=where,
            staff=staff,
            english=english,
            limit=1,
        )
        if (
            hits
            and hits[0].score >= ANSWER_WHEN_LOST
            and all(hits[0].vraag.antwoord != h.vraag.antwoord for h in found)
        ):
            found.append(hits[0])
    if best.vraag.sleutel not in {h.vraag.sleutel for h in found}:
        # The whole message is closest to a question neither half is: it stays the answer, and
        # a half's own answer may follow it.
        found = [best, *(h for h in found if h.vraag.antwoord != best.vraag.antwoord)]
    return found[:2]


def _buttons_for(hits: list[VraagHit]) -> list[dict[str, str]]:
    """One button per question; tapping it asks that question."""
    return [{"title": h.vraag.vraag, "payload": h.vraag.vraag} for h in hits]


def question_beyond(tracker: Tracker, frame: re.Pattern[str]) -> VraagHit | None:
    """The content's question that the message asks besides its frame words, or None.

    An intent like "modus" or "privacy_vraag" fires on one word ("cliënt", "anoniem"), while
    the message may ask something else: "telefoonnummer geldfit voor mijn cliënt?", "kan ik
    ergens anoniem bellen over mijn schulden?". Without the frame words, at least two topic
    words must remain and a question must be close enough to answer when lost.
    """
    rest = " ".join(frame.sub(" ", normalize_text(last_text(tracker))).split())
    if len(topic_words(rest)) < 2:
        return None
    hits = ranked_questions(tracker, limit=1, text=rest)
    return hits[0] if hits and hits[0].score >= ANSWER_WHEN_LOST else None


def answer_closest(
    dispatcher: CollectingDispatcher, tracker: Tracker, minimum: float
) -> list[dict[str, Any]] | None:
    """The closest question's answer from ``minimum`` up, with the other close questions after it
    as buttons ("of bedoelde je ..."); None when no question is that close.

    For a message that is a full question or a story: it gets the best answer we have, and the
    alternatives stay one tap away, instead of only a list to choose from.
    """
    hits = ranked_questions(tracker, limit=3)
    if not hits or hits[0].score < minimum:
        return None
    events = say_answers(dispatcher, tracker, hits[0], buttons=False)
    others = [h for h in hits[1:] if h.score >= SUGGEST]
    if others:
        dispatcher.utter_message(response="utter_vraag_of_bedoel_je", buttons=_buttons_for(others))
    return events


def suggest(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """'Bedoel je ...?' with the 2-3 closest questions as buttons; False when none is close."""
    hits = [h for h in ranked_questions(tracker, limit=3) if h.score >= SUGGEST]
    if not hits:
        return False
    buttons = [*_buttons_for(hits), {"title": "Met een mens praten", "payload": "/vraag_mens"}]
    dispatcher.utter_message(response="utter_vraag_bedoel_je", buttons=buttons)
    return True


def _first_sentences(text: str, limit: int = 260) -> str:
    """The first sentences of a description, within ``limit`` characters."""
    out = ""
    for sentence in text.replace("\n", " ").split(". "):
        candidate = f"{out} {sentence.strip().rstrip('.')}.".strip()
        if out and len(candidate) > limit:
            break
        out = candidate
    return out


def say_organisation(
    dispatcher: CollectingDispatcher, services: list, tracker: Tracker
) -> list[dict[str, Any]]:
    """An organisation's card: what it does and how to reach it, from the social map (what it
    does in English for someone who writes English, where the social map has it; its address in
    the resident's stadsdeel where a source shows one)."""
    english = writes_english(tracker)
    first = services[0]
    about = first.beschrijving_en if english and first.beschrijving_en else first.beschrijving
    if english and not first.beschrijving_en:
        about = f"{ONLY_DUTCH}{about}"
    dispatcher.utter_message(
        response="utter_organisatie",
        organisatie=first.organisatie,
        beschrijving=_first_sentences(about),
        plekken=places_text(tracker, services[:2]),
    )
    return []


def _public_services(org_ids: list[str], staff: bool = False) -> list:
    """The services of these organisations a resident can use; for staff also the ones only
    professionals can reach ("tel.nr FBNA voor hulpverleners")."""
    return [
        s
        for oid in org_ids
        for s in kb().organisation_services(oid)
        if staff or not s.alleen_via_professional
    ]


def answer_organisation(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """'wat doet single supermom', 'tel nr fbna': the named organisation, what it does and how to
    reach it, from the social map. None when the message names no organisation."""
    services = _public_services(sorted(named_records(tracker)["organisatie"]))
    return say_organisation(dispatcher, services, tracker) if services else None


# "wat is het nummer", "hoe laat zijn ze open", "waar zitten ze": how to reach someone.
CONTACT = re.compile(
    r"\b(nummer|telefoonnummer|tel|telefoon|bellen|bel ik|welk adres|het adres|adres van|waar zitten|open|openingstijden"
    r"|hoe laat|bereiken|contact|phone|number|call|address|opening hours)\b"
)


def _own_topic(text: str) -> set[str]:
    """The message's topic words other than the ones that ask how to reach someone."""
    return topic_words(CONTACT.sub(" ", normalize_text(text)))


def body_of(uitvoerder: str) -> str | None:
    """The organisation of the social map whose name the regulation's ``uitvoerder`` starts
    with ("Fonds Bijzondere Noden Amsterdam (via een hulpverlener)" -> fbna), or None."""
    name = uitvoerder.split("(")[0].strip().lower()
    if not name:
        return None
    for service in kb().services_by_id().values():
        if service.organisatie.lower().startswith(name):
            return service.organisatie_id
    return None


def only_asks_how_to_reach(text: str, named: dict[str, set[str]]) -> bool:
    """ "welk nummer kan ik daarvoor bellen?", "ok en hun adres": asks only how to reach someone,
    and names nothing. After an answer that is a follow-up about the organisation in focus, even
    when the content has a question close to the words ("kan ik bellen voor de bbz")."""
    return bool(CONTACT.search(normalize_text(text))) and not (
        _own_topic(text) or any(named.values())
    )


def answer_contact(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    named: dict[str, set[str]],
    staff: bool = False,
) -> list[dict[str, Any]] | None:
    """A message asking how to reach someone: the card of the one organisation it names, or for
    a follow-up that names nothing, of the organisation in focus (or of the body that carries out
    the regulation in focus). None otherwise."""
    text = last_text(tracker)
    if not CONTACT.search(normalize_text(text)):
        return None
    staff = staff or staff_view(tracker)
    if len(named["organisatie"]) == 1:
        # "nummer van de kindertelefoon": the one organisation named.
        org_id: str | None = next(iter(named["organisatie"]))
    elif len(named["regeling"]) == 1 and not named["organisatie"]:
        # "duo bellen welk nummer", "telefoonnummer voor zorgtoeslag": who carries it out.
        reg = kb().regeling(next(iter(named["regeling"])))
        org_id = reg.uitvoerder_organisatie if reg else None
        if reg and staff:
            # "tel.nr FBNA voor hulpverleners": for staff the body itself, not the resident's
            # front door to it (the buurtteam).
            org_id = body_of(reg.uitvoerder) or org_id
    elif any(named.values()) or _own_topic(text) or not (focus := in_focus(tracker)):
        # "ik heb een huurachterstand, wie kan ik bellen?" is about its own topic, not the focus.
        return None
    else:
        reg = kb().regeling(focus)
        org_id = reg.uitvoerder_organisatie if reg else focus
        if reg and not org_id and not reg.gemeente and "gemeente" in reg.uitvoerder.lower():
            # A national rule the gemeente carries out (the Bbz): the front door of the
            # resident's gemeente, where the social map has one ("gemeente_amsterdam").
            org_id = f"gemeente_{gemeente(tracker)}"
    services = _public_services([org_id], staff) if org_id else []
    return say_organisation(dispatcher, services, tracker) if services else None


def answer_from_content(
    dispatcher: CollectingDispatcher, tracker: Tracker, threshold: float = ANSWER_WHEN_LOST
) -> list[dict[str, Any]] | None:
    """For a message no intent answers: a close question (or how to reach someone, see
    answer_first), else the named organisation's card."""
    answered = answer_first(dispatcher, tracker, threshold)
    if answered is None:
        answered = answer_organisation(dispatcher, tracker)
    return answered


class ActionGeenVraag(Action):
    """A message the classifier read as a bare answer ("1200", "ja", "weet ik niet", "amsterdam")
    outside any form. When it still asks something the content knows, answer that; else ask
    what the person needs."""

    def name(self) -> str:
        return "action_geen_vraag"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answered = answer_from_content(dispatcher, tracker)
        if answered is not None:
            return answered
        if len(last_text(tracker).split()) >= FULL_QUESTION_WORDS:
            # "ik moet 180 euro aan duo betalen maar verdien 1400, kan dat lager?" is a question
            # with numbers in it, not a bare answer: the fallback's best effort, not "waarmee?".
            from actions.fallback import ActionFallback  # noqa: PLC0415 - fallback imports this

            return ActionFallback().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_how_can_i_help")
        return []
