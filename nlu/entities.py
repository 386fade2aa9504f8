"""Entities from the knowledge base: regulations, organisations, gemeenten and stadsdelen.

A spaCy ``PhraseMatcher`` (on ``spacy.blank("nl")``) matches names and synonyms from
``knowledge/content`` over normalised lemmas, so "huurtoeslagen", "Huur toeslag" and
"zorgtoelsag" (a typo, via a close-match pass over single words) all find their record. New
content is recognised after a restart, without new training examples. Ages, amounts and months
come from :mod:`nlu.numbers`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from knowledge.content import read_content
from knowledge.text import STOPWORDS, lemma, normalize_token
from nlu import numbers

TYPO_CUTOFF = 0.86
MIN_TYPO_LEN = 6


@dataclass(frozen=True)
class Match:
    entity: str
    value: str
    start: int
    end: int
    text: str
    confidence: float

    def as_rasa(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "confidence_entity": self.confidence,
            "extractor": "KnowledgeEntityMatcher",
        }


class KnowledgeMatcher:
    """Finds knowledge-base entities in a message; longest match wins, national before local."""

    def __init__(self, entries: list[tuple[str, str, str]] | None = None) -> None:
        """``entries``: (kind, id, phrase); by default every name in ``knowledge/content``."""
        self.nlp = spacy.blank("nl")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self.labels: dict[str, list[tuple[str, str]]] = {}
        self.single: dict[str, list[tuple[str, str]]] = {}
        cs = read_content()
        content = cs.regelingen
        local = {rid for rid, r in content.items() if r.get("gemeente")}
        variants: dict[str, list[str]] = {}
        for rid, r in sorted(content.items()):
            if r.get("lokale_variant_van"):
                variants.setdefault(r["lokale_variant_van"], []).append(rid)
        for kind, rid, phrase in sorted(entries if entries is not None else cs.names()):
            doc = self._doc(phrase)
            norms = [t.norm_ for t in doc]
            if not norms or (len(norms) == 1 and (len(norms[0]) < 3 or norms[0] in STOPWORDS)):
                continue
            key = " ".join(norms)
            targets = self.labels.setdefault(key, [])
            if (kind, rid) not in targets:
                targets.append((kind, rid))
                for variant in variants.get(rid, []) if kind == "regeling" else []:
                    if (kind, variant) not in targets:
                        targets.append((kind, variant))
                # national regulations first: the action picks the local variant by gemeente
                targets.sort(key=lambda t: (t[0] != "regeling", t[1] in local))
                self.matcher.add(key, [doc])
            if len(norms) == 1 and len(key) >= MIN_TYPO_LEN:
                self.single[key] = targets

    def _doc(self, text: str) -> Doc:
        doc = self.nlp.make_doc(text)
        for tok in doc:
            tok.norm_ = lemma(normalize_token(tok.text)) or tok.lower_
        return doc

    def candidates(self, text: str, entity: str) -> list[list[str]]:
        """For each match of one entity type: every record the phrase can mean (national first)."""
        out = []
        for m in self.find(text):
            if m.entity != entity:
                continue
            key = " ".join(t.norm_ for t in self._doc(m.text))
            ids = [rid for kind, rid in self.labels.get(key, []) if kind == entity]
            out.append(ids or [m.value])
        return out

    def find(self, text: str) -> list[Match]:
        """All non-overlapping matches, longest first, then typo matches on leftover words."""
        doc = self._doc(text)
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = self.nlp.vocab.strings[match_id]
            spans.append((end - start, start, end, key))
        taken: set[int] = set()
        found: list[Match] = []
        for _, start, end, key in sorted(spans, key=lambda s: (-s[0], s[1])):
            if taken & set(range(start, end)):
                continue
            taken.update(range(start, end))
            span = doc[start:end]
            kind, rid = self.labels[key][0]
            found.append(Match(kind, rid, span.start_char, span.end_char, span.text, 1.0))
        for tok in doc:
            if tok.i in taken or len(tok.norm_) < MIN_TYPO_LEN or not tok.is_alpha:
                continue
            close = difflib.get_close_matches(tok.norm_, self.single, n=1, cutoff=TYPO_CUTOFF)
            if close:
                kind, rid = self.single[close[0]][0]
                end = tok.idx + len(tok.text)
                found.append(Match(kind, rid, tok.idx, end, tok.text, 0.8))
        return sorted(found, key=lambda m: m.start)


@lru_cache(maxsize=1)
def default_matcher() -> KnowledgeMatcher:
    return KnowledgeMatcher()


def number_entities(text: str) -> list[dict[str, Any]]:
    """Age and amount entities (amounts only when the text clearly speaks of money)."""
    out: list[dict[str, Any]] = []
    age = numbers.parse_age(text)
    if age is not None:
        out.append({"entity": "leeftijd", "value": age, "extractor": "KnowledgeEntityMatcher"})
    if numbers.has_amount_hint(text):
        cents = numbers.parse_amount(text)
        if cents is not None:
            out.append({"entity": "bedrag", "value": cents, "extractor": "KnowledgeEntityMatcher"})
    return out


def extract(text: str) -> list[dict[str, Any]]:
    """Every entity for a message, in Rasa's entity format."""
    return [m.as_rasa() for m in default_matcher().find(text)] + number_entities(text)
