"""Staff API for handoff (``/webhooks/staff/...``), served inside the Rasa server.

Authenticated with a bearer token (``BW_STAFF_TOKEN``). Staff list open cases with a summary and
the transcript (personal data masked), take a case (the bot pauses for that conversation with
Rasa's ConversationPaused), reply (delivered on the resident's own channel), and close (the bot
resumes with ConversationResumed and tells the resident).
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    UserUttered,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.cases import TAKEN, CaseError, CaseView, default_store
from channels.common import texts
from channels.crypto import decrypt
from channels.delivery import deliver
from channels.delivery_state import for_case
from nlu.pii import mask

logger = logging.getLogger(__name__)
MAX_REPLY = 4000
RESUME_TEXT = "De medewerker heeft het gesprek afgesloten. Je praat nu weer met Bestaanswijzer, de computer. Heb je nog een vraag? Stel hem gerust."


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


async def _append(agent: Any, sender_id: str, *events: Any) -> None:
    """Append events to a conversation under its lock, as Rasa's own HTTP API does."""
    async with agent.lock_store.lock(sender_id):
        tracker = await agent.processor.get_tracker(sender_id)
        for event in events:
            tracker.update(event)
        await agent.tracker_store.save(tracker)


_AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _time(timestamp: float | None) -> str:
    """'14:05' in the Dutch time zone, '' when unknown."""
    if not timestamp:
        return ""
    moment = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).astimezone(_AMSTERDAM)
    return moment.strftime("%H:%M")


async def transcript(
    agent: Any, sender_id: str, limit: int = 200, tracker: Any = None
) -> list[dict[str, str]]:
    """The last messages of a conversation with personal data masked, with the time of each.

    A tapped button arrives as its payload ("/affirm"): staff read the button's own title
    instead ("[knop] Ja, graag"), taken from the bot message that offered it (issue #20 item 4).
    """
    if tracker is None:
        tracker = await agent.processor.get_tracker(sender_id)
    lines = []
    buttons: dict[str, str] = {}
    for e in tracker.events:
        if isinstance(e, UserUttered) and e.text:
            text = e.text
            if text.startswith("/"):
                title = buttons.get(text) or buttons.get(text.split("{")[0])
                text = f"[knop] {title}" if title else "[knop]"
            lines.append({"van": "bewoner", "tekst": mask(text), "tijd": _time(e.timestamp)})
        elif isinstance(e, BotUttered) and e.text:
            for b in (e.data or {}).get("buttons") or []:
                if isinstance(b, dict) and b.get("payload") and b.get("title"):
                    buttons[str(b["payload"])] = str(b["title"])
            lines.append(
                {
                    "van": "bot" if not (e.metadata or {}).get("staff") else "medewerker",
                    "tekst": mask(e.text),
                    "tijd": _time(e.timestamp),
                }
            )
    return lines[-limit:]


