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

from bot.evaluate import heldout_examples
from knowledge.text import normalize_text
from nlu.examples import training_examples

ROOT = Path(__file__).resolve().parent.parent


def _key(text: str) -> str:
    """Case, accents, punctuation and chat spelling do not make two examples different."""
    return " ".join(re.sub(r"[^\w\s]", " ", normalize_text(text)).split())


def test_enough_examples_over_enough_intents() -> None:
    data = training_examples()
    intents = {intent for _, intent in data}
    assert len(data) >= 1500
    assert len(intents) >= 40


def test_no_example_is_in_two_intents() -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for text, intent in training_examples():
        seen[_key(text)].add(intent)
    clashes = {text: sorted(intents) for text, intents in seen.items() if len(intents) > 1}
    assert clashes == {}


def test_heldout_set_is_never_trained_on() -> None:
    trained = {_key(text) for text, _ in training_examples()}
    heldout = heldout_examples()
    assert len(heldout) >= 150
    leaked = [text for text, _ in heldout if _key(text) in trained]
    assert leaked == []


def test_heldout_intents_exist_intraining_examples() -> None:
    trained = {intent for _, intent in training_examples()}
    assert {intent for _, intent in heldout_examples()} <= trained


def test_every_intent_is_in_the_guide_and_the_domain() -> None:
    trained = {intent for _, intent in training_examples()}
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
