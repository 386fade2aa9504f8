"""Staff console (``/webhooks/console/``): a Dutch web page for buurtteam staff inside the Rasa server.

Lookup in regulations and the social map (:mod:`knowledge.lookup`), the handoff inbox as a work
queue (views and filters, take, hand over, notes, call-back outcomes, reply, close, archive;
shared with the token API in :mod:`channels.staff` and :mod:`channels.case_desk`) and the
content check ("Inhoud nakijken", with errors staff report on a page). Staff log
in with an account made by ``python -m bot staff add``. Sessions are server-side (cookie HttpOnly,
SameSite=Strict), every POST carries the session's CSRF token, and failed logins are limited per
account (lockout) and per client address. Pages are rendered with Jinja2 (autoescape) from
``channels/console/templates``; small vanilla JS in ``channels/console/static`` polls the inbox.
"""

from __future__ import annotations

import asyncio
import collections
import datetime
import hmac
import json
import logging
import os
import secrets
import time
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.privacy import retention_days
from channels.case_desk import (
    REASON_LABEL,
    DeskError,
    Filters,
    default_desk,
    matches,
    reasons_crisis_first,
)
from channels.cases import CANCELLED, CLOSED, TAKEN, WAITING, default_store
from channels.reply_templates import for_staff, resident_text
from channels.staff import (
    StaffActionError,
    callback_number,
    case_detail,
    close_case,
    hand_over_case,
    log_callback,
    reply_to_case,
    take_case,
)
from channels.staff_accounts import AccountStore, SessionView
from channels.staff_accounts import default_store as default_accounts
from knowledge import health, lookup, misses, reports
from knowledge.answers import amount_line, condition_line, datum, resident_fields, staff_fields
from knowledge.service import DEFAULT_GEMEENTE, KnowledgeService, default_service

logger = logging.getLogger(__name__)

BASE = "/webhooks/console"
# Questions from the content shown above the search results from this score (knowledge/faq.py).
CONSOLE_QUESTION_MIN = 0.4
HERE = Path(__file__).resolve().parent / "console"
SESSION_COOKIE = "bw_console"
LOGIN_COOKIE = "bw_console_login"
IP_WINDOW_S, IP_MAX_FAILED = 15 * 60, 20
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
STATE_LABEL = {
    WAITING: "wacht op medewerker",
    TAKEN: "in behandeling",
    CLOSED: "gesloten",
    CANCELLED: "ingetrokken door bewoner",
}

