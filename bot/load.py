"""Load generator for the REST channel: many residents at once, each a real conversation.

Every simulated resident sends its messages one after another (a person waits for the answer)
while all residents run at the same time. Turns rotate over the given base URLs, so with two Rasa
instances every conversation hops between them and only a shared tracker store keeps its context.
Each reply is checked against what the turn must contain, so a lost context shows as a wrong
answer, not only as a slow one. Used by ``tests/test_load.py``, ``tests/test_scale.py`` and the
benchmark.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field

REST_PATH = "/webhooks/rest/webhook"

# (message, parts the reply must contain). The follow-ups only make sense with the context of the
# turn before: "en hoe vraag ik dat aan?" must be about the regulation asked for just before.
CONVERSATIONS: list[list[tuple[str, list[str]]]] = [
    [
        ("wat is zorgtoeslag", ["Zorgtoeslag"]),
        ("en hoe vraag ik dat aan?", ["Zo vraag je Zorgtoeslag aan"]),
        ("wat moet ik meenemen", ["Zorgtoeslag"]),
    ],
    [
        ("wat is huurtoeslag", ["Huurtoeslag"]),
        ("en hoe vraag ik dat aan?", ["Zo vraag je Huurtoeslag aan"]),
        ("wat moet ik meenemen", ["Huurtoeslag"]),
    ],
    [
        ("ik heb schulden wat nu", ["Geldfit"]),
        ("dankjewel", ["Graag gedaan"]),
    ],
]


def script(length: int, offset: int = 0) -> list[tuple[str, list[str]]]:
    """A conversation of ``length`` turns made of whole conversations, starting at ``offset``."""
    turns: list[tuple[str, list[str]]] = []
    i = offset
    while len(turns) < length:
        turns.extend(CONVERSATIONS[i % len(CONVERSATIONS)])
        i += 1
    return turns[:length]


@dataclass
class LoadResult:
    """What a load run measured."""

    users: int
    messages_per_user: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # HTTP errors, timeouts, empty replies
    wrong: list[str] = field(default_factory=list)  # replies without the expected content
    senders: dict[str, int] = field(default_factory=dict)  # sender id -> messages sent
    per_url: dict[str, int] = field(default_factory=dict)  # base URL -> messages sent

    @property
    def sent(self) -> int:
        return sum(self.senders.values())

    @property
    def throughput(self) -> float:
        """Replies per second over the whole run."""
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies_ms, p)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (no interpolation), 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, -(-p * len(ordered) // 100) - 1))
    return ordered[int(k)]


async def _resident(
    session,
    urls: list[str],
    user: int,
    sender: str,
    turns: list[tuple[str, list[str]]],
    result: LoadResult,
    timeout: float,
) -> None:
    import aiohttp

    for k, (text, expect) in enumerate(turns):
        base = urls[(user + k) % len(urls)]
        result.senders[sender] = result.senders.get(sender, 0) + 1
        result.per_url[base] = result.per_url.get(base, 0) + 1
        t0 = time.perf_counter()
        try:
            async with session.post(
                base + REST_PATH,
                json={"sender": sender, "message": text},
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as resp:
                body = await resp.json(content_type=None) if resp.status == 200 else None
                status = resp.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            result.errors.append(f"{sender} turn {k}: {type(exc).__name__}")
            continue
        result.latencies_ms.append((time.perf_counter() - t0) * 1000)
        if status != 200 or not body:
            result.errors.append(f"{sender} turn {k}: HTTP {status}, {len(body or [])} replies")
            continue
        reply = "\n".join(m.get("text") or "" for m in body)
        missing = [e for e in expect if e not in reply]
        if missing:
            result.wrong.append(f"{sender} turn {k} {text!r}: missing {missing}")


async def run_async(
    urls: list[str],
    users: int,
    messages: int,
    timeout: float = 60.0,
    prefix: str | None = None,
) -> LoadResult:
    """``users`` residents at once, each sending ``messages`` messages in turn."""
    import aiohttp

    prefix = prefix or f"load-{uuid.uuid4().hex[:8]}"
    result = LoadResult(users=users, messages_per_user=messages, seconds=0.0)
    connector = aiohttp.TCPConnector(limit=users + 4)
    async with aiohttp.ClientSession(connector=connector) as session:
        t0 = time.perf_counter()
        await asyncio.gather(
            *(
                _resident(
                    session,
                    urls,
                    u,
                    f"{prefix}-{u}",
                    script(messages, u),
                    result,
                    timeout,
                )
                for u in range(users)
            )
        )
        result.seconds = time.perf_counter() - t0
    return result


def run(urls: list[str], users: int, messages: int, **kw) -> LoadResult:
    """Blocking wrapper around :func:`run_async`."""
    return asyncio.run(run_async(urls, users, messages, **kw))


def sequential(urls: list[str], conversations: int, messages: int = 8) -> LoadResult:
    """One resident at a time: ``conversations`` short conversations after each other (fresh
    senders, so the per-sender rate limit never kicks in)."""
    total = LoadResult(users=1, messages_per_user=conversations * messages, seconds=0.0)
    for _ in range(conversations):
        r = run(urls, 1, messages)
        total.seconds += r.seconds
        total.latencies_ms += r.latencies_ms
        total.errors += r.errors
        total.wrong += r.wrong
        total.senders.update(r.senders)
        for url, n in r.per_url.items():
            total.per_url[url] = total.per_url.get(url, 0) + n
    return total


def conversation_id(sender: str, channel: str = "rest") -> str:
    """The id Rasa keeps the conversation under: our channels pseudonymise the sender."""
    try:
        from channels.identity import pseudonym
    except ImportError:  # pragma: no cover - without the privacy layer ids are kept as sent
        return sender
    return pseudonym(channel, sender)


def tracker_user_messages(base: str, token: str, sender: str) -> list[str]:
    """The user messages Rasa's tracker store holds for ``sender`` (via the HTTP API).

    ``sender`` is what the resident's client sent; the tracker is looked up under its pseudonym
    (the same keyed hash the channel uses, so this process needs the same ``BW_SECRET_KEY``).
    """
    import json
    import urllib.parse
    import urllib.request

    conv = urllib.parse.quote(conversation_id(sender), safe="")
    url = f"{base}/conversations/{conv}/tracker?token={token}"
    with urllib.request.urlopen(url, timeout=30) as resp:
        tracker = json.loads(resp.read())
    return [e.get("text") or "" for e in tracker.get("events", []) if e.get("event") == "user"]


def lost_messages(result: LoadResult, base: str, token: str) -> dict[str, tuple[int, int]]:
    """Senders whose tracker holds fewer user messages than were sent: sender -> (sent, kept)."""
    lost = {}
    for sender, sent in result.senders.items():
        kept = len(tracker_user_messages(base, token, sender))
        if kept != sent:
            lost[sender] = (sent, kept)
    return lost


def summary(result: LoadResult) -> str:
    """One line with the numbers."""
    return (
        f"{result.users} users x {result.messages_per_user} messages: {len(result.latencies_ms)} replies "
        f"in {result.seconds:.1f} s = {result.throughput:.1f} replies/s; "
        f"p50 {result.percentile(50):.0f} ms, p95 {result.percentile(95):.0f} ms, "
        f"p99 {result.percentile(99):.0f} ms; errors {len(result.errors)}, wrong {len(result.wrong)}"
    )
