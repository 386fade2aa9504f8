"""Issue #20: axe (axe-core, bundled in the PyPI package axe-playwright-python) finds no
violation on any console page, in every state a worker sees, at desktop (1280 px) and phone
(390 px) width. One browser context walks through all states and checks each at both sizes, so
the test costs one login and one resident conversation.
"""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from channels.cases import CaseStore
from channels.console import BASE
from channels.staff_accounts import AccountStore
from knowledge.db import get_engine
from tests.fakes.payloads import letters
from tests.test_console_browser import PASSWORD, browser, expect  # noqa: F401
from tests.test_console_work_browser import callback_case, log_in

axe_api = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
)
SIZES = ((1280, 860), (390, 740))


class AxeWalk:
    """Runs axe on the current page at both sizes and keeps every violation with its state."""

    def __init__(self, page) -> None:
        self.page = page
        self.axe = axe_api.Axe()
        self.problems: list[str] = []
        self.checked: list[str] = []

    def run(self) -> axe_api.AxeResults:
        """axe.run on the page; the 570 KB script is injected once per page load, not per run."""
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.evaluate(self.axe.axe_script)
        response = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return axe_api.AxeResults(response)

    def check(self, state: str) -> None:
        for width, height in SIZES:
            self.page.set_viewport_size({"width": width, "height": height})
            results = self.run()
            self.checked.append(f"{state} @ {width}px")
            if results.violations_count:
                self.problems.append(f"--- {state} @ {width}px\n{results.generate_report()}")
        self.page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})


def test_axe_finds_no_violation_on_any_console_page(rasa_server, db_url, browser):  # noqa: F811
    base, _ = rasa_server
    me, colleague = f"axe-{letters()}", f"axecol-{letters()}"
    accounts = AccountStore(get_engine(db_url))
    accounts.add(me, PASSWORD)
    accounts.add(colleague, PASSWORD)
    word = f"ax{letters()}"
    with httpx.Client(base_url=base, timeout=90) as rest:
        case_id = callback_case(rest, f"axe-{uuid.uuid4().hex[:8]}", word)

    # not logged in: the login page, and after a wrong password
    ctx = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 860})
    page = ctx.new_page()
    walk = AxeWalk(page)
    page.goto(f"{base}{BASE}/login")
    walk.check("inloggen")
    page.get_by_label("Naam").fill(me)
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    walk.check("inloggen mislukt")
    ctx.close()

    ctx, page = log_in(browser, base, me, viewport={"width": 1280, "height": 860})
    walk.page = page
    go = lambda path: page.goto(f"{base}{BASE}{path}")  # noqa: E731
    try:
        walk.check("zoeken leeg")
        go("/zoeken?q=schulden+in+Noord")
        expect(page.locator("#plaats")).to_be_visible()
        page.locator("details.more-filters summary").click()
        page.locator("details.stuur summary").first.click()
        walk.check("zoeken: plaats als filter, meer filters, stuur naar bewoner")
        go("/zoeken?q=wat+is+het+telefoonnummer+van+geldfit")
        expect(page.get_by_role("heading", name="Veelgestelde vragen")).to_be_visible()
        walk.check("zoeken: veelgestelde vragen")
        go("/zoeken?q=qqxyzzy")
        walk.check("zoeken: niets gevonden")
        go("/regeling/huurtoeslag")
        walk.check("regeling")
        go("/regeling/huurtoeslag?melding=Schrijf+op+wat+er+niet+klopt.#meld-fout")
        walk.check("regeling: melding geweigerd")
        go("/organisatie/geldfit")
        page.get_by_label(re.compile("^Wat klopt er niet")).fill(f"Nummer {word} is veranderd")
        page.get_by_role("button", name="Verstuur melding").click()
        expect(page.locator("#meld-fout [role=status]")).to_contain_text("Dank je")
        walk.check("organisatie: melding gedaan")
        go("/regeling/bestaat-niet")
        walk.check("niet gevonden")

        # the inbox with the sound toggle on, and with a filter that leaves nothing
        go("/inbox")
        expect(page.locator(f'#inbox tr[data-case="{case_id}"]')).to_be_visible()
        page.get_by_label("Geluid en melding op je scherm").check()
        fresh = CaseStore(get_engine(db_url)).create(f"axe-{word}", "bw", "crisis", word, "chat")
        expect(page.locator(f'#inbox tr[data-case="{fresh.id}"]')).to_have_class(re.compile("new"))
        walk.check("inbox: een nieuwe crisiscase, geluid aan")
        CaseStore(get_engine(db_url)).close(fresh.id)
        go("/inbox?weergave=mijn&reden=crisis")
        expect(page.locator("#inbox tr.empty")).to_be_visible()
        walk.check("inbox: geen cases voor deze keuze")

        # a case: waiting, then taken with every tool in use, then the second click to close
        go(f"/case/{case_id}")
        expect(page.locator("#transcript")).to_contain_text(word)
        walk.check("case: wacht")
        page.get_by_role("button", name="Neem aan").click()
        expect(page.locator("#case-status")).to_contain_text("aangenomen")
        page.get_by_role("button", name="Toon terugbelnummer").click()
        expect(page.locator("#callback-number")).to_contain_text("06")
        page.get_by_label("Gebeld, niet bereikt").check()
        page.get_by_role("button", name="Leg vast").click()
        expect(page.locator("#terugbelpogingen")).to_contain_text("niet bereikt")
        page.get_by_label("Nieuwe notitie").fill("brief gezien")
        page.get_by_role("button", name="Bewaar notitie").click()
        expect(page.locator("#interne-notities")).to_contain_text("brief gezien")
        page.get_by_label(re.compile("Je bericht")).fill("Hoi, ik bel je vandaag.")
        page.get_by_role("button", name="Verstuur").click()
        expect(page.locator("#transcript .medewerker")).to_be_visible()
        walk.check("case: aangenomen, nummer, terugbellen, notitie, antwoord")
        go(f"/zoeken?q=geldfit&case={case_id}")
        page.locator("details.stuur summary").first.click()
        walk.check("zoeken vanuit een eigen case")
        go(f"/regeling/huurtoeslag?case={case_id}")
        walk.check("regeling vanuit een case")
        go(f"/case/{case_id}")
        page.get_by_role("button", name=re.compile("^Sluit af")).click()
        expect(page.locator("#case-status")).to_contain_text("Klik nog eens")
        walk.check("case: sluiten bevestigen")
        page.get_by_role("button", name=re.compile("^Zeker weten")).click()
        expect(page.locator("#case-status")).to_contain_text("gesloten")
        walk.check("case: gesloten")

        go(f"/archief?q={word}")
        expect(page.locator(f'#archief tr[data-case="{case_id}"]')).to_be_visible()
        walk.check("archief")
        go("/archief?q=niets-te-vinden-hier")
        walk.check("archief: niets gevonden")
        go("/inhoud")
        expect(page.locator("#meldingen")).to_contain_text(word)
        walk.check("inhoud nakijken, met een melding")
        page.locator(f'#meldingen tr:has-text("{word}")').get_by_role("button").click()
        expect(page.get_by_role("status").filter(has_text="afgehandeld")).to_be_visible()
        walk.check("inhoud nakijken: melding afgehandeld")
    finally:
        ctx.close()
    print(f"axe: {len(walk.checked)} checks")
    assert not walk.problems, "\n".join(walk.problems)
