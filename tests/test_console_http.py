"""Staff console over plain HTTP on a real `rasa run`: login, lockout, CSRF, sessions, pages.

Also the store side: password hashing, search misses from the real actions (masked), and the
content health queries against the real knowledge database.
"""

from __future__ import annotations

import html
import re
import uuid

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.regelingen import ActionRegelingUitleg
from channels.console import BASE, LoginLimiter, b1_text
from channels.console import __file__ as CONSOLE_FILE
from channels.staff_accounts import (
    MAX_FAILED,
    AccountError,
    AccountStore,
    hash_password,
    verify_password,
)
from knowledge import health, misses
from knowledge.answers import amount_line, condition_line, resident_fields
from knowledge.db import get_engine

PASSWORD = "correct-horse-battery"


def new_account(db_url: str, password: str = PASSWORD) -> str:
    naam = f"mw-{uuid.uuid4().hex[:8]}"
    AccountStore(get_engine(db_url)).add(naam, password)
    return naam


def login_token(c: httpx.Client) -> str:
    r = c.get(f"{BASE}/login")
    assert r.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)


def login(c: httpx.Client, naam: str, password: str = PASSWORD) -> httpx.Response:
    token = login_token(c)
    return c.post(
        f"{BASE}/login", data={"csrf": token, "naam": naam, "wachtwoord": password, "next": ""}
    )


def session_csrf(c: httpx.Client) -> str:
    r = c.get(f"{BASE}/zoeken")
    assert r.status_code == 200
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', r.text).group(1)


@pytest.fixture
def client(rasa_server):
    base, _ = rasa_server
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as c:
        yield c


def test_password_hash_is_salted_and_verifies():
    a, b = hash_password("een-lang-wachtwoord"), hash_password("een-lang-wachtwoord")
    assert a != b and a.startswith("scrypt$") and "een-lang" not in a
    assert verify_password("een-lang-wachtwoord", a)
    assert not verify_password("een-lang-wachtwoorD", a)
    assert not verify_password("x", "kapot")


def test_login_limiter_blocks_an_address_after_many_failures():
    limiter = LoginLimiter(window_s=60, max_failed=3)
    for _ in range(3):
        assert not limiter.blocked("10.0.0.1")
        limiter.failed("10.0.0.1")
    assert limiter.blocked("10.0.0.1") and not limiter.blocked("10.0.0.2")


def test_account_rules(db_url):
    store = AccountStore(get_engine(db_url))
    naam = new_account(db_url)
    with pytest.raises(AccountError):
        store.add(naam, PASSWORD)  # name taken
    with pytest.raises(AccountError):
        store.add("iemand-anders", "kort")
    with pytest.raises(AccountError):
        store.add("Géén spaties", PASSWORD)
    assert naam in [r["naam"] for r in store.list()]
    store.remove(naam)
    assert naam not in [r["naam"] for r in store.list()]


def test_unauthenticated_access_is_refused(client):
    r = client.get(f"{BASE}/zoeken", params={"q": "huurtoeslag"})
    assert r.status_code == 302
    assert r.headers["location"].startswith(f"{BASE}/login?next=")
    for path in ("/inbox", "/inhoud", "/archief", "/regeling/huurtoeslag", "/case/1"):
        assert client.get(BASE + path).status_code == 302
    assert client.get(f"{BASE}/api/cases").status_code == 401
    assert client.get(f"{BASE}/api/cases/1").status_code == 401
    assert client.post(f"{BASE}/api/cases/1/take", json={}).status_code == 401
    # a made-up session cookie is no session
    client.cookies.set("bw_console", "verzonnen", path=BASE)
    assert client.get(f"{BASE}/api/cases").status_code == 401


