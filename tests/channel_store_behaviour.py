"""What a channel store does, written once and run on every backend: SQLite always
(tests/test_channel_store.py), PostgreSQL with ``BW_SCALE_TESTS=1``
(tests/test_channel_store_postgres.py). Each check gets a fresh, empty store."""

from __future__ import annotations

import time
from collections.abc import Callable

from channels.identity import pseudonym
from channels.store import ChannelStore

Check = Callable[[ChannelStore], None]


def remember_sender_and_address(store: ChannelStore) -> None:
    sender = pseudonym("whatsapp", "31612345678")
    assert store.address("whatsapp", sender) is None
    assert store.remember_sender("whatsapp", sender, "31612345678") is True
    assert store.remember_sender("whatsapp", sender, "31612345678") is False
    assert store.address("whatsapp", sender) == "31612345678"
    assert store.address("telegram", sender) is None  # per channel
    store.remember_sender("telegram", "t1", "4242")
    assert store.address("telegram", "t1") == "4242"


def short_key_and_payload(store: ChannelStore) -> None:
    payload = '/kies_regeling{"regeling": "' + "zorgtoeslag " * 10 + '"}'
    key = store.short_key(payload, "k:")
    assert key.startswith("k:") and len(key) == 18
    assert store.short_key(payload, "k:") == key  # stable
    assert store.payload(key) == payload
    assert store.remember_key("k:tweede", payload) == "k:tweede"
    assert store.payload("k:tweede") == payload
    store.remember_key("k:tweede", "/ander")  # a key made again points at its new payload
    assert store.payload("k:tweede") == "/ander"
    assert store.payload("k:onbekend") is None


def record_inbound_and_last_inbound(store: ChannelStore) -> None:
    assert store.last_inbound("whatsapp", "s1") is None
    store.record_inbound("whatsapp", "s1", ts=1000.0)
    assert store.last_inbound("whatsapp", "s1") == 1000.0
    store.record_inbound("whatsapp", "s1", ts=900.0)  # a late retry does not shorten the window
    assert store.last_inbound("whatsapp", "s1") == 1000.0
    store.record_inbound("whatsapp", "s1", ts=2000.5)
    assert store.last_inbound("whatsapp", "s1") == 2000.5
    before = time.time()
    store.record_inbound("whatsapp", "s2")
    assert before <= store.last_inbound("whatsapp", "s2") <= time.time()  # full precision
    assert store.last_inbound("telegram", "s1") is None


def outbox_add_and_take(store: ChannelStore) -> None:
    assert store.take_outbox("whatsapp", "s1") == []
    store.add_outbox("whatsapp", "s1", "eerste bericht", "outside_24h")
    store.add_outbox("whatsapp", "s2", "voor iemand anders", "outside_24h")
    store.add_outbox("whatsapp", "s1", "tweede bericht", "failed 131047")
    store.add_outbox("telegram", "s1", "ander kanaal", "retry")
    assert [e.text for e in store.outbox("whatsapp", "s1")] == ["eerste bericht", "tweede bericht"]
    assert len(store.outbox()) == 4 and len(store.outbox(recipient="s1")) == 3
    taken = store.take_outbox("whatsapp", "s1")
    assert [(e.text, e.reason) for e in taken] == [
        ("eerste bericht", "outside_24h"),
        ("tweede bericht", "failed 131047"),
    ]
    assert taken[0].id < taken[1].id and all(e.delivered is None for e in taken)
    assert store.take_outbox("whatsapp", "s1") == []  # taken once
    kept = store.outbox("whatsapp", "s1")
    assert [e.delivered is not None for e in kept] == [True, True]  # kept, marked delivered
    assert [e.text for e in store.take_outbox("whatsapp", "s2")] == ["voor iemand anders"]
    store.add_outbox("whatsapp", "s1", "teruggelegd", "retry")  # what could not be sent
    assert [e.text for e in store.take_outbox("whatsapp", "s1")] == ["teruggelegd"]


def alias(store: ChannelStore) -> None:
    assert store.alias("whatsapp", "h-uid") is None
    store.add_alias("whatsapp", "h-uid", "sender-a")
    assert store.alias("whatsapp", "h-uid") == "sender-a"
    store.add_alias("whatsapp", "h-uid", "sender-b")  # the first resident keeps the alias
    assert store.alias("whatsapp", "h-uid") == "sender-a"
    assert store.alias("telegram", "h-uid") is None


