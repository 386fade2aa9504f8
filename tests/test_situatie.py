"""Facts read from a story (nlu.situatie) and the overview built on them (actions.overzicht)."""

from __future__ import annotations

import pytest

from actions.overzicht import asks_options
from nlu.situatie import facts_from_text


def test_a_single_mother_with_income_and_rent():
    f = facts_from_text(
        "ik ben alleenstaande moeder van 2 kinderen, werk 24 uur en verdien 1400 netto. "
        "mijn huur is 890 euro."
    )
    assert f.huishouden == "alleenstaande_ouder"
    assert f.inkomen_maand == 140_000
    assert f.huur_maand == 89_000
    assert f.leeftijd is None  # "24 uur" is no age


def test_a_couple_with_children_and_the_rent_named_after_the_income():
    f = facts_from_text("we zijn getrouwd en hebben 3 kinderen, inkomen 2.300 netto, huur 1.050,00")
    assert f.huishouden == "partners_kinderen"
    assert (f.inkomen_maand, f.huur_maand) == (230_000, 105_000)


def test_living_with_parents_is_no_rent_and_an_age_is_read():
    f = facts_from_text("ik ben 19 en woon bij mijn ouders")
    assert (f.leeftijd, f.huur_maand) == (19, 0)


@pytest.mark.parametrize(
    "text",
    [
        "mijn vriendin zei dat er meer is, maar ik weet het niet",  # a friend is no partner
        "ik heb een schuld van 45000 bij de belastingdienst",  # a debt is no monthly income
        "hoe vraag ik huurtoeslag aan",
    ],
)
def test_nothing_is_made_up(text):
    assert not facts_from_text(text).any()


@pytest.mark.parametrize(
    "text,asks",
    [
        ("wat kan ik nog aanvragen", True),
        ("welke regelingen zijn er als je gewoon werkt", True),
        ("bestaat er ergens een potje voor", True),
        ("what can i apply for with a low income", True),
        ("hoe vraag ik zorgtoeslag aan", False),
    ],
)
def test_asking_for_options(text, asks):
    assert asks_options(text) is asks


@pytest.mark.parametrize(
    "text,parts",
    [
        (
            "ik heb drie vragen. 1 krijg ik huurtoeslag voor een kamer 2 kan ik zorgtoeslag krijgen als student en 3 wat is de stadspas",
            3,
        ),
        ("wat is de stadspas? en hoe vraag ik zorgtoeslag aan?", 2),
        ("ik heb 2 kinderen en 1 baan, wat kan ik aanvragen?", 0),  # numbers inside a sentence
        ("huh? wat bedoel je met peildatum", 0),  # a part of one word is no question
    ],
)
def test_several_questions_in_one_message_are_split(text, parts):
    from knowledge.faq import split_questions

    assert len(split_questions(text)) == parts


@pytest.mark.parametrize(
    "text,halves",
    [
        (
            "Cliënt is 63, alleenstaand. Welke bijstandsnorm geldt in 2026 en welke vermogensgrens?",
            # the year of the first half holds for both
            ("Welke bijstandsnorm geldt in 2026", "welke vermogensgrens? 2026"),
        ),
        (
            "hoeveel huurtoeslag krijg ik en hoe vraag ik het aan",
            ("hoeveel huurtoeslag krijg ik", "hoe vraag ik het aan"),
        ),
        ("hoeveel bijstand krijg ik", None),
        ("brood en melk", None),  # "en" without a question after it
        ("wat is het en hoe", None),  # a second half of one word is no question
    ],
)
def test_two_questions_joined_with_en_are_found(text, halves):
    from knowledge.faq import question_halves

    assert question_halves(text) == halves


def test_conditions_fit_the_first_reply_and_say_how_many_more():
    from actions.gesprek import fit_in_first_reply

    lines = [f"• voorwaarde {i} " + "x" * 100 for i in range(8)]
    kept = fit_in_first_reply(lines, budget=480)
    assert sum(len(line) + 1 for line in kept[:-1]) <= 480
    assert kept[-1].startswith("• Er zijn nog ") and str(8 - (len(kept) - 1)) in kept[-1]
    assert fit_in_first_reply(lines[:2], budget=480) == lines[:2]  # short lists stay whole
    assert len(fit_in_first_reply(["• " + "y" * 900], budget=480)) == 1  # one long one is kept


def test_a_debt_or_a_repayment_is_no_monthly_income_or_rent():
    f = facts_from_text("ik zit in de bijstand en heb 2000 euro schuld, wat kan ik nog aanvragen?")
    assert f.inkomen_maand is None
    g = facts_from_text("mijn huur is 700 en ik heb 3000 huurachterstand")
    assert g.huur_maand == 70_000
