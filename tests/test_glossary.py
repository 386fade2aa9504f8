"""The glossary (knowledge/woordenlijst.yml) adds Dutch words for English and jargon, and
nothing for ordinary Dutch."""

import pytest

from knowledge.glossary import added_words


@pytest.mark.parametrize(
    "text,words",
    [
        ("what's the savings limit for social assistance", {"vermogensgrens", "bijstand"}),
        ("is there free legal advice", {"juridisch", "loket"}),
        ("can i pay my rent arrears in instalments", {"huurachterstand", "betalingsregeling"}),
        ("gehuwdennorm pw 2026", {"bijstandsnorm", "participatiewet"}),
        # everyday Dutch for the content's own words
        ("ik heb 10 duizend gespaard", {"spaargeld", "vermogen"}),
        ("ik heb een eenmanszaak die slecht loopt", {"zelfstandige", "bbz"}),
        # a zzp'er asking about "bijstand" means the Bbz too (bbz names its record)
        ("ik ben zzp schilder, kan ik bijstand zonder mijn bedrijf te stoppen", {"bbz"}),
        ("telt de overwaarde mee", {"eigen", "huis", "vermogen"}),
        ("how much can i have in savings on welfare", {"spaargeld", "vermogen", "bijstand"}),
        ("my wife and i are both over 21", {"gehuwden", "partners"}),
        # a regulation named by what happens, not by its name
        ("mijn aow is niet volledig, krijg ik iets erbij", {"aio", "aanvulling"}),
        ("mijn zus komt bij mij wonen en ik heb bijstand", {"kostendelersnorm"}),
        ("kan ik hulp krijgen voor een nieuwe wasmachine", {"bijzondere", "bijstand"}),
        ("ik zit al jaren in de bijstand, is er iets extra", {"individuele", "inkomenstoeslag"}),
        # everyday English for childcare, municipal taxes, a death in the family, a loan
        ("daycare costs us 1400 a month, does the government pay part?", {"kinderopvangtoeslag"}),
        (
            "a bill for garbage and sewage, can i get out of it",
            {"afvalstoffenheffing", "rioolheffing"},
        ),
        ("my husband passed away, i am a widow", {"overleden", "nabestaande"}),
        ("a quick online loan to pay the rent", {"lening"}),
    ],
)
def test_english_and_jargon_get_the_dutch_words(text, words):
    assert words <= set(added_words(text))


@pytest.mark.parametrize(
    "text",
    [
        "ik ben net ontslagen, wat nu?",
        "hoe vraag ik zorgtoeslag aan",
        "what is the capital of france",
    ],
)
def test_ordinary_dutch_and_other_topics_get_nothing(text):
    assert added_words(text) == []
