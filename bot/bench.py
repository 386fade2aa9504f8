"""Benchmark: speed, memory and quality numbers, written to docs/quality.md with machine info.

``python -m bot bench`` (or ``make bench``). It is not a test: it measures and reports, against
the targets of issue 10, and owns the ``bench``, ``baseline`` and ``load`` sections of
docs/quality.md (``python -m bot eval`` owns the NLU and crisis sections).

What runs, in order: model load (with where the time goes), NLU on the held-out set next to a
TF-IDF baseline, knowledge search, then a real ``rasa run`` with the REST channel and a real
action server (SQLite tracker, as shipped): one resident, 20 at once, and the load test of issue 8
(50 x 20); optionally the scale-out setup (``--scale``); finally a cold training into a temporary
folder (``--no-train`` skips it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot import env, load, runtime, serve, training

TARGETS = {
    "p95_one_user_ms": 60.0,
    "throughput_20_users": 50.0,
    "model_load_s": 10.0,
    "training_s": 120.0,
    "rasa_rss_mb": 1024.0,
}


def percentile(values: list[float], p: float) -> float:
    return load.percentile(values, p)


# --- machine ----------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    """CPU model, cores, RAM, Python, Rasa versions, date."""
    from importlib.metadata import version

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rasa": version("rasa"),
        "rasa_sdk": version("rasa-sdk"),
        "tensorflow": version("tensorflow"),
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a running process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- model load -------------------------------------------------------------------------

_PROBE = """
import json, time, sys
t0 = time.perf_counter()
import tensorflow
t1 = time.perf_counter()
import rasa.core.agent
from bot import runtime
runtime.configure_rasa_logging()
t2 = time.perf_counter()
agent = rasa.core.agent.Agent.load(sys.argv[1])
t3 = time.perf_counter()
import asyncio
asyncio.run(agent.parse_message("hoi"))
t4 = time.perf_counter()
print(json.dumps({"import_tensorflow_s": t1 - t0, "import_rasa_s": t2 - t1,
                  "agent_load_s": t3 - t2, "first_parse_s": t4 - t3, "total_s": t4 - t0}))