def test_login_failure_and_success(client, db_url):
    naam = new_account(db_url)
    r = login(client, naam, "fout-wachtwoord")
    assert r.status_code == 401 and "Naam of wachtwoord klopt niet" in r.text
    assert "bw_console=" not in r.headers.get("set-cookie", "").replace("bw_console_login", "")
    r = login(client, "bestaat-niet", PASSWORD)
    assert r.status_code == 401
    # the login form's own CSRF token is required
    r = client.post(f"{BASE}/login", data={"csrf": "fout", "naam": naam, "wachtwoord": PASSWORD})
    assert r.status_code == 403
    r = login(client, naam)
    assert r.status_code == 303 and r.headers["location"] == f"{BASE}/zoeken"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("bw_console="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and f"Path={BASE}" in cookie
    r = client.get(f"{BASE}/zoeken")
    assert r.status_code == 200 and naam in r.text
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_lockout_after_repeated_failures(client, db_url):
    naam = new_account(db_url)
    pages = [login(client, naam, f"fout-{i}") for i in range(MAX_FAILED)]
    assert [p.status_code for p in pages] == [401] * MAX_FAILED
    r = login(client, naam)  # even the right password, while locked
    assert r.status_code == 401 and "geblokkeerd" in r.text
    assert client.get(f"{BASE}/api/cases").status_code == 401
    # the page for a locked account is the page for an account that does not exist
    unknown = login(client, f"niemand-{uuid.uuid4().hex[:6]}", "fout-x")
    assert unknown.status_code == r.status_code
    message = re.search(r'class="error" role="alert">([^<]+)<', r.text)
    assert message and message.group(1) in unknown.text
    # the administrator unlocks it
    AccountStore(get_engine(db_url)).unlock(naam)
    assert login(client, naam).status_code == 303


def test_login_limit_counts_the_forwarded_address_only_behind_a_trusted_proxy():
    from channels.console import client_address

    trusted = {"10.0.0.2"}
    # straight from the internet: the peer, whatever it forwards
    assert client_address("203.0.113.9", "1.2.3.4", trusted) == "203.0.113.9"
    # through the trusted proxy: the resident's address, not the proxy's
    assert client_address("10.0.0.2", "198.51.100.7", trusted) == "198.51.100.7"
    # a forged left part does not help: the right-most untrusted hop counts
    assert client_address("10.0.0.2", "6.6.6.6, 198.51.100.7", trusted) == "198.51.100.7"
    assert client_address("10.0.0.2", "", trusted) == "10.0.0.2"


def test_csrf_is_required_on_every_post(client, db_url):
    naam = new_account(db_url)
    assert login(client, naam).status_code == 303
    csrf = session_csrf(client)
    assert client.get(f"{BASE}/api/cases").status_code == 200
    assert client.post(f"{BASE}/api/cases/999999/take", json={}).status_code == 403
    r = client.post(
        f"{BASE}/api/cases/999999/take", json={}, headers={"X-CSRF-Token": "niet-het-token"}
    )
    assert r.status_code == 403
    r = client.post(f"{BASE}/api/cases/999999/take", json={}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 404  # past the CSRF check: the case does not exist
    assert client.post(f"{BASE}/logout", data={}).status_code == 403
    old_cookie = client.cookies.get("bw_console")
    r = client.post(f"{BASE}/logout", data={"csrf": csrf})
    assert r.status_code == 303
    # the server forgot the session: replaying the old cookie does not work
    client.cookies.set("bw_console", old_cookie, path=BASE)
    assert client.get(f"{BASE}/api/cases").status_code == 401


def test_search_and_regulation_page_show_all_facts(client, db_url, kb):
    assert login(client, new_account(db_url)).status_code == 303
    r = client.get(f"{BASE}/zoeken", params={"q": "huurtoeslag", "soort": "regeling"})
    assert r.status_code == 200 and f'href="{BASE}/regeling/huurtoeslag"' in r.text
    r = client.get(f"{BASE}/zoeken", params={"q": "schulden", "stadsdeel": "noord"})
    assert r.status_code == 200 and "/organisatie/" in r.text
    # Staff search uses the resident's question ranker: the sourced answer is on the page.
    r = client.get(f"{BASE}/zoeken", params={"q": "mag ik mijn auto houden in de bijstand"})
    page = html.unescape(r.text)
    auto = next(h for h in kb.ask("mag ik mijn auto houden in de bijstand", staff=True))
    assert "Veelgestelde vragen" in page and auto.vraag.antwoord in page
    assert auto.vraag.bron_url in page

    page = html.unescape(client.get(f"{BASE}/regeling/huurtoeslag").text)
    reg = kb.regeling("huurtoeslag")
    for c in reg.voorwaarden:
        assert condition_line(c) in page
    for a in reg.bedragen:
        assert amount_line(a) in page and str(a.jaar) in page
    for g in reg.grondslagen:
        assert g.wet in page and g.url in page
    assert reg.bron_url in page and "Peildatum" in page
    assert reg.samenvatting_b1 in page and "Kopieer B1-samenvatting" in page
    assert client.get(f"{BASE}/regeling/bestaat-niet").status_code == 404

    svc = kb.service(kb.search("schulden", kind="dienst")[0].ref)
    page = html.unescape(client.get(f"{BASE}/organisatie/{svc.organisatie_id}").text)
    assert svc.organisatie in page and svc.naam in page and svc.bron_url in page


def test_b1_text_uses_the_bots_own_wording(kb):
    fields = resident_fields(kb.regeling("zorgtoeslag"))
    responses = {
        "utter_regeling_uitleg": [{"text": "{naam}: {samenvatting}"}],
        "utter_regeling_volgende_stap": [{"text": "Wat je nu kunt doen: {volgende_stap}"}],
    }
    text = b1_text(fields, responses)
    assert text.startswith(f"Zorgtoeslag: {fields['samenvatting']}")
    assert f"Wat je nu kunt doen: {fields['volgende_stap']}" in text


def test_search_misses_from_the_actions_are_masked_and_counted(client, db_url):
    engine = get_engine(db_url)
    word = f"xyzzyplof{uuid.uuid4().hex[:4]}"
    asked = f"wat is {word} 111222333"
    t = Tracker.from_dict(
        {
            "sender_id": "unit",
            "slots": {"gemeente": "amsterdam", "regeling": None},
            "latest_message": {
                "text": asked,
                "intent": {"name": "vraag_regeling", "confidence": 1.0},
                "entities": [],
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )
    for _ in range(2):
        ActionRegelingUitleg().run(CollectingDispatcher(), t, {})
    row = next(m for m in misses.top(engine, 500) if word in m["vraag"])
    assert row["aantal"] == 2 and row["soort"] == "regeling"
    assert "111222333" not in row["vraag"] and "[BSN]" in row["vraag"]

    assert login(client, new_account(db_url)).status_code == 303
    page = html.unescape(client.get(f"{BASE}/inhoud").text)
    assert f"wat is {word} [BSN]" in page and "111222333" not in page
    for org in health.organisations_without_phone(engine):
        assert org["naam"] in page
    assert "Langer dan 12 maanden niet gecontroleerd" in page


def test_stale_entries_follow_the_twelve_month_rule(db_url, kb):
    import datetime as dt

    engine = get_engine(db_url)
    reg = kb.regeling("huurtoeslag")
    day_after = reg.laatst_gecontroleerd + dt.timedelta(days=366)
    assert "huurtoeslag" in [e["id"] for e in health.stale_entries(engine, today=day_after)]
    same = reg.laatst_gecontroleerd + dt.timedelta(days=365)
    assert "huurtoeslag" not in [e["id"] for e in health.stale_entries(engine, today=same)]


def test_callback_number_for_the_taker_only_with_an_audit_note(rasa_server, db_url):
    """Issue #20 items 1 and 2: a resident who asks to be called back can be called back, by
    the staff member who took the case; the view is written down; the resident hears the case
    was taken."""
    base, _ = rasa_server
    phone = "0687654321"
    resident = f"terugbel-{uuid.uuid4().hex[:8]}"

    def say(text: str) -> str:
        r = httpx.post(
            f"{base}/webhooks/bw/webhook", json={"sender": resident, "message": text}, timeout=60
        )
        assert r.status_code == 200
        return " ".join(m.get("text", "") for m in r.json())

    say("ik heb een aanmaning van het waterbedrijf")
    assert "doorsturen" in say("ik wil een mens spreken")
    say("ja")
    say("ja")
    assert "telefoonnummer" in say("bel me maar")
    assert "medewerker" in say(phone)

    with (
        httpx.Client(base_url=base, timeout=30) as taker,
        httpx.Client(base_url=base, timeout=30) as other,
    ):
        me, colleague = new_account(db_url), new_account(db_url)
        assert login(taker, me).status_code == 303 and login(other, colleague).status_code == 303
        t_csrf, o_csrf = session_csrf(taker), session_csrf(other)
        cases = taker.get(f"{BASE}/api/cases").json()
        case = next(
            c
            for c in cases
            if "aanmaning van het waterbedrijf" in c["samenvatting"]
            and c["terugbelnummer"]
            and c["state"] == "wacht_op_medewerker"
        )
        url = f"{BASE}/api/cases/{case['id']}"
        # not taken yet: nobody sees the number
        assert taker.post(url + "/telefoon", headers={"X-CSRF-Token": t_csrf}).status_code == 403
        assert (
            taker.post(url + "/take", json={}, headers={"X-CSRF-Token": t_csrf}).status_code == 200
        )
        # a colleague who did not take it: no number
        r = other.post(url + "/telefoon", headers={"X-CSRF-Token": o_csrf})
        assert r.status_code == 403 and phone not in r.text
        r = taker.post(url + "/telefoon", headers={"X-CSRF-Token": t_csrf})
        assert r.status_code == 200 and r.json()["telefoon"] == phone
        detail = taker.get(url).json()
        assert f"Terugbelnummer bekeken door {me}" in str(detail["notities"])
        assert phone not in str(detail["transcript"])

    # the resident is told someone has the question, with the staff member's name
    waiting = httpx.get(f"{base}/webhooks/bw/messages", params={"sender": resident}, timeout=30)
    assert any("heeft je vraag" in m["text"] and me in m["text"] for m in waiting.json())


def test_focus_ring_has_enough_contrast_on_white():
    """WCAG 1.4.11: the focus indicator needs at least 3:1 against the white page (#f5a623
    was 2.0:1)."""
    from pathlib import Path

    css = (Path(CONSOLE_FILE).parent / "console" / "static" / "console.css").read_text(
        encoding="utf8"
    )
    colour = re.search(r":focus-visible\s*\{[^}]*outline:[^;]*#([0-9a-fA-F]{6})", css).group(1)

    def luminance(hex6: str) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (int(hex6[i : i + 2], 16) / 255 for i in (0, 2, 4))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    assert (1.0 + 0.05) / (luminance(colour) + 0.05) >= 3.0
