"""The Rasa API token is not on any command line (#19 item 7): the process list is readable by
every user of the machine; the server reads the token from its environment (bot/rasa_main.py)."""

from __future__ import annotations

from pathlib import Path

import httpx


def _command_lines() -> list[str]:
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                out.append(
                    (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf8", "replace")
                )
            except OSError:
                continue  # the process ended while we looked
    return out


def test_the_token_is_on_no_command_line_and_still_guards_the_api(rasa_server):
    base, token = rasa_server
    lines = _command_lines()
    assert any("bot.rasa_main" in line for line in lines), "the Rasa server was not found"
    assert not [line for line in lines if token in line]
    assert httpx.get(f"{base}/status", timeout=10).status_code == 401
    assert httpx.get(f"{base}/status", params={"token": token}, timeout=10).status_code == 200


def test_the_token_becomes_rasas_own_argument():
    from bot.rasa_main import argv_with_token

    assert argv_with_token(["run", "--quiet"], "-abc") == [
        "rasa",
        "run",
        "--quiet",
        "--auth-token=-abc",
    ]
