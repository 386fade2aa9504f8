"""Issue #22 items 4 and 9: rate limits and failing parts. Telegram's 429 with ``retry_after``
("Making requests" / ResponseParameters in the Bot API docs) is waited out and retried; WhatsApp's
throughput error 130429 ("Error codes" page, ``tests/fixtures/whatsapp/error_throughput.json``) is
retried with backoff. An answer arrives whole, or the part that failed and everything after it is
kept in the outbox, where staff see it, instead of arriving with a hole."""

from __future__ import annotations

import datetime as dt
import json
import time

from channels.delivery_state import for_case
from channels.identity import pseudonym
from channels.settings import TelegramSettings, WhatsAppSettings
from channels.store import ChannelStore
from channels.telegram import TelegramOutput, make_bot
from channels.whatsapp import WhatsAppOutput
from tests.fakes import payloads as p

ANSWER = ["Eerste deel over zorgtoeslag.", "Tweede deel: zo vraag je het aan.", "Derde deel."]
THROUGHPUT = json.loads((p.WA_FIXTURES / "error_throughput.json").read_text(encoding="utf8"))
THROUGHPUT.pop("_doc")
UNDELIVERABLE = {
    "error": {"message": "Message undeliverable", "type": "OAuthException", "code": 131026}
}


def _telegram(server) -> tuple[TelegramSettings, ChannelStore]:
    settings = TelegramSettings.from_credentials(server.telegram_creds)
    return settings, ChannelStore(settings.state_db)


def _whatsapp(server) -> tuple[WhatsAppOutput, ChannelStore]:
    settings = WhatsAppSettings.from_credentials(server.whatsapp_creds)
    store = ChannelStore(settings.state_db)
    return WhatsAppOutput(settings, store, waits=(0.05, 0.1, 0.2)), store


def test_throughput_fixture_names_its_documentation():
    assert "error-codes" in p.wa_fixture_doc("error_throughput")
    assert THROUGHPUT["error"]["code"] == 130429


async def test_telegram_429_is_waited_out_and_the_answer_arrives_whole(channel_server):
    tg = channel_server.telegram
    cid = p.chat_id()
    tg.fail_next("sendMessage", cid, [429])
    settings, store = _telegram(channel_server)
    started = time.monotonic()
    async with make_bot(settings) as bot:
        out = TelegramOutput(bot, store)
        for part in ANSWER:
            await out.send_text_message(str(cid), part)
    assert time.monotonic() - started >= 1.0, "retry_after (1 s) was respected"
    assert tg.sent_texts(cid) == ANSWER
    assert len(tg.calls_to("sendMessage", cid)) == len(ANSWER) + 1
    assert store.outbox("telegram", pseudonym("telegram", str(cid))) == []


async def test_telegram_part_that_keeps_failing_is_kept_with_the_rest(channel_server, db_url):
    tg = channel_server.telegram
    cid = p.chat_id()
    settings, store = _telegram(channel_server)
    async with make_bot(settings) as bot:
        out = TelegramOutput(bot, store, waits=(0.05,))
        await out.send_text_message(str(cid), ANSWER[0])
        tg.fail_next("sendMessage", cid, [400])  # e.g. "Bad Request": no use retrying
        for part in ANSWER[1:]:
            await out.send_text_message(str(cid), part)
    assert tg.sent_texts(cid) == ANSWER[:1]
    kept = store.outbox("telegram", pseudonym("telegram", str(cid)))
    assert [e.text for e in kept] == ANSWER[1:]
    assert [e.reason for e in kept] == ["send_failed BadRequest", "rest_of_answer"]
    # staff see what waits in the case
    waiting = for_case(pseudonym("telegram", str(cid)), dt.datetime.utcnow())["wachtrij"]
    assert [w["tekst"] for w in waiting] == ANSWER[1:]


async def test_whatsapp_throughput_error_is_retried_with_backoff(channel_server):
    graph = channel_server.graph
    out, store = _whatsapp(channel_server)
    phone = p.phone()
    store.record_inbound("whatsapp", pseudonym("whatsapp", phone))
    graph.fail_next(phone, [(400, THROUGHPUT), (400, THROUGHPUT)])
    for part in ANSWER:
        await out.send_text_message(phone, part)
    assert graph.texts(graph.sent_to(phone)) == ANSWER
    assert len(graph.sent_to(phone, failed=True)) == len(ANSWER) + 2
    assert store.outbox("whatsapp", pseudonym("whatsapp", phone)) == []


async def test_whatsapp_failing_part_keeps_the_rest_in_order(channel_server):
    graph = channel_server.graph
    out, store = _whatsapp(channel_server)
    phone = p.phone()
    store.record_inbound("whatsapp", pseudonym("whatsapp", phone))
    await out.send_text_message(phone, ANSWER[0])
    graph.fail_next(phone, [(400, UNDELIVERABLE)])  # not a rate limit: not retried
    for part in ANSWER[1:]:
        await out.send_text_message(phone, part)
    assert graph.texts(graph.sent_to(phone)) == ANSWER[:1]
    assert len(graph.sent_to(phone, failed=True)) == 2
    kept = store.outbox("whatsapp", pseudonym("whatsapp", phone))
    assert [(e.text, e.reason) for e in kept] == [
        (ANSWER[1], "send_failed"),
        (ANSWER[2], "rest_of_answer"),
    ]


async def test_whatsapp_gives_up_after_the_last_retry(channel_server):
    graph = channel_server.graph
    out, store = _whatsapp(channel_server)
    phone = p.phone()
    store.record_inbound("whatsapp", pseudonym("whatsapp", phone))
    graph.fail_next(phone, [(400, THROUGHPUT)] * 4)
    await out.send_text_message(phone, ANSWER[0])
    assert graph.sent_to(phone) == [] and len(graph.sent_to(phone, failed=True)) == 4
    assert [e.text for e in store.outbox("whatsapp", pseudonym("whatsapp", phone))] == ANSWER[:1]
