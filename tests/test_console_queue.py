"""Issue #20 item 3: the inbox as a work queue over plain HTTP on a real `rasa run`.

Mine / unassigned / all, filters by stadsdeel (read from the conversation's slot) and reason
(crisis first), internal notes (masked), call-back outcomes (only the staff member who has the
case), hand-over to a colleague (the resident is told) and the searchable archive.
"""

from __future__ import annotations

import html
import re

import httpx
from sqlalchemy import text

from channels.case_desk import Filters, matches, reasons_crisis_first
from channels.cases import CaseStore
from channels.console import BASE
from knowledge.db import get_engine
from tests.fakes.payloads import letters
from tests.test_console_http import login, new_account, session_csrf


def set_slot(base: str, token: str, sender: str, name: str, value: str) -> None:
    """Put a slot in a conversation through Rasa's own HTTP API (as the bot would). Twice: the
    first call starts the session, whose start the slot event would otherwise predate."""
    for _ in range(2):
        r = httpx.post(
            f"{base}/conversations/{sender}/tracker/events",
            params={"token": token},
            json=[{"event": "slot", "name": name, "value": value}],
            timeout=30,
        )
        assert r.status_code == 200, r.text


def test_filters_are_pure_and_crisis_comes_first():
    case = {"medewerker": "anna", "state": "medewerker", "reden": "vraag", "stadsdeel": None}
    assert matches(case, Filters("mijn"), "anna") and not matches(case, Filters("mijn"), "piet")
    assert not matches(case, Filters("vrij"), "anna")
    assert matches(case, Filters(stadsdeel="onbekend"), "x")
    assert not matches(case, Filters(stadsdeel="noord"), "x")
    assert not matches(case, Filters(reden="crisis"), "x")
    assert Filters.from_args({"weergave": "kapot"}).view == "alle"
    assert [v for v, _ in reasons_crisis_first(["vraag", "zzz"])][0] == "crisis"


def test_queue_views_filters_notes_callbacks_hand_over_and_archive(rasa_server, db_url):
    base, token = rasa_server
    store = CaseStore(get_engine(db_url))
    word = f"wrtq{letters()}"
    crisis_sender, other_sender = f"q-crisis-{word}", f"q-vraag-{word}"
    crisis = store.create(crisis_sender, "bw", "crisis", f"{word} ik ben bang", "chat")
    vraag = store.create(other_sender, "bw", "vraag", f"{word} huur te hoog", "bellen", None)
    set_slot(base, token, crisis_sender, "stadsdeel", "noord")
    set_slot(base, token, crisis_sender, "taal", "en")  # staff see the resident writes English

    with (
        httpx.Client(base_url=base, timeout=30) as me_c,
        httpx.Client(base_url=base, timeout=30) as col_c,
    ):
        me, colleague = new_account(db_url), new_account(db_url)
        assert login(me_c, me).status_code == 303 and login(col_c, colleague).status_code == 303
        me_h, col_h = {"X-CSRF-Token": session_csrf(me_c)}, {"X-CSRF-Token": session_csrf(col_c)}

        def ids(client: httpx.Client, **params: str) -> set[int]:
            r = client.get(f"{BASE}/api/cases", params=params)
            assert r.status_code == 200
            return {c["id"] for c in r.json()} & {crisis.id, vraag.id}

        # stadsdeel from the conversation, reason, and unassigned
        assert ids(me_c, stadsdeel="noord") == {crisis.id}
        assert ids(me_c, stadsdeel="onbekend") == {vraag.id}
        assert ids(me_c, reden="crisis") == {crisis.id}
        assert ids(me_c, weergave="vrij") == {crisis.id, vraag.id}
        row = next(c for c in me_c.get(f"{BASE}/api/cases").json() if c["id"] == crisis.id)
        assert row["stadsdeel"] == "noord" and row["taal"] == "en"
        other_row = next(c for c in me_c.get(f"{BASE}/api/cases").json() if c["id"] == vraag.id)
        assert other_row["taal"] is None
        assert me_c.get(f"{BASE}/api/cases/{crisis.id}").json()["taal"] == "en"
        # the reason filter lists crisis first
        page = me_c.get(f"{BASE}/inbox").text
        options = re.findall(r'<option value="([a-z_]+)"', page.split('id="f-reden"')[1])
        assert options[0] == "crisis"

        url = f"{BASE}/api/cases/{vraag.id}"
        assert me_c.post(url + "/take", json={}, headers=me_h).status_code == 200
        assert ids(me_c, weergave="mijn") == {vraag.id}
        assert ids(col_c, weergave="mijn") == set()
        assert ids(me_c, weergave="vrij") == {crisis.id}

        # internal notes: for colleagues, stored masked
        r = me_c.post(
            url + "/notitie",
            json={"tekst": f"{word} belde zelf, nummer 0612345678, mail a.b@example.nl"},
            headers=me_h,
        )
        assert r.status_code == 200, r.text
        assert "0612345678" not in r.text and "example.nl" not in r.text
        assert me_c.post(url + "/notitie", json={"tekst": " "}, headers=me_h).status_code == 400
        assert me_c.post(url + "/notitie", json={"tekst": "x"}).status_code == 403  # CSRF
        detail = col_c.get(url).json()
        assert word in str(detail["interne_notities"])
        with get_engine(db_url).connect() as conn:
            stored = " ".join(
                conn.execute(text("SELECT text FROM handoff_internal_note")).scalars()
            )
        assert "0612345678" not in stored and "a.b@example.nl" not in stored

        # call-back outcome: only the staff member who has the case
        attempt = {"uitkomst": "niet_bereikt", "toelichting": "voicemail, 0612345678"}
        assert col_c.post(url + "/terugbellen", json=attempt, headers=col_h).status_code == 403
        bad = {"uitkomst": "misschien"}
        assert me_c.post(url + "/terugbellen", json=bad, headers=me_h).status_code == 400
        r = me_c.post(url + "/terugbellen", json=attempt, headers=me_h)
        assert r.status_code == 200 and r.json()["label"] == "Gebeld, niet bereikt"
        assert "0612345678" not in r.text
        logged = me_c.get(url).json()["terugbelpogingen"]
        assert [a["uitkomst"] for a in logged] == ["niet_bereikt"] and logged[0]["auteur"] == me

        # hand-over: only by the owner, to an existing colleague; the resident is told
        to_col, to_me = {"aan": colleague}, {"aan": me}
        assert col_c.post(url + "/overdragen", json=to_me, headers=col_h).status_code == 403
        assert me_c.post(url + "/overdragen", json=to_me, headers=me_h).status_code == 400
        nobody = {"aan": "bestaat-niet"}
        assert me_c.post(url + "/overdragen", json=nobody, headers=me_h).status_code == 400
        r = me_c.post(url + "/overdragen", json=to_col, headers=me_h)
        assert r.status_code == 200 and r.json()["medewerker"] == colleague
        assert ids(col_c, weergave="mijn") == {vraag.id} and ids(me_c, weergave="mijn") == set()
        assert me_c.post(url + "/terugbellen", json=attempt, headers=me_h).status_code == 403
        ok = {"uitkomst": "gebeld"}
        assert col_c.post(url + "/terugbellen", json=ok, headers=col_h).status_code == 200
        notes = str(col_c.get(url).json()["interne_notities"])
        assert f"Overgedragen door {me} aan {colleague}" in notes
        told = store.take_outbox(other_sender)
        assert any("collega" in t and colleague in t for t in told)

        # the archive: closed cases only, found by a word, a note or the number
        still_open = me_c.get(f"{BASE}/archief", params={"q": word}).text
        assert f'data-case="{vraag.id}"' not in still_open
        assert col_c.post(url + "/close", json={}, headers=col_h).status_code == 200
        page = html.unescape(me_c.get(f"{BASE}/archief", params={"q": word}).text)
        assert f'data-case="{vraag.id}"' in page and f'data-case="{crisis.id}"' not in page
        assert "huur te hoog" in page and colleague in page
        found = me_c.get(f"{BASE}/archief", params={"q": f"#{vraag.id}"}).text
        assert f'data-case="{vraag.id}"' in found
        by_note = me_c.get(f"{BASE}/archief", params={"q": f"{word} belde zelf"}).text
        assert f'data-case="{vraag.id}"' in by_note  # 'belde zelf' is only in the note
        assert me_c.get(f"{BASE}/archief").status_code == 200
    store.close(crisis.id)


