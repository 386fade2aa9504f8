"""Fake WhatsApp Cloud (Graph) API: ``POST /v20.0/<phone_number_id>/messages`` with a Bearer
token; records the JSON bodies and answers like Meta does."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from tests.fakes.base import Call, FakeServer

PATH = re.compile(r"^/(?P<version>v\d+\.\d+)/(?P<phone>[^/]+)/messages$")


class FakeGraphAPI(FakeServer):
    def __init__(self, token: str, phone_number_id: str, version: str = "v20.0") -> None:
        super().__init__()
        self.token = token
        self.phone_number_id = phone_number_id
        self.version = version
        self.base_url = f"{self.url}/{version}"
        self._ids = itertools.count(1)
        self._fail_next: dict[str, list[tuple[int, dict[str, Any]]]] = {}

    def fail_next(self, recipient: str, answers: list[tuple[int, dict[str, Any]]]) -> None:
        """Answer the next messages to ``recipient`` with these (status, error body), one each,
        e.g. the throughput error 130429 from ``tests/fixtures/whatsapp/error_throughput.json``."""
        with self._lock:
            self._fail_next[recipient] = list(answers)

    def route(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        match = PATH.match(path.split("?", 1)[0])
        if verb != "POST" or not match or match["version"] != self.version:
            return 404, _error("Unknown path components", 2500)
        auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
        if auth != f"Bearer {self.token}":
            return 401, _error("Invalid OAuth access token.", 190)
        if match["phone"] != self.phone_number_id:
            return 400, _error("Unsupported post request.", 100)
        try:
            data = json.loads(body)
        except ValueError:
            return 400, _error("Invalid JSON", 100)
        # "to" is a phone number, "recipient" a business-scoped user id; "to" wins when both
        # are given (Meta's "Business-scoped user IDs" page, Messages API changes).
        address = data.get("to") or data.get("recipient")
        if data.get("messaging_product") != "whatsapp" or not address:
            return 400, _error("(#100) Invalid parameter", 100)
        problem = _invalid_interactive(data)
        if problem:  # Meta refuses the whole message: 131009 "Parameter value is not valid"
            self.record(Call(data.get("type", "text"), data, headers, {"error": problem}))
            return 400, _error(f"(#131009) Parameter value is not valid: {problem}", 131009)
        with self._lock:
            queue = self._fail_next.get(address)
            failure = queue.pop(0) if queue else None
        if failure is not None:
            self.record(Call(data.get("type", "text"), data, headers, failure[1]))
            return failure
        wamid = f"wamid.fake{next(self._ids):08d}"
        contact = {"input": address}
        contact["wa_id" if data.get("to") else "user_id"] = address
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [contact],
            "messages": [{"id": wamid}],
        }
        self.record(Call(data.get("type", "text"), data, headers, answer))
        return 200, answer

    def sent_to(self, recipient: str, failed: bool = False) -> list[dict[str, Any]]:
        """Bodies accepted for a phone number (``to``) or a business-scoped user id
        (``recipient``); with ``failed``, the refused ones too."""
        return [c.params for c in self._calls_to(recipient, failed)]

    def _calls_to(self, recipient: str, failed: bool = False) -> list[Call]:
        return self.recorded(
            lambda c: (c.params.get("to") or c.params.get("recipient")) == recipient
            and (failed or "error" not in (c.answer or {}))
        )

    def message_ids(self, recipient: str) -> list[str]:
        """The ``wamid`` we answered for each message to ``recipient``, in order."""
        return [c.answer["messages"][0]["id"] for c in self._calls_to(recipient)]

    @staticmethod
    def texts(bodies: list[dict[str, Any]]) -> list[str]:
        """Visible text of sent messages: text bodies and interactive bodies."""
        out = []
        for b in bodies:
            if b["type"] == "text":
                out.append(b["text"]["body"])
            elif b["type"] == "interactive":
                out.append(b["interactive"]["body"]["text"])
        return out


def _error(message: str, code: int) -> dict[str, Any]:
    return {"error": {"message": message, "type": "OAuthException", "code": code}}


def _invalid_interactive(data: dict[str, Any]) -> str | None:
    """What Meta's interactive-message pages forbid: more than 3 reply buttons, a button title
    over 20 or a row title over 24 characters, more than 10 rows, equal ids or titles, a body
    over 1024 characters, a CTA URL without display text or URL."""
    if data.get("type") != "interactive":
        return None
    inter = data.get("interactive") or {}
    if len((inter.get("body") or {}).get("text") or "") > 1024:
        return "body too long"
    action = inter.get("action") or {}
    if inter.get("type") == "button":
        items = [(b["reply"]["id"], b["reply"]["title"], 20) for b in action.get("buttons", [])]
        if not 1 <= len(items) <= 3:
            return "1 to 3 buttons"
    elif inter.get("type") == "list":
        rows = [r for sec in action.get("sections", []) for r in sec.get("rows", [])]
        items = [(r["id"], r["title"], 24) for r in rows]
        if not 1 <= len(items) <= 10 or len(action.get("button") or "") > 20:
            return "1 to 10 rows, button up to 20"
    elif inter.get("type") == "cta_url":
        params = action.get("parameters") or {}
        ok = params.get("url") and 0 < len(params.get("display_text") or "") <= 20
        return None if ok else "cta_url needs url and display_text up to 20"
    else:
        return "unknown interactive type"
    if any(len(title) > limit or not title for _, title, limit in items):
        return "title too long"
    if len({i for i, _, _ in items}) != len(items) or len({t for _, t, _ in items}) != len(items):
        return "ids and titles must be unique"
    return None
