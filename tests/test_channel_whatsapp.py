"""WhatsApp Cloud API channel: verification handshake, signatures, message types, retries,
buttons and lists, the 24-hour window with template or outbox, and privacy in the logs."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest

from channels.common import mask, texts
from channels.identity import pseudonym
from channels.settings import WhatsAppSettings
from channels.store import ChannelStore
from channels.whatsapp import WhatsAppOutput, parse_messages, send_to_resident
from tests import fakes
from tests.fakes import payloads as p


def _id(phone: str) -> str:
    """The pseudonym the channel stores and logs instead of the phone number."""
    return pseudonym("whatsapp", phone)


def _sent(server, phone: str, n: int = 1, settle: float = 0.3) -> list[dict]:
    server.graph.wait_for(lambda _: len(server.graph.sent_to(phone)) >= n, settle=settle)
    return server.graph.sent_to(phone)


def _texts(server, phone: str, n: int = 1, settle: float = 0.3) -> list[str]:
    return server.graph.texts(_sent(server, phone, n, settle))


def _output(server, **changes: str) -> tuple[WhatsAppOutput, ChannelStore]:
    settings = WhatsAppSettings.from_credentials({**server.whatsapp_creds, **changes})
    store = ChannelStore(settings.state_db)
    return WhatsAppOutput(settings, store), store


# verification handshake


def _verify(base: str, **params: str) -> httpx.Response:
    return httpx.get(f"{base}/webhooks/whatsapp/webhook", params=params, timeout=10)


def test_verification_with_right_token_returns_challenge(channel_server):
    resp = _verify(
        channel_server.base,
        **{
            "hub.mode": "subscribe",
            "hub.verify_token": fakes.WHATSAPP_VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert resp.status_code == 200 and resp.text == "1158201444"
    assert resp.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "fout", "hub.challenge": "1"},
        {
            "hub.mode": "unsubscribe",
            "hub.verify_token": fakes.WHATSAPP_VERIFY_TOKEN,
            "hub.challenge": "1",
        },
        {"hub.challenge": "1"},
    ],
)
def test_verification_with_wrong_token_or_mode_is_403(channel_server, params):
    assert _verify(channel_server.base, **params).status_code == 403


# signatures and parsing


def test_missing_or_wrong_signature_is_403(channel_server):
    phone = p.phone()
    body = p.wa_text(phone, "wat is zorgtoeslag")
    assert p.post_whatsapp(channel_server.base, body, secret=None).status_code == 403
    assert p.post_whatsapp(channel_server.base, body, secret="ander-geheim").status_code == 403
    time.sleep(0.5)
    assert channel_server.graph.sent_to(phone) == []


@pytest.mark.parametrize("raw", [b"{kapot", b"[]", b""])
def test_malformed_json_is_400(channel_server, raw):
    assert p.post_whatsapp(channel_server.base, None, raw=raw).status_code == 400


def test_parser_skips_other_numbers_and_garbage():
    body = p.wa_text("31611111111", "hoi")
    assert [m.text for m in parse_messages(body, fakes.WHATSAPP_PHONE_ID)] == ["hoi"]
    assert list(parse_messages(body, "other-number")) == []
    assert list(parse_messages({"entry": "x"}, fakes.WHATSAPP_PHONE_ID)) == []
    assert list(parse_messages({"entry": [{"changes": [{"value": []}]}]}, "1")) == []


# conversations through the real server


def test_signed_text_gets_answer(channel_server):
    phone = p.phone()
    assert (
        p.post_whatsapp(channel_server.base, p.wa_text(phone, "wat is zorgtoeslag")).status_code
        == 200
    )
    bodies = _sent(channel_server, phone)
    assert bodies[0]["messaging_product"] == "whatsapp" and bodies[0]["to"] == phone
    assert any("Zorgtoeslag" in t for t in channel_server.graph.texts(bodies))


def test_greeting_buttons_become_reply_buttons(channel_server):
    phone = p.phone()
    p.post_whatsapp(channel_server.base, p.wa_text(phone, "hoi"))
    channel_server.graph.wait_for(
        lambda _: any(b["type"] == "interactive" for b in channel_server.graph.sent_to(phone))
    )
    interactive = [b for b in channel_server.graph.sent_to(phone) if b["type"] == "interactive"][0]
    assert interactive["interactive"]["type"] == "button"
    buttons = interactive["interactive"]["action"]["buttons"]
    expected = p.domain_buttons("utter_greet")
    assert [b["reply"]["id"] for b in buttons] == [b["payload"] for b in expected]
    assert all(len(b["reply"]["title"]) <= 20 for b in buttons)


def test_button_reply_is_routed_as_payload(channel_server):
    phone = p.phone()
    p.post_whatsapp(
        channel_server.base, p.wa_button_reply(phone, "wat is zorgtoeslag", "Wat is zorgtoeslag?")
    )
    assert any("Zorgtoeslag" in t for t in _texts(channel_server, phone))


def test_list_reply_with_short_key_is_resolved(channel_server):
    phone = p.phone()
    store = ChannelStore(channel_server.state_db)
    key = store.short_key("wat is zorgtoeslag " + "x" * 200, "k:")
    store.short_key("wat is zorgtoeslag", "k:")
    p.post_whatsapp(
        channel_server.base, p.wa_list_reply(phone, store.short_key("wat is zorgtoeslag", "k:"))
    )
    assert any("Zorgtoeslag" in t for t in _texts(channel_server, phone))
    assert key.startswith("k:")


def test_unknown_short_key_gets_friendly_answer(channel_server):
    phone = p.phone()
    p.post_whatsapp(channel_server.base, p.wa_button_reply(phone, "k:0000000000000000"))
    assert _texts(channel_server, phone) == [texts()["button_expired"]]


@pytest.mark.parametrize(
    "kind,content",
    [
        ("image", {"mime_type": "image/jpeg", "sha256": "abc", "id": "media-1"}),
        ("audio", {"mime_type": "audio/ogg", "id": "media-2", "voice": True}),
        ("location", {"latitude": 52.37, "longitude": 4.89}),
    ],
)
def test_other_types_get_only_text_hint(channel_server, kind, content):
    phone = p.phone()
    p.post_whatsapp(channel_server.base, p.wa_body([p.wa_message(phone, kind, content)]))
    assert _texts(channel_server, phone) == [texts()["only_text"]]


def test_statuses_are_ignored(channel_server):
    phone = p.phone()
    status = {
        "id": "wamid.out1",
        "status": "delivered",
        "timestamp": str(int(time.time())),
        "recipient_id": phone,
    }
    resp = p.post_whatsapp(channel_server.base, p.wa_body(statuses=[status]))
    assert resp.status_code == 200
    other = p.post_whatsapp(
        channel_server.base, {"object": "whatsapp_business_account", "entry": []}
    )
    assert other.status_code == 200
    time.sleep(1.5)
    assert channel_server.graph.sent_to(phone) == []


def test_retried_message_is_processed_once(channel_server):
    phone = p.phone()
    photo = p.wa_body([p.wa_message(phone, "image", {"id": "media-9"}, mid=f"wamid.photo-{phone}")])
    text = p.wa_text(phone, "wat is zorgtoeslag", mid=f"wamid.text-{phone}")
    for _ in range(3):
        assert p.post_whatsapp(channel_server.base, photo).status_code == 200
    assert _texts(channel_server, phone, settle=1.5) == [texts()["only_text"]]
    for _ in range(3):
        assert p.post_whatsapp(channel_server.base, text).status_code == 200
    replies = channel_server.graph.texts(_sent(channel_server, phone, 2, settle=2.0))[1:]
    assert any("Zorgtoeslag" in t for t in replies)
    assert len(replies) == len(set(replies)), "one answer, not three"


# the output channel on its own (staff replies later use it like this)


async def test_more_than_three_buttons_become_a_list(channel_server):
    out, store = _output(channel_server)
    phone = p.phone()
    store.record_inbound("whatsapp", _id(phone))
    long_payload = "/kies" + json.dumps({"regeling": "x" * 300})
    buttons = [
        {"title": f"Optie nummer {i} met een lange titel", "payload": f"/kies_{i}"}
        for i in range(4)
    ]
    buttons.append({"title": "Lang", "payload": long_payload})
    await out.send_text_with_buttons(phone, "Waar gaat het om?", buttons)
    (body,) = channel_server.graph.sent_to(phone)
    inter = body["interactive"]
    assert inter["type"] == "list" and inter["body"]["text"] == "Waar gaat het om?"
    assert len(inter["action"]["button"]) <= 20
    rows = inter["action"]["sections"][0]["rows"]
    assert len(rows) == 5 and all(len(r["title"]) <= 24 for r in rows)
    assert rows[0]["id"] == "/kies_0" and rows[0]["description"].startswith("Optie nummer 0")
    assert rows[4]["id"].startswith("k:") and store.payload(rows[4]["id"]) == long_payload


async def test_more_than_ten_buttons_become_two_lists(channel_server):
    out, store = _output(channel_server)
    phone = p.phone()
    store.record_inbound("whatsapp", _id(phone))
    await out.send_text_with_buttons(
        phone, "Kies", [{"title": str(i), "payload": str(i)} for i in range(12)]
    )
    bodies = channel_server.graph.sent_to(phone)
    assert [len(b["interactive"]["action"]["sections"][0]["rows"]) for b in bodies] == [10, 2]


async def test_long_text_is_split_at_4096(channel_server):
    out, store = _output(channel_server)
    phone = p.phone()
    store.record_inbound("whatsapp", _id(phone))
    text = "\n\n".join((f"Alinea {i}. " + "woord " * 100).strip() for i in range(15))
    await out.send_text_message(phone, text)
    parts = channel_server.graph.texts(channel_server.graph.sent_to(phone))
    assert len(parts) == 3 and all(len(t) <= 4096 for t in parts)
    assert "\n\n".join(parts) == text.strip()


async def test_outside_24h_sends_only_the_template(channel_server):
    out, store = _output(
        channel_server, template_name="bestaanswijzer_vervolg", template_language="nl"
    )
    phone = p.phone()
    store.record_inbound("whatsapp", _id(phone), ts=time.time() - 25 * 3600)
    await out.send_text_message(phone, "Een medewerker heeft je vraag bekeken.")
    (body,) = channel_server.graph.sent_to(phone)
    assert body["type"] == "template"
    assert body["template"] == {"name": "bestaanswijzer_vervolg", "language": {"code": "nl"}}
    entries = [e for e in store.outbox("whatsapp") if e.recipient == _id(phone)]
    assert [e.reason for e in entries] == ["outside_24h_template_sent"]


async def test_outside_24h_without_template_goes_to_outbox(channel_server, caplog):
    out, store = _output(channel_server, template_name="")
    phone = p.phone()  # never wrote to us: outside the window too
    with caplog.at_level(logging.DEBUG, logger="channels"):
        await out.send_text_message(phone, "Een medewerker heeft je vraag bekeken.")
    time.sleep(0.2)
    assert channel_server.graph.sent_to(phone) == []
    (entry,) = [e for e in store.outbox("whatsapp") if e.recipient == _id(phone)]
    assert entry.reason == "outside_24h" and entry.text == "Een medewerker heeft je vraag bekeken."
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(mask(_id(phone)) in w for w in warnings)
    assert not any(phone in r.getMessage() for r in caplog.records)


async def test_send_to_resident_uses_environment_and_keeps_what_it_cannot_deliver(
    channel_server, monkeypatch
):
    """The staff-reply entry point: settings from the environment (no server in this process);
    undelivered -> False and kept once in the outbox for the resident's next contact."""
    p.use_whatsapp_env(monkeypatch, channel_server.whatsapp_creds)
    phone = p.phone()
    assert await send_to_resident(phone, "Hallo vanaf een medewerker") is False
    assert channel_server.graph.sent_to(phone) == []
    kept = [e for e in WhatsAppOutput().store.outbox("whatsapp") if e.recipient == _id(phone)]
    assert [(e.text, e.reason) for e in kept] == [("Hallo vanaf een medewerker", "outside_24h")]
    WhatsAppOutput().store.record_inbound("whatsapp", _id(phone))
    assert await send_to_resident(phone, "Tweede bericht") is True
    assert channel_server.graph.texts(channel_server.graph.sent_to(phone)) == [
        "Hallo vanaf een medewerker",
        "Tweede bericht",
    ], "what waited goes first"


async def test_wrong_token_is_kept_in_outbox_without_phone_in_logs(channel_server, caplog):
    out, store = _output(channel_server, token="verkeerd")
    phone = p.phone()
    store.record_inbound("whatsapp", _id(phone))
    with caplog.at_level(logging.INFO, logger="channels"):
        await out.send_text_message(phone, "geheim bericht")
    assert [e.reason for e in store.outbox("whatsapp") if e.recipient == _id(phone)] == [
        "send_failed"
    ]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "status=401" in logged and phone not in logged and "geheim bericht" not in logged
