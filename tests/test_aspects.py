"""Aspects (knowledge/aspecten.yml): the word that tells sibling questions apart decides."""

from __future__ import annotations

import pytest

from knowledge.aspects import aspects_of, opposite


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tot welk vermogen krijgen mijn man en ik nog zorgtoeslag", {"vermogen", "samen"}),
        ("hoeveel mag ik verdienen als ik alleen woon", {"inkomen", "alleen"}),
        ("ik heb geen partner en wel spaargeld", {"alleen", "vermogen"}),
        ("kan ik het vorige jaar nog aanvragen", {"terugwerkend"}),
        ("wat is zorgtoeslag", set()),
    ],
)
def test_the_aspects_a_message_names(text, expected):
    assert aspects_of(text) == expected


def test_opposites_are_each_others():
    assert opposite("vermogen") == "inkomen" and opposite("inkomen") == "vermogen"
    assert opposite("samen") == "alleen" and opposite("kinderen") is None


@pytest.mark.parametrize(
    ("text", "sleutel"),
    [
        # the same words as the income question but for one: the savings question wins
        ("tot welk vermogen krijgen mijn man en ik in 2026 nog zorgtoeslag", "vermogen"),
        ("tot welk inkomen krijgen mijn vrouw en ik in 2026 nog zorgtoeslag", "inkomen"),
    ],
)
def test_the_aspect_picks_the_sibling_question(kb, text, sleutel):
    from nlu.entities import default_matcher

    named = {"regeling": set(), "organisatie": set()}
    for m in default_matcher().find(text):
        if m.entity in named:
            named[m.entity].add(m.value)
    top = kb.ask(text, named=named, gemeente="amsterdam", limit=1)[0]
    assert top.vraag.sleutel.startswith("zorgtoeslag:") and sleutel in top.vraag.sleutel, top


def test_a_two_word_subject_gets_no_aspect_bonus(kb):
    hits = kb.ask("toeslag partner", gemeente="amsterdam", limit=3)
    assert not any("aspect" in r for h in hits for r in h.reasons)
