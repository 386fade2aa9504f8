"""Staff register (knowledge.register): a professional's wording is recognised, a resident's is
not, so residents keep their short answers."""

from __future__ import annotations

import pytest

from knowledge.register import speaks_staff


@pytest.mark.parametrize(
    "text",
    [
        "gehuwdennorm Pw AOW-leeftijd 2026?",
        "vermogensgrens bijstand alleenstaande ouder, welk artikel?",
        "mijn cliënt heeft een betalingsachterstand bij de zorgverzekeraar",
        "client wil een bbz-aanvraag doen, wat moet hij aanleveren",
        "aftoppingsgrens huurtoeslag voor drie personen",
        "norm per 1-7-2025 voor een alleenstaande",
        "wat is de wettelijke grondslag van de collectieve zorgverzekering",
    ],
)
def test_a_professional_question_is_read_as_staff_register(text):
    assert speaks_staff(text)


@pytest.mark.parametrize(
    "text",
    [
        "hoeveel bijstand krijg ik als ik alleen woon",
        "ik ben 19 en woon bij mijn ouders, krijg ik bijstand?",
        "mijn huur is 950 euro, krijg ik huurtoeslag",
        "waar vind ik de voedselbank in noord",
        "ik word 18 in maart, wat moet ik regelen",
        "ik ben een cliënt van de voedselbank, mag ik ook naar de kledingbank?",
        "",
    ],
)
def test_a_resident_question_is_not(text):
    assert not speaks_staff(text)
