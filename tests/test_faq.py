"""Frequently asked questions as content: validated, loaded, and ranked by how people ask them.

The ranker tests use the shipped content in a real SQLite database (the ``kb`` fixture); the
validation tests break a copy of the content and expect a clear refusal.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from actions.kennis import ANSWER, ANSWER_WHEN_LOST
from knowledge import loader
from knowledge.content import CONTENT_DIR, ContentError, official_source, read_content
from knowledge.db import make_engine
from knowledge.faq import sentences, topic_words
from knowledge.service import KnowledgeService


@pytest.fixture
def content_copy(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def _append_question(path: Path, question: dict) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf8"))
    data.setdefault("vragen", []).append(question)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf8")


GOOD = {
    "id": "testvraag",
    "vraag": "Is dit een testvraag voor de validatie?",
    "varianten": ["testvraag een", "testvraag twee", "testvraag drie"],
    "antwoord": "Ja, dit is een testvraag. Hij staat hier alleen om de validatie te proberen.",
    "bron_url": "https://www.belastingdienst.nl/wps/wcm/connect/nl/toeslagen/",
    "peildatum": "2026-01-01",
}


def test_shipped_questions_are_many_and_sourced():
    cs = read_content()
    records = [*cs.regelingen.values(), *cs.organisaties.values()]
    questions = [(q, r.get("website")) for r in records for q in r.get("vragen") or []]
    assert len(questions) >= 150
    # every answer has an official source: tests/test_bronbeleid.py
    assert not official_source("https://nos.nl/artikel/1", None)
    assert official_source("https://www.juridischloket.nl/x", None)
    with_questions = [r["id"] for r in cs.regelingen.values() if r.get("vragen")]
    assert len(with_questions) >= 35  # most regulations have their own questions


def test_question_with_a_news_source_is_refused(content_copy):
    _append_question(
        content_copy / "regelingen" / "zorgtoeslag.yaml",
        {**GOOD, "bron_url": "https://nos.nl/artikel/123-toeslagen"},
    )
    with pytest.raises(ContentError) as err:
        read_content([content_copy])
    assert "officiële bron" in str(err.value) and "zorgtoeslag.yaml" in str(err.value)


def test_amount_without_year_and_unknown_phone_are_refused(content_copy):
    _append_question(
        content_copy / "regelingen" / "huurtoeslag.yaml",
        {
            **GOOD,
            "antwoord": "Je krijgt € 120 per maand. Bel ons op 020-1234567 voor meer uitleg over dit.",
        },
    )
    with pytest.raises(ContentError) as err:
        read_content([content_copy])
    msg = str(err.value)
    assert "zet erbij voor welk jaar" in msg
    assert "'020-1234567' staat niet in de sociale kaart" in msg


def test_a_new_question_is_found_after_a_load_without_retraining(content_copy, tmp_path):
    _append_question(
        content_copy / "regelingen" / "huurtoeslag.yaml",
        {
            **GOOD,
            "id": "balkon",
            "vraag": "Telt een balkonplantenbak mee voor de huurtoeslag?",
            "varianten": [
                "balkonplantenbak huurtoeslag",
                "plantenbak op balkon telt die mee",
                "bloembak",
            ],
            "antwoord": "Nee, een plantenbak telt niet mee. Dit is een testantwoord voor de test.",
        },
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    loader.load([content_copy], engine=engine)
    hits = KnowledgeService(engine).ask("telt mijn balkonplantenbak mee bij huurtoeslag", limit=1)
    assert hits and hits[0].vraag.sleutel == "huurtoeslag:balkon"
    assert hits[0].score >= ANSWER


def test_the_answer_decides_between_two_questions_asked_the_same_way(content_copy, tmp_path):
    """Two questions with the same ways of asking: the one whose answer holds the word the
    message asks about ("termijn", "betalen") comes first (knowledge.faq.ANSWER_TIE)."""
    path = content_copy / "regelingen" / "huurtoeslag.yaml"
    ways = ["plantenbak regels huurtoeslag", "plantenbak op het balkon", "bloembak huurtoeslag"]
    for key, answer in (
        ("plantenbak_kosten", "Voor de plantenbak betaal je niets extra. Dit is een testantwoord."),
        (
            "plantenbak_termijn",
            "Voor de plantenbak geldt een termijn van zes weken. Dit is een test.",
        ),
    ):
        _append_question(
            path,
            {
                **GOOD,
                "id": key,
                "vraag": "Wat zijn de regels voor een plantenbak?",
                "varianten": ways,
                "antwoord": answer,
            },
        )
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    loader.load([content_copy], engine=engine)
    service = KnowledgeService(engine)
    for message, expected in (
        ("welke termijn geldt voor de plantenbak op het balkon", "huurtoeslag:plantenbak_termijn"),
        ("moet ik voor de plantenbak op het balkon extra betalen", "huurtoeslag:plantenbak_kosten"),
    ):
        hits = service.ask(message, limit=2)
        assert hits[0].vraag.sleutel == expected, [(h.vraag.sleutel, h.score) for h in hits]
    # a short message names the subject only: no answer decides for it
    short = service.ask("plantenbak termijn balkon", limit=2)
    assert "antwoord past beter bij de vraag" not in short[0].reasons


@pytest.mark.parametrize(
    "message,named,expected",
    [
        ("mag ik mijn auto houden in de bijstand", {"bijstand"}, "bijstand:auto_houden"),
        ("hoeveel mag ik bijverdienen naast bijstand", {"bijstand"}, "bijstand:bijverdienen"),
        ("wat is de kostendelersnorm", set(), "bijstand:kostendeler_27"),
        ("mijn zoon wordt 18 moet hij zelf een zorgverzekering", set(), "zorgverzekering_18:"),
        # The same count as a question's ("2 maanden"): clearly that question.
        (
            "al 2 maanden loop ik achter met de zorgpremie, wat moet mijn verzekeraar nu doen",
            set(),
            "betalingsregeling_zorgpremie:premie_niet_betalen",
        ),
        # "norm" asks the couples' norm, not the couples' savings limit (same words otherwise).
        ("norm bijstand gehuwden 2026", {"bijstand"}, "bijstand:hoeveel_partners"),
    ],
)
def test_the_question_asked_ranks_first(kb, message, named, expected):
    hits = kb.ask(message, named={"regeling": named}, gemeente="amsterdam")
    assert hits and hits[0].vraag.sleutel.startswith(expected), [
        (h.vraag.sleutel, round(h.score, 2), h.reasons) for h in hits
    ]
    assert hits[0].score >= ANSWER


def test_debt_questions_reach_the_right_record(kb):
    """The questions about contracts and debts at 18 have a record of their own: a debt question
    that names schuldhulp and mentions a relative of 19 gets schuldhulp, a parent who asks about
    the debts of their child of 18 still gets that answer; a number to call anonymously about
    money worries is Geldfit's anonymous help, not a schuldhulp question."""
    hits = kb.ask(
        "mijn neef is 19 en heeft schulden bij de telefoonaanbieder, waar kan hij hulp krijgen",
        named={"regeling": {"schuldhulpverlening"}},
        gemeente="amsterdam",
    )
    assert hits and hits[0].vraag.record_id == "schuldhulpverlening", [
        (h.vraag.sleutel, round(h.score, 2)) for h in hits
    ]
    anonymous = kb.ask(
        "is er een landelijk nummer dat je anoniem kan bellen als je geldzorgen hebt?",
        named={"regeling": {"schuldhulpverlening"}},
        gemeente="amsterdam",
    )
    assert anonymous[0].vraag.sleutel == "geldfit:anoniem_hulp_geldzorgen"
    parent = kb.ask("mijn kind is 18 en heeft schulden moet ik die betalen", gemeente="amsterdam")
    assert parent[0].vraag.sleutel == "meerderjarig_contracten:ouder_schulden_kind_18"
    assert parent[0].score >= ANSWER


