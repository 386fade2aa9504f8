"""Interactive terminal chat, as a client of the running Bestaanswijzer server.

The terminal talks to the resident REST channel (``/webhooks/bw/webhook``) of the same ``rasa run``
that serves Telegram, WhatsApp and the staff API. So everything a resident gets on a phone works in
the terminal too: handoff to a person, and staff replies (fetched from the outbox while you wait).
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

_QUIT = {"/quit", "/exit", "/stop"}
POLL_SECONDS = 3.0


def render(messages: list[dict]) -> tuple[str, list[dict]]:
    """Turn bot messages into terminal text; buttons are numbered so you can type the number."""
    lines, buttons = [], []
    for m in messages:
        if m.get("text"):
            lines.append(f"Bestaanswijzer: {m['text']}")
        for b in m.get("buttons") or []:
            buttons.append(b)
            lines.append(f"   [{len(buttons)}] {b['title']}")
    return "\n".join(lines), buttons


class RestClient:
    """Blocking client for the resident REST channel (run in a thread from the chat loop)."""

    def __init__(self, base_url: str, sender: str) -> None:
        self.base = base_url.rstrip("/") + "/webhooks/bw"
        self.sender = sender

    def send(self, text: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        req = urllib.request.Request(
            self.base + "/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())

    def waiting(self) -> list[dict[str, Any]]:
        """Messages that arrived outside a turn (staff replies)."""
        query = urllib.parse.urlencode({"sender": self.sender})
        with urllib.request.urlopen(f"{self.base}/messages?{query}", timeout=10) as resp:
            return json.loads(resp.read())


async def _poll(client: RestClient) -> None:
    """Print staff replies that arrive while the resident is not typing."""
    while True:
        await asyncio.sleep(POLL_SECONDS)
        try:
            messages = await asyncio.to_thread(client.waiting)
        except (OSError, ValueError):
            continue
        if messages:
            text, _ = render(messages)
            print(f"\n{text}\nJij: ", end="", flush=True)


async def chat(base_url: str, sender: str | None = None) -> None:
    """Read lines from stdin and print the assistant's answers until EOF, Ctrl-C or /quit."""
    client = RestClient(base_url, sender or f"terminal-{uuid.uuid4().hex[:12]}")
    loop = asyncio.get_running_loop()
    poller = asyncio.create_task(_poll(client))
    buttons: list[dict] = []
    print("Typ je vraag. Stoppen: /quit of Ctrl-C.\n", flush=True)
    try:
        while True:
            try:
                line = await loop.run_in_executor(None, input, "Jij: ")
            except EOFError:
                break
            line = line.strip()
            if not line:
                continue
            if line.lower() in _QUIT:
                break
            if line.isdigit() and 1 <= int(line) <= len(buttons):
                line = buttons[int(line) - 1]["payload"]
            try:
                messages = await asyncio.to_thread(client.send, line)
            except (OSError, ValueError) as exc:
                print(f"Bestaanswijzer: Het lukt nu even niet ({exc}). Probeer het zo opnieuw.")
                continue
            text, buttons = render(messages)
            print(text or "Bestaanswijzer: (geen antwoord)", flush=True)
            print(flush=True)
    finally:
        poller.cancel()
