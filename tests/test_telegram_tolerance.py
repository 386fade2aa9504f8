"""Issue #22 item 10: Telegram's own sample updates (without ``chat.type``, ``is_bot`` or
``chat_instance``) are handled, and an authenticated update we cannot read is answered 200
(Telegram retries anything else) and ignored."""

from __future__ import annotations

import json
import time

import pytest
from telegram import Bot

from channels.common import texts
from channels.telegram_update import parse_update
from tests.fakes import payloads as p


def test_fixtures_name_their_documentation():
    for name in ("sample_message_text", "sample_callback_query"):
        raw = json.loads((p.TG_FIXTURES / f"{name}.json").read_text(encoding="utf8"))
        assert "core.telegram.org/bots/webhooks#testing-your-bot-with-updates" in raw["_doc"]


def test_samples_parse_with_documented_defaults():
    bot = Bot("1:a")
    update = parse_update(p.tg_fixture("sample_message_text", 4242), bot)
    assert update.message.chat.type == "private" and update.message.from_user.is_bot is False
    group = p.tg_fixture("sample_message_text", 4242)
    group["message"]["chat"]["id"] = -4242
    assert parse_update(group, bot).message.chat.type == "group"
    query = parse_update(p.tg_fixture("sample_callback_query", 4242), bot).callback_query
    assert query.chat_instance == "" and query.from_user.id == 4242
    assert parse_update({"update_id": "x"}, bot) is None
    assert parse_update({"update_id": 1, "message": {"chat": 5}}, bot) is None


def test_sample_text_update_is_answered(channel_server):
    cid = p.chat_id()
    resp = p.post_telegram(channel_server.base, p.tg_fixture("sample_message_text", cid))
    assert resp.status_code == 200
    channel_server.telegram.wait_for(lambda _: channel_server.telegram.sent_texts(cid))
    assert channel_server.telegram.sent_texts(cid) == [texts()["start"]]


def test_sample_callback_without_chat_instance_is_answered(channel_server):
    cid = p.chat_id()
    update = p.tg_fixture("sample_callback_query", cid, data="wat is zorgtoeslag")
    assert p.post_telegram(channel_server.base, update).status_code == 200
    channel_server.telegram.wait_for(
        lambda _: any("Zorgtoeslag" in t for t in channel_server.telegram.sent_texts(cid)),
        timeout=20,
    )
    answered = channel_server.telegram.calls_to("answerCallbackQuery")
    assert any(c.params["callback_query_id"] == update["callback_query"]["id"] for c in answered)


def _quiet(recorded, calm: float = 1.0, timeout: float = 15.0) -> int:
    """Wait until the shared fake has had no new call for ``calm`` seconds (an earlier test's
    retries or queued deliveries may still be running), and return the count of calls then."""
    deadline = time.monotonic() + timeout
    count = len(recorded())
    while time.monotonic() < deadline:
        time.sleep(calm)
        now = len(recorded())
        if now == count:
            return count
        count = now
    return count


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"[1, 2]",
        b'"tekst"',
        b'{"message": {"text": "hoi"}}',
        b"",
        b'{"update_id": 5, "message": 3}',
    ],
)
def test_authenticated_but_unreadable_update_is_200_and_ignored(channel_server, raw):
    before = _quiet(channel_server.telegram.recorded)
    resp = p.post_telegram(channel_server.base, None, raw=raw)
    assert resp.status_code == 200 and resp.json()["ignored"] is True
    time.sleep(0.3)
    assert len(channel_server.telegram.recorded()) == before


def test_unauthenticated_garbage_is_still_403(channel_server):
    assert (
        p.post_telegram(channel_server.base, None, raw=b"{not json", secret=None).status_code == 403
    )
