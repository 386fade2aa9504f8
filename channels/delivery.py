"""Deliver a message to a resident on their own channel, outside a user turn (staff replies).

Telegram and WhatsApp push through the channel the running server is configured with (else the
environment). What cannot go out now (WhatsApp's 24-hour window closed, a blocked or failing API)
is kept in that channel's outbox and delivered on the resident's next contact
(``channels.pending``); REST residents get it from the case outbox. Never lost.
"""

from __future__ import annotations

import logging

from channels.cases import CaseStore

logger = logging.getLogger(__name__)


async def deliver(store: CaseStore, channel: str, sender_id: str, text: str) -> str:
    """Send ``text`` to the resident; returns how it went ('push' or 'outbox')."""
    try:
        if channel == "telegram":
            from channels.telegram import send_to_resident  # noqa: PLC0415
        elif channel == "whatsapp":
            from channels.whatsapp import send_to_resident  # noqa: PLC0415
        else:
            send_to_resident = None
        if send_to_resident is not None:
            if await send_to_resident(sender_id, text):
                return "push"
            return "outbox"  # kept by the channel for the next contact
    except Exception:  # the case outbox below keeps the message
        logger.warning(
            "push naar kanaal %s mislukt; bericht in de outbox gezet", channel, exc_info=True
        )
    store.queue(sender_id, channel, text)
    return "outbox"
