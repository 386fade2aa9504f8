"""Crisis safety net: runs on every message, independent of the intent classifier.

Two signals, either one is enough. Precise patterns (``bot/crisis_patronen.yml``) for what was
foreseen, and a learned multilingual model (``nlu.crisis_model``) for what was not: indirect
wording, street language, other languages, a crisis sentence inside a long money story. The
detector is plain Python so it runs inside the Rasa pipeline (``nlu.components.CrisisDetector``,
the last component, where it overrides the classifier's intent with ``crisis``) and anywhere else
a message arrives. Recall comes first.

Every category found is reported, most urgent first: the first leads the answer, the others
(``ook``) follow it, so danger now or suicidal thoughts are never hidden behind an eviction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from knowledge import yamlfile
from knowledge.text import clean_surrogates, normalize_text
from nlu import crisis_frame, crisis_model
from nlu.crisis_model import CATEGORIES, DOUBT, SHORT_WORDS, THRESHOLD, VETO

PATTERNS_FILE = Path(__file__).resolve().parent.parent / "bot" / "crisis_patronen.yml"
# A category the model names counts when the message is a crisis and this class has at least
# this share of the probability (the leading class always counts).
CATEGORY_MIN = 0.25
#: A doubt about a child in danger (model only) leads with the next kind when that kind has at
#: least this share of the child's score ("ik weet niet hoe ik de kinderen eten moet geven": food
#: help, 0.06 of 0.11), else with violence's check, which names Veilig Thuis.
NEXT_KIND_SHARE = 0.25
#: A suicide score of the model alone leads unless a child in danger or violence scores at least
#: this many times higher or has a pattern (then that kind leads and 113 follows in one line).
SUICIDE_OUTWEIGHED = 2.0
SAFETY_LEADS = ("kind_in_gevaar", "geweld")
#: A model-only suicide share below this leads with a practical emergency that has its own
#: pattern (no roof tonight, no food today, eviction, disconnection); 113 follows in one line.
#: On the spent sets the suicidal messages in that position scored 0.53 and up, the practical
#: ones 0.21 to 0.86.
PRACTICAL_LEADS_BELOW = 0.5
#: A model-only danger now below this score leads after a practical emergency its own pattern
#: names (put out today: the model reads the night outside as danger). Chosen on the spent sets:
#: their danger-now messages with a practical pattern scored higher.
DANGER_YIELDS_BELOW = 0.7
PRACTICAL = frozenset(
    {"dakloos_vannacht", "geen_eten_vandaag", "uitzetting_acuut", "afsluiting_acuut"}
)
MAX_CHARS = 5000
# A money question on which only the model speaks is checked, not answered as a sure crisis, below
# this score (a doubt still gives the line, and answers the question right after the check).
MONEY_QUESTION_SURE = 0.9
#: A request to delete the conversation, or about what is kept of it, that only the model finds
#: worrying: no crisis below this score (the model reads "alles wissen" as a farewell).
PRIVACY_SURE = 0.7
#: Only a short message is such a request; in a longer one the request may stand next to a story.
PRIVACY_REQUEST_WORDS = 25
#: A doubt of the model alone below this score, in a question about money, is checked after the
#: answer instead of before it: the person asked something, and hears that first (the check and
#: 113 follow in the same reply). On the spent blind sets (5,469 crisis / 18,033 ordinary
#: messages) such doubts were 1 crisis message and 47 ordinary questions.
CHECK_AFTER_ANSWER_BELOW = 0.3
#: The ``crisis_zekerheid`` values (``nlu.components.zekerheid``) that are not a sure crisis: the
#: person is checked with, or given the lines as information. One set for the policy and the
#: action, so a new value cannot reach one and not the other.
NOT_SURE = frozenset({"twijfel", "na_vraag", "informatie"})
#: Danger now that only the model sees, in a message that says itself it is no emergency ("het is
#: geen noodgeval, wie kan ik bellen" about a neighbour): checked (the check names 112, and the
#: question is answered after it) below this score, not answered as sure danger with 112 first.
DENIED_DANGER_SURE = 0.95
#: On a text of fewer than SHORT_WORDS words the model alone is a doubt from this score up, never
#: sure: "wil verdwijnen" is checked, "niet meer" after a form question is checked, not answered
#: as a crisis.
SHORT_DOUBT = 0.5
# Only the practical categories can be overruled by the model; a person's safety never is.
NEVER_VETOED = frozenset({"suicide", "gevaar_nu", "geweld", "kind_in_gevaar"})
#: Nor an eviction, a disconnection or no food whose moment is now or days away
#: (crisis_frame.is_soon: "morgen", "over 2 dagen", "al twee dagen").
NEAR_TIME_KINDS = frozenset({"uitzetting_acuut", "afsluiting_acuut", "geen_eten_vandaag"})
#: The kinds whose patterns an idiom can trip ("ik ga dood van het wachten", "mijn baas vermoordt
#: me"): with a question and a model that sees nothing worrying, no crisis (crisis_frame.idioom).
IDIOM_KINDS = frozenset({"suicide", "geweld"})


@dataclass(frozen=True)
class CrisisSignal:
    """What the safety net found: the leading category, why, the other categories, and whether
    it is sure (a pattern or a high score) or in doubt (a middling score: check with the person)."""

    categorie: str
    pattern: str  # the pattern that matched, or "model:<score>"
    ook: tuple[str, ...] = ()
    zeker: bool = True
    informatie: bool = False  # asked for someone else or for work: the lines, not a crisis answer
    na_vraag: bool = False  # a faint doubt in a money question: answer first, then the check


@lru_cache(maxsize=2)
def _compiled(section: str = "categorieen") -> list[tuple[str, re.Pattern[str]]]:
    """The patterns of one section of the file: ``categorieen`` (Dutch and English, matched on
    the Dutch normalisation) or ``talen`` (other languages, matched with every script kept)."""
    data = yamlfile.read(PATTERNS_FILE)
    out = []
    for categorie, patterns in (data.get(section) or {}).items():
        if categorie not in CATEGORIES:
            raise ValueError(f"{PATTERNS_FILE.name}: unknown category {categorie!r}")
        for p in patterns:
            out.append((categorie, re.compile(rf"\b(?:{p})\b")))
    return out


def pattern_hits(text: str) -> dict[str, str]:
    """Every category whose patterns match, with the first matching pattern."""
    if not text:
        return {}
    text = text[:MAX_CHARS]
    hits: dict[str, str] = {}
    for section, norm in (
        ("categorieen", normalize_text(text).replace("'", " ")),
        ("talen", crisis_model.normalize(text)),
    ):
        for categorie, rx in _compiled(section):
            if categorie not in hits and rx.search(norm):
                hits[categorie] = rx.pattern
    return hits


def model_hits(text: str) -> tuple[float, dict[str, float], bool, dict[str, float]]:
    """The model's crisis score, the categories it names (empty below the doubt threshold),
    whether it read the text at all (a text under MIN_WORDS gets only ``crisis: 0.0``), and its
    score for every category (to pick another lead without scoring the text again)."""
    from nlu.crisis_model import model  # noqa: PLC0415 - loads the fitted arrays once

    scores = model().scores(text[:MAX_CHARS])
    crisis = scores.pop("crisis")
    judged = bool(scores)  # per-category scores exist only for a text the model scored
    if crisis < DOUBT:
        return crisis, {}, judged, scores
    lead = max(scores, key=scores.__getitem__)
    learned = {c: s for c, s in scores.items() if c == lead or s >= CATEGORY_MIN}
    return crisis, learned, judged, scores


@dataclass(frozen=True)
class _Evidence:
    """What the patterns and the model say about one text, computed once per detect()."""

    patterns: dict[str, str]
    score: float
    learned: dict[str, float]
    judged: bool = True  # False when the text is too short for the model to veto a pattern
    short: bool = False  # fewer than SHORT_WORDS words: the model alone is only a doubt
    scores: dict[str, float] = field(default_factory=dict)  # the model's score per category
    soon: frozenset[str] = frozenset()  # practical kinds the model may not veto: a moment is near


def _evidence(text: str) -> _Evidence:
    score, learned, judged, scores = model_hits(text)
    short = len(crisis_model.normalize(text).split()) < SHORT_WORDS
    if short and score < SHORT_DOUBT:
        score, learned = 0.0, {}
    patterns = pattern_hits(text)
    # "de ontruiming is over 2 dagen", "al drie dagen zonder eten": an eviction, a disconnection
    # or no food that is now or days away is acute, whatever the model says (it reads the money
    # words around it as ordinary).
    soon = frozenset(c for c in patterns if c in NEAR_TIME_KINDS and crisis_frame.is_soon(text))
    return _Evidence(patterns, score, learned, judged and not short, short, scores, soon)


def _first(lead: str, found: list[str]) -> list[str]:
    """``found`` with ``lead`` moved to the front, the rest in their order of urgency."""
    return [lead, *(c for c in found if c != lead)]


def _signal(ev: _Evidence) -> CrisisSignal | None:
    """Patterns and model, without looking at the frame: the most urgent kind leads, except a
    model-only suicide score that a person's-safety kind clearly outweighs (SUICIDE_OUTWEIGHED)."""
    patterns = ev.patterns
    if ev.judged and ev.score < VETO:
        patterns = {c: p for c, p in patterns.items() if c in NEVER_VETOED or c in ev.soon}
    found = [c for c in CATEGORIES if c in patterns or c in ev.learned]
    if not found:
        return None
    lead = found[0]
    if lead == "suicide" and lead not in patterns:
        # Most urgent first, but a model-only suicide score far below another person's-safety
        # kind ("my dad hits me ... im 13": child 0.85, suicide 0.34), or such a kind found by
        # its own pattern ("ghadi nqtlek", a threat to kill), leads with that kind; 113 stays
        # in the answer as its second line.
        stronger = [
            c
            for c in found[1:]
            if c in SAFETY_LEADS
            and (
                c in patterns
                or ev.learned.get(c, 0.0) >= SUICIDE_OUTWEIGHED * ev.learned.get(lead, 0.0)
            )
        ]
        if stronger:
            lead = stronger[0]
            found = _first(lead, found)
        elif ev.scores.get("suicide", 0.0) < PRACTICAL_LEADS_BELOW and (
            practical := [c for c in found if c in patterns and c in PRACTICAL]
        ):
            # "ik heb nergens om te slapen vannacht": a practical emergency its own pattern names,
            # and a suicide share of the model below one half: the night shelter, the food or
            # the bailiff's help first, 113 in the line after it.
            lead = practical[0]
            found = _first(lead, found)
    elif lead == "gevaar_nu" and lead not in patterns:
        # "mijn spullen staan op de galerij, ik zit nu in het trappenhuis": the model reads the
        # night outside as danger now; when the practical emergency's own pattern names it and
        # the model's danger score is below DANGER_YIELDS_BELOW, the night shelter or the
        # eviction help leads and 112 follows in the line after it.
        # (Not no food: hunger with confusion or shaking is a medical emergency.)
        # Suicidal words its own pattern names ("hij zegt dat hij zijn tijd wel heeft gehad en
        # eet niet meer") lead the same way: 113 first, 112 in the line after it.
        practical = [
            c
            for c in found
            if c in patterns and c in (PRACTICAL - {"geen_eten_vandaag"}) | {"suicide"}
        ]
        if practical and ev.scores.get("gevaar_nu", 0.0) < DANGER_YIELDS_BELOW:
            lead = practical[0]
            found = _first(lead, found)
    why = patterns.get(lead) or f"model:{ev.score:.2f}"
    sure = bool(patterns) or (ev.score >= THRESHOLD and not ev.short)
    return CrisisSignal(lead, why, tuple(found[1:]), zeker=sure)


