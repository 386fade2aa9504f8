"""Privacy in the stores themselves, without a model: masking in the tracker store, deletion on
the marker, retention purge over real SQLite files, encrypted channel state, rate limiting."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
import uuid
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine

from bot import privacy
from channels.cases import CaseStore
from channels.crypto import encrypt
from channels.identity import pseudonym
from channels.intake import helpline, mask_inbound, unavailable_text
from channels.ratelimit import RateLimiter
from channels.store import ChannelStore
from channels.tracker_store import FORGET_ACTION, PrivateSQLTrackerStore, mask_value
from knowledge import misses

ROOT = Path(__file__).resolve().parent.parent
# Valid test data: BSN passes the 11-proef, IBAN the mod-97 check.
BSN = "111222333"
IBAN = "NL91ABNA0417164300"
PHONE = "0612345678"
EMAIL = "jan.jansen@example.nl"
PII = (BSN, IBAN, PHONE, EMAIL, "NL91 ABNA 0417 1643 00")
# The call-back number as the hand-off stores it: a Fernet token made with this installation's key.
TOKEN = "enc:" + encrypt(PHONE)


def _raw(path: Path) -> str:
    """Every byte of a SQLite database (and its WAL), as text, to grep."""
    data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    return data.decode("latin-1")


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


def _store(tmp_path: Path, domain: Domain) -> PrivateSQLTrackerStore:
    return PrivateSQLTrackerStore(domain=domain, db_url=f"sqlite:///{tmp_path / 'tracker.db'}")


def _turn(sender: str, text: str, domain: Domain) -> DialogueStateTracker:
    parse = {"text": text, "intent": {"name": "vraag", "confidence": 1.0}, "entities": []}
    parse["entities"] = [{"entity": "email", "value": EMAIL, "start": 0, "end": 5}]
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered(text, parse["intent"], parse["entities"], parse_data=parse),
            SlotSet("handoff_telefoon", PHONE),
            SlotSet("handoff_vraag", f"mijn iban is {IBAN}"),
            SlotSet("handoff_telefoon", TOKEN),
            BotUttered(f"Je mailde vanaf {EMAIL}", metadata={"echo": BSN}),
        ],
        domain.slots,
    )


def test_mask_value_masks_nested_strings_but_keeps_encrypted_values():
    token = "enc:" + encrypt("0612345678")
    value = {"a": [f"bsn {BSN}", {"b": EMAIL}], "n": 3, "enc": token}
    masked = mask_value(value)
    assert masked == {"a": ["bsn [BSN]", {"b": "[E-MAIL]"}], "n": 3, "enc": token}


def test_a_typed_enc_prefix_does_not_pass_the_masking():
    """Only a token made with our key is kept raw; 'enc:' typed in front of a number is masked."""
    for typed in (f"enc:{BSN}", f"enc:{PHONE}", "enc:gAAAAABnep-" + BSN):
        masked = mask_value(typed)
        assert BSN not in masked and PHONE not in masked, masked


async def test_tracker_store_keeps_no_personal_data(tmp_path, domain):
    store = _store(tmp_path, domain)
    text = f"mijn bsn is {BSN}, iban {IBAN}, bel {PHONE} of mail {EMAIL}"
    await store.save(_turn("s1", text, domain))
    raw = _raw(tmp_path / "tracker.db")
    assert "mijn bsn is [BSN]" in raw and "[E-MAIL]" in raw  # the row is there, masked
    for item in PII:
        assert item not in raw, item
    tracker = await store.retrieve("s1")
    assert tracker.get_slot("handoff_telefoon") == TOKEN
    assert (
        tracker.latest_message.text
        == "mijn bsn is [BSN], iban [IBAN], bel [TELEFOON] of mail [E-MAIL]"
    )


async def test_forget_marker_deletes_every_session_of_the_sender(tmp_path, domain, monkeypatch):
    monkeypatch.setenv("BW_DATABASE_URL", f"sqlite:///{tmp_path / 'cases.db'}")
    monkeypatch.setenv("BW_CHANNELS_DB", str(tmp_path / "none.db"))
    store = _store(tmp_path, domain)
    await store.save(_turn("weg", "hoi", domain))
    await store.save(_turn("blijft", "hoi", domain))
    tracker = await store.retrieve("weg")
    tracker.update(ActionExecuted(FORGET_ACTION))
    await store.save(tracker)
    assert await store.retrieve("weg") is None
    assert await store.retrieve("blijft") is not None
    con = sqlite3.connect(tmp_path / "tracker.db")
    assert con.execute("select count(*) from events where sender_id='weg'").fetchone() == (0,)


def test_channel_store_encrypts_ids_and_texts(tmp_path):
    path = tmp_path / "channels.db"
    store = ChannelStore(path)
    sender = pseudonym("whatsapp", "31612345678")
    assert store.remember_sender("whatsapp", sender, "31612345678") is True
    assert store.remember_sender("whatsapp", sender, "31612345678") is False
    store.add_outbox("whatsapp", sender, "geheime tekst voor de bewoner", "outside_24h")
    store.add_inbox("whatsapp", sender, "mijn vraag over huur", "rasa.core.processor")
    assert store.address("whatsapp", sender) == "31612345678"
    assert store.outbox()[0].text == "geheime tekst voor de bewoner"
    assert store.inbox()[0].text == "mijn vraag over huur"
    raw = _raw(path)
    for secret in ("31612345678", "geheime tekst", "mijn vraag"):
        assert secret not in raw
    assert store.forget(sender) == 3
    assert store.address("whatsapp", sender) is None and store.outbox() == []


def test_pseudonyms_are_stable_keyed_and_per_channel():
    assert pseudonym("telegram", 123) == pseudonym("telegram", "123")
    assert pseudonym("telegram", 123) != pseudonym("whatsapp", 123)
    assert len(pseudonym("bw", "x")) == 32 and "123" not in pseudonym("telegram", 123)


def test_forget_removes_cases_notes_outbox_and_channel_rows(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'cases.db'}", future=True)
    cases = CaseStore(engine)
    sender, other = f"p-{uuid.uuid4().hex}", f"q-{uuid.uuid4().hex}"
    case = cases.create(sender, "bw", "vraag", "samenvatting", "chat")
    cases.add_note(case.id, "anna", "we bellen je")
    cases.queue(sender, "bw", "bericht van anna")
    cases.create(other, "bw", "vraag", "ander", "chat")
    channel = ChannelStore(tmp_path / "channels.db")
    channel.remember_sender("telegram", sender, "4242")
    channel.record_inbound("telegram", sender)
    misses.record(engine, "waar vind ik de zwemles voor mijn dochter")
    misses.record(engine, "een vraag van iemand anders")
    counts = privacy.forget(
        sender,
        engine,
        [str(tmp_path / "channels.db")],
        texts=["waar vind ik de zwemles voor mijn dochter"],
    )
    assert counts == {"cases": 1, "notes": 1, "outbox": 1, "channel_rows": 2, "search_misses": 1}
    assert [r["vraag"] for r in misses.top(engine)] == ["een vraag van iemand anders"]
    assert cases.open_case_for(sender) is None and cases.take_outbox(sender) == []
    assert cases.notes(case.id) == [] and cases.open_case_for(other) is not None


async def test_purge_deletes_only_what_is_older_than_the_retention(tmp_path, domain):
    now = time.time()
    old, recent = now - 100 * 86400, now - 5 * 86400
    # tracker: one stale conversation, one with an old and a new session
    store = _store(tmp_path, domain)
    for sender, stamps in {"stale": [old], "active": [old, recent]}.items():
        events = []
        for ts in stamps:
            events += [
                ActionExecuted("action_session_start", timestamp=ts),
                SessionStarted(timestamp=ts),
                UserUttered("hoi", timestamp=ts + 1),
            ]
        await store.save(DialogueStateTracker.from_events(sender, events, domain.slots))
    # cases: one old closed, one recent
    engine = create_engine(f"sqlite:///{tmp_path / 'cases.db'}", future=True)
    cases = CaseStore(engine)
    gone = cases.create("oud", "bw", "vraag", "x", "chat")
    cases.close(gone.id)
    keep = cases.create("nieuw", "bw", "vraag", "y", "chat")
    with engine.begin() as con:
        con.exec_driver_sql(
            "UPDATE handoff_case SET created_at = ?, closed_at = ? WHERE id = ?",
            (dt.datetime.utcfromtimestamp(old), dt.datetime.utcfromtimestamp(old), gone.id),
        )
    # searches that found nothing: one asked long ago, one recently
    misses.record(engine, "oude zoekvraag")
    misses.record(engine, "nieuwe zoekvraag")
    with engine.begin() as con:
        con.exec_driver_sql(
            "UPDATE search_miss SET last_seen = ? WHERE query = 'oude zoekvraag'",
            (dt.datetime.utcfromtimestamp(old),),
        )
    # channel state and logs
    channel = ChannelStore(tmp_path / "channels.db")
    channel.record_inbound("whatsapp", "oud", ts=old)
    channel.record_inbound("whatsapp", "nieuw", ts=recent)
    logs = tmp_path / "logs"
    logs.mkdir()
    for name, mtime in {"rasa.log.1": old, "actions.log": recent, "oud.log": old}.items():
        (logs / name).write_text("x")
        os.utime(logs / name, (mtime, mtime))

    result = privacy.purge(
        days=90,
        now=now,
        tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        engine=engine,
        channel_stores=[str(tmp_path / "channels.db")],
        log_dir=logs,
    )
    assert result == {
        "tracker_events": 6,  # all 3 of 'stale', the 3 of the old session of 'active'
        "cases": 1,
        "notes": 0,
        "outbox": 0,
        "channel_rows": 1,
        "log_files": 2,
        "search_misses": 1,
        "content_reports": 0,  # tests/test_console_reports.py
    }
    assert [r["vraag"] for r in misses.top(engine)] == ["nieuwe zoekvraag"]
    con = sqlite3.connect(tmp_path / "tracker.db")
    assert con.execute("select distinct sender_id from events").fetchall() == [("active",)]
    assert cases.get(gone.id) is None and cases.get(keep.id) is not None
    assert channel.last_inbound("whatsapp", "nieuw") and not channel.last_inbound("whatsapp", "oud")
    assert sorted(p.name for p in logs.iterdir()) == ["actions.log"]


def test_inbound_masking_keeps_phone_numbers_for_the_handoff():
    text = f"bsn {BSN} iban {IBAN} mail {EMAIL} bel {PHONE}"
    assert mask_inbound(text) == f"bsn [BSN] iban [IBAN] mail [E-MAIL] bel {PHONE}"


def test_fallback_number_comes_from_the_knowledge_base():
    name, phone = helpline()
    source = (ROOT / "knowledge/content/sociale_kaart/geldfit.yaml").read_text(encoding="utf8")
    assert phone in source and name in source
    assert phone in unavailable_text() and "ligt niet aan jou" in unavailable_text()


def test_rate_limiter_allows_the_limit_then_tells_once_per_window():
    now = [0.0]
    limiter = RateLimiter(3, 60, clock=lambda: now[0])
    assert [limiter.check("a").allowed for _ in range(3)] == [True, True, True]
    first, second = limiter.check("a"), limiter.check("a")
    assert (first.allowed, first.notify) == (False, True)
    assert (second.allowed, second.notify) == (False, False)
    assert limiter.check("b").allowed  # per sender
    now[0] = 61
    assert limiter.check("a").allowed


def test_rate_limit_from_environment(monkeypatch):
    monkeypatch.setenv("BW_RATE_LIMIT", "7/30")
    limiter = RateLimiter.from_env()
    assert (limiter.limit, limiter.window) == (7, 30)
    monkeypatch.setenv("BW_RATE_LIMIT", "0")
    assert all(RateLimiter.from_env().check("x").allowed for _ in range(100))


def test_retention_days_from_environment(monkeypatch):
    monkeypatch.delenv("BW_RETENTION_DAYS", raising=False)
    assert privacy.retention_days() == 90
    monkeypatch.setenv("BW_RETENTION_DAYS", "30")
    assert privacy.retention_days() == 30


def test_staff_replies_wait_encrypted_in_the_case_outbox(tmp_path):
    """A staff reply may hold a phone number: the outbox row never has it in the clear."""
    from sqlalchemy import text

    from channels.cases import CaseStore
    from knowledge.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'cases.db'}")
    cases = CaseStore(engine)
    cases.queue("sender-x", "bw", "Bel me gerust op 0612345678.")
    with engine.connect() as conn:
        stored = conn.execute(text("select text from outbox")).scalars().all()
    assert stored and all("0612345678" not in s for s in stored)
    assert cases.take_outbox("sender-x") == ["Bel me gerust op 0612345678."]
    assert cases.take_outbox("sender-x") == []


def test_forget_and_purge_work_on_a_case_database_that_has_no_tables_yet(tmp_path):
    """The desk tables are made before the deleting transaction (inside it SQLite waited on its
    own lock: 'database is locked')."""
    engine = create_engine(f"sqlite:///{tmp_path / 'cases.db'}", future=True)
    counts = privacy.forget("niemand", engine, channel_stores=[])
    assert counts == {"cases": 0, "notes": 0, "outbox": 0, "channel_rows": 0, "search_misses": 0}
    fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}", future=True)
    assert privacy.purge_cases(time.time(), fresh) == {"cases": 0, "notes": 0, "outbox": 0}
