"""Per-sender rate limiting for every channel: a sliding window in memory.

Default 20 messages per 60 seconds per sender (``BW_RATE_LIMIT=20/60``); ``0`` switches it off.
A sender over the limit gets one friendly message per window, not one per message (a flood
must not make us flood the messaging APIs in return). In memory, per process: a restart or a
second server resets it, which is fine for a limit that protects against floods.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

DEFAULT = "20/60"
MAX_SENDERS = 50_000


@dataclass(frozen=True)
class Decision:
    allowed: bool
    notify: bool  # False: refused, and the sender was already told in this window


class RateLimiter:
    """At most ``limit`` messages per ``window`` seconds per key."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._told: dict[str, float] = {}

    @classmethod
    def from_env(cls) -> RateLimiter:
        """``BW_RATE_LIMIT`` as ``messages/seconds`` (default 20/60; ``0`` = no limit)."""
        raw = os.environ.get("BW_RATE_LIMIT", DEFAULT).strip()
        try:
            count, _, seconds = raw.partition("/")
            return cls(int(count), float(seconds or 60))
        except ValueError:
            count, _, seconds = DEFAULT.partition("/")
            return cls(int(count), float(seconds))

    def check(self, key: str) -> Decision:
        """Count one message for ``key`` and say whether it may pass."""
        if self.limit <= 0:
            return Decision(True, False)
        now = self._clock()
        hits = self._hits.pop(key, None) or deque()
        self._hits[key] = hits  # most recent last, for the bound below
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        while len(self._hits) > MAX_SENDERS:
            old, _ = self._hits.popitem(last=False)
            self._told.pop(old, None)
        if len(hits) < self.limit:
            hits.append(now)
            return Decision(True, False)
        told = self._told.get(key)
        if told is not None and told > now - self.window:
            return Decision(False, False)
        self._told[key] = now
        return Decision(False, True)


@lru_cache(maxsize=1)
def default_limiter() -> RateLimiter:
    """One limiter for all channels in this process."""
    return RateLimiter.from_env()
