"""Handoff cases: a resident's question handed to a buurtteam member, and the outbox.

State machine per case: ``wacht_op_medewerker`` -> ``medewerker`` -> ``gesloten`` (or
``geannuleerd`` when the resident cancels while waiting). The action server creates cases; the
staff API (in the Rasa server) takes, answers and closes them. Both share one database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, case, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from channels.crypto import decrypt, encrypt
from knowledge.db import get_engine
from knowledge.db import utc_now as _now

Base = declarative_base()

WAITING, TAKEN, CLOSED, CANCELLED = "wacht_op_medewerker", "medewerker", "gesloten", "geannuleerd"
OPEN_STATES = (WAITING, TAKEN)


class HandoffCase(Base):
    __tablename__ = "handoff_case"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(50), nullable=False)
    state = Column(String(30), nullable=False, default=WAITING, index=True)
    reden = Column(String(30), nullable=False)
    samenvatting = Column(Text, nullable=False)
    contact_voorkeur = Column(String(20), nullable=False, default="chat")
    telefoon_versleuteld = Column(Text)  # call-back number, Fernet-encrypted (channels.crypto)
    created_at = Column(DateTime, nullable=False, default=_now)
    taken_at = Column(DateTime)
    taken_by = Column(String(100))
    closed_at = Column(DateTime)


class CaseNote(Base):
    """What staff wrote to the resident (the resident's own messages stay in the tracker)."""

    __tablename__ = "handoff_note"
    id = Column(Integer, primary_key=True)
    case_id = Column(
        Integer, ForeignKey("handoff_case.id", ondelete="CASCADE"), index=True, nullable=False
    )
    at = Column(DateTime, nullable=False, default=_now)
    author = Column(String(100), nullable=False)
    text = Column(Text, nullable=False)


class OutboxMessage(Base):
    """A message for a resident that could not be pushed (REST residents poll for it)."""

    __tablename__ = "outbox"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(50), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=_now)
    delivered_at = Column(DateTime)


@dataclass(frozen=True)
class CaseView:
    id: int
    sender_id: str
    channel: str
    state: str
    reden: str
    samenvatting: str
    contact_voorkeur: str
    created_at: dt.datetime
    taken_by: str | None
    telefoon_versleuteld: str | None = None

    def public(self) -> dict:
        """What the staff API shows (no sender id: staff do not need it)."""
        return {
            "id": self.id,
            "state": self.state,
            "reden": self.reden,
            "samenvatting": self.samenvatting,
            "contact_voorkeur": self.contact_voorkeur,
            "kanaal": self.channel,
            "aangemaakt": self.created_at.isoformat() + "Z",
            "medewerker": self.taken_by,
            "terugbelnummer": bool(self.telefoon_versleuteld),
        }


def _view(c: HandoffCase) -> CaseView:
    return CaseView(
        c.id,
        c.sender_id,
        c.channel,
        c.state,
        c.reden,
        c.samenvatting,
        c.contact_voorkeur,
        c.created_at,
        c.taken_by,
        c.telefoon_versleuteld,
    )


class CaseError(Exception):
    """A state change that is not allowed (e.g. replying to a closed case)."""


