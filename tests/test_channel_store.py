"""The channel store on SQLite (the embedded default): every behaviour of
tests/channel_store_behaviour.py, plus what only a file has: WAL, the upgrade of a file made by an
older release, and one store for a path and its ``sqlite:///`` URL. Fast, no model."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot import privacy
from channels.store import ChannelStore, is_url, location_of, opened_paths
from tests.channel_store_behaviour import BEHAVIOURS, Check

# The schema of the first release (before outbox.delivered), as its sqlite3 code made it.
FIRST_RELEASE = """
CREATE TABLE payloads (key TEXT PRIMARY KEY, payload TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE last_inbound (
    channel TEXT NOT NULL, recipient TEXT NOT NULL, ts REAL NOT NULL, PRIMARY KEY (channel, recipient));
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, recipient TEXT NOT NULL,
    text TEXT NOT NULL, reason TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE senders (
    channel TEXT NOT NULL, sender TEXT NOT NULL, address TEXT NOT NULL,
    first_seen REAL NOT NULL, last_seen REAL NOT NULL, PRIMARY KEY (channel, sender));
"""


@pytest.mark.parametrize("behaviour", BEHAVIOURS, ids=lambda b: b.__name__)
def test_behaviour_on_sqlite(tmp_path: Path, behaviour: Check) -> None:
    behaviour(ChannelStore(tmp_path / "channels.db"))


def test_the_file_is_in_wal_mode(tmp_path: Path) -> None:
    ChannelStore(tmp_path / "channels.db").record_inbound("whatsapp", "s1")
    with sqlite3.connect(tmp_path / "channels.db") as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_file_of_an_older_release_gets_the_missing_column_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "channels.db"
    with sqlite3.connect(path) as con:
        con.executescript(FIRST_RELEASE)
        con.execute(
            "INSERT INTO outbox (channel, recipient, text, reason, created)"
            " VALUES ('whatsapp', 's1', 'x', 'outside_24h', 1.0)"
        )
    store = ChannelStore(path)
    with sqlite3.connect(path) as con:
        columns = [row[1] for row in con.execute("PRAGMA table_info(outbox)")]
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    assert columns[-1] == "delivered"
    assert {"aliases", "deliveries", "inbox", "deliveries_sender"} <= tables
    (old,) = store.outbox()
    assert (old.recipient, old.delivered) == ("s1", None)
    assert [e.id for e in store.take_outbox("whatsapp", "s1")] == [old.id]
    store.add_outbox("whatsapp", "s1", "nieuw", "retry")
    assert store.outbox()[-1].id > old.id


def test_a_database_with_other_tables_of_the_same_name_is_refused(tmp_path: Path) -> None:
    """The case store has an ``outbox`` too: pointing BW_CHANNELS_DB at it fails at once."""
    path = tmp_path / "cases.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, sender_id TEXT, text TEXT)")
    with pytest.raises(RuntimeError, match="database of its own"):
        ChannelStore(path)


def test_a_path_and_its_sqlite_url_are_one_store(tmp_path: Path) -> None:
    path = tmp_path / "channels.db"
    by_url = ChannelStore(f"sqlite:///{path}")
    by_url.remember_sender("telegram", "t1", "4242")
    by_path = ChannelStore(path)
    assert by_path.address("telegram", "t1") == "4242"
    assert by_url.location == by_path.location == str(path.resolve())
    assert str(path.resolve()) in opened_paths()
    assert not is_url(path) and not is_url(str(path)) and is_url("postgresql://h/db")
    assert location_of("postgresql://u:pw@h/db") == "postgresql://u:pw@h/db"


def test_forget_and_purge_find_the_configured_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "configured.db"
    monkeypatch.setenv("BW_CHANNELS_DB", str(path))
    assert str(path.resolve()) not in privacy.channel_store_paths()  # no file yet
    path.touch()  # made by another process: this one never opened it
    assert str(path.resolve()) in privacy.channel_store_paths()