def test_a_premium_arrears_question_is_not_the_turning_18_record(kb):
    """'zorgpremie' names the arrears record, not turning 18 (whose generic synonym made it win
    every question about unpaid premiums); the CAK question gets the six-months answer."""
    from nlu.entities import default_matcher  # noqa: PLC0415 - loads the content's names

    text = "wanneer volgt melding bij cak bij wanbetaling zorgpremie"
    named = {m.value for m in default_matcher().find(text) if m.entity == "regeling"}
    assert "zorgverzekering_18" not in named
    hits = kb.ask(text, named={"regeling": named}, gemeente="amsterdam")
    assert hits[0].vraag.sleutel == "betalingsregeling_zorgpremie:zes_maanden_cak"
    assert hits[0].score >= ANSWER


@pytest.mark.parametrize(
    ("message", "young"),
    [
        # nothing says a young person writes: the question for everyone wins the tie
        ("ik betaal mijn zorgverzekering al 5 maanden niet, wat gebeurt er dan", False),
        # a young person: the turning-18 record keeps its full score
        ("ik ben 18 en mijn zorgverzekering is al 5 maanden niet betaald", True),
    ],
)
def test_records_for_young_people_only_drop_a_little_without_a_sign_of_youth(kb, message, young):
    """A regulation for young people only (zorgverzekering_18) does not win an adult's
    question on a tie: without an age, school or 'mijn ouders' it scores YOUTH_PENALTY lower."""
    from knowledge.faq import YOUTH_PENALTY
    from knowledge.life_stage import shows_youth

    assert shows_youth(message) is young
    hits = kb.ask(message, gemeente="amsterdam", limit=10)
    youth = [h for h in hits if h.vraag.record_id == "zorgverzekering_18"]
    assert youth
    penalised = [h for h in youth if any("voor jongeren" in r for r in h.reasons)]
    assert bool(penalised) is not young
    if not young:
        assert YOUTH_PENALTY > 0
        assert hits[0].vraag.sleutel == "betalingsregeling_zorgpremie:zes_maanden_cak"
        assert hits[0].vraag.record_id != "zorgverzekering_18"


