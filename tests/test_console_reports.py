"""Issue #20 item 6: "Meld een fout" on every regulation and organisation page, collected on the
content-check page ("Inhoud nakijken", was "Gezondheid"), masked, over plain HTTP."""

from __future__ import annotations

import datetime as dt
import html
import re
import time

import httpx
from sqlalchemy import create_engine, text

from bot import privacy
from channels.console import BASE
from knowledge import reports
from knowledge.db import get_engine
from tests.fakes.payloads import letters
from tests.test_console_http import login, new_account, session_csrf


def test_report_an_error_and_see_it_in_the_content_check(rasa_server, db_url, kb):
    base, _ = rasa_server
    with httpx.Client(base_url=base, timeout=30) as c:
        naam = new_account(db_url)
        assert login(c, naam).status_code == 303
        csrf = session_csrf(c)
        org = kb.service(kb.search("schulden", kind="dienst")[0].ref).organisatie_id
        # every regulation and organisation page has the form
        for path in ("/regeling/huurtoeslag", "/regeling/zorgtoeslag", f"/organisatie/{org}"):
            page = c.get(BASE + path).text
            assert 'id="meld-fout"' in page and "Meld een fout" in page, path

        word = f"fout{letters()}"
        report = {
            "csrf": csrf,
            "soort": "regeling",
            "ref": "huurtoeslag",
            "tekst": f"{word}: de huurgrens is veranderd, zei bewoner 0612345678",
        }
        r = c.post(f"{BASE}/meld-fout", data=report)
        assert r.status_code == 303
        assert r.headers["location"] == f"{BASE}/regeling/huurtoeslag?gemeld=1#meld-fout"
        assert "Je melding staat nu bij" in c.get(r.headers["location"]).text
        org_report = {**report, "soort": "organisatie", "ref": org, "tekst": f"{word} telefoon"}
        assert c.post(f"{BASE}/meld-fout", data=org_report).status_code == 303

        # refused: no CSRF token, no text, a page that does not exist
        assert c.post(f"{BASE}/meld-fout", data={**report, "csrf": ""}).status_code == 403
        r = c.post(f"{BASE}/meld-fout", data={**report, "tekst": "  "})
        assert r.status_code == 303 and "melding=" in r.headers["location"]
        missing = {**report, "ref": "bestaat-niet"}
        assert c.post(f"{BASE}/meld-fout", data=missing).status_code == 404

        # collected on the content-check page, masked; the old address leads there
        old = c.get(f"{BASE}/gezondheid", follow_redirects=False)
        assert old.status_code == 301 and old.headers["location"] == f"{BASE}/inhoud"
        page = html.unescape(c.get(f"{BASE}/inhoud").text)
        assert "<h1>Inhoud nakijken</h1>" in page and ">Gezondheid<" not in page
        assert f"{word}: de huurgrens is veranderd" in page and "0612345678" not in page
        assert "90 dagen na het melden of na het afhandelen verwijderd" in page
        assert f'href="{BASE}/regeling/huurtoeslag">Huurtoeslag' in page
        assert f'href="{BASE}/organisatie/{org}"' in page and naam in page
        with get_engine(db_url).connect() as conn:
            stored = " ".join(conn.execute(text("SELECT tekst FROM content_report")).scalars())
        assert word in stored and "0612345678" not in stored

        # handled: it leaves the list
        report_id = re.search(rf'data-melding="(\d+)">\s*<td><a href="{BASE}/regeling', page)
        r = c.post(f"{BASE}/meld-fout/{report_id.group(1)}/afgehandeld", data={"csrf": csrf})
        assert r.status_code == 303 and r.headers["location"].endswith("afgehandeld=1")
        page = html.unescape(c.get(f"{BASE}/inhoud").text)
        assert "de huurgrens is veranderd" not in page and f"{word} telefoon" in page


def test_reports_are_kept_for_the_retention_period_only(tmp_path):
    """Issue #20 item 5: the daily retention purge (``python -m bot privacy purge``) deletes a
    report whose last activity (handled, else reported) is older than BW_RETENTION_DAYS."""
    engine = create_engine(f"sqlite:///{tmp_path / 'kb.db'}", future=True)
    now = time.time()

    def days_ago(days: int) -> dt.datetime:
        return dt.datetime.utcfromtimestamp(now - days * 86400)

    ids = {
        name: reports.record(engine, "regeling", "huurtoeslag", "Huurtoeslag", name, "anna")
        for name in ("oud open", "oud afgehandeld", "oud gemeld, net afgehandeld", "nieuw")
    }
    for name in ("oud afgehandeld", "oud gemeld, net afgehandeld"):
        assert reports.resolve(engine, ids[name], "piet")
    with engine.begin() as con:
        for name, at, handled in (
            ("oud open", days_ago(91), None),
            ("oud afgehandeld", days_ago(200), days_ago(95)),
            ("oud gemeld, net afgehandeld", days_ago(200), days_ago(10)),
        ):
            con.execute(
                text("UPDATE content_report SET at = :at, afgehandeld_at = :h WHERE id = :id"),
                {"at": at, "h": handled, "id": ids[name]},
            )
    result = privacy.purge(
        days=90,
        now=now,
        tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        engine=engine,
        channel_stores=[],
        log_dir=tmp_path,
    )
    assert result["content_reports"] == 2
    with engine.connect() as con:
        left = set(con.execute(text("SELECT tekst FROM content_report")).scalars())
    assert left == {"oud gemeld, net afgehandeld", "nieuw"}
    assert [r["tekst"] for r in reports.open_reports(engine)] == ["nieuw"]