class CaseStore:
    """All case and outbox operations, each in its own short transaction."""

    def __init__(self, engine: Engine | None = None):
        self.engine = engine or get_engine()
        Base.metadata.create_all(self.engine)

    def open_case_for(self, sender_id: str) -> CaseView | None:
        with Session(self.engine, future=True) as s:
            c = (
                s.execute(
                    select(HandoffCase)
                    .where(HandoffCase.sender_id == sender_id, HandoffCase.state.in_(OPEN_STATES))
                    .order_by(HandoffCase.id.desc())
                )
                .scalars()
                .first()
            )
            return _view(c) if c else None

    def create(
        self,
        sender_id: str,
        channel: str,
        reden: str,
        samenvatting: str,
        contact_voorkeur: str,
        telefoon_versleuteld: str | None = None,
    ) -> CaseView:
        with Session(self.engine, future=True) as s, s.begin():
            existing = (
                s.execute(
                    select(HandoffCase).where(
                        HandoffCase.sender_id == sender_id, HandoffCase.state.in_(OPEN_STATES)
                    )
                )
                .scalars()
                .first()
            )
            if existing:
                return _view(existing)
            c = HandoffCase(
                sender_id=sender_id,
                channel=channel,
                reden=reden,
                samenvatting=samenvatting,
                contact_voorkeur=contact_voorkeur,
                telefoon_versleuteld=telefoon_versleuteld,
            )
            s.add(c)
            s.flush()
            return _view(c)

    def get(self, case_id: int) -> CaseView | None:
        with Session(self.engine, future=True) as s:
            c = s.get(HandoffCase, case_id)
            return _view(c) if c else None

    def list(self, states: tuple[str, ...] = OPEN_STATES) -> list[CaseView]:
        """Cases in these states: crisis cases first (urgent), then the longest waiting."""
        urgent_first = case((HandoffCase.reden == "crisis", 0), else_=1)
        with Session(self.engine, future=True) as s:
            rows = s.execute(
                select(HandoffCase)
                .where(HandoffCase.state.in_(states))
                .order_by(urgent_first, HandoffCase.created_at)
            ).scalars()
            return [_view(c) for c in rows]

    def _transition(self, case_id: int, allowed: tuple[str, ...], **values) -> CaseView:
        with Session(self.engine, future=True) as s, s.begin():
            res = s.execute(
                update(HandoffCase)
                .where(HandoffCase.id == case_id, HandoffCase.state.in_(allowed))
                .values(**values)
            )
            if res.rowcount != 1:
                c = s.get(HandoffCase, case_id)
                raise CaseError("onbekende case" if c is None else f"case is {c.state}")
            return _view(s.get(HandoffCase, case_id))

    def take(self, case_id: int, staff: str) -> CaseView:
        return self._transition(case_id, (WAITING,), state=TAKEN, taken_by=staff, taken_at=_now())

    def hand_over(self, case_id: int, from_staff: str, to_staff: str) -> CaseView:
        """Give a taken case to a colleague; only its current owner can (issue #20 item 3)."""
        with Session(self.engine, future=True) as s, s.begin():
            res = s.execute(
                update(HandoffCase)
                .where(
                    HandoffCase.id == case_id,
                    HandoffCase.state == TAKEN,
                    HandoffCase.taken_by == from_staff,
                )
                .values(taken_by=to_staff[:100])
            )
            if res.rowcount != 1:
                c = s.get(HandoffCase, case_id)
                if c is None:
                    raise CaseError("onbekende case")
                raise CaseError(
                    f"case is {c.state}" if c.state != TAKEN else "case is van een collega"
                )
            return _view(s.get(HandoffCase, case_id))

    def close(self, case_id: int) -> CaseView:
        return self._transition(case_id, (WAITING, TAKEN), state=CLOSED, closed_at=_now())

    def cancel_for(self, sender_id: str) -> CaseView | None:
        case = self.open_case_for(sender_id)
        if case is None or case.state != WAITING:
            return None
        return self._transition(case.id, (WAITING,), state=CANCELLED, closed_at=_now())

    def add_note(self, case_id: int, author: str, text: str) -> None:
        with Session(self.engine, future=True) as s, s.begin():
            s.add(CaseNote(case_id=case_id, author=author, text=text))

    def notes(self, case_id: int) -> list[dict]:
        with Session(self.engine, future=True) as s:
            rows = s.execute(
                select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id)
            ).scalars()
            return [
                {"at": n.at.isoformat() + "Z", "author": n.author, "text": n.text} for n in rows
            ]

    # --- outbox ---------------------------------------------------------------------------------
    def queue(self, sender_id: str, channel: str, text: str) -> None:
        """Keep a staff reply for the resident; the text is stored encrypted (it may hold a phone
        number or an address the staff member typed)."""
        with Session(self.engine, future=True) as s, s.begin():
            s.add(OutboxMessage(sender_id=sender_id, channel=channel, text=encrypt(text)))

    def take_outbox(self, sender_id: str) -> list[str]:
        """Pending messages for a resident, oldest first; marked delivered in the same transaction."""
        with Session(self.engine, future=True) as s, s.begin():
            rows = (
                s.execute(
                    select(OutboxMessage)
                    .where(
                        OutboxMessage.sender_id == sender_id, OutboxMessage.delivered_at.is_(None)
                    )
                    .order_by(OutboxMessage.id)
                )
                .scalars()
                .all()
            )
            for r in rows:
                r.delivered_at = _now()
            return [_plain(r.text) for r in rows]


def _plain(stored: str) -> str:
    """Decrypt an outbox text (rows written before encryption are returned as they are)."""
    text = decrypt(stored)
    return stored if text is None else text


@lru_cache(maxsize=4)
def store_for(engine: Engine) -> CaseStore:
    return CaseStore(engine)


def default_store() -> CaseStore:
    """The process-wide store on the configured database (``BW_DATABASE_URL``)."""
    return store_for(get_engine())
