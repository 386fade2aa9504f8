"""English answers (issue #21): the validator keeps their facts equal to the Dutch answer, the
loader keeps them, and the language of the resident's message chooses the answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import loader
from knowledge.content import CONTENT_DIR, ContentError, english_problems, read_content
from knowledge.db import make_engine
from knowledge.models import Vraag

DUTCH = (
    "In 2026 mag je vermogen niet hoger zijn dan € 146.011. Bel de BelastingTelefoon: "
    "0800-0543 (gratis). Kijk op toeslagen.nl."
)
ENGLISH = (
    "In 2026 your assets must not be more than € 146.011. Call the BelastingTelefoon: "
    "0800-0543 (free). See https://www.toeslagen.nl/."
)


def test_same_facts_written_the_dutch_way_pass():
    assert english_problems(DUTCH, ENGLISH) == ([], [])


def test_an_amount_written_the_english_way_fails_with_the_dutch_way_as_fix():
    errors, _ = english_problems(DUTCH, ENGLISH.replace("146.011", "146,011"))
    assert len(errors) == 1 and "146,011" in errors[0] and "'146.011'" in errors[0]


@pytest.mark.parametrize(
    "wrong",
    [
        ENGLISH.replace("146.011", "146.012"),  # a mistyped amount
        ENGLISH.replace("2026", "2025"),  # another year
        ENGLISH.replace("0800-0543", "0800-0544"),  # another phone number
        ENGLISH.replace("toeslagen.nl", "belastingdienst.nl"),  # another website
        ENGLISH + " You get 4% more.",  # a number the Dutch answer does not have
    ],
)
def test_a_fact_the_dutch_answer_lacks_fails(wrong):
    errors, _ = english_problems(DUTCH, wrong)
    assert errors


def test_a_dropped_dutch_fact_is_a_warning():
    errors, warnings = english_problems(DUTCH, ENGLISH.replace(" (free)", "").split(" Call")[0])
    assert errors == [] and any("0800" in w for w in warnings)


def _set_english(root: Path, file: str, qid: str, text: str) -> None:
    path = root / "regelingen" / file
    data = yaml.safe_load(path.read_text(encoding="utf8"))
    next(q for q in data["vragen"] if q["id"] == qid)["antwoord_en"] = text
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf8")


@pytest.fixture
def content_copy(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def test_kb_validate_fails_on_a_mismatched_number_and_names_the_field(content_copy):
    _set_english(
        content_copy,
        "zorgtoeslag.yaml",
        "spaargeld_vermogen",
        "In 2026 your assets on 1 January must not be more than € 146,011 if you are single.",
    )
    with pytest.raises(ContentError) as err:
        read_content([content_copy])
    msg = str(err.value)
    assert "regelingen/zorgtoeslag.yaml" in msg and "antwoord_en" in msg and "146.011" in msg


def test_loading_keeps_the_english_answer(content_copy, tmp_path):
    text = "In 2026 your assets on 1 January must not be more than € 146.011 if you are single."
    _set_english(content_copy, "zorgtoeslag.yaml", "spaargeld_vermogen", text)
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    loader.load([content_copy], engine=engine)
    with Session(engine, future=True) as s:
        rows = dict(s.execute(select(Vraag.sleutel, Vraag.antwoord_en)).all())
    assert rows["zorgtoeslag:spaargeld_vermogen"] == text
    assert rows["zorgtoeslag:toeslagpartner_medewerker"] is None  # staff questions stay Dutch


def test_every_resident_question_has_an_english_answer():
    cs = read_content()
    for record in [*cs.regelingen.values(), *cs.organisaties.values()]:
        resident = [q for q in record.get("vragen") or [] if q.get("doelgroep") != "medewerker"]
        assert all(q.get("antwoord_en") for q in resident), record["id"]


def test_a_question_without_english_is_given_in_dutch_under_an_english_line(kb):
    """Staff questions stay Dutch: an English message that reaches one gets the Dutch answer with
    the English note before it, never silence."""
    from actions.kennis import _answer_in_language
    from knowledge.faq import VraagHit

    staff = next(
        v
        for v in kb.ask("toeslagpartner zorgtoeslag medewerker", staff=True, limit=50)
        if v.vraag.sleutel == "zorgtoeslag:toeslagpartner_medewerker"
    )
    assert staff.vraag.antwoord_en is None
    response, text = _answer_in_language(VraagHit(staff.vraag, 1.0), english=True)
    assert response == "utter_vraag_antwoord_alleen_nl" and staff.vraag.antwoord in text
    response, text = _answer_in_language(VraagHit(staff.vraag, 1.0), english=False)
    assert response == "utter_vraag_antwoord" and staff.vraag.antwoord in text


class _Tracker:
    """Just what :func:`actions.taal.writes_english` reads."""

    def __init__(self, events: list[dict], slots: dict | None = None):
        self.events = events
        self.latest_message = {"text": events[-1]["text"]} if events else {}
        self.slots = slots or {}

    def get_slot(self, name: str):
        return self.slots.get(name)


def _user(text: str) -> dict:
    return {"event": "user", "text": text}


@pytest.mark.parametrize(
    ("events", "english"),
    [
        ([_user("How much zorgtoeslag can I get?")], True),
        ([_user("Hoeveel zorgtoeslag krijg ik?")], False),
        ([_user("wat is zorgtoeslag")], False),
        ([_user("I rent a room, can I get huurtoeslag")], True),
        # One word or a payload does not tell the language: the last message that does decides.
        ([_user("How much zorgtoeslag can I get?"), _user("ok")], True),
        ([_user("How much zorgtoeslag can I get?"), _user("/affirm")], True),
        ([_user("How much zorgtoeslag can I get?"), _user("hoe vraag ik het aan")], False),
        # Dutch that the detector finds nearly as English stays Dutch; English first switches.
        (
            [_user("hoeveel zorgtoeslag krijg ik als ik alleen woon"), _user("en met partner?")],
            False,
        ),
        (
            [
                _user("hoeveel zorgtoeslag krijg ik als ik alleen woon"),
                _user("and with a partner?"),
            ],
            True,
        ),
        # A button with a Dutch question is a choice, not a change of language.
        (
            [
                _user("I have a question about my rent allowance please"),
                {"event": "bot", "data": {"buttons": [{"title": "Wat is huurtoeslag?"}]}},
                _user("Wat is huurtoeslag?"),
            ],
            True,
        ),
    ],
)
def test_writes_english(events, english):
    from actions.taal import writes_english

    assert writes_english(_Tracker(events)) is english


@pytest.mark.parametrize(
    ("events", "slot", "told"),
    [
        ([_user("How much zorgtoeslag can I get?")], None, "en"),
        ([_user("Hoeveel zorgtoeslag krijg ik?")], "en", "nl"),
        ([_user("How much zorgtoeslag can I get?"), _user("in het Nederlands graag")], "en", "nl"),
        ([_user("hoeveel zorgtoeslag krijg ik"), _user("English please")], "nl", "en"),
        # A word or a payload tells nothing: the conversation's language stays.
        ([_user("How much zorgtoeslag can I get?"), _user("ok")], "en", None),
        ([_user("/affirm")], "en", None),
    ],
)
def test_the_language_slot_follows_what_the_person_writes(events, slot, told):
    """The ``taal`` slot (response variants in English) is set by the slot-mapping action on
    every message that tells the language, and kept when a message tells nothing."""
    import asyncio

    from actions.taal import ActionValidateSlotMappings, told_language, writes_english

    tracker = _Tracker(events, {"taal": slot})
    assert told_language(tracker) == told
    extracted = ActionValidateSlotMappings().extract_taal(None, tracker, {})
    assert extracted == ({} if told in (None, slot) else {"taal": told})
    assert writes_english(tracker) is ((told or slot) == "en")
    assert asyncio.run(ActionValidateSlotMappings().required_slots([], None, tracker, {})) == [
        "taal",
        "eenvoudig",
    ]


def test_an_english_question_is_also_matched_on_the_english_answers(kb):
    """The ways of asking are Dutch: an English message also counts its closeness to each
    question's English answer, so a clear English question is answered, not only suggested."""
    from actions.kennis import ANSWER

    text = "can I keep my car if I apply for social assistance"
    dutch_only = kb.ask(text, gemeente="amsterdam", limit=1)[0]
    english = kb.ask(text, gemeente="amsterdam", english=True, limit=1)[0]
    assert english.vraag.sleutel == "bijstand:auto_houden"
    assert dutch_only.score < ANSWER <= english.score
    # A Dutch message is ranked as before.
    dutch = "mag ik mijn auto houden in de bijstand"
    assert kb.ask(dutch, gemeente="amsterdam", limit=1)[0].vraag.sleutel == "bijstand:auto_houden"


