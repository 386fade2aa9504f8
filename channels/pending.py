"""What waits for a resident goes out on their next contact, on every channel (issue #22 item 1).

Waiting messages live in the channel store's outbox (staff replies that could not be pushed, bot
answers outside WhatsApp's 24-hour window, parts of an answer that failed) and, from before this
change or when a channel could not be reached at all, in the case store's outbox. When the
resident writes again (or taps the quick-reply button of the WhatsApp template), the channel
calls :func:`flush` first: the waiting messages go out in order, then the new message is handled.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from channels.common import ChannelLog
from channels.store import ChannelStore

log = ChannelLog(__name__)
Send = Callable[[str], Awaitable[bool]]


def _case_outbox(sender: str) -> list[str]:
    """Staff messages queued in the case store (none when it cannot be reached)."""
    try:
        from channels.cases import default_store  # noqa: PLC0415 - needs the database

        return default_store().take_outbox(sender)
    except Exception:  # noqa: BLE001 - they stay where they are for the next contact
        logging.getLogger(__name__).warning("case-outbox niet bereikbaar", exc_info=False)
        return []


async def flush(store: ChannelStore, channel: str, sender: str, send: Send) -> int:
    """Send what waits for ``sender`` through ``send`` (True when delivered), oldest first;
    returns how many went out. What fails is put back, in order, for the next contact."""
    waiting = [e.text for e in store.take_outbox(channel, sender)] + _case_outbox(sender)
    for i, text in enumerate(waiting):
        if not await send(text):
            for rest in waiting[i:]:
                store.add_outbox(channel, sender, rest, "next_contact_failed")
            log.warning("pending.flush.incomplete", sender, channel=channel, left=len(waiting) - i)
            return i
    if waiting:
        log.info("pending.flush", sender, channel=channel, sent=len(waiting))
    return len(waiting)
