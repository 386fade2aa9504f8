"""Which language a message is in, offline (lingua ships its models in the package).

Used for the core crisis lines: a resident who writes Turkish, Arabic, Polish, English or
Papiamentu gets them in that language under the Dutch answer. lingua has no Papiamentu, so a
message whose best non-Dutch guess is Spanish or Portuguese counts as Papiamentu only when it
holds two of its common words; Arabic in Latin letters and other languages get English.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The languages lingua chooses between (ISO 639-1 code -> lingua name).
_LINGUA = {
    "nl": "DUTCH",
    "en": "ENGLISH",
    "tr": "TURKISH",
    "ar": "ARABIC",
    "pl": "POLISH",
    "es": "SPANISH",
    "pt": "PORTUGUESE",
}
_PAPIAMENTU = re.compile(
    r"\b(mi|bo|nos|ta|kier|ke|ku|pa|awor|tambe|yuda|kiko|kon|sa|no por|mas|mester|tin)\b"
)
MIN_CONFIDENCE = 0.3


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder  # noqa: PLC0415 - loads models once

    languages = [getattr(Language, name) for name in _LINGUA.values()]
    return LanguageDetectorBuilder.from_languages(*languages).build()


@lru_cache(maxsize=256)
def _confidences(text: str) -> tuple[tuple[str, float], ...]:
    """lingua's languages for a text, most likely first, as (code, confidence); computed once
    per text (the crisis lines and the answer's language both ask for the same message)."""
    by_name = {v: k for k, v in _LINGUA.items()}
    values = _detector().compute_language_confidence_values(text)
    return tuple((by_name[v.language.name], v.value) for v in values)


def other_language(text: str) -> str | None:
    """The most likely language other than Dutch ('en', 'tr', 'ar', 'pl', 'pap'), when it is
    likely enough (also for a message that mixes Dutch with it); None for Dutch."""
    text = (text or "")[:1000]
    if len(text.strip()) < 3:
        return None
    for code, confidence in _confidences(text):
        if code == "nl":
            continue
        if confidence < MIN_CONFIDENCE:
            return None
        if code in {"es", "pt"}:
            words = {m.group(0) for m in _PAPIAMENTU.finditer(text.lower())}
            return "pap" if len(words) >= 2 else "en"
        return code
    return None


def leads(text: str, code: str) -> bool:
    """True when ``code`` is the most likely language of the message, ahead of Dutch too.

    To answer a whole conversation in English the message must be English first: "en met
    partner?" is Dutch that lingua finds nearly as English (0.39 / 0.31), which is enough to add
    a crisis line in English (``other_language``) but not to switch the answer's language.
    """
    text = (text or "")[:1000]
    if len(text.strip()) < 3:
        return False
    ranked = _confidences(text)
    return bool(ranked) and ranked[0][0] == code and other_language(text) == code
