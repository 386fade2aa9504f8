"""Reply templates for the case page (issue #20 item 4): short B1 texts a staff member puts in
the reply box and then adapts. ``{naam}`` becomes the staff member's name. And the text for
"Stuur naar bewoner" on a lookup result (item 5), built from the content only."""

from __future__ import annotations

import re
from typing import Any

TEMPLATES: tuple[tuple[str, str], ...] = (
    (
        "Begroeting",
        "Hoi, ik ben {naam} van het buurtteam. Ik heb je vraag gelezen. Ik help je verder.",
    ),
    ("Ik zoek het uit", "Ik zoek het voor je uit. Je krijgt vandaag nog een bericht van mij."),
    (
        "Ik bel je",
        "Ik bel je vandaag. Je ziet een nummer van het buurtteam. Neem je niet op? "
        "Dan probeer ik het later nog een keer.",
    ),
    (
        "Niet bereikt",
        "Ik heb je gebeld, maar ik kreeg je niet te pakken. Wanneer kan ik je het beste bellen?",
    ),
    (
        "Wat meenemen",
        "Wil je langskomen bij het buurtteam? Neem dan je brieven mee, en een overzicht van je "
        "inkomen en je vaste lasten.",
    ),
    (
        "Afsluiten",
        "Ik sluit dit gesprek nu af. Heb je later nog een vraag? Stuur dan gewoon een bericht.",
    ),
)


def for_staff(naam: str) -> list[tuple[str, str]]:
    """(title, text) of every template with the staff member's name filled in."""
    return [(title, text.replace("{naam}", naam)) for title, text in TEMPLATES]


# --- "Stuur naar bewoner" from the lookup (issue #20 item 5) -------------------------------------
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9€'‘\"(])")
MAX_WHAT = 140


def what_it_is(description: str, limit: int = MAX_WHAT) -> str:
    """The first sentences of a content description, whole sentences only, within ``limit``
    characters (always at least the first one): what the regulation or help is."""
    sentences = [s.strip() for s in _SENTENCE_END.split(" ".join(description.split())) if s.strip()]
    out: list[str] = []
    for sentence in sentences:
        if out and len(" ".join([*out, sentence])) > limit:
            break
        out.append(sentence)
    return " ".join(out)


def _first(values) -> str | None:
    return next((v for v in values if v), None)


def resident_text(kb: Any, soort: str, ref: str) -> str | None:
    """A short B1 text for a resident about one lookup result: the name, what it is, the phone
    number and the website, all from the content (a missing fact is left out, never filled
    in). None when the regulation or help does not exist."""
    lines: list[str] = []
    if soort == "regeling":
        reg = kb.regeling(ref)
        if reg is None:
            return None
        org = kb.organisation_services(reg.uitvoerder_organisatie or "") or []
        phone = _first(s.phone for s in org)
        website = _first(s.website for s in org) or reg.bron_url
        lines += [f"{reg.naam}", what_it_is(reg.samenvatting_b1)]
        if phone:
            lines.append(f"Bel {reg.uitvoerder}: {phone}.")
    elif soort == "dienst":
        svc = kb.service(ref)
        if svc is None:
            return None
        phone, website = svc.phone, svc.website
        lines += [f"{svc.organisatie}: {svc.naam}", what_it_is(svc.beschrijving)]
        if svc.alleen_via_professional:
            lines.append("Je kunt hier alleen terecht via een hulpverlener, zoals het buurtteam.")
        if phone:
            lines.append(
                f"Bel: {phone}." + (f" Open: {svc.openingstijden}." if svc.openingstijden else "")
            )
    else:
        return None
    if website:
        lines.append(f"Website: {website}")
    return "\n".join(line for line in lines if line)
