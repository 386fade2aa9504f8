"""End-to-end conversations through the real trained model and the real action server."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

SCRIPTS = sorted((Path(__file__).parent / "conversations").glob("*.yml"))
CASES = [
    (f"{p.stem}: {c['name']}", c["turns"])
    for p in SCRIPTS
    for c in yaml.safe_load(p.read_text(encoding="utf8"))
]


@pytest.mark.parametrize("turns", [c[1] for c in CASES], ids=[c[0] for c in CASES])
async def test_conversation(conversation, turns):
    await conversation.script(turns)
