"""Issue #22 item 1: one delivery path. A staff reply that cannot be pushed waits and goes out on
the resident's next contact, on every channel; on WhatsApp after 24 hours the template invites
the resident back and its quick-reply button (Meta's "Button messages webhook reference",
``tests/fixtures/whatsapp/message_template_quick_reply.json``) delivers what waited instead of
reaching the bot as text."""

from __future__ import annotations

import time

import httpx

from channels.cases import default_store
from channels.common import texts
from channels.identity import pseudonym
from channels.store import ChannelStore
from tests.conftest import STAFF_TOKEN
from tests.fakes import payloads as p

STAFF_REPLY = "Hoi, ik ben Sanne van het buurtteam. Ik bel je morgen om 10 uur over je huur."


def _staff(server, path: str, body: dict | None = None) -> dict:
    resp = httpx.post(
        f"{server.base}/webhooks/staff/cases/{path}",
        json=body or {},
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()


def _waiting(server, channel: str, sender: str) -> list[str]:
    store = ChannelStore(server.state_db)
    return [e.text for e in store.outbox(channel, sender) if e.delivered is None]


def test_fixture_names_its_documentation():
    assert "webhooks/reference/messages/button" in p.wa_fixture_doc("message_template_quick_reply")


def test_whatsapp_staff_reply_after_24h_goes_out_through_template_and_quick_reply(
    channel_server, db_url
):
    s, phone = channel_server, p.phone()
    sender = pseudonym("whatsapp", phone)
    # The resident last wrote 25 hours ago (the bot's answer already waits behind a template).
    old = p.wa_fixture(
        "message_text_phone_and_user_id",
        WHATSAPP_USER_PHONE_NUMBER=phone,
        BSUID=p.bsuid(),
        MESSAGE_BODY_TEXT="ik kan mijn huur niet betalen",
        WEBHOOK_TRIGGER_TIMESTAMP=str(int(time.time() - 25 * 3600)),
    )
    p.post_whatsapp(s.base, old)
    s.graph.wait_for(lambda _: s.graph.sent_to(phone), timeout=20, settle=1.5)
    case = default_store().create(sender, "whatsapp", "vraag", "Huurachterstand", "chat")
    _staff(s, f"{case.id}/take", {"medewerker": "Sanne"})
    assert _staff(s, f"{case.id}/reply", {"tekst": STAFF_REPLY}) == {"bezorgd": "outbox"}

    sent = s.graph.sent_to(phone)
    assert [b["type"] for b in sent] == ["template"], "one invitation, no free-form text"
    waiting = _waiting(s, "whatsapp", sender)
    assert waiting[-1] == STAFF_REPLY
    assert [w["tekst"] for w in p.staff_case(s.base, case.id, STAFF_TOKEN)["wachtrij"]][
        -1
    ].startswith("Hoi, ik ben")

    tap = p.wa_fixture(
        "message_template_quick_reply",
        WHATSAPP_USER_PHONE_NUMBER=phone,
        BUTTON_PAYLOAD="Lees het bericht",
        CONTEXT_MESSAGE_ID=s.graph.message_ids(phone)[0],
    )
    assert p.post_whatsapp(s.base, tap).status_code == 200
    s.graph.wait_for(lambda _: len(s.graph.sent_to(phone)) >= 1 + len(waiting), settle=1.5)
    after = s.graph.sent_to(phone)[1:]
    assert s.graph.texts(after) == waiting, "exactly what waited, in order; nothing from the bot"
    assert _waiting(s, "whatsapp", sender) == []
    assert p.staff_case(s.base, case.id, STAFF_TOKEN)["wachtrij"] == []


def test_whatsapp_quick_reply_with_nothing_waiting_gets_one_line(channel_server):
    s, phone = channel_server, p.phone()
    tap = p.wa_fixture(
        "message_template_quick_reply",
        WHATSAPP_USER_PHONE_NUMBER=phone,
        BUTTON_PAYLOAD="Lees het bericht",
    )
    p.post_whatsapp(s.base, tap)
    s.graph.wait_for(lambda _: s.graph.sent_to(phone), settle=1.0)
    assert s.graph.texts(s.graph.sent_to(phone)) == [texts()["nothing_waiting"]]


def test_telegram_failed_staff_push_goes_out_on_the_next_message(channel_server, db_url):
    s, cid = channel_server, p.chat_id()
    sender = pseudonym("telegram", str(cid))
    p.post_telegram(s.base, p.tg_text(cid, "hoi"))
    s.telegram.wait_for(lambda _: s.telegram.sent_texts(cid), settle=1.0)
    case = default_store().create(sender, "telegram", "vraag", "Huurachterstand", "chat")
    _staff(s, f"{case.id}/take", {"medewerker": "Sanne"})
    s.telegram.fail_next("sendMessage", cid, [403])  # e.g. the resident had paused the bot
    assert _staff(s, f"{case.id}/reply", {"tekst": STAFF_REPLY}) == {"bezorgd": "outbox"}
    assert STAFF_REPLY not in s.telegram.sent_texts(cid)
    assert _waiting(s, "telegram", sender) == [STAFF_REPLY]

    p.post_telegram(s.base, p.tg_text(cid, "is er nog nieuws?"))
    s.telegram.wait_for(lambda _: STAFF_REPLY in s.telegram.sent_texts(cid), settle=0.5)
    assert _waiting(s, "telegram", sender) == []
