"""Start the pieces the assistant needs: the knowledge base, the model, the action server, the agent."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bot import env
from knowledge.db import var_dir

ROOT = env.ROOT
VAR = var_dir()


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_knowledge(quiet: bool = False) -> None:
    """Validate and load the knowledge base into the configured database (no-op when current)."""
    from knowledge import loader

    res = loader.load()
    if not quiet:
        state = "geladen" if res.changed else "actueel"
        print(
            f"Kennisbank {state}: {res.regelingen} regelingen, {res.organisaties} organisaties.",
            flush=True,
        )


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers 200, failing early if ``proc`` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def start_action_server(
    port: int | None = None,
    extra_env: dict[str, str] | None = None,
    log_path: Path | None = None,
    wait: bool = True,
) -> tuple[subprocess.Popen, str]:
    """Start the rasa-sdk action server on loopback; return the process and its webhook URL.

    ``log_path`` defaults to ``var/actions.log``; ``wait=False`` skips the health check so
    several servers can start in parallel (the scale-out setup).
    """
    port = port or int(os.environ.get("BW_ACTION_PORT", "0")) or free_port()
    environ = {**env.apply(), "BW_ACTION_TOKEN": env.action_token(), **(extra_env or {})}
    VAR.mkdir(exist_ok=True)
    log = open(log_path or VAR / "actions.log", "ab")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.action_server",
            "--actions",
            "actions",
            "--port",
            str(port),
            "--quiet",
        ],
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if wait:
        wait_http(f"http://127.0.0.1:{port}/health", timeout=90, proc=proc)
    return proc, f"http://127.0.0.1:{port}/webhook"


def stop(proc: subprocess.Popen | None, timeout: float = 10.0) -> None:
    """Terminate a child process (and its group) and wait for it."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, 15)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()


def configure_rasa_logging() -> None:
    """Keep Rasa, TensorFlow and Sanic quiet in the terminal."""
    import logging

    for name in (
        "rasa",
        "tensorflow",
        "absl",
        "sanic",
        "apscheduler",
        "asyncio",
        "urllib3",
        "rasa_sdk",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)
    except Exception:  # pragma: no cover - older/newer rasa without structlog helper
        pass


def load_agent(model: Path, action_url: str, tracker_store=None):
    """Load a trained model into a Rasa Agent that calls our action server."""
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig(url=action_url, headers={env.ACTION_TOKEN_HEADER: env.action_token()})
    return Agent.load(str(model), action_endpoint=endpoint, tracker_store=tracker_store)