@pytest.mark.parametrize(
    ("message", "expected_record"),
    [
        # someone on AOW: bijstand stops at the AOW age, the AIO is the minimum
        (
            "mijn opa is 72, woont alleen en heeft een klein aowtje. hoeveel is het minimum voor hem?",
            "aio_aanvulling",
        ),
        # under the AOW age: bijstand as before
        ("ik ben 45, woon alleen, hoeveel bijstand krijg ik", "bijstand"),
    ],
)
def test_around_the_aow_age_the_aio_replaces_bijstand(kb, message, expected_record):
    """The records that stop at the AOW age and the AIO come from bot/regelcheck.yml (``aow``)."""
    from knowledge.life_stage import shows_aow_age

    assert shows_aow_age("mijn moeder is 68", 65) and shows_aow_age("ik heb een halve aow", 65)
    assert not shows_aow_age("mijn aow-leeftijd komt eraan", 65)
    assert not shows_aow_age("ik ben 45 en heb 30 jaar gewerkt", 65)
    # an age to come, with a word of time between: "ze wordt binnenkort 67"
    assert shows_aow_age("mijn oma zit in de bijstand en wordt binnenkort 67", 65)
    assert not shows_aow_age("mijn zoon wordt in maart 18", 65)
    hits = kb.ask(message, gemeente="amsterdam")
    assert hits[0].vraag.record_id == expected_record, [h.vraag.sleutel for h in hits]


def test_naming_the_aow_while_asking_about_income_names_the_aio(kb):
    """'my AOW alone isn't enough': the AOW is named, but the answer is the AIO; a message that
    names another regulation too ('de stadspas ... omdat ik aow heb') keeps that one."""
    text = "I'm 68, my wife is 63 so she has no AOW yet. my AOW alone isn't enough. anything extra?"
    hits = kb.ask(text, named={"regeling": {"aow"}}, gemeente="amsterdam", english=True)
    assert hits[0].vraag.record_id == "aio_aanvulling", [h.vraag.sleutel for h in hits]
    # someone past the AOW age who names bijstand still means the AIO (bijstand stops there)
    text = "ik ben 71 en krijg maar 600 euro aow, moet ik nu bijstand aanvragen?"
    hits = kb.ask(text, named={"regeling": {"aow", "bijstand"}}, gemeente="amsterdam")
    assert hits[0].vraag.record_id == "aio_aanvulling", [h.vraag.sleutel for h in hits]
    text = "ik heb aow en weinig inkomen, hoe vraag ik de stadspas aan?"
    named = {"regeling": {"aow", "stadspas_amsterdam"}}
    hits = kb.ask(text, named=named, gemeente="amsterdam")
    assert hits[0].vraag.record_id == "stadspas_amsterdam", [h.vraag.sleutel for h in hits]


def test_a_named_regulation_beats_a_closer_wording_of_another(kb):
    """'zorgtoeslag' + a partner moving in: the zorgtoeslag question, not the bijstand one."""
    text = "krijg ik nog zorgtoeslag als mijn vriend bij mij intrekt"
    plain = kb.ask(text, gemeente="amsterdam")
    named = kb.ask(text, named={"regeling": {"zorgtoeslag"}}, gemeente="amsterdam")
    assert named[0].vraag.record_id == "zorgtoeslag"
    assert any("genoemd" in r for r in named[0].reasons)
    assert plain[0].score != named[0].score