def test_forget_and_purge_remove_notes_callbacks_and_areas(tmp_path):
    """'verwijder mijn gesprek' and the retention purge take the work-queue rows with the case."""
    import time

    from sqlalchemy import create_engine

    from bot import privacy
    from channels.case_desk import CaseDesk

    engine = create_engine(f"sqlite:///{tmp_path / 'cases.db'}", future=True)
    cases, desk = CaseStore(engine), CaseDesk(engine)
    mine = cases.create("weg-1", "bw", "vraag", "samenvatting", "bellen")
    other = cases.create("blijft-1", "bw", "vraag", "ander", "chat")
    for case in (mine, other):
        desk.add_note(case.id, "anna", "notitie")
        desk.log_callback(case.id, "anna", "gebeld", "")
        desk.remember_area(case.id, "noord", "amsterdam")
    counts = privacy.forget("weg-1", engine, channel_stores=[])
    assert counts["cases"] == 1 and counts["notes"] == 3
    assert desk.notes(mine.id) == [] and desk.callbacks(mine.id) == []
    assert desk.areas([mine.id])[mine.id] == (None, None, None, False)
    assert len(desk.notes(other.id)) == 1 and len(desk.callbacks(other.id)) == 1
    purged = privacy.purge_cases(time.time() + 60, engine)
    assert purged["cases"] == 1 and purged["notes"] == 3
    assert desk.notes(other.id) == [] and desk.callbacks(other.id) == []


def test_a_case_store_from_before_the_language_column_gets_it(tmp_path):
    """An older case database (no ``taal`` in handoff_case_area) is brought up to date on start,
    its rows kept; the language is then remembered like the stadsdeel."""
    from sqlalchemy import create_engine, inspect

    from channels.case_desk import CaseDesk

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}", future=True)
    case = CaseStore(engine).create("oud-1", "bw", "vraag", "samenvatting", "chat")
    with engine.begin() as con:
        con.exec_driver_sql("DROP TABLE IF EXISTS handoff_case_area")
        con.exec_driver_sql(
            "CREATE TABLE handoff_case_area (case_id INTEGER PRIMARY KEY, stadsdeel VARCHAR(64),"
            " gemeente VARCHAR(64), checked_at DATETIME NOT NULL)"
        )
        con.exec_driver_sql(
            "INSERT INTO handoff_case_area VALUES (?, 'oost', 'amsterdam', '2026-01-01 00:00:00.000000')",
            (case.id,),
        )
    desk = CaseDesk(engine)
    assert "taal" in {c["name"] for c in inspect(engine).get_columns("handoff_case_area")}
    assert desk.areas([case.id])[case.id][:3] == ("oost", "amsterdam", None)
    desk.remember_area(case.id, "oost", "amsterdam", "en")
    assert desk.areas([case.id])[case.id][:3] == ("oost", "amsterdam", "en")
