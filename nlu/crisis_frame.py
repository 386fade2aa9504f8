"""The frame around a crisis word: past and over, information for someone else, or a joke.

The safety net looks for crisis words; people also use them to tell what is behind them ("vorig
jaar wilde ik niet meer leven, nu gaat het goed"), to ask where to send someone ("waar verwijs ik
iemand naar die ..."), or as a joke ("ik ga dood haha"). Answering those with "ben je in gevaar?"
hides the answer they asked for. This module only names the frame; ``nlu.crisis.detect`` decides
what it changes, and never for danger now. The word lists are data: ``bot/crisis_kader.yml``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from knowledge import yamlfile
from knowledge.text import normalize_text
from nlu.crisis_model import normalize as normalize_all_scripts

FRAME_FILE = Path(__file__).resolve().parent.parent / "bot" / "crisis_kader.yml"
_SENTENCE = re.compile(r"(?<=[.!?;\n])\s+|,\s+(?=(?:maar|nu|inmiddels|gelukkig|but|now)\b)")


@lru_cache(maxsize=1)
def _lists() -> dict[str, re.Pattern[str]]:
    data = yamlfile.read(FRAME_FILE)
    out = {
        key: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in data[key]) + r")\b")
        for key in (
            "verleden",
            "herstel",
            "terugval",
            "informatie",
            "vandaag_voor_iemand",
            "grap",
            "beeldspraak",
            "ontkenning",
            "geldvraag_vraag",
            "geldvraag_onderwerp",
            "binnenkort",
            "idioom",
            "ernst",
            "privacy",
            "wissen",
            "mens",
        )
    }
    out["grap_emoji"] = re.compile("|".join(re.escape(e) for e in data["grap_emoji"]))
    return out


def has(key: str, text: str) -> bool:
    """Whether the message shows this frame's words (``grap_emoji`` on the text as typed). The
    words are looked for in the Dutch normalisation and in one that keeps every script (Turkish
    dotless i, Polish l, Arabic), so "şimdi iyiyim" and "teraz jest dobrze" are read too."""
    lists = _lists()
    if key == "grap_emoji":
        return bool(lists[key].search(text))
    return any(lists[key].search(form) for form in _forms(text))


@lru_cache(maxsize=64)
def _forms(text: str) -> tuple[str, str]:
    """The two normalisations of a message, made once: detect() asks several frames about it."""
    return normalize_text(text), normalize_all_scripts(text)


def is_joke(text: str) -> bool:
    return has("grap", text) or has("grap_emoji", text)


def is_serious(text: str) -> bool:
    """Takes a joke back: "grapje. of eigenlijk niet", "lol, ik meen het wel"."""
    return has("ernst", text)


def is_figure_of_speech(text: str) -> bool:
    """Death or madness said of a thing, of fear or of work ("mijn auto is dood", "dood-eng")."""
    return has("beeldspraak", text)


def is_denial(text: str) -> bool:
    """The message says itself there is no danger, no violence, no wish to die."""
    return has("ontkenning", text)


def is_information(text: str) -> bool:
    """Asks where to send someone, or asks as a professional or volunteer, and not about an
    emergency of today or tonight (then the person it is about needs the crisis answer)."""
    return has("informatie", text) and not has("vandaag_voor_iemand", text)


def is_delete_request(text: str) -> bool:
    """Asks to delete the conversation or what was written, in any of the languages we know."""
    return has("wissen", text)


def is_privacy_request(text: str) -> bool:
    """Asks to delete the conversation or what is kept of it, or who reads it."""
    return is_delete_request(text) or has("privacy", text)


def asks(text: str) -> bool:
    """Asks something: a question mark or a question's words ("hoe lang", "mag ik")."""
    return "?" in text or has("geldvraag_vraag", text)


def is_money_question(text: str) -> bool:
    """Asks something about money or a regulation ("mag ik iets houden van mijn uitkering?")."""
    return asks(text) and ("€" in text or has("geldvraag_onderwerp", text))


def is_idiom_question(text: str) -> bool:
    """A question with an idiom of killing or not coping said of a thing, a boss or a bill ("mijn
    baas vermoordt me als ik te laat ben, hoe laat gaat het loket open?")."""
    return asks(text) and has("idioom", text)


def is_soon(text: str) -> bool:
    """Names a moment hours or days away ("morgen", "over 2 dagen", "aanstaande vrijdag")."""
    return has("binnenkort", text)


def is_past_and_over(text: str) -> bool:
    """Tells of a crisis in the past that is over now, and says nothing of it coming back."""
    return has("verleden", text) and has("herstel", text) and not has("terugval", text)


def present_part(text: str) -> str:
    """The message without its sentences about the past or about things being better now: what is
    left is what the person says about today, and still goes through the safety net."""
    parts = [p for p in _SENTENCE.split(text) if p and p.strip()]
    # "nu ben ik vrij en ligt er een brief dat ze me morgen uit huis zetten": a sentence that says
    # things are better but also names a moment hours or days away is about today, and stays.
    keep = [
        p
        for p in parts
        if not has("verleden", p) and (not has("herstel", p) or has("binnenkort", p))
    ]
    return " ".join(keep)
