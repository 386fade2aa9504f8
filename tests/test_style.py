"""The B1 style guide (docs/b1-stijlgids.md), checked on every text a resident sees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MAX_WORDS = 28  # the guide says about 20; a few sentences with a name or a list run longer
FORMAL = re.compile(r"\b(u|uw|men|dient|gelieve|middels|teneinde)\b", re.IGNORECASE)


def _resident_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text()) or {}).get("responses", {}).items():
            if name.startswith("utter_regeling_staff"):
                continue  # staff answers: terse, complete lists
            texts += [(f"{path.name}:{name}", v["text"]) for v in variants if v.get("text")]
    for key, value in yaml.safe_load((ROOT / "channels" / "texts.yml").read_text()).items():
        if isinstance(value, str):
            texts.append((f"texts.yml:{key}", value))
    for path in sorted((ROOT / "knowledge" / "content" / "regelingen").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        for field in ("samenvatting_b1", "volgende_stap"):
            texts.append((f"{path.name}:{field}", doc[field]))
    return texts


TEXTS = _resident_texts()


def _sentences(text: str) -> list[str]:
    plain = re.sub(r"\{[a-z_]+\}", "X", text)  # placeholders count as one word
    plain = re.sub(r"https?://\S+", "URL", plain)
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", plain) if s.strip()]


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[w for w, _ in TEXTS])
def test_resident_text_is_b1(where, text):
    assert not FORMAL.search(re.sub(r"https?://\S+", "", text)), f"{where}: formal word in {text!r}"
    long = [s for s in _sentences(text) if len(s.split()) > MAX_WORDS]
    assert not long, f"{where}: sentence too long ({len(long[0].split())} words): {long[0]!r}"


def test_there_are_many_texts_checked():
    assert len(TEXTS) > 150
