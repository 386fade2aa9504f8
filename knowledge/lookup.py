"""Staff lookup on the shared ranker (issue #20 item 5).

The ranking is the bot's own (``KnowledgeService.search``, FTS5 with the reasons of each match).
On top of it, for staff: a place named in the query ("schulden in Noord") becomes the stadsdeel
or gemeente filter instead of a search word; with a stadsdeel chosen, help in that stadsdeel
comes before city-wide help of the same match strength and help for other stadsdelen is left
out; results are grouped (Regelingen / Hulp) with phone, area and opening hours; every reason is
plain Dutch; and each group says how many there are ("eerste 20 van 34").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import Gemeente
from knowledge.search import Hit
from knowledge.service import KnowledgeService
from knowledge.text import normalize_text
from knowledge.views import ServiceView

SHOWN = 20
ALL = 1000  # enough to count every match
# A match in the stadsdeel beats city-wide help of the same strength, never a stronger match:
# a full name match is worth 100 or more (knowledge/search.py), body text a few points.
LOCAL_BOOST = 30.0
FRONT_DOOR_BOOST = 2.0


@dataclass(frozen=True)
class Place:
    """A place named in a query, and the query without it."""

    gemeente: str | None
    stadsdeel: str | None
    naam: str
    rest: str


@dataclass
class Result:
    """One hit as staff see it."""

    kind: str
    ref: str
    naam: str
    url_id: str  # regulation id, or organisation id for a service
    waarom: str
    gebied: str
    telefoon: str | None = None
    website: str | None = None
    open: str | None = None
    alleen_via_professional: bool = False
    score: float = 0.0


@dataclass
class Group:
    titel: str
    kind: str
    results: list[Result] = field(default_factory=list)
    total: int = 0

    @property
    def count_label(self) -> str:
        """'eerste 20 van 34', or '3' when everything is shown."""
        shown = len(self.results)
        return f"eerste {shown} van {self.total}" if self.total > shown else str(self.total)


def tel_href(number: str) -> str:
    """A ``tel:`` link target: digits and a leading plus only."""
    digits = re.sub(r"[^0-9+]", "", number)
    return "tel:" + digits


_LINK_WORDS = {"in", "te", "bij", "uit", "de", "het", "voor", "rond", "omgeving", "regio"}


def _trim(words: list[str]) -> str:
    """Drop the little words a place leaves behind ('schulden in' -> 'schulden')."""
    while words and words[-1] in _LINK_WORDS:
        words = words[:-1]
    while words and words[0] in _LINK_WORDS:
        words = words[1:]
    return " ".join(words)


def find_place(kb: KnowledgeService, query: str) -> Place | None:
    """The stadsdeel (else gemeente) named in a query, and the query without any place names.
    None when no place is named, or when the query is nothing but the place (then it is a
    search for that place, not a filter)."""
    norm = f" {normalize_text(query)} "
    found: list[tuple[int, str, str | None, str, str]] = []  # (length, gemeente, sd, naam, key)
    with Session(kb.engine, future=True) as s:
        for gem in s.execute(select(Gemeente)).scalars():
            candidates = [
                (sd.id, sd.naam, n) for sd in gem.stadsdelen for n in [sd.naam, *sd.synoniemen]
            ]
            candidates += [(None, gem.naam, n) for n in [gem.naam, *gem.synoniemen]]
            for sd_id, naam, name in candidates:
                key = normalize_text(name)
                if key and f" {key} " in norm:
                    found.append((len(key), gem.id, sd_id, naam, key))
    if not found:
        return None
    rest = norm
    for *_, key in sorted(found, reverse=True):
        rest = rest.replace(f" {key} ", " ")
    _, gem_id, sd_id, naam, _ = max(found, key=lambda f: (f[2] is not None, f[0]))
    words = _trim(rest.split())
    return Place(gem_id, sd_id, naam, words) if words else None


_NOTE = (
    (re.compile(r"spelfout verbeterd: (\S+) -> (\S+)"), r"we lazen ‘\2’ voor ‘\1’"),
    (re.compile(r"samengesteld woord: (\S+) = (.+)"), r"‘\1’ gesplitst in \2"),
)


def _note(text: str) -> str:
    for pattern, plain in _NOTE:
        text = pattern.sub(plain, text)
    return text.replace(" + ", " en ")


def plain_reasons(reasons: list[str], extra: list[str] | None = None) -> str:
    """The ranker's reasons in plain Dutch, without repeats ('‘schulden’ staat in de naam')."""
    out: list[str] = []
    exact: set[str] = set()
    for r in reasons:
        label, _, rest = r.partition(": ")
        word, _, note = rest.partition(" (")
        note = f" ({_note(note.rstrip(')'))})" if note else ""
        if label == "exacte naam of synoniem":
            exact.update(word.split())
            out.append(f"heet precies ‘{word}’")
        elif label in ("naam", "synoniem", "tekst") and word in exact:
            continue
        elif label == "naam":
            out.append(f"‘{word}’ staat in de naam{note}")
        elif label == "synoniem":
            out.append(f"heet ook wel ‘{word}’{note}")
        elif label == "tekst":
            out.append(f"‘{word}’ staat in de beschrijving{note}")
        elif r.startswith("geldt in "):
            out.append(f"geldt in {r[9:].capitalize()}")
        else:
            out.append(r)
    out += extra or []
    text = "; ".join(dict.fromkeys(out))
    return text[:1].upper() + text[1:] + "." if text else ""


