"""What every channel does with a resident's message on its way to Rasa, and when Rasa fails.

In order: rate limit per sender (``channels.ratelimit``), cap the length, mask BSN, IBAN and
e-mail addresses (phone numbers pass: the handoff asks for a call-back number and encrypts it;
the tracker store masks them at rest), hand the message to Rasa, and watch the turn. Rasa
swallows a failing action server or tracker store (it logs an error and carries on without an
answer), so a logging handler records such errors for the current turn (a context variable).
After a failed turn the resident gets a friendly message with a phone number from the knowledge
base, and the (masked) message is kept in the channel store's inbox for staff: never lost.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from channels.common import ChannelLog, texts
from channels.identity import pseudonym
from channels.ratelimit import RateLimiter, default_limiter
from channels.store import ChannelStore
from knowledge import yamlfile
from knowledge.text import clean_surrogates
from nlu import pii

DEFAULT_MAX_CHARS = 2000
FALLBACK_ORGANISATION = "geldfit"  # the national helpline for money trouble
SOCIALE_KAART = Path(__file__).resolve().parent.parent / "knowledge" / "content" / "sociale_kaart"

log = ChannelLog(__name__)
Reply = Callable[[str], Awaitable[Any]]


def max_chars() -> int:
    """Longest message we pass on (``BW_MAX_MESSAGE_CHARS``, default 2000)."""
    try:
        return max(1, int(os.environ.get("BW_MAX_MESSAGE_CHARS", DEFAULT_MAX_CHARS)))
    except ValueError:
        return DEFAULT_MAX_CHARS


def mask_inbound(text: str) -> str:
    """``nlu.pii.mask`` for everything except phone numbers and a date of birth (see the module
    docstring): the turning-18 checklist reads the birth month; the tracker store masks it at
    rest."""
    out, last = [], 0
    for m in pii._PHONE.finditer(text):
        out += [pii.mask(text[last : m.start()], birth=False), m.group(0)]
        last = m.end()
    out.append(pii.mask(text[last:], birth=False))
    return "".join(out)


@lru_cache(maxsize=1)
def helpline() -> tuple[str, str] | None:
    """(name, phone) of the national helpline, read from the knowledge-base YAML itself, so it
    works while the database is down. None when the entry has no phone number."""
    try:
        data = yamlfile.load(
            (SOCIALE_KAART / f"{FALLBACK_ORGANISATION}.yaml").read_text(encoding="utf8")
        )
        for dienst in data.get("diensten") or []:
            for kanaal in dienst.get("kanalen") or []:
                if kanaal.get("soort") == "telefoon" and kanaal.get("waarde"):
                    return str(data["naam"]).split(" (")[0], str(kanaal["waarde"])
    except (OSError, yaml.YAMLError, AttributeError, KeyError, TypeError):
        pass
    return None


def unavailable_text() -> str:
    """The friendly 'it does not work right now' message, with a number to call."""
    line = helpline()
    if line is None:
        return texts()["unavailable_no_phone"]
    return texts()["unavailable"].replace("{naam}", line[0]).replace("{telefoon}", line[1])


@dataclass
class TurnState:
    """What happened during one turn (filled by the log handler and the tracker store)."""

    failures: list[str] = field(default_factory=list)
    forgotten: bool = False


_turn: ContextVar[TurnState | None] = ContextVar("bw_turn", default=None)


def mark_forgotten() -> None:
    """Called by the tracker store after deleting this turn's resident."""
    state = _turn.get()
    if state is not None:
        state.forgotten = True


class _FailureHandler(logging.Handler):
    """Notes Rasa's errors (failed action, tracker store down) for the running turn; it keeps
    only the logger name, never the message (which can contain details of the conversation)."""

    def emit(self, record: logging.LogRecord) -> None:
        state = _turn.get()
        if state is not None and record.levelno >= logging.ERROR:
            state.failures.append(record.name)


_HANDLER = _FailureHandler(logging.ERROR)


def install_failure_handler() -> None:
    """Attach the handler to Rasa's loggers (once)."""
    logger = logging.getLogger("rasa")
    if _HANDLER not in logger.handlers:
        logger.addHandler(_HANDLER)


class Intake:
    """The steps above, for one channel."""

    def __init__(
        self,
        channel: str,
        store: ChannelStore,
        limiter: RateLimiter | None = None,
        always_tell: bool = False,
    ) -> None:
        self.channel = channel
        self.store = store
        self.limiter = limiter or default_limiter()
        self.always_tell = always_tell  # REST answers every request; pushing channels once
        install_failure_handler()

    def sender(self, address: str | int, remember: bool = True) -> str:
        """The pseudonym for ``address``; with ``remember`` the encrypted address is kept so
        replies can reach the resident."""
        sender = pseudonym(self.channel, address)
        if remember:
            self.store.remember_sender(self.channel, sender, str(address))
        return sender

    async def handle(
        self, sender: str, text: str, reply: Reply, to_rasa: Callable[[str], Awaitable[Any]]
    ) -> bool:
        """Pass ``text`` to Rasa through ``to_rasa`` (which builds the UserMessage), or answer
        with ``reply`` ourselves. True when Rasa handled the turn without errors."""
        text = clean_surrogates(text)
        decision = self.limiter.check(sender)
        if not decision.allowed:
            log.warning("intake.rate_limited", sender, channel=self.channel)
            if decision.notify or self.always_tell:
                await reply(texts()["rate_limited"])
            return False
        if len(text) > max_chars():
            log.info("intake.too_long", sender, channel=self.channel, length=len(text))
            await reply(texts()["too_long"])
            return False
        if pii.shares_secret(text):
            # A password or PIN never goes further than this line (masked below); say so kindly.
            await reply(texts()["geheim"])
        state = TurnState()
        token = _turn.set(state)
        try:
            await to_rasa(mask_inbound(text))
        except Exception as exc:  # noqa: BLE001 - any failure: the resident still gets an answer
            state.failures.append(type(exc).__name__)
        finally:
            _turn.reset(token)
        if not state.failures:
            return True
        if state.forgotten:  # deleted as asked; only the confirmation went missing
            await reply(texts()["deleted"])
            return False
        reason = ",".join(sorted(set(state.failures)))[:200]
        log.error("intake.turn_failed", sender, channel=self.channel, reason=reason)
        self.store.add_inbox(self.channel, sender, pii.mask(text), reason)
        await reply(unavailable_text())
        return False
