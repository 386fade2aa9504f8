"""The README's run command end to end: ``python -m bot chat`` starts the action server and
``rasa run`` with every configured channel, says which ones at start, and answers in the terminal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, prestart


def _env(tmp_path, model_path, db_url, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """A run of our own: the trained model, the test database, a private var folder."""
    return {
        **os.environ,
        "BW_MODEL": str(model_path),
        "BW_DATABASE_URL": db_url,
        "BW_VAR_DIR": str(tmp_path / "var"),
        "BW_CHANNELS_DB": str(tmp_path / "var" / "channels.db"),
        **(extra_env or {}),
    }


def _run_chat(tmp_path, model_path, db_url, lines: list[str], extra_env: dict[str, str]) -> str:
    env = _env(tmp_path, model_path, db_url, extra_env)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@prestart("mission_chat")
def _mission_chat(bg, request):
    """The README's chat with the mission question, run as a subprocess by the session's
    background thread (it starts its own servers: about 50 s). Returns (output, var folder)."""
    model_path = request.getfixturevalue("model_path")
    db_url = request.getfixturevalue("db_url")
    folder = request.getfixturevalue("tmp_path_factory").mktemp("chat")

    def start() -> tuple[str, Path]:
        from tests import fakes

        telegram = fakes.FakeTelegramAPI(fakes.TELEGRAM_TOKEN).start()
        try:
            out = _run_chat(
                folder,
                model_path,
                db_url,
                ["wie bel je als je financieel in de problemen raakt", "/quit"],
                {
                    "TELEGRAM_TOKEN": fakes.TELEGRAM_TOKEN,
                    "TELEGRAM_SECRET_TOKEN": fakes.TELEGRAM_SECRET,
                    "TELEGRAM_API_BASE": telegram.base_url,
                },
            )
        finally:
            telegram.stop()
        return out, folder / "var"

    return start


@pytest.fixture(scope="session")
def mission_chat(background, request) -> tuple[str, Path]:
    return background.get("mission_chat", request)


def test_run_command_answers_the_mission_question_and_names_channels(mission_chat):
    out, var = mission_chat
    assert "Telegram-webhook: http://127.0.0.1:" in out
    assert "WhatsApp: uit" in out
    answer = out.split("Jij: ", 1)[1]
    assert "Buurtteam" in answer or "buurtteam" in answer
    assert "Geldfit" in answer
    # A concrete way to reach them: a phone number or a website.
    assert any(marker in answer for marker in ("020", "0800", "14 020", "https://"))
    # The conversation went through the real server: its tracker store holds it.
    assert (var / "tracker.db").exists()


def _children(pid: int) -> set[int]:
    """Direct children of ``pid`` (from /proc)."""
    kids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.add(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper counts as stopped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serve_stops_its_servers_on_sigterm(tmp_path, model_path, db_url):
    """A service manager stops `bot serve` with SIGTERM: Rasa and the action server go too."""
    from bot import runtime

    port = runtime.free_port()
    env = _env(tmp_path, model_path, db_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Stop it as soon as both servers run (rasa run may still be loading its model: a service
        # manager can stop it then too, and the test needs no 30 s model load for it).
        deadline = time.monotonic() + 180
        children = _children(proc.pid)
        while len(children) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            children = _children(proc.pid)
        assert len(children) >= 2, proc.poll()  # rasa run and the action server
        time.sleep(2)  # let rasa run get past its imports into loading
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        deadline = time.monotonic() + 30
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [c for c in children if _alive(c)]
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is fine
            s.bind(("127.0.0.1", port))  # nothing listens on the port any more
    finally:
        if proc.poll() is None:
            proc.kill()
