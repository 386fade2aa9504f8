"""``python -m channels.telegram``: set or delete the webhook, or run in polling mode.

Polling mode is for running without a public URL: it fetches updates with getUpdates and hands
them to the same :class:`~channels.telegram.TelegramHandler` the webhook uses, but sends each
message to a running Rasa REST endpoint (``python -m bot serve``) instead of an in-process agent,
then sends Rasa's replies back through Telegram. The REST channel delivers every paragraph as its
own message, so polled answers arrive as one Telegram message per paragraph.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import httpx
from rasa.core.channels.channel import UserMessage

from channels.common import ChannelLog
from channels.settings import TelegramSettings
from channels.store import ChannelStore
from channels.telegram import TelegramHandler, make_bot

WEBHOOK_PATH = "/webhooks/telegram/webhook"
ALLOWED_UPDATES = ["message", "callback_query"]
log = ChannelLog(__name__)


def webhook_url(url: str) -> str:
    """Accept the public base URL or the full webhook URL."""
    url = url.rstrip("/")
    return url if url.endswith(WEBHOOK_PATH) else url + WEBHOOK_PATH


def rest_forwarder(rest_url: str, client: httpx.AsyncClient):
    """An ``on_new_message`` that asks a running Rasa REST channel and relays its replies."""
    endpoint = rest_url.rstrip("/") + "/webhooks/rest/webhook"

    async def on_new_message(message: UserMessage) -> None:
        body = {"sender": message.sender_id, "message": message.text, "input_channel": "telegram"}
        resp = await client.post(endpoint, json=body, timeout=60)
        resp.raise_for_status()
        replies: list[dict[str, Any]] = resp.json()
        for reply in replies:
            reply.pop("recipient_id", None)
            await message.output_channel.send_response(message.sender_id, reply)

    return on_new_message


async def poll(settings: TelegramSettings, rest_url: str, once: bool = False) -> int:
    """Long-poll getUpdates and handle each update in order; returns the number handled."""
    bot = make_bot(settings)
    handled = 0
    async with bot, httpx.AsyncClient() as client:
        await bot.delete_webhook()  # getUpdates refuses to work while a webhook is set
        handler = TelegramHandler(bot, ChannelStore(settings.state_db))
        forward = rest_forwarder(rest_url, client)
        offset: int | None = None
        while True:
            updates = await bot.get_updates(
                offset=offset, timeout=0 if once else 30, allowed_updates=ALLOWED_UPDATES
            )
            for update in updates:
                offset = update.update_id + 1
                try:
                    await handler.handle(update, forward)
                except Exception as exc:  # one bad update must not stop the loop
                    log.error("telegram.poll.failed", error=type(exc).__name__)
                handled += 1
            if once:
                if offset is not None:  # confirm the batch so it is not fetched again
                    await bot.get_updates(offset=offset, timeout=0)
                return handled


async def set_webhook(settings: TelegramSettings, url: str, drop_pending: bool = False) -> str:
    url = webhook_url(url)
    async with make_bot(settings) as bot:
        await bot.set_webhook(
            url,
            secret_token=settings.secret_token,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=drop_pending,
        )
    return url


async def delete_webhook(settings: TelegramSettings) -> None:
    async with make_bot(settings) as bot:
        await bot.delete_webhook()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m channels.telegram", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("poll", help="getUpdates-lus naar een draaiende Rasa REST-server")
    p.add_argument("--rest-url", default="http://127.0.0.1:5005")
    p.add_argument("--once", action="store_true", help="één ronde ophalen en stoppen")
    p = sub.add_parser("set-webhook", help="setWebhook met secret_token")
    p.add_argument("url", help="publieke basis-URL of volledige webhook-URL (https)")
    p.add_argument("--drop-pending", action="store_true")
    sub.add_parser("delete-webhook", help="webhook verwijderen (nodig voor polling)")
    args = parser.parse_args(argv)

    settings = TelegramSettings.from_env()
    if not settings.token:
        parser.error("TELEGRAM_TOKEN ontbreekt (omgeving of .env)")
    if args.cmd == "poll":
        try:
            n = asyncio.run(poll(settings, args.rest_url, once=args.once))
        except KeyboardInterrupt:
            return 0
        print(f"{n} updates verwerkt.")
    elif args.cmd == "set-webhook":
        if not settings.secret_token:
            parser.error("TELEGRAM_SECRET_TOKEN ontbreekt: zonder geheim zet ik geen webhook.")
        print(
            f"Webhook ingesteld: {asyncio.run(set_webhook(settings, args.url, args.drop_pending))}"
        )
    else:
        asyncio.run(delete_webhook(settings))
        print("Webhook verwijderd.")
    return 0
