"""Words the content does not use, added to a message before the question ranker scores it.

English ("how do i apply for ..."), staff shorthand ("gehuwdennorm pw 2026") and jargon: the
ranker compares a message with the content's Dutch questions, so without these words such
messages share too little with the question they ask. The words are data
(``knowledge/woordenlijst.yml``); they are added, never replaced, so a message keeps its own words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from knowledge import yamlfile
from knowledge.text import normalize_text

GLOSSARY_FILE = Path(__file__).resolve().parent / "woordenlijst.yml"


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern[str], dict[str, str]]:
    data = yamlfile.read(GLOSSARY_FILE) or {}
    table: dict[str, str] = {}
    for section in data.values():
        for words, dutch in (section or {}).items():
            table[normalize_text(str(words))] = str(dutch)
    phrases = sorted(table, key=len, reverse=True)  # longest first: "debt help" before "debt"
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")
    return pattern, table


def added_words(text: str) -> list[str]:
    """The Dutch words the glossary adds for this message, in order, each once."""
    pattern, table = _table()
    out: list[str] = []
    for match in pattern.finditer(normalize_text(text)):
        for word in table[match.group(0)].split():
            if word not in out:
                out.append(word)
    return out


def expand(text: str) -> str:
    """The message with the glossary's Dutch words after it (the message itself when none)."""
    extra = added_words(text)
    return f"{text} {' '.join(extra)}" if extra else text
