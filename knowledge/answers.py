"""Two answer formats from the same record: resident (B1, one next step) and staff (complete).

The wording around the fields lives in the Rasa domain responses (bot/domain/*.yml); this module
only turns records into the fields those responses fill in: amounts with their year, dates in
Dutch, conditions and legal basis as lines.
"""

from __future__ import annotations

import datetime as dt

from knowledge.views import Amount, Condition, RegelingView, ServiceView

MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
_PER = {
    "maand": "per maand",
    "kwartaal": "per kwartaal",
    "jaar": "per jaar",
    "eenmalig": "eenmalig",
    "uur": "per uur",
}
_HUISHOUDEN = {
    "alleenstaand": "alleenstaand",
    "alleenstaande_ouder": "alleenstaande ouder",
    "partners": "met partner",
    "alle": "",
}
_KANAAL = {
    "telefoon": "Bel",
    "chat": "Chat via",
    "web": "Kijk op",
    "inloop": "Loop binnen:",
    "app": "App:",
    "email": "Mail",
    "post": "Schrijf naar",
    "via_professional": "Via",
}


def euro(cent: int) -> str:
    """Format eurocent the Dutch way: 146011_00 -> '€ 146.011', 34599 -> '€ 345,99'."""
    whole, rest = divmod(int(cent), 100)
    body = f"{whole:,}".replace(",", ".")
    return f"€ {body}" if rest == 0 else f"€ {body},{rest:02d}"


def datum(d: dt.date | None, english: bool = False) -> str:
    """'1 januari 2026' (or '1 January 2026' in an English answer)."""
    if not d:
        return ""
    return f"{d.day} {(MONTHS_EN if english else MAANDEN)[d.month - 1]} {d.year}"


MONTHS_EN = (
    "January February March April May June July August September October November December".split()
)


def amount_line(a: Amount) -> str:
    who = _HUISHOUDEN.get(a.huishouden or "alle", "")
    who = f" ({who})" if who else ""
    return f"{a.omschrijving}{who}: {euro(a.bedrag_cent)} {_PER[a.per]} (bedrag {a.jaar})"


def condition_line(c: Condition) -> str:
    suffix = (
        f" (bedrag {c.jaar})"
        if c.bedrag_cent is not None and c.jaar and str(c.jaar) not in c.tekst
        else ""
    )
    return f"{c.tekst}{suffix}"


def channel_line(service: ServiceView, max_channels: int = 2) -> str:
    """'Bel 0800-8115 (gratis) of kijk op https://www.geldfit.nl' — only channels the source shows."""
    parts = []
    for k in service.kanalen[:max_channels]:
        verb = _KANAAL.get(k.soort, "")
        note = f" ({k.toelichting})" if k.toelichting and len(k.toelichting) < 60 else ""
        parts.append(f"{verb} {k.waarde}{note}".strip())
    if not parts and service.website:
        parts.append(f"Kijk op {service.website}")
    parts = [p[0].lower() + p[1:] for p in parts if p]
    text = " of ".join(parts) if len(parts) <= 2 else ", ".join(parts)
    return text


#: Before the addresses of a service in the person's stadsdeel (Dutch, English answer).
_ADDRESS = ("Adres bij jou in de buurt", "Address near you")


def places_line(service: ServiceView, stadsdeel: str | None, english: bool = False) -> str:
    """'Adres bij jou in de buurt: Buurtteam Bijlmer-Oost, Karspeldreef 1009.' for the places a
    source shows in the person's stadsdeel; empty when there are none (or no stadsdeel is known)."""
    places = [loc.line() for loc in service.places_in(stadsdeel)]
    return f"{_ADDRESS[english]}: {'; '.join(places)}." if places else ""


def service_block(
    service: ServiceView,
    max_channels: int = 2,
    stadsdeel: str | None = None,
    english: bool = False,
) -> str:
    """A short B1 block for one place to turn to; with the person's stadsdeel, the service's
    addresses there (a source-shown address beats "langsgaan bij een buurtteam bij jou in de buurt")."""
    how = channel_line(service, max_channels)
    line = f"• {service.organisatie}: {how.rstrip('.')}." if how else f"• {service.organisatie}."
    if near := places_line(service, stadsdeel, english):
        line += f" {near}"
    if service.openingstijden:
        line += f" Open: {service.openingstijden.rstrip('.')}."
    return line


#: Before a Dutch text shown to someone who writes English, where the content has no English yet.
ONLY_DUTCH = "(Only in Dutch:) "


def _in_english(english_text: str | None, dutch: str) -> str:
    return english_text or (f"{ONLY_DUTCH}{dutch}" if dutch else "")


def resident_fields(reg: RegelingView, english: bool = False) -> dict[str, str]:
    """Fields for the resident answer: summary, one next step, how to apply, source and
    peildatum. ``english``: the content's English texts, the Dutch name with its English gloss
    ("Zorgtoeslag (healthcare allowance)"), and the Dutch text under a short note where the
    content has no English yet (never silence)."""
    if not english:
        return {
            "naam": reg.naam,
            "samenvatting": reg.samenvatting_b1,
            "volgende_stap": reg.volgende_stap,
            "hoe_aanvragen": reg.hoe_aanvragen,
            "bron_url": reg.bron_url,
            "peildatum": datum(reg.peildatum),
            "uitvoerder": reg.uitvoerder,
            "let_op": reg.let_op or "",
        }
    return {
        "naam": f"{reg.naam} ({reg.naam_en})" if reg.naam_en else reg.naam,
        "samenvatting": _in_english(reg.samenvatting_en, reg.samenvatting_b1),
        "volgende_stap": _in_english(reg.volgende_stap_en, reg.volgende_stap),
        "hoe_aanvragen": _in_english(reg.hoe_aanvragen_en, reg.hoe_aanvragen),
        "bron_url": reg.bron_url,
        "peildatum": datum(reg.peildatum, english=True),
        "uitvoerder": reg.uitvoerder,
        "let_op": _in_english(reg.let_op_en, reg.let_op or ""),
    }


def staff_fields(reg: RegelingView) -> dict[str, str]:
    """Fields for the staff answer: every condition, amounts with year, legal basis, source."""
    gebied = reg.gemeente.capitalize() if reg.gemeente else "landelijk"
    return {
        "naam": reg.naam,
        "gebied": gebied,
        "uitvoerder": reg.uitvoerder,
        "voor_wie": reg.voor_wie,
        "voorwaarden": "\n".join(f"- {condition_line(c)}" for c in reg.voorwaarden)
        or "- (geen voorwaarden vastgelegd)",
        "bedragen": "\n".join(f"- {amount_line(a)}" for a in reg.bedragen)
        or "- (geen bedragen vastgelegd)",
        "hoe_aanvragen": reg.hoe_aanvragen,
        "meenemen": ", ".join(reg.meenemen) or "-",
        "grondslag": "; ".join(
            f"{g.wet}{' art. ' + g.artikel if g.artikel else ''} ({g.url})" for g in reg.grondslagen
        )
        or "-",
        "bron_url": reg.bron_url,
        "peildatum": datum(reg.peildatum),
        "gecontroleerd": datum(reg.laatst_gecontroleerd),
        "gerelateerd": ", ".join(naam for _, naam in reg.gerelateerd) or "-",
    }


def meenemen_list(reg: RegelingView) -> str:
    return "\n".join(f"• {m}" for m in reg.meenemen)
