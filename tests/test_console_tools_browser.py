"""Issue #20 in headless Chromium: the inbox's own choice of a sound and a desktop notification
on a new case, and the lookup's "Stuur naar bewoner" and print view.

Headless Chromium cannot show an OS notification, so an init script records what the page does
with ``window.Notification`` (the permission it asks, each notification) and counts the tones the
page starts (``OscillatorNode.start``, passed on to the real WebAudio).
"""

from __future__ import annotations

import re
import uuid

import httpx

from channels.cases import CaseStore
from channels.console import BASE
from channels.identity import pseudonym
from channels.reply_templates import resident_text
from channels.staff_accounts import AccountStore
from knowledge.db import get_engine
from knowledge.service import KnowledgeService
from tests.fakes.payloads import letters
from tests.test_console_browser import PASSWORD, browser, expect, shots  # noqa: F401
from tests.test_console_work_browser import log_in

RECORD = """
window.__notes = [];
window.__asked = 0;
window.__tones = 0;
class RecordedNotification {
  constructor(title, options) {
    window.__notes.push({ title, body: (options || {}).body || "" });
  }
  close() {}
  static get permission() { return localStorage.getItem("__perm") || "default"; }
  static async requestPermission() {
    window.__asked += 1;
    localStorage.setItem("__perm", "granted");
    return "granted";
  }
}
window.Notification = RecordedNotification;
const realStart = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.__tones += 1;
  return realStart.apply(this, args);
};
"""
TOGGLE = "Geluid en melding op je scherm bij een nieuwe case"


def test_sound_and_desktop_notification_only_when_turned_on(rasa_server, db_url, browser):  # noqa: F811
    base, _ = rasa_server
    naam = f"alarm-{letters()}"
    AccountStore(get_engine(db_url)).add(naam, PASSWORD)
    store = CaseStore(get_engine(db_url))
    ctx, page = log_in(browser, base, naam, viewport={"width": 1280, "height": 800})
    ctx.add_init_script(RECORD)
    page.goto(f"{base}{BASE}/inbox")
    expect(page.locator("#inbox tbody")).not_to_contain_text("Laden")
    made: list[int] = []

    def new_case(reden: str) -> int:
        tag = uuid.uuid4().hex[:8]
        case = store.create(f"alarm-{tag}", "bw", reden, f"huur {tag} niet betaald", "chat")
        made.append(case.id)
        expect(page.locator(f'#inbox tr[data-case="{case.id}"]')).to_be_visible(timeout=10_000)
        return case.id

    try:
        # off by default: a new case is highlighted, but no sound and no notification
        first = new_case("vraag")
        expect(page.locator(f'#inbox tr[data-case="{first}"]')).to_have_class(re.compile("new"))
        page.wait_for_timeout(1_500)  # another poll
        assert page.evaluate("[window.__notes.length, window.__tones, window.__asked]") == [0, 0, 0]
        expect(page.get_by_label(TOGGLE)).not_to_be_checked()

        # turned on: the browser asks once, a tone confirms it, and the choice is remembered
        page.get_by_label(TOGGLE).check()
        expect(page.locator("#meldingen-status")).to_contain_text("melding op je scherm")
        assert page.evaluate("[window.__asked, window.__tones]") == [1, 1]
        assert page.evaluate("localStorage.getItem('bw-meldingen')") == "1"
        page.reload()
        expect(page.get_by_label(TOGGLE)).to_be_checked()
        expect(page.locator("#inbox tbody")).not_to_contain_text("Laden")
        page.wait_for_timeout(1_500)
        assert page.evaluate("window.__notes.length") == 0  # cases already there: no alert

        # a new crisis case: two tones and one notification, with number and reason only
        urgent = new_case("crisis")
        page.wait_for_function("window.__notes.length === 1", timeout=5_000)
        note = page.evaluate("window.__notes[0]")
        assert note["title"] == f"Spoed: nieuwe case #{urgent}"
        assert note["body"] == f"Case #{urgent} wacht op een medewerker (reden: crisis)."
        assert page.evaluate("window.__tones") == 2

        # changing a filter shows other rows, but they are not new: no alert
        page.get_by_label("Reden").select_option("crisis")
        page.get_by_label("Reden").select_option("")
        expect(page.locator(f'#inbox tr[data-case="{first}"]')).to_be_visible()
        page.wait_for_timeout(1_500)
        assert page.evaluate("[window.__notes.length, window.__tones]") == [1, 2]

        # turned off again: nothing
        page.get_by_label(TOGGLE).uncheck()
        assert page.evaluate("localStorage.getItem('bw-meldingen')") is None
        new_case("vraag")
        page.wait_for_timeout(1_500)
        assert page.evaluate("[window.__notes.length, window.__tones]") == [1, 2]
    finally:
        ctx.close()
        for case_id in made:
            store.close(case_id)


