"""WhatsApp Cloud API channel for Rasa.

Webhook: ``GET /webhooks/whatsapp/webhook`` answers Meta's verification handshake; ``POST``
checks ``X-Hub-Signature-256`` (HMAC-SHA256 of the raw body with the app secret), answers 200 at
once and handles the messages in the background. Meta retries deliveries, so message ids are
de-duplicated in a bounded in-memory LRU (a restart forgets them; a retry after a restart is rare
and at worst answered twice).

Replies go out through the Graph API (``POST /{phone_number_id}/messages``). WhatsApp only allows
free-form messages within 24 hours of the resident's last message (counted from the message's own
``timestamp``, so a late webhook retry does not reopen the window); outside it we send the
configured template, or, without one, keep the message in the outbox (``channels.store``).

Privacy: Rasa never sees the phone number or business-scoped user id. It gets a pseudonym
(``channels.whatsapp_ids``); the address is kept Fernet-encrypted in the channel store so replies
can be sent. The output channel accepts a pseudonym from Rasa, or a phone number or BSUID from
code, and keys every table by the pseudonym.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import whatsapp_buttons, whatsapp_ids
from channels.common import Background, ChannelLog, SeenIds, texts
from channels.delivery_state import apply_status, parse_statuses
from channels.intake import Intake
from channels.pending import flush
from channels.retry import RETRY_WAITS, BrokenOff
from channels.settings import WhatsAppSettings
from channels.store import ChannelStore

TEXT_LIMIT = whatsapp_buttons.TEXT_LIMIT
WINDOW_SECONDS = 24 * 3600
KEY_PREFIX = whatsapp_buttons.KEY_PREFIX
CHANNEL = "whatsapp"
IGNORED_TYPES = {"reaction", "system"}
TEMPLATE_SENT = "outside_24h_template_sent"
TEMPLATE_REPLY = "button"  # a tapped quick-reply button of a template message
# Throughput and rate limits Meta asks to retry with backoff ("Error codes" page): 4 and 80007
# (app / account rate limit), 130429 (phone number throughput), 131056 (pair rate limit).
RETRY_CODES = {4, 80007, 130429, 131056}

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
log = ChannelLog(__name__)


def signature(app_secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends for ``body``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


class WhatsAppOutput(OutputChannel):
    """Sends to one resident through the Graph API; also usable outside a user turn (staff)."""

    def __init__(
        self,
        settings: WhatsAppSettings | None = None,
        store: ChannelStore | None = None,
        client: httpx.AsyncClient | None = None,
        keep_undelivered: bool = True,
        waits: tuple[float, ...] = RETRY_WAITS,
    ) -> None:
        self.settings = settings or WhatsAppSettings.from_env()
        self.store = store or ChannelStore(self.settings.state_db)
        self.client = client
        self.keep_undelivered = keep_undelivered  # False: the caller keeps it (staff outbox)
        self.waits = waits
        self.broken = BrokenOff(self.store, CHANNEL, log, keep_undelivered)

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def resolve(self, recipient_id: str) -> tuple[str, str]:
        """(pseudonym, address) for a pseudonym, a phone number or a business-scoped user id."""
        return whatsapp_ids.resolve(self.store, recipient_id)

    def in_window(self, recipient_id: str) -> bool:
        """Did the resident write to us in the last 24 hours?"""
        last = self.store.last_inbound(CHANNEL, self.resolve(recipient_id)[0])
        return last is not None and time.time() - last < WINDOW_SECONDS

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_text(recipient_id, text)

    async def send_text(self, recipient_id: str, text: str) -> bool:
        """Send text (split at 4096); True when it was delivered, not kept or templated."""
        return await self._deliver(recipient_id, whatsapp_buttons.text_bodies(text), text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._deliver(recipient_id, whatsapp_buttons.build(text, buttons, self.store), text)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._deliver(recipient_id, [{"type": "image", "image": {"link": image}}], image)

    async def _deliver(self, recipient_id: str, bodies: list[dict[str, Any]], text: str) -> bool:
        """Send inside the 24-hour window; outside it, the template or the outbox.
        True only when the message itself (not just a template) was delivered."""
        sender, address = self.resolve(recipient_id)
        if self.broken.broken(sender):  # an earlier part of this answer was kept: keep order
            self.broken.keep(sender, [text], "rest_of_answer")
            return False
        if not self.in_window(sender):
            await self._outside_window(sender, address, text)
            return False
        for i, body in enumerate(bodies):
            if not await self._post(sender, address, body, _visible(body)):
                self.broken.keep(sender, [_visible(b) for b in bodies[i:]], "send_failed")
                return False
        return True

    def _keep(self, sender: str, text: str, reason: str) -> None:
        if self.keep_undelivered:
            self.store.add_outbox(CHANNEL, sender, text, reason)

    async def _outside_window(self, sender: str, address: str, text: str) -> None:
        s = self.settings
        if not s.template_name:
            log.warning("whatsapp.outside_24h.no_template.undelivered", sender)
            self._keep(sender, text, "outside_24h")
            return
        if any(
            e.delivered is None and e.reason == TEMPLATE_SENT
            for e in self.store.outbox(CHANNEL, sender)
        ):  # one invitation is enough: the tap delivers everything that waits
            self._keep(sender, text, TEMPLATE_SENT)
            return
        template = {"name": s.template_name, "language": {"code": s.template_language}}
        if await self._post(sender, address, {"type": "template", "template": template}):
            log.info("whatsapp.outside_24h.template_sent", sender)
            self._keep(sender, text, TEMPLATE_SENT)
        else:
            self._keep(sender, text, "send_failed")

    async def _post(
        self, recipient_id: str, address: str, body: dict[str, Any], text: str = ""
    ) -> bool:
        """POST one message to ``address`` (phone number: ``to``; BSUID: ``recipient``);
        logs name the pseudonym ``recipient_id``. The message id Meta returns is recorded with
        ``text`` (encrypted), so status webhooks can tell staff what happened to it."""
        s = self.settings
        url = f"{s.api_base.rstrip('/')}/{s.phone_number_id}/messages"
        payload: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        payload[whatsapp_ids.address_field(address)] = address
        payload.update(body)
        headers = {"Authorization": f"Bearer {s.token}"}
        for attempt, wait in enumerate((*self.waits, None)):
            try:
                if self.client is not None:
                    resp = await self.client.post(url, json=payload, headers=headers, timeout=15)
                else:
                    async with httpx.AsyncClient(timeout=15) as client:
                        resp = await client.post(url, json=payload, headers=headers)
            except httpx.HTTPError as exc:
                log.warning("whatsapp.send.failed", recipient_id, error=type(exc).__name__)
                if wait is None:
                    return False
                await asyncio.sleep(wait)
                continue
            code = _error_code(resp) if resp.status_code >= 400 else None
            if (code in RETRY_CODES or resp.status_code >= 500) and wait is not None:
                log.info("whatsapp.send.retry", recipient_id, code=code, attempt=attempt + 1)
                await asyncio.sleep(wait)
                continue
            break
        if resp.status_code >= 400:
            log.warning("whatsapp.send.failed", recipient_id, status=resp.status_code, code=code)
            return False
        log.debug("whatsapp.sent", recipient_id, type=body["type"])
        wamid = _message_id(resp)
        if wamid:
            self.store.record_sent(CHANNEL, recipient_id, wamid, body["type"], text)
        return True


_ACTIVE: list[WhatsAppSettings] = []  # the settings of the input channel this server runs


def active_settings() -> WhatsAppSettings:
    """The running server's WhatsApp settings, else the environment's."""
    return _ACTIVE[-1] if _ACTIVE else WhatsAppSettings.from_env()


async def send_to_resident(recipient_id: str, text: str) -> bool:
    """Push a text outside a user turn (staff replies). True when delivered; otherwise it is
    kept in the outbox for the resident's next contact, and when the 24-hour window is closed
    the template (with its quick-reply button) invites the resident back."""
    out = WhatsAppOutput(active_settings())
    sender = out.resolve(recipient_id)[0]
    if out.in_window(sender):  # what waited goes first, so nothing overtakes it
        quiet = WhatsAppOutput(out.settings, out.store, keep_undelivered=False)
        if out.store.outbox(CHANNEL, sender) and not await flush_all(quiet, sender):
            out.store.add_outbox(CHANNEL, sender, text, "rest_of_answer")
            return False
    return await out.send_text(recipient_id, text)


async def flush_all(out: WhatsAppOutput, sender: str) -> bool:
    """Deliver everything waiting for ``sender``; True when nothing is left."""
    await flush(out.store, CHANNEL, sender, lambda t: out.send_text(sender, t))
    return not [e for e in out.store.outbox(CHANNEL, sender) if e.delivered is None]


def _visible(body: dict[str, Any]) -> str:
    """The text a resident sees in a message body (kept with its delivery state)."""
    if body["type"] == "text":
        return body["text"]["body"]
    if body["type"] == "interactive":
        return body["interactive"]["body"]["text"]
    return ""


def _message_id(resp: httpx.Response) -> str | None:
    """The ``wamid`` of a sent message from the Graph API's answer."""
    try:
        messages = resp.json().get("messages") or []
        return str(messages[0]["id"]) if messages else None
    except (ValueError, AttributeError, KeyError, TypeError, IndexError):
        return None