def _set_card(root: Path, file: str, **fields: str) -> None:
    path = root / "regelingen" / file
    data = yaml.safe_load(path.read_text(encoding="utf8"))
    data.update(fields)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf8")


def test_kb_validate_fails_on_an_english_card_with_a_number_the_dutch_lacks(content_copy):
    _set_card(
        content_copy,
        "zorgtoeslag.yaml",
        samenvatting_en="Zorgtoeslag (healthcare allowance) is money for your premium: € 999 a month.",
    )
    with pytest.raises(ContentError) as err:
        read_content([content_copy])
    assert "samenvatting_en" in str(err.value) and "999" in str(err.value)


def test_an_english_writer_reads_the_card_in_english_and_dutch_only_under_a_note(
    content_copy, tmp_path
):
    """The regulation card for someone who writes English: the English summary and the Dutch name
    with its gloss; a field without English is the Dutch text under '(Only in Dutch:)'."""
    from knowledge.answers import ONLY_DUTCH, resident_fields
    from knowledge.service import KnowledgeService

    _set_card(
        content_copy,
        "zorgtoeslag.yaml",
        naam_en="healthcare allowance",
        samenvatting_en="Zorgtoeslag (healthcare allowance) is money to help pay your health insurance.",
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    loader.load([content_copy], engine=engine)
    reg = KnowledgeService(engine).regeling("zorgtoeslag")
    fields = resident_fields(reg, english=True)
    assert fields["naam"] == "Zorgtoeslag (healthcare allowance)"
    assert fields["samenvatting"].startswith("Zorgtoeslag (healthcare allowance) is money")
    if not reg.volgende_stap_en:
        assert fields["volgende_stap"] == ONLY_DUTCH + reg.volgende_stap
    assert resident_fields(reg)["samenvatting"] == reg.samenvatting_b1  # Dutch stays Dutch


def test_every_regulation_and_service_has_its_card_in_english():
    """Issue #21: a resident who writes English reads every regulation card and every place's
    description in English (kb validate reports the same coverage)."""
    from knowledge.content import card_english_coverage

    reg_en, regs, svc_en, svcs = card_english_coverage(read_content())
    assert (reg_en, svc_en) == (regs, svcs)


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("what is huurtoeslag?", True),
        ("how much bijstand", True),
        ("wat is huurtoeslag", False),
        ("help mij", False),
        ("is het gratis", False),
    ],
)
def test_a_short_message_is_english_by_its_words_not_by_the_dutch_name_in_it(text, english):
    """'what is huurtoeslag?' is too short for the detector, which reads the Dutch name; its
    English words decide (words both languages share, like 'is', aside)."""
    from actions.taal import writes_english

    assert writes_english(_Tracker([_user(text)], {"taal": None})) is english
