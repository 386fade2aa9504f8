"""Benchmark: model load time, in-process reply latency (p50/p95/p99), peak memory, kb search.

Prints numbers; it is not a test. ``python -m bot bench`` (or ``make bench``).
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import time

from bot import runtime, training

MESSAGES = [
    "hoi",
    "wie bel je als je financieel in de problemen raakt",
    "wat is zorgtoeslag",
    "en hoe vraag ik dat aan?",
    "ik heb schulden wat nu",
    "wat is huurtoeslag",
    "wat moet ik meenemen",
    "dankjewel",
    "ik kom niet rond",
    "wat is de stadspas",
    "wie wint de eredivisie",
    "ik wil een mens spreken",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


async def _measure(agent, rounds: int) -> list[float]:
    times = []
    for r in range(rounds):
        for i, text in enumerate(MESSAGES):
            t0 = time.perf_counter()
            await agent.handle_text(text, sender_id=f"bench-{r}-{i // 4}")
            times.append((time.perf_counter() - t0) * 1000)
    return times


def run(rounds: int = 10) -> dict[str, float]:
    """Measure and return the numbers (also printed)."""
    runtime.ensure_knowledge(quiet=True)
    model = training.ensure_model()
    proc, url = runtime.start_action_server()
    try:
        runtime.configure_rasa_logging()
        t0 = time.perf_counter()
        agent = runtime.load_agent(model, url)
        load_s = time.perf_counter() - t0
        loop = asyncio.new_event_loop()
        loop.run_until_complete(agent.handle_text("hoi", sender_id="warmup"))
        times = loop.run_until_complete(_measure(agent, rounds))
        loop.close()
    finally:
        runtime.stop(proc)
    from knowledge.cli import QUERIES
    from knowledge.service import KnowledgeService

    kb = KnowledgeService()
    kb_times = []
    for _ in range(20):
        for q in QUERIES:
            t = time.perf_counter()
            kb.search(q, gemeente="amsterdam")
            kb_times.append((time.perf_counter() - t) * 1000)
    out = {
        "model_load_s": load_s,
        "reply_p50_ms": statistics.median(times),
        "reply_p95_ms": percentile(times, 95),
        "reply_p99_ms": percentile(times, 99),
        "replies": len(times),
        "rasa_process_peak_rss_mb": _rss_mb(resource.RUSAGE_SELF),
        "kb_search_p50_ms": statistics.median(kb_times),
        "kb_search_p95_ms": percentile(kb_times, 95),
    }
    print(f"model load: {out['model_load_s']:.1f} s")
    print(
        f"reply latency in-process ({out['replies']} replies, 1 user, real action server): "
        f"p50 {out['reply_p50_ms']:.1f} ms, p95 {out['reply_p95_ms']:.1f} ms, p99 {out['reply_p99_ms']:.1f} ms"
    )
    print(f"peak RSS of the Rasa process: {out['rasa_process_peak_rss_mb']:.0f} MB")
    print(
        f"kb search ({len(kb_times)} queries): p50 {out['kb_search_p50_ms']:.2f} ms, p95 {out['kb_search_p95_ms']:.2f} ms"
    )
    return out