def _error_code(resp: httpx.Response) -> Any:
    try:
        return resp.json().get("error", {}).get("code")
    except (ValueError, AttributeError):
        return None


@dataclass
class Inbound:
    """One resident message from a webhook: ``text`` is None for types we cannot read.
    ``phone`` and ``user_id`` (BSUID) identify the resident; either may be missing."""

    phone: str | None
    user_id: str | None
    message_id: str
    kind: str
    text: str | None
    timestamp: float | None = None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def parse_messages(data: dict[str, Any], phone_number_id: str) -> Iterator[Inbound]:
    """The resident messages in a webhook body (``statuses`` are read by
    ``channels.delivery_state``; other numbers are skipped)."""
    for entry in _dicts(data.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if not isinstance(value, dict):
                continue
            meta = value.get("metadata") or {}
            if isinstance(meta, dict) and meta.get("phone_number_id") not in (
                None,
                phone_number_id,
            ):
                continue
            contacts = _dicts(value.get("contacts"))
            for msg in _dicts(value.get("messages")):
                phone, user_id = _str(msg.get("from")), _str(msg.get("from_user_id"))
                if user_id is None and len(contacts) == 1:  # the one contact is the sender
                    user_id = _str(contacts[0].get("user_id"))
                mid, kind = _str(msg.get("id")), str(msg.get("type") or "")
                if (phone or user_id) and mid and kind not in IGNORED_TYPES:
                    text = _message_text(msg)
                    yield Inbound(phone, user_id, mid, kind, text, _timestamp(msg))


def sent_at(msg: Inbound, now: float | None = None) -> float:
    """When the resident sent ``msg``: its ``timestamp``, never later than now (a clock ahead
    must not stretch the 24-hour window); now when the field is missing."""
    now = time.time() if now is None else now
    return now if msg.timestamp is None else min(msg.timestamp, now)


def _str(value: Any) -> str | None:
    """A non-empty id as text (Meta sends strings; numbers are accepted too)."""
    return str(value) if isinstance(value, (str, int)) and str(value) else None


def _timestamp(msg: dict[str, Any]) -> float | None:
    """The message's own send time (Unix seconds, a string in Meta's payloads), if readable."""
    try:
        return float(msg["timestamp"])
    except (KeyError, TypeError, ValueError):
        return None


def _message_text(msg: dict[str, Any]) -> str | None:
    part = msg.get(msg.get("type") or "")
    if not isinstance(part, dict):
        return None
    if msg["type"] == "text":
        return part.get("body") or None
    if msg["type"] == "interactive":
        reply = part.get("button_reply") or part.get("list_reply") or {}
        return reply.get("id") if isinstance(reply, dict) else None
    if msg["type"] == "button":  # quick-reply button of a template
        return part.get("payload") or part.get("text") or None
    return None


class WhatsAppInput(InputChannel):
    """Rasa input channel ``channels.whatsapp.WhatsAppInput``."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(WhatsAppSettings.from_credentials(credentials))

    def __init__(self, settings: WhatsAppSettings) -> None:
        if settings.missing:
            raise RasaException(
                f"WhatsApp niet ingesteld: {', '.join(settings.missing)} ontbreekt."
            )
        self.settings = settings
        self.store = ChannelStore(settings.state_db)
        self.intake = Intake(CHANNEL, self.store)
        self.seen = SeenIds()
        self.background = Background(log)
        _ACTIVE.append(settings)  # staff replies go out with these settings (channels.delivery)

    def get_output_channel(self) -> OutputChannel:
        return WhatsAppOutput(self.settings, self.store)

    def _resolve(self, text: str, kind: str) -> str | None:
        if kind == "interactive" and text.startswith(KEY_PREFIX):
            return self.store.payload(text)
        return text

    def sender(self, msg: Inbound) -> str:
        """The pseudonym of the resident who sent ``msg`` (phone number and/or BSUID)."""
        return whatsapp_ids.resident(self.store, msg.phone, msg.user_id)[0]

    async def _flush(self, sender: str) -> int:
        """Deliver what waited for this resident (staff replies, kept answers) first."""
        out = WhatsAppOutput(self.settings, self.store, keep_undelivered=False)
        return await flush(self.store, CHANNEL, sender, lambda t: out.send_text(sender, t))

    async def _handle(self, messages: list[Inbound], on_new_message: OnNewMessage) -> None:
        out = WhatsAppOutput(self.settings, self.store)
        for msg in messages:
            sender = self.sender(msg)
            log.info("whatsapp.message", sender, type=msg.kind)
            delivered = await self._flush(sender)
            if msg.kind == TEMPLATE_REPLY:
                # The quick-reply button of our template: the resident is back to read what
                # waited. It is no question for the bot (issue #22 item 1).
                if not delivered:
                    await out.send_text_message(sender, texts()["nothing_waiting"])
                continue
            text = self._resolve(msg.text, msg.kind) if msg.text else None
            if text is None:
                key = "only_text" if msg.text is None else "button_expired"
                await out.send_text_message(sender, texts()[key])
                continue

            async def reply(answer: str, sender: str = sender) -> None:
                await out.send_text_message(sender, answer)

            async def to_rasa(masked: str, sender: str = sender, mid: str = msg.message_id) -> None:
                await on_new_message(
                    UserMessage(masked, out, sender, input_channel=CHANNEL, message_id=mid)
                )

            await self.intake.handle(sender, text, reply, to_rasa)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint("whatsapp_webhook", __name__)
        s = self.settings

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            ok = request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), s.verify_token.encode()
            )
            if not ok:
                log.warning("whatsapp.verify.forbidden")
                return response.text("forbidden", status=403)
            return response.text(request.args.get("hub.challenge") or "")

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            body = request.body or b""
            given = request.headers.get("X-Hub-Signature-256", "")
            if not hmac.compare_digest(given.encode(), signature(s.app_secret, body).encode()):
                log.warning("whatsapp.signature.forbidden")
                return response.json({"error": "forbidden"}, status=403)
            try:
                data = json.loads(body)
            except (ValueError, RecursionError):
                return response.json({"error": "bad request"}, status=400)
            if not isinstance(data, dict):
                return response.json({"error": "bad request"}, status=400)
            for status in parse_statuses(data, s.phone_number_id):
                apply_status(self.store, status)
            fresh = [
                m
                for m in parse_messages(data, s.phone_number_id)
                if not self.seen.seen_before(m.message_id)
            ]
            for m in fresh:  # the window starts when the resident sent it, not when it arrived
                self.store.record_inbound(CHANNEL, self.sender(m), sent_at(m))
            if fresh:
                self.background.spawn(self._handle(fresh, on_new_message))
            return response.json({"ok": True})

        return bp
