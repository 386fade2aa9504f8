"""Free-text search over regulations and the social map.

SQLite FTS5 does the ranking (bm25 with name and synonyms weighted above the body text). Before
a query reaches FTS5 it is normalised the Dutch way: chat spellings, lemmas (schulden -> schuld),
compounds split into known words (zorgverzekeringspremie -> zorgverzekering + premie) and typos
corrected against the index vocabulary (zorgtoelsag -> zorgtoeslag). Every hit says why it matched.
Other databases (PostgreSQL when scaled out) use the same documents with a small Python scorer.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.engine_cache import PerEngine
from knowledge.models import Organization, Regeling, Service
from knowledge.text import STOPWORDS, lemma, normalize_text, split_compound

TABLE = "search_fts"
_COLUMNS = "kind, ref, gemeente, onderwerpen, doelgroepen, stadsdelen, naam, synoniemen, tekst"
_WEIGHTS = {"naam": 10.0, "synoniemen": 6.0, "tekst": 1.0}
_TOKEN_OK = re.compile(r"^[a-z0-9]+$")


@dataclass
class Hit:
    """One search result with the reasons it matched."""

    kind: str  # "regeling" or "dienst"
    ref: str
    naam: str
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class _QueryTerm:
    original: str
    forms: list[str]
    note: str | None = None  # e.g. "spelfout: zorgtoelsag -> zorgtoeslag"


def create_index_table(engine: Engine) -> None:
    """Create the search table: FTS5 on SQLite, a plain table elsewhere."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({_COLUMNS.replace('kind, ref, gemeente, onderwerpen, doelgroepen, stadsdelen', 'kind UNINDEXED, ref UNINDEXED, gemeente UNINDEXED, onderwerpen UNINDEXED, doelgroepen UNINDEXED, stadsdelen UNINDEXED')}, "
                    "tokenize='unicode61 remove_diacritics 2')"
                )
            )
        else:
            conn.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {TABLE} (kind VARCHAR(16), ref VARCHAR(64), gemeente VARCHAR(64), "
                    "onderwerpen TEXT, doelgroepen TEXT, stadsdelen TEXT, naam TEXT, synoniemen TEXT, tekst TEXT)"
                )
            )


def _expand_words(words: list[str], vocab: set[str] | None = None) -> list[str]:
    """Index-side expansion: each word plus its lemma and, when known, its compound parts."""
    out: list[str] = []
    for w in words:
        out.append(w)
        lem = lemma(w)
        if lem != w:
            out.append(lem)
        if vocab is not None:
            parts = split_compound(w, vocab)
            if parts:
                out.extend(parts)
    return out


def _documents(session: Session) -> list[dict[str, str]]:
    docs: list[dict[str, str]] = []
    for reg in session.execute(_select_regelingen()).scalars():
        body = " ".join(
            [
                reg.samenvatting_b1,
                reg.voor_wie,
                reg.uitvoerder,
                " ".join(v.tekst for v in reg.voorwaarden),
                " ".join(reg.onderwerpen).replace("_", " "),
                " ".join(reg.doelgroepen).replace("_", " "),
            ]
        )
        docs.append(
            {
                "kind": "regeling",
                "ref": reg.id,
                "gemeente": reg.gemeente or "",
                "onderwerpen": " ".join(reg.onderwerpen),
                "doelgroepen": " ".join(reg.doelgroepen),
                "stadsdelen": "",
                "naam": reg.naam,
                "synoniemen": " ; ".join(reg.synoniemen),
                "tekst": body,
            }
        )
    for svc in session.execute(_select_services()).scalars():
        org = svc.organization
        body = " ".join(
            [
                svc.beschrijving,
                org.beschrijving,
                " ".join(svc.onderwerpen).replace("_", " "),
                " ".join(svc.doelgroepen).replace("_", " "),
                " ".join(svc.stadsdelen),
            ]
        )
        docs.append(
            {
                "kind": "dienst",
                "ref": svc.id,
                "gemeente": svc.gemeente or ("regio" if svc.regio else ""),
                "onderwerpen": " ".join(svc.onderwerpen),
                "doelgroepen": " ".join(svc.doelgroepen),
                "stadsdelen": " ".join(svc.stadsdelen),
                "naam": f"{org.naam} {svc.naam}",
                "synoniemen": " ; ".join(org.synoniemen),
                "tekst": body,
            }
        )
    return docs


def _select_regelingen():
    from sqlalchemy import select

    return select(Regeling).order_by(Regeling.id)


