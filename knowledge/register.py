"""Whether a message is written in staff register: law articles, legal terms, "mijn cliënt".

A buurtteam worker also uses the public chat. Such a question ("gehuwdennorm Pw AOW-leeftijd
2026, welk artikel?") wants the complete staff answer, with article and source, not the resident
summary; without switching the whole conversation to staff mode. The words are data
(``knowledge/medewerkertaal.yml``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from knowledge import yamlfile
from knowledge.text import normalize_text

MARKERS_FILE = Path(__file__).resolve().parent / "medewerkertaal.yml"


@lru_cache(maxsize=1)
def _markers() -> re.Pattern[str]:
    data = yamlfile.read(MARKERS_FILE) or {}
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in data["markers"]) + r")\b")


def speaks_staff(text: str) -> bool:
    """True when the message uses words a professional would, and a resident rarely does."""
    return bool(text) and bool(_markers().search(normalize_text(text).replace("-", " ")))