def test_numbers_and_sums_are_not_a_topic(kb):
    """'hoeveel is 144 euro per maand' looks like 'hoeveel bijstand per maand' but is not."""
    assert topic_words("hoeveel is 144 euro per maand") == set()
    hits = kb.ask("hoeveel is 144 euro per maand", gemeente="amsterdam")
    assert not hits or hits[0].score < ANSWER_WHEN_LOST


def test_other_gemeente_variants_are_never_answered(kb):
    hits = kb.ask("bijzondere bijstand aanvragen amsterdam", gemeente="utrecht", limit=10)
    assert hits and all(h.vraag.gemeente in (None, "utrecht") for h in hits)


def test_staff_questions_rank_lower_for_residents(kb):
    staff = [h for h in kb.ask("normentabel bijstand artikel", staff=True, limit=5)]
    resident = [h for h in kb.ask("normentabel bijstand artikel", staff=False, limit=5)]
    top = {h.vraag.sleutel: h.score for h in resident}
    for h in staff:
        if h.vraag.doelgroep == "medewerker" and h.vraag.sleutel in top:
            assert top[h.vraag.sleutel] < h.score


def test_a_long_story_is_also_scored_per_sentence(kb):
    story = (
        "ik ben vorig jaar gescheiden en woon nu alleen met mijn twee kinderen in oost. het is "
        "allemaal veel en ik slaap slecht. mag ik mijn auto houden als ik bijstand aanvraag?"
    )
    assert len(sentences(story)) >= 2
    hits = kb.ask(story, named={"regeling": {"bijstand"}}, gemeente="amsterdam")
    assert hits[0].vraag.sleutel == "bijstand:auto_houden"


def test_a_homepage_as_source_is_flagged_for_the_content_team(content_copy):
    _append_question(
        content_copy / "regelingen" / "zorgtoeslag.yaml",
        {**GOOD, "id": "homepage", "bron_url": "https://www.belastingdienst.nl/"},
    )
    flagged = [str(w) for w in read_content([content_copy]).source_warnings]
    assert any("zorgtoeslag.yaml" in w and "homepage" in w for w in flagged)


def test_the_last_quarter_of_kinderbijslag_is_answered_from_the_svb(kb):
    """#17: kinderbijslag is paid for the whole quarter in which the child turns 18 (svb.nl)."""
    hits = kb.ask("krijg ik nog kinderbijslag voor het kwartaal waarin mijn dochter 18 wordt")
    assert hits and hits[0].vraag.sleutel == "kinderbijslag:laatste_kwartaal_18"
    assert hits[0].vraag.bron_url.startswith("https://www.svb.nl/")


def test_messages_outside_our_subject_are_rarely_answered_from_the_content(kb):
    """The score keeps its meaning for unrelated messages: at most 1 in 10 of them reaches the
    score at which a lost message is answered from the content (a weather question is not
    answered with a regulation). Guards any change to the ranker's scale: adding each question's
    centroid to its score reached 10 in 50 here."""
    data = yaml.safe_load(
        (Path(__file__).parent / "data" / "buiten_onderwerp.yml").read_text(encoding="utf8")
    )
    answered = []
    for message in data["berichten"]:
        hits = kb.ask(message, gemeente="amsterdam", limit=1)
        if hits and hits[0].score >= ANSWER_WHEN_LOST:
            answered.append((message, hits[0].vraag.sleutel, round(hits[0].score, 2)))
    assert len(data["berichten"]) >= 50
    assert len(answered) <= len(data["berichten"]) // 10, answered


def test_the_year_asked_about_decides_between_two_versions_of_a_question(kb):
    """'KGB 2026 alleenstaande-ouderkop' is not answered with the 2025 figure, and 'vorig jaar'
    is (the content has both)."""
    import datetime as dt

    from knowledge.faq import years_named

    assert years_named("wat kreeg ik vorig jaar", dt.date(2026, 12, 1)) == {2025}
    assert years_named("kgb 2026 en 2025") == {2025, 2026}
    named = {"regeling": {"kindgebonden_budget"}}
    now = kb.ask("hoe hoog is de alleenstaande-ouderkop in 2026", named=named, limit=5)
    years = [h.vraag.jaar for h in now if "ouderkop" in h.vraag.vraag.lower()]
    assert years and years[0] == 2026, [(h.vraag.sleutel, h.vraag.jaar, h.reasons) for h in now]
    before = kb.ask("hoe hoog was de alleenstaande-ouderkop in 2025", named=named, limit=5)
    years = [h.vraag.jaar for h in before if "ouderkop" in h.vraag.vraag.lower()]
    assert years and years[0] == 2025