def plain_question_reasons(reasons: list[str]) -> str:
    """The question ranker's reasons (knowledge/faq.py) in plain Dutch."""
    out = []
    for r in reasons:
        if r.startswith("formulering "):
            try:
                out.append(f"lijkt {round(float(r.split()[1]) * 100)}% op je zoekvraag")
            except ValueError:
                out.append(r)
        elif r.startswith("genoemd: "):
            out.append(f"gaat over {r[9:]}, dat je noemde")
        elif r == "geen onderwerpwoord gedeeld":
            out.append("geen woord over het onderwerp gelijk")
        else:
            out.append(r)
    text = "; ".join(out)
    return text[:1].upper() + text[1:] + "." if text else ""


def _area(gemeente: str | None, stadsdelen: list[str], regio: str | None, names: dict) -> str:
    if stadsdelen:
        return ", ".join(names.get(s, s.capitalize()) for s in stadsdelen)
    if gemeente:
        return f"heel {names.get(gemeente, gemeente.capitalize())}"
    return regio or "landelijk"


def _names(kb: KnowledgeService) -> dict[str, str]:
    with Session(kb.engine, future=True) as s:
        names = {}
        for gem in s.execute(select(Gemeente)).scalars():
            names[gem.id] = gem.naam
            names.update({sd.id: sd.naam for sd in gem.stadsdelen})
    return names


@dataclass(frozen=True)
class _Context:
    stadsdeel: str | None
    names: dict[str, str]
    services: dict[str, ServiceView]
    org_phone: dict[str, str]
    org_site: dict[str, str]


def _context(kb: KnowledgeService, stadsdeel: str | None) -> _Context:
    services = kb.services_by_id()
    phones: dict[str, str] = {}
    sites: dict[str, str] = {}
    for svc in services.values():
        if svc.phone:
            phones.setdefault(svc.organisatie_id, svc.phone)
        if svc.website:
            sites.setdefault(svc.organisatie_id, svc.website)
    return _Context(stadsdeel, _names(kb), services, phones, sites)


def _result(kb: KnowledgeService, hit: Hit, ctx: _Context) -> Result | None:
    names, stadsdeel = ctx.names, ctx.stadsdeel
    if hit.kind == "regeling":
        reg = kb.regeling(hit.ref)
        if reg is None:
            return None
        org = reg.uitvoerder_organisatie or ""
        phone, website = ctx.org_phone.get(org), ctx.org_site.get(org)
        return Result(
            "regeling",
            hit.ref,
            reg.naam,
            reg.id,
            plain_reasons(hit.reasons),
            _area(reg.gemeente, [], None, names),
            telefoon=phone,
            website=website or reg.bron_url,
            score=hit.score,
        )
    svc = ctx.services.get(hit.ref)
    if svc is None:
        return None
    score, extra = hit.score, []
    if stadsdeel and stadsdeel in svc.stadsdelen:
        score += LOCAL_BOOST
        extra.append(f"in stadsdeel {names.get(stadsdeel, stadsdeel)}")
    if svc.eerste_lijn:
        score += FRONT_DOOR_BOOST
    return Result(
        "dienst",
        hit.ref,
        f"{svc.organisatie}: {svc.naam}",
        svc.organisatie_id,
        plain_reasons(hit.reasons, extra),
        _area(svc.gemeente, svc.stadsdelen, svc.regio, names),
        telefoon=svc.phone,
        website=svc.website,
        open=svc.openingstijden,
        alleen_via_professional=svc.alleen_via_professional,
        score=score,
    )


def lookup(
    kb: KnowledgeService,
    query: str,
    *,
    soort: str | None = None,
    gemeente: str | None = None,
    stadsdeel: str | None = None,
    doelgroep: str | None = None,
    onderwerp: str | None = None,
    shown: int = SHOWN,
) -> list[Group]:
    """Regelingen and Hulp for a staff query, each ranked, with its total count."""
    hits = kb.search(
        query,
        kind=soort if soort in ("regeling", "dienst") else None,
        gemeente=gemeente,
        stadsdeel=stadsdeel,
        doelgroep=doelgroep,
        onderwerp=onderwerp,
        limit=ALL,
    )
    ctx = _context(kb, stadsdeel)
    groups = [Group("Regelingen", "regeling"), Group("Hulp", "dienst")]
    for group in groups:
        results = [r for h in hits if h.kind == group.kind and (r := _result(kb, h, ctx))]
        results.sort(key=lambda r: -r.score)
        group.total = len(results)
        group.results = results[:shown]
    return [g for g in groups if g.total or soort in (None, "", g.kind)]
