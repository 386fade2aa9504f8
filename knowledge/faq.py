"""The question ranker: which frequently asked question (``vragen`` in the content) a message asks.

Each question has the ways people ask it (``varianten``). A message is compared with every way of
asking, by TF-IDF cosine over normalised words with their lemmas (1-2 grams) and over character
3-5 grams (typos, compounds, "zorgtoelsag"), half each; a question scores its best way of asking.
Long stories are also scored per sentence, so one concrete question in a long message is found.

Signals on top of the wording:
- a regulation or organisation *named* in the message (the NLU's knowledge entities) lifts its
  own questions and lowers questions about other records of the same kind;
- the topic in focus (the ``regeling`` slot) lifts its questions a little, for follow-ups;
- the gemeente is a filter: another gemeente's local variant, or an organisation that only
  works in another gemeente, is never answered;
- staff-only questions (``doelgroep: medewerker``) rank lower for residents (a staff question
  typed without staff mode still finds its answer);
- a message that asks for someone who helps ("is er een club / vrijwilliger die...") lifts the
  social map's organisations (HELPER_BONUS);
- an English message also counts its closeness to each question's English answer
  (ENGLISH_WEIGHT): the ways of asking are Dutch.

Why not bm25 over the same text (``search.py``): questions are short and differ in a few words
("mag ik bijverdienen" / "mag ik sparen"), where character n-gram cosine separates them better
and a score between 0 and 1 is a usable confidence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge import glossary
from knowledge.aspects import aspects_of, opposite
from knowledge.engine_cache import PerEngine
from knowledge.life_stage import (
    aow_lists,
    asks_about_18_to_20,
    asks_about_income,
    for_young_only,
    only_older_than_20,
    shows_aow_age,
    shows_youth,
)
from knowledge.models import Organization, Regeling, Service, Vraag
from knowledge.text import STOPWORDS, lemma, normalize_text, split_compound

#: Lift for questions of a record the message names, and the drop for other named-kind records.
NAMED_BONUS = 0.2
# Per aspect (knowledge/aspecten.yml) a question shares with the message, at most two; and the
# penalty for a question about the opposite aspect of one the message names.
ASPECT_BONUS = 0.1
ASPECT_PENALTY = 0.1
OTHER_PENALTY = 0.3
#: The kind of ``named`` that holds what the person lives on ("ik heb bijstand"): its questions
#: get a smaller lift, and other records no drop, for what they ask may be about anything else.
CONTEXT = "situatie"
CONTEXT_BONUS = 0.1
#: Lift for questions of the regulation in focus (a follow-up like "en mag ik dan sparen?").
FOCUS_BONUS = 0.1
#: Staff-only questions are answered to residents only when clearly closer than the rest.
STAFF_ONLY_PENALTY = 0.1
#: A question about a record the message does not name, and that is not in focus, while its own
#: ways of asking all name it ("mijn ww is te laag" for "ik kom niet rond"): this much lower.
UNNAMED_PENALTY = 0.15
#: A question about another year than the one the message names ("KGB 2026" and a 2025 question):
#: this much lower; one about the named year: a little higher. Without a year, a question about
#: a past year drops a little: people ask about now unless they say otherwise.
OTHER_YEAR_PENALTY = 0.15
SAME_YEAR_BONUS = 0.05
PAST_YEAR_PENALTY = 0.05
#: A question of a record for young people only ("zorgverzekering als je 18 wordt") when the
#: message shows no sign of a young person: this much lower, so that the same question for
#: everyone wins a tie ("ik betaal mijn zorgpremie al 5 maanden niet" is about the CAK, not
#: about a parent who does not pay). See knowledge/life_stage.py.
YOUTH_PENALTY = 0.05
#: Drop for a question about 18-20-year-olds when every age the message states is 21 or more
#: ("ik ben 34 ... hoeveel bijstand krijg je als je alleen bent").
ADULT_AGE_SHIFT = 0.15
#: Around the AOW age: regulations that stop at it (bijstand, IIT) drop this much, and the AIO
#: rises as much when the message asks about income ("mijn vader is 68 en heeft een klein
#: aowtje, wat is het minimum?").
AOW_AGE_SHIFT = 0.1
_YEAR = re.compile(r"\b(20[0-9]{2})\b")
#: A count with its unit ("6 maanden", "27 jaar", "15%"): a message that names the same count
#: as a question asks that question ("wat als het er 6 worden" -> "... 6 maanden ... niet betaal").
_COUNT = re.compile(
    r"\b(\d{1,3})\s*(maanden|maand|mnd|jaar|jr|dagen|dag|weken|week|werkdagen|procent|%)"
)
_UNIT = {
    "maand": "maanden",
    "mnd": "maanden",
    "jr": "jaar",
    "dag": "dagen",
    "week": "weken",
    "%": "procent",
}
COUNT_BONUS = 0.1


def counts(text: str) -> set[tuple[str, str]]:
    """The counts with a unit a text names, the unit in one spelling."""
    return {(n, _UNIT.get(u, u)) for n, u in _COUNT.findall(text.lower())}


_LAST_YEAR = re.compile(r"\b(vorig(e)? jaar|vorigjaar|last year|afgelopen jaar)\b")
#: Sentences shorter than this many words are not scored on their own.
MIN_SENTENCE_WORDS = 4
#: A question that shares no topic word with the message keeps only this part of its score:
#: "hoeveel is 144 euro per maand" is close in form to "hoeveel bijstand krijg ik per maand",
#: but it is not about bijstand.
NO_TOPIC_FACTOR = 0.5
#: Words that say how, when or how much, but not what about.
GENERIC = frozenset(
    """maand maanden euro eur jaar jaren week weken dag dagen per bedrag bedragen geld betalen
    betaal betaald krijgen krijg kreeg kost kosten hulp help hebben heb heeft doen moet mag mogen
    kun kan nodig vraag vragen iemand mensen persoon goed echt alleen ergens waar wanneer hoelang
    lang zelf nieuw nieuwe oud oude brief meenemen aanvragen aanvraag aanvra recht voorwaarde
    voorwaarden papieren documenten hoeveel terugwerkende terugwerken kracht terug aanmelden wat
    met mee zonder toch wel heel sinds omdat want maar hem haar hun ons jullie hoi hallo dag
    welk welke daarvoor daarover daarmee hiervoor hierover ervoor erover""".split()
)

#: A message that asks for someone or something that helps ("is er een club die...", "bestaat er
#: een app waar iemand meekijkt", "wie kan mij helpen met mijn post"): the social map answers
#: that, so organisations' questions rise this much. A question for a regulation ("is er een
#: regeling voor...") names none of these words and is left alone.
HELPER_BONUS = 0.12
_HELPER_NOUN = re.compile(
    r"\b(iemand|club(je)?s?|apps?|organisaties?|instanties?|vrijwilligers?|maatjes?|netwerk(en)?"
    r"|project(en)?|plek(ken)?|stichtings?|stichtingen|groep(en)?|loket|coach(es)?|buddy|inloop"
    r"|someone|somebody|organi[sz]ations?|volunteers?|charity|charities|group)\b"
)
_HELPER_ASK = re.compile(
    r"\b(is|zijn|ken|weet|heb|hebben) (er|je|jij|u|jullie)\b|\bbestaa?t\b|\bbestaan\b|\bwie\b"
    r"|\bwelke\b|\bwaar\b|\b(is|are) there\b|\bwho\b|\bwhere\b|\bdo you know\b"
)
_WHO_HELPS = re.compile(
    r"\bwie (kan|kunnen|helpt|helpen)( (mij|me|ons|jou|je))? (helpen|verder)\b|\bwho can help\b"
)


def asks_for_helper(text: str) -> bool:
    """True when a message asks who or what can help: a helper word and a question form."""
    norm = normalize_text(text or "")
    return bool(_WHO_HELPS.search(norm) or (_HELPER_NOUN.search(norm) and _HELPER_ASK.search(norm)))


#: An English message is also compared with each question's English answer (``antwoord_en``,
#: with the Dutch question for the names): the ways of asking are Dutch. That cosine, times this
#: weight, is added to the best Dutch one (tuned on the 539 English questions of the spent blind
#: sets: the top answer holds the expected fact 57.5% -> 69.0%; taking the larger of the two
#: instead of the sum reached 62.5%).
ENGLISH_WEIGHT = 2.0
#: Sibling questions that score within ANSWER_TIE of the best are told apart by their answers:
#: the one whose answer shares most words with the message (cosine times ANSWER_WEIGHT, added to
#: its score) is put first, with the best score (its ways of asking were as close). The answer
#: holds the words of the fact asked for ("bezwaar", "6 weken") that the ways may not. Only for
#: a message of ANSWER_MIN_WORDS words or more: a short one ("bijstand werken?") names a subject,
#: whose words every answer about it holds. Tuned on the 5,045 single-turn Dutch questions of the
#: spent blind sets: the top answer holds the expected fact 56.6% -> 58.8%. Adding the answer's
#: cosine to every score reached 61% there but lifted questions over the answer thresholds the
#: conversation tests guard ("ik word bijna 18, wat verandert er" lost its checklist).
#: Tried 0.25/1.5 (2026-12-03): on 6,940 spent single-turn Dutch questions 65.1% -> 65.4%, but
#: the blind round ax/ay/az then lost English and turning-18 questions to an unrelated record
#: whose Dutch answer shared a word ("premie", "2025"); back to 0.15/1.0.
ANSWER_TIE = 0.15
ANSWER_WEIGHT = 1.0
ANSWER_MIN_WORDS = 6

_SENTENCE_RE = re.compile(r"(?<=[.?!\n])\s+|\s+(?=maar |want |en nu |nu )")


@dataclass(frozen=True)
class VraagView:
    """One question with its answer, as the actions show it."""

    sleutel: str
    record_kind: str  # "regeling" or "organisatie"
    record_id: str
    record_naam: str
    gemeente: str | None
    vraag: str
    antwoord: str
    facet: str | None
    doelgroep: str
    bron_url: str
    peildatum: str
    jaar: int | None
    #: The answer in plain English, when the content has it.
    antwoord_en: str | None = None
    #: The record is for young people only (see knowledge.life_stage.for_young_only).
    voor_jongeren: bool = False


@dataclass
class VraagHit:
    """A ranked question with its score (0..~1.2) and why it scored."""

    vraag: VraagView
    score: float
    reasons: list[str] = field(default_factory=list)


def _prepare(text: str, vocab: frozenset[str] = frozenset()) -> str:
    """Normalised words plus the lemma of each word that has a different lemma, and, for a word
    the content never uses, its parts when they are words of the content ("gehuwdennorm" ->
    "gehuwden norm"). Known words stay whole: split, "toeslagpartner" would meet every question
    about any toeslag."""
    out: list[str] = []
    for w in normalize_text(text).split():
        out.append(w)
        lem = lemma(w)
        if lem != w:
            out.append(lem)
        if vocab and w not in vocab and lem not in vocab and (parts := split_compound(w, vocab)):
            out.extend(parts)
    return " ".join(out)


def topic_words(text: str) -> set[str]:
    """The words of a text that say what it is about (no stopwords, numbers or generic words);
    a word counts with its lemma, and is left out when either is generic."""
    out: set[str] = set()
    for w in normalize_text(text).split():
        lem = lemma(w)
        if len(w) < 2 or w.isdigit() or {w, lem} & (STOPWORDS | GENERIC):
            continue
        out |= {w, lem}
    return out


#: A message this short that names no regulation or organisation continues the conversation.
FOLLOW_UP_WORDS = 10
#: "en voor een stel?", "maar als ik samenwoon", "what about ...": openers that continue the
#: conversation whatever the rest of the message names.
_FOLLOW_UP_OPENER = re.compile(
    r"^(?:en|maar|ook|of|dus|dan|wat als|en als|en wat als|and|but|what about|and if|so)\b"
)


# "1 krijg ik ... 2 kan ik ... 3 wat is ...", "1. ... 2) ...", "vraag 1: ...": numbered questions.
_NUMBERED = re.compile(r"(?:(?<=\s)|^)(?:vraag\s*)?([1-5])\s*[.):-]?\s+(?=[^\W\d])", re.IGNORECASE)
_QUESTION_END = re.compile(r"\?+(?=\s+\S)")
MIN_PART_WORDS = 3


def split_questions(text: str) -> list[tuple[int, int]]:
    """The character spans of separate questions in one message, or [] for one question.

    People ask several things at once: numbered ("1 ... 2 ... 3 ...") or as questions one after
    another ("wat is de stadspas? en hoe vraag ik zorgtoeslag aan?"). Each part must have a few
    words of its own; a number inside a sentence ("ik heb 2 kinderen") is not a list item.
    """
    marks = list(_NUMBERED.finditer(text))
    numbers = [int(m.group(1)) for m in marks]
    spans: list[tuple[int, int]] = []
    if len(marks) >= 2 and numbers == list(range(1, len(marks) + 1)):
        starts = [m.end() for m in marks]
        ends = [m.start() for m in marks[1:]] + [len(text)]
        spans = list(zip(starts, ends, strict=True))
    else:
        cut = [0] + [m.end() for m in _QUESTION_END.finditer(text)] + [len(text)]
        spans = [(a, b) for a, b in zip(cut, cut[1:], strict=False) if b > a]
    spans = [(a, b) for a, b in spans if len(text[a:b].split()) >= MIN_PART_WORDS]
    return spans if len(spans) >= 2 else []


#: "... en welke vermogensgrens?", "... en bestaat er een extra bedrag?": a second question joined
#: to the first with "en" (or "and"), asking something of its own.
_AND_ASKS = re.compile(
    r",?\s+(?:en|and|en ook)\s+(?=(?:welke|welk|hoeveel|hoe|wat|waar|wie|wanneer|tot wanneer"
    r"|is er|zijn er|bestaat|bestaan|kan ik|kun je|kan hij|kan zij|mag ik|mag hij|moet ik"
    r"|krijg ik|krijgt hij|krijgt zij|what|how|which|where|who|when|is there|are there|can i"
    r"|do i)\b)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]+\s*")


def question_halves(text: str) -> tuple[str, str] | None:
    """The two questions joined by "en" in the message's last question sentence ("welke
    bijstandsnorm geldt in 2026 en welke vermogensgrens?"), each with the years the message names
    (the first half says "in 2026" for both); None for one question. Numbered or separate
    questions are :func:`split_questions`' work."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text.rstrip())]
    start = ends[-1] if ends else 0
    sentence = text[start:]
    match = _AND_ASKS.search(sentence)
    if not match or len(sentence[: match.start()].split()) < MIN_PART_WORDS:
        return None
    first, second = sentence[: match.start()].strip(), sentence[match.end() :].strip()
    if len(second.split()) < 2:
        return None
    years = years_named(text)

    def with_years(part: str) -> str:
        return " ".join([part, *map(str, sorted(years - years_named(part)))])

    return with_years(first), with_years(second)


