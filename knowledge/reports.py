"""Errors staff report on a regulation or organisation page ("Meld een fout", issue #20 item 6).

Collected on the console's content-check page so the content team sees them. The text is masked
with :func:`nlu.pii.mask` before it is stored (a worker may paste a resident's details by mistake).
Kept like every other store (``bot.privacy.purge``, ``BW_RETENTION_DAYS``): a report goes when
its last activity (handled, else reported) is older than the retention period.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, Integer, String, Text, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from knowledge.db import utc_now as _now
from nlu.pii import mask

Base = declarative_base()
KINDS = ("regeling", "organisatie")
MAX_TEXT = 1000
_ready: set[str] = set()


class ContentReport(Base):
    __tablename__ = "content_report"
    id = Column(Integer, primary_key=True)
    soort = Column(String(16), nullable=False)
    ref = Column(String(64), nullable=False, index=True)
    naam = Column(String(200), nullable=False)
    tekst = Column(Text, nullable=False)  # masked
    door = Column(String(100), nullable=False)
    at = Column(DateTime, nullable=False, default=_now)
    afgehandeld_at = Column(DateTime)
    afgehandeld_door = Column(String(100))


class ReportError(ValueError):
    """A report that cannot be stored (no text, unknown kind)."""


def _ensure(engine: Engine) -> None:
    key = str(engine.url)
    if key not in _ready:
        Base.metadata.create_all(engine)
        _ready.add(key)


def record(engine: Engine, soort: str, ref: str, naam: str, tekst: object, door: str) -> int:
    """Store one report (masked); returns its id."""
    if soort not in KINDS:
        raise ReportError("onbekende soort")
    if not isinstance(tekst, str) or not tekst.strip():
        raise ReportError("Schrijf op wat er niet klopt.")
    if len(tekst) > MAX_TEXT:
        raise ReportError(f"Gebruik hoogstens {MAX_TEXT} tekens.")
    _ensure(engine)
    with Session(engine, future=True) as s, s.begin():
        row = ContentReport(
            soort=soort,
            ref=ref[:64],
            naam=naam[:200],
            tekst=mask(tekst.strip()),
            door=door[:100],
        )
        s.add(row)
        s.flush()
        return int(row.id)


def open_reports(engine: Engine, limit: int = 200) -> list[dict]:
    """Reports not yet handled, newest first."""
    _ensure(engine)
    with Session(engine, future=True) as s:
        rows = s.execute(
            select(ContentReport)
            .where(ContentReport.afgehandeld_at.is_(None))
            .order_by(ContentReport.id.desc())
            .limit(limit)
        ).scalars()
        return [
            {
                "id": r.id,
                "soort": r.soort,
                "ref": r.ref,
                "naam": r.naam,
                "tekst": r.tekst,
                "door": r.door,
                "at": r.at,
            }
            for r in rows
        ]


def resolve(engine: Engine, report_id: int, door: str) -> bool:
    """Mark a report as handled; False when it does not exist or was handled already."""
    _ensure(engine)
    with Session(engine, future=True) as s, s.begin():
        res = s.execute(
            update(ContentReport)
            .where(ContentReport.id == report_id, ContentReport.afgehandeld_at.is_(None))
            .values(afgehandeld_at=_now(), afgehandeld_door=door[:100])
        )
        return res.rowcount == 1


def purge(engine: Engine, before: dt.datetime) -> int:
    """Delete reports whose last activity (handled, else reported) is before ``before`` (naive
    UTC, the retention period of ``bot.privacy.purge``); returns how many."""
    _ensure(engine)
    last = func.coalesce(ContentReport.afgehandeld_at, ContentReport.at)
    with Session(engine, future=True) as s, s.begin():
        statement = delete(ContentReport).where(last < before)
        return s.execute(statement.execution_options(synchronize_session=False)).rowcount
