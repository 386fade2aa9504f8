"""Issue #20 item 6: "Meld een fout" on every regulation and organisation page, collected on the
content-check page ("Inhoud nakijken", was "Gezondheid"), masked, over plain HTTP."""

from __future__ import annotations

import html
import re

import httpx
from sqlalchemy import text

from channels.console import BASE
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
