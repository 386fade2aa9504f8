"""Issue #22 item 2: WhatsApp residents known only by a business-scoped user id (BSUID), as
Meta sends them once a resident sets a username. Webhook bodies follow Meta's documentation
(``tests/fixtures/whatsapp/*.json``, each naming its page)."""

from __future__ import annotations

import sqlite3

from channels.identity import pseudonym
from channels.settings import WhatsAppSettings
from channels.store import ChannelStore
from channels.whatsapp import WhatsAppOutput, parse_messages
from channels.whatsapp_ids import resident, resolve
from tests import fakes
from tests.fakes import payloads as p


def _answers(server, address: str, n: int = 1) -> list[dict]:
    server.graph.wait_for(lambda _: len(server.graph.sent_to(address)) >= n, timeout=20, settle=0.5)
    return server.graph.sent_to(address)


def test_fixtures_name_their_documentation():
    for name in ("message_text_username", "message_text_phone_and_user_id"):
        assert "business-scoped-user-ids" in p.wa_fixture_doc(name)


def test_parser_reads_a_message_with_only_a_business_scoped_user_id():
    uid = p.bsuid()
    body = p.wa_fixture("message_text_username", BSUID=uid, MESSAGE_BODY_TEXT="hoi")
    assert "from" not in body["entry"][0]["changes"][0]["value"]["messages"][0]
    (msg,) = parse_messages(body, fakes.WHATSAPP_PHONE_ID)
    assert (msg.phone, msg.user_id, msg.text) == (None, uid, "hoi")


def test_message_with_only_a_user_id_is_answered_through_recipient(channel_server):
    """Before: dropped silently with 200. Now answered, addressed with ``recipient``."""
    uid = p.bsuid()
    body = p.wa_fixture("message_text_username", BSUID=uid, MESSAGE_BODY_TEXT="wat is zorgtoeslag")
    assert p.post_whatsapp(channel_server.base, body).status_code == 200
    sent = _answers(channel_server, uid)
    assert all(b["recipient"] == uid and "to" not in b for b in sent)
    assert any("Zorgtoeslag" in t for t in channel_server.graph.texts(sent))
    # the 24-hour window is kept for the user id's pseudonym
    store = ChannelStore(channel_server.state_db)
    assert store.last_inbound("whatsapp", pseudonym("whatsapp", uid)) is not None


def test_no_user_id_or_username_in_the_clear_in_the_channel_store(channel_server):
    uid = p.bsuid()
    body = p.wa_fixture(
        "message_text_username", BSUID=uid, MESSAGE_BODY_TEXT="hoi", USERNAME="geheimenaam77"
    )
    p.post_whatsapp(channel_server.base, body)
    _answers(channel_server, uid)
    with sqlite3.connect(channel_server.state_db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = "\n".join(str(row) for t in tables for row in con.execute(f"SELECT * FROM {t}"))
    assert uid not in dump and uid.split(".")[1] not in dump and "geheimenaam77" not in dump
    log = channel_server.log_file.read_text(encoding="utf8", errors="replace")
    assert uid.split(".")[1] not in log and "geheimenaam77" not in log


def test_a_resident_who_hides_the_number_keeps_the_conversation(channel_server):
    """First message with number and BSUID, the next with only the BSUID (username set): one
    resident, one pseudonym, one window; replies keep going to the number Meta gave first."""
    phone, uid = p.phone(), p.bsuid()
    first = p.wa_fixture(
        "message_text_phone_and_user_id",
        WHATSAPP_USER_PHONE_NUMBER=phone,
        BSUID=uid,
        MESSAGE_BODY_TEXT="wat is zorgtoeslag",
    )
    p.post_whatsapp(channel_server.base, first)
    n = len(_answers(channel_server, phone))
    second = p.wa_fixture(
        "message_text_username", BSUID=uid, MESSAGE_BODY_TEXT="wat is huurtoeslag"
    )
    p.post_whatsapp(channel_server.base, second)
    sent = _answers(channel_server, phone, n + 1)
    assert any("Huurtoeslag" in t for t in channel_server.graph.texts(sent[n:]))
    assert channel_server.graph.sent_to(uid) == []
    store = ChannelStore(channel_server.state_db)
    assert resident(store, None, uid)[0] == pseudonym("whatsapp", phone)
    assert store.last_inbound("whatsapp", pseudonym("whatsapp", uid)) is None  # one window


def test_resolve_accepts_a_pseudonym_a_number_or_a_user_id(tmp_path):
    store = ChannelStore(tmp_path / "c.db")
    phone, uid = p.phone(), p.bsuid()
    sender, address = resident(store, phone, uid)
    assert resolve(store, sender) == (sender, phone)
    assert resolve(store, uid) == (sender, phone)  # the alias, not a second resident
    other = p.bsuid()
    assert resolve(store, other) == (pseudonym("whatsapp", other), other)
    assert store.forget(sender) >= 2 and resident(store, None, uid)[0] == pseudonym("whatsapp", uid)


async def test_staff_entry_point_reaches_a_user_id(channel_server, monkeypatch):
    p.use_whatsapp_env(monkeypatch, channel_server.whatsapp_creds)
    from channels.whatsapp import send_to_resident

    uid = p.bsuid()
    assert await send_to_resident(uid, "Hallo") is False  # never wrote to us: outside the window
    out = WhatsAppOutput(WhatsAppSettings.from_env())
    out.store.take_outbox("whatsapp", out.resolve(uid)[0])
    out.store.record_inbound("whatsapp", out.resolve(uid)[0])
    assert await send_to_resident(uid, "Hallo vanaf een medewerker") is True
    (body,) = channel_server.graph.sent_to(uid)
    assert body["recipient"] == uid and body["text"]["body"] == "Hallo vanaf een medewerker"
