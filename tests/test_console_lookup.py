"""Issue #20 item 5: staff lookup on the shared ranker, over plain HTTP on a real `rasa run`.

A place in the query becomes the filter, the stadsdeel filter changes the results, results are
grouped with phone (``tel:``), area, hours and web links, "Waarom" is plain Dutch, and a capped
group says how many there are.
"""

from __future__ import annotations

import html
import re
import uuid

import httpx
import pytest

from channels.cases import CaseStore
from channels.console import BASE
from channels.identity import pseudonym
from channels.reply_templates import resident_text
from knowledge import lookup
from knowledge.db import get_engine
from tests.test_console_http import login, new_account, session_csrf


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


# --- "Stuur naar bewoner" (issue #20 item 4 of the finishing list) --------------------------------
def content_tokens(text: str) -> list[str]:
    """Phone numbers, other numbers and web addresses in a text: what must never be invented."""
    return re.findall(r"https?://\S+|\d[\d\- ]*\d|\d", text)


def test_the_resident_text_holds_only_facts_from_the_content(kb):
    svc = kb.service("geldfit_hulplijn")
    text = resident_text(kb, "dienst", "geldfit_hulplijn")
    lines = text.splitlines()
    assert lines[0] == f"{svc.organisatie}: {svc.naam}"
    assert svc.beschrijving.startswith(lines[1].rstrip("."))  # what it is: its own first words
    assert f"Bel: {svc.phone}." in text and f"Website: {svc.website}" in lines
    facts = " ".join([svc.organisatie, svc.naam, svc.beschrijving, svc.phone, svc.website])
    facts += " " + (svc.openingstijden or "")
    assert all(t in facts for t in content_tokens(text)), text

    reg = kb.regeling("huurtoeslag")
    text = resident_text(kb, "regeling", "huurtoeslag")
    org = kb.organisation_services(reg.uitvoerder_organisatie)
    phone = next(s.phone for s in org if s.phone)
    assert text.splitlines()[0] == "Huurtoeslag"
    assert reg.samenvatting_b1.startswith(text.splitlines()[1])
    assert f"Bel {reg.uitvoerder}: {phone}." in text
    assert len(text) < 400  # short: a chat message, not the whole page
    facts = " ".join([reg.samenvatting_b1, phone, *(s.website or "" for s in org), reg.bron_url])
    assert all(t in facts for t in content_tokens(text)), text
    assert resident_text(kb, "regeling", "bestaat-niet") is None
    assert resident_text(kb, "iets", "huurtoeslag") is None


def test_send_to_resident_only_into_an_own_open_case(rasa_server, db_url, kb):
    base, _ = rasa_server
    resident = f"stuur-{uuid.uuid4().hex[:8]}"
    store = CaseStore(get_engine(db_url))
    case = store.create(pseudonym("bw", resident), "bw", "vraag", "vraag over geld", "chat")
    want = resident_text(kb, "dienst", "geldfit_hulplijn")
    with httpx.Client(base_url=base, timeout=30) as me, httpx.Client(base_url=base) as other:
        assert login(me, new_account(db_url)).status_code == 303
        assert login(other, new_account(db_url)).status_code == 303
        csrf, other_csrf = session_csrf(me), session_csrf(other)

        # the text is on the search page, per result, ready to copy
        text = page(me, q="geldfit")
        assert "Stuur naar bewoner" in text and want in text
        assert "Neem eerst een case aan" in text  # no own case yet: copy only

        url = f"{BASE}/api/cases/{case.id}/stuur"
        body = {"soort": "dienst", "ref": "geldfit_hulplijn"}
        assert me.post(url, json=body).status_code == 403  # no CSRF token
        r = me.post(url, json=body, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 403  # not taken yet
        take = me.post(f"{BASE}/api/cases/{case.id}/take", headers={"X-CSRF-Token": csrf})
        assert take.status_code == 200
        r = other.post(url, json=body, headers={"X-CSRF-Token": other_csrf})
        assert r.status_code == 403 and "jij hebt aangenomen" in r.json()["error"]
        r = me.post(url, json={**body, "ref": "bestaat-niet"}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 404

        # the worker's own case is offered on the search page, and the text reaches the resident
        text = page(me, q="geldfit", case=str(case.id))
        assert re.search(rf'<option value="{case.id}" selected>Case #{case.id}: vraag over', text)
        r = me.post(url, json={**body, "tekst": "verzonnen"}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200 and r.json() == {"bezorgd": "outbox"}
        got = me.get("/webhooks/bw/messages", params={"sender": resident}).json()
        taken, sent = (m["text"] for m in got)  # "... heeft je vraag", then the text
        assert "heeft je vraag" in taken
        assert sent == want  # made by the server from the content, not the browser's text
    store.close(case.id)
