"""Load validated content into the database: idempotent and in one transaction.

A broken file stops the load before the database is touched; a database error rolls the whole
load back. Loading the same content twice is a no-op (the content hash is recorded).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge import faq, search
from knowledge.content import ContentSet, read_content
from knowledge.db import get_engine
from knowledge.models import (
    Base,
    Bedrag,
    ContactChannel,
    ContentVersion,
    Gemeente,
    Grondslag,
    Location,
    Organization,
    Regeling,
    RegelingRelatie,
    Service,
    ServiceAtLocation,
    Stadsdeel,
    Voorwaarde,
    Vraag,
)


@dataclass
class LoadResult:
    """What a load did."""

    changed: bool
    regelingen: int
    organisaties: int
    diensten: int
    content_hash: str
    warnings: list[str]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def create_schema(engine: Engine) -> None:
    """Create all tables (knowledge and search index) if they do not exist."""
    Base.metadata.create_all(engine)
    _add_missing_columns(engine)
    search.create_index_table(engine)


def _add_missing_columns(engine: Engine) -> None:
    """A database made before a nullable column was added (``vraag.antwoord_en``) gets it, so
    reading it does not fail before the next load fills it."""
    insp = inspect(engine)
    for table in Base.metadata.sorted_tables:
        if not insp.has_table(table.name):
            continue
        have = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name in have or not col.nullable:
                continue
            kind = col.type.compile(dialect=engine.dialect)
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {col.name} {kind}"))


def _clear(session: Session) -> None:
    for model in (
        Vraag,
        RegelingRelatie,
        Voorwaarde,
        Bedrag,
        Grondslag,
        ServiceAtLocation,
        ContactChannel,
        Location,
        Service,
        Regeling,
        Organization,
        Stadsdeel,
        Gemeente,
    ):
        session.execute(delete(model))


def _add_gemeenten(session: Session, cs: ContentSet) -> None:
    for gid, g in cs.gemeenten.items():
        gem = Gemeente(
            id=gid,
            naam=g["naam"],
            synoniemen=g.get("synoniemen", []),
            toegang_organisatie=g.get("toegang_organisatie"),
            website=g.get("website"),
            bron_url=g["bron_url"],
            laatst_gecontroleerd=_date(g["laatst_gecontroleerd"]),
        )
        gem.stadsdelen = [
            Stadsdeel(
                gemeente_id=gid,
                id=s["id"],
                naam=s["naam"],
                synoniemen=s.get("synoniemen", []),
                postcodes=s.get("postcodes", []),
            )
            for s in g.get("stadsdelen", [])
        ]
        session.add(gem)


def _add_organisaties(session: Session, cs: ContentSet) -> int:
    n_services = 0
    for oid, o in cs.organisaties.items():
        org = Organization(
            id=oid,
            naam=o["naam"],
            synoniemen=o.get("synoniemen", []),
            beschrijving=o["beschrijving"],
            soort=o["soort"],
            website=o.get("website"),
            email=o.get("email"),
            alleen_via_professional=bool(o.get("alleen_via_professional")),
            bron_url=o["bron_url"],
            bronnen=o.get("bronnen", []),
            laatst_gecontroleerd=_date(o["laatst_gecontroleerd"]),
            let_op=o.get("let_op"),
        )
        for pos, d in enumerate(o["diensten"]):
            area = d.get("gebied") or {}
            svc = Service(
                id=d["id"],
                pos=pos,
                naam=d["naam"],
                beschrijving=d["beschrijving"],
                beschrijving_en=d.get("beschrijving_en"),
                onderwerpen=d["onderwerpen"],
                doelgroepen=d["doelgroepen"],
                leeftijd_min=d.get("leeftijd_min"),
                leeftijd_max=d.get("leeftijd_max"),
                kosten=d.get("kosten"),
                talen=d.get("talen", []),
                meenemen=d.get("meenemen", []),
                openingstijden=d.get("openingstijden"),
                gemeente=area.get("gemeente"),
                stadsdelen=area.get("stadsdelen", []),
                postcodes=area.get("postcodes", []),
                regio=area.get("regio"),
                gerelateerde_regelingen=d.get("gerelateerde_regelingen", []),
                eerste_lijn=bool(d.get("eerste_lijn")),
            )
            svc.contacts = [
                ContactChannel(
                    pos=i,
                    soort=k["soort"],
                    waarde=str(k["waarde"]),
                    toelichting=k.get("toelichting"),
                )
                for i, k in enumerate(d["kanalen"])
            ]
            org.services.append(svc)
            n_services += 1
        session.add(org)
        session.flush()
        for o_d in o["diensten"]:
            for loc in o_d.get("locaties", []):
                location = Location(
                    naam=loc["naam"],
                    adres=loc.get("adres"),
                    postcode=loc.get("postcode"),
                    plaats=loc.get("plaats"),
                    stadsdeel=loc.get("stadsdeel"),
                )
                session.add(location)
                session.flush()
                session.add(ServiceAtLocation(service_id=o_d["id"], location_id=location.id))
    return n_services


def _add_regelingen(session: Session, cs: ContentSet) -> None:
    for rid, r in cs.regelingen.items():
        reg = Regeling(
            id=rid,
            naam=r["naam"],
            synoniemen=r.get("synoniemen", []),
            onderwerpen=r["onderwerpen"],
            doelgroepen=r["doelgroepen"],
            samenvatting_b1=r["samenvatting_b1"],
            voor_wie=r["voor_wie"],
            uitvoerder=r["uitvoerder"],
            uitvoerder_organisatie=r.get("uitvoerder_organisatie"),
            gemeente=r.get("gemeente"),
            lokale_variant_van=r.get("lokale_variant_van"),
            hoe_aanvragen=r["hoe_aanvragen"],
            volgende_stap=r["volgende_stap"],
            meenemen=r.get("meenemen", []),
            bron_url=r["bron_url"],
            bronnen=r.get("bronnen", []),
            peildatum=_date(r["peildatum"]),
            laatst_gecontroleerd=_date(r["laatst_gecontroleerd"]),
            geldig_vanaf=_date(r["geldig_vanaf"]),
            geldig_tot=_date(r.get("geldig_tot")),
            persoonlijk_advies=bool(r.get("persoonlijk_advies")),
            let_op=r.get("let_op"),
            naam_en=r.get("naam_en"),
            samenvatting_en=r.get("samenvatting_en"),
            hoe_aanvragen_en=r.get("hoe_aanvragen_en"),
            volgende_stap_en=r.get("volgende_stap_en"),
            let_op_en=r.get("let_op_en"),
        )
        reg.voorwaarden = [
            Voorwaarde(
                pos=i,
                soort=v["soort"],
                tekst=v["tekst"],
                veld=v.get("veld"),
                operator=v.get("operator"),
                waarde=v.get("waarde"),
                bedrag_cent=v.get("bedrag_cent"),
                huishouden=v.get("huishouden"),
                jaar=v.get("jaar"),
                bron_url=v.get("bron_url"),
            )
            for i, v in enumerate(r.get("voorwaarden", []))
        ]
        reg.bedragen = [
            Bedrag(
                pos=i,
                omschrijving=b["omschrijving"],
                bedrag_cent=b["bedrag_cent"],
                per=b["per"],
                jaar=b["jaar"],
                geldig_vanaf=_date(b.get("geldig_vanaf")),
                huishouden=b.get("huishouden"),
                bron_url=b["bron_url"],
            )
            for i, b in enumerate(r.get("bedragen", []))
        ]
        reg.grondslagen = [
            Grondslag(pos=i, wet=g["wet"], artikel=g.get("artikel"), url=g["url"])
            for i, g in enumerate(r.get("wettelijke_grondslag", []))
        ]
        session.add(reg)
    session.flush()
    for rid, r in cs.regelingen.items():
        for pos, other in enumerate(r.get("gerelateerd", [])):
            session.add(RegelingRelatie(regeling_id=rid, gerelateerd_id=other, pos=pos))


def _add_vragen(session: Session, cs: ContentSet) -> int:
    """Every record's frequently asked questions, keyed "<record>:<question id>"."""
    n = 0
    records = [("regeling", rid, r) for rid, r in cs.regelingen.items()]
    records += [("organisatie", oid, o) for oid, o in cs.organisaties.items()]
    for kind, rid, record in records:
        for q in record.get("vragen") or []:
            session.add(
                Vraag(
                    sleutel=f"{rid}:{q['id']}",
                    regeling_id=rid if kind == "regeling" else None,
                    organisatie_id=rid if kind == "organisatie" else None,
                    vraag=q["vraag"],
                    varianten=list(q["varianten"]),
                    antwoord=" ".join(str(q["antwoord"]).split()),
                    antwoord_en=" ".join(str(q["antwoord_en"]).split())
                    if q.get("antwoord_en")
                    else None,
                    facet=q.get("facet"),
                    doelgroep=q.get("doelgroep", "inwoner"),
                    bron_url=q["bron_url"],
                    peildatum=_date(q["peildatum"]),
                    jaar=q.get("jaar"),
                )
            )
            n += 1
    return n


