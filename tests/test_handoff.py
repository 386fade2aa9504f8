"""Handoff end to end: REST resident + staff API on a real `rasa run`, and the resident's side
of consent, summary, contact preference, cancelling and crisis through the real model."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import httpx
import pytest

from actions.office_hours import hours
from channels.cases import CaseError, CaseStore
from channels.staff import RESUME_TEXT
from knowledge.db import get_engine
from tests.conftest import STAFF_TOKEN

AUTH = {"Authorization": f"Bearer {STAFF_TOKEN}"}


async def say(client: httpx.AsyncClient, sender: str, text: str) -> str:
    r = await client.post("/webhooks/bw/webhook", json={"sender": sender, "message": text})
    assert r.status_code == 200, r.text
    return "\n".join(m.get("text", "") for m in r.json())


async def test_full_handoff_loop_over_rest_and_staff_api(rasa_server):
    base, _ = rasa_server
    sender = f"rest-{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        await say(c, sender, "ik heb een aanmaning van de energie en ik kan het niet betalen")
        assert "doorsturen" in await say(c, sender, "ik wil een mens spreken")
        summary = await say(c, sender, "ja")
        assert "aanmaning van de energie" in summary
        assert "chat" in await say(c, sender, "ja")
        created = await say(c, sender, "hier in de chat")
        assert "doorgestuurd (nummer" in created

        assert (await c.get("/webhooks/staff/cases")).status_code == 401
        assert (
            await c.get("/webhooks/staff/cases", headers={"Authorization": "Bearer fout"})
        ).status_code == 401
        cases = (await c.get("/webhooks/staff/cases", headers=AUTH)).json()
        case = next(
            x
            for x in cases
            if "aanmaning van de energie" in x["samenvatting"]
            and x["state"] == "wacht_op_medewerker"
        )
        assert case["state"] == "wacht_op_medewerker" and "sender_id" not in case

        r = await c.post(
            f"/webhooks/staff/cases/{case['id']}/reply", headers=AUTH, json={"tekst": "te vroeg"}
        )
        assert r.status_code == 409
        r = await c.post(
            f"/webhooks/staff/cases/{case['id']}/take", headers=AUTH, json={"medewerker": "Sanne"}
        )
        assert r.status_code == 200 and r.json()["state"] == "medewerker"
        assert (
            await c.post(f"/webhooks/staff/cases/{case['id']}/take", headers=AUTH, json={})
        ).status_code == 409

        # the resident hears that Sanne has the question (waiting in the outbox for REST)
        got = (await c.get("/webhooks/bw/messages", params={"sender": sender})).json()
        assert any("Sanne" in m["text"] and "heeft je vraag" in m["text"] for m in got)
        # paused: the bot says nothing, but the message reaches the transcript
        assert await say(c, sender, "hallo? is daar iemand") == ""
        detail = (await c.get(f"/webhooks/staff/cases/{case['id']}", headers=AUTH)).json()
        assert any("is daar iemand" in line["tekst"] for line in detail["transcript"])

        r = await c.post(
            f"/webhooks/staff/cases/{case['id']}/reply",
            headers=AUTH,
            json={"tekst": "Hoi, ik ben Sanne van het buurtteam."},
        )
        assert r.status_code == 200 and r.json()["bezorgd"] == "outbox"
        got = (await c.get("/webhooks/bw/messages", params={"sender": sender})).json()
        assert [m["text"] for m in got] == ["Hoi, ik ben Sanne van het buurtteam."]
        assert (
            await c.get("/webhooks/bw/messages", params={"sender": sender})
        ).json() == []  # delivered once

        assert (
            await c.post(f"/webhooks/staff/cases/{case['id']}/close", headers=AUTH)
        ).status_code == 200
        assert RESUME_TEXT in await say(c, sender, "wat is zorgtoeslag")
        assert "Zorgtoeslag" in await say(c, sender, "wat is zorgtoeslag")
        assert all(
            x["id"] != case["id"]
            for x in (await c.get("/webhooks/staff/cases", headers=AUTH)).json()
        )


async def test_staff_api_rejects_bad_input(rasa_server):
    base, _ = rasa_server
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        assert (await c.get("/webhooks/staff/cases/999999", headers=AUTH)).status_code == 404
        r = await c.post(
            "/webhooks/staff/cases/999999/take",
            headers={**AUTH, "Content-Type": "application/json"},
            content=b"{kapot",
        )
        assert r.status_code == 400
        assert (await c.post("/webhooks/staff/cases/999999/close", headers=AUTH)).status_code == 404
        r = await c.post(
            "/webhooks/bw/webhook",
            content=b"niet-json",
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == 400
        assert (await c.post("/webhooks/bw/webhook", json={"message": "hoi"})).status_code == 400
        assert (await c.post("/webhooks/bw/webhook", json=["lijst"])).status_code == 400


async def test_no_consent_means_no_case(conversation, db_url):
    store = CaseStore(get_engine(db_url))
    await conversation.script(
        [
            "ik wil met een mens praten => doorsturen",
            "nee => Ik stuur niets door | Buurtteam",
        ]
    )
    assert store.open_case_for(conversation.sender) is None


async def test_own_words_when_summary_is_wrong_and_cancel(conversation, db_url):
    store = CaseStore(get_engine(db_url))
    await conversation.script(
        [
            "ik wil een mens spreken => doorsturen",
            "ja => Klopt dat",
            "nee => Vertel in een paar zinnen",
            "ik krijg de huur niet betaald deze maand => chat",
            "bel mij terug => telefoonnummer",
            "dat weet ik niet => geen Nederlands telefoonnummer",
            "06 12345678 => doorgestuurd",
        ]
    )
    case = store.open_case_for(conversation.sender)
    assert case and case.contact_voorkeur == "bellen" and "huur" in case.samenvatting
    assert case.telefoon_versleuteld and "0612345678" not in case.telefoon_versleuteld
    await conversation.turn("stop => ingetrokken")
    assert store.open_case_for(conversation.sender) is None


async def test_crisis_goes_first_and_offers_a_person(conversation):
    reply = await conversation.say("ik zie het echt niet meer zitten, ik wil er niet meer zijn")
    text = reply.text
    assert "113" in text and "0800-0113" in text and "112" in text
    assert "doorsturen" in text  # the consent question for a person
    assert "Zorgtoeslag" not in text and "Waar gaat het vooral om" not in text


async def test_two_fallbacks_in_a_row_offer_a_person(conversation):
    await conversation.turn("sdfkj qwoeiru zxcvmn => andere manier")
    await conversation.turn("pqowieur lkjasd mnbzxc => doorsturen naar een mens")


def test_office_hours():
    h = hours()
    tz = h.tz
    monday_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=tz)
    saturday = dt.datetime(2026, 11, 28, 12, 0, tzinfo=tz)
    assert h.is_open(monday_10) and not h.is_open(saturday)
    nxt = h.next_opening(saturday)
    assert nxt.weekday() == 0 and nxt.hour == 9


def test_one_open_case_per_resident_and_state_rules(db_url):
    store = CaseStore(get_engine(db_url))
    sender = f"dup-{uuid.uuid4().hex[:6]}"
    a = store.create(sender, "bw", "vraag", "x", "chat")
    b = store.create(sender, "bw", "vraag", "y", "chat")
    assert a.id == b.id
    with pytest.raises(CaseError):
        store.take(a.id + 10_000, "x")
    store.take(a.id, "Sanne")
    assert store.cancel_for(sender) is None  # taken cases are not cancelled by the bot
    store.close(a.id)
    with pytest.raises(CaseError):
        store.close(a.id)


async def test_a_hand_off_from_crisis_mode_is_marked_crisis_for_staff(conversation, db_url):
    """Crisis answer, a 'no' (the chat lines stay on offer), later a 'yes': the case says crisis."""
    store = CaseStore(get_engine(db_url))
    await conversation.script(
        [
            "iedereen is beter af zonder mij => 113 | doorsturen",
            "nee => niets door | 113.nl",
            "ja => Klopt dat",
            "ja => chat",
            "hier in de chat => doorgestuurd",
        ]
    )
    case = store.open_case_for(conversation.sender)
    assert case is not None and case.reden == "crisis"


async def test_a_money_question_in_a_crisis_message_is_kept_for_later(conversation):
    reply = await conversation.say("ik wil dood, hoe vraag ik huurtoeslag aan")
    assert "113" in reply.text and "doorsturen" in reply.text
    after = await conversation.say("nee")  # no hand-off now; the question was kept
    assert "113.nl" in after.text and "Hoe vraag ik het aan?" in after.text
    later = await conversation.say("/regeling_aanvragen")
    assert "Huurtoeslag" in later.text


def test_crisis_cases_come_first_in_the_inbox(db_url):
    store = CaseStore(get_engine(db_url))
    tag = uuid.uuid4().hex[:6]
    ordinary = store.create(f"gewoon-{tag}", "bw", "vraag", "huurtoeslag", "chat")
    urgent = store.create(f"crisis-{tag}", "bw", "crisis", "wil er niet meer zijn", "chat")
    ids = [c.id for c in store.list()]
    assert ids.index(urgent.id) < ids.index(ordinary.id)


async def test_transcript_shows_button_titles_and_times(rasa_server):
    """Staff read what the resident tapped ('[knop] Met een mens praten'), not '/vraag_mens',
    and when each line was said (issue #20 item 4)."""
    base, _ = rasa_server
    sender = f"knop-{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        await say(c, sender, "hoeveel mag ik bijverdienen in de bijstand van de gemeente")
        assert "doorsturen" in await say(c, sender, "/vraag_mens")
        await say(c, sender, "ja")
        await say(c, sender, "ja")
        assert "doorgestuurd (nummer" in await say(c, sender, "hier in de chat")
        cases = (await c.get("/webhooks/staff/cases", headers=AUTH)).json()
        case = next(x for x in cases if "bijverdienen" in x["samenvatting"])
        detail = (await c.get(f"/webhooks/staff/cases/{case['id']}", headers=AUTH)).json()
        said = [line["tekst"] for line in detail["transcript"] if line["van"] == "bewoner"]
        assert "[knop] Met een mens praten" in said and "/vraag_mens" not in said
        assert all(re.fullmatch(r"\d\d:\d\d", line["tijd"]) for line in detail["transcript"])
