"""Knowledge-base entities (spaCy PhraseMatcher over lemmas, typo tolerant) and number parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu import numbers
from nlu.entities import KnowledgeMatcher, default_matcher, extract

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("wat is zorgtoeslag", "regeling", "zorgtoeslag"),
        ("wat is zorgtoelsag", "regeling", "zorgtoeslag"),  # typo
        ("heb ik recht op huursubsidie", "regeling", "huurtoeslag"),  # synonym
        ("HUURTOESLAGEN aanvragen", "regeling", "huurtoeslag"),  # case + plural lemma
        ("stadspas voor mijn kind", "regeling", "stadspas_amsterdam"),
        ("kan het buurtteam helpen", "organisatie", "buurtteam_amsterdam"),
        ("ik woon in zuidoost", "stadsdeel", "zuidoost"),
    ],
)
def test_knowledge_entities(text, entity, value):
    found = [(e["entity"], e["value"]) for e in extract(text)]
    assert (entity, value) in found


def test_no_entities_in_small_talk():
    assert [e for e in extract("hoi hoe gaat het") if e["entity"] != "leeftijd"] == []


def test_local_variant_is_a_candidate_for_the_national_name():
    assert default_matcher().candidates("wat is bijstand", "regeling") == [
        ["bijstand", "bijstand_amsterdam"]
    ]


def test_new_content_is_recognised_without_training():
    m = KnowledgeMatcher([("regeling", "proef_x", "glimpas regeling")])
    assert [x.value for x in m.find("hoe krijg ik de glimpas regeling")] == ["proef_x"]


def test_age_and_amount_entities():
    ents = {e["entity"]: e["value"] for e in extract("ik ben 19 en verdien 1.250 euro per maand")}
    assert ents == {"leeftijd": 19, "bedrag": 125_000}


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("€ 1.250,50", 125_050),
        ("1200 euro", 120_000),
        ("geen", 0),
        ("2,5k", 250_000),
        ("hmm", None),
    ],
)
def test_parse_amount(text, cents):
    assert numbers.parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in juni", dt.date(2027, 6, 1)),
        ("december", dt.date(2026, 12, 1)),
        ("maart 2027", dt.date(2027, 3, 1)),
        ("ik ben geboren op 12-03-2009", dt.date(2027, 3, 1)),
        ("volgende maand", dt.date(2026, 12, 1)),
        ("over 3 maanden", dt.date(2027, 2, 1)),
        ("geen idee", None),
        # told as past: the month that has been, not the next one
        ("ik ben op 31 januari 18 geworden", dt.date(2026, 1, 1)),
        ("ik word 18 in januari", dt.date(2027, 1, 1)),
    ],
)
def test_parse_birthday_18(text, expected):
    assert numbers.parse_birthday_18(text, TODAY) == expected


def test_unknown_answers():
    assert numbers.is_unknown("weet ik niet")
    assert numbers.is_unknown("geen idee eigenlijk")
    assert not numbers.is_unknown("1200")
