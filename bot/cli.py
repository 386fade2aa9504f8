"""Command-line entry point: ``python -m bot <command>``.

setup   load the knowledge base and train the model if its inputs changed
train   train (``--force`` to retrain)
chat    the embedded default: knowledge base, model, action server and a terminal chat
serve   HTTP server on 127.0.0.1: REST, and Telegram/WhatsApp when configured
eval    NLU cross-validation, held-out accuracy, crisis recall -> docs/quality.md
blind   run a blind crisis set end to end through REST (tests/blind/<date>)
bench   speed, memory, load test and a baseline -> docs/quality.md
kb      knowledge-base commands (validate, load, search, stats, bench)
staff   console accounts (add, list, remove, password)
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bot import env
from knowledge.db import private_files


def cmd_setup(args: argparse.Namespace) -> int:
    from bot import runtime, training

    runtime.ensure_knowledge()
    model = training.ensure_model()
    print(f"Model: {model.name}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from bot import training

    print(training.ensure_model(force=args.force))
    return 0


@contextmanager
def server(port: int | None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Knowledge base, model, action server and ``rasa run`` with every configured channel.

    Says which channels it serves, yields (base URL, rasa process), and stops what it started.
    """
    from bot import runtime, serve, training

    runtime.ensure_knowledge()
    model = training.ensure_model()
    procs: list[subprocess.Popen] = []
    try:
        actions, url = runtime.start_action_server(wait=False)
        procs.append(actions)
        runtime.wait_http(url.replace("/webhook", "/health"), timeout=90, proc=actions)
        channels = serve.channel_credentials()
        rasa, base, _ = serve.start_rasa_server(
            model, url, runtime.VAR, port=port or runtime.free_port(), channels=channels, wait=False
        )
        procs.append(rasa)  # before waiting: a stop while the model loads must end it too
        runtime.wait_http(base + "/", timeout=240, proc=rasa)
        _announce(base, channels)
        yield base, rasa
    finally:
        for proc in reversed(procs):
            runtime.stop(proc)


def _announce(base: str, channels: dict) -> None:
    """Say at start which channels this run serves (Telegram/WhatsApp only when configured)."""
    from bot import serve

    print(f"Server: {base}", flush=True)
    for line in serve.describe_channels(base, channels):
        print(f"  - {line}", flush=True)


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.chat import chat

    _stop_on_sigterm()
    t0 = time.monotonic()
    try:
        with server(args.port) as (base, _):
            print(
                f"Klaar in {time.monotonic() - t0:.1f} s. Ik ben Bestaanswijzer, een computer die je de weg wijst bij geldzorgen.",
                flush=True,
            )
            asyncio.run(chat(base))
    except KeyboardInterrupt:
        print("\nTot ziens!")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bot import bench

    bench.run(
        rounds=args.rounds,
        load_users=args.users,
        load_messages=args.messages,
        train=not args.no_train,
        scale=args.scale,
    )
    return 0


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd, docker, kill) ends the run like Ctrl-C: the children are stopped too."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def cmd_serve(args: argparse.Namespace) -> int:
    _stop_on_sigterm()
    try:
        with server(args.port) as (_, rasa):
            print("Stoppen: Ctrl-C.", flush=True)
            rasa.wait()
    except KeyboardInterrupt:
        print("\nGestopt.")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot import evaluate

    evaluate.run(folds=args.folds, skip_cv=args.skip_cv)
    return 0


def cmd_blind(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot import blind

    blind.run(Path(args.folder), label=args.label, base=args.base)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from knowledge.cli import build_parser as kb_parser

    parser = argparse.ArgumentParser(
        prog="bestaanswijzer",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("setup", help="kennisbank laden en model trainen").set_defaults(func=cmd_setup)
    p = sub.add_parser("train", help="model trainen als de invoer veranderde")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("chat", help="chat in de terminal (standaard)")
    p.add_argument("--port", type=int, default=None, help="standaard: een vrije poort")
    p.set_defaults(func=cmd_chat)
    p = sub.add_parser("serve", help="HTTP-server: REST en (indien ingesteld) Telegram/WhatsApp")
    p.add_argument("--port", type=int, default=5005)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("bench", help="meet laadtijd, antwoordtijd en geheugen")
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--users", type=int, default=50, help="load test: residents at once")
    p.add_argument("--messages", type=int, default=20, help="load test: messages each")
    p.add_argument("--no-train", action="store_true", help="skip timing a cold training")
    p.add_argument("--scale", action="store_true", help="also measure the scale-out setup")
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("eval", help="NLU-kwaliteit en crisis-recall naar docs/quality.md")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--skip-cv", action="store_true")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("blind", help="een blinde crisisset door REST sturen en beoordelen")
    p.add_argument("folder", help="bijvoorbeeld tests/blind/2026-11-30")
    p.add_argument("--label", default="run", help="naam van het resultaat (result-<label>.json)")
    p.add_argument("--base", default=None, help="URL van een draaiende server")
    p.set_defaults(func=cmd_blind)
    kb_parser(sub.add_parser("kb", help="kennisbank"))
    from bot.privacy import build_parser as privacy_parser

    privacy_parser(sub.add_parser("privacy", help="bewaartermijn: oude gegevens verwijderen"))
    from channels.staff_cli import build_parser as staff_parser

    staff_parser(sub.add_parser("staff", help="accounts voor de medewerkersconsole"))
    return parser


def main(argv: list[str] | None = None) -> int:
    private_files()
    env.apply()
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
