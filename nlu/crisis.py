"""Crisis safety net: runs on every message, independent of the intent classifier.

Patterns live in ``bot/crisis_patronen.yml``. The detector is plain Python so it can run inside
the Rasa pipeline (as the last component, where it overrides the classifier's intent with
``crisis``) and anywhere else a message arrives. Recall comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.text import normalize_text

PATTERNS_FILE = Path(__file__).resolve().parent.parent / "bot" / "crisis_patronen.yml"


@dataclass(frozen=True)
class CrisisSignal:
    categorie: str
    pattern: str


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf8"))
    out = []
    for categorie, patterns in data["categorieen"].items():
        for p in patterns:
            out.append((categorie, re.compile(rf"\b(?:{p})\b")))
    return out


def detect(text: str) -> CrisisSignal | None:
    """The first (most urgent) crisis category the text matches, or None."""
    if not text:
        return None
    norm = normalize_text(text[:5000]).replace("'", " ")
    for categorie, rx in _compiled():
        if rx.search(norm):
            return CrisisSignal(categorie, rx.pattern)
    return None


try:  # the Rasa component; the detector above works without Rasa
    from rasa.engine.graph import ExecutionContext, GraphComponent
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.engine.storage.resource import Resource
    from rasa.engine.storage.storage import ModelStorage
    from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    @DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
    class CrisisDetector(GraphComponent):
        """Overrides the intent with ``crisis`` (confidence 1) and adds a ``crisis_categorie`` entity."""

        @classmethod
        def create(
            cls,
            config: dict[str, Any],
            model_storage: ModelStorage,
            resource: Resource,
            execution_context: ExecutionContext,
        ) -> CrisisDetector:
            return cls()

        def process_training_data(self, training_data: TrainingData) -> TrainingData:
            return training_data

        def process(self, messages: list[Message]) -> list[Message]:
            for message in messages:
                signal = detect(message.get(TEXT) or "")
                if signal is None:
                    continue
                previous = message.get(INTENT) or {}
                ranking = [
                    r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != "crisis"
                ]
                message.set(INTENT, {"name": "crisis", "confidence": 1.0}, add_to_output=True)
                message.set(
                    INTENT_RANKING_KEY,
                    [{"name": "crisis", "confidence": 1.0}, *ranking],
                    add_to_output=True,
                )
                entities = [
                    e for e in message.get(ENTITIES) or [] if e.get("entity") != "crisis_categorie"
                ]
                entities.append(
                    {
                        "entity": "crisis_categorie",
                        "value": signal.categorie,
                        "start": 0,
                        "end": len(message.get(TEXT) or ""),
                        "extractor": "CrisisDetector",
                        "confidence_entity": 1.0,
                    }
                )
                message.set(ENTITIES, entities, add_to_output=True)
                message.set("crisis_vorige_intent", previous.get("name"), add_to_output=False)
            return messages
except ImportError:  # pragma: no cover - rasa is always installed in this project
    pass
