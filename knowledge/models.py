"""SQLAlchemy models for regulations (regelingen) and the social map.

The social map follows a subset of Open Referral HSDS 3.0 (organization, service, location,
service_at_location, phone, contact channel, service_area). Amounts are stored in eurocent with
the year they hold for. Lists that are only ever read whole (synonyms, topics) are JSON columns.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Gemeente(Base):
    """A municipality; national records have gemeente NULL."""

    __tablename__ = "gemeente"
    id = Column(String(64), primary_key=True)
    naam = Column(String(200), nullable=False)
    synoniemen = Column(JSON, nullable=False, default=list)
    toegang_organisatie = Column(String(64))
    website = Column(Text)
    bron_url = Column(Text, nullable=False)
    laatst_gecontroleerd = Column(Date, nullable=False)
    stadsdelen = relationship("Stadsdeel", cascade="all, delete-orphan", order_by="Stadsdeel.naam")


class Stadsdeel(Base):
    """A district of a gemeente, with optional postcode ranges."""

    __tablename__ = "stadsdeel"
    gemeente_id = Column(
        String(64), ForeignKey("gemeente.id", ondelete="CASCADE"), primary_key=True
    )
    id = Column(String(64), primary_key=True)
    naam = Column(String(200), nullable=False)
    synoniemen = Column(JSON, nullable=False, default=list)
    postcodes = Column(JSON, nullable=False, default=list)


class Regeling(Base):
    """A regulation: what it is, for whom, conditions, how to apply, legal basis, source and date."""

    __tablename__ = "regeling"
    id = Column(String(64), primary_key=True)
    naam = Column(String(200), nullable=False)
    synoniemen = Column(JSON, nullable=False, default=list)
    onderwerpen = Column(JSON, nullable=False, default=list)
    doelgroepen = Column(JSON, nullable=False, default=list)
    samenvatting_b1 = Column(Text, nullable=False)
    # English versions for residents who write English (issue #21); None: not translated yet.
    naam_en = Column(String(120))
    samenvatting_en = Column(Text)
    hoe_aanvragen_en = Column(Text)
    volgende_stap_en = Column(Text)
    let_op_en = Column(Text)
    voor_wie = Column(Text, nullable=False)
    uitvoerder = Column(String(200), nullable=False)
    uitvoerder_organisatie = Column(String(64), ForeignKey("organization.id"))
    gemeente = Column(String(64), ForeignKey("gemeente.id"), index=True)
    #: The national regulation a gemeente's own variant stands in for; the variant inherits the
    #: national amounts and legal basis it does not state itself (bijstand norms are national).
    lokale_variant_van = Column(String(64))
    hoe_aanvragen = Column(Text, nullable=False)
    volgende_stap = Column(Text, nullable=False)
    meenemen = Column(JSON, nullable=False, default=list)
    bron_url = Column(Text, nullable=False)
    bronnen = Column(JSON, nullable=False, default=list)
    peildatum = Column(Date, nullable=False)
    laatst_gecontroleerd = Column(Date, nullable=False)
    geldig_vanaf = Column(Date, nullable=False)
    geldig_tot = Column(Date)
    persoonlijk_advies = Column(Boolean, nullable=False, default=False)
    let_op = Column(Text)

    voorwaarden = relationship(
        "Voorwaarde", cascade="all, delete-orphan", order_by="Voorwaarde.pos"
    )
    bedragen = relationship("Bedrag", cascade="all, delete-orphan", order_by="Bedrag.pos")
    grondslagen = relationship("Grondslag", cascade="all, delete-orphan", order_by="Grondslag.pos")
    gerelateerd = relationship(
        "Regeling",
        secondary="regeling_relatie",
        primaryjoin="Regeling.id == RegelingRelatie.regeling_id",
        secondaryjoin="Regeling.id == RegelingRelatie.gerelateerd_id",
        viewonly=True,
    )
    uitvoerder_org = relationship("Organization", viewonly=True)


class Voorwaarde(Base):
    """One condition; ``veld``/``operator``/``bedrag_cent`` make it machine-checkable."""

    __tablename__ = "voorwaarde"
    id = Column(Integer, primary_key=True)
    regeling_id = Column(
        String(64), ForeignKey("regeling.id", ondelete="CASCADE"), index=True, nullable=False
    )
    pos = Column(Integer, nullable=False)
    soort = Column(String(32), nullable=False)
    tekst = Column(Text, nullable=False)
    veld = Column(String(32))
    operator = Column(String(16))
    waarde = Column(JSON)
    bedrag_cent = Column(Integer)
    huishouden = Column(String(32))
    jaar = Column(Integer)
    bron_url = Column(Text)


class Bedrag(Base):
    """An amount (eurocent) with the period and the year it holds for."""

    __tablename__ = "bedrag"
    id = Column(Integer, primary_key=True)
    regeling_id = Column(
        String(64), ForeignKey("regeling.id", ondelete="CASCADE"), index=True, nullable=False
    )
    pos = Column(Integer, nullable=False)
    omschrijving = Column(Text, nullable=False)
    bedrag_cent = Column(Integer, nullable=False)
    per = Column(String(16), nullable=False)
    jaar = Column(Integer, nullable=False)
    geldig_vanaf = Column(Date)
    huishouden = Column(String(32))
    bron_url = Column(Text, nullable=False)


class Grondslag(Base):
    """Legal basis: law, article and a link to wetten.overheid.nl (or the local regulation)."""

    __tablename__ = "grondslag"
    id = Column(Integer, primary_key=True)
    regeling_id = Column(
        String(64), ForeignKey("regeling.id", ondelete="CASCADE"), index=True, nullable=False
    )
    pos = Column(Integer, nullable=False)
    wet = Column(Text, nullable=False)
    artikel = Column(String(64))
    url = Column(Text, nullable=False)


class RegelingRelatie(Base):
    """'People who get X often miss Y' (niet-gebruik)."""

    __tablename__ = "regeling_relatie"
    regeling_id = Column(
        String(64), ForeignKey("regeling.id", ondelete="CASCADE"), primary_key=True
    )
    gerelateerd_id = Column(
        String(64), ForeignKey("regeling.id", ondelete="CASCADE"), primary_key=True
    )
    pos = Column(Integer, nullable=False, default=0)


class Organization(Base):
    """HSDS organization."""

    __tablename__ = "organization"
    id = Column(String(64), primary_key=True)
    naam = Column(String(200), nullable=False)
    synoniemen = Column(JSON, nullable=False, default=list)
    beschrijving = Column(Text, nullable=False)
    soort = Column(String(32), nullable=False)
    website = Column(Text)
    email = Column(Text)
    alleen_via_professional = Column(Boolean, nullable=False, default=False)
    bron_url = Column(Text, nullable=False)
    bronnen = Column(JSON, nullable=False, default=list)
    laatst_gecontroleerd = Column(Date, nullable=False)
    let_op = Column(Text)
    services = relationship(
        "Service",
        cascade="all, delete-orphan",
        back_populates="organization",
        order_by="Service.pos",
    )


class Service(Base):
    """HSDS service, with its service area (gemeente/stadsdelen/postcodes) flattened in."""

    __tablename__ = "service"
    id = Column(String(64), primary_key=True)
    organization_id = Column(
        String(64), ForeignKey("organization.id", ondelete="CASCADE"), index=True, nullable=False
    )
    pos = Column(Integer, nullable=False, default=0)
    naam = Column(String(200), nullable=False)
    beschrijving = Column(Text, nullable=False)
    beschrijving_en = Column(Text)  # English for residents who write English (issue #21)
    onderwerpen = Column(JSON, nullable=False, default=list)
    doelgroepen = Column(JSON, nullable=False, default=list)
    leeftijd_min = Column(Integer)
    leeftijd_max = Column(Integer)
    kosten = Column(Text)
    talen = Column(JSON, nullable=False, default=list)
    meenemen = Column(JSON, nullable=False, default=list)
    openingstijden = Column(Text)
    gemeente = Column(String(64), ForeignKey("gemeente.id"), index=True)
    stadsdelen = Column(JSON, nullable=False, default=list)
    postcodes = Column(JSON, nullable=False, default=list)
    regio = Column(String(100))
    gerelateerde_regelingen = Column(JSON, nullable=False, default=list)
    eerste_lijn = Column(Boolean, nullable=False, default=False)
    organization = relationship("Organization", back_populates="services")
    contacts = relationship(
        "ContactChannel", cascade="all, delete-orphan", order_by="ContactChannel.pos"
    )
    locations = relationship("Location", secondary="service_at_location", viewonly=True)


class ContactChannel(Base):
    """How to reach a service: telefoon, chat, web, inloop, app, email, post, via_professional.

    Phone numbers are HSDS ``phone`` rows; we keep all channels in one table with a ``soort``.
    """

    __tablename__ = "contact_channel"
    id = Column(Integer, primary_key=True)
    service_id = Column(
        String(64), ForeignKey("service.id", ondelete="CASCADE"), index=True, nullable=False
    )
    pos = Column(Integer, nullable=False)
    soort = Column(String(32), nullable=False)
    waarde = Column(Text, nullable=False)
    toelichting = Column(Text)


class Location(Base):
    """HSDS location (only addresses a source shows)."""

    __tablename__ = "location"
    id = Column(Integer, primary_key=True)
    naam = Column(Text, nullable=False)
    adres = Column(Text)
    postcode = Column(String(8))
    plaats = Column(String(100))
    stadsdeel = Column(String(64))


class ServiceAtLocation(Base):
    """HSDS service_at_location link."""

    __tablename__ = "service_at_location"
    service_id = Column(String(64), ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    location_id = Column(Integer, ForeignKey("location.id", ondelete="CASCADE"), primary_key=True)


class Vraag(Base):
    """A frequently asked question of a regulation or an organisation (``vragen`` in its YAML).

    The ways people ask it (``varianten``) are what the question ranker matches a message on; the
    answer is short B1 text with its own official source and date, so content people add questions
    without retraining the NLU.
    """

    __tablename__ = "vraag"
    id = Column(Integer, primary_key=True)
    sleutel = Column(String(160), nullable=False, unique=True)  # "<record>:<vraag id>"
    regeling_id = Column(String(64), ForeignKey("regeling.id", ondelete="CASCADE"), index=True)
    organisatie_id = Column(
        String(64), ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    vraag = Column(Text, nullable=False)
    varianten = Column(JSON, nullable=False, default=list)
    antwoord = Column(Text, nullable=False)
    #: The same answer in plain English (optional): for residents who write in English.
    antwoord_en = Column(Text)
    facet = Column(String(32))
    doelgroep = Column(String(16), nullable=False, default="inwoner")
    bron_url = Column(Text, nullable=False)
    peildatum = Column(Date, nullable=False)
    jaar = Column(Integer)


class ContentVersion(Base):
    """One row per successful load: which content (hash) is in the database and when."""

    __tablename__ = "content_version"
    id = Column(Integer, primary_key=True)
    content_hash = Column(String(64), nullable=False)
    loaded_at = Column(DateTime, nullable=False)
    regelingen = Column(Integer, nullable=False)
    organisaties = Column(Integer, nullable=False)
