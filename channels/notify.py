"""Tell staff that a case is waiting, carrying no personal data (only the number and reason).

Configured with ``BW_STAFF_TELEGRAM_CHAT_ID`` (+ ``TELEGRAM_TOKEN``, optional ``TELEGRAM_API_BASE``):
a message in the staff's Telegram group through python-telegram-bot. Without it, a line in
``var/notifications.log`` (the staff inbox shows new cases anyway).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os

from knowledge.db import var_dir

logger = logging.getLogger(__name__)
LOG_FILE = var_dir() / "notifications.log"


def message_for(case_id: int, reden: str) -> str:
    return f"Nieuwe vraag #{case_id} wacht op een medewerker (reden: {reden}). Open de inbox om hem aan te nemen."


async def _telegram(chat_id: str, text: str) -> None:
    from telegram import Bot  # noqa: PLC0415 - only when configured

    base = os.environ.get("TELEGRAM_API_BASE") or "https://api.telegram.org/bot"
    async with Bot(os.environ["TELEGRAM_TOKEN"], base_url=base) as bot:
        await bot.send_message(chat_id=chat_id, text=text)


def notify_new_case(case_id: int, reden: str) -> str:
    """Send the notification; returns 'telegram' or 'log'. Never raises: the case exists anyway."""
    text = message_for(case_id, reden)
    chat_id = os.environ.get("BW_STAFF_TELEGRAM_CHAT_ID")
    if chat_id and os.environ.get("TELEGRAM_TOKEN"):
        try:
            asyncio.run(
                _telegram(chat_id, text)
            ) if not _loop_running() else asyncio.get_event_loop().create_task(
                _telegram(chat_id, text)
            )
            return "telegram"
        except Exception:
            logger.warning(
                "staff-notificatie via Telegram mislukt; in het logbestand gezet", exc_info=True
            )
    LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
    with LOG_FILE.open("a", encoding="utf8") as fh:
        fh.write(f"{dt.datetime.now(dt.timezone.utc).isoformat()} {text}\n")
    return "log"


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False
