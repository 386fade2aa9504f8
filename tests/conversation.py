"""Conversation tests in one line per turn: ``"user says X => reply contains Y | and Z"``.

A ``!`` before an expectation means the reply must NOT contain it. Matching is case-insensitive.
Scripts live in ``tests/conversations/*.yml``; Python tests can use :class:`Conversation` directly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass
class Reply:
    messages: list[dict]

    @property
    def text(self) -> str:
        parts = []
        for m in self.messages:
            parts.append(m.get("text") or "")
            parts.extend(b.get("title", "") for b in m.get("buttons") or [])
        return "\n".join(p for p in parts if p)

    def __contains__(self, needle: str) -> bool:
        return needle.lower() in self.text.lower()


class Conversation:
    """One resident talking to the real trained agent (and through it, the real action server)."""

    def __init__(self, agent, sender: str | None = None):
        self.agent = agent
        self.sender = sender or f"test-{uuid.uuid4().hex[:10]}"
        self.history: list[tuple[str, Reply]] = []

    async def say(self, text: str) -> Reply:
        reply = Reply(await self.agent.handle_text(text, sender_id=self.sender))
        self.history.append((text, reply))
        return reply

    async def turn(self, line: str) -> None:
        """Run one ``"X => Y | !Z"`` line and assert on the reply."""
        user, _, expected = line.partition("=>")
        reply = await self.say(user.strip())
        for exp in (e.strip() for e in expected.split("|")):
            if not exp:
                continue
            if exp.startswith("!"):
                assert (
                    exp[1:].strip() not in reply
                ), f"{user.strip()!r}: reply should not contain {exp[1:].strip()!r}:\n{reply.text}"
            else:
                assert (
                    exp in reply
                ), f"{user.strip()!r}: reply should contain {exp!r}:\n{reply.text}"

    async def script(self, lines: list[str]) -> None:
        for line in lines:
            await self.turn(line)
