"""Words the content does not use, added to a message before the question ranker scores it.

English ("how do i apply for ..."), staff shorthand ("gehuwdennorm pw 2026") and jargon: the
ranker compares a message with the content's Dutch questions, so without these words such
messages share too little with the question they ask. The words are data
(``knowledge/woordenlijst.yml``); they are added, never replaced, so a message keeps its own words.

Arabic script: ``normalize_text`` drops it, so the ``arabisch`` section is matched on a light
normalisation of the raw message that keeps Arabic letters (``arabic_fold``), with boundaries
suited to Arabic: a key may carry a prefix (و ب ل ال وال بال لل) and, from four letters on, may
start a longer word (ديون in ديوني).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from knowledge import yamlfile
from knowledge.text import normalize_text

GLOSSARY_FILE = Path(__file__).resolve().parent / "woordenlijst.yml"


ARABIC_SECTION = "arabisch"

# Arabic letters, also in the presentation-form blocks (NFKC folds those onto the base letters).
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Harakat, superscript alef, Quranic marks and the tatweel: not part of how a word is spelled.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",  # Persian keyboards: yeh and keheh
        "ک": "ك",
    }
)
# Prefixes Arabic writes onto a word: "and", "with", "for", the article and their combinations.
_ARABIC_PREFIX = "(?:وال|بال|لل|ال|و|ب|ل)"


def arabic_fold(text: str) -> str:
    """Light normalisation that keeps Arabic letters: lower case, no diacritics or tatweel,
    أ إ آ -> ا, ة -> ه, ى -> ي."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)


def _arabic_key(key: str) -> str:
    """The pattern of one folded Arabic key. Each word may carry a prefix (not a word of one or
    two letters: "لكم" is "to you", not "how much"); the last word of four letters or more may
    start a longer word, a shorter one must end where the word ends."""
    words = key.split()
    parts = []
    for i, word in enumerate(words):
        piece = re.escape(word)
        if len(word) >= 3:
            piece = f"{_ARABIC_PREFIX}?{piece}"
        if i == len(words) - 1 and len(word) < 4:
            piece += r"(?!\w)"
        parts.append(piece)
    return r"\s+".join(parts)


@lru_cache(maxsize=1)
def _sections() -> dict:
    """The glossary file's sections, read once."""
    return yamlfile.read(GLOSSARY_FILE) or {}


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    for name, section in _sections().items():
        if name == ARABIC_SECTION:
            continue
        for words, dutch in (section or {}).items():
            table[normalize_text(str(words))] = str(dutch)
    phrases = sorted(table, key=len, reverse=True)  # longest first: "debt help" before "debt"
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")
    return pattern, table


@lru_cache(maxsize=1)
def _arabic_table() -> tuple[re.Pattern[str] | None, list[str]]:
    """One pattern for all Arabic keys, longest first, each key its own group; the Dutch words
    per group number (group 1 is the first key)."""
    table: dict[str, str] = {}
    for words, dutch in (_sections().get(ARABIC_SECTION) or {}).items():
        key = " ".join(arabic_fold(str(words)).split())
        if key:
            table[key] = str(dutch)
    if not table:
        return None, []
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(f"({_arabic_key(k)})" for k in keys) + ")")
    return pattern, [table[k] for k in keys]


def _arabic_words(text: str) -> list[str]:
    """The Dutch words for the Arabic-script keys in a message, in order of the message."""
    if not _ARABIC.search(text):
        return []
    pattern, dutch = _arabic_table()
    if pattern is None:
        return []
    return [dutch[m.lastindex - 1] for m in pattern.finditer(arabic_fold(text)) if m.lastindex]


def added_words(text: str) -> list[str]:
    """The Dutch words the glossary adds for this message, in order, each once."""
    pattern, table = _table()
    out: list[str] = []
    found = [table[match.group(0)] for match in pattern.finditer(normalize_text(text))]
    for dutch in [*found, *_arabic_words(text)]:
        for word in dutch.split():
            if word not in out:
                out.append(word)
    return out


def expand(text: str) -> str:
    """The message with the glossary's Dutch words after it (the message itself when none)."""
    extra = added_words(text)
    return f"{text} {' '.join(extra)}" if extra else text
