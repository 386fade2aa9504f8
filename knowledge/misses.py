"""Searches from residents that found nothing: what the knowledge base lacks.

One row per distinct (masked, normalised) question with a count and when it was last asked.
Personal data is masked with :func:`nlu.pii.mask` before anything is stored. Recording is one
small upsert and never breaks the answer: a database error is logged and ignored.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from sqlalchemy import Column, DateTime, Integer, String, delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, declarative_base

from knowledge.db import utc_now as _now
from nlu.pii import mask

logger = logging.getLogger(__name__)
Base = declarative_base()
MAX_QUERY = 200
_ready: set[str] = set()


class SearchMiss(Base):
    __tablename__ = "search_miss"
    id = Column(Integer, primary_key=True)
    query = Column(String(MAX_QUERY), nullable=False, unique=True)
    soort = Column(String(16), nullable=False, default="")
    count = Column(Integer, nullable=False, default=1)
    first_seen = Column(DateTime, nullable=False, default=_now)
    last_seen = Column(DateTime, nullable=False, default=_now)


def normalise(query: str) -> str:
    """Masked, lowercased, single-spaced and cut to ``MAX_QUERY`` characters."""
    return re.sub(r"\s+", " ", mask(query.strip().lower())).strip()[:MAX_QUERY]


def _ensure(engine: Engine) -> None:
    key = str(engine.url)
    if key not in _ready:
        Base.metadata.create_all(engine)
        _ready.add(key)


def record(engine: Engine, query: str, kind: str | None = None) -> None:
    """Count one search that found nothing; safe to call from an action."""
    text = normalise(query)
    if not text:
        return
    try:
        _ensure(engine)
        for _ in range(2):  # a concurrent insert of the same query turns into an update
            try:
                with Session(engine, future=True) as s, s.begin():
                    done = s.execute(
                        update(SearchMiss)
                        .where(SearchMiss.query == text)
                        .values(count=SearchMiss.count + 1, last_seen=_now())
                    ).rowcount
                    if not done:
                        s.add(SearchMiss(query=text, soort=kind or ""))
                return
            except IntegrityError:
                continue
    except SQLAlchemyError:
        logger.warning("zoekvraag zonder resultaat niet opgeslagen", exc_info=True)


def forget_texts(engine: Engine, texts: list[str]) -> int:
    """Delete the rows that hold one of these messages (a resident's 'verwijder mijn gesprek':
    the rows keep no sender, so the resident's own messages say which rows are theirs)."""
    queries = {q for t in texts if (q := normalise(t))}
    if not queries:
        return 0
    _ensure(engine)
    with Session(engine, future=True) as s, s.begin():
        return s.execute(delete(SearchMiss).where(SearchMiss.query.in_(queries))).rowcount


def purge(engine: Engine, before: dt.datetime) -> int:
    """Delete rows last asked before ``before`` (the retention period, bot.privacy.purge)."""
    _ensure(engine)
    with Session(engine, future=True) as s, s.begin():
        return s.execute(delete(SearchMiss).where(SearchMiss.last_seen < before)).rowcount


def top(engine: Engine, limit: int = 50) -> list[dict]:
    """Most asked first, then most recent."""
    _ensure(engine)
    with Session(engine, future=True) as s:
        rows = s.execute(
            select(SearchMiss)
            .order_by(SearchMiss.count.desc(), SearchMiss.last_seen.desc())
            .limit(limit)
        ).scalars()
        return [
            {
                "vraag": r.query,
                "soort": r.soort,
                "aantal": r.count,
                "eerst": r.first_seen,
                "laatst": r.last_seen,
            }
            for r in rows
        ]