def record_sent_status_and_deliveries(store: ChannelStore) -> None:
    store.record_sent("whatsapp", "s1", "wamid.1", "text", "eerste tekst")
    store.record_sent("whatsapp", "s1", "wamid.1", "text", "dubbel")  # a repeat is ignored
    store.record_sent("whatsapp", "s1", "wamid.2", "template")
    store.record_sent("whatsapp", "s2", "wamid.3", "text", "ander")
    first = store.delivery("wamid.1")
    assert (first.status, first.error, first.text, first.kind) == (
        "accepted",
        None,
        "eerste tekst",
        "text",
    )
    assert store.record_status("wamid.1", "read", ts=5000.0).status == "read"
    late = store.record_status("wamid.1", "delivered", ts=6000.0)  # lower, late: ignored
    assert (late.status, late.updated) == ("read", 5000.0)
    failed = store.record_status("wamid.2", "failed", "131047 Re-engagement message")
    assert (failed.status, failed.error, failed.text) == (
        "failed",
        "131047 Re-engagement message",
        "",
    )
    assert store.record_status("wamid.2", "read").status == "failed"
    assert store.record_status("wamid.onbekend", "read") is None
    assert store.record_status("wamid.1", "vreemd") is None
    assert store.delivery("wamid.onbekend") is None
    sent = store.deliveries("s1")
    assert [d.message_id for d in sent] == ["wamid.1", "wamid.2"]  # oldest first
    assert store.deliveries("s1", since=time.time() + 60) == []
    assert [d.text for d in store.deliveries("s2")] == ["ander"]


def inbox(store: ChannelStore) -> None:
    assert store.inbox() == []
    store.add_inbox("whatsapp", "s1", "mijn vraag over huur", "rasa.core.processor")
    store.add_inbox("telegram", "s2", "nog een vraag", "actions")
    entries = store.inbox()
    assert [(e.channel, e.recipient, e.text, e.reason) for e in entries] == [
        ("whatsapp", "s1", "mijn vraag over huur", "rasa.core.processor"),
        ("telegram", "s2", "nog een vraag", "actions"),
    ]
    assert entries[0].id < entries[1].id


def forget(store: ChannelStore) -> None:
    for sender in ("weg", "blijft"):
        store.remember_sender("whatsapp", sender, "31600000000")
        store.add_alias("whatsapp", f"h-{sender}", sender)
        store.record_sent("whatsapp", sender, f"wamid.{sender}", "text", "tekst")
        store.record_inbound("whatsapp", sender)
        store.add_outbox("whatsapp", sender, "wacht", "outside_24h")
        store.add_inbox("whatsapp", sender, "vraag", "actions")
    store.short_key("/een_knop", "k:")
    assert store.forget("weg") == 6  # one row in each table keyed by the resident
    assert store.forget("weg") == 0
    assert store.address("whatsapp", "weg") is None and store.alias("whatsapp", "h-weg") is None
    assert store.deliveries("weg") == [] and store.last_inbound("whatsapp", "weg") is None
    assert store.outbox(recipient="weg") == [] and {e.recipient for e in store.inbox()} == {
        "blijft"
    }
    assert store.address("whatsapp", "blijft") == "31600000000"
    assert len(store.deliveries("blijft")) == 1 and store.alias("whatsapp", "h-blijft")


def purge(store: ChannelStore) -> None:
    store.record_inbound("whatsapp", "oud", ts=1000.0)
    store.record_inbound("whatsapp", "nieuw", ts=time.time())
    store.remember_sender("whatsapp", "nieuw", "31600000000")
    store.short_key("/een_knop", "k:")
    store.record_sent("whatsapp", "nieuw", "wamid.x", "text", "tekst")
    store.record_status("wamid.x", "read", ts=1500.0)  # last status long ago
    assert store.purge(2000.0) == 2  # the old window and the old delivery
    assert store.last_inbound("whatsapp", "oud") is None
    assert store.last_inbound("whatsapp", "nieuw") and store.delivery("wamid.x") is None
    assert store.address("whatsapp", "nieuw") == "31600000000"
    assert store.purge(time.time() + 1) == 3  # sender, window, payload
    assert store.address("whatsapp", "nieuw") is None


BEHAVIOURS: list[Check] = [
    remember_sender_and_address,
    short_key_and_payload,
    record_inbound_and_last_inbound,
    outbox_add_and_take,
    alias,
    record_sent_status_and_deliveries,
    inbox,
    forget,
    purge,
]
