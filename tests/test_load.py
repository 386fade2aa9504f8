"""Load on loopback (issue 8): many residents at once through the REST channel of one real
``rasa run`` (SQLite tracker store). No errors, every answer right for its own conversation, and
afterwards every conversation's tracker holds all its messages. The full size (50 x 20) runs in
``python -m bot bench``; this bounded version keeps the suite fast.
"""

from __future__ import annotations

from bot import load

USERS = 10
MESSAGES = 5


def test_concurrent_residents_lose_no_message(rasa_server):
    base, token = rasa_server
    result = load.run([base], USERS, MESSAGES)
    print("\nload:", load.summary(result))
    assert not result.errors, result.errors[:5]
    assert not result.wrong, result.wrong[:5]
    assert len(result.latencies_ms) == USERS * MESSAGES
    assert load.lost_messages(result, base, token) == {}
    # Generous bound against pathological slowness (a hang, a lock convoy), not a speed target:
    # the targets are measured and reported by the benchmark.
    assert result.percentile(95) < 15_000


def test_lost_message_check_sees_a_missing_message(rasa_server):
    """The tracker check is not vacuous: a conversation we claim to have sent more to is caught."""
    base, token = rasa_server
    result = load.run([base], 1, 2)
    sender = next(iter(result.senders))
    assert load.lost_messages(result, base, token) == {}
    result.senders[sender] += 1
    assert load.lost_messages(result, base, token) == {sender: (3, 2)}
