"""Issue #20 item 5: staff lookup on the shared ranker, over plain HTTP on a real `rasa run`.

A place in the query becomes the filter, the stadsdeel filter changes the results, results are
grouped with phone (``tel:``), area, hours and web links, "Waarom" is plain Dutch, and a capped
group says how many there are.
"""

from __future__ import annotations

import html
import re

import httpx
import pytest

from channels.console import BASE
from knowledge import lookup
from tests.test_console_http import login, new_account


@pytest.fixture
def staff(rasa_server, db_url):
    base, _ = rasa_server
    with httpx.Client(base_url=base, timeout=30) as c:
        assert login(c, new_account(db_url)).status_code == 303
        yield c


def page(c: httpx.Client, **params: str) -> str:
    r = c.get(f"{BASE}/zoeken", params=params)
    assert r.status_code == 200
    return html.unescape(r.text)


def refs(text: str, kind_heading: str) -> list[str]:
    section = text.split(f'id="groep-{kind_heading}"')[1].split("</section>")[0]
    return re.findall(r'data-ref="([^"]+)"', section)


def test_plain_reasons_and_places(kb):
    why = lookup.plain_reasons(
        [
            "exacte naam of synoniem: kwijtschelding",
            "synoniem: kwijtschelding",
            "tekst: zorgtoeslag (spelfout verbeterd: zorgtoelsag -> zorgtoeslag)",
            "geldt in amsterdam",
        ]
    )
    assert why == (
        "Heet precies ‘kwijtschelding’; ‘zorgtoeslag’ staat in de beschrijving "
        "(we lazen ‘zorgtoeslag’ voor ‘zorgtoelsag’); geldt in Amsterdam."
    )
    place = lookup.find_place(kb, "schulden in Noord")
    assert (place.stadsdeel, place.rest) == ("noord", "schulden")
    assert lookup.find_place(kb, "hulp in de bijlmer amsterdam").stadsdeel == "zuidoost"
    assert lookup.find_place(kb, "noord") is None  # only a place: a search for that place
    assert lookup.tel_href("020 - 252 6000") == "tel:0202526000"


def test_a_place_in_the_query_becomes_the_filter(staff, kb):
    text = page(staff, q="schulden in Noord")
    assert "“Noord” uit je zoekvraag is nu het filter Stadsdeel" in text
    assert '<option value="noord" selected>' in text
    hulp = refs(text, "dienst")
    # the church listening group ranked first when 'noord' was a search word
    assert hulp[0] != "diaconie_noord_ontmoeting"
    shared = kb.search("schulden", kind="dienst", gemeente="amsterdam", stadsdeel="noord", limit=8)
    assert hulp[0] in [h.ref for h in shared]
    # 25 kinds of help: the cap is said out loud
    assert re.search(r"Hulp <small class=\"count\">\(eerste 20 van \d\d+\)", text)
    assert len(hulp) == 20


def test_the_stadsdeel_filter_changes_the_results(staff):
    west = refs(page(staff, q="ontmoeting", stadsdeel="nieuw-west"), "dienst")
    noord = refs(page(staff, q="ontmoeting", stadsdeel="noord"), "dienst")
    assert "stichting_home_empowerment_ontmoeting" in west
    assert "stichting_home_empowerment_ontmoeting" not in noord
    assert "diaconie_noord_ontmoeting" in noord and "diaconie_noord_ontmoeting" not in west
    text = page(staff, q="ontmoeting", stadsdeel="nieuw-west")
    assert "in stadsdeel Nieuw-West" in text  # the reason says it


def test_groups_phone_area_hours_and_links(staff, kb):
    text = page(staff, q="kwijtschelding")
    assert 'id="groep-regeling">Regelingen' in text and 'id="groep-dienst">Hulp' in text
    assert '<a href="tel:14020">14 020</a>' in text
    assert "Gebied</dt><dd>heel Amsterdam" in text and "Gebied</dt><dd>landelijk" in text
    assert re.search(r'<dt>Website</dt><dd><a href="https://[^"]+" rel="noreferrer">', text)
    assert "exacte naam of synoniem" not in text and "Heet precies ‘kwijtschelding’" in text
    # the regulations come in the shared ranker's own order
    found = kb.search("kwijtschelding", kind="regeling", gemeente="amsterdam", limit=20)
    shared = [h.ref for h in found]
    assert refs(text, "regeling") == shared
    hours = page(staff, q="geldzaken buurtteam")
    assert "<dt>Open</dt><dd>" in hours
