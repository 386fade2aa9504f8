"""Small SQLite state for the channels (default ``var/channels.db``, set ``BW_CHANNELS_DB``).

Kept on disk, not in memory, because more than one process uses it: the ``rasa run`` server
handles webhooks, while staff replies (a later issue) send through the output channel from elsewhere.

- ``payloads``: short key -> button payload, for payloads longer than a platform allows
  (Telegram callback_data: 64 bytes; WhatsApp reply ids: 200 characters for list rows).
- ``last_inbound``: when a resident last wrote to us (WhatsApp's 24-hour customer service window).
- ``outbox``: messages we could not deliver, so staff can see and follow them up.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS payloads (key TEXT PRIMARY KEY, payload TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS last_inbound (
    channel TEXT NOT NULL, recipient TEXT NOT NULL, ts REAL NOT NULL, PRIMARY KEY (channel, recipient));
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, recipient TEXT NOT NULL,
    text TEXT NOT NULL, reason TEXT NOT NULL, created REAL NOT NULL);
"""


@dataclass
class OutboxEntry:
    id: int
    channel: str
    recipient: str
    text: str
    reason: str
    created: float


class ChannelStore:
    """One short-lived connection per call: safe across threads, processes and event loops."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as con, con:
            con.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=10)
        con.execute("PRAGMA journal_mode=WAL")
        return con

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with closing(self._connect()) as con, con:
            return con.execute(sql, args).fetchall()

    # payloads
    def short_key(self, payload: str, prefix: str) -> str:
        """A stable short key for ``payload`` (same payload, same key), remembered for lookup."""
        key = prefix + hashlib.sha256(payload.encode()).hexdigest()[:16]
        self._run(
            "INSERT OR REPLACE INTO payloads (key, payload, created) VALUES (?, ?, ?)",
            (key, payload, time.time()),
        )
        return key

    def payload(self, key: str) -> str | None:
        rows = self._run("SELECT payload FROM payloads WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    # 24-hour window
    def record_inbound(self, channel: str, recipient: str, ts: float | None = None) -> None:
        self._run(
            "INSERT OR REPLACE INTO last_inbound (channel, recipient, ts) VALUES (?, ?, ?)",
            (channel, recipient, time.time() if ts is None else ts),
        )

    def last_inbound(self, channel: str, recipient: str) -> float | None:
        rows = self._run(
            "SELECT ts FROM last_inbound WHERE channel = ? AND recipient = ?", (channel, recipient)
        )
        return rows[0][0] if rows else None

    # outbox
    def add_outbox(self, channel: str, recipient: str, text: str, reason: str) -> None:
        self._run(
            "INSERT INTO outbox (channel, recipient, text, reason, created) VALUES (?, ?, ?, ?, ?)",
            (channel, recipient, text, reason, time.time()),
        )

    def outbox(self, channel: str | None = None) -> list[OutboxEntry]:
        sql = "SELECT id, channel, recipient, text, reason, created FROM outbox"
        rows = (
            self._run(sql + " WHERE channel = ? ORDER BY id", (channel,))
            if channel
            else self._run(sql + " ORDER BY id")
        )
        return [OutboxEntry(*row) for row in rows]
