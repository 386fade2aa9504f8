"""Tell staff that a case is waiting, carrying no personal data (only the number and reason).

Configured with ``BW_STAFF_TELEGRAM_CHAT_ID`` (+ ``TELEGRAM_TOKEN``, optional ``TELEGRAM_API_BASE``):
a message in the staff's Telegram group through python-telegram-bot. Without it, a line in
``var/notifications.log`` (the staff inbox shows new cases anyway).

Delivery is reliable and honest (issue #20):

- inside a running event loop (the action server) the send runs as a task that is *kept* until
  it is done (a set of references, so it cannot be garbage-collected halfway), and the caller
  gets status ``onderweg``: the outcome is not known yet and is not claimed;
- a 429 is waited out (its ``retry_after``, at most 30 s), a timeout, network error or 5xx is
  retried with backoff (``BW_NOTIFY_RETRY_WAITS``, default 1, 2 and 4 s); a request Telegram
  refuses (bad chat id, bot blocked, wrong token) is not retried;
- every outcome is a line in ``var/notifications.log``: ``bezorgd`` or ``niet-bezorgd`` with the
  number of tries and the error type; a failure is also logged as a warning. Lines and warnings
  hold the case number and reason only: no resident data, no chat id, no token.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from channels.retry import MAX_RETRY_AFTER, RETRY_WAITS
from knowledge.db import var_dir

logger = logging.getLogger(__name__)

DELIVERED, NOT_DELIVERED, SENDING, LOG_ONLY = "bezorgd", "niet-bezorgd", "onderweg", "alleen-log"
_tasks: set[asyncio.Task] = set()  # sends in progress, kept until they are done


@dataclass(frozen=True)
class Notice:
    """What happened to one notification. ``status``: ``bezorgd`` (Telegram accepted it),
    ``niet-bezorgd`` (gave up; see ``fout``), ``onderweg`` (being sent in the background: the
    outcome follows in the notifications log) or ``alleen-log`` (no Telegram configured)."""

    case_id: int
    kanaal: str  # "telegram" or "log"
    status: str
    pogingen: int = 0
    fout: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status in (DELIVERED, LOG_ONLY)


def log_file() -> Path:
    return var_dir() / "notifications.log"


def message_for(case_id: int, reden: str) -> str:
    return f"Nieuwe vraag #{case_id} wacht op een medewerker (reden: {reden}). Open de inbox om hem aan te nemen."


def retry_waits() -> tuple[float, ...]:
    """Seconds to wait before each retry (``BW_NOTIFY_RETRY_WAITS``, e.g. ``1,2,4``)."""
    raw = os.environ.get("BW_NOTIFY_RETRY_WAITS", "")
    try:
        waits = tuple(float(w) for w in raw.split(",") if w.strip())
    except ValueError:
        waits = ()
    return tuple(max(0.0, min(w, MAX_RETRY_AFTER)) for w in waits[:10]) or RETRY_WAITS


def _write(notice: Notice, reden: str) -> None:
    """One line per outcome; the notifications log is read by people, so it says it plainly."""
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    detail = f" pogingen={notice.pogingen}" if notice.kanaal == "telegram" else ""
    if notice.fout:
        detail += f" fout={notice.fout}"
    line = f"{now} {notice.status} kanaal={notice.kanaal}{detail}: "
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf8") as fh:
            fh.write(line + message_for(notice.case_id, reden) + "\n")
    except OSError as exc:
        logger.warning("notificatielog niet te schrijven (%s)", type(exc).__name__)


def _configured() -> tuple[str, str] | None:
    chat_id, token = os.environ.get("BW_STAFF_TELEGRAM_CHAT_ID"), os.environ.get("TELEGRAM_TOKEN")
    return (chat_id, token) if chat_id and token else None


async def send(case_id: int, reden: str, waits: tuple[float, ...] | None = None) -> Notice:
    """Send the notification to the staff group now, with retries; the outcome is written to
    the notifications log and returned. Never raises (except when cancelled)."""
    configured = _configured()
    if configured is None:
        notice = Notice(case_id, "log", LOG_ONLY)
        _write(notice, reden)
        return notice
    from telegram import Bot  # noqa: PLC0415 - only when configured
    from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError  # noqa: PLC0415

    chat_id, token = configured
    base = os.environ.get("TELEGRAM_API_BASE") or "https://api.telegram.org/bot"
    text = message_for(case_id, reden)
    waits = retry_waits() if waits is None else waits
    try:
        bot = Bot(token, base_url=base)
    except Exception as exc:  # e.g. a malformed token: say so, never lose it silently
        return _fail(case_id, reden, 0, type(exc).__name__)
    attempt, error = 0, "onbekend"
    try:
        for wait in (*waits, None):
            attempt += 1
            try:
                await bot.initialize()
                await bot.send_message(chat_id=chat_id, text=text)
                notice = Notice(case_id, "telegram", DELIVERED, attempt)
                _write(notice, reden)
                return notice
            except RetryAfter as exc:  # 429: Telegram says how long to wait
                error = "RetryAfter"
                after = exc.retry_after
                pause = after.total_seconds() if hasattr(after, "total_seconds") else float(after)
                if wait is None or pause > MAX_RETRY_AFTER:
                    break
                await asyncio.sleep(pause)
            except BadRequest:  # our request is wrong (a NetworkError in PTB): no retry
                error = "BadRequest"
                break
            except NetworkError as exc:  # timeouts, connection errors, 5xx: try again later
                error = type(exc).__name__
                if wait is None:
                    break
                await asyncio.sleep(wait)
            except TelegramError as exc:  # refused (bad chat, blocked, bad token): no retry
                error = type(exc).__name__
                break
            except Exception as exc:  # a bug or a broken setting must not hide the failure
                error = type(exc).__name__
                break
    except asyncio.CancelledError:
        error = "afgebroken"
        _fail(case_id, reden, attempt, error)
        raise
    finally:
        with contextlib.suppress(Exception):  # closing a client that never opened
            await bot.shutdown()
    return _fail(case_id, reden, attempt, error)


def _fail(case_id: int, reden: str, attempts: int, error: str) -> Notice:
    notice = Notice(case_id, "telegram", NOT_DELIVERED, attempts, error)
    logger.warning(
        "staff-notificatie voor case #%s niet bezorgd na %s poging(en) (%s); zie %s",
        case_id,
        attempts,
        error,
        log_file().name,
    )
    _write(notice, reden)
    return notice


def notify_new_case(case_id: int, reden: str) -> Notice:
    """Tell staff about a new case. Without Telegram: a log line (``alleen-log``). Outside an
    event loop: sent now, with retries, and the outcome returned. Inside one (the action
    server): sent in a kept background task so the resident's answer does not wait, and the
    status is ``onderweg`` (the outcome follows in the log). Never raises: the case exists."""
    try:
        if _configured() is None:
            notice = Notice(case_id, "log", LOG_ONLY)
            _write(notice, reden)
            return notice
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(send(case_id, reden))
        task = loop.create_task(send(case_id, reden))
        _tasks.add(task)
        task.add_done_callback(_finished)
        return Notice(case_id, "telegram", SENDING)
    except Exception as exc:
        logger.warning("staff-notificatie voor case #%s mislukt (%s)", case_id, type(exc).__name__)
        return Notice(case_id, "log", NOT_DELIVERED, fout=type(exc).__name__)


def _finished(task: asyncio.Task) -> None:
    _tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        exc = task.exception()
        logger.warning("staff-notificatie: onverwachte fout (%s)", type(exc).__name__)


def pending() -> int:
    """Notifications still being sent in this process."""
    return len(_tasks)
