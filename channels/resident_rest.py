"""The resident REST channel (``/webhooks/bw/...``): Rasa's REST protocol plus an outbox.

Like Rasa's REST channel, a POST returns the bot's answers. Messages that arrive later (a staff
member's reply after a handoff) wait in the outbox: they come first in the next answer, and
``GET /webhooks/bw/messages?sender=...`` fetches them. Bad input gets a 4xx, never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.cases import default_store

logger = logging.getLogger(__name__)
MAX_TEXT = 4000
CHANNEL = "bw"


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class ResidentRestInput(InputChannel):
    """REST for residents and tests, with delivery of staff replies."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("bestaanswijzer_rest", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # sanic raises InvalidUsage on malformed JSON
                return _error(400, "body is geen geldige JSON")
            if not isinstance(body, dict):
                return _error(400, "verwacht een JSON-object met 'sender' en 'message'")
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > 200:
                return _error(400, "'sender' ontbreekt of is ongeldig")
            if not isinstance(text, str):
                return _error(400, "'message' ontbreekt of is geen tekst")
            if len(text) > MAX_TEXT:
                text = text[:MAX_TEXT]
            collector = CollectingOutputChannel()
            pending = [
                {"recipient_id": sender, "text": t} for t in default_store().take_outbox(sender)
            ]
            if text.strip():
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender,
                        input_channel=CHANNEL,
                        metadata=body.get("metadata"),
                    )
                )
            return response.json(pending + collector.messages)

        @bp.route("/messages", methods=["GET"])
        async def messages(request: Request) -> HTTPResponse:
            sender = request.args.get("sender")
            if not sender:
                return _error(400, "'sender' ontbreekt")
            return response.json(
                [{"recipient_id": sender, "text": t} for t in default_store().take_outbox(sender)]
            )

        return bp
