"""The REST channels: ``/webhooks/bw/...`` for residents and ``/webhooks/rest/...`` (Rasa's REST
protocol, used by tests and tools), both with the privacy and robustness steps of
``channels.intake`` and an outbox.

Like Rasa's REST channel, a POST returns the bot's answers. The sender id the client sends never
reaches Rasa: Rasa gets a keyed hash (``channels.identity.pseudonym``). Messages that arrive later
(a staff member's reply after a handoff) wait in the outbox: they come first in the next answer,
and ``GET /webhooks/<name>/messages?sender=...`` fetches them. Bad input gets a 4xx, never a 500.

Exposed to the outside (``BW_REST_SESSIONS=signed``), the client sends no sender: the server hands
out a signed session id (``channels.sessions``) and checks it on every call.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.cases import default_store
from channels.intake import Intake, mask_inbound
from channels.sessions import new_session, verify
from channels.settings import DEFAULT_STATE_DB, environment
from channels.store import ChannelStore
from knowledge.text import clean_surrogates

logger = logging.getLogger(__name__)
CHANNEL = "bw"
MAX_SENDER = 200
# Client metadata is small by design (a language, a client version): larger or deeper is refused
# before any processing, so one request cannot stall the server (issue #19 item 2).
MAX_METADATA_BYTES = 2048
MAX_METADATA_DEPTH = 4


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def _body(request: Request) -> Any:
    """The JSON body, or None when it is not valid JSON (any content type is accepted)."""
    try:
        return json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a JSON value, counted up to ``limit + 1`` (no deep recursion)."""
    depth, level = 0, [value]
    while level and depth <= limit:
        depth += 1
        nxt: list[Any] = []
        for v in level:
            if isinstance(v, dict):
                nxt += list(v.values())
            elif isinstance(v, list):
                nxt += v
        level = nxt if nxt else []
    return depth if not level else limit + 1


def clean_metadata(metadata: Any) -> tuple[dict[str, Any] | None, str | None]:
    """(metadata to pass on, error): small, shallow JSON objects only, every key and string
    masked like a message (no personal data at rest, issue #19 item 3)."""
    if metadata is None:
        return None, None
    if not isinstance(metadata, dict):
        return None, "'metadata' moet een JSON-object zijn"
    if _depth(metadata, MAX_METADATA_DEPTH) > MAX_METADATA_DEPTH:
        return None, f"'metadata' is te diep genest (maximaal {MAX_METADATA_DEPTH} niveaus)"
    raw = json.dumps(metadata, ensure_ascii=False)
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_METADATA_BYTES:
        return None, f"'metadata' is te groot (maximaal {MAX_METADATA_BYTES} bytes)"

    def masked(v: Any) -> Any:
        if isinstance(v, str):
            return mask_inbound(clean_surrogates(v))
        if isinstance(v, dict):
            return {mask_inbound(clean_surrogates(str(k))): masked(x) for k, x in v.items()}
        if isinstance(v, list):
            return [masked(x) for x in v]
        return v

    return masked(metadata), None


def _take_outbox(sender: str) -> list[str]:
    """Waiting staff messages; none (not a 500) when the case database is unavailable."""
    try:
        return default_store().take_outbox(sender)
    except Exception:  # noqa: BLE001 - the messages stay in the outbox for the next try
        logger.error("outbox niet bereikbaar", exc_info=False)
        return []


def _valid_sender(sender: Any) -> bool:
    return isinstance(sender, str) and bool(sender.strip()) and len(sender) <= MAX_SENDER


class ResidentRestInput(InputChannel):
    """REST for residents, with delivery of staff replies."""

    def __init__(self, state_db: str | None = None, sessions: str | None = None) -> None:
        env = environment()
        path = state_db or env.get("BW_CHANNELS_DB") or str(DEFAULT_STATE_DB)
        self.intake = Intake(self.name(), ChannelStore(path), always_tell=True)
        # "signed" when the channel is reachable from outside: the server hands out the
        # conversation id (channels.sessions); "open" (default) takes the client's sender.
        self.signed = (sessions or env.get("BW_REST_SESSIONS") or "open").strip() == "signed"

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(credentials.get("state_db"), credentials.get("sessions"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint(f"bestaanswijzer_{self.name()}", __name__)
        channel = self.name()

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = _body(request)
            if body is None:
                return _error(400, "body is geen geldige JSON")
            if not isinstance(body, dict):
                return _error(400, "verwacht een JSON-object met 'sender' en 'message'")
            text = body.get("message")
            if self.signed:
                if "sender" in body:
                    return _error(400, "stuur geen 'sender' maar 'session' (leeg: nieuw gesprek)")
                session = body.get("session") or new_session()
                given = verify(session)
                if given is None:
                    return _error(401, "sessie ongeldig: begin een nieuw gesprek zonder 'session'")
                recipient = session
            else:
                given = body.get("sender")
                if isinstance(given, str):
                    given = clean_surrogates(given)
                if not _valid_sender(given):
                    return _error(400, "'sender' ontbreekt of is ongeldig")
                recipient = given
            if not isinstance(text, str):
                return _error(400, "'message' ontbreekt of is geen tekst")
            text = clean_surrogates(text)
            metadata, problem = clean_metadata(body.get("metadata"))
            if problem:
                return _error(400, problem)
            sender = self.intake.sender(given, remember=False)
            collector = CollectingOutputChannel()
            own: list[dict[str, Any]] = []

            async def reply(answer: str) -> None:
                own.append({"recipient_id": recipient, "text": answer})

            async def to_rasa(masked: str) -> None:
                await on_new_message(
                    UserMessage(
                        masked,
                        collector,
                        sender,
                        input_channel=channel,
                        metadata=metadata,
                    )
                )

            pending = [{"recipient_id": recipient, "text": t} for t in _take_outbox(sender)]
            if text.strip():
                await self.intake.handle(sender, text, reply, to_rasa)
            answers = [{**m, "recipient_id": recipient} for m in collector.messages]
            headers = {"X-BW-Session": recipient} if self.signed else None
            return response.json(pending + answers + own, headers=headers)

        @bp.route("/messages", methods=["GET"])
        async def messages(request: Request) -> HTTPResponse:
            if self.signed:
                recipient = request.args.get("session")
                given = verify(recipient)
                if given is None:
                    return _error(401, "sessie ongeldig")
            else:
                given = recipient = request.args.get("sender")
                if not _valid_sender(given):
                    return _error(400, "'sender' ontbreekt")
            sender = self.intake.sender(given, remember=False)
            return response.json(
                [{"recipient_id": recipient, "text": t} for t in _take_outbox(sender)]
            )

        return bp


class RestInput(ResidentRestInput):
    """Rasa's ``rest`` channel replaced: same URL and protocol, same privacy steps."""

    @classmethod
    def name(cls) -> str:
        return "rest"
