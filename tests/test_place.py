"""Where a resident lives (actions.common.place_named): a known gemeente by its id, a place the
knowledge base does not know by its name, and no place in sentences about a home."""

from __future__ import annotations

import pytest

from actions.common import ELSEWHERE, place_named, place_title


@pytest.fixture(autouse=True)
def _db(db_url):
    return db_url


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ik woon in utrecht, waar is het buurtteam", "utrecht"),
        ("wij wonen in de gemeente zaanstad en hebben schulden", "zaanstad"),
        ("I live in Rotterdam, can I get huurtoeslag", "rotterdam"),
        ("ik woon in noord", "amsterdam"),
        ("ik woon in een studio in west", "amsterdam"),
        ("ik woon in bij mijn ouders", None),
        ("ik woon in een kamer en betaal 600 euro", None),
        ("hoeveel zorgtoeslag krijg ik", None),
        # Session 18: not Amsterdam, the place after "maar", a second sentence in the first
        # person (not someone else's home), a village.
        ("ik woon niet in amsterdam maar in purmerend, kan ik bijzondere bijstand", "purmerend"),
        ("I don't live in Amsterdam but in Haarlem", "haarlem"),
        ("wij wonen sinds kort buiten amsterdam", ELSEWHERE),
        ("ik woon niet meer in amsterdam. ik woon nu in zwolle", "zwolle"),
        ("hallo. ik heb schulden. ik woon in lelystad", "lelystad"),
        ("hallo. mijn zus heeft schulden. zij woont in lelystad", None),
        ("ik heb schulden bij de energie, woon in zaandam", "zaandam"),
        ("wij wonen in een dorpje bij assen", "een dorpje bij assen"),
        ("ik woon in hoorn, niet in amsterdam", "hoorn"),
        # ... and only about where the person lives.
        ("kan ik de stadspas ook buiten amsterdam gebruiken", "amsterdam"),
        ("is de bijstand niet in amsterdam hetzelfde", "amsterdam"),
        ("ik woon in een klein dorp, de gemeente is ver weg", "een klein dorp"),
    ],
)
def test_the_place_a_message_names(text, place):
    assert place_named(text) == place


def test_an_amsterdam_organisation_is_offered_in_amsterdam_and_the_console_not_elsewhere():
    from knowledge.service import default_service

    kb = default_service()

    def records(gemeente):
        return {
            h.vraag.record_id for h in kb.ask("waar is het buurtteam", gemeente=gemeente, limit=5)
        }

    assert "buurtteam_amsterdam" in records("amsterdam")
    assert "buurtteam_amsterdam" in records(None)  # the staff console, no gemeente chosen
    assert "buurtteam_amsterdam" not in records("utrecht")


def test_a_service_block_names_the_address_in_the_residents_stadsdeel_only():
    """#17 buurtteams per stadsdeel: the address a source shows for the resident's stadsdeel goes
    in the block; another stadsdeel or none known gives no address (never a far-away one)."""
    from knowledge.answers import service_block
    from knowledge.service import default_service

    kb = default_service()
    svc = next(
        s
        for s in kb.organisation_services("buurtteam_amsterdam")
        if s.id == "buurtteam_amsterdam_geldzaken"
    )
    assert "Karspeldreef 1009" in service_block(svc, stadsdeel="zuidoost")
    assert "Address near you" in service_block(svc, stadsdeel="zuidoost", english=True)
    oost = service_block(svc, stadsdeel="oost")
    assert "Wijttenbachstraat 34" in oost and "Karspeldreef" not in oost
    for elsewhere in ("noord", None):
        block = service_block(svc, stadsdeel=elsewhere)
        assert "Karspeldreef" not in block and "Wijttenbachstraat" not in block


def test_a_place_reads_well_in_a_sentence():
    assert place_title("utrecht") == "Utrecht"
    assert place_title("een dorpje bij assen") == "een dorpje bij Assen"
    assert place_title(ELSEWHERE) == ELSEWHERE
