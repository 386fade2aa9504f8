"""Telegram channel for Rasa, on python-telegram-bot's own client (``telegram.Bot``).

Webhook: ``POST /webhooks/telegram/webhook``, authenticated by Telegram's secret-token header.
The update is answered with 200 at once and handled in the background (Telegram retries slow
webhooks). Replies are plain text (no parse mode, so nothing needs escaping), split at 4096
characters; buttons become an inline keyboard whose callback data is the payload.

Privacy: Rasa never sees the chat id. It gets a pseudonym (``channels.identity``); the chat id
is kept Fernet-encrypted in the channel store so replies can be sent, and is deleted with the
conversation. ``/verwijder`` asks Rasa to delete the conversation (``verwijder_gesprek``).

Run ``python -m channels.telegram --help`` for polling mode and setting the webhook.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType, InlineKeyboardButtonLimit, MessageLimit
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from channels.common import Background, ChannelLog, SeenIds, split_text, texts, utf16_len
from channels.identity import pseudonym
from channels.intake import Intake
from channels.pending import flush
from channels.retry import MAX_RETRY_AFTER, RETRY_WAITS, BrokenOff
from channels.settings import TelegramSettings
from channels.store import ChannelStore
from channels.telegram_update import parse_update

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
KEY_PREFIX = "k:"  # callback data that is a short key for a long payload
OWN_COMMANDS = {"/start": "start", "/help": "help", "/stop": "stop"}
RASA_COMMANDS = {"/verwijder": "/verwijder_gesprek"}  # command -> intent payload
CHANNEL = "telegram"

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
log = ChannelLog(__name__)


def make_bot(settings: TelegramSettings) -> Bot:
    """A ``telegram.Bot`` for these settings; ``api_base`` lets tests use a fake Bot API."""
    return Bot(
        settings.token,
        base_url=settings.api_base,
        request=HTTPXRequest(connection_pool_size=8, read_timeout=15),
        get_updates_request=HTTPXRequest(read_timeout=40),
    )


def callback_data(payload: str, store: ChannelStore) -> str:
    """The payload itself when it fits Telegram's 64 bytes, else a stored short key."""
    fits = len(payload.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
    if payload and fits and not payload.startswith(KEY_PREFIX):
        return payload
    return store.short_key(payload, KEY_PREFIX)


def resolve_callback(data: str, store: ChannelStore) -> str | None:
    """The payload behind callback data (None for a short key we no longer know)."""
    return store.payload(data) if data.startswith(KEY_PREFIX) else data


class TelegramOutput(OutputChannel):
    """Sends Rasa's replies to one chat through ``telegram.Bot``; usable outside a user turn.

    A 429 is retried after its ``retry_after``, a timeout or network error with backoff
    (``channels.retry``); when a part still fails, it and the rest of the turn's answer are kept
    in the outbox (``keep_undelivered``) rather than sent with a hole in it."""

    def __init__(
        self,
        bot: Bot,
        store: ChannelStore,
        keep_undelivered: bool = True,
        waits: tuple[float, ...] = RETRY_WAITS,
    ) -> None:
        self.bot = bot
        self.store = store
        self.waits = waits
        self.broken = BrokenOff(store, CHANNEL, log, keep_undelivered)

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def chat_id(self, recipient_id: str) -> str:
        """The real chat id behind a pseudonym; a real chat id is passed through."""
        return self.store.address(CHANNEL, str(recipient_id)) or str(recipient_id)

    def sender(self, recipient_id: str) -> str:
        """The pseudonym for a pseudonym or a chat id (what the outbox is keyed by)."""
        rid = str(recipient_id)
        return rid if self.store.address(CHANNEL, rid) is not None else pseudonym(CHANNEL, rid)

    async def _call(self, send: Callable[[], Awaitable[Any]]) -> Any:
        """One Bot API call, retried after a 429 (its ``retry_after``) or a network error."""
        for attempt, wait in enumerate((*self.waits, None)):
            try:
                return await send()
            except RetryAfter as exc:
                pause = float(exc.retry_after)
                if wait is None or pause > MAX_RETRY_AFTER:
                    raise
                log.info("telegram.retry_after", seconds=pause, attempt=attempt + 1)
                await asyncio.sleep(pause)
            except BadRequest:  # our request is wrong: trying again does not help
                raise
            except NetworkError:  # timeouts included
                if wait is None:
                    raise
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def _send_parts(
        self, recipient_id: str, parts: list[str], keyboard: InlineKeyboardMarkup | None = None
    ) -> bool:
        """Send ``parts`` in order (the keyboard on the last); True when all went out."""
        chat_id, sender = self.chat_id(recipient_id), self.sender(recipient_id)
        for i, part in enumerate(parts):
            if self.broken.broken(sender):
                self.broken.keep(sender, parts[i:], "rest_of_answer")
                return False
            markup = keyboard if i == len(parts) - 1 else None
            try:
                await self._call(
                    lambda part=part, markup=markup: self.bot.send_message(
                        chat_id=chat_id, text=part, reply_markup=markup
                    )
                )
            except TelegramError as exc:
                log.warning("telegram.send.failed", sender, error=type(exc).__name__)
                self.broken.keep(sender, parts[i:], f"send_failed {type(exc).__name__}")
                return False
        return True

    async def send_text(self, recipient_id: str, text: str) -> bool:
        """Send text (split at 4096); True when every part was delivered."""
        parts = split_text(text, MessageLimit.MAX_TEXT_LENGTH, utf16_len)
        ok = await self._send_parts(recipient_id, parts)
        if ok:
            log.debug("telegram.sent", self.sender(recipient_id))
        return ok

    async def send_typing(self, recipient_id: str) -> None:
        """Best effort: a typing indicator that fails (429, 403, timeout) must never stop the
        message from reaching the bot (issue #22 item 3)."""
        try:
            await self.bot.send_chat_action(
                chat_id=self.chat_id(recipient_id), action=ChatAction.TYPING
            )
        except TelegramError as exc:
            log.warning("telegram.typing_failed", reason=type(exc).__name__)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_text(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        parts = split_text(text or texts()["choose"], MessageLimit.MAX_TEXT_LENGTH, utf16_len)
        keyboard = InlineKeyboardMarkup([[self._button(b)] for b in buttons])
        await self._send_parts(recipient_id, parts, keyboard)

    def _button(self, button: dict[str, Any]) -> InlineKeyboardButton:
        title = str(button.get("title") or button.get("payload") or "")
        if button.get("url"):
            return InlineKeyboardButton(title, url=button["url"])
        payload = str(button.get("payload") or title)
        return InlineKeyboardButton(title, callback_data=callback_data(payload, self.store))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        chat_id = self.chat_id(recipient_id)
        try:
            await self._call(lambda: self.bot.send_photo(chat_id=chat_id, photo=image))
        except TelegramError as exc:
            log.warning("telegram.send.failed", self.sender(recipient_id), error=type(exc).__name__)


_ACTIVE: list[TelegramSettings] = []  # the settings of the input channel this server runs


async def send_to_resident(chat_id: str, text: str) -> bool:
    """Push a text outside a user turn (staff replies), with the running server's settings
    (else the environment's). True when delivered; otherwise it is kept in the outbox and goes
    out on the resident's next message."""
    settings = _ACTIVE[-1] if _ACTIVE else TelegramSettings.from_env()
    store = ChannelStore(settings.state_db)
    async with make_bot(settings) as bot:
        out = TelegramOutput(bot, store)
        sender = out.sender(chat_id)
        quiet = TelegramOutput(bot, store, keep_undelivered=False)
        await flush(store, CHANNEL, sender, lambda t: quiet.send_text(chat_id, t))
        if [e for e in store.outbox(CHANNEL, sender) if e.delivered is None]:
            store.add_outbox(CHANNEL, sender, text, "rest_of_answer")  # keep the order
            return False
        return await out.send_text(chat_id, text)


class TelegramHandler:
    """Turns one ``Update`` into work: our own commands, callbacks, text for Rasa, or a hint."""

    def __init__(self, bot: Bot, store: ChannelStore) -> None:
        self.bot = bot
        self.store = store
        self.intake = Intake(CHANNEL, store)
        self._ready = False

    async def _output(self) -> TelegramOutput:
        if not self._ready:  # getMe once: checks the token and caches the bot's user
            await self.bot.initialize()
            self._ready = True
        return TelegramOutput(self.bot, self.store)

    async def handle(self, update: Update, on_new_message: OnNewMessage) -> None:
        if update.callback_query is not None:
            await self._callback(update, on_new_message)
            return
        msg = update.message  # edited messages, channel posts and the rest: nothing to do
        if msg is None:
            return
        out = await self._output()
        chat_id = str(msg.chat_id)
        if msg.chat.type != ChatType.PRIVATE:
            # Money trouble is private: in a group everyone would read it and share one
            # conversation. One polite line, nothing to Rasa, nothing stored (issue #22 item 5).
            log.info("telegram.not_private", chat_type=str(msg.chat.type))
            await out.send_text_message(chat_id, texts()["only_private"])
            return
        if msg.text is None:
            log.info("telegram.not_text", self.intake.sender(chat_id, remember=False))
            await out.send_text_message(chat_id, texts()["only_text"])
            return
        text = msg.text.strip()
        command = text.split(maxsplit=1)[0].split("@", 1)[0].lower() if text[:1] == "/" else ""
        if command in OWN_COMMANDS:
            log.info(
                "telegram.command", self.intake.sender(chat_id, remember=False), command=command
            )
            await out.send_text_message(chat_id, texts()[OWN_COMMANDS[command]])
            return
        if command in RASA_COMMANDS:
            text = RASA_COMMANDS[command]
        elif command:  # other commands go to Rasa as typed, without the "@botname" suffix
            text = command + text[len(text.split(maxsplit=1)[0]) :]
        await self._to_rasa(out, chat_id, text, on_new_message)

    async def _callback(self, update: Update, on_new_message: OnNewMessage) -> None:
        query = update.callback_query
        out = await self._output()
        await self.bot.answer_callback_query(query.id)
        chat_id = str(query.message.chat.id if query.message else query.from_user.id)
        payload = resolve_callback(query.data or "", self.store)
        if not payload:
            await out.send_text_message(chat_id, texts()["button_expired"])
            return
        await self._to_rasa(out, chat_id, payload, on_new_message)

    async def _to_rasa(
        self, out: TelegramOutput, chat_id: str, text: str, on_new_message: OnNewMessage
    ) -> None:
        sender = self.intake.sender(chat_id)
        log.info("telegram.message", sender)
        # What waited (a staff reply whose push failed, a kept part) goes out first.
        flusher = TelegramOutput(self.bot, self.store, keep_undelivered=False)
        await flush(self.store, CHANNEL, sender, lambda t: flusher.send_text(chat_id, t))

        async def reply(answer: str) -> None:
            await out.send_text_message(chat_id, answer)

        async def to_rasa(masked: str) -> None:
            await out.send_typing(chat_id)
            await on_new_message(UserMessage(masked, out, sender, input_channel=CHANNEL))

        await self.intake.handle(sender, text, reply, to_rasa)


class TelegramInput(InputChannel):
    """Rasa input channel ``channels.telegram.TelegramInput`` (webhook mode)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(TelegramSettings.from_credentials(credentials))

    def __init__(self, settings: TelegramSettings) -> None:
        if not settings.token or not settings.secret_token:
            raise RasaException(
                "Telegram-webhook geweigerd: token en secret_token zijn allebei nodig "
                "(TELEGRAM_TOKEN, TELEGRAM_SECRET_TOKEN)."
            )
        self.settings = settings
        self.store = ChannelStore(settings.state_db)
        self.bot = make_bot(settings)
        self.handler = TelegramHandler(self.bot, self.store)
        _ACTIVE.append(settings)  # staff replies go out with these settings (channels.delivery)
        self.seen = SeenIds()
        self.background = Background(log)

    def get_output_channel(self) -> OutputChannel:
        return TelegramOutput(self.bot, self.store)

    def _authorized(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), self.settings.secret_token.encode())

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint("telegram_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self._authorized(request):
                log.warning("telegram.forbidden")
                return response.json({"error": "forbidden"}, status=403)
            try:
                data = json.loads(request.body or b"")
            except (ValueError, RecursionError):
                data = None
            update = parse_update(data, self.bot)
            if update is None:  # authenticated, so from Telegram: a 4xx would be retried
                log.warning("telegram.unreadable_update")
                return response.json({"ok": True, "ignored": True})
            if not self.seen.seen_before(str(update.update_id)):
                self.background.spawn(self.handler.handle(update, on_new_message))
            return response.json({"ok": True})

        return bp


if __name__ == "__main__":
    import sys

    from channels.telegram_cli import main

    sys.exit(main())
