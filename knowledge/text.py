"""Dutch text normalisation shared by the NLU pipeline and knowledge search.

Residents type on their phones: no capitals, accents dropped or added, chat spellings ("ff",
"wrm") and typos. Normalising the same way at training, at run time and in search keeps
all three in line. This module is deliberately free of spaCy/TensorFlow imports so the action
server and the knowledge CLI stay fast to start.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# Common chat spellings in Dutch messages -> the full word. Kept small and unambiguous.
CHAT_SPELLINGS: dict[str, str] = {
    "ff": "even",
    "effe": "even",
    "wrm": "waarom",
    "wrom": "waarom",
    "idd": "inderdaad",
    "mss": "misschien",
    "miss": "misschien",
    "msschien": "misschien",
    "k": "ik",
    "kben": "ik ben",
    "kheb": "ik heb",
    "kweet": "ik weet",
    "kzie": "ik zie",
    "kwil": "ik wil",
    "kga": "ik ga",
    "kzit": "ik zit",
    "kmoet": "ik moet",
    "kkan": "ik kan",
    "gister": "gisteren",
    "wt": "wat",
    "wa": "wat",
    "nie": "niet",
    "nt": "niet",
    "nix": "niks",
    "tog": "toch",
    "egt": "echt",
    "eg": "echt",
    "ok": "oke",
    "oké": "oke",
    "okay": "oke",
    "oki": "oke",
    "thx": "bedankt",
    "tnx": "bedankt",
    "bdankt": "bedankt",
    "dankjewel": "dank je wel",
    "dankuwel": "dank u wel",
    "pls": "alsjeblieft",
    "plz": "alsjeblieft",
    "aub": "alsjeblieft",
    "svp": "alsjeblieft",
    "gwn": "gewoon",
    "gwoon": "gewoon",
    "hb": "heb",
    "hbt": "hebt",
    "dr": "er",
    "zn": "zijn",
    "mn": "mijn",
    "m'n": "mijn",
    "z'n": "zijn",
    "w8": "wacht",
    "wnr": "wanneer",
    "wanneet": "wanneer",
    "evt": "eventueel",
    "bv": "bijvoorbeeld",
    "bijv": "bijvoorbeeld",
    "zsm": "zo snel mogelijk",
    "dbn": "daarna",
    "sws": "sowieso",
    "iig": "in ieder geval",
    "ivm": "in verband met",
    "ipv": "in plaats van",
    "tm": "tot en met",
    "tzt": "te zijner tijd",
    "geldzorge": "geldzorgen",
    "schulde": "schulden",
}

_WORD_RE = re.compile(r"[0-9a-z€]+(?:[.,'][0-9a-z]+)*")


def clean_surrogates(text: str) -> str:
    """Lone surrogates (invalid halves of UTF-16 pairs, possible in JSON) become U+FFFD, so the
    text can be encoded, stored and answered instead of failing later (issue #19 item 8)."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def strip_accents(text: str) -> str:
    """Remove diacritics: 'één' -> 'een', 'coöperatie' -> 'cooperatie'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_token(token: str) -> str:
    """Lower-case, strip accents and expand one chat spelling for a single token."""
    low = strip_accents(token.lower())
    return CHAT_SPELLINGS.get(low, low)


def normalize_text(text: str) -> str:
    """Normalise a whole message for matching: lower case, no accents, chat spellings expanded,
    repeated letters squeezed ("heeeelp" -> "heelp"), punctuation folded to spaces."""
    low = strip_accents(text.lower())
    low = re.sub(r"(.)\1{2,}", r"\1\1", low)
    words = _WORD_RE.findall(low.replace("-", " ").replace("/", " "))
    return " ".join(CHAT_SPELLINGS.get(w, w) for w in words)


def words(text: str) -> list[str]:
    """Normalised words of a text."""
    return normalize_text(text).split()


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    try:
        import spacy_lookups_data  # noqa: PLC0415 - optional and heavy-ish
    except ImportError:  # pragma: no cover - dependency is pinned
        return {}
    path = Path(spacy_lookups_data.__file__).parent / "data" / "nl_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf8") as fh:
        return json.load(fh)


def lemma(word: str) -> str:
    """Dutch lemma from spaCy's lookup table (schulden -> schuld), or the word itself."""
    return _lemma_table().get(word, word)


# Words that carry no topic in a search query. Kept short: "geen", "niet" and "meer" matter for
# meaning elsewhere, but not for finding a regulation.
STOPWORDS: frozenset[str] = frozenset(
    """aan al alle als alsjeblieft ben bent ben ik bij binnen da dan dat de deze die dit doe doen door
    dus een eens en er even ga gaan geen graag had heb hebben hebt heeft het hier hij hoe hoeveel hun
    ik in is ja je jij jou jouw kan kun kunnen kunt me meer mij mijn moet moeten mn na naar nee niet
    nog nou nu of om ons ook op over te tot u uw van veel voor vraag vragen waar wanneer wat we welke
    wie wij wil willen word wordt zal ze zelf zij zijn zo zou krijg krijgen iets info informatie
    uitleg uitleggen vertel weet weten precies eigenlijk hallo hoi hey help please pls oke even
    is het er the a an what is how do i can""".split()
)


def split_compound(word: str, vocab: set[str] | frozenset[str]) -> list[str] | None:
    """Split a Dutch compound into two known words, allowing a linking s/e/en."""
    if len(word) < 7:
        return None
    for i in range(len(word) - 3, 3, -1):
        left, right = word[:i], word[i:]
        right_forms = {right, lemma(right)}
        if not right_forms & vocab:
            continue
        for cand in (
            left,
            left[:-1] if left.endswith("s") else None,
            left[:-2] if left.endswith("en") else None,
            left[:-1] if left.endswith("e") else None,
        ):
            if cand and len(cand) >= 3 and cand in vocab:
                return [cand, right if right in vocab else lemma(right)]
    return None
