"""Handoff end to end: REST resident + staff API on a real `rasa run`, and the resident's side
of consent, summary, contact preference, cancelling and crisis through the real model."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid

import httpx
import pytest

from actions.office_hours import hours
from bot.env import ACTION_TOKEN_HEADER, action_token
from channels.cases import CaseError, CaseStore
from channels.staff import RESUME_TEXT
from knowledge.db import get_engine
from tests import fakes
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
            "ik heb een vraag over een brief => ",
            "ik wil een mens spreken => doorsturen",
            "ja => een vraag over een brief | Klopt dat",
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


async def test_a_request_for_a_person_first_asks_for_the_question(conversation, db_url):
    """Issue #20 item 2: the first message asked for a person, so there is nothing to
    summarise. The form asks for the question in a few words (no '(nog geen vraag gesteld)' to
    confirm); a 'nee' or a word too short is not taken as the question; the case carries it."""
    store = CaseStore(get_engine(db_url))
    await conversation.script(
        [
            "ik wil een mens spreken => doorsturen",
            "ja => Waar wil je hulp bij | paar woorden | !nog geen vraag | !Klopt dat",
            "nee => iets meer vertellen | Waar wil je hulp bij",
            "ik kan de huur van deze maand niet betalen => Hoe wil je contact | !Klopt dat",
            "hier in de chat => doorgestuurd",
        ]
    )
    case = store.open_case_for(conversation.sender)
    assert case is not None
    assert case.samenvatting == "ik kan de huur van deze maand niet betalen"
    store.close(case.id)


async def test_a_hand_off_in_english_is_english_to_the_end(conversation, db_url):
    """Issue #21: the hand-off form and its confirmation in English, also the parts the action
    fills in (how staff will respond, office hours or the next opening); the case is made."""
    store = CaseStore(get_engine(db_url))
    await conversation.script(
        [
            "I want to talk to a person => buurtteam (neighbourhood team)",
            "yes => What would you like help with",
            "I cannot pay my rent this month => How would you like to be contacted",
            "here in the chat => will reply here in the chat | !reageert | !maandag | !ma 09",
        ]
    )
    case = store.open_case_for(conversation.sender)
    assert case is not None and case.samenvatting == "I cannot pay my rent this month"
    store.close(case.id)


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


# --- staff notifications (issue #20 item 1): kept, retried, logged, honest ------------------------
STAFF_CHAT = "-1001234567890"


def notify_env(fake, folder, waits: str = "0.2,0.2,0.2") -> dict[str, str]:
    return {
        "BW_STAFF_TELEGRAM_CHAT_ID": STAFF_CHAT,
        "TELEGRAM_TOKEN": fakes.TELEGRAM_TOKEN,
        "TELEGRAM_API_BASE": fake.base_url,
        "BW_NOTIFY_RETRY_WAITS": waits,
        "BW_VAR_DIR": str(folder),
    }


@pytest.fixture(scope="module")
def staff_bot_api():
    fake = fakes.FakeTelegramAPI(fakes.TELEGRAM_TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def notifying_action_server(db_url, staff_bot_api, tmp_path_factory):
    """A second real action server whose staff notifications go to the fake Bot API."""
    from bot import runtime

    folder = tmp_path_factory.mktemp("notify")
    env = {"BW_DATABASE_URL": db_url, **notify_env(staff_bot_api, folder)}
    proc, url = runtime.start_action_server(extra_env=env, log_path=folder / "actions.log")
    yield url, folder
    runtime.stop(proc)


def submit_case(url: str, sender: str, vraag: str) -> tuple[int, float]:
    """Run action_handoff_submit on the action server as Rasa does; (case number, seconds)."""
    tracker = {
        "sender_id": sender,
        "slots": {"handoff_toestemming": True, "handoff_vraag": vraag, "handoff_contact": "chat"},
        "latest_message": {"text": "hier in de chat", "intent": {"name": "inform"}},
        "events": [],
        "latest_input_channel": "rest",
        "active_loop": {},
    }
    body = {"next_action": "action_handoff_submit", "sender_id": sender, "tracker": tracker}
    started = time.monotonic()
    r = httpx.post(url, json=body, headers={ACTION_TOKEN_HEADER: action_token()}, timeout=30)
    assert r.status_code == 200, r.text
    numbers = [m["nummer"] for m in r.json()["responses"] if "nummer" in m]
    return int(numbers[0]), time.monotonic() - started


def log_lines(folder, case_id: int) -> list[str]:
    path = folder / "notifications.log"
    lines = path.read_text().splitlines() if path.exists() else []
    return [line for line in lines if f"#{case_id} " in line]


def wait_for_line(folder, case_id: int, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lines := log_lines(folder, case_id):
            return lines[-1]
        time.sleep(0.05)
    raise AssertionError(f"no notification outcome for case {case_id}")


def test_staff_notification_is_retried_until_delivered_once(
    notifying_action_server, staff_bot_api, db_url
):
    """The Bot API answers 429 (retry after 1 s), then 500, then accepts: the action server
    keeps the send going after the resident got the answer, and staff get it exactly once."""
    url, folder = notifying_action_server
    staff_bot_api.fail_next("sendMessage", STAFF_CHAT, [429, 500])
    case_id, seconds = submit_case(url, f"notify-{uuid.uuid4().hex[:8]}", "huur niet betaald")
    assert seconds < 1.0, "the resident's answer must not wait for the retries"
    line = wait_for_line(folder, case_id)
    assert line.split()[1:4] == ["bezorgd", "kanaal=telegram", "pogingen=3:"], line
    mine = [
        c
        for c in staff_bot_api.calls_to("sendMessage", STAFF_CHAT)
        if f"#{case_id} " in c.params["text"]
    ]
    assert len(mine) == 3
    delivered = [t for t in staff_bot_api.sent_texts(STAFF_CHAT) if f"#{case_id} " in t]
    assert delivered == [
        f"Nieuwe vraag #{case_id} wacht op een medewerker (reden: vraag). Open de inbox om hem aan te nemen."
    ]
    CaseStore(get_engine(db_url)).close(case_id)


def test_a_staff_notification_that_keeps_failing_is_logged_and_the_case_stays(
    notifying_action_server, staff_bot_api, db_url
):
    url, folder = notifying_action_server
    staff_bot_api.fail_next("sendMessage", STAFF_CHAT, [500] * 4)  # every try fails
    vraag = "aanmaning energie 0612345678"
    case_id, _ = submit_case(url, f"notify-{uuid.uuid4().hex[:8]}", vraag)
    line = wait_for_line(folder, case_id)
    assert "niet-bezorgd kanaal=telegram pogingen=4 fout=NetworkError" in line, line
    mine = [
        c
        for c in staff_bot_api.calls_to("sendMessage", STAFF_CHAT)
        if f"#{case_id} " in c.params["text"]
    ]
    assert len(mine) == 4  # the first try and three retries
    assert not [t for t in staff_bot_api.sent_texts(STAFF_CHAT) if f"#{case_id} " in t]
    warning = [x for x in (folder / "actions.log").read_text().splitlines() if f"#{case_id} " in x]
    assert warning and "niet bezorgd" in warning[0]
    for log in (line, *warning):  # no resident data, no chat id, no token
        assert "aanmaning" not in log and "0612345678" not in log
        assert STAFF_CHAT not in log and fakes.TELEGRAM_TOKEN not in log
    case = CaseStore(get_engine(db_url)).get(case_id)
    assert case is not None and case.state == "wacht_op_medewerker"
    # the number in the question reaches the case masked, also from a tracker's own slots
    assert "0612345678" not in case.samenvatting and "aanmaning energie" in case.samenvatting
    CaseStore(get_engine(db_url)).close(case_id)


def test_notify_reports_what_really_happened(staff_bot_api, tmp_path, monkeypatch):
    """Outside an event loop the outcome is returned: delivered, refused (no retry for a 400)
    or only the log when no staff chat is configured; never 'telegram' on a failure."""
    from channels import notify

    for key, value in notify_env(staff_bot_api, tmp_path).items():
        monkeypatch.setenv(key, value)
    ok = notify.notify_new_case(900001, "vraag")
    assert (ok.kanaal, ok.status, ok.pogingen, ok.delivered) == ("telegram", "bezorgd", 1, True)
    staff_bot_api.fail_next("sendMessage", STAFF_CHAT, [400])
    refused = notify.notify_new_case(900002, "crisis")
    assert (refused.status, refused.pogingen, refused.fout) == ("niet-bezorgd", 1, "BadRequest")
    assert not refused.delivered
    monkeypatch.delenv("BW_STAFF_TELEGRAM_CHAT_ID")
    local = notify.notify_new_case(900003, "vraag")
    assert (local.kanaal, local.status) == ("log", "alleen-log")
    lines = (tmp_path / "notifications.log").read_text().splitlines()
    assert [line.split()[1] for line in lines] == ["bezorgd", "niet-bezorgd", "alleen-log"]
