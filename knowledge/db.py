"""Database engine and sessions (SQLAlchemy 1.4 in 2.0 style).

SQLite is the embedded default; set ``BW_DATABASE_URL`` for PostgreSQL when scaled out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent


def utc_now() -> dt.datetime:
    """Now in UTC without tzinfo: how every table of ours stores a moment (SQLite keeps no zone)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


#: Files our processes create (databases, logs, secrets) are readable by their owner only, and
#: folders only open to the owner (issue #19 item 7). Children (Rasa, the action server) inherit it.
PRIVATE_UMASK = 0o077


def private_files() -> None:
    """New files 0600 and folders 0700 from here on, in this process and its children."""
    os.umask(PRIVATE_UMASK)


def var_dir() -> Path:
    """Where local state lives (databases, keys, logs): ``BW_VAR_DIR`` or ``var/`` in the repo."""
    return Path(os.environ.get("BW_VAR_DIR") or ROOT / "var")


DEFAULT_DB_PATH = var_dir() / "bestaanswijzer.db"


def database_url() -> str:
    """The configured database URL (``BW_DATABASE_URL``) or the local SQLite file."""
    url = os.environ.get("BW_DATABASE_URL")
    if url:
        return url
    DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB_PATH}"


def make_engine(url: str | None = None) -> Engine:
    """Create an engine; SQLite gets foreign keys and WAL so readers never block the loader."""
    url = url or database_url()
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    return engine


def get_engine(url: str | None = None) -> Engine:
    """Process-wide engine for ``url`` (default: the configured database)."""
    return _engine_for(url or database_url())


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = Session(engine or get_engine(), future=True)
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