def current_hash(engine: Engine) -> str | None:
    """Hash of the content in the database, or None when nothing was loaded."""
    create_schema(engine)
    with Session(engine, future=True) as session:
        row = session.execute(
            select(ContentVersion).order_by(ContentVersion.id.desc()).limit(1)
        ).scalar_one_or_none()
        return row.content_hash if row else None


#: Raised when what the loader writes changes (a new column): a database loaded from the same
#: content by an older loader is then loaded again instead of being taken as current.
LOADER_VERSION = "2"


def _load_hash(content_digest: str) -> str:
    """The recorded hash: the content and the loader version that wrote it."""
    return hashlib.sha256(f"{content_digest}:{LOADER_VERSION}".encode()).hexdigest()


def load(
    roots: list[Path] | None = None, engine: Engine | None = None, force: bool = False
) -> LoadResult:
    """Validate the content and load it in one transaction; raises ContentError on bad content."""
    engine = engine or get_engine()
    cs = read_content(roots)  # raises before the database is touched
    n_services = sum(len(o["diensten"]) for o in cs.organisaties.values())
    warnings = [str(w) for w in cs.warnings]
    loaded_as = _load_hash(cs.digest)
    if not force and current_hash(engine) == loaded_as:
        return LoadResult(
            False, len(cs.regelingen), len(cs.organisaties), n_services, cs.digest, warnings
        )
    create_schema(engine)
    with Session(engine, future=True) as session, session.begin():
        _clear(session)
        _add_gemeenten(session, cs)
        _add_organisaties(session, cs)
        _add_regelingen(session, cs)
        session.flush()
        _add_vragen(session, cs)
        session.flush()
        search.rebuild_index(session)
        session.add(
            ContentVersion(
                content_hash=loaded_as,
                loaded_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                regelingen=len(cs.regelingen),
                organisaties=len(cs.organisaties),
            )
        )
    search.invalidate_cache()
    faq.invalidate_cache()
    return LoadResult(
        True, len(cs.regelingen), len(cs.organisaties), n_services, cs.digest, warnings
    )