def test_a_question_for_someone_who_helps_gets_an_organisation(kb):
    """'is er een club / vrijwilliger / app die ...' asks for someone who helps: the social map's
    organisations rise; a question for a regulation with the same words does not change."""
    from knowledge.faq import asks_for_helper

    assert asks_for_helper("ken je een vrijwilliger die samen met mij de post uitzoekt?")
    assert asks_for_helper("wie kan mij helpen met mijn administratie")
    assert asks_for_helper("is there a charity that helps with debts")
    assert not asks_for_helper("is er een regeling voor mensen met weinig geld")
    assert not asks_for_helper("mag iemand bij mij komen wonen als ik bijstand heb?")
    assert not asks_for_helper("kan iemand anders mijn toeslag aanvragen?")
    hits = kb.ask(
        "ken je een vrijwilliger die samen met mij de post uitzoekt?", gemeente="amsterdam"
    )
    assert hits[0].vraag.record_kind == "organisatie", [
        (h.vraag.sleutel, round(h.score, 2), h.reasons) for h in hits
    ]
    assert "vraagt wie helpt" in hits[0].reasons


def _named(text: str) -> dict[str, set[str]]:
    """The named records as the actions read them, from the real entity matcher's spans."""
    from rasa_sdk import Tracker

    from actions.kennis import named_records
    from nlu.entities import default_matcher

    entities = [
        {"entity": m.entity, "value": m.value, "start": m.start, "end": m.end}
        for m in default_matcher().find(text)
    ]
    latest = {"text": text, "intent": {"name": "nlu_fallback"}, "entities": entities}
    return named_records(
        Tracker.from_dict({"sender_id": "u", "latest_message": latest, "events": []})
    )


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # What someone lives on is their situation; the question is about the washing machine.
        (
            "wij zitten al twee jaar in de bijstand. de wasmachine is stuk en we kunnen geen "
            "nieuwe betalen, wat nu?",
            "bijzondere_bijstand:",
        ),
        (
            "ik krijg aow maar mijn man is pas 63 en heeft geen inkomen, is er een aanvulling?",
            "aio_",
        ),
    ],
)
def test_what_someone_lives_on_is_context_not_the_topic(kb, message, expected):
    from knowledge.faq import CONTEXT

    named = _named(message)
    assert named[CONTEXT] and not named["regeling"], named
    hits = kb.ask(message, named=named, gemeente="amsterdam")
    assert hits[0].vraag.sleutel.startswith(expected), [
        (h.vraag.sleutel, round(h.score, 2), h.reasons) for h in hits
    ]


@pytest.mark.parametrize(
    "message",
    [
        "mag ik mijn auto houden in de bijstand",  # asks about the bijstand itself
        "ik heb een schuld bij de tandarts van 800 euro",  # a debt is the topic, not a situation
    ],
)
def test_a_regulation_asked_about_stays_named(message):
    from knowledge.faq import CONTEXT

    named = _named(message)
    assert named["regeling"] and not named[CONTEXT], named


def test_a_stated_age_of_21_or_more_drops_the_question_about_18_to_20(kb):
    """'ik ben 34 ... hoeveel bijstand krijg je als je alleen bent': the norm for a single adult,
    not the one for 18-20-year-olds (which ranked first before)."""
    message = (
        "ik ben 34, woon alleen en ben mijn baan kwijt, geen ww. hoeveel bijstand krijg je "
        "eigenlijk als je alleen bent"
    )
    hits = kb.ask(message, named={"regeling": {"bijstand"}}, gemeente="amsterdam")
    assert hits[0].vraag.sleutel == "bijstand:hoeveel_alleenstaand", [
        (h.vraag.sleutel, round(h.score, 2)) for h in hits[:3]
    ]
    young = kb.ask(
        "ik ben 19, woon alleen. hoeveel bijstand krijg je als je alleen bent",
        named={"regeling": {"bijstand"}},
        gemeente="amsterdam",
    )
    assert young[0].vraag.sleutel == "bijstand:hoeveel_18_20"


def test_someone_on_bijstand_reaching_the_aow_age_gets_the_aio_question(kb):
    """Bijstand stops at the AOW age: a message that names bijstand for someone of that age asks
    about the AIO (before, the bijstand questions won: a house as a loan, on the number 67)."""
    hits = kb.ask(
        "mijn opa heeft al jaren bijstand en wordt volgende maand 67, hoe gaat het dan verder",
        named={"regeling": {"bijstand"}},
        gemeente="amsterdam",
    )
    assert hits[0].vraag.record_id == "aio_aanvulling", [h.vraag.vraag for h in hits]
