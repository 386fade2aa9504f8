"""Retention and deletion: how long we keep things, and removing them.

- ``retention_days()``: ``BW_RETENTION_DAYS`` (default 90).
- ``forget(sender_id)``: everything about one resident outside the tracker store (cases with
  their notes and outbox, channel state and the encrypted id mapping, in a SQLite file or in
  the PostgreSQL database of ``BW_CHANNELS_DB``). The tracker store calls
  it when a resident confirms "verwijder mijn gesprek" (channels/tracker_store.py).
- ``purge()``: everything older than the retention period, in every store, plus old log files.
  ``python -m bot privacy purge`` runs it (from cron, e.g. daily).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable
from pathlib import Path

DEFAULT_RETENTION_DAYS = 90


def retention_days() -> int:
    """``BW_RETENTION_DAYS`` (at least 1), default 90."""
    try:
        return max(1, int(os.environ.get("BW_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)))
    except ValueError:
        return DEFAULT_RETENTION_DAYS


def channel_store_paths() -> set[str]:
    """The configured channel store plus every one this process opened (tests use their own):
    SQLite files that exist, and a database URL (``BW_CHANNELS_DB=postgresql://...``) always,
    so forget and the retention purge reach the shared PostgreSQL channel tables too."""
    from channels.settings import DEFAULT_STATE_DB  # noqa: PLC0415
    from channels.store import is_url, location_of, opened_paths  # noqa: PLC0415

    paths = opened_paths()
    configured = location_of(os.environ.get("BW_CHANNELS_DB") or DEFAULT_STATE_DB)
    if is_url(configured) or Path(configured).exists():
        paths.add(configured)
    return paths


def _case_tables():
    from channels.cases import CaseNote, HandoffCase, OutboxMessage  # noqa: PLC0415

    return HandoffCase, CaseNote, OutboxMessage


def _create_case_tables(engine) -> None:
    """Create the case and desk tables when this database has none yet, before the deleting
    transaction: created inside it (on another connection) SQLite waits on that transaction's
    own lock and fails with 'database is locked'."""
    from channels.case_desk import CaseDesk  # noqa: PLC0415
    from channels.cases import CaseStore  # noqa: PLC0415

    CaseStore(engine)
    CaseDesk(engine)


def _desk_rows(session, case_ids) -> int:
    """Internal notes, call-back attempts and areas of these cases (``channels.case_desk``)."""
    from channels.case_desk import delete_for_cases  # noqa: PLC0415

    return delete_for_cases(session, case_ids)


def _rows(session, statement) -> int:
    """Run a bulk DELETE without syncing the session (nothing is loaded); return the rowcount."""
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount


def forget(
    sender_id: str,
    engine=None,
    channel_stores: Iterable[str] | None = None,
    texts: Iterable[str] = (),
) -> dict:
    """Delete one resident from the case store, the channel stores and the searches that found
    nothing (by the resident's own ``texts``: those rows keep no sender); returns row counts."""
    from sqlalchemy import delete, select  # noqa: PLC0415
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from channels.store import ChannelStore  # noqa: PLC0415
    from knowledge import misses  # noqa: PLC0415
    from knowledge.db import get_engine  # noqa: PLC0415

    HandoffCase, CaseNote, OutboxMessage = _case_tables()
    engine = engine or get_engine()
    _create_case_tables(engine)
    counts = {"cases": 0, "notes": 0, "outbox": 0, "channel_rows": 0}
    with Session(engine, future=True) as s, s.begin():
        ids = select(HandoffCase.id).where(HandoffCase.sender_id == sender_id)
        counts["notes"] = _rows(s, delete(CaseNote).where(CaseNote.case_id.in_(ids)))
        counts["notes"] += _desk_rows(s, ids)
        counts["cases"] = _rows(s, delete(HandoffCase).where(HandoffCase.sender_id == sender_id))
        counts["outbox"] = _rows(
            s, delete(OutboxMessage).where(OutboxMessage.sender_id == sender_id)
        )
    for path in channel_store_paths() if channel_stores is None else channel_stores:
        counts["channel_rows"] += ChannelStore(path).forget(sender_id)
    counts["search_misses"] = misses.forget_texts(engine, list(texts))
    return counts


def purge_tracker(db_url: str, cutoff: float) -> int:
    """Delete conversations whose last event is older than ``cutoff``, and the events of older
    sessions in conversations that are still going on. Returns the number of events deleted."""
    from sqlalchemy import and_, create_engine, delete, func, select  # noqa: PLC0415
    from sqlalchemy.orm import aliased  # noqa: PLC0415

    from channels.tracker_store import PrivateSQLTrackerStore  # noqa: PLC0415

    events = PrivateSQLTrackerStore.SQLEvent
    engine = create_engine(db_url, future=True)
    events.metadata.create_all(engine, tables=[events.__table__])
    later = aliased(events)
    stale_senders = (
        select(events.sender_id)
        .group_by(events.sender_id)
        .having(func.max(events.timestamp) < cutoff)
    )
    latest_session = (
        select(func.max(later.timestamp))
        .where(later.sender_id == events.sender_id, later.type_name == "session_started")
        .scalar_subquery()
    )
    with engine.begin() as con:
        deleted = con.execute(delete(events).where(events.sender_id.in_(stale_senders))).rowcount
        deleted += con.execute(
            delete(events).where(and_(events.timestamp < cutoff, events.timestamp < latest_session))
        ).rowcount
    engine.dispose()
    return deleted


def purge_cases(cutoff: float, engine=None) -> dict:
    """Delete cases (with notes) whose last activity is before ``cutoff``, and old outbox rows."""
    from sqlalchemy import delete, func, select  # noqa: PLC0415
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from knowledge.db import get_engine  # noqa: PLC0415

    HandoffCase, CaseNote, OutboxMessage = _case_tables()
    engine = engine or get_engine()
    _create_case_tables(engine)
    before = dt.datetime.fromtimestamp(cutoff, dt.timezone.utc).replace(tzinfo=None)
    last = func.coalesce(HandoffCase.closed_at, HandoffCase.taken_at, HandoffCase.created_at)
    with Session(engine, future=True) as s, s.begin():
        ids = select(HandoffCase.id).where(last < before)
        notes = _rows(s, delete(CaseNote).where(CaseNote.case_id.in_(ids)))
        notes += _desk_rows(s, ids)
        cases = _rows(s, delete(HandoffCase).where(last < before))
        outbox = _rows(s, delete(OutboxMessage).where(OutboxMessage.created_at < before))
    return {"cases": cases, "notes": notes, "outbox": outbox}


def purge_logs(folder: Path, cutoff: float) -> int:
    """Delete log files (``*.log`` and rotated ``*.log.*``) not written to since ``cutoff``."""
    removed = 0
    for path in [*folder.glob("*.log"), *folder.glob("*.log.*")]:
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink()
            removed += 1
    return removed


def purge(
    days: int | None = None,
    now: float | None = None,
    tracker_url: str | None = None,
    engine=None,
    channel_stores: Iterable[str] | None = None,
    log_dir: Path | None = None,
) -> dict:
    """Delete everything older than the retention period; returns what was deleted."""
    from channels.store import ChannelStore  # noqa: PLC0415
    from channels.tracker_store import tracker_db_url  # noqa: PLC0415
    from knowledge import misses, reports  # noqa: PLC0415
    from knowledge.db import get_engine, var_dir  # noqa: PLC0415

    cutoff = (time.time() if now is None else now) - (days or retention_days()) * 86400
    result = {"tracker_events": purge_tracker(tracker_url or tracker_db_url(), cutoff)}
    result.update(purge_cases(cutoff, engine))
    before = dt.datetime.fromtimestamp(cutoff, dt.timezone.utc).replace(tzinfo=None)
    result["search_misses"] = misses.purge(engine or get_engine(), before)
    result["content_reports"] = reports.purge(engine or get_engine(), before)
    result["channel_rows"] = sum(
        ChannelStore(p).purge(cutoff)
        for p in (channel_store_paths() if channel_stores is None else channel_stores)
    )
    result["log_files"] = purge_logs(log_dir or var_dir(), cutoff)
    return result


def cmd_purge(args) -> int:
    days = args.days or retention_days()
    result = purge(days=days)
    print(f"Ouder dan {days} dagen verwijderd: " + ", ".join(f"{k}={v}" for k, v in result.items()))
    return 0


def build_parser(parser) -> None:
    """``python -m bot privacy purge [--days N]`` (cron: e.g. daily at night)."""
    sub = parser.add_subparsers(dest="privacy_cmd", required=True)
    p = sub.add_parser(
        "purge", help="verwijder gesprekken, cases, outbox en logs ouder dan N dagen"
    )
    p.add_argument("--days", type=int, default=None, help="standaard BW_RETENTION_DAYS of 90")
    p.set_defaults(func=cmd_purge)
