"""What all channels share: the same conversation gives the same answers over REST, Telegram and
WhatsApp; settings decide which channels are enabled; logs never show who said what."""

from __future__ import annotations

import httpx
import pytest
from rasa.shared.exceptions import RasaException

from channels.common import mask, texts
from channels.settings import (
    TELEGRAM_CLASS,
    WHATSAPP_CLASS,
    TelegramSettings,
    configured_channels,
    read_dotenv,
)
from channels.telegram import TelegramInput
from tests.fakes import payloads as p

TURNS = ["hoi", "wat is zorgtoeslag", "en hoe vraag ik dat aan?"]


def paragraphs(messages: list[str]) -> list[str]:
    """Bot texts as paragraphs (REST sends each paragraph as its own message), without the
    channel's own 'choose an option' line."""
    out = [part.strip() for m in messages for part in m.split("\n\n")]
    return [part for part in out if part and part != texts()["choose"]]


def _rest_turn(server, sender: str, text: str) -> list[str]:
    body = {"sender": sender, "message": text}
    resp = httpx.post(f"{server.base}/webhooks/rest/webhook", json=body, timeout=60)
    resp.raise_for_status()
    return paragraphs([m["text"] for m in resp.json() if m.get("text")])


def _channel_turn(fake, sent, post, expected: int) -> list[str]:
    """Post one message, wait for as many paragraphs as REST gave, and a bit more for strays."""
    before = len(sent())
    post()
    fake.wait_for(lambda _: len(paragraphs(sent()[before:])) >= expected, timeout=15, settle=0.7)
    return paragraphs(sent()[before:])


def test_same_conversation_on_rest_telegram_and_whatsapp(channel_server):
    s = channel_server
    sender, cid, phone = f"rest-{p.phone()}", p.chat_id(), p.phone()
    for turn in TURNS:
        rest = _rest_turn(s, sender, turn)
        assert rest, f"{turn!r}: REST gave no text"
        telegram = _channel_turn(
            s.telegram,
            lambda: s.telegram.sent_texts(cid),
            lambda turn=turn: p.post_telegram(s.base, p.tg_text(cid, turn)),
            len(rest),
        )
        whatsapp = _channel_turn(
            s.graph,
            lambda: s.graph.texts(s.graph.sent_to(phone)),
            lambda turn=turn: p.post_whatsapp(s.base, p.wa_text(phone, turn)),
            len(rest),
        )
        assert telegram == rest, f"{turn!r}: Telegram differs from REST"
        assert whatsapp == rest, f"{turn!r}: WhatsApp differs from REST"
        if turn == "wat is zorgtoeslag":
            assert any("Zorgtoeslag" in t for t in rest)


# settings

FULL = {
    "TELEGRAM_TOKEN": "1:abc",
    "TELEGRAM_SECRET_TOKEN": "geheim",
    "WHATSAPP_TOKEN": "t",
    "WHATSAPP_APP_SECRET": "a",
    "WHATSAPP_VERIFY_TOKEN": "v",
    "WHATSAPP_PHONE_NUMBER_ID": "123",
}


def test_configured_channels_only_when_complete():
    assert configured_channels({}) == {}
    both = configured_channels(FULL)
    assert set(both) == {TELEGRAM_CLASS, WHATSAPP_CLASS}
    assert both[TELEGRAM_CLASS]["secret_token"] == "geheim"
    assert both[WHATSAPP_CLASS]["api_base"] == "https://graph.facebook.com/v20.0"
    assert both[WHATSAPP_CLASS]["template_language"] == "nl"
    partial = {k: v for k, v in FULL.items() if k != "WHATSAPP_APP_SECRET"}
    assert set(configured_channels(partial)) == {TELEGRAM_CLASS}


def test_telegram_webhook_refused_without_secret(caplog):
    env = {"TELEGRAM_TOKEN": "1:abc"}
    assert configured_channels(env) == {}
    assert "TELEGRAM_SECRET_TOKEN" in caplog.text
    with pytest.raises(RasaException):
        TelegramInput.from_credentials({"token": "1:abc"})
    with pytest.raises(RasaException):
        TelegramInput(TelegramSettings(token="1:abc", secret_token=""))


def test_dotenv_is_read_and_environment_wins(tmp_path, monkeypatch):
    from channels import settings

    env_file = tmp_path / ".env"
    env_file.write_text(
        "# geheimen, niet committen\nexport TELEGRAM_TOKEN='1:uit-env-bestand'\n"
        'TELEGRAM_SECRET_TOKEN="s3cr=t"\n\nONZIN\nWHATSAPP_TOKEN=uit-bestand\n',
        encoding="utf8",
    )
    assert read_dotenv(env_file)["TELEGRAM_SECRET_TOKEN"] == "s3cr=t"
    monkeypatch.setenv("WHATSAPP_TOKEN", "uit-omgeving")
    merged = settings.environment(env_file)
    assert merged["TELEGRAM_TOKEN"] == "1:uit-env-bestand"
    assert merged["WHATSAPP_TOKEN"] == "uit-omgeving"


def test_serve_adds_configured_channels(monkeypatch):
    from bot import serve

    for key, value in FULL.items():
        monkeypatch.setenv(key, value)
    creds = serve.channel_credentials()
    assert {serve.REST, TELEGRAM_CLASS, WHATSAPP_CLASS} <= set(creds)


def test_mask_is_stable_and_hides_the_number():
    assert mask("31612345678") == mask("31612345678") != mask("31612345679")
    assert "612345678" not in mask("31612345678")
