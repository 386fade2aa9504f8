"""Rasa's SQL tracker store with privacy: personal data masked at rest, and deletion on request.

``PrivateSQLTrackerStore`` (configured in ``bot.serve.write_endpoints``) differs from Rasa's
``SQLTrackerStore`` in two ways:

- Before an event is written, every string in it (the text of user and bot messages,
  ``parse_data``, entity values, slot values, metadata) goes through ``nlu.pii.mask``: BSN, IBAN,
  phone numbers and e-mail addresses never reach the database. A value ``enc:<token>`` whose token
  decrypts with our key (the call-back number in the handoff) is kept as it is; any other text,
  also one a resident starts with "enc:", is masked.
- When a turn contains ``action_verwijder_gesprek`` ("verwijder mijn gesprek", confirmed), saving
  deletes every row of that sender instead, and ``bot.privacy.forget`` removes the resident from
  the case store and the channel stores. The action cannot do this itself: Rasa saves the tracker
  after the action ran.

Events are not streamed to an event broker (we configure none): a broker would get them unmasked.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import delete
from sqlalchemy import event as sa_event
from sqlalchemy.engine import make_url

from nlu.pii import mask

FORGET_ACTION = "action_verwijder_gesprek"
ENCRYPTED_PREFIX = "enc:"
logger = logging.getLogger(__name__)


def tracker_db_url(default_path: str | None = None) -> str:
    """``BW_TRACKER_DB`` (an SQLAlchemy URL) or SQLite at ``default_path`` / ``var/tracker.db``."""
    url = os.environ.get("BW_TRACKER_DB")
    if url:
        return url
    if default_path is None:
        from knowledge.db import var_dir  # noqa: PLC0415

        default_path = str(var_dir() / "tracker.db")
    return f"sqlite:///{default_path}"


def is_our_token(value: str) -> bool:
    """``enc:`` followed by a Fernet token this installation made (it decrypts with our key).
    Anyone can type "enc:0612345678"; only a real token may pass the masking unchanged."""
    from channels.crypto import decrypt  # noqa: PLC0415 - reads the key on first use

    return (
        value.startswith(ENCRYPTED_PREFIX) and decrypt(value[len(ENCRYPTED_PREFIX) :]) is not None
    )


def mask_value(value: Any) -> Any:
    """Mask personal data in every string inside ``value`` (dicts and lists included)."""
    if isinstance(value, str):
        return value if is_our_token(value) else mask(value)
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    return value


def _url_kwargs(db_url: str) -> dict[str, Any]:
    url = make_url(db_url)
    return {
        "dialect": url.drivername,
        "host": url.host,
        "port": url.port,
        "db": url.database or "",
        "username": url.username,
        "password": url.password,
        "query": dict(url.query) or None,
    }


def _fast_sqlite(engine: Any) -> None:
    """WAL with ``synchronous=NORMAL``: no fsync per message (about 19 ms each on this machine).

    A committed turn survives a crash of the process; only a power cut can lose the last turns.
    """

    @sa_event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:  # pragma: no cover - trivial
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    engine.dispose()  # connections opened before the listener get the pragmas on reconnect


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store that masks personal data and honours 'verwijder mijn gesprek'.

    Configure with ``db_url`` (any SQLAlchemy URL) or Rasa's usual ``dialect``/``db``/... keys.
    """

    def __init__(self, domain: Any = None, db_url: str | None = None, **kwargs: Any) -> None:
        if db_url:
            kwargs = {**kwargs, **_url_kwargs(db_url)}
            if not kwargs.get("host"):
                kwargs.pop("host", None)
        super().__init__(domain=domain, **kwargs)
        if self.engine.dialect.name == "sqlite":
            _fast_sqlite(self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            events = list(self._additional_events(session, tracker))
            if any(
                isinstance(e, ActionExecuted) and e.action_name == FORGET_ACTION for e in events
            ):
                session.execute(
                    delete(self.SQLEvent).where(self.SQLEvent.sender_id == tracker.sender_id)
                )
                session.commit()
                texts = [e.text for e in tracker.events if isinstance(e, UserUttered) and e.text]
                self._forget_elsewhere(tracker.sender_id, texts)
                return
            for event in events:
                data = mask_value(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {})
                        .get("intent", {})
                        .get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    @staticmethod
    def _forget_elsewhere(sender_id: str, texts: list[str]) -> None:
        from bot.privacy import forget  # noqa: PLC0415 - bot.privacy imports this module
        from channels.intake import mark_forgotten  # noqa: PLC0415

        try:
            counts = forget(sender_id, texts=texts)
            logger.info("privacy.forgotten rows=%s", sum(counts.values()))
        except Exception:  # the conversation is gone; the rest is caught by the purge
            logger.exception("privacy.forget failed outside the tracker store")
        mark_forgotten()
