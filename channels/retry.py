"""Retrying sends the way the platforms ask, and keeping what still could not go out.

Telegram answers a flood-limited call with 429 and ``retry_after`` (python-telegram-bot raises
``RetryAfter``); WhatsApp answers throughput limits with error codes such as 130429 ("Rate limit
hit") and 131056 (pair rate limit) and asks to retry with backoff. An answer is 4-5 messages in
about a second, so one limited call must not drop the rest: the call is retried; when it still
fails, this part and everything after it in the same turn is kept in the channel outbox (staff see
it in the case, and it goes out on the resident's next contact) instead of arriving with a hole.
"""

from __future__ import annotations

from channels.common import ChannelLog
from channels.store import ChannelStore

RETRY_WAITS = (1.0, 2.0, 4.0)  # seconds before the 2nd, 3rd and 4th try
MAX_RETRY_AFTER = 30.0  # a longer flood wait is not waited out inside a turn: kept instead


class BrokenOff:
    """Per output channel (one turn): which residents' answers broke off, and keeping the rest
    in order, so a later message of the same answer does not overtake what was kept."""

    def __init__(self, store: ChannelStore, channel: str, log: ChannelLog, keep: bool = True):
        self.store = store
        self.channel = channel
        self.log = log
        self.keep_enabled = keep  # False: the caller keeps it (e.g. its own queue)
        self._broken: set[str] = set()

    def broken(self, sender: str) -> bool:
        return sender in self._broken

    def keep(self, sender: str, texts: list[str], reason: str) -> None:
        """Mark ``sender``'s answer as broken off and keep the unsent ``texts``."""
        self._broken.add(sender)
        rest = "\n\n".join(t for t in texts if t.strip())
        if rest and self.keep_enabled:
            self.store.add_outbox(self.channel, sender, rest, reason)
            self.log.warning(f"{self.channel}.answer.kept", sender, reason=reason.split()[0])
