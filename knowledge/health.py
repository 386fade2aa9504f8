"""Content health for editors and staff: what needs checking, and the values to filter on.

Stale means not checked for ``STALE_AFTER_DAYS`` (the same rule as ``kb validate``); an
organisation without a phone number is one where no service lists a ``telefoon`` channel.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.content import STALE_AFTER_DAYS
from knowledge.models import ContactChannel, Organization, Regeling, Service, Stadsdeel


def stale_entries(engine: Engine, today: dt.date | None = None) -> list[dict]:
    """Regulations and organisations not checked for more than 12 months, oldest first."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=STALE_AFTER_DAYS)
    with Session(engine, future=True) as s:
        regs = s.execute(
            select(Regeling.id, Regeling.naam, Regeling.laatst_gecontroleerd).where(
                Regeling.laatst_gecontroleerd < cutoff
            )
        ).all()
        orgs = s.execute(
            select(Organization.id, Organization.naam, Organization.laatst_gecontroleerd).where(
                Organization.laatst_gecontroleerd < cutoff
            )
        ).all()
    out = [{"soort": "regeling", "id": r[0], "naam": r[1], "gecontroleerd": r[2]} for r in regs]
    out += [{"soort": "organisatie", "id": o[0], "naam": o[1], "gecontroleerd": o[2]} for o in orgs]
    return sorted(out, key=lambda x: x["gecontroleerd"])


def organisations_without_phone(engine: Engine) -> list[dict]:
    """Organisations none of whose services lists a phone number."""
    with Session(engine, future=True) as s:
        with_phone = (
            select(Service.organization_id)
            .join(ContactChannel, ContactChannel.service_id == Service.id)
            .where(ContactChannel.soort == "telefoon")
        )
        rows = s.execute(
            select(
                Organization.id,
                Organization.naam,
                Organization.website,
                Organization.alleen_via_professional,
            )
            .where(Organization.id.not_in(with_phone))
            .order_by(Organization.naam)
        ).all()
    return [
        {"id": r[0], "naam": r[1], "website": r[2], "alleen_via_professional": bool(r[3])}
        for r in rows
    ]


def filter_options(engine: Engine) -> dict[str, list[str]]:
    """Distinct topics, target groups and districts, for the search filters."""
    onderwerpen: set[str] = set()
    doelgroepen: set[str] = set()
    with Session(engine, future=True) as s:
        for ond, doel in s.execute(select(Regeling.onderwerpen, Regeling.doelgroepen)):
            onderwerpen.update(ond or [])
            doelgroepen.update(doel or [])
        for ond, doel in s.execute(select(Service.onderwerpen, Service.doelgroepen)):
            onderwerpen.update(ond or [])
            doelgroepen.update(doel or [])
        stadsdelen = s.execute(select(Stadsdeel.id, Stadsdeel.naam).order_by(Stadsdeel.naam)).all()
    return {
        "onderwerpen": sorted(onderwerpen),
        "doelgroepen": sorted(doelgroepen),
        "stadsdelen": [(i, n) for i, n in stadsdelen],
    }
