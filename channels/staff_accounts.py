"""Staff accounts and console sessions, stored next to the handoff cases.

Passwords are hashed with stdlib scrypt (random salt, parameters stored with the hash). A session
is a random token in an HttpOnly cookie; the database keeps only its SHA-256, so a copy of the
database does not log anyone in. Each session has its own CSRF token. After
``MAX_FAILED`` wrong passwords an account is locked for ``LOCK_MINUTES``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from knowledge.db import get_engine
from knowledge.db import utc_now as _now

Base = declarative_base()

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 10
MAX_FAILED = 5
LOCK_MINUTES = 15
SESSION_HOURS = 10
IDLE_MINUTES = 120
_NAME_OK = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64) for a new password."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(want),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


# A hash to check against when the name is unknown, so timing does not reveal which names exist.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffAccount(Base):
    __tablename__ = "staff_account"
    id = Column(Integer, primary_key=True)
    naam = Column(String(100), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)
    created_at = Column(DateTime, nullable=False, default=_now)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)
    last_login = Column(DateTime)


class StaffSession(Base):
    __tablename__ = "staff_session"
    token_hash = Column(String(64), primary_key=True)
    account_id = Column(
        Integer, ForeignKey("staff_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    csrf = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=_now)
    last_seen = Column(DateTime, nullable=False, default=_now)
    expires_at = Column(DateTime, nullable=False)


@dataclass(frozen=True)
class SessionView:
    """A live session: who is logged in and the CSRF token for their forms."""

    account_id: int
    naam: str
    csrf: str


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login: a new session token, or why not ('fout' or 'geblokkeerd')."""

    token: str | None
    csrf: str | None
    reason: str | None = None


class AccountError(Exception):
    """An account command that cannot be done (name taken, weak password, unknown name)."""


def check_name(naam: str) -> str:
    """Normalise and check an account name: lowercase letters, digits, dot, dash, underscore."""
    naam = naam.strip().lower()
    if not (2 <= len(naam) <= 50) or not set(naam) <= _NAME_OK:
        raise AccountError("naam: 2-50 tekens, alleen a-z, 0-9, punt, streepje of liggend streepje")
    return naam


def _account(session: Session, naam: str) -> StaffAccount:
    """The account with this name (case-insensitive), or AccountError."""
    acc = session.execute(
        select(StaffAccount).where(StaffAccount.naam == naam.strip().lower())
    ).scalar_one_or_none()
    if acc is None:
        raise AccountError(f"onbekend account '{naam}'")
    return acc


class AccountStore:
    """Account and session operations, each in its own short transaction."""

    def __init__(self, engine: Engine | None = None):
        self.engine = engine or get_engine()
        Base.metadata.create_all(self.engine)

    def _session(self) -> Session:
        return Session(self.engine, future=True)

    # --- accounts (CLI) --------------------------------------------------------------------------
    def add(self, naam: str, password: str) -> None:
        naam = check_name(naam)
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"wachtwoord: minstens {MIN_PASSWORD} tekens")
        with self._session() as s, s.begin():
            if s.execute(select(StaffAccount.id).where(StaffAccount.naam == naam)).first():
                raise AccountError(f"account '{naam}' bestaat al")
            s.add(StaffAccount(naam=naam, password_hash=hash_password(password)))

    def set_password(self, naam: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"wachtwoord: minstens {MIN_PASSWORD} tekens")
        with self._session() as s, s.begin():
            acc = _account(s, naam)
            acc.password_hash = hash_password(password)
            acc.failed_logins, acc.locked_until = 0, None
            s.execute(delete(StaffSession).where(StaffSession.account_id == acc.id))

    def unlock(self, naam: str) -> None:
        """Lift a lock after too many failed logins (the administrator's way back in)."""
        with self._session() as s, s.begin():
            acc = _account(s, naam)
            acc.failed_logins, acc.locked_until = 0, None

    def remove(self, naam: str) -> None:
        with self._session() as s, s.begin():
            acc = _account(s, naam)
            s.execute(delete(StaffSession).where(StaffSession.account_id == acc.id))
            s.delete(acc)

    def list(self) -> list[dict]:
        with self._session() as s:
            rows = s.execute(select(StaffAccount).order_by(StaffAccount.naam)).scalars()
            return [
                {
                    "naam": a.naam,
                    "aangemaakt": a.created_at,
                    "laatst_ingelogd": a.last_login,
                    "geblokkeerd_tot": a.locked_until
                    if a.locked_until and a.locked_until > _now()
                    else None,
                }
                for a in rows
            ]

    # --- login and sessions ----------------------------------------------------------------------
    def login(self, naam: str, password: str) -> LoginResult:
        """Check the password; count failures and lock after ``MAX_FAILED``; open a session."""
        now = _now()
        with self._session() as s, s.begin():
            acc = s.execute(
                select(StaffAccount).where(StaffAccount.naam == naam.strip().lower()[:100])
            ).scalar_one_or_none()
            if acc is None:
                verify_password(password, _DUMMY_HASH)
                return LoginResult(None, None, "fout")
            if acc.locked_until and acc.locked_until > now:
                return LoginResult(None, None, "geblokkeerd")
            if not verify_password(password, acc.password_hash):
                acc.failed_logins += 1
                if acc.failed_logins >= MAX_FAILED:
                    acc.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                    acc.failed_logins = 0
                    return LoginResult(None, None, "geblokkeerd")
                return LoginResult(None, None, "fout")
            acc.failed_logins, acc.locked_until, acc.last_login = 0, None, now
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            s.execute(delete(StaffSession).where(StaffSession.expires_at < now))
            s.add(
                StaffSession(
                    token_hash=_token_hash(token),
                    account_id=acc.id,
                    csrf=csrf,
                    created_at=now,
                    last_seen=now,
                    expires_at=now + dt.timedelta(hours=SESSION_HOURS),
                )
            )
            return LoginResult(token, csrf)

    def session(self, token: str | None) -> SessionView | None:
        """The live session for a cookie token (not expired, not idle too long), or None."""
        if not token:
            return None
        now = _now()
        with self._session() as s, s.begin():
            row = s.execute(
                select(StaffSession, StaffAccount.naam)
                .join(StaffAccount, StaffAccount.id == StaffSession.account_id)
                .where(StaffSession.token_hash == _token_hash(token))
            ).first()
            if row is None:
                return None
            sess, naam = row
            if sess.expires_at < now or sess.last_seen < now - dt.timedelta(minutes=IDLE_MINUTES):
                s.delete(sess)
                return None
            if sess.last_seen < now - dt.timedelta(minutes=1):
                sess.last_seen = now
            return SessionView(sess.account_id, naam, sess.csrf)

    def logout(self, token: str | None) -> None:
        if not token:
            return
        with self._session() as s, s.begin():
            s.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))


@lru_cache(maxsize=4)
def store_for(engine: Engine) -> AccountStore:
    return AccountStore(engine)


def default_store() -> AccountStore:
    """The process-wide account store on the configured database (``BW_DATABASE_URL``)."""
    return store_for(get_engine())
