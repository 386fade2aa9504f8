"""Small state for the channels, in SQLite or PostgreSQL (``BW_CHANNELS_DB``).

``BW_CHANNELS_DB`` is a file path (SQLite in WAL mode; the default ``var/channels.db``) or a
SQLAlchemy URL (``postgresql://...``). Kept in a database, not in memory, because more than one
process uses it: the ``rasa run`` server handles webhooks, staff replies send through the output
channel, and in the scale-out setup (bot/scale.py, deploy/compose.yml) every Rasa instance shares
one PostgreSQL database, so a resident's state does not depend on which instance answers or on a
container that was replaced. Give it a database of its own: its ``outbox`` is not the case store's.

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
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    and_,
    case,
    create_engine,
    delete,
    event,
    func,
    inspect,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.url import URL

from channels.crypto import decrypt, encrypt

METADATA = MetaData()
PAYLOADS = Table(
    "payloads",
    METADATA,
    Column("key", Text, primary_key=True),
    Column("payload", Text, nullable=False),
    Column("created", Float, nullable=False),
)
LAST_INBOUND = Table(
    "last_inbound",
    METADATA,
    Column("channel", Text, primary_key=True),
    Column("recipient", Text, primary_key=True),
    Column("ts", Float, nullable=False),
)
OUTBOX = Table(
    "outbox",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", Text, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created", Float, nullable=False),
    Column("delivered", Float),
    sqlite_autoincrement=True,  # ids are never reused (as in the first release's files)
)
SENDERS = Table(
    "senders",
    METADATA,
    Column("channel", Text, primary_key=True),
    Column("sender", Text, primary_key=True),
    Column("address", Text, nullable=False),
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
)
ALIASES = Table(
    "aliases",
    METADATA,
    Column("channel", Text, primary_key=True),
    Column("alias", Text, primary_key=True),
    Column("sender", Text, nullable=False),
    Column("last_seen", Float, nullable=False),
)
DELIVERIES = Table(
    "deliveries",
    METADATA,
    Column("message_id", Text, primary_key=True),
    Column("channel", Text, nullable=False),
    Column("sender", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("error", Text),
    Column("text", Text),
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
)
Index("deliveries_sender", DELIVERIES.c.sender, DELIVERIES.c.created)
INBOX = Table(
    "inbox",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", Text, nullable=False),
    Column("sender", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created", Float, nullable=False),
    sqlite_autoincrement=True,
)

_OPENED: set[str] = set()
_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()
# Serialises creating the tables when several instances start at once on one PostgreSQL
# (two CREATE TABLEs of the same name race otherwise); any constant, the same everywhere.
_SCHEMA_LOCK_KEY = 0x42570001
DIALECTS = ("sqlite", "postgresql")


def opened_paths() -> set[str]:
    """Channel stores this process opened (the Rasa server deletes a resident from each):
    resolved file paths, and the URLs of database stores."""
    return set(_OPENED)


def is_url(location: str | Path) -> bool:
    """True for a SQLAlchemy URL (``postgresql://...``), False for a file path."""
    return not isinstance(location, Path) and "://" in str(location)


def location_of(location: str | Path) -> str:
    """The key a store is known by: the resolved path of a SQLite file (also when it was given
    as a ``sqlite:///`` URL, so one file is one store), else the URL as given."""
    if is_url(location):
        url = make_url(str(location))
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return str(location)
        location = url.database
    return str(Path(location).resolve())


def _engine(location: str) -> Engine:
    """One engine per database per process, shared by every store object on it (stores are
    made often, e.g. per forget; a PostgreSQL pool per object would leak connections)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(location)
        if engine is None:
            engine = _ENGINES[location] = _make_engine(location)
        return engine


def release(location: str | Path) -> None:
    """Close the pooled connections of a store and stop counting it as opened (a database
    that goes away, e.g. a test's), so forget and purge no longer try to reach it."""
    key = location_of(location)
    _OPENED.discard(key)
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(key, None)
    if engine is not None:
        engine.dispose()


def _make_engine(location: str) -> Engine:
    if is_url(location):
        engine = create_engine(location, future=True, pool_pre_ping=True)
        if engine.dialect.name not in DIALECTS:
            raise ValueError(
                f"BW_CHANNELS_DB: only SQLite or PostgreSQL, not {engine.dialect.name}"
            )
        return engine
    # A new SQLite connection per call (SQLAlchemy's NullPool for files): safe across
    # threads, processes and event loops, as the sqlite3 store was.
    engine = create_engine(
        URL.create("sqlite", database=location), future=True, connect_args={"timeout": 10}
    )

    @event.listens_for(engine, "connect")
    def _wal(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA journal_mode=WAL")

    return engine


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
# Columns added after the first release: (table, column) for existing files; the column's
# type comes from the table definition above.
ADDED_COLUMNS = (("outbox", "delivered"),)


class ChannelStore:
    """A channel store on a SQLite file or a database URL. Every call is one short transaction
    on the process-wide engine of that database: safe across threads, processes, event loops
    and (with PostgreSQL) Rasa instances."""

    def __init__(self, path: str | Path) -> None:
        self.location = location_of(path)
        self.url: str | None = self.location if is_url(self.location) else None
        self.path: Path | None = None if self.url else Path(self.location)  # the SQLite file
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = _engine(self.location)
        self.dialect = self.engine.dialect.name
        with self.engine.begin() as con:
            if self.dialect == "postgresql":
                con.execute(select(func.pg_advisory_xact_lock(_SCHEMA_LOCK_KEY)))
            METADATA.create_all(con)
            _add_missing_columns(con)
        _OPENED.add(self.location)

    def __repr__(self) -> str:  # never the URL: it can hold a password
        return f"ChannelStore({self.dialect})"

    def _insert(self, table: Table) -> Any:
        """The dialect's INSERT, which knows ON CONFLICT (SQLite 3.24+ and PostgreSQL)."""
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)

    def _rows(self, statement: Any) -> list[Any]:
        with self.engine.connect() as con:
            return list(con.execute(statement).all())

    def _write(self, statement: Any) -> int:
        with self.engine.begin() as con:
            return con.execute(statement).rowcount

    # payloads
    def short_key(self, payload: str, prefix: str) -> str:
        """A stable short key for ``payload`` (same payload, same key), remembered for lookup."""
        key = prefix + hashlib.sha256(payload.encode()).hexdigest()[:16]
        return self.remember_key(key, payload)

    def remember_key(self, key: str, payload: str) -> str:
        """Remember a key made elsewhere (e.g. a second key for the same payload)."""
        ins = self._insert(PAYLOADS).values(key=key, payload=payload, created=time.time())
        self._write(
            ins.on_conflict_do_update(
                index_elements=[PAYLOADS.c.key],
                set_={"payload": ins.excluded.payload, "created": ins.excluded.created},
            )
        )
        return key

    def payload(self, key: str) -> str | None:
        rows = self._rows(select(PAYLOADS.c.payload).where(PAYLOADS.c.key == key))
        return rows[0][0] if rows else None

    # 24-hour window
    def record_inbound(self, channel: str, recipient: str, ts: float | None = None) -> None:
        """Note a resident's message sent at ``ts`` (default now). The window only moves
        forward: a late retry of an old message does not shorten it."""
        ins = self._insert(LAST_INBOUND).values(
            channel=channel, recipient=recipient, ts=time.time() if ts is None else ts
        )
        later = case(
            (ins.excluded.ts > LAST_INBOUND.c.ts, ins.excluded.ts), else_=LAST_INBOUND.c.ts
        )
        self._write(
            ins.on_conflict_do_update(
                index_elements=[LAST_INBOUND.c.channel, LAST_INBOUND.c.recipient],
                set_={"ts": later},
            )
        )

    def last_inbound(self, channel: str, recipient: str) -> float | None:
        rows = self._rows(
            select(LAST_INBOUND.c.ts).where(
                LAST_INBOUND.c.channel == channel, LAST_INBOUND.c.recipient == recipient
            )
        )
        return rows[0][0] if rows else None

    # outbox
    def add_outbox(self, channel: str, recipient: str, text: str, reason: str) -> None:
        self._write(
            OUTBOX.insert().values(
                channel=channel,
                recipient=recipient,
                text=encrypt(text),
                reason=reason,
                created=time.time(),
            )
        )

    def outbox(self, channel: str | None = None, recipient: str | None = None) -> list[OutboxEntry]:
        """Kept messages (delivered ones too, with the time they went out), oldest first."""
        query = select(
            OUTBOX.c.id,
            OUTBOX.c.channel,
            OUTBOX.c.recipient,
            OUTBOX.c.text,
            OUTBOX.c.reason,
            OUTBOX.c.created,
            OUTBOX.c.delivered,
        )
        if channel:
            query = query.where(OUTBOX.c.channel == channel)
        if recipient:
            query = query.where(OUTBOX.c.recipient == recipient)
        rows = self._rows(query.order_by(OUTBOX.c.id))
        return [
            OutboxEntry(i, ch, rcpt, decrypt(text) or "", reason, created, delivered)
            for i, ch, rcpt, text, reason, created, delivered in rows
        ]

    def take_outbox(self, channel: str, recipient: str) -> list[OutboxEntry]:
        """Undelivered messages for one resident, marked delivered in the same transaction
        (the caller puts back what it could not send with :meth:`add_outbox`). A message two
        instances try to take at once goes to one of them: the rows are locked (PostgreSQL)
        and only a row still undelivered is marked and returned."""
        query = (
            select(
                OUTBOX.c.id,
                OUTBOX.c.channel,
                OUTBOX.c.recipient,
                OUTBOX.c.text,
                OUTBOX.c.reason,
                OUTBOX.c.created,
            )
            .where(
                OUTBOX.c.channel == channel,
                OUTBOX.c.recipient == recipient,
                OUTBOX.c.delivered.is_(None),
            )
            .order_by(OUTBOX.c.id)
            .with_for_update()  # SQLite has no FOR UPDATE; SQLAlchemy leaves it out there
        )
        taken = []
        with self.engine.begin() as con:
            for row in con.execute(query).all():
                marked = con.execute(
                    update(OUTBOX)
                    .where(OUTBOX.c.id == row[0], OUTBOX.c.delivered.is_(None))
                    .values(delivered=time.time())
                ).rowcount
                if marked:
                    taken.append(row)
        return [
            OutboxEntry(i, ch, rcpt, decrypt(text) or "", reason, created)
            for i, ch, rcpt, text, reason, created in taken
        ]

    # second ids (WhatsApp business-scoped user ids)
    def alias(self, channel: str, alias: str) -> str | None:
        """The pseudonym a second id (already a keyed hash) belongs to."""
        rows = self._rows(
            select(ALIASES.c.sender).where(ALIASES.c.channel == channel, ALIASES.c.alias == alias)
        )
        return rows[0][0] if rows else None

    def add_alias(self, channel: str, alias: str, sender: str) -> None:
        ins = self._insert(ALIASES).values(
            channel=channel, alias=alias, sender=sender, last_seen=time.time()
        )
        self._write(
            ins.on_conflict_do_update(
                index_elements=[ALIASES.c.channel, ALIASES.c.alias],
                set_={"last_seen": ins.excluded.last_seen},
            )
        )

    # delivery state of sent messages
    def record_sent(
        self, channel: str, sender: str, message_id: str, kind: str, text: str = ""
    ) -> None:
        """A message the platform accepted (its id comes back in later status webhooks)."""
        now = time.time()
        ins = self._insert(DELIVERIES).values(
            message_id=message_id,
            channel=channel,
            sender=sender,
            kind=kind,
            status="accepted",
            error=None,
            text=encrypt(text),
            created=now,
            updated=now,
        )
        self._write(ins.on_conflict_do_nothing(index_elements=[DELIVERIES.c.message_id]))

    def record_status(
        self, message_id: str, status: str, error: str | None = None, ts: float | None = None
    ) -> Delivery | None:
        """Apply a status webhook; a lower status arriving late is ignored. Returns the row,
        or None for a message we did not send (or no longer know)."""
        rank = STATUS_RANK.get(status)
        if rank is None:
            return None
        with self.engine.begin() as con:
            row = con.execute(
                select(DELIVERIES.c.status)
                .where(DELIVERIES.c.message_id == message_id)
                .with_for_update()  # two webhooks at once on two instances: one after the other
            ).first()
            if row is None:
                return None
            if rank > STATUS_RANK.get(row[0], -1):
                con.execute(
                    update(DELIVERIES)
                    .where(DELIVERIES.c.message_id == message_id)
                    .values(status=status, error=error, updated=time.time() if ts is None else ts)
                )
        return self.delivery(message_id)

    def _deliveries(self) -> Any:
        return select(
            DELIVERIES.c.message_id,
            DELIVERIES.c.sender,
            DELIVERIES.c.kind,
            DELIVERIES.c.status,
            DELIVERIES.c.error,
            DELIVERIES.c.text,
            DELIVERIES.c.created,
            DELIVERIES.c.updated,
        )

    def delivery(self, message_id: str) -> Delivery | None:
        rows = self._rows(self._deliveries().where(DELIVERIES.c.message_id == message_id))
        return _delivery(rows[0]) if rows else None

    def deliveries(self, sender: str, since: float = 0.0) -> list[Delivery]:
        """What was sent to one resident since ``since``, oldest first (two messages sent at the
        same instant: in insertion order on SQLite, by message id on PostgreSQL)."""
        tie = literal_column("rowid") if self.dialect == "sqlite" else DELIVERIES.c.message_id
        rows = self._rows(
            self._deliveries()
            .where(DELIVERIES.c.sender == sender, DELIVERIES.c.created >= since)
            .order_by(DELIVERIES.c.created, tie)
        )
        return [_delivery(r) for r in rows]

    # pseudonym -> real address
    def remember_sender(self, channel: str, sender: str, address: str) -> bool:
        """Keep the encrypted real address for ``sender``; True when this sender is new."""
        now = time.time()
        known = and_(SENDERS.c.channel == channel, SENDERS.c.sender == sender)
        with self.engine.begin() as con:
            updated = con.execute(update(SENDERS).where(known).values(last_seen=now)).rowcount
            if not updated:
                ins = self._insert(SENDERS).values(
                    channel=channel,
                    sender=sender,
                    address=encrypt(address),
                    first_seen=now,
                    last_seen=now,
                )
                con.execute(
                    ins.on_conflict_do_update(  # another instance was just as quick: replace
                        index_elements=[SENDERS.c.channel, SENDERS.c.sender],
                        set_={
                            "address": ins.excluded.address,
                            "first_seen": ins.excluded.first_seen,
                            "last_seen": ins.excluded.last_seen,
                        },
                    )
                )
        return not updated

    def address(self, channel: str, sender: str) -> str | None:
        """The real chat id or phone number behind a pseudonym (None when unknown)."""
        rows = self._rows(
            select(SENDERS.c.address).where(
                SENDERS.c.channel == channel, SENDERS.c.sender == sender
            )
        )
        return decrypt(rows[0][0]) if rows else None

    # unanswered messages
    def add_inbox(self, channel: str, sender: str, masked_text: str, reason: str) -> None:
        """Keep a message the assistant could not answer (already masked; stored encrypted)."""
        self._write(
            INBOX.insert().values(
                channel=channel,
                sender=sender,
                text=encrypt(masked_text),
                reason=reason,
                created=time.time(),
            )
        )

    def inbox(self) -> list[OutboxEntry]:
        rows = self._rows(
            select(
                INBOX.c.id,
                INBOX.c.channel,
                INBOX.c.sender,
                INBOX.c.text,
                INBOX.c.reason,
                INBOX.c.created,
            ).order_by(INBOX.c.id)
        )
        return [
            OutboxEntry(i, ch, sender, decrypt(text) or "", reason, created)
            for i, ch, sender, text, reason, created in rows
        ]

    # privacy
    def forget(self, sender: str) -> int:
        """Remove everything kept about one pseudonym; returns the number of rows deleted."""
        with self.engine.begin() as con:
            return sum(
                con.execute(delete(table).where(table.c[column] == sender)).rowcount
                for table, column in FORGET
            )

    def purge(self, before: float) -> int:
        """Remove rows last touched before ``before`` (epoch seconds); returns rows deleted."""
        with self.engine.begin() as con:
            return sum(
                con.execute(delete(table).where(table.c[column] < before)).rowcount
                for table, column in PURGE
            )


def _add_missing_columns(con: Connection) -> None:
    """Bring a store made by an older release up to date (``ADDED_COLUMNS``), and refuse a
    database whose tables of these names belong to something else (a wrong URL would
    otherwise fail later, on a resident's message)."""
    inspector = inspect(con)
    for table in METADATA.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        added = {column for name, column in ADDED_COLUMNS if name == table.name}
        if {c.name for c in table.columns} - have - added:
            raise RuntimeError(
                f"BW_CHANNELS_DB: table {table.name} is not the channel store's (the case "
                "store's database?); give the channel state a database of its own"
            )
        for column in sorted(added - have):
            kind = table.c[column].type.compile(dialect=con.dialect)
            con.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column} {kind}")


def _delivery(row: Any) -> Delivery:
    mid, sender, kind, status, error, text, created, updated = row
    return Delivery(mid, sender, kind, status, error, decrypt(text or "") or "", created, updated)


FORGET = (
    (SENDERS, "sender"),
    (ALIASES, "sender"),
    (DELIVERIES, "sender"),
    (LAST_INBOUND, "recipient"),
    (OUTBOX, "recipient"),
    (INBOX, "sender"),
)
PURGE = (
    (SENDERS, "last_seen"),
    (ALIASES, "last_seen"),
    (DELIVERIES, "updated"),
    (LAST_INBOUND, "ts"),
    (OUTBOX, "created"),
    (INBOX, "created"),
    (PAYLOADS, "created"),
)
