"""Delivery state of what we sent: WhatsApp's status webhooks (sent, delivered, read, failed)
recorded per message, and what staff see of it in a case (issue #22 item 6).

Meta posts ``statuses`` to the same webhook as messages ("Status messages webhook reference").
A failed message is logged (masked), kept in the channel outbox so it goes out on the resident's
next contact, and shown in the case with the platform's error code and title.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from channels.common import ChannelLog, texts
from channels.store import ChannelStore, opened_paths
from nlu.pii import mask

CHANNEL = "whatsapp"
SNIPPET = 80
BEFORE_CASE = 24 * 3600  # the conversation that led to the case is shown too
SHOWN = 30
log = ChannelLog(__name__)


@dataclass
class Status:
    """One entry of ``statuses``: our message id, its new state and, when failed, the error."""

    message_id: str
    status: str
    timestamp: float | None
    error: str | None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _error(entry: dict[str, Any]) -> str | None:
    """'131047 Re-engagement message' from the first error (code and title are enough)."""
    for err in _dicts(entry.get("errors")):
        return f"{err.get('code', '?')} {err.get('title') or err.get('message') or ''}".strip()
    return None


def parse_statuses(data: dict[str, Any], phone_number_id: str) -> Iterator[Status]:
    """The statuses in a webhook body for our number (others and garbage are skipped)."""
    for entry in _dicts(data.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if not isinstance(value, dict):
                continue
            meta = value.get("metadata")
            if isinstance(meta, dict) and meta.get("phone_number_id") not in (
                None,
                phone_number_id,
            ):
                continue
            for st in _dicts(value.get("statuses")):
                mid, status = st.get("id"), st.get("status")
                if isinstance(mid, str) and isinstance(status, str):
                    try:
                        ts = float(st["timestamp"])
                    except (KeyError, TypeError, ValueError):
                        ts = None
                    yield Status(mid, status, ts, _error(st) if status == "failed" else None)


def apply_status(store: ChannelStore, status: Status) -> None:
    """Record one status; a failed message is logged and kept for the next contact."""
    row = store.record_status(status.message_id, status.status, status.error, status.timestamp)
    if row is None:
        log.info("whatsapp.status.unknown_message", status=status.status)
        return
    if status.status != "failed" or row.status != "failed":
        return
    log.warning("whatsapp.delivery.failed", row.sender, error=(status.error or "?").split()[0])
    if row.kind != "template" and row.text:  # a failed template: its text waits already
        store.add_outbox(CHANNEL, row.sender, row.text, f"failed {status.error or ''}".strip())


def _time(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _stores() -> list[ChannelStore]:
    return [ChannelStore(path) for path in sorted(opened_paths())]


def for_case(sender: str, since: dt.datetime) -> dict[str, list[dict[str, str]]]:
    """What staff see in a case: the state of the last messages sent, from a day before the
    case was opened (``bezorging``), and what still waits for the resident's next contact
    (``wachtrij``). Texts are masked and shortened: enough to recognise the message."""
    labels = texts()["bezorging"]
    start = since.replace(tzinfo=dt.timezone.utc).timestamp() - BEFORE_CASE
    sent, waiting = [], []
    for store in _stores():
        for d in store.deliveries(sender, since=start):
            sent.append(
                {
                    "tijd": _time(d.updated),
                    "status": labels.get(d.status, d.status),
                    "code": d.status,
                    "fout": d.error or "",
                    "tekst": mask(d.text)[:SNIPPET],
                }
            )
        for e in store.outbox(recipient=sender):
            if e.delivered is None:
                waiting.append(
                    {"tijd": _time(e.created), "reden": e.reason, "tekst": mask(e.text)[:SNIPPET]}
                )
    return {"bezorging": sent[-SHOWN:], "wachtrij": waiting}