#: A short question about cost and nothing else ("en is dat gratis?", "kost het iets",
#: "moet ik daarvoor betalen", "is it free").
COST_QUESTION = re.compile(
    r"^(en |maar |ok |oke |en is |dus )?(is (dat|het|die|dit|dat ook|het ook|dat wel|het wel) "
    r"(ook |wel |echt |helemaal )?(gratis|kosteloos)"
    r"|kost (dat|het|die|dit|ze|hij) (iets|geld|wat|veel)"
    r"|moet ik (daar|daarvoor|ervoor|er|dan) (iets |geld )?(voor )?betalen"
    r"|zijn er (ook )?kosten"
    r"|wat kost (dat|het|die)"
    r"|is (it|that) free|does (it|that) cost)( \w+){0,4}$"
)


# "is deze chat gratis?", "kost dit geld?" (nothing in focus), "is this app free?": what this
# chat costs. Many people fear hidden costs (the seeds); the answer is short and certain.
CHAT_COST_QUESTION = re.compile(
    r"\b(is|zijn) (deze|die|jouw|jullie|de) (chat|app|bot|dienst|service|chatbot|website)"
    r"( \w+)? (gratis|kosteloos)"
    r"|\bkost(en)? (deze|die|de) (chat|app|bot|dienst|service|chatbot)\b"
    r"|\bkost (dit|jij|jullie|bestaanswijzer|het chatten|chatten)( \w+)? (geld|iets|wat)\b"
    r"|\bmoet ik (iets |geld )?(betalen|geld betalen|iets betalen) (voor|om) (deze|dit|jou|jullie"
    r"|bestaanswijzer|te chatten|het gebruik|de chat|de app)\b"
    r"|\bis (bestaanswijzer|chatten|het chatten|jullie hulp)( hier)? (gratis|kosteloos)"
    r"|\b(is|are) (this|the|your) (app|chat|bot|service|assistant|chatbot)( \w+)? free\b"
    r"|\bdoes (this|the|your) (app|chat|bot|service|chatbot)( \w+)? cost\b"
    r"|\bdo i (have to|need to|must) pay (for|to use) (this|you|the (app|chat|bot|service))\b"
    r"|\bis (this|it) free to use\b"
)