_env = Environment(
    loader=FileSystemLoader(str(HERE / "templates")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["datum"] = datum
_env.globals.update(
    amount_line=amount_line, condition_line=condition_line, reden_label=REASON_LABEL
)


async def with_areas(agent: Any, cases: list[Any]) -> dict[int, tuple[str | None, str | None]]:
    """case id -> (stadsdeel, taal), read once from each conversation's ``stadsdeel`` and
    ``taal`` slots and then remembered (``channels.case_desk``), so a poll does not read every
    tracker again."""
    desk = default_desk()
    known = desk.areas([c.id for c in cases])
    out: dict[int, tuple[str | None, str | None]] = {}
    for c in cases:
        stadsdeel, gemeente, taal, fresh = known[c.id]
        if not fresh and agent is not None:
            try:
                tracker = await agent.tracker_store.retrieve(c.sender_id)
            except Exception:  # a tracker store hiccup must not break the inbox
                logger.warning("console: gesprek van case %s niet gelezen", c.id, exc_info=True)
                tracker = None
            if tracker is not None:
                stadsdeel = tracker.get_slot("stadsdeel")
                gemeente = tracker.get_slot("gemeente")
                taal = tracker.get_slot("taal")
            desk.remember_area(c.id, stadsdeel, gemeente, taal)
        out[c.id] = (stadsdeel, taal)
    return out


def _secure_cookie() -> bool:
    """Mark cookies Secure when the console is served over HTTPS (``BW_CONSOLE_SECURE_COOKIE=1``)."""
    return os.environ.get("BW_CONSOLE_SECURE_COOKIE", "") in ("1", "true", "yes")


def _headers(resp: HTTPResponse) -> HTTPResponse:
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers.setdefault("Cache-Control", "no-store")
    return resp


def _set_cookie(resp: HTTPResponse, name: str, value: str, max_age: int) -> None:
    resp.cookies[name] = value
    cookie = resp.cookies[name]
    cookie["path"] = BASE
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["max-age"] = max_age
    if _secure_cookie():
        cookie["secure"] = True


def b1_text(fields: dict[str, str], responses: dict[str, Any] | None) -> str:
    """The resident answer for a regulation, with the wording of the bot's own responses."""
    parts = []
    for name in ("utter_regeling_uitleg", "utter_regeling_volgende_stap"):
        variants = (responses or {}).get(name) or []
        template = variants[0].get("text") if variants else None
        if template:
            try:
                parts.append(template.format(**fields))
                continue
            except (KeyError, IndexError):
                pass
        parts.append(fields["samenvatting"] if "uitleg" in name else fields["volgende_stap"])
    return "\n\n".join(parts)


def report_state(request: Request) -> dict[str, str]:
    """What the 'Meld een fout' box says after a report: thanks, or what was wrong."""
    return {
        "gemeld": request.args.get("gemeld", ""),
        "melding_fout": (request.args.get("melding") or "")[:200],
    }


def trusted_proxies() -> set[str]:
    """Reverse proxies whose ``X-Forwarded-For`` we believe (``BW_TRUSTED_PROXIES``)."""
    raw = os.environ.get("BW_TRUSTED_PROXIES", "")
    return {p.strip() for p in raw.split(",") if p.strip()}


def client_address(peer: str, forwarded_for: str, trusted: set[str]) -> str:
    """The client's address: the peer itself, unless the peer is a trusted proxy; then the
    right-most forwarded address that is not a trusted proxy (the left part can be forged)."""
    if peer not in trusted or not forwarded_for:
        return peer
    hops = [h.strip() for h in forwarded_for.split(",")[-10:] if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:64]
    return peer


class LoginLimiter:
    """Failed logins per client address in a sliding window (in memory, per process)."""

    def __init__(self, window_s: int = IP_WINDOW_S, max_failed: int = IP_MAX_FAILED):
        self.window_s, self.max_failed = window_s, max_failed
        self._failed: dict[str, collections.deque] = {}

    def _recent(self, key: str) -> collections.deque:
        q = self._failed.setdefault(key, collections.deque())
        while q and q[0] < time.monotonic() - self.window_s:
            q.popleft()
        return q

    def blocked(self, key: str) -> bool:
        return len(self._recent(key)) >= self.max_failed

    def failed(self, key: str) -> None:
        self._recent(key).append(time.monotonic())
        if len(self._failed) > 10_000:  # bound memory: forget the quietest addresses
            for k in [k for k, q in self._failed.items() if not q][:5_000]:
                del self._failed[k]


class ConsoleInput(InputChannel):
    """The staff console as a Rasa input channel (it sends no user messages itself)."""

    def __init__(self, poll_seconds: int = 3):
        self.poll_seconds = poll_seconds
        self.limiter = LoginLimiter()

    @classmethod
    def name(cls) -> str:
        return "console"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ConsoleInput:
        return cls(int((credentials or {}).get("poll_seconds", 3)))

    # --- helpers --------------------------------------------------------------------------------
    @staticmethod
    def accounts() -> AccountStore:
        return default_accounts()

    @staticmethod
    def kb() -> KnowledgeService:
        return default_service()

    def _render(
        self, request: Request, template: str, status: int = 200, **ctx: Any
    ) -> HTTPResponse:
        sess: SessionView | None = getattr(request.ctx, "staff", None)
        html = _env.get_template(template).render(
            base=BASE,
            staff=sess,
            csrf=sess.csrf if sess else ctx.pop("csrf", ""),
            poll_ms=self.poll_seconds * 1000,
            **ctx,
        )
        return _headers(response.html(html, status=status))

    @staticmethod
    def _client(request: Request) -> str:
        """The address a login attempt comes from. Behind a reverse proxy every request comes
        from the proxy: when the direct peer is one of ``BW_TRUSTED_PROXIES`` (comma-separated),
        the last address in ``X-Forwarded-For`` that is not a trusted proxy counts instead, so 20
        failed logins from one place do not lock out every colleague (issue #19 item 6)."""
        return client_address(
            request.ip or "?",
            request.headers.get("x-forwarded-for", ""),
            trusted_proxies(),
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("bestaanswijzer_console", __name__)

        def logged_in(api: bool = False):
            """Require a session; on POST also the session's CSRF token (form field or header)."""

            def deco(handler):
                @wraps(handler)
                async def wrapper(request: Request, *args, **kwargs):
                    sess = self.accounts().session(request.cookies.get(SESSION_COOKIE))
                    if sess is None:
                        if api:
                            return _headers(response.json({"error": "niet ingelogd"}, status=401))
                        query = f"?{request.query_string}" if request.query_string else ""
                        target = quote(request.path + query)
                        return _headers(response.redirect(f"{BASE}/login?next={target}"))
                    if request.method == "POST":
                        given = request.headers.get("X-CSRF-Token") or (
                            request.form.get("csrf") if request.form else None
                        )
                        if not given or not hmac.compare_digest(given, sess.csrf):
                            return _headers(
                                response.json({"error": "ongeldig CSRF-token"}, status=403)
                            )
                    request.ctx.staff = sess
                    return await handler(request, *args, **kwargs)

                return wrapper

            return deco

        # --- login ------------------------------------------------------------------------------
        @bp.route("/", methods=["GET"])
        async def home(request: Request) -> HTTPResponse:
            return _headers(response.redirect(f"{BASE}/zoeken"))

        @bp.route("/login", methods=["GET"])
        async def login_form(request: Request) -> HTTPResponse:
            token = secrets.token_urlsafe(24)
            resp = self._render(
                request, "login.html", csrf=token, next=request.args.get("next", ""), fout=None
            )
            _set_cookie(resp, LOGIN_COOKIE, token, 3600)
            return resp

        @bp.route("/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            form = request.form or {}
            naam, password = form.get("naam", ""), form.get("wachtwoord", "")
            nxt = form.get("next", "")
            want = request.cookies.get(LOGIN_COOKIE, "")
            given = form.get("csrf", "")

            def again(message: str, status: int) -> HTTPResponse:
                token = secrets.token_urlsafe(24)
                resp = self._render(
                    request, "login.html", status, csrf=token, next=nxt, fout=message, naam=naam
                )
                _set_cookie(resp, LOGIN_COOKIE, token, 3600)
                return resp

            if not want or not given or not hmac.compare_digest(want, given):
                return again("Je sessie was verlopen. Probeer het opnieuw.", 403)
            client = self._client(request)
            if self.limiter.blocked(client):
                return again("Te veel pogingen. Wacht een kwartier en probeer het opnieuw.", 429)
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(None, self.accounts().login, naam, password)
            if result.token is None:
                self.limiter.failed(client)
                logger.info("console: inloggen mislukt (%s)", result.reason)
                # One answer for a wrong name, a wrong password and a locked account: the page
                # does not tell which account names exist (issue #19 item 6).
                return again(
                    "Naam of wachtwoord klopt niet, of het account is even geblokkeerd na te veel "
                    "pogingen. Probeer het opnieuw of over een kwartier. Lukt het niet? Vraag de "
                    "beheerder om je account vrij te geven.",
                    401,
                )
            target = nxt if nxt.startswith(BASE + "/") and "//" not in nxt else f"{BASE}/zoeken"
            resp = _headers(response.redirect(target, status=303))
            _set_cookie(resp, SESSION_COOKIE, result.token, 10 * 3600)
            resp.cookies[LOGIN_COOKIE] = ""
            resp.cookies[LOGIN_COOKIE]["path"] = BASE
            resp.cookies[LOGIN_COOKIE]["max-age"] = 0
            return resp

        @bp.route("/logout", methods=["POST"])
        @logged_in()
        async def logout(request: Request) -> HTTPResponse:
            self.accounts().logout(request.cookies.get(SESSION_COOKIE))
            resp = _headers(response.redirect(f"{BASE}/login", status=303))
            resp.cookies[SESSION_COOKIE] = ""
            resp.cookies[SESSION_COOKIE]["path"] = BASE
            resp.cookies[SESSION_COOKIE]["max-age"] = 0
            return resp

        # --- lookup -----------------------------------------------------------------------------
        @bp.route("/zoeken", methods=["GET"])
        @logged_in()
        async def search_page(request: Request) -> HTTPResponse:
            kb = self.kb()
            args = {
                k: (request.args.get(k) or "").strip()[:200]
                for k in ("q", "soort", "gemeente", "stadsdeel", "doelgroep", "onderwerp", "case")
            }
            if "gemeente" not in request.args:
                args["gemeente"] = DEFAULT_GEMEENTE
            # "schulden in Noord": the place becomes the filter, not a search word (item 5).
            place = lookup.find_place(kb, args["q"]) if args["q"] else None
            if place and not args["stadsdeel"] and args["gemeente"] in ("", place.gemeente):
                args.update(q=place.rest, gemeente=place.gemeente or args["gemeente"])
                args["stadsdeel"] = place.stadsdeel or ""
            else:
                place = None
            groups = (
                lookup.lookup(
                    kb,
                    args["q"],
                    soort=args["soort"] or None,
                    gemeente=args["gemeente"] or None,
                    stadsdeel=args["stadsdeel"] or None,
                    doelgroep=args["doelgroep"] or None,
                    onderwerp=args["onderwerp"] or None,
                )
                if args["q"]
                else []
            )
            # The same question ranker the assistant answers residents with (staff questions too).
            vragen = (
                [
                    h
                    for h in kb.ask(args["q"], gemeente=args["gemeente"] or None, staff=True)
                    if h.score >= CONSOLE_QUESTION_MIN
                ]
                if args["q"]
                else []
            )
            opties = health.filter_options(kb.engine)
            case = f"?case={args['case']}" if args["case"].isdigit() else ""
            # "Stuur naar bewoner": a B1 text per result, and the open cases this worker has.
            me = request.ctx.staff.naam
            teksten = {
                (r.kind, r.ref): resident_text(kb, r.kind, r.ref) for g in groups for r in g.results
            }
            mijn_cases = [c for c in default_store().list((TAKEN,)) if c.taken_by == me]

            def url_of(r: lookup.Result) -> str:
                if r.kind == "regeling":
                    return f"{BASE}/regeling/{quote(r.url_id)}{case}"
                return f"{BASE}/organisatie/{quote(r.url_id)}{case}#dienst-{quote(r.ref)}"

            return self._render(
                request,
                "zoeken.html",
                args=args,
                groups=groups,
                url_of=url_of,
                place=place,
                teksten=teksten,
                vandaag=datetime.date.today(),
                mijn_cases=mijn_cases,
                vragen=vragen,
                plain_question_reasons=lookup.plain_question_reasons,
                tel_href=lookup.tel_href,
                gemeenten=kb.gemeenten(),
                stadsdelen=opties["stadsdelen"],
                doelgroepen=[(d, d.replace("_", " ")) for d in opties["doelgroepen"]],
                onderwerpen=[(o, o.replace("_", " ")) for o in opties["onderwerpen"]],
            )

        @bp.route("/regeling/<regeling_id:str>", methods=["GET"])
        @logged_in()
        async def regeling_page(request: Request, regeling_id: str) -> HTTPResponse:
            reg = self.kb().regeling(regeling_id)
            if reg is None:
                return self._render(request, "niet_gevonden.html", 404, wat="regeling")
            agent = getattr(request.app.ctx, "agent", None)
            responses = agent.domain.responses if agent and agent.domain else None
            case = request.args.get("case", "")
            return self._render(
                request,
                "regeling.html",
                reg=reg,
                f=staff_fields(reg),
                b1=b1_text(resident_fields(reg), responses),
                case=case if case.isdigit() else "",
                **report_state(request),
            )

        @bp.route("/organisatie/<org_id:str>", methods=["GET"])
        @logged_in()
        async def organisatie_page(request: Request, org_id: str) -> HTTPResponse:
            services = self.kb().organisation_services(org_id)
            if not services:
                return self._render(request, "niet_gevonden.html", 404, wat="organisatie")
            return self._render(
                request,
                "organisatie.html",
                org=services[0],
                services=services,
                **report_state(request),
            )

        # --- inbox ------------------------------------------------------------------------------
        @bp.route("/inbox", methods=["GET"])
        @logged_in()
        async def inbox_page(request: Request) -> HTTPResponse:
            filters = Filters.from_args({k: request.args.get(k, "") for k in Filters.KEYS})
            return self._render(
                request,
                "inbox.html",
                filters=filters,
                stadsdelen=health.filter_options(self.kb().engine)["stadsdelen"],
                redenen=reasons_crisis_first(c.reden for c in default_store().list()),
            )

        @bp.route("/archief", methods=["GET"])
        @logged_in()
        async def archive_page(request: Request) -> HTTPResponse:
            q = (request.args.get("q") or "").strip()[:200]
            cases, total = default_desk().archive(q)
            closed = default_desk().closed_at([c.id for c in cases])
            return self._render(
                request,
                "archief.html",
                q=q,
                cases=cases,
                total=total,
                closed=closed,
                state_label=STATE_LABEL,
            )

        @bp.route("/case/<case_id:int>", methods=["GET"])
        @logged_in()
        async def case_page(request: Request, case_id: int) -> HTTPResponse:
            if default_store().get(case_id) is None:
                return self._render(request, "niet_gevonden.html", 404, wat="case")
            me = request.ctx.staff.naam
            collegas = [a["naam"] for a in self.accounts().list() if a["naam"] != me]
            return self._render(
                request, "case.html", case_id=case_id, collegas=collegas, templates=for_staff(me)
            )

        def api_case(case: dict) -> dict:
            return {**case, "status": STATE_LABEL.get(case["state"], case["state"])}

        @bp.route("/api/cases", methods=["GET"])
        @logged_in(api=True)
        async def api_cases(request: Request) -> HTTPResponse:
            views = default_store().list()
            areas = await with_areas(getattr(request.app.ctx, "agent", None), views)
            filters = Filters.from_args({k: request.args.get(k, "") for k in Filters.KEYS})
            me = request.ctx.staff.naam
            cases = [
                api_case({**c.public(), "stadsdeel": areas[c.id][0], "taal": areas[c.id][1]})
                for c in views
            ]
            return _headers(response.json([c for c in cases if matches(c, filters, me)]))

        @bp.route("/api/cases/<case_id:int>", methods=["GET"])
        @logged_in(api=True)
        async def api_case_detail(request: Request, case_id: int) -> HTTPResponse:
            try:
                detail = await case_detail(request.app.ctx.agent, case_id)
            except StaffActionError as exc:
                return _headers(response.json({"error": str(exc)}, status=exc.status))
            desk = default_desk()
            detail["interne_notities"] = desk.notes(case_id)
            detail["terugbelpogingen"] = desk.callbacks(case_id)
            return _headers(response.json(api_case(detail)))

        async def act(request: Request, action: Callable[[], Awaitable[Any]]) -> HTTPResponse:
            try:
                result = await action()
            except StaffActionError as exc:
                return _headers(response.json({"error": str(exc)}, status=exc.status))
            body = api_case(result.public()) if hasattr(result, "public") else {"bezorgd": result}
            return _headers(response.json(body))

        def json_body(request: Request) -> dict:
            try:
                body = json.loads(request.body or b"{}")
            except (ValueError, RecursionError):
                return {}
            return body if isinstance(body, dict) else {}

        @bp.route("/api/cases/<case_id:int>/take", methods=["POST"])
        @logged_in(api=True)
        async def api_take(request: Request, case_id: int) -> HTTPResponse:
            agent, naam = request.app.ctx.agent, request.ctx.staff.naam
            return await act(request, lambda: take_case(agent, case_id, naam))

        @bp.route("/api/cases/<case_id:int>/reply", methods=["POST"])
        @logged_in(api=True)
        async def api_reply(request: Request, case_id: int) -> HTTPResponse:
            agent, naam = request.app.ctx.agent, request.ctx.staff.naam
            text = json_body(request).get("tekst")
            return await act(request, lambda: reply_to_case(agent, case_id, text, author=naam))

        @bp.route("/api/cases/<case_id:int>/stuur", methods=["POST"])
        @logged_in(api=True)
        async def api_send_result(request: Request, case_id: int) -> HTTPResponse:
            """'Stuur naar bewoner' from the lookup: the B1 text of one regulation or help, made
            here from the content (never taken from the browser), into an open case of this
            worker's own."""
            agent, naam = request.app.ctx.agent, request.ctx.staff.naam
            body = json_body(request)
            soort, ref = str(body.get("soort") or ""), str(body.get("ref") or "")[:100]
            case = default_store().get(case_id)
            if case is None:
                return _headers(response.json({"error": "onbekende case"}, status=404))
            if case.state != TAKEN or case.taken_by != naam:
                return _headers(
                    response.json(
                        {"error": "stuur alleen in een open case die jij hebt aangenomen"},
                        status=403,
                    )
                )
            text = resident_text(self.kb(), soort, ref)
            if text is None:
                return _headers(response.json({"error": "onbekende regeling of hulp"}, status=404))
            return await act(request, lambda: reply_to_case(agent, case_id, text, author=naam))

        @bp.route("/api/cases/<case_id:int>/telefoon", methods=["POST"])
        @logged_in(api=True)
        async def api_callback_number(request: Request, case_id: int) -> HTTPResponse:
            naam = request.ctx.staff.naam
            try:
                number = callback_number(case_id, naam)
            except StaffActionError as exc:
                return _headers(response.json({"error": str(exc)}, status=exc.status))
            return _headers(response.json({"telefoon": number}))

        @bp.route("/api/cases/<case_id:int>/notitie", methods=["POST"])
        @logged_in(api=True)
        async def api_note(request: Request, case_id: int) -> HTTPResponse:
            if default_store().get(case_id) is None:
                return _headers(response.json({"error": "onbekende case"}, status=404))
            try:
                note = default_desk().add_note(
                    case_id, request.ctx.staff.naam, json_body(request).get("tekst")
                )
            except DeskError as exc:
                return _headers(response.json({"error": str(exc)}, status=400))
            return _headers(response.json(note))

        @bp.route("/api/cases/<case_id:int>/terugbellen", methods=["POST"])
        @logged_in(api=True)
        async def api_callback_outcome(request: Request, case_id: int) -> HTTPResponse:
            body = json_body(request)
            try:
                attempt = log_callback(
                    case_id, request.ctx.staff.naam, body.get("uitkomst"), body.get("toelichting")
                )
            except StaffActionError as exc:
                return _headers(response.json({"error": str(exc)}, status=exc.status))
            return _headers(response.json(attempt))

        @bp.route("/api/cases/<case_id:int>/overdragen", methods=["POST"])
        @logged_in(api=True)
        async def api_hand_over(request: Request, case_id: int) -> HTTPResponse:
            agent, naam = request.app.ctx.agent, request.ctx.staff.naam
            aan = json_body(request).get("aan")
            return await act(request, lambda: hand_over_case(agent, case_id, naam, aan))

        @bp.route("/api/cases/<case_id:int>/close", methods=["POST"])
        @logged_in(api=True)
        async def api_close(request: Request, case_id: int) -> HTTPResponse:
            agent = request.app.ctx.agent
            return await act(request, lambda: close_case(agent, case_id))

        # --- content check ("Inhoud nakijken"; was "Gezondheid") -------------------------------
        @bp.route("/gezondheid", methods=["GET"])
        async def old_health_page(request: Request) -> HTTPResponse:
            return _headers(response.redirect(f"{BASE}/inhoud", status=301))

        @bp.route("/inhoud", methods=["GET"])
        @logged_in()
        async def content_page(request: Request) -> HTTPResponse:
            engine = self.kb().engine
            return self._render(
                request,
                "inhoud.html",
                meldingen=reports.open_reports(engine),
                verouderd=health.stale_entries(engine),
                zonder_telefoon=health.organisations_without_phone(engine),
                gemist=misses.top(engine),
                afgehandeld=request.args.get("afgehandeld", ""),
                bewaardagen=retention_days(),
            )

        @bp.route("/meld-fout", methods=["POST"])
        @logged_in()
        async def report_error(request: Request) -> HTTPResponse:
            """'Meld een fout' on a regulation or organisation page (issue #20 item 6)."""
            form = request.form or {}
            soort, ref = form.get("soort", ""), form.get("ref", "")
            kb = self.kb()
            if soort == "regeling":
                reg = kb.regeling(ref)
                naam, back = (reg.naam if reg else None), f"{BASE}/regeling/{quote(ref)}"
            else:
                services = kb.organisation_services(ref) if soort == "organisatie" else []
                naam = services[0].organisatie if services else None
                back = f"{BASE}/organisatie/{quote(ref)}"
            if naam is None:
                return self._render(request, "niet_gevonden.html", 404, wat=soort or "pagina")
            try:
                reports.record(
                    kb.engine, soort, ref, naam, form.get("tekst"), request.ctx.staff.naam
                )
            except reports.ReportError as exc:
                return _headers(
                    response.redirect(f"{back}?melding={quote(str(exc))}#meld-fout", status=303)
                )
            return _headers(response.redirect(f"{back}?gemeld=1#meld-fout", status=303))

        @bp.route("/meld-fout/<report_id:int>/afgehandeld", methods=["POST"])
        @logged_in()
        async def resolve_report(request: Request, report_id: int) -> HTTPResponse:
            done = reports.resolve(self.kb().engine, report_id, request.ctx.staff.naam)
            return _headers(
                response.redirect(f"{BASE}/inhoud?afgehandeld={'1' if done else '0'}", status=303)
            )

        # --- static files -----------------------------------------------------------------------
        @bp.route("/static/<name:str>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            path = HERE / "static" / name
            kind = STATIC_TYPES.get(path.suffix)
            if kind is None or "/" in name or ".." in name or not path.is_file():
                return _headers(response.text("niet gevonden", status=404))
            resp = response.raw(path.read_bytes(), content_type=kind)
            resp.headers["Cache-Control"] = "no-cache"
            return _headers(resp)

        return bp
