"""Plain read-only views of knowledge records, detached from the database session.

Actions and channels get these instead of ORM objects so nothing lazy-loads after a session closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Amount:
    omschrijving: str
    bedrag_cent: int
    per: str
    jaar: int
    huishouden: str | None
    bron_url: str


@dataclass(frozen=True)
class Condition:
    soort: str
    tekst: str
    veld: str | None
    operator: str | None
    waarde: object
    bedrag_cent: int | None
    huishouden: str | None
    jaar: int | None
    bron_url: str | None


@dataclass(frozen=True)
class LegalBasis:
    wet: str
    artikel: str | None
    url: str


@dataclass(frozen=True)
class RegelingView:
    id: str
    naam: str
    samenvatting_b1: str
    voor_wie: str
    doelgroepen: list[str]
    onderwerpen: list[str]
    uitvoerder: str
    uitvoerder_organisatie: str | None
    gemeente: str | None
    hoe_aanvragen: str
    volgende_stap: str
    meenemen: list[str]
    bron_url: str
    peildatum: dt.date
    laatst_gecontroleerd: dt.date
    geldig_vanaf: dt.date
    geldig_tot: dt.date | None
    persoonlijk_advies: bool
    let_op: str | None
    voorwaarden: list[Condition] = field(default_factory=list)
    bedragen: list[Amount] = field(default_factory=list)
    grondslagen: list[LegalBasis] = field(default_factory=list)
    gerelateerd: list[tuple[str, str]] = field(default_factory=list)  # (id, naam)
    # English versions (issue #21); None where the content has no translation yet.
    naam_en: str | None = None
    samenvatting_en: str | None = None
    hoe_aanvragen_en: str | None = None
    volgende_stap_en: str | None = None
    let_op_en: str | None = None


@dataclass(frozen=True)
class Channel:
    soort: str
    waarde: str
    toelichting: str | None


@dataclass(frozen=True)
class Location:
    """A place where a service can be visited, with the stadsdeel it lies in (when known)."""

    naam: str
    adres: str | None
    plaats: str | None
    stadsdeel: str | None

    def line(self) -> str:
        """'Buurtteam Bijlmer-Oost, Karspeldreef 1009' (the place's name and address)."""
        return ", ".join(x for x in (self.naam, self.adres) if x)


@dataclass(frozen=True)
class ServiceView:
    id: str
    naam: str
    beschrijving: str
    organisatie_id: str
    organisatie: str
    organisatie_soort: str
    website: str | None
    gemeente: str | None
    stadsdelen: list[str]
    regio: str | None
    onderwerpen: list[str]
    doelgroepen: list[str]
    kosten: str | None
    openingstijden: str | None
    kanalen: list[Channel]
    locaties: list[Location]
    alleen_via_professional: bool
    eerste_lijn: bool
    let_op: str | None
    bron_url: str
    laatst_gecontroleerd: dt.date
    beschrijving_en: str | None = None  # English (issue #21); None: not translated yet

    def places_in(self, stadsdeel: str | None) -> list[Location]:
        """The service's places in this stadsdeel (none when the stadsdeel is unknown)."""
        return [loc for loc in self.locaties if stadsdeel and loc.stadsdeel == stadsdeel]

    @property
    def phone(self) -> str | None:
        """The first phone number a source shows, or None."""
        return next((k.waarde for k in self.kanalen if k.soort == "telefoon"), None)
