"""Helpers both messaging channels share: fixed texts, message splitting, privacy-safe logging,
retry de-duplication and fire-and-forget processing (webhooks must answer fast)."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from functools import lru_cache
from pathlib import Path
from typing import Any

from channels.crypto import keyed_hash
from knowledge import yamlfile

TEXTS_FILE = Path(__file__).with_name("texts.yml")


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    """The fixed channel texts from ``channels/texts.yml`` (welcome, help, 'alleen tekst', ...)."""
    from bot.privacy import retention_days  # noqa: PLC0415 - bot.privacy imports channels
    from channels.intake import max_chars  # noqa: PLC0415

    raw = TEXTS_FILE.read_text(encoding="utf8")
    raw = raw.replace("{dagen}", str(retention_days())).replace("{max_tekens}", str(max_chars()))
    return yamlfile.load(raw)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, length: Callable[[str], int] = len) -> list[str]:
    """Split ``text`` into parts of at most ``limit``, preferring paragraph, then line, then word
    boundaries, so a long answer arrives as readable messages instead of being rejected."""
    text = text.strip()
    parts: list[str] = []
    while length(text) > limit:
        window = text[:limit]
        while length(window) > limit:  # characters outside the BMP count double in UTF-16
            window = window[: len(window) - (length(window) - limit)]
        cut = 0
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep)
            if cut >= len(window) // 4:
                break
        if cut <= 0:
            cut = len(window)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def truncate(text: str, limit: int) -> str:
    """Shorten to ``limit`` characters with an ellipsis (button and list titles)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mask(sender_id: str | int | None) -> str:
    """A stable, non-reversible stand-in for a sender in logs: a keyed hash, so a phone number
    cannot be found back by hashing all numbers."""
    if sender_id in (None, ""):
        return "-"
    return "u-" + keyed_hash("log:" + str(sender_id))[:12]


class ChannelLog:
    """Logging that never shows who (ids are masked) or what (no message text) at any level."""

    def __init__(self, name: str) -> None:
        self._logger = logging.getLogger(name)

    def _log(
        self, level: int, event: str, sender: str | int | None, fields: dict[str, Any]
    ) -> None:
        if self._logger.isEnabledFor(level):
            extra = "".join(f" {k}={v}" for k, v in fields.items())
            self._logger.log(level, "%s sender=%s%s", event, mask(sender), extra)

    def debug(self, event: str, sender: str | int | None = None, **fields: Any) -> None:
        self._log(logging.DEBUG, event, sender, fields)

    def info(self, event: str, sender: str | int | None = None, **fields: Any) -> None:
        self._log(logging.INFO, event, sender, fields)

    def warning(self, event: str, sender: str | int | None = None, **fields: Any) -> None:
        self._log(logging.WARNING, event, sender, fields)

    def error(self, event: str, sender: str | int | None = None, **fields: Any) -> None:
        self._log(logging.ERROR, event, sender, fields)


class SeenIds:
    """Bounded in-memory LRU of message ids, to process a retried webhook delivery only once."""

    def __init__(self, maxsize: int = 10_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._maxsize = maxsize

    def seen_before(self, message_id: str) -> bool:
        """True if ``message_id`` was seen already; otherwise remember it and return False."""
        if message_id in self._ids:
            self._ids.move_to_end(message_id)
            return True
        self._ids[message_id] = None
        while len(self._ids) > self._maxsize:
            self._ids.popitem(last=False)
        return False


class Background:
    """Run message handling after the webhook answered; keep task references so they finish."""

    def __init__(self, log: ChannelLog) -> None:
        self._tasks: set[asyncio.Task] = set()
        self._log = log

    def spawn(self, coro: Coroutine[Any, Any, Any], sender: str | int | None = None) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                exc = t.exception()
                self._log.error("handling.failed", sender, error=type(exc).__name__)

        task.add_done_callback(done)
