"""Issue #20 items 3 and 4 in headless Chromium: the inbox as a work queue and the case page.

A resident asks to be called back; staff filter the inbox, take the case (focus moves on to the
reply box), write an internal note, use a reply template, hear each new message once, log a call
that did not connect, hand the case to a colleague, who closes it (after confirming); then the
case is found in the archive. On a phone the reply box stays in sight.
"""

from __future__ import annotations

import re
import uuid

import httpx

from channels.cases import CaseStore
from channels.console import BASE
from channels.staff_accounts import AccountStore
from knowledge.db import get_engine
from tests.fakes.payloads import letters
from tests.test_console_browser import PASSWORD, browser, expect, say, shots  # noqa: F401


def callback_case(rest: httpx.Client, sender: str, word: str) -> int:
    """A resident asks for a person and to be called back (as in test_console_http)."""
    say(rest, sender, f"ik heb een aanmaning van de zorgverzekeraar {word}")
    assert "doorsturen" in say(rest, sender, "ik wil een mens spreken")
    say(rest, sender, "ja")
    say(rest, sender, "ja")
    assert "telefoonnummer" in say(rest, sender, "bel me maar")
    created = say(rest, sender, "0687654321")
    return int(re.search(r"\(nummer (\d+)", created).group(1))


def log_in(browser_, base: str, naam: str, **context_args):  # noqa: F811
    context = browser_.new_context(locale="nl-NL", **context_args)
    page = context.new_page()
    page.goto(f"{base}{BASE}/login")
    page.get_by_label("Naam").fill(naam)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/zoeken$"))
    return context, page


