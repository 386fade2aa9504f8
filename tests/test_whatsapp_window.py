"""Issue #22 item 7: WhatsApp's 24-hour customer service window counts from the message's own
``timestamp`` (Meta's text-message webhook page: "Unix timestamp indicating when the user sent
the message"), not from when the webhook reached us. A late retry must not reopen the window."""

from __future__ import annotations

import time

from channels.identity import pseudonym
from channels.store import ChannelStore
from channels.whatsapp import Inbound, sent_at
from tests.fakes import payloads as p


def _text(phone: str, body: str, ts: float) -> dict:
    return p.wa_fixture(
        "message_text_phone_and_user_id",
        WHATSAPP_USER_PHONE_NUMBER=phone,
        BSUID=p.bsuid(),
        MESSAGE_BODY_TEXT=body,
        WEBHOOK_TRIGGER_TIMESTAMP=str(int(ts)),
    )


def _kept(server, phone: str, n: int = 1, timeout: float = 20) -> list:
    store = ChannelStore(server.state_db)
    sender = pseudonym("whatsapp", phone)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = store.outbox("whatsapp", sender)
        if len(entries) >= n:
            time.sleep(0.5)
            return store.outbox("whatsapp", sender)
        time.sleep(0.1)
    raise AssertionError("nothing kept in the outbox")


def test_sent_at_uses_the_message_time_but_never_the_future():
    msg = Inbound("31600000000", None, "wamid.1", "text", "hoi", timestamp=1_000.0)
    assert sent_at(msg, now=2_000.0) == 1_000.0
    assert sent_at(Inbound(None, "NL.1", "wamid.2", "text", "hoi", 9_000.0), now=2_000.0) == 2_000.0
    assert sent_at(Inbound(None, "NL.1", "wamid.3", "text", "hoi"), now=2_000.0) == 2_000.0


def test_window_starts_at_the_message_timestamp(channel_server):
    phone = p.phone()
    two_hours_ago = int(time.time()) - 2 * 3600
    p.post_whatsapp(channel_server.base, _text(phone, "wat is zorgtoeslag", two_hours_ago))
    channel_server.graph.wait_for(lambda _: channel_server.graph.sent_to(phone), timeout=20)
    store = ChannelStore(channel_server.state_db)
    assert store.last_inbound("whatsapp", pseudonym("whatsapp", phone)) == two_hours_ago


def test_a_late_retry_of_a_day_old_message_gets_no_free_form_reply(channel_server):
    """Meta retries for up to 7 days. The resident wrote 25 hours ago: the window is closed, so
    the answer must not go out as free-form text (Meta would refuse it with 131047): one
    template invites the resident back, the answer waits for the tap."""
    phone = p.phone()
    day_old = time.time() - 25 * 3600
    assert (
        p.post_whatsapp(
            channel_server.base, _text(phone, "wat is zorgtoeslag", day_old)
        ).status_code
        == 200
    )
    entries = _kept(channel_server, phone)
    assert {e.reason for e in entries} == {"outside_24h_template_sent"}
    assert any("Zorgtoeslag" in e.text for e in entries)
    assert [b["type"] for b in channel_server.graph.sent_to(phone)] == ["template"]


def test_a_late_retry_does_not_shorten_an_open_window(channel_server):
    phone = p.phone()
    now = int(time.time())
    p.post_whatsapp(channel_server.base, _text(phone, "hoi", now - 60))
    channel_server.graph.wait_for(lambda _: channel_server.graph.sent_to(phone), timeout=20)
    p.post_whatsapp(channel_server.base, _text(phone, "hoi", now - 26 * 3600))  # older, late
    time.sleep(1.0)
    store = ChannelStore(channel_server.state_db)
    assert store.last_inbound("whatsapp", pseudonym("whatsapp", phone)) == now - 60
