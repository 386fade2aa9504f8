"""Telegram channel: webhook security, replies through python-telegram-bot against a fake Bot
API, buttons and callbacks, our own commands, non-text messages, polling and set-webhook."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from channels.common import split_text, texts, utf16_len
from channels.settings import TelegramSettings
from channels.store import ChannelStore
from channels.telegram import TelegramOutput, callback_data, make_bot, resolve_callback
from tests import fakes
from tests.fakes import payloads as p


def _replies(server, cid: int, n: int = 1, settle: float = 0.3) -> list[str]:
    """Wait until at least ``n`` messages went to ``cid``; return their texts."""
    server.telegram.wait_for(lambda _: len(server.telegram.sent_texts(cid)) >= n, settle=settle)
    return server.telegram.sent_texts(cid)


# units


def test_split_9000_chars_on_paragraphs():
    paragraphs = [f"Alinea {i}. " + "woord " * 110 for i in range(14)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    assert len(text) > 9000
    parts = split_text(text, 4096, utf16_len)
    assert len(parts) == 3
    assert all(utf16_len(part) <= 4096 for part in parts)
    assert all(part.startswith("Alinea") for part in parts)  # cut between paragraphs
    assert "\n\n".join(parts) == text


def test_split_without_spaces_or_with_emoji_stays_within_limit():
    assert [len(x) for x in split_text("x" * 9000, 4096)] == [4096, 4096, 808]
    emoji = "🙂" * 3000  # 2 UTF-16 units each
    parts = split_text(emoji, 4096, utf16_len)
    assert all(utf16_len(x) <= 4096 for x in parts) and "".join(parts) == emoji
    assert split_text("kort", 4096) == ["kort"]


def test_long_callback_payload_gets_a_short_key(tmp_path):
    store = ChannelStore(tmp_path / "s.db")
    assert callback_data("/vraag_mens", store) == "/vraag_mens"
    long = "/kies_regeling" + '{"regeling": "' + "zorgtoeslag " * 10 + '"}'
    key = callback_data(long, store)
    assert len(key.encode()) <= 64 and key != long
    assert callback_data(long, store) == key  # stable
    assert resolve_callback(key, store) == long
    assert resolve_callback("k:unknown", store) is None
    assert resolve_callback("wat is zorgtoeslag", store) == "wat is zorgtoeslag"


# webhook security and parsing


def test_missing_or_wrong_secret_is_403(channel_server):
    cid = p.chat_id()
    assert (
        p.post_telegram(channel_server.base, p.tg_text(cid, "hoi"), secret=None).status_code == 403
    )
    assert (
        p.post_telegram(channel_server.base, p.tg_text(cid, "hoi"), secret="fout").status_code
        == 403
    )
    time.sleep(0.5)
    assert channel_server.telegram.calls_to("sendMessage", cid) == []


# (an authenticated but unreadable update: tests/test_telegram_tolerance.py)


# conversations


def test_text_message_gets_typing_then_answer(channel_server):
    cid = p.chat_id()
    resp = p.post_telegram(channel_server.base, p.tg_text(cid, "wat is zorgtoeslag"))
    assert resp.status_code == 200
    replies = _replies(channel_server, cid)
    assert any("Zorgtoeslag" in r for r in replies)
    calls = [
        c for c in channel_server.telegram.recorded() if str(c.params.get("chat_id")) == str(cid)
    ]
    assert calls[0].method == "sendChatAction" and calls[0].params["action"] == "typing"
    assert all("parse_mode" not in c.params for c in calls)


def test_buttons_become_inline_keyboard_and_callback_is_answered(channel_server):
    cid = p.chat_id()
    expected = {b["title"]: b["payload"] for b in p.domain_buttons("utter_greet")}
    assert expected, "the greeting should have buttons"
    p.post_telegram(channel_server.base, p.tg_text(cid, "hoi"))
    channel_server.telegram.wait_for(
        lambda _: any(
            c.params.get("reply_markup")
            for c in channel_server.telegram.calls_to("sendMessage", cid)
        )
    )
    with_keyboard = [
        c
        for c in channel_server.telegram.calls_to("sendMessage", cid)
        if c.params.get("reply_markup")
    ]
    rows = with_keyboard[0].params["reply_markup"]["inline_keyboard"]
    assert {row[0]["text"]: row[0]["callback_data"] for row in rows} == expected

    # The greeting of a first contact is two messages (the keyboard, then the privacy notice):
    # count from after both, or the notice arriving late passes for the answer to the tap.
    before = len(_replies(channel_server, cid, 2, settle=0.5))
    payload = (
        "wat is zorgtoeslag"
        if "wat is zorgtoeslag" in expected.values()
        else rows[0][0]["callback_data"]
    )
    update = p.tg_callback(cid, payload)
    assert p.post_telegram(channel_server.base, update).status_code == 200
    _replies(channel_server, cid, before + 1)
    answered = channel_server.telegram.calls_to("answerCallbackQuery")
    assert any(c.params["callback_query_id"] == update["callback_query"]["id"] for c in answered)
    if payload == "wat is zorgtoeslag":
        channel_server.telegram.wait_for(
            lambda _: any(
                "Zorgtoeslag" in r for r in channel_server.telegram.sent_texts(cid)[before:]
            )
        )


async def test_long_payload_button_round_trip(channel_server):
    """A payload over 64 bytes is sent as a short key and resolved by the server on callback."""
    cid = p.chat_id()
    settings = TelegramSettings.from_credentials(channel_server.telegram_creds)
    payload = "wat is zorgtoeslag, ik wil graag precies weten wat dat is en voor wie het is"
    async with make_bot(settings) as bot:
        out = TelegramOutput(bot, ChannelStore(settings.state_db))
        await out.send_text_with_buttons(str(cid), "Kies:", [{"title": "Zorg", "payload": payload}])
    key = channel_server.telegram.calls_to("sendMessage", cid)[0].params["reply_markup"]
    key = key["inline_keyboard"][0][0]["callback_data"]
    assert key.startswith("k:") and len(key.encode()) <= 64
    p.post_telegram(channel_server.base, p.tg_callback(cid, key))
    assert any("Zorgtoeslag" in r for r in _replies(channel_server, cid, 2)[1:])


@pytest.mark.parametrize("command", ["start", "help", "stop"])
def test_own_commands_answer_from_yaml(channel_server, command):
    cid = p.chat_id()
    p.post_telegram(channel_server.base, p.tg_text(cid, f"/{command}"))
    assert _replies(channel_server, cid) == [texts()[command]]


def test_start_says_what_is_stored():
    assert "/verwijder" in texts()["start"] and "bewaren" in texts()["start"]


def test_other_command_passes_through_to_rasa(channel_server):
    cid = p.chat_id()
    p.post_telegram(channel_server.base, p.tg_text(cid, "/what_can_you_do@bestaanswijzer_test_bot"))
    assert any("Bestaanswijzer" in r for r in _replies(channel_server, cid))


@pytest.mark.parametrize(
    "content",
    [
        {"photo": [{"file_id": "f", "file_unique_id": "u", "width": 90, "height": 90}]},
        {"voice": {"file_id": "v", "file_unique_id": "u", "duration": 3}},
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "u",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"location": {"latitude": 52.37, "longitude": 4.89}},
    ],
)
def test_non_text_gets_only_text_hint(channel_server, content):
    cid = p.chat_id()
    assert p.post_telegram(channel_server.base, p.tg_message(cid, **content)).status_code == 200
    assert _replies(channel_server, cid) == [texts()["only_text"]]
    assert "alleen tekst" in texts()["only_text"]


def test_edited_messages_and_channel_posts_are_ignored(channel_server):
    cid = p.chat_id()
    edited = p.tg_text(cid, "wat is zorgtoeslag")
    edited["edited_message"] = {**edited.pop("message"), "edit_date": int(time.time())}
    post = p.tg_text(cid, "wat is zorgtoeslag")
    post["channel_post"] = {**post.pop("message"), "chat": {"id": cid, "type": "channel"}}
    for update in (edited, post):
        assert p.post_telegram(channel_server.base, update).status_code == 200
    time.sleep(1.5)
    assert [
        c for c in channel_server.telegram.recorded() if str(c.params.get("chat_id")) == str(cid)
    ] == []


def test_retried_update_is_processed_once(channel_server):
    cid = p.chat_id()
    update = p.tg_text(cid, "/help")
    for _ in range(3):
        assert p.post_telegram(channel_server.base, update).status_code == 200
    assert _replies(channel_server, cid, settle=1.0) == [texts()["help"]]


async def test_send_to_resident_outside_a_turn(channel_server, monkeypatch):
    from channels.telegram import send_to_resident

    monkeypatch.setenv("TELEGRAM_TOKEN", fakes.TELEGRAM_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE", channel_server.telegram.base_url)
    monkeypatch.setenv("BW_CHANNELS_DB", channel_server.state_db)
    cid = p.chat_id()
    await send_to_resident(str(cid), "Hallo vanaf een medewerker")
    assert channel_server.telegram.sent_texts(cid) == ["Hallo vanaf een medewerker"]


# polling mode and the CLI


async def test_polling_once_answers_through_rest(channel_server):
    from channels.telegram_cli import poll

    cid = p.chat_id()
    channel_server.telegram.push(p.tg_text(cid, "wat is zorgtoeslag"))
    settings = TelegramSettings.from_credentials(channel_server.telegram_creds)
    assert await poll(settings, channel_server.base, once=True) == 1
    assert channel_server.telegram.calls_to("deleteWebhook")
    assert channel_server.telegram.calls_to("sendChatAction", cid)
    assert any("Zorgtoeslag" in t for t in channel_server.telegram.sent_texts(cid))
    assert await poll(settings, channel_server.base, once=True) == 0  # confirmed, not redelivered


def _cli(args: list[str], telegram_fake, secret: str = fakes.TELEGRAM_SECRET):
    env = {
        **os.environ,
        "TELEGRAM_TOKEN": fakes.TELEGRAM_TOKEN,
        "TELEGRAM_SECRET_TOKEN": secret,
        "TELEGRAM_API_BASE": telegram_fake.base_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "channels.telegram", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_set_webhook_command_sends_secret(channel_server):
    result = _cli(["set-webhook", "https://bw.example.org/"], channel_server.telegram)
    assert result.returncode == 0, result.stderr
    call = channel_server.telegram.calls_to("setWebhook")[-1]
    assert call.params["url"] == "https://bw.example.org/webhooks/telegram/webhook"
    assert call.params["secret_token"] == fakes.TELEGRAM_SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query"]


def test_set_webhook_refuses_without_secret(channel_server):
    before = len(channel_server.telegram.calls_to("setWebhook"))
    result = _cli(["set-webhook", "https://bw.example.org"], channel_server.telegram, secret="")
    assert result.returncode != 0 and "TELEGRAM_SECRET_TOKEN" in result.stderr
    assert len(channel_server.telegram.calls_to("setWebhook")) == before


def test_a_failing_typing_indicator_does_not_stop_the_message(channel_server):
    """Issue #22 item 3: sendChatAction answers 429 (as the Bot API does under load); the
    message still reaches the bot and the answer is sent."""
    cid = p.chat_id()
    channel_server.telegram.failing["sendChatAction"] = 429
    try:
        assert (
            p.post_telegram(channel_server.base, p.tg_text(cid, "wat is zorgtoeslag")).status_code
            == 200
        )
        assert any("Zorgtoeslag" in r for r in _replies(channel_server, cid))
    finally:
        channel_server.telegram.failing.pop("sendChatAction", None)


def test_group_chats_get_one_line_and_nothing_reaches_the_bot(channel_server):
    """Issue #22 item 5: debt advice is not given in a group; the group gets one polite line."""
    gid = -p.chat_id()
    update = p.tg_text(gid, "ik heb schulden, wat nu")
    update["message"]["chat"] = {"id": gid, "type": "group", "title": "Familie"}
    assert p.post_telegram(channel_server.base, update).status_code == 200
    replies = _replies(channel_server, gid, settle=1.0)
    assert len(replies) == 1 and "privégesprek" in replies[0]
