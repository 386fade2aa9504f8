"""Aspects that sibling questions differ in (vermogen or inkomen, samen or alleen, ...).

The question ranker's word and character similarity sees "Tot welk vermogen krijgen we
zorgtoeslag?" as close to "Tot welk inkomen krijg ik zorgtoeslag?" as to the question it asks: the
two share every word but one. The aspect is the word that decides, so the ranker weighs it on its
own. The aspects are data (``knowledge/aspecten.yml``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from knowledge import yamlfile
from knowledge.text import normalize_text

ASPECTS_FILE = Path(__file__).resolve().parent / "aspecten.yml"


def _word_pattern(word: str) -> str:
    """A word or phrase; a part ending in * matches every word that starts with it; an entry
    starting with ``re:`` is a regular expression."""
    if str(word).startswith("re:"):
        return r"\b(?:" + str(word)[3:] + r")\b"
    parts = []
    for part in str(word).lower().split():
        stem = part.rstrip("*")
        parts.append(re.escape(stem) + (r"\w*" if part.endswith("*") else ""))
    return r"\b" + " ".join(parts) + r"\b"


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, re.Pattern[str]], dict[str, str]]:
    """Per aspect one pattern over the normalised text, and each aspect's opposite."""
    data = yamlfile.read(ASPECTS_FILE) or {}
    aspects = data.get("aspecten") or {}
    opposite = {str(k): str(v) for k, v in (data.get("tegenover") or {}).items()}
    for name, other in opposite.items():
        if name not in aspects or other not in aspects:
            raise ValueError(f"{ASPECTS_FILE.name}: tegenover {name}: {other} names no aspect")
    patterns = {
        str(name): re.compile("|".join(_word_pattern(w) for w in words))
        for name, words in aspects.items()
        if words
    }
    return patterns, opposite


def aspects_of(text: str) -> frozenset[str]:
    """The aspects a text names."""
    patterns, _ = _table()
    norm = normalize_text(text or "")
    return frozenset(name for name, rx in patterns.items() if rx.search(norm))


def opposite(aspect: str) -> str | None:
    """The aspect that excludes ``aspect`` (inkomen for vermogen), if any."""
    return _table()[1].get(aspect)