def test_send_a_result_to_the_resident_and_print_the_results(
    rasa_server,
    db_url,
    browser,  # noqa: F811
    shots,  # noqa: F811
):
    base, _ = rasa_server
    naam = f"stuur-{letters()}"
    AccountStore(get_engine(db_url)).add(naam, PASSWORD)
    resident = f"stuurb-{uuid.uuid4().hex[:8]}"
    store = CaseStore(get_engine(db_url))
    case = store.create(pseudonym("bw", resident), "bw", "vraag", "geldzorgen", "chat")
    want = resident_text(KnowledgeService(get_engine(db_url)), "dienst", "geldfit_hulplijn")
    ctx, page = log_in(browser, base, naam, viewport={"width": 1280, "height": 860})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    try:
        page.goto(f"{base}{BASE}/case/{case.id}")
        page.get_by_role("button", name="Neem aan").click()
        expect(page.locator("#case-status")).to_contain_text("aangenomen")
        page.get_by_role("link", name="Zoek een regeling voor dit antwoord").click()
        page.get_by_label("Zoekvraag").fill("geldfit")
        page.get_by_label("Zoekvraag").press("Enter")

        hit = page.locator('.result[data-ref="geldfit_hulplijn"]')
        hit.get_by_text("Stuur naar bewoner").click()
        expect(hit.locator(".b1-text")).to_have_text(want)
        hit.get_by_role("button", name="Kopieer tekst").click()
        expect(hit.get_by_role("status")).to_contain_text("Gekopieerd")
        assert page.evaluate("navigator.clipboard.readText()") == want
        expect(hit.get_by_label("Case")).to_have_value(str(case.id))  # the case we came from
        hit.get_by_role("button", name="Stuur in case").click()
        expect(hit.get_by_role("status")).to_contain_text(f"Verstuurd in case #{case.id}")
        with httpx.Client(base_url=base, timeout=30) as rest:
            got = rest.get("/webhooks/bw/messages", params={"sender": resident}).json()
        assert [m["text"] for m in got][-1] == want
        page.screenshot(path=str(shots / "zoeken-stuur.png"), full_page=True)

        # the print view: results on paper, without navigation, filters or buttons
        page.emulate_media(media="print")
        for hidden in ("header.top", "form.search", "details.stuur", "#afdrukken"):
            expect(page.locator(hidden).first).to_be_hidden()
        expect(page.locator(".print-only")).to_contain_text("Gezocht op “geldfit”")
        expect(hit).to_be_visible()
        expect(hit.locator('a[href="tel:08008115"]')).to_be_visible()
        colour = hit.locator("a.title").evaluate("a => getComputedStyle(a).color")
        assert colour == "rgb(0, 0, 0)", colour
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 14, size  # 11pt
        assert len(page.pdf(format="A4")) > 1000  # Chromium really prints it
        page.screenshot(path=str(shots / "zoeken-afdrukken.png"), full_page=True)
        page.emulate_media(media="screen")
        expect(page.locator("header.top")).to_be_visible()
    finally:
        ctx.close()
        store.close(case.id)
