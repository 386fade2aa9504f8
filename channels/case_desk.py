"""The inbox as a work queue (issue #20 item 3): views and filters, internal notes, hand-over,
call-back outcomes and the archive of closed cases.

Tables live next to ``handoff_case`` (same declarative base). Everything a staff member types is
masked with ``nlu.pii.mask`` before it is stored, so a BSN, IBAN, phone number or e-mail address
typed into a note never sits in the database in the clear. The stadsdeel of a case is read once
from the conversation's ``stadsdeel`` slot and remembered (``handoff_case_area``), with the
conversation's language (the ``taal`` slot: staff answer an English writer in English).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from channels.cases import CANCELLED, CLOSED, TAKEN, WAITING, Base, CaseView, HandoffCase, _view
from knowledge.db import get_engine
from knowledge.db import utc_now as _now
from nlu.pii import mask

MAX_NOTE = 2000
AREA_RECHECK_S = 60  # an open case without a known stadsdeel is looked up again after this
OUTCOMES = {"gebeld": "Gebeld en gesproken", "niet_bereikt": "Gebeld, niet bereikt"}
VIEWS = ("alle", "mijn", "vrij")
REASON_LABEL = {
    "crisis": "Crisis (spoed)",
    "vraag": "Vraag",
    "meerdere_problemen": "Meerdere problemen",
    "niet_begrepen": "Bot begreep het niet",
}
UNKNOWN_AREA = "onbekend"


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat() + "Z"


class InternalNote(Base):
    """A note for colleagues only; the resident never sees it."""

    __tablename__ = "handoff_internal_note"
    id = Column(Integer, primary_key=True)
    case_id = Column(
        Integer, ForeignKey("handoff_case.id", ondelete="CASCADE"), index=True, nullable=False
    )
    at = Column(DateTime, nullable=False, default=_now)
    author = Column(String(100), nullable=False)
    text = Column(Text, nullable=False)  # masked


class CallbackAttempt(Base):
    """One call-back attempt and how it went ('gebeld' or 'niet_bereikt')."""

    __tablename__ = "handoff_callback"
    id = Column(Integer, primary_key=True)
    case_id = Column(
        Integer, ForeignKey("handoff_case.id", ondelete="CASCADE"), index=True, nullable=False
    )
    at = Column(DateTime, nullable=False, default=_now)
    author = Column(String(100), nullable=False)
    uitkomst = Column(String(20), nullable=False)
    toelichting = Column(Text, nullable=False, default="")  # masked


class CaseArea(Base):
    """The stadsdeel (and gemeente) a case is about, read from the conversation."""

    __tablename__ = "handoff_case_area"
    case_id = Column(Integer, ForeignKey("handoff_case.id", ondelete="CASCADE"), primary_key=True)
    stadsdeel = Column(String(64))
    gemeente = Column(String(64))
    taal = Column(String(8))  # the conversation's language ("en"); None: Dutch or not known
    checked_at = Column(DateTime, nullable=False, default=_now)


class DeskError(ValueError):
    """Input a desk action refuses (empty note, unknown outcome)."""


@dataclass(frozen=True)
class Filters:
    """What the inbox shows: a view (alle / mijn / vrij) and optional stadsdeel and reason."""

    view: str = "alle"
    stadsdeel: str = ""
    reden: str = ""
    KEYS = ("weergave", "stadsdeel", "reden")

    @classmethod
    def from_args(cls, args: dict[str, str]) -> Filters:
        view = args.get("weergave", "alle")
        return cls(
            view if view in VIEWS else "alle",
            (args.get("stadsdeel") or "")[:64],
            (args.get("reden") or "")[:30],
        )


def matches(case: dict, filters: Filters, me: str) -> bool:
    """Whether a public case dict (with ``stadsdeel``) passes the inbox filters."""
    if filters.view == "mijn" and (case["medewerker"] != me or case["state"] != TAKEN):
        return False
    if filters.view == "vrij" and case["state"] != WAITING:
        return False
    if filters.stadsdeel and (case.get("stadsdeel") or UNKNOWN_AREA) != filters.stadsdeel:
        return False
    return not filters.reden or case["reden"] == filters.reden


def reasons_crisis_first(reasons: Iterable[str]) -> list[tuple[str, str]]:
    """(value, label) of every reason for the filter, crisis first (urgent), then by label."""
    distinct = (set(reasons) | set(REASON_LABEL)) - {"crisis"}
    rest = sorted(
        ((r, REASON_LABEL.get(r, r.replace("_", " "))) for r in distinct), key=lambda x: x[1]
    )
    return [("crisis", REASON_LABEL["crisis"]), *rest]


def _add_language_column(engine: Engine) -> None:
    """A case store made before the language was kept gets the column (SQLite and PostgreSQL
    both add a nullable column in place; existing rows read as 'not known')."""
    with engine.begin() as con:
        have = {c["name"] for c in inspect(con).get_columns(CaseArea.__tablename__)}
        if "taal" not in have:
            con.exec_driver_sql(f"ALTER TABLE {CaseArea.__tablename__} ADD COLUMN taal VARCHAR(8)")


class CaseDesk:
    """Notes, call-back outcomes, areas and the archive, each in its own short transaction."""

    def __init__(self, engine: Engine | None = None):
        self.engine = engine or get_engine()
        Base.metadata.create_all(self.engine)
        _add_language_column(self.engine)

    def _session(self) -> Session:
        return Session(self.engine, future=True)

    # --- internal notes ---------------------------------------------------------------------
    def add_note(self, case_id: int, author: str, text: object) -> dict:
        """Keep a note for colleagues (masked); raises DeskError for an empty or long text."""
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_NOTE:
            raise DeskError(f"schrijf een notitie van hoogstens {MAX_NOTE} tekens")
        with self._session() as s, s.begin():
            note = InternalNote(case_id=case_id, author=author[:100], text=mask(text.strip()))
            s.add(note)
            s.flush()
            return {"tijd": _iso(note.at), "auteur": note.author, "tekst": note.text}

    def notes(self, case_id: int) -> list[dict]:
        with self._session() as s:
            rows = s.execute(
                select(InternalNote)
                .where(InternalNote.case_id == case_id)
                .order_by(InternalNote.id)
            ).scalars()
            return [{"tijd": _iso(n.at), "auteur": n.author, "tekst": n.text} for n in rows]

    # --- call-back outcomes -----------------------------------------------------------------
    def log_callback(
        self, case_id: int, author: str, uitkomst: object, toelichting: object
    ) -> dict:
        """Record one call-back attempt; ``toelichting`` is optional and stored masked."""
        if uitkomst not in OUTCOMES:
            raise DeskError("kies 'gebeld' of 'niet_bereikt'")
        extra = toelichting.strip()[:500] if isinstance(toelichting, str) else ""
        with self._session() as s, s.begin():
            row = CallbackAttempt(
                case_id=case_id, author=author[:100], uitkomst=uitkomst, toelichting=mask(extra)
            )
            s.add(row)
            s.flush()
            return _attempt(row)

    def callbacks(self, case_id: int) -> list[dict]:
        with self._session() as s:
            rows = s.execute(
                select(CallbackAttempt)
                .where(CallbackAttempt.case_id == case_id)
                .order_by(CallbackAttempt.id)
            ).scalars()
            return [_attempt(r) for r in rows]

    # --- stadsdeel per case -----------------------------------------------------------------
    def areas(
        self, case_ids: list[int]
    ) -> dict[int, tuple[str | None, str | None, str | None, bool]]:
        """case id -> (stadsdeel, gemeente, taal, fresh); ``fresh`` is False when it is worth
        asking the conversation again (never looked up, or no stadsdeel yet and checked a while
        ago)."""
        if not case_ids:
            return {}
        cutoff = _now() - dt.timedelta(seconds=AREA_RECHECK_S)
        with self._session() as s:
            rows = s.execute(select(CaseArea).where(CaseArea.case_id.in_(case_ids))).scalars()
            found = {
                r.case_id: (
                    r.stadsdeel,
                    r.gemeente,
                    r.taal,
                    bool(r.stadsdeel) or r.checked_at > cutoff,
                )
                for r in rows
            }
        return {cid: found.get(cid, (None, None, None, False)) for cid in case_ids}

    def remember_area(
        self,
        case_id: int,
        stadsdeel: str | None,
        gemeente: str | None,
        taal: str | None = None,
    ) -> None:
        with self._session() as s, s.begin():
            row = s.get(CaseArea, case_id) or CaseArea(case_id=case_id)
            row.stadsdeel = (stadsdeel or None) and str(stadsdeel)[:64]
            row.gemeente = (gemeente or None) and str(gemeente)[:64]
            row.taal = (taal or None) and str(taal)[:8]
            row.checked_at = _now()
            s.merge(row)

    # --- archive ----------------------------------------------------------------------------
    def archive(self, query: str = "", limit: int = 50) -> tuple[list[CaseView], int]:
        """Closed and cancelled cases, newest first, that match ``query`` (a case number, or
        words in the summary, the staff member's name or an internal note). Returns the first
        ``limit`` and how many match in total."""
        cond = [HandoffCase.state.in_((CLOSED, CANCELLED))]
        q = query.strip()[:200]
        if q.lstrip("#").isdigit():
            cond.append(HandoffCase.id == int(q.lstrip("#")))
        elif q:
            for word in q.lower().split()[:6]:
                like = f"%{word}%"
                in_notes = select(InternalNote.case_id).where(
                    func.lower(InternalNote.text).like(like)
                )
                cond.append(
                    or_(
                        func.lower(HandoffCase.samenvatting).like(like),
                        func.lower(HandoffCase.taken_by).like(like),
                        HandoffCase.id.in_(in_notes),
                    )
                )
        with self._session() as s:
            total = s.execute(select(func.count(HandoffCase.id)).where(*cond)).scalar_one()
            rows = s.execute(
                select(HandoffCase)
                .where(*cond)
                .order_by(HandoffCase.closed_at.desc(), HandoffCase.id.desc())
                .limit(limit)
            ).scalars()
            return [_view(c) for c in rows], int(total)

    def closed_at(self, case_ids: list[int]) -> dict[int, dt.datetime | None]:
        with self._session() as s:
            rows = s.execute(
                select(HandoffCase.id, HandoffCase.closed_at).where(HandoffCase.id.in_(case_ids))
            ).all()
            return {r[0]: r[1] for r in rows}


def delete_for_cases(session: Session, case_ids: Any) -> int:
    """Delete the notes, call-back attempts and areas of these cases (a select of ids) in the
    caller's transaction; used by 'verwijder mijn gesprek' and the retention purge
    (``bot.privacy``). Returns the number of rows."""
    total = 0
    for table in (InternalNote, CallbackAttempt, CaseArea):
        stmt = delete(table).where(table.case_id.in_(case_ids))
        total += session.execute(stmt.execution_options(synchronize_session=False)).rowcount
    return total


def _attempt(row: CallbackAttempt) -> dict:
    return {
        "tijd": _iso(row.at),
        "auteur": row.author,
        "uitkomst": row.uitkomst,
        "label": OUTCOMES[row.uitkomst],
        "toelichting": row.toelichting,
    }


@lru_cache(maxsize=4)
def desk_for(engine: Engine) -> CaseDesk:
    return CaseDesk(engine)


def default_desk() -> CaseDesk:
    """The process-wide desk on the configured database (``BW_DATABASE_URL``)."""
    return desk_for(get_engine())
