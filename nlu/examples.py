"""Read intent examples from Rasa NLU YAML files: one reader for training, held-out and checks."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge import yamlfile

NLU = Path(__file__).resolve().parent
_MARKUP = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def read_examples(paths: list[Path]) -> list[tuple[str, str]]:
    """(text, intent) for every intent example in the files; entity markup removed."""
    out = []
    for path in paths:
        for block in (yamlfile.read(path) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append((_MARKUP.sub(r"\1", line[2:].strip()), block["intent"]))
    return out


def training_examples(folder: Path = NLU) -> list[tuple[str, str]]:
    """Every training example in ``nlu/*.yml``."""
    return read_examples(sorted(folder.glob("*.yml")))
