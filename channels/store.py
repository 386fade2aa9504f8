"""Small SQLite state for the channels (default ``var/channels.db``, set ``BW_CHANNELS_DB``).

Kept on disk, not in memory, because more than one process uses it: the ``rasa run`` server
handles webhooks, while staff replies (a later issue) send through the output channel from elsewhere.

- ``payloads``: short key -> button payload, for payloads longer than a platform allows
  (Telegram callback_data: 64 bytes; WhatsApp reply ids: 200 characters for list rows).
- ``last_inbound``: when a resident last wrote to us (WhatsApp's 24-hour customer service window).
- ``outbox``: messages we could not deliver, so staff can see and follow them up (text encrypted).
- ``senders``: pseudonym (keyed hash, what Rasa sees) -> the real chat id or phone number,
  Fernet-encrypted, so replies reach the resident while nothing else stores the real id.
- ``inbox``: resident messages the assistant could not answer (action server or database down),
  masked and encrypted, so they are not lost.
- ``aliases``: keyed hash of a second id (WhatsApp's business-scoped user id) -> pseudonym, so a
  resident who hides their number behind a username keeps the same conversation.
- ``deliveries``: what happened to each message we sent (accepted, sent, delivered, read,
  failed with the platform's error code), from WhatsApp's status webhooks, for staff.

Every table is keyed by the pseudonym, never the real id. ``forget`` removes one resident,
``purge`` everything older than the retention period (``bot.privacy``).
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from channels.crypto import decrypt, encrypt

SCHEMA = """
CREATE TABLE IF NOT EXISTS payloads (key TEXT PRIMARY KEY, payload TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS last_inbound (
    channel TEXT NOT NULL, recipient TEXT NOT NULL, ts REAL NOT NULL, PRIMARY KEY (channel, recipient));
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, recipient TEXT NOT NULL,
    text TEXT NOT NULL, reason TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS senders (
    channel TEXT NOT NULL, sender TEXT NOT NULL, address TEXT NOT NULL,
    first_seen REAL NOT NULL, last_seen REAL NOT NULL, PRIMARY KEY (channel, sender));
CREATE TABLE IF NOT EXISTS aliases (
    channel TEXT NOT NULL, alias TEXT NOT NULL, sender TEXT NOT NULL, last_seen REAL NOT NULL,
    PRIMARY KEY (channel, alias));
CREATE TABLE IF NOT EXISTS deliveries (
    message_id TEXT PRIMARY KEY, channel TEXT NOT NULL, sender TEXT NOT NULL, kind TEXT NOT NULL,
    status TEXT NOT NULL, error TEXT, text TEXT, created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS deliveries_sender ON deliveries (sender, created);
CREATE TABLE IF NOT EXISTS inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, sender TEXT NOT NULL,
    text TEXT NOT NULL, reason TEXT NOT NULL, created REAL NOT NULL);
"""

_OPENED: set[str] = set()


def opened_paths() -> set[str]:
    """Channel stores this process opened (the Rasa server deletes a resident from each)."""
    return set(_OPENED)


@dataclass
class OutboxEntry:
    id: int
    channel: str
    recipient: str
    text: str
    reason: str
    created: float
    delivered: float | None = None


@dataclass
class Delivery:
    """One sent message and its last known state (``error``: 'code: title' when it failed)."""

    message_id: str
    sender: str
    kind: str
    status: str
    error: str | None
    text: str
    created: float
    updated: float


# Status webhooks can arrive out of order: a later 'sent' must not hide 'read' or 'failed'.
STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}
# Columns added after the first release: (table, column, definition) for existing files.
ADDED_COLUMNS = (("outbox", "delivered", "REAL"),)


class ChannelStore:
    """One short-lived connection per call: safe across threads, processes and event loops."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as con, con:
            con.executescript(SCHEMA)
            for table, column, kind in ADDED_COLUMNS:
                have = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        _OPENED.add(str(self.path.resolve()))

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

    def remember_key(self, key: str, payload: str) -> str:
        """Remember a key made elsewhere (e.g. a second key for the same payload)."""
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
        """Note a resident's message sent at ``ts`` (default now). The window only moves
        forward: a late retry of an old message does not shorten it."""
        self._run(
            "INSERT INTO last_inbound (channel, recipient, ts) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, recipient) DO UPDATE SET ts = max(ts, excluded.ts)",
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
            (channel, recipient, encrypt(text), reason, time.time()),
        )

    def outbox(self, channel: str | None = None, recipient: str | None = None) -> list[OutboxEntry]:
        """Kept messages (delivered ones too, with the time they went out), oldest first."""
        sql = "SELECT id, channel, recipient, text, reason, created, delivered FROM outbox"
        where, args = [], []
        for column, value in (("channel", channel), ("recipient", recipient)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._run(sql + " ORDER BY id", tuple(args))
        return [
            OutboxEntry(i, ch, rcpt, decrypt(text) or "", reason, created, delivered)
            for i, ch, rcpt, text, reason, created, delivered in rows
        ]

    def take_outbox(self, channel: str, recipient: str) -> list[OutboxEntry]:
        """Undelivered messages for one resident, marked delivered in the same transaction
        (the caller puts back what it could not send with :meth:`add_outbox`)."""
        with closing(self._connect()) as con, con:
            rows = con.execute(
                "SELECT id, channel, recipient, text, reason, created FROM outbox"
                " WHERE channel = ? AND recipient = ? AND delivered IS NULL ORDER BY id",
                (channel, recipient),
            ).fetchall()
            con.executemany(
                "UPDATE outbox SET delivered = ? WHERE id = ?", [(time.time(), r[0]) for r in rows]
            )
        return [
            OutboxEntry(i, ch, rcpt, decrypt(text) or "", reason, created)
            for i, ch, rcpt, text, reason, created in rows
        ]

    # second ids (WhatsApp business-scoped user ids)
    def alias(self, channel: str, alias: str) -> str | None:
        """The pseudonym a second id (already a keyed hash) belongs to."""
        rows = self._run(
            "SELECT sender FROM aliases WHERE channel = ? AND alias = ?", (channel, alias)
        )
        return rows[0][0] if rows else None

    def add_alias(self, channel: str, alias: str, sender: str) -> None:
        self._run(
            "INSERT INTO aliases (channel, alias, sender, last_seen) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (channel, alias) DO UPDATE SET last_seen = excluded.last_seen",
            (channel, alias, sender, time.time()),
        )

    # delivery state of sent messages
    def record_sent(
        self, channel: str, sender: str, message_id: str, kind: str, text: str = ""
    ) -> None:
        """A message the platform accepted (its id comes back in later status webhooks)."""
        now = time.time()
        self._run(
            "INSERT OR IGNORE INTO deliveries"
            " (message_id, channel, sender, kind, status, error, text, created, updated)"
            " VALUES (?, ?, ?, ?, 'accepted', NULL, ?, ?, ?)",
            (message_id, channel, sender, kind, encrypt(text), now, now),
        )

    def record_status(
        self, message_id: str, status: str, error: str | None = None, ts: float | None = None
    ) -> Delivery | None:
        """Apply a status webhook; a lower status arriving late is ignored. Returns the row,
        or None for a message we did not send (or no longer know)."""
        rank = STATUS_RANK.get(status)
        if rank is None:
            return None
        with closing(self._connect()) as con, con:
            row = con.execute(
                "SELECT status FROM deliveries WHERE message_id = ?", (message_id,)
            ).fetchone()
            if row is None:
                return None
            if rank > STATUS_RANK.get(row[0], -1):
                con.execute(
                    "UPDATE deliveries SET status = ?, error = ?, updated = ? WHERE message_id = ?",
                    (status, error, time.time() if ts is None else ts, message_id),
                )
        return self.delivery(message_id)

    def delivery(self, message_id: str) -> Delivery | None:
        rows = self._run(_DELIVERY_SQL + " WHERE message_id = ?", (message_id,))
        return _delivery(rows[0]) if rows else None

    def deliveries(self, sender: str, since: float = 0.0) -> list[Delivery]:
        """What was sent to one resident since ``since``, oldest first."""
        rows = self._run(
            _DELIVERY_SQL + " WHERE sender = ? AND created >= ? ORDER BY created, rowid",
            (sender, since),
        )
        return [_delivery(r) for r in rows]

    # pseudonym -> real address
    def remember_sender(self, channel: str, sender: str, address: str) -> bool:
        """Keep the encrypted real address for ``sender``; True when this sender is new."""
        now = time.time()
        with closing(self._connect()) as con, con:
            updated = con.execute(
                "UPDATE senders SET last_seen = ? WHERE channel = ? AND sender = ?",
                (now, channel, sender),
            ).rowcount
            if not updated:
                con.execute(
                    "INSERT OR REPLACE INTO senders (channel, sender, address, first_seen, last_seen)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (channel, sender, encrypt(address), now, now),
                )
        return not updated

    def address(self, channel: str, sender: str) -> str | None:
        """The real chat id or phone number behind a pseudonym (None when unknown)."""
        rows = self._run(
            "SELECT address FROM senders WHERE channel = ? AND sender = ?", (channel, sender)
        )
        return decrypt(rows[0][0]) if rows else None

    # unanswered messages
    def add_inbox(self, channel: str, sender: str, masked_text: str, reason: str) -> None:
        """Keep a message the assistant could not answer (already masked; stored encrypted)."""
        self._run(
            "INSERT INTO inbox (channel, sender, text, reason, created) VALUES (?, ?, ?, ?, ?)",
            (channel, sender, encrypt(masked_text), reason, time.time()),
        )

    def inbox(self) -> list[OutboxEntry]:
        rows = self._run("SELECT id, channel, sender, text, reason, created FROM inbox ORDER BY id")
        return [
            OutboxEntry(i, ch, sender, decrypt(text) or "", reason, created)
            for i, ch, sender, text, reason, created in rows
        ]

    # privacy
    def forget(self, sender: str) -> int:
        """Remove everything kept about one pseudonym; returns the number of rows deleted."""
        deleted = 0
        with closing(self._connect()) as con, con:
            for table, column in FORGET:
                deleted += con.execute(
                    f"DELETE FROM {table} WHERE {column} = ?", (sender,)
                ).rowcount
        return deleted

    def purge(self, before: float) -> int:
        """Remove rows last touched before ``before`` (epoch seconds); returns rows deleted."""
        deleted = 0
        with closing(self._connect()) as con, con:
            for table, column in PURGE:
                deleted += con.execute(
                    f"DELETE FROM {table} WHERE {column} < ?", (before,)
                ).rowcount
        return deleted


_DELIVERY_SQL = (
    "SELECT message_id, sender, kind, status, error, text, created, updated FROM deliveries"
)


def _delivery(row: tuple) -> Delivery:
    mid, sender, kind, status, error, text, created, updated = row
    return Delivery(mid, sender, kind, status, error, decrypt(text or "") or "", created, updated)


FORGET = (
    ("senders", "sender"),
    ("aliases", "sender"),
    ("deliveries", "sender"),
    ("last_inbound", "recipient"),
    ("outbox", "recipient"),
    ("inbox", "sender"),
)
PURGE = (
    ("senders", "last_seen"),
    ("aliases", "last_seen"),
    ("deliveries", "updated"),
    ("last_inbound", "ts"),
    ("outbox", "created"),
    ("inbox", "created"),
    ("payloads", "created"),
)
