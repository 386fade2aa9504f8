"""Fake Telegram Bot API: ``POST /bot<TOKEN>/<method>`` with form-encoded or JSON parameters,
answering ``{"ok": true, "result": ...}`` like the real one, and recording every call."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
import time
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes.base import Call, FakeServer

PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")
BOT_USER = {
    "id": 7000001,
    "is_bot": True,
    "first_name": "Bestaanswijzer",
    "username": "bestaanswijzer_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


def decode(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """Parameters from a JSON or form-encoded body (PTB sends forms with JSON-encoded values)."""
    ctype = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    if not body:
        return {}
    if ctype.startswith("application/json"):
        return json.loads(body)
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        if value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        params[key] = value
    return params


class FakeTelegramAPI(FakeServer):
    """Use ``Bot(token, base_url=fake.base_url)``; queue updates for getUpdates with ``push``."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.base_url = self.url + "/bot"
        self._ids = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._updates_lock = threading.Lock()
        #: method -> HTTP status to answer with, as the Bot API does (429 with retry_after).
        self.failing: dict[str, int] = {}
        self._fail_next: dict[tuple[str, str], list[int]] = {}

    def fail_next(self, method: str, chat_id: int | str, statuses: list[int]) -> None:
        """Answer the next calls of ``method`` for ``chat_id`` with these HTTP statuses, one
        each (429 carries ``retry_after``: 1, as the Bot API's flood control does)."""
        with self._updates_lock:
            self._fail_next[(method, str(chat_id))] = list(statuses)

    def _next_failure(self, method: str, params: dict[str, Any]) -> int | None:
        with self._updates_lock:
            queue = self._fail_next.get((method, str(params.get("chat_id"))))
            return queue.pop(0) if queue else None

    def push(self, update: dict[str, Any]) -> None:
        with self._updates_lock:
            self._updates.append(update)

    def route(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        match = PATH.match(path.split("?", 1)[0])
        if verb != "POST" and not match:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if not match or match["token"] != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        try:
            params = decode(headers, body)
        except ValueError:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: bad body"}
        method = match["method"]
        failure = self._next_failure(method, params)
        self.record(Call(method, params, headers, "failed" if failure else None))
        if failure is None and method in self.failing:
            failure = self.failing[method]
        if failure is not None:
            return failure, _error(failure)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method"}
        return 200, {"ok": True, "result": handler(params)}

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "from": BOT_USER,
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            **extra,
        }

    def _getMe(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802 - API names
        return BOT_USER

    def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        extra = {"text": params["text"]}
        if params.get("reply_markup"):
            extra["reply_markup"] = params["reply_markup"]
        return self._message(params, **extra)

    def _sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        photo = {"file_id": "photo1", "file_unique_id": "p1", "width": 1, "height": 1}
        return self._message(params, photo=[photo])

    def _sendChatAction(self, params: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _answerCallbackQuery(self, params: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _setWebhook(self, params: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _deleteWebhook(self, params: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: N802
        offset = int(params.get("offset") or 0)
        with self._updates_lock:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            return list(self._updates)

    # assertion helpers
    def sent_texts(self, chat_id: int | str) -> list[str]:
        """Texts of the sendMessage calls that succeeded."""
        return [c.params["text"] for c in self.calls_to("sendMessage", chat_id) if not c.answer]

    def calls_to(self, method: str, chat_id: int | str | None = None) -> list[Call]:
        return self.recorded(
            lambda c: c.method == method
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        )


def _error(code: int) -> dict[str, Any]:
    """An error answer as the Bot API gives it ("Making requests", "ResponseParameters")."""
    error: dict[str, Any] = {"ok": False, "error_code": code}
    if code == 429:
        error.update(description="Too Many Requests: retry after 1", parameters={"retry_after": 1})
    elif code == 400:
        error["description"] = "Bad Request: chat not found"
    else:
        error["description"] = "Forbidden: bot was blocked by the user"
    return error