class StaffActionError(Exception):
    """A staff action that cannot be done; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _case_error(exc: CaseError) -> StaffActionError:
    return StaffActionError(409 if "onbekend" not in str(exc) else 404, str(exc))


async def case_detail(agent: Any, case_id: int) -> dict[str, Any]:
    """A case with its masked transcript, what staff wrote, the delivery state of what was sent
    and what still waits for the resident (``channels.delivery_state``)."""
    store = default_store()
    case = store.get(case_id)
    if case is None:
        raise StaffActionError(404, "onbekende case")
    tracker = await agent.processor.get_tracker(case.sender_id)
    return {
        **case.public(),
        "taal": tracker.get_slot("taal"),
        "transcript": await transcript(agent, case.sender_id, tracker=tracker),
        "notities": store.notes(case_id),
        **for_case(case.sender_id, case.created_at),
    }


async def take_case(agent: Any, case_id: int, staff: str) -> CaseView:
    """Take a waiting case; the bot pauses for that conversation."""
    try:
        case = default_store().take(case_id, staff[:100] or "medewerker")
    except CaseError as exc:
        raise _case_error(exc) from exc
    await _append(agent, case.sender_id, ConversationPaused())
    # The resident hears that a person has the question (issue #20 item 2).
    text = texts()["case_taken"].replace("{naam}", case.taken_by or "medewerker")
    await _append(agent, case.sender_id, BotUttered(text, metadata={"staff": True}))
    await deliver(default_store(), case.channel, case.sender_id, text)
    return case


def callback_number(case_id: int, staff: str) -> str:
    """The call-back number of a case, for the staff member who took it only; every view is
    written to the case notes (who, when) so it can be audited (issue #20 item 1)."""
    store = default_store()
    case = store.get(case_id)
    if case is None:
        raise StaffActionError(404, "onbekende case")
    if case.state != TAKEN or case.taken_by != staff:
        raise StaffActionError(403, "alleen de medewerker die de case heeft, ziet het nummer")
    if not case.telefoon_versleuteld:
        raise StaffActionError(404, "de bewoner heeft geen terugbelnummer gegeven")
    number = decrypt(case.telefoon_versleuteld)
    if number is None:
        raise StaffActionError(409, "het nummer kon niet worden gelezen (is de sleutel veranderd?)")
    store.add_note(case_id, staff, f"Terugbelnummer bekeken door {staff}")
    return number


async def hand_over_case(agent: Any, case_id: int, staff: str, colleague: str) -> CaseView:
    """Give a taken case to a colleague (an existing account); the resident is told who has it
    now and the hand-over is written to the internal notes (issue #20 item 3)."""
    from channels.case_desk import default_desk  # noqa: PLC0415
    from channels.staff_accounts import default_store as accounts  # noqa: PLC0415

    if not isinstance(colleague, str) or colleague == staff:
        raise StaffActionError(400, "kies een collega")
    if colleague not in {a["naam"] for a in accounts().list()}:
        raise StaffActionError(400, "die collega heeft geen account")
    try:
        case = default_store().hand_over(case_id, staff, colleague)
    except CaseError as exc:
        if "collega" in str(exc):
            message = "alleen de medewerker die de case heeft, kan hem overdragen"
            raise StaffActionError(403, message) from exc
        raise _case_error(exc) from exc
    default_desk().add_note(case_id, staff, f"Overgedragen door {staff} aan {colleague}")
    text = texts()["case_handed_over"].replace("{naam}", colleague)
    await _append(agent, case.sender_id, BotUttered(text, metadata={"staff": True}))
    await deliver(default_store(), case.channel, case.sender_id, text)
    return case


def log_callback(case_id: int, staff: str, uitkomst: Any, toelichting: Any) -> dict:
    """Record a call-back attempt; only the staff member who has the case calls (item 3)."""
    from channels.case_desk import DeskError, default_desk  # noqa: PLC0415

    case = default_store().get(case_id)
    if case is None:
        raise StaffActionError(404, "onbekende case")
    if case.state != TAKEN or case.taken_by != staff:
        raise StaffActionError(403, "alleen de medewerker die de case heeft, belt terug")
    try:
        return default_desk().log_callback(case_id, staff, uitkomst, toelichting)
    except DeskError as exc:
        raise StaffActionError(400, str(exc)) from exc


async def reply_to_case(agent: Any, case_id: int, text: Any, author: str | None = None) -> str:
    """Send staff's reply to the resident's own channel; returns 'push' or 'outbox'."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_REPLY:
        raise StaffActionError(400, f"'tekst' ontbreekt of is langer dan {MAX_REPLY} tekens")
    store = default_store()
    case = store.get(case_id)
    if case is None:
        raise StaffActionError(404, "onbekende case")
    if case.state != TAKEN:
        raise StaffActionError(409, "neem de case eerst aan")
    store.add_note(case_id, author or case.taken_by or "medewerker", mask(text))
    await _append(agent, case.sender_id, BotUttered(text, metadata={"staff": True}))
    return await deliver(store, case.channel, case.sender_id, text)


async def close_case(agent: Any, case_id: int) -> CaseView:
    """Close a case; the bot resumes and tells the resident."""
    store = default_store()
    try:
        case = store.close(case_id)
    except CaseError as exc:
        raise _case_error(exc) from exc
    await _append(
        agent,
        case.sender_id,
        ConversationResumed(),
        ActionExecuted("action_listen"),
        BotUttered(RESUME_TEXT),
    )
    await deliver(store, case.channel, case.sender_id, RESUME_TEXT)
    return case


class StaffInput(InputChannel):
    """The staff side of the handoff."""

    def __init__(self, token: str | None = None):
        self.token = token or os.environ.get("BW_STAFF_TOKEN") or ""

    @classmethod
    def name(cls) -> str:
        return "staff"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> StaffInput:
        return cls((credentials or {}).get("token"))

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        given = header[7:] if header.startswith("Bearer ") else ""
        return bool(self.token) and hmac.compare_digest(given.encode(), self.token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("bestaanswijzer_staff", __name__)
        store = default_store

        def authorised(handler):
            @wraps(handler)
            async def wrapper(request: Request, *args, **kwargs):
                if not self._authorised(request):
                    return _error(401, "niet ingelogd")
                return await handler(request, *args, **kwargs)

            return wrapper

        def body_of(request: Request) -> dict | None:
            try:
                body = request.json
            except Exception:
                return None
            return body if isinstance(body, dict) else ({} if body is None else None)

        @bp.route("/cases", methods=["GET"])
        @authorised
        async def list_cases(request: Request) -> HTTPResponse:
            return response.json([c.public() for c in store().list()])

        @bp.route("/cases/<case_id:int>", methods=["GET"])
        @authorised
        async def get_case(request: Request, case_id: int) -> HTTPResponse:
            try:
                return response.json(await case_detail(request.app.ctx.agent, case_id))
            except StaffActionError as exc:
                return _error(exc.status, str(exc))

        @bp.route("/cases/<case_id:int>/take", methods=["POST"])
        @authorised
        async def take(request: Request, case_id: int) -> HTTPResponse:
            body = body_of(request)
            if body is None:
                return _error(400, "body is geen geldige JSON")
            staff = str(body.get("medewerker") or "medewerker")
            try:
                case = await take_case(request.app.ctx.agent, case_id, staff)
            except StaffActionError as exc:
                return _error(exc.status, str(exc))
            return response.json(case.public())

        @bp.route("/cases/<case_id:int>/reply", methods=["POST"])
        @authorised
        async def reply(request: Request, case_id: int) -> HTTPResponse:
            body = body_of(request)
            if body is None:
                return _error(400, "body is geen geldige JSON")
            try:
                how = await reply_to_case(request.app.ctx.agent, case_id, body.get("tekst"))
            except StaffActionError as exc:
                return _error(exc.status, str(exc))
            return response.json({"bezorgd": how})

        @bp.route("/cases/<case_id:int>/close", methods=["POST"])
        @authorised
        async def close(request: Request, case_id: int) -> HTTPResponse:
            try:
                case = await close_case(request.app.ctx.agent, case_id)
            except StaffActionError as exc:
                return _error(exc.status, str(exc))
            return response.json(case.public())

        return bp