def test_work_queue_from_callback_to_archive(rasa_server, db_url, browser, shots):  # noqa: F811
    base, _ = rasa_server
    me, colleague = (f"{n}-{letters()}" for n in ("anna", "piet"))
    accounts = AccountStore(get_engine(db_url))
    accounts.add(me, PASSWORD)
    accounts.add(colleague, PASSWORD)
    word = f"kz{letters()}"
    sender = f"werk-{word}"
    ctx, page = log_in(browser, base, me, viewport={"width": 1280, "height": 860})
    page.goto(f"{base}{BASE}/inbox")
    with httpx.Client(base_url=base, timeout=90) as rest:
        case_id = callback_case(rest, sender, word)
        row = page.locator(f'#inbox tr[data-case="{case_id}"]')
        expect(row).to_contain_text(word, timeout=20_000)

        # filters: the server filters, the URL follows; crisis only hides this question
        page.get_by_label("Reden").select_option("crisis")
        expect(row).to_have_count(0)
        expect(page).to_have_url(re.compile(r"reden=crisis"))
        page.get_by_label("Reden").select_option("")
        page.get_by_label("Nog niet aangenomen").check()
        expect(row).to_be_visible()
        page.get_by_label("Mijn cases").check()
        expect(row).to_have_count(0)
        page.get_by_label("Alle open cases").check()
        expect(row).to_contain_text("onbekend")  # no stadsdeel named

        # take: focus moves on to the reply box
        row.get_by_role("link", name=f"#{case_id}").click()
        page.get_by_role("button", name="Neem aan").click()
        expect(page.locator("#case-status")).to_contain_text("aangenomen")
        expect(page.get_by_label(re.compile("Je bericht"))).to_be_focused()

        # one announcement per new message; the transcript itself is no live region
        expect(page.locator("#transcript")).to_contain_text(word)
        assert page.locator("#transcript").get_attribute("aria-live") is None
        say(rest, sender, "hallo, bellen jullie vandaag?")
        log = page.locator("#transcript-nieuw p")
        expect(log.last).to_contain_text("bellen jullie vandaag", timeout=10_000)
        assert all(word not in t for t in log.all_inner_texts())  # old lines are not re-read

        # a reply template, filled with the staff member's name
        page.get_by_label("Standaardtekst").select_option(label="Begroeting")
        page.get_by_role("button", name="Zet in bericht").click()
        expect(page.get_by_label(re.compile("Je bericht"))).to_have_value(
            re.compile(rf"^Hoi, ik ben {me} van het buurtteam")
        )

        # internal note, and the outcome of a call
        page.get_by_label("Nieuwe notitie").fill(f"Huurachterstand {word}, brief gezien")
        page.get_by_role("button", name="Bewaar notitie").click()
        expect(page.locator("#interne-notities")).to_contain_text("brief gezien")
        page.get_by_label("Gebeld, niet bereikt").check()
        page.get_by_label(re.compile("Toelichting")).fill("voicemail ingesproken")
        page.get_by_role("button", name="Leg vast").click()
        expect(page.locator("#terugbelpogingen")).to_contain_text("Gebeld, niet bereikt")
        expect(page.locator("#terugbelpogingen")).to_contain_text("voicemail ingesproken")
        page.screenshot(path=str(shots / "case-werk.png"))  # sticky box: the viewport

        # hand the case to a colleague: the resident is told
        page.get_by_label("Draag over aan een collega").select_option(colleague)
        page.get_by_role("button", name="Draag over").click()
        expect(page.locator("#case-status")).to_contain_text(f"Overgedragen aan {colleague}")
        expect(page.locator("#handover-form")).to_be_hidden()
        got = rest.get("/webhooks/bw/messages", params={"sender": sender}).json()
        assert any(colleague in m["text"] and "collega" in m["text"] for m in got)

    # the colleague finds it under "Mijn cases" and closes it after confirming
    ctx2, page2 = log_in(browser, base, colleague, viewport={"width": 1280, "height": 860})
    page2.goto(f"{base}{BASE}/inbox?weergave=mijn")
    row2 = page2.locator(f'#inbox tr[data-case="{case_id}"]')
    expect(row2).to_contain_text(colleague, timeout=10_000)
    row2.get_by_role("link", name=f"#{case_id}").click()
    expect(page2.locator("#interne-notities")).to_contain_text(f"Overgedragen door {me}")
    page2.get_by_role("button", name=re.compile("^Sluit af")).click()
    expect(page2.locator("#case-status")).to_contain_text("Klik nog eens")
    page2.get_by_role("button", name=re.compile("^Zeker weten")).click()
    expect(page2.locator("#case-status")).to_contain_text("gesloten")
    ctx2.close()

    # and anyone finds it in the archive, by a word from the note
    page.get_by_role("link", name="Archief", exact=True).first.click()
    page.get_by_label(re.compile("^Zoek op nummer")).fill(f"huurachterstand {word}")
    page.get_by_label(re.compile("^Zoek op nummer")).press("Enter")
    found = page.locator(f'#archief tr[data-case="{case_id}"]')
    expect(found).to_contain_text(colleague)
    page.screenshot(path=str(shots / "archief.png"), full_page=True)
    ctx.close()


