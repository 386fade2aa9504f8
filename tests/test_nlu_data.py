"""The NLU training data keeps the shape issue 5 asks for, and the held-out set stays unseen.

These checks read the YAML only (no model): they fail when an intent lands in two places, when an
example is in the held-out set as well as in training, or when the annotation guide
(docs/intents.md) and the domain drift away from the data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import yaml

from knowledge.text import normalize_text

ROOT = Path(__file__).resolve().parent.parent
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]+\)|\{[^}]+\})")


def _examples(paths: list[Path]) -> list[tuple[str, str]]:
    out = []
    for path in paths:
        for block in (yaml.safe_load(path.read_text(encoding="utf8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append((_ANNOTATION.sub(r"\1", line[2:]).strip(), block["intent"]))
    return out


def _training() -> list[tuple[str, str]]:
    return _examples(sorted((ROOT / "nlu").glob("*.yml")))


def _heldout() -> list[tuple[str, str]]:
    return _examples([ROOT / "tests" / "data" / "nlu_heldout.yml"])


def _key(text: str) -> str:
    """Case, accents, punctuation and chat spelling do not make two examples different."""
    return " ".join(re.sub(r"[^\w\s]", " ", normalize_text(text)).split())


def test_enough_examples_over_enough_intents() -> None:
    data = _training()
    intents = {intent for _, intent in data}
    assert len(data) >= 1500
    assert len(intents) >= 40


def test_no_example_is_in_two_intents() -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for text, intent in _training():
        seen[_key(text)].add(intent)
    clashes = {text: sorted(intents) for text, intents in seen.items() if len(intents) > 1}
    assert clashes == {}


def test_heldout_set_is_never_trained_on() -> None:
    trained = {_key(text) for text, _ in _training()}
    heldout = _heldout()
    assert len(heldout) >= 150
    leaked = [text for text, _ in heldout if _key(text) in trained]
    assert leaked == []


def test_heldout_intents_exist_in_training() -> None:
    trained = {intent for _, intent in _training()}
    assert {intent for _, intent in _heldout()} <= trained


def test_every_intent_is_in_the_guide_and_the_domain() -> None:
    trained = {intent for _, intent in _training()}
    guide = (ROOT / "docs" / "intents.md").read_text(encoding="utf8")
    in_guide = set(re.findall(r"^\| ([a-z_]+) \|", guide, flags=re.M)) - {"intent"}  # header
    domain: set[str] = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        domain |= {
            i if isinstance(i, str) else next(iter(i))
            for i in (yaml.safe_load(path.read_text(encoding="utf8")) or {}).get("intents", [])
        }
    assert trained - in_guide == set()
    assert in_guide - trained == set()
    assert trained <= domain
