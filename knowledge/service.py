"""The knowledge service: the only door actions and channels use into the knowledge base.

It turns questions ("wat is zorgtoeslag", "hulp bij schulden in Noord") into read-only views,
so actions stay thin and never see SQL.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from knowledge import faq, misses, search
from knowledge.db import get_engine
from knowledge.models import Gemeente, Organization, Regeling, Service
from knowledge.views import (
    Amount,
    Channel,
    Condition,
    LegalBasis,
    Location,
    RegelingView,
    ServiceView,
)

DEFAULT_GEMEENTE = "amsterdam"
# A regulation hit must match at least this well before we say "you mean X".
MIN_REGELING_SCORE = 1.0


def _regeling_view(reg: Regeling) -> RegelingView:
    return RegelingView(
        id=reg.id,
        naam=reg.naam,
        samenvatting_b1=reg.samenvatting_b1,
        voor_wie=reg.voor_wie,
        doelgroepen=list(reg.doelgroepen),
        onderwerpen=list(reg.onderwerpen),
        uitvoerder=reg.uitvoerder,
        uitvoerder_organisatie=reg.uitvoerder_organisatie,
        gemeente=reg.gemeente,
        hoe_aanvragen=reg.hoe_aanvragen,
        volgende_stap=reg.volgende_stap,
        meenemen=list(reg.meenemen),
        bron_url=reg.bron_url,
        peildatum=reg.peildatum,
        laatst_gecontroleerd=reg.laatst_gecontroleerd,
        geldig_vanaf=reg.geldig_vanaf,
        geldig_tot=reg.geldig_tot,
        persoonlijk_advies=reg.persoonlijk_advies,
        let_op=reg.let_op,
        voorwaarden=[
            Condition(
                v.soort,
                v.tekst,
                v.veld,
                v.operator,
                v.waarde,
                v.bedrag_cent,
                v.huishouden,
                v.jaar,
                v.bron_url,
            )
            for v in reg.voorwaarden
        ],
        bedragen=[
            Amount(b.omschrijving, b.bedrag_cent, b.per, b.jaar, b.huishouden, b.bron_url)
            for b in reg.bedragen
        ],
        grondslagen=[LegalBasis(g.wet, g.artikel, g.url) for g in reg.grondslagen],
        gerelateerd=[(r.id, r.naam) for r in reg.gerelateerd],
        naam_en=reg.naam_en,
        samenvatting_en=reg.samenvatting_en,
        hoe_aanvragen_en=reg.hoe_aanvragen_en,
        volgende_stap_en=reg.volgende_stap_en,
        let_op_en=reg.let_op_en,
    )


def _service_view(svc: Service) -> ServiceView:
    org = svc.organization
    return ServiceView(
        id=svc.id,
        naam=svc.naam,
        beschrijving=svc.beschrijving,
        organisatie_id=org.id,
        organisatie=org.naam,
        organisatie_soort=org.soort,
        website=org.website,
        gemeente=svc.gemeente,
        stadsdelen=list(svc.stadsdelen),
        regio=svc.regio,
        onderwerpen=list(svc.onderwerpen),
        doelgroepen=list(svc.doelgroepen),
        kosten=svc.kosten,
        openingstijden=svc.openingstijden,
        kanalen=[Channel(c.soort, c.waarde, c.toelichting) for c in svc.contacts],
        locaties=[
            Location(loc.naam, loc.adres, loc.plaats, loc.stadsdeel) for loc in svc.locations
        ],
        alleen_via_professional=org.alleen_via_professional,
        eerste_lijn=svc.eerste_lijn,
        let_op=org.let_op,
        bron_url=org.bron_url,
        laatst_gecontroleerd=org.laatst_gecontroleerd,
        beschrijving_en=svc.beschrijving_en,
    )


class KnowledgeService:
    """Read access to regulations and the social map for one database."""

    #: Regulation views are immutable; a short cache saves ~9 ms of queries per view in actions
    #: that show related regulations. A reload of the content is visible within this many seconds.
    CACHE_SECONDS = 60.0

    def __init__(self, engine: Engine | None = None):
        self.engine = engine or get_engine()
        self._cache: dict[str, tuple[float, RegelingView | None]] = {}
        self._services_cache: tuple[float, list[ServiceView]] | None = None

    def _session(self) -> Session:
        return Session(self.engine, future=True)

    @property
    def index(self) -> search.SearchIndex:
        return search.get_index(self.engine)

    # --- regulations -------------------------------------------------------------------------
    def regeling(self, regeling_id: str) -> RegelingView | None:
        """One regulation by id, or None (cached for :attr:`CACHE_SECONDS`)."""
        hit = self._cache.get(regeling_id)
        now = time.monotonic()
        if hit and now - hit[0] < self.CACHE_SECONDS:
            return hit[1]
        view = self._load_regeling(regeling_id)
        self._cache[regeling_id] = (now, view)
        return view

    def _load_regeling(self, regeling_id: str) -> RegelingView | None:
        with self._session() as s:
            reg = s.execute(
                select(Regeling)
                .where(Regeling.id == regeling_id)
                .options(
                    selectinload(Regeling.voorwaarden),
                    selectinload(Regeling.bedragen),
                    selectinload(Regeling.grondslagen),
                    selectinload(Regeling.gerelateerd),
                )
            ).scalar_one_or_none()
            if reg is None:
                return None
            view = _regeling_view(reg)
        return self._inherit(view, reg.lokale_variant_van)

    def _inherit(self, view: RegelingView, national_id: str | None) -> RegelingView:
        """A local variant keeps what it says itself and takes the national amounts and legal
        basis it leaves out ("hoeveel bijstand in Amsterdam" is the national norm)."""
        if not national_id or (view.bedragen and view.grondslagen):
            return view
        national = self.regeling(national_id)
        if national is None:
            return view
        return replace(
            view,
            bedragen=view.bedragen or national.bedragen,
            grondslagen=view.grondslagen or national.grondslagen,
        )

    def find_regeling(
        self, query: str, gemeente: str | None = DEFAULT_GEMEENTE
    ) -> RegelingView | None:
        """The regulation a free-text question is about, or None when nothing matches well."""
        # Numbers ("en als ik 21 ben") are ages or amounts, never a regulation's name.
        query = re.sub(r"\b\d+\b", " ", query)
        if not query.strip():
            return None
        hits = self.index.search(query, kind="regeling", gemeente=gemeente, limit=1)
        if not hits or hits[0].score < MIN_REGELING_SCORE:
            return None
        # Only a match on the name or a synonym names a regulation; body text alone is a guess.
        if not any(r.startswith(("naam:", "synoniem:")) for r in hits[0].reasons):
            return None
        return self.regeling(hits[0].ref)

    def search(self, query: str, *, record_miss: bool = False, **filters) -> list[search.Hit]:
        """Ranked hits over regulations and services with the reason for each match.

        ``record_miss``: count a resident's search that found nothing (content health page).
        """
        hits = self.index.search(query, **filters)
        if record_miss and not hits:
            misses.record(self.engine, query, filters.get("kind"))
        return hits

    # --- frequently asked questions ----------------------------------------------------------
    def ask(
        self,
        text: str,
        *,
        named: dict[str, set[str]] | None = None,
        focus: str | None = None,
        gemeente: str | None = DEFAULT_GEMEENTE,
        staff: bool = False,
        english: bool = False,
        limit: int = 3,
    ) -> list[faq.VraagHit]:
        """The frequently asked questions a message most likely asks, best first (see faq.py)."""
        index = faq.get_question_index(self.engine)
        return index.rank(
            text,
            named=named,
            focus=focus,
            gemeente=gemeente,
            staff=staff,
            english=english,
            limit=limit,
        )

    # --- social map --------------------------------------------------------------------------
    def service(self, service_id: str) -> ServiceView | None:
        with self._session() as s:
            svc = s.execute(
                select(Service)
                .where(Service.id == service_id)
                .options(selectinload(Service.contacts), selectinload(Service.locations))
            ).scalar_one_or_none()
            return _service_view(svc) if svc else None

    def organisation_services(self, organisation_id: str) -> list[ServiceView]:
        with self._session() as s:
            rows = s.execute(
                select(Service)
                .where(Service.organization_id == organisation_id)
                .order_by(Service.pos)
            ).scalars()
            return [_service_view(r) for r in rows]

    def _all_services(self) -> list[ServiceView]:
        """Every service as a view (cached like regulations: the social map is small and static)."""
        hit = self._services_cache
        now = time.monotonic()
        if hit and now - hit[0] < self.CACHE_SECONDS:
            return hit[1]
        with self._session() as s:
            rows = (
                s.execute(
                    select(Service)
                    .join(Organization)
                    .options(selectinload(Service.contacts), selectinload(Service.locations))
                )
                .scalars()
                .all()
            )
            views = [_service_view(r) for r in rows]
        self._services_cache = (now, views)
        return views

    def services_by_id(self) -> dict[str, ServiceView]:
        """Every service by id (from the same short cache as :meth:`help_for`)."""
        return {v.id: v for v in self._all_services()}

    def help_for(
        self,
        onderwerp: str,
        gemeente: str | None = DEFAULT_GEMEENTE,
        stadsdeel: str | None = None,
        limit: int = 3,
        include_professional: bool = False,
    ) -> list[ServiceView]:
        """Services for a need in an area: front doors first, local before national, phone first."""
        toegang = None
        if gemeente:
            with self._session() as s:
                gem = s.get(Gemeente, gemeente)
                toegang = gem.toegang_organisatie if gem else None
        views = self._all_services()
        out = []
        for v in views:
            if onderwerp not in v.onderwerpen:
                continue
            if v.gemeente not in (None, gemeente) or (v.gemeente is None and v.regio):
                continue
            if stadsdeel and v.stadsdelen and stadsdeel not in v.stadsdelen:
                continue
            if v.alleen_via_professional and not include_professional:
                continue
            if v.organisatie_soort == "crisislijn" and onderwerp != "crisis":
                continue
            out.append(v)
        out.sort(
            key=lambda v: (
                not v.eerste_lijn,
                v.organisatie_id != toegang,
                v.gemeente is None,
                v.phone is None,
                v.organisatie,
            )
        )
        return out[:limit]

    def gemeenten(self) -> list[tuple[str, str]]:
        with self._session() as s:
            return [
                (g.id, g.naam)
                for g in s.execute(select(Gemeente).order_by(Gemeente.naam)).scalars()
            ]


def default_service() -> KnowledgeService:
    """Process-wide service on the configured database (``BW_DATABASE_URL``)."""
    return _service_for(get_engine())


@lru_cache(maxsize=8)
def _service_for(engine: Engine) -> KnowledgeService:
    return KnowledgeService(engine)
