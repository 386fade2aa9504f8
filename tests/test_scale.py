"""Scale-out on loopback: two Rasa instances and two action servers behind nginx, sharing a
PostgreSQL tracker store and a Redis lock store (bot/scale.py).

Conversations hop between the instances on every turn under concurrent load; the follow-up
questions only get the right answer when the context stored by the other instance is used, and
afterwards every user message must be in PostgreSQL. Runs only with ``BW_SCALE_TESTS=1``
(it starts PostgreSQL, Redis, nginx and two more Rasa processes: about a minute on 2 cores).
"""

from __future__ import annotations

import os
import socket

import pytest

from bot import load, runtime, scale

pytestmark = [
    pytest.mark.scale,
    pytest.mark.skipif(
        os.environ.get("BW_SCALE_TESTS") != "1",
        reason="scale-out test: set BW_SCALE_TESTS=1 (needs postgresql, redis-server, nginx)",
    ),
]

USERS = 20
MESSAGES = 8


def _free_base(start: int = 5500) -> int:
    """A base port whose scale-out ports (base .. base+21) are all free."""
    for base in range(start, start + 400, 50):
        ports = [base, base + 1, base + 2, base + 3, base + 10, base + 11, base + 20, base + 21]
        ok = True
        for p in ports:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", p)) == 0:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free port range for the scale-out test")


@pytest.fixture(scope="module")
def cluster(model_path):
    missing = scale.missing_tools()
    if missing:
        pytest.skip(f"scale-out test: not installed: {', '.join(missing)} (run scripts/scale.sh)")
    cfg = scale.ScaleConfig(folder=runtime.VAR / "scale-test", base_port=_free_base())
    try:
        info = scale.start(cfg, model=model_path)
    except Exception as exc:  # pragma: no cover - depends on the machine
        scale.stop(cfg)
        pytest.skip(f"scale-out test: could not start the servers: {exc}")
    yield cfg, info
    scale.stop(cfg)


def test_conversations_keep_context_across_instances_under_load(cluster):
    cfg, info = cluster
    urls = [*info["rasa"], info["front"]]  # direct to each instance, and through nginx
    result = load.run(urls, USERS, MESSAGES)
    print("\nscale-out:", load.summary(result))
    assert not result.errors, result.errors[:5]
    assert not result.wrong, result.wrong[:5]
    assert all(result.per_url.get(u, 0) > 0 for u in urls), result.per_url
    assert len(result.latencies_ms) == USERS * MESSAGES

    # Rasa's view: each conversation's tracker holds every user message, in order.
    for sender, sent in result.senders.items():
        texts = load.tracker_user_messages(info["front"], info["token"], sender)
        assert len(texts) == sent, (sender, sent, len(texts))

    # The store's view: the same count of user events in PostgreSQL, per conversation (the
    # channel stores conversations under a pseudonym of the sender).
    from sqlalchemy import create_engine, text

    expected = {load.conversation_id(s): n for s, n in result.senders.items()}
    engine = create_engine(scale.database_url(cfg, scale.TRACKER_DB), future=True)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT sender_id, count(*) FROM events WHERE type_name = 'user' GROUP BY sender_id"
            )
        ).all()
    engine.dispose()
    stored = {sender: n for sender, n in rows if sender in expected}
    assert stored == expected


def test_knowledge_base_and_cases_live_in_postgresql(cluster):
    cfg, _ = cluster
    from channels.cases import CaseStore
    from knowledge.db import make_engine
    from knowledge.service import KnowledgeService

    engine = make_engine(scale.database_url(cfg))
    assert engine.dialect.name == "postgresql"
    hits = KnowledgeService(engine).search("zorgtoelsag")
    assert hits and hits[0].ref == "zorgtoeslag", hits[:3]
    store = CaseStore(engine)
    assert store.take_outbox("nobody-scale-test") == []
    engine.dispose()


def test_status_reports_every_part_running(cluster):
    cfg, _ = cluster
    assert scale.status(cfg) == {
        "postgresql": True,
        "redis": True,
        "nginx": True,
        "actions-1": True,
        "actions-2": True,
        "rasa-1": True,
        "rasa-2": True,
    }


def test_the_retention_purge_reaches_the_running_setup(cluster):
    """``python -m bot.scale purge`` (scale.purge) deletes in this setup's PostgreSQL tracker, the
    one the instances write to (runs last: with a date a year ahead it deletes everything)."""
    import time

    from sqlalchemy import create_engine, text

    cfg, _ = cluster
    engine = create_engine(scale.database_url(cfg, scale.TRACKER_DB), future=True)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
    assert before > 0
    result = scale.purge(cfg, days=90, now=time.time() + 365 * 86400)
    with engine.connect() as conn:
        after = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
    engine.dispose()
    assert result["tracker_events"] == before and after == 0