def asks_if_this_chat_is_free(text: str) -> bool:
    """True for a question about what this chat costs ("is deze app gratis?")."""
    return bool(CHAT_COST_QUESTION.search(normalize_text(text or "")))


def is_cost_question(text: str) -> bool:
    """A short question about cost and nothing else: the cost of what the conversation is about."""
    return bool(COST_QUESTION.match(normalize_text(text or "").strip(" ?!.")))


def years_named(text: str, today: dt.date | None = None) -> set[int]:
    """The years a message asks about: "in 2025", "vorig jaar" (last year)."""
    this_year = (today or dt.date.today()).year
    norm = normalize_text(text)
    years = {int(y) for y in _YEAR.findall(norm)}
    if _LAST_YEAR.search(norm):
        years.add(this_year - 1)
    return years


def _year_shift(jaar: int | None, years: set[int], this_year: int, reasons: list[str]) -> float:
    """The score change for a question's year against the years the message names."""
    if jaar is None:
        return 0.0
    if years:
        if jaar in years:
            return SAME_YEAR_BONUS
        reasons.append(f"over {jaar}, gevraagd naar {'/'.join(map(str, sorted(years)))}")
        return -OTHER_YEAR_PENALTY
    if jaar < this_year:
        reasons.append(f"over {jaar}")
        return -PAST_YEAR_PENALTY
    return 0.0


