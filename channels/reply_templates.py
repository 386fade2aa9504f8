"""Reply templates for the case page (issue #20 item 4): short B1 texts a staff member puts in
the reply box and then adapts. ``{naam}`` becomes the staff member's name."""

from __future__ import annotations

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
