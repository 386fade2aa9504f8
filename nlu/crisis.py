"""Crisis safety net: runs on every message, independent of the intent classifier.

Patterns live in ``bot/crisis_patronen.yml``. The detector is plain Python so it can run inside
the Rasa pipeline (``nlu.components.CrisisDetector``, the last component, where it overrides the classifier's intent with
``crisis``) and anywhere else a message arrives. Recall comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.text import normalize_text

PATTERNS_FILE = Path(__file__).resolve().parent.parent / "bot" / "crisis_patronen.yml"


@dataclass(frozen=True)
class CrisisSignal:
    categorie: str
    pattern: str


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf8"))
    out = []
    for categorie, patterns in data["categorieen"].items():
        for p in patterns:
            out.append((categorie, re.compile(rf"\b(?:{p})\b")))
    return out


def detect(text: str) -> CrisisSignal | None:
    """The first (most urgent) crisis category the text matches, or None."""
    if not text:
        return None
    norm = normalize_text(text[:5000]).replace("'", " ")
    for categorie, rx in _compiled():
        if rx.search(norm):
            return CrisisSignal(categorie, rx.pattern)
    return None