def _danger_now(signal: CrisisSignal, ev: _Evidence) -> bool:
    """Danger now by a pattern or a sure score: never reframed."""
    named = signal.categorie == "gevaar_nu" or "gevaar_nu" in signal.ook
    return named and (signal.zeker or "gevaar_nu" in ev.patterns)


def _led_without(
    signal: CrisisSignal,
    ev: _Evidence,
    leave_out: str = "gevaar_nu",
    when_unlikely: str | None = None,
) -> CrisisSignal:
    """The signal led by its most likely category other than ``leave_out`` and danger now (only
    a doubt there), from the model's scores already computed for this text; led by
    ``when_unlikely`` instead when that category is far less likely than ``leave_out``
    (NEXT_KIND_SHARE)."""
    if signal.categorie != leave_out and leave_out not in signal.ook:
        return signal
    others = [c for c in CATEGORIES if c not in {"gevaar_nu", leave_out}]
    lead = max(others, key=lambda c: ev.scores.get(c, 0.0))
    if when_unlikely and ev.scores.get(lead, 0.0) < NEXT_KIND_SHARE * ev.scores.get(leave_out, 0.0):
        lead = when_unlikely
    return replace(
        signal, categorie=lead, ook=tuple(c for c in signal.ook if c not in {lead, leave_out})
    )