def test_reply_box_stays_in_sight_on_a_phone(rasa_server, db_url, browser, shots):  # noqa: F811
    base, _ = rasa_server
    naam = f"tel-{letters()}"
    AccountStore(get_engine(db_url)).add(naam, PASSWORD)
    sender = f"lang-{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=base, timeout=90) as rest:
        case_id = callback_case(rest, sender, "lang")
        for i in range(6):
            say(rest, sender, f"nog een vraag over mijn rekening nummer {i}")
    ctx, page = log_in(browser, base, naam, viewport={"width": 390, "height": 740}, is_mobile=True)
    page.goto(f"{base}{BASE}/case/{case_id}")
    expect(page.locator("#transcript li").nth(8)).to_be_attached()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 1500, "the page should be long enough for the test to mean something"
    box = page.get_by_label(re.compile("Je bericht"))
    for y in (0, height // 2):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(200)
        rect = box.bounding_box()
        assert rect["y"] >= 0 and rect["y"] + rect["height"] <= 740, (y, rect)
    # ... and leaves most of the screen to the conversation
    card = page.locator(".reply-card").bounding_box()
    assert card["height"] <= 0.4 * 740, card
    page.screenshot(path=str(shots / "mobiel-case.png"))
    ctx.close()
    CaseStore(get_engine(db_url)).close(case_id)  # leave no waiting case for other tests


def test_lookup_with_a_stadsdeel_filter(rasa_server, db_url, browser, shots):  # noqa: F811
    """Issue #20 item 5 in Chromium, at phone size: the filter is real, the results are
    grouped with tel: links and plain reasons, and the filters leave room for results."""
    base, _ = rasa_server
    naam = f"zoek-{letters()}"
    AccountStore(get_engine(db_url)).add(naam, PASSWORD)
    ctx, page = log_in(browser, base, naam, viewport={"width": 390, "height": 740}, is_mobile=True)
    page.get_by_label("Zoekvraag").fill("ontmoeting")
    page.get_by_label("Stadsdeel").select_option(label="Nieuw-West")
    page.get_by_role("button", name="Zoeken").click()
    hulp = page.locator("#groep-dienst-lijst")
    expect(hulp.locator('[data-ref="stichting_home_empowerment_ontmoeting"]')).to_be_visible()
    expect(hulp.locator('[data-ref="diaconie_noord_ontmoeting"]')).to_have_count(0)
    expect(hulp).to_contain_text("in stadsdeel Nieuw-West")
    page.get_by_label("Stadsdeel").select_option(label="Noord")
    page.get_by_role("button", name="Zoeken").click()
    expect(hulp.locator('[data-ref="diaconie_noord_ontmoeting"]')).to_be_visible()
    expect(hulp.locator('[data-ref="stichting_home_empowerment_ontmoeting"]')).to_have_count(0)

    # a place typed in the query is the filter; results grouped, phone as a tel: link
    page.get_by_label("Zoekvraag").fill("kwijtschelding in Noord")
    page.get_by_label("Stadsdeel").select_option("")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#plaats")).to_contain_text("Noord")
    expect(page.get_by_label("Stadsdeel")).to_have_value("noord")
    expect(page.get_by_role("heading", name=re.compile("^Regelingen"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Hulp"))).to_be_visible()
    expect(page.locator('a[href="tel:14020"]').first).to_be_visible()
    expect(page.locator(".result .why").first).to_contain_text("‘kwijtschelding’ staat in de naam")
    # the filters do not fill the first screen: what was found starts on it
    page.evaluate("window.scrollTo(0, 0)")
    box = page.get_by_role("search").bounding_box()
    bottom = box["y"] + box["height"]
    assert bottom < 560, f"the search form ends at {bottom}px on a 740px screen"
    page.screenshot(path=str(shots / "mobiel-zoeken-stadsdeel.png"), full_page=True)
    ctx.close()


def test_report_an_error_reaches_the_content_check(rasa_server, db_url, browser, shots):  # noqa: F811
    """Issue #20 item 6 in Chromium: 'Meld een fout' on an organisation page appears on
    'Inhoud nakijken'."""
    base, _ = rasa_server
    naam = f"meld-{letters()}"
    AccountStore(get_engine(db_url)).add(naam, PASSWORD)
    ctx, page = log_in(browser, base, naam, viewport={"width": 1280, "height": 860})
    page.get_by_label("Zoekvraag").fill("kwijtschelding")
    page.get_by_label("Zoekvraag").press("Enter")
    page.locator("#groep-dienst-lijst a.title").first.click()
    expect(page.get_by_role("heading", name="Meld een fout")).to_be_visible()
    word = f"nummer{uuid.uuid4().hex[:5]}"
    page.get_by_label(re.compile("^Wat klopt er niet")).fill(f"Het {word} is veranderd")
    page.get_by_role("button", name="Verstuur melding").click()
    expect(page.locator("#meld-fout [role=status]")).to_contain_text("Dank je")
    page.get_by_role("link", name="Inhoud nakijken").first.click()
    expect(page.get_by_role("heading", name="Inhoud nakijken", level=1)).to_be_visible()
    expect(page.locator("#meldingen")).to_contain_text(f"Het {word} is veranderd")
    expect(page.locator("#meldingen")).to_contain_text(naam)
    page.screenshot(path=str(shots / "inhoud-meldingen.png"), full_page=True)
    ctx.close()