def _select_services():
    from sqlalchemy import select

    return select(Service).join(Organization).order_by(Service.id)


def rebuild_index(session: Session) -> None:
    """Rebuild the search documents from the loaded content (inside the caller's transaction)."""
    docs = _documents(session)
    vocab = {
        w
        for d in docs
        for col in ("naam", "synoniemen", "tekst")
        for w in normalize_text(d[col]).split()
        if len(w) >= 3
    }
    session.execute(text(f"DELETE FROM {TABLE}"))
    rows = []
    for d in docs:
        row = dict(d)
        for col in ("naam", "synoniemen", "tekst"):
            row[col] = " ".join(_expand_words(normalize_text(d[col]).split(), vocab))
        row["display"] = d["naam"]
        rows.append(row)
    if rows:
        session.execute(
            text(
                f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES (:kind, :ref, :gemeente, :onderwerpen, :doelgroepen, :stadsdelen, :naam, :synoniemen, :tekst)"
            ),
            rows,
        )


class SearchIndex:
    """Query side of the search. Holds the vocabulary and display names; one per content version."""

    def __init__(self, engine: Engine):
        self.engine = engine
        with engine.connect() as conn:
            rows = conn.execute(
                text(f"SELECT kind, ref, gemeente, naam, synoniemen, tekst FROM {TABLE}")
            ).all()
        self.area = {(r.kind, r.ref): r.gemeente for r in rows}
        self.docs = {
            (r.kind, r.ref): {
                "naam": set(r.naam.split()),
                "synoniemen": set(r.synoniemen.split()),
                "tekst": set(r.tekst.split()),
            }
            for r in rows
        }
        self.vocab: set[str] = set()
        for d in self.docs.values():
            for col in d.values():
                self.vocab |= col
        self._vocab_list = sorted(w for w in self.vocab if len(w) >= 4)
        self._display, self._phrases = self._load_names()

    def _load_names(self) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], set[str]]]:
        """Display names, and the normalised name/synonym phrases used for exact-match boosts."""
        from sqlalchemy import select

        display: dict[tuple[str, str], str] = {}
        phrases: dict[tuple[str, str], set[str]] = {}
        with Session(self.engine, future=True) as s:
            for reg in s.execute(select(Regeling.id, Regeling.naam, Regeling.synoniemen)):
                display[("regeling", reg.id)] = reg.naam
                phrases[("regeling", reg.id)] = {
                    normalize_text(x) for x in [reg.naam, *reg.synoniemen]
                }
            for svc in s.execute(
                select(
                    Service.id,
                    Service.naam,
                    Organization.naam.label("org"),
                    Organization.synoniemen.label("syn"),
                ).join(Organization)
            ):
                display[("dienst", svc.id)] = f"{svc.org}: {svc.naam}"
                phrases[("dienst", svc.id)] = {normalize_text(x) for x in [svc.org, *svc.syn]}
        return display, phrases

    def analyse(self, query: str) -> list[_QueryTerm]:
        """Turn a query into terms with their search forms and any correction made."""
        terms: list[_QueryTerm] = []
        for w in normalize_text(query).split():
            if w in STOPWORDS or len(w) < 2 or not _TOKEN_OK.match(w):
                continue
            forms = [w]
            lem = lemma(w)
            if lem != w and _TOKEN_OK.match(lem):
                forms.append(lem)
            note = None
            if not any(f in self.vocab or self._has_prefix(f) for f in forms):
                parts = split_compound(w, self.vocab)
                if parts:
                    forms = parts
                    note = f"samengesteld woord: {w} = {' + '.join(parts)}"
                elif len(w) >= 4:
                    close = difflib.get_close_matches(w, self._vocab_list, n=2, cutoff=0.8)
                    if close:
                        forms = close
                        note = f"spelfout verbeterd: {w} -> {close[0]}"
            terms.append(_QueryTerm(w, forms, note))
        return terms

    def _has_prefix(self, form: str) -> bool:
        if len(form) < 4:
            return False
        import bisect

        i = bisect.bisect_left(self._vocab_list, form)
        return i < len(self._vocab_list) and self._vocab_list[i].startswith(form)

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        gemeente: str | None = None,
        onderwerp: str | None = None,
        doelgroep: str | None = None,
        stadsdeel: str | None = None,
        limit: int = 5,
    ) -> list[Hit]:
        """Ranked hits for a free-text query, filtered by kind, area, topic and target group."""
        terms = self.analyse(query)
        if not terms:
            return []
        filters, params = [], {}
        if kind:
            filters.append("kind = :kind")
            params["kind"] = kind
        if gemeente:
            filters.append("(gemeente = '' OR gemeente = :gemeente)")
            params["gemeente"] = gemeente
        for col, value in (
            ("onderwerpen", onderwerp),
            ("doelgroepen", doelgroep),
            ("stadsdelen", stadsdeel),
        ):
            if value:
                filters.append(f"(' ' || {col} || ' ') LIKE :{col}")
                params[col] = f"% {value} %"
        if stadsdeel:
            filters[-1] = f"({filters[-1]} OR stadsdelen = '')"
        if self.engine.dialect.name == "sqlite":
            rows = self._fts(terms, filters, params, limit * 4)
        else:
            rows = self._python_rank(terms, filters, params, limit * 4)
        hits = [self._explain(kind_, ref, score, terms, gemeente) for kind_, ref, score in rows]
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def _fts(
        self, terms: list[_QueryTerm], filters: list[str], params: dict, limit: int
    ) -> list[tuple[str, str, float]]:
        alts = []
        for t in terms:
            for f in t.forms:
                alts.append(f'"{f}"*' if len(f) >= 4 else f'"{f}"')
        match = " OR ".join(dict.fromkeys(alts))
        where = " AND ".join([f"{TABLE} MATCH :match", *filters])
        w = _WEIGHTS
        sql = (
            f"SELECT kind, ref, bm25({TABLE}, 0, 0, 0, 0, 0, 0, {w['naam']}, {w['synoniemen']}, {w['tekst']}) AS rank "
            f"FROM {TABLE} WHERE {where} ORDER BY rank LIMIT :limit"
        )
        with self.engine.connect() as conn:
            rows = conn.execute(text(sql), {**params, "match": match, "limit": limit}).all()
        return [(r.kind, r.ref, -float(r.rank)) for r in rows]

    def _python_rank(
        self, terms: list[_QueryTerm], filters: list[str], params: dict, limit: int
    ) -> list[tuple[str, str, float]]:
        where = (" WHERE " + " AND ".join(filters)) if filters else ""
        with self.engine.connect() as conn:
            allowed = {
                (r.kind, r.ref)
                for r in conn.execute(text(f"SELECT kind, ref FROM {TABLE}{where}"), params).all()
            }
        scored = []
        for key in allowed:
            score = sum(
                _WEIGHTS[col]
                for t in terms
                for col, words in self.docs[key].items()
                if any(any(x == f or x.startswith(f) for x in words) for f in t.forms)
            )
            if score:
                scored.append((key[0], key[1], float(score)))
        scored.sort(key=lambda x: -x[2])
        return scored[:limit]

    def _explain(
        self,
        kind: str,
        ref: str,
        score: float,
        terms: list[_QueryTerm],
        gemeente: str | None = None,
    ) -> Hit:
        doc = self.docs.get((kind, ref), {})
        reasons: list[str] = []
        matched_name = 0
        for t in terms:
            for col, label in (("naam", "naam"), ("synoniemen", "synoniem"), ("tekst", "tekst")):
                words = doc.get(col, set())
                hit = next(
                    (
                        f
                        for f in t.forms
                        if f in words or any(x.startswith(f) for x in words if len(f) >= 4)
                    ),
                    None,
                )
                if hit:
                    reasons.append(f"{label}: {hit}" + (f" ({t.note})" if t.note else ""))
                    matched_name += col != "tekst"
                    break
        # Everything the resident asked for is in the name or a synonym: that is the answer.
        if terms and matched_name == len(terms):
            score += 100.0
            # ... and the exact name or synonym, word for word, is the best answer of all.
            asked = " ".join(t.forms[0] for t in terms)
            if asked in self._phrases.get((kind, ref), set()):
                score += 50.0
                reasons.insert(0, f"exacte naam of synoniem: {asked}")
            # The resident's own gemeente's version beats the national frame it fills in.
            if gemeente and self.area.get((kind, ref)) == gemeente:
                score += 60.0
                reasons.append(f"geldt in {gemeente}")
        return Hit(kind, ref, self._display.get((kind, ref), ref), score, reasons)


_indexes: PerEngine[SearchIndex] = PerEngine(SearchIndex)


def get_index(engine: Engine) -> SearchIndex:
    """The index for this engine, built once per process and content version."""
    return _indexes.get(engine)


def invalidate_cache() -> None:
    """Forget cached indexes (after a content load)."""
    _indexes.clear()