def detect(text: str) -> CrisisSignal | None:
    """The crisis categories this text shows, most urgent first, or None.

    A pattern or a model score at THRESHOLD is sure; a score between DOUBT and THRESHOLD is a
    doubt. A pattern of a practical category is overruled when the model is sure the message is
    ordinary (VETO): "ik heb vannacht slecht geslapen" is not a night without a roof.

    Danger now is never reframed, with one exception: only the model sees it and the message says
    itself it is no emergency; then it is checked unless the model is very sure.

    Then the frame (``nlu.crisis_frame``), never for danger now: a crisis told as past and over
    only counts for what the message says about today; a question for someone else or for work
    gets the lines as information; a joke on which the model alone is in doubt is no crisis unless
    the joke is taken back, and a joke it is sure about or a pattern sees is checked rather than
    answered as sure; an idiom of killing or not coping in a question ("mijn baas vermoordt me")
    is no crisis when the model sees nothing worrying; death said of a car or of fear is
    no crisis when no pattern speaks; a message that denies a crisis itself ("geen geweld, maar")
    is no crisis on the model's doubt alone, and checked when the model is sure. A question about
    money that only the model finds worrying is checked unless the model is very sure. A doubt of
    the model alone never leads with a child in danger: the next kind leads, or violence's check
    (which names Veilig Thuis) when that next kind is far less likely than the child. A faint
    doubt of the model alone in a money question is marked ``na_vraag``: answered first, then
    checked (CHECK_AFTER_ANSWER_BELOW).
    """
    if not text or not text.strip():
        return None
    text = clean_surrogates(text)
    ev = _evidence(text)
    signal = _signal(ev)
    if (
        signal is not None
        and _danger_now(signal, ev)
        and not ev.patterns
        and ev.score < DENIED_DANGER_SURE
        and crisis_frame.is_denial(text)
    ):
        return replace(signal, zeker=False)
    if signal is None or _danger_now(signal, ev):
        return signal
    if (
        ev.score < DOUBT
        and not ev.short
        and set(ev.patterns) <= IDIOM_KINDS
        and crisis_frame.is_idiom_question(text)
    ):
        return None  # "mijn baas vermoordt me als ..., hoe ...?": a pattern on an idiom
    if crisis_frame.is_past_and_over(text):
        rest = crisis_frame.present_part(text)
        return _signal(_evidence(rest)) if rest.strip() else None
    if crisis_frame.is_information(text):
        return replace(_led_without(signal, ev), zeker=False, informatie=True)
    if crisis_frame.is_joke(text):
        # "ik ga dood van het lachen haha": no crisis when the model sees nothing worrying, nor
        # on the model's doubt alone unless the joke is taken back ("lol, ik meen het wel").
        # A suicide pattern in a joke that is taken back ("... lol. nee serieus, ik ben er klaar
        # mee") is checked, whatever the model says; "haha. maar serieus, wat is ...?" asks on.
        taken_back = crisis_frame.is_serious(text)
        waved_away = not ev.patterns and ev.score < THRESHOLD and not taken_back
        kept = "suicide" in ev.patterns and taken_back and not crisis_frame.asks(text)
        faint = ev.score < DOUBT and not kept
        return None if faint or waved_away else replace(signal, zeker=False)
    if crisis_frame.is_figure_of_speech(text) and not ev.patterns:
        return None  # only the model, on words said of a car, of fear or of work
    if (
        not ev.patterns
        and ev.score < PRIVACY_SURE
        and len(text.split()) <= PRIVACY_REQUEST_WORDS
        and crisis_frame.is_privacy_request(text)
    ):
        return None  # "verwijder alles wat ik heb geschreven": the conversation, not a farewell
    if crisis_frame.is_denial(text) and not ev.patterns:
        return replace(signal, zeker=False) if signal.zeker else None
    if (
        signal.zeker
        and not ev.patterns
        and ev.score < MONEY_QUESTION_SURE
        and crisis_frame.is_money_question(text)
    ):
        # "mag ik iets houden of gaat alles eraf?", "daar kan niemand van leven": the model's
        # words in a question about money. The check names the line and answers the question.
        signal = replace(signal, zeker=False)
    if not signal.zeker and not ev.patterns and signal.categorie == "kind_in_gevaar":
        # Only the model, and in doubt: a check "is een kind niet veilig?" frightens parents who
        # wrote about money (and fear child protection after the toeslagenaffaire). The check
        # leads with the next kind instead; for a child in danger that is mostly violence, whose
        # check names Veilig Thuis too. When the next kind is far less likely than a child in
        # danger (the neighbour's children alone all night), violence's check: not the 113
        # check that a suicide score of 0.03 would pick.
        signal = _led_without(signal, ev, leave_out="kind_in_gevaar", when_unlikely="geweld")
    if (
        not signal.zeker
        and not ev.patterns
        and ev.score < CHECK_AFTER_ANSWER_BELOW
        and crisis_frame.is_money_question(text)
    ):
        signal = replace(signal, na_vraag=True)  # "is het eigen risico volgend jaar nog ...?"
    return signal