"""


def model_load_breakdown(model: Path) -> dict[str, float]:
    """Model load in a fresh process: imports, ``Agent.load`` and the first parse, separately."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(model)],
        cwd=env.ROOT,
        env=env.apply(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- NLU next to the baseline -------------------------------------------------------------


def nlu_side_by_side(agent) -> dict[str, Any]:
    """Held-out accuracy and per-message latency: the trained pipeline and the TF-IDF baseline."""
    from bot import baseline, evaluate

    examples = evaluate.heldout_examples()

    async def parse_all() -> tuple[list[str], list[float]]:
        preds, times = [], []
        for text, _ in examples:
            t = time.perf_counter()
            preds.append((await agent.parse_message(text))["intent"]["name"])
            times.append((time.perf_counter() - t) * 1000)
        return preds, times

    loop = asyncio.new_event_loop()
    preds, times = loop.run_until_complete(parse_all())
    loop.close()
    pairs = [(g, p) for (_, g), p in zip(examples, preds, strict=True)]
    rasa = {
        "n": len(pairs),
        "accuracy": sum(g == p for g, p in pairs) / len(pairs),
        "macro_f1": evaluate.macro_f1(pairs),
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
    }
    crisis = evaluate.evaluate_crisis()
    return {"rasa": rasa, "baseline": baseline.evaluate(examples), "crisis": crisis}


# --- knowledge search ---------------------------------------------------------------------


def kb_search_times() -> list[float]:
    from knowledge.cli import QUERIES
    from knowledge.service import KnowledgeService

    kb = KnowledgeService()
    kb.search("zorgtoeslag")  # builds the in-process index once
    times = []
    for _ in range(20):
        for q in QUERIES:
            t = time.perf_counter()
            kb.search(q, gemeente="amsterdam")
            times.append((time.perf_counter() - t) * 1000)
    return times


#: Adversarial inputs for the masker (issue #19 item 2): a megabyte each.
MASKING_INPUTS = {
    "1 MB of one letter": "a" * 1_000_000,
    "1 MB of 'a@b'": "a@b" * 333_333,
    "1 MB of words": ("ik heb een vraag over mijn zorgtoeslag " * 26_000)[:1_000_000],
    "1 MB of digit groups": "1234 " * 200_000,
    "1 MB of 'NL91 '": "NL91 " * 200_000,
    "1 MB of phone numbers": "06.12.34.56.78 " * 66_000,
    "1 MB of name and secret cues": "mijn naam is Jan code is x " * 37_000,
}


def masking_times() -> dict[str, float]:
    """Milliseconds to mask each adversarial megabyte (best of 3)."""
    from nlu.pii import mask

    out = {}
    for name, text in MASKING_INPUTS.items():
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            mask(text)
            best = min(best, (time.perf_counter() - t) * 1000)
        out[name] = best
    return out


# --- REST end to end ----------------------------------------------------------------------


def rest_runs(model: Path, rounds: int, load_users: int, load_messages: int) -> dict[str, Any]:
    """One resident, 20 residents, and the full load test against one ``rasa run`` (SQLite)."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bw-bench-") as tmp:
        folder = Path(tmp)
        actions, url = runtime.start_action_server(log_path=folder / "actions.log")
        rasa = None
        try:
            t0 = time.perf_counter()
            channels = {serve.REST: {"state_db": str(folder / "channels.db")}}
            rasa, base, token = serve.start_rasa_server(model, url, folder, channels=channels)
            out["rasa_ready_s"] = time.perf_counter() - t0
            load.run([base], 1, 4)  # warm-up: first-use caches in Rasa and the action server
            out["one_user"] = load.sequential([base], rounds)
            out["users_20"] = load.run([base], 20, 10)
            full = load.run([base], load_users, load_messages)
            out["load"] = full
            out["load_lost"] = load.lost_messages(full, base, token)
            out["rasa_rss_mb"] = peak_rss_mb(rasa.pid)
            out["actions_rss_mb"] = peak_rss_mb(actions.pid)
        finally:
            runtime.stop(rasa)
            runtime.stop(actions)
    return out


def scale_runs(model: Path) -> dict[str, Any]:
    """20 residents through nginx in front of two Rasa instances (bot/scale.py)."""
    from bot import scale

    missing = scale.missing_tools()
    if missing:
        return {"skipped": f"not installed: {', '.join(missing)} (scripts/scale.sh installs them)"}
    cfg = scale.ScaleConfig(folder=runtime.VAR / "scale-bench", base_port=5600)
    out: dict[str, Any] = {}
    try:
        info = scale.start(cfg, model=model)
        load.run([info["front"]], 2, 4)  # warm-up
        out["users_20"] = load.run([info["front"]], 20, 10)
        out["one_user"] = load.sequential([info["front"]], 5)
        out["rss_mb"] = {
            name: peak_rss_mb(int((cfg.run / f"{name}.pid").read_text()))
            for name in ("rasa-1", "rasa-2", "actions-1", "actions-2")
        }
    finally:
        scale.stop(cfg)
    return out


# --- training -----------------------------------------------------------------------------


def time_training() -> float:
    """A cold training (empty Rasa cache) into a temporary folder, in seconds."""
    with tempfile.TemporaryDirectory(prefix="bw-train-") as tmp:
        cmd = training.train_command("bench")
        cmd[cmd.index("--out") + 1] = tmp
        environ = {**env.apply(), "RASA_CACHE_DIRECTORY": str(Path(tmp) / "cache")}
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=env.ROOT, env=environ, check=True, capture_output=True)
        return time.perf_counter() - t0


# --- report -------------------------------------------------------------------------------


def _verdict(value: float, target: float, higher_is_better: bool = False) -> str:
    ok = value >= target if higher_is_better else value <= target
    if ok:
        return "met"
    ratio = target / value if higher_is_better else value / target
    return f"**missed** ({ratio:.1f}x)"


def _lat(r: load.LoadResult) -> str:
    return (
        f"p50 {r.percentile(50):.0f} / p95 {r.percentile(95):.0f} / p99 {r.percentile(99):.0f} ms"
    )


def report(res: dict[str, Any]) -> dict[str, str]:
    """The markdown sections this command owns."""
    m = res["machine"]
    rest = res["rest"]
    one, twenty, full = rest["one_user"], rest["users_20"], rest["load"]
    lb = res["load_breakdown"]
    scale_res = res.get("scale") or {}
    best_tp = max(
        twenty.throughput,
        scale_res["users_20"].throughput if "users_20" in scale_res else 0.0,
    )
    lines = [
        "## Speed and memory (`python -m bot bench`)",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, {m['os']}; Python {m['python']}, "
        f"Rasa {m['rasa']}, rasa-sdk {m['rasa_sdk']}, TensorFlow {m['tensorflow']}. "
        f"Measured {m['date']} (load average at start: {m['load_average']}; other work on the "
        "machine shows up in these numbers).",
        "",
        "End to end = HTTP POST to the REST channel (`/webhooks/rest/webhook`, with the privacy "
        "steps: rate limit, masking, pseudonymous sender) of a real `rasa run` until the JSON answer "
        "is back, with the real action server and the shipped SQLite tracker store (masking); "
        "conversations are the scripted ones in bot/load.py (regulation, follow-up, documents, "
        "debts), each answer checked for the expected content.",
        "",
        "| measure | value | target | verdict |",
        "|---|---|---|---|",
        f"| reply latency, 1 resident ({len(one.latencies_ms)} replies) | {_lat(one)} | p95 ≤ 60 ms | "
        f"{_verdict(one.percentile(95), TARGETS['p95_one_user_ms'])} |",
        f"| 20 residents at once, 1 Rasa ({len(twenty.latencies_ms)} replies) | {twenty.throughput:.1f} replies/s, "
        f"{_lat(twenty)}, {len(twenty.errors)} errors | ≥ 50 replies/s, no errors | "
        f"{_verdict(twenty.throughput, TARGETS['throughput_20_users'], True)} |",
    ]
    if "users_20" in scale_res:
        s20 = scale_res["users_20"]
        lines.append(
            f"| 20 residents at once, scale-out (2 Rasa + 2 action servers, nginx, PostgreSQL, Redis) | "
            f"{s20.throughput:.1f} replies/s, {_lat(s20)}, {len(s20.errors)} errors | ≥ 50 replies/s | "
            f"{_verdict(s20.throughput, TARGETS['throughput_20_users'], True)} |"
        )
        lines.append(
            f"| reply latency, 1 resident, scale-out | {_lat(scale_res['one_user'])} | | |"
        )
    elif scale_res.get("skipped"):
        lines.append(f"| scale-out | not measured: {scale_res['skipped']} | | |")
    lines += [
        f"| model load (`Agent.load`, fresh process) | {lb['agent_load_s']:.1f} s (+ imports: TensorFlow "
        f"{lb['import_tensorflow_s']:.1f} s, Rasa {lb['import_rasa_s']:.1f} s; first parse "
        f"{lb['first_parse_s']:.2f} s) | ≤ 10 s | {_verdict(lb['agent_load_s'], TARGETS['model_load_s'])} |",
        f"| `rasa run` start until it answers | {rest['rasa_ready_s']:.1f} s | | |",
        f"| peak RSS, `rasa run` | {rest['rasa_rss_mb']:.0f} MB | ≤ 1024 MB | "
        f"{_verdict(rest['rasa_rss_mb'], TARGETS['rasa_rss_mb'])} |",
        f"| peak RSS, action server | {rest['actions_rss_mb']:.0f} MB | | |",
    ]
    if "rss_mb" in scale_res:
        lines.append(
            "| peak RSS, scale-out processes | "
            + ", ".join(f"{k} {v:.0f} MB" for k, v in scale_res["rss_mb"].items())
            + " | | |"
        )
    if res.get("training_s") is not None:
        lines.append(
            f"| training (cold: empty Rasa cache, temporary output folder) | {res['training_s']:.0f} s | "
            f"≤ 120 s | {_verdict(res['training_s'], TARGETS['training_s'])} |"
        )
    else:
        lines.append("| training | not timed in this run (`--no-train`) | ≤ 120 s | |")
    kb = res["kb_ms"]
    lines.append(
        f"| knowledge search ({len(kb)} queries, SQLite FTS5) | p50 {percentile(kb, 50):.2f} / "
        f"p95 {percentile(kb, 95):.2f} ms | | |"
    )
    for name, ms in (res.get("masking_ms") or {}).items():
        lines.append(f"| masking, {name} | {ms:.0f} ms | < 100 ms | {_verdict(ms, 100)} |")
    lines += [
        "",
        f"Best throughput with 20 residents: {best_tp:.1f} replies/s (target 50).",
    ]

    nlu = res["nlu"]
    r, b, c = nlu["rasa"], nlu["baseline"], nlu["crisis"]
    from bot.evaluate import cross_validation_from_report

    cv = cross_validation_from_report()
    base_lines = [
        "## Dialogue engine next to a simple baseline (`python -m bot bench`)",
        "",
        "Same run, same held-out set (tests/data/nlu_heldout.yml, never trained on), same training "
        "examples (nlu/*.yml). Baseline: TF-IDF (words + character 2–4-grams) nearest neighbour "
        "(bot/baseline.py), no dialogue state.",
        "",
        "| | trained pipeline (logistic regression + fallback + crisis detector) | TF-IDF baseline | ratio |",
        "|---|---|---|---|",
        f"| held-out intent accuracy ({r['n']}) | {r['accuracy']:.3f} | {b['accuracy']:.3f} | "
        f"{r['accuracy'] / b['accuracy']:.2f}x |",
        f"| held-out macro-F1 | {r['macro_f1']:.3f} | {b['macro_f1']:.3f} | "
        f"{r['macro_f1'] / b['macro_f1']:.2f}x |",
        f"| latency per message, p50 / p95 | {r['p50_ms']:.1f} / {r['p95_ms']:.1f} ms | "
        f"{b['p50_ms']:.1f} / {b['p95_ms']:.1f} ms | {r['p95_ms'] / b['p95_ms']:.1f}x slower |",
        "",
        f"- Crisis recall: {c['recall']:.3f} on {c['n']} messages (tuned set); false alarms "
        f"{len(c['false_alarms'])} of {c['n_ordinary']} ordinary messages. The safety net (patterns "
        f"and model) takes p50 {c['latency_ms']['p50']:.2f} / p95 {c['latency_ms']['p95']:.2f} ms "
        "per message (target ≤ 5 ms p95).",
        f"- {cv}" if cv else "- Cross-validation: run `python -m bot eval`.",
        '- What the baseline cannot do at all: keep context ("en hoe vraag ik dat aan?" after a '
        "regulation), run actions against the knowledge base, hand over to a person. Those are "
        "covered by tests/test_conversations.py and the load tests, which check each answer.",
    ]

    load_lines = [
        "## Load test (issue 8, `python -m bot bench`)",
        "",
        f"{full.users} residents at once × {full.messages_per_user} messages each through the REST "
        "channel of one `rasa run` (SQLite tracker store) on loopback.",
        "",
        f"- {len(full.latencies_ms)} replies in {full.seconds:.1f} s: {full.throughput:.1f} replies/s; {_lat(full)}.",
        f"- Errors: {len(full.errors)}; answers without the expected content: {len(full.wrong)}."
        + "".join(f"\n  - {e}" for e in (full.errors + full.wrong)[:8]),
        f"- Trackers checked afterwards through the HTTP API: {len(full.senders)} conversations, "
        f"{'all messages kept' if not rest['load_lost'] else 'LOST: ' + str(rest['load_lost'])}.",
        "- The bounded version (10 × 5) runs in every `make test` (tests/test_load.py); the "
        "scale-out version (20 × 8 over both instances and nginx) in tests/test_scale.py with "
        "`BW_SCALE_TESTS=1`.",
    ]
    return {
        "bench": "\n".join(lines),
        "baseline": "\n".join(base_lines),
        "load": "\n".join(load_lines),
    }


def run(
    rounds: int = 10,
    load_users: int = 50,
    load_messages: int = 20,
    train: bool = True,
    scale: bool = False,
    write: bool = True,
) -> dict[str, Any]:
    """Measure everything, write docs/quality.md (our sections) and print the report."""
    from bot import evaluate

    res: dict[str, Any] = {"machine": machine_info()}
    runtime.ensure_knowledge(quiet=True)
    model = training.ensure_model()
    print("Model load...", flush=True)
    res["load_breakdown"] = model_load_breakdown(model)
    runtime.configure_rasa_logging()
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    print("NLU next to the baseline...", flush=True)
    res["nlu"] = nlu_side_by_side(agent)
    del agent
    res["kb_ms"] = kb_search_times()
    res["masking_ms"] = masking_times()
    print("REST end to end (1, 20, load test)...", flush=True)
    res["rest"] = rest_runs(model, rounds, load_users, load_messages)
    if scale:
        print("Scale-out...", flush=True)
        res["scale"] = scale_runs(model)
    if train:
        print("Cold training...", flush=True)
        res["training_s"] = time_training()
    sections = report(res)
    if write:
        evaluate.write_report(sections)
    print("\n\n".join(sections.values()))
    return res