def _common_aspects(ways: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The aspects of a question (``ways[0]`` is the question itself): those its own wording
    names or at least a third of its ways of asking, and those only some variant names (one
    variant that mentions a partner does not make a question about partners)."""
    per_way = [aspects_of(way) for way in ways]
    counts = Counter(aspect for found in per_way for aspect in found)
    own = per_way[0] if per_way else frozenset()
    common = frozenset(a for a, n in counts.items() if a in own or 3 * n >= len(ways))
    return common, frozenset(counts) - common


def _aspect_shift(
    asked: frozenset[str], has: tuple[frozenset[str], frozenset[str]], reasons: list[str]
) -> float:
    """Bonus for the aspects a question is about that the message names (vermogen, samen, ...),
    penalty when the question is about the opposite of one the message names and not about that
    one. An aspect only some variants name gives no bonus ("toeslag partner" is not a question
    about the maximum because one of its variants mentions a partner), but saves the penalty."""
    common, some = has
    shared = asked & common
    shift = ASPECT_BONUS * min(len(shared), 2)
    if shared:
        reasons.append("aspect " + ", ".join(sorted(shared)))
    against = {a for a in asked - common - some if opposite(a) in common}
    if against:
        shift -= ASPECT_PENALTY
        reasons.append("ander aspect dan " + ", ".join(sorted(against)))
    return shift


def is_follow_up(text: str, names_something: bool) -> bool:
    """True for a message that adds to the previous one rather than asking something new: it
    opens like a follow-up ("en voor een stel?"), has no topic word at all, or is short and names
    no regulation or organisation."""
    if _FOLLOW_UP_OPENER.match(normalize_text(text)) and len(text.split()) <= FOLLOW_UP_WORDS:
        return True
    if not topic_words(text):
        return True
    return len(text.split()) <= FOLLOW_UP_WORDS and not names_something


def _shares_topic(asked: set[str], words: set[str], prefixes: set[str]) -> bool:
    """True when a topic word of the message is a word (or a 5-letter word start) of the question."""
    return any(w in words or (len(w) >= 5 and w[:5] in prefixes) for w in asked)


def family(record_id: str, gemeente: str | None) -> str:
    """A gemeente's own variant counts as its national regulation (bijstand_amsterdam -> bijstand)."""
    return record_id.removesuffix(f"_{gemeente}") if gemeente else record_id


def sentences(text: str) -> list[str]:
    """The parts of a long message worth scoring on their own (sentences, clauses with 'maar')."""
    parts = [p.strip() for p in _SENTENCE_RE.split(text) if p and p.strip()]
    return [p for p in parts if len(p.split()) >= MIN_SENTENCE_WORDS]


class QuestionIndex:
    """All questions of one content version, vectorised once per process."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.vragen, ways, names = self._load()
        texts: list[str] = []
        owner: list[int] = []
        self._topic: list[tuple[set[str], set[str]]] = []
        self._aspects: list[tuple[frozenset[str], frozenset[str]]] = []
        self._record_words: list[set[str]] = []
        self._counts: list[set[tuple[str, str]]] = []
        self._vocab = frozenset(
            form
            for way_list in ways
            for way in way_list
            for w in normalize_text(way).split()
            if len(w) >= 3
            for form in (w, lemma(w))
        )
        for i, v in enumerate(self.vragen):
            words: set[str] = topic_words(" ".join([v.record_naam, *names.get(v.record_id, [])]))
            self._record_words.append(set(words))
            for way in ways[i]:
                texts.append(_prepare(way))
                owner.append(i)
                words |= topic_words(way)
            self._topic.append((words, {w[:5] for w in words if len(w) >= 5}))
            self._aspects.append(_common_aspects(ways[i]))
            self._counts.append(set().union(*(counts(w) for w in ways[i])))
        self.owner = np.array(owner, dtype=int)
        self._words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        self._chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1
        )
        if texts:
            self._wm = self._words.fit_transform(texts)
            self._cm = self._chars.fit_transform(texts)
        self._answers = TfidfVectorizer(sublinear_tf=True, min_df=1)
        if self.vragen:
            self._am = self._answers.fit_transform([_prepare(v.antwoord) for v in self.vragen])
        self._position = {v.sleutel: i for i, v in enumerate(self.vragen)}
        english = [f"{v.antwoord_en or ''} {v.vraag}" for v in self.vragen]
        self._en_words = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, stop_words="english"
        )
        self._en_chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        if english:
            self._en_wm = self._en_words.fit_transform(english)
            self._en_cm = self._en_chars.fit_transform(english)

    def _load(self) -> tuple[list[VraagView], list[list[str]], dict[str, list[str]]]:
        """The questions, the ways of asking each (same order), and every record's synonyms;
        one read of each table."""
        with Session(self.engine, future=True) as s:
            regs = {r.id: r for r in s.execute(select(Regeling)).scalars()}
            orgs = {o.id: o for o in s.execute(select(Organization)).scalars()}
            # An organisation whose every service is in one gemeente is local to it: its
            # questions ("waar zit het buurtteam?") are not answered to someone who lives elsewhere.
            areas: dict[str, set[str | None]] = {}
            for org_id, area in s.execute(select(Service.organization_id, Service.gemeente)):
                areas.setdefault(org_id, set()).add(area)
            local = {
                oid: next(iter(a)) for oid, a in areas.items() if len(a) == 1 and None not in a
            }
            names = {rid: list(r.synoniemen) for rid, r in {**regs, **orgs}.items()}
            vragen: list[VraagView] = []
            ways: list[list[str]] = []
            for q in s.execute(select(Vraag).order_by(Vraag.id)).scalars():
                if q.regeling_id:
                    kind, rid = "regeling", q.regeling_id
                    reg = regs.get(rid)
                    naam, gem = (reg.naam, reg.gemeente) if reg else (rid, None)
                else:
                    kind, rid = "organisatie", str(q.organisatie_id)
                    naam, gem = (orgs[rid].naam if rid in orgs else rid), local.get(rid)
                vragen.append(
                    VraagView(
                        sleutel=q.sleutel,
                        record_kind=kind,
                        record_id=rid,
                        record_naam=naam,
                        gemeente=gem,
                        vraag=q.vraag,
                        antwoord=q.antwoord,
                        facet=q.facet,
                        doelgroep=q.doelgroep,
                        bron_url=q.bron_url,
                        peildatum=q.peildatum.isoformat(),
                        jaar=q.jaar,
                        antwoord_en=q.antwoord_en,
                        voor_jongeren=kind == "regeling" and for_young_only(regs.get(rid)),
                    )
                )
                ways.append([q.vraag, *q.varianten])
            return vragen, ways, names

    def similarity(self, text: str, english: bool = False) -> np.ndarray:
        """Per question: the best cosine of ``text`` (or one of its sentences) to a way of asking;
        for an English message plus its weighted cosine to the question's English answer."""
        best = np.zeros(len(self.vragen))
        if not self.vragen:
            return best
        parts = [text, *sentences(text)] if len(text.split()) > 12 else [text]
        prepared = [_prepare(p, self._vocab) for p in parts]
        w = (self._wm @ self._words.transform(prepared).T).toarray()
        c = (self._cm @ self._chars.transform(prepared).T).toarray()
        per_way = (0.5 * w + 0.5 * c).max(axis=1)
        np.maximum.at(best, self.owner, per_way)
        if english:
            w_en = (self._en_wm @ self._en_words.transform([text]).T).toarray()[:, 0]
            c_en = (self._en_cm @ self._en_chars.transform([text]).T).toarray()[:, 0]
            best += ENGLISH_WEIGHT * (0.5 * w_en + 0.5 * c_en)
        return best

    def rank(
        self,
        text: str,
        *,
        named: dict[str, set[str]] | None = None,
        focus: str | None = None,
        gemeente: str | None = None,
        staff: bool = False,
        english: bool = False,
        limit: int = 3,
    ) -> list[VraagHit]:
        """The best questions for a message, most likely first, each with its reasons.

        ``named``: record ids the message names, per kind ("regeling", "organisatie");
        ``english``: the message is English (its English answers count too).
        """
        if not text.strip() or not self.vragen:
            return []
        named = named or {}
        text = glossary.expand(text)  # English, staff shorthand: the content's own words added
        sims = self.similarity(text, english=english)
        asked = topic_words(text)
        named_ids = {
            family(rid, gemeente) for kind, ids in named.items() if kind != CONTEXT for rid in ids
        }
        context_ids = {family(rid, gemeente) for rid in named.get(CONTEXT, ())}
        this_year = dt.date.today().year
        years = years_named(text)
        helper = asks_for_helper(text)
        young = shows_youth(text)
        older = only_older_than_20(text)
        until_aow, from_aow, aow_from_age = aow_lists()
        aow_age = shows_aow_age(text, aow_from_age)
        aow_income = aow_age and asks_about_income(text)
        # Someone of 71 who names "bijstand" or the AOW still means the AIO.
        named_regs = {family(rid, gemeente) for rid in named.get("regeling", ())}
        only_aow_named = named_regs <= {"aow", *from_aow, *until_aow}
        # Two words ("toeslag partner") name a subject, not which of its questions: no aspects.
        message_aspects = (
            aspects_of(text) if len(text.split()) >= MIN_SENTENCE_WORDS else frozenset()
        )
        asked_counts = counts(text)
        hits: list[VraagHit] = []
        for i, v in enumerate(self.vragen):
            # Another gemeente's own regulation or organisation is never answered; without a
            # gemeente (the staff console's lookup over all of them) organisations all count.
            if v.gemeente not in (None, gemeente) and not (
                gemeente is None and v.record_kind == "organisatie"
            ):
                continue
            score = float(sims[i])
            reasons = [f"formulering {score:.2f}"]
            in_focus = bool(focus) and family(v.record_id, gemeente) == family(str(focus), gemeente)
            # The topic of a follow-up ("en hoe lang mag ik dan weg?") is the one in focus.
            if not in_focus and not _shares_topic(asked, *self._topic[i]):
                score *= NO_TOPIC_FACTOR
                reasons.append("geen onderwerpwoord gedeeld")
            is_named = v.record_id in named_ids or family(v.record_id, gemeente) in named_ids
            # "mijn AOW is te weinig": naming the AOW (and nothing else) while asking about
            # income names the AIO
            is_named = is_named or (aow_income and v.record_id in from_aow and only_aow_named)
            # "mijn moeder heeft bijstand en wordt 67": bijstand stops at the AOW age, so a
            # regulation for people with AOW age (the AIO) is what the question is about too.
            is_named = is_named or (
                aow_age and v.record_id in from_aow and bool(named_regs & set(until_aow))
            )
            if is_named:
                score += NAMED_BONUS
                reasons.append(f"genoemd: {v.record_naam}")
            elif family(v.record_id, gemeente) in context_ids:
                score += CONTEXT_BONUS
                reasons.append(f"situatie: {v.record_naam}")
            elif named_ids:
                score -= OTHER_PENALTY
                reasons.append("iets anders genoemd")
            elif in_focus:
                score += FOCUS_BONUS
                reasons.append(f"onderwerp van het gesprek: {v.record_naam}")
            # (someone on AOW asking about their income means the AIO, named or not)
            elif not (aow_income and v.record_id in from_aow) and not _shares_topic(
                asked,
                self._record_words[i],
                {w[:5] for w in self._record_words[i] if len(w) >= 5},
            ):
                score -= UNNAMED_PENALTY
                reasons.append(f"{v.record_naam} niet genoemd")
            if v.voor_jongeren and not young and not in_focus and not is_named:
                score -= YOUTH_PENALTY
                reasons.append("voor jongeren; niets in het bericht wijst op een jongere")
            if older and asks_about_18_to_20(v.vraag):
                score -= ADULT_AGE_SHIFT
                reasons.append(
                    "over 18 tot 21 jaar; het bericht noemt een leeftijd van 21 of ouder"
                )
            if aow_age and not is_named and v.record_id in until_aow:
                score -= AOW_AGE_SHIFT
                reasons.append("stopt bij de AOW-leeftijd; het bericht gaat over iemand met AOW")
            elif aow_income and v.record_id in from_aow:
                score += AOW_AGE_SHIFT
                reasons.append("voor wie de AOW-leeftijd heeft")
            score += _year_shift(v.jaar, years, this_year, reasons)
            score += _aspect_shift(message_aspects, self._aspects[i], reasons)
            if asked_counts & self._counts[i]:
                score += COUNT_BONUS
                reasons.append("noemt hetzelfde aantal")
            if helper and v.record_kind == "organisatie":
                score += HELPER_BONUS
                reasons.append("vraagt wie helpt")
            if v.doelgroep == "medewerker" and not staff:
                score -= STAFF_ONLY_PENALTY
            elif staff and v.doelgroep == "medewerker":
                score += 0.03
            hits.append(VraagHit(v, score, reasons))
        hits.sort(key=lambda h: -h.score)
        if hits and len(text.split()) >= ANSWER_MIN_WORDS:
            hits = self._by_answer(text, hits)
        return hits[:limit]

    def _by_answer(self, text: str, hits: list[VraagHit]) -> list[VraagHit]:
        """``hits`` (best first) with the sibling whose answer fits the message best first, among
        those within ANSWER_TIE of the best score; it gets the best score."""
        top = hits[0].score
        close = [h for h in hits if h.score >= top - ANSWER_TIE]
        if len(close) < 2:
            return hits
        fit = (self._am @ self._answers.transform([_prepare(text, self._vocab)]).T).toarray()[:, 0]
        best = max(
            close, key=lambda h: h.score + ANSWER_WEIGHT * fit[self._position[h.vraag.sleutel]]
        )
        if best is hits[0]:
            return hits
        moved = VraagHit(best.vraag, top, [*best.reasons, "antwoord past beter bij de vraag"])
        return [moved, *(h for h in hits if h is not best)]


_indexes: PerEngine[QuestionIndex] = PerEngine(QuestionIndex)


def get_question_index(engine: Engine) -> QuestionIndex:
    """The index for this engine, built once per process and content version."""
    return _indexes.get(engine)


def invalidate_cache() -> None:
    """Forget cached indexes (after a content load)."""
    _indexes.clear()
