"""Interactive terminal chat with the real model and action server (the embedded default)."""

from __future__ import annotations

import asyncio
import uuid

_QUIT = {"/quit", "/exit", "stop", "/stop"}


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


async def chat(agent, sender: str | None = None) -> None:
    """Read lines from stdin and print the assistant's answers until EOF, Ctrl-C or /quit."""
    sender = sender or f"terminal-{uuid.uuid4().hex[:8]}"
    loop = asyncio.get_running_loop()
    buttons: list[dict] = []
    print("Typ je vraag. Stoppen: /quit of Ctrl-C.\n", flush=True)
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
        messages = await agent.handle_text(line, sender_id=sender)
        text, buttons = render(messages)
        print(text or "Bestaanswijzer: (geen antwoord)", flush=True)
        print(flush=True)
