"""The Rasa components of the NLU pipeline, thin wrappers around plain-Python detectors.

The detectors (``nlu.entities``, ``nlu.crisis``) have no Rasa imports, so the action server can use
them without loading Rasa or TensorFlow. Neither component learns anything from the training data.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import crisis_frame
from nlu.crisis import PRIVACY_REQUEST_WORDS, CrisisSignal, detect
from nlu.entities import extract

# A button payload ("/vraag_mens", '/regeling_uitleg{"regeling": "huurtoeslag"}'), not typed words.
_PAYLOAD = re.compile(r"^/\w+(\{.*\})?$", re.DOTALL)


class StatelessComponent(GraphComponent):
    """A pipeline component without training or configuration: only ``process`` differs."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StatelessComponent:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        raise NotImplementedError


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KnowledgeEntityMatcher(StatelessComponent):
    """Adds knowledge-base, age and amount entities to every message."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            entities = [*message.get(ENTITIES, []), *extract(text[:2000])]
            message.set(ENTITIES, entities, add_to_output=True)
        return messages


def _set_intent(message: Message, name: str) -> None:
    """Override the intent with ``name`` (confidence 1), keeping the classifier's ranking below
    it so the action can still see what else the message asked."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}, *ranking], add_to_output=True
    )


#: Intents the router leaves alone: already about privacy, or a crisis.
PRIVACY_INTENTS = frozenset({"privacy_vraag", "verwijder_gesprek", "crisis"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PrivacyRequestRouter(StatelessComponent):
    """A short request to delete the conversation, or about who reads it, goes to
    ``verwijder_gesprek`` or ``privacy_vraag``, whatever the classifier made of it: it could not
    place most Polish, Turkish, Arabic, Darija and Papiamentu ones (``nlu_fallback``), and read
    English ones ("how long do you keep my chats? can the belastingdienst ask for them") as the
    organisation they name. A short message that asks plainly for a person ("I'd rather speak
    with a human", "bir insanla konuşmak istiyorum") goes to ``vraag_mens`` the same way. Word
    lists in ``bot/crisis_kader.yml`` (the crisis net reads them too); the classifier learned the
    language, not the request, from examples in other languages. Deleting is always confirmed
    first, so a wrong route costs one tap."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if intent in PRIVACY_INTENTS or _PAYLOAD.match(text):
                continue
            if len(text.split()) > PRIVACY_REQUEST_WORDS:
                continue
            if crisis_frame.is_delete_request(text):
                name = "verwijder_gesprek"
            elif crisis_frame.is_privacy_request(text):
                name = "privacy_vraag"
            elif crisis_frame.has("mens", text):
                name = "vraag_mens"
            else:
                continue
            _set_intent(message, name)
        return messages


def zekerheid(signal: CrisisSignal) -> str:
    """``zeker``, ``twijfel`` (check with the person), ``na_vraag`` (a faint doubt in a money
    question: its answer first, then the check) or ``informatie`` (the lines, as information)."""
    if signal.informatie:
        return "informatie"
    if signal.zeker:
        return "zeker"
    return "na_vraag" if signal.na_vraag else "twijfel"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisDetector(StatelessComponent):
    """Marks crisis messages with ``crisis_categorie`` (the leading category),
    ``crisis_zekerheid`` (see ``zekerheid``) and ``crisis_ook`` (other categories in the
    same message) entities. When sure, it also overrides the intent with ``crisis`` (confidence 1),
    keeping the classifier's ranking below it, so a money question can be kept for later. In doubt
    it leaves the intent alone: ``bot.crisis_policy`` then checks with the person, except in the
    middle of a form, where only a sure signal interrupts.

    Last in the pipeline on purpose: the safety net wins over whatever the classifier decided.
    """

    def __init__(self) -> None:
        detect("opwarmen")  # load the learned model now, not during the first resident's message

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            signal = None if _PAYLOAD.match(text) else detect(text)
            if signal is None:
                continue
            if signal.zeker:
                _set_intent(message, "crisis")
            entities = [
                e
                for e in message.get(ENTITIES) or []
                if e.get("entity") not in {"crisis_categorie", "crisis_zekerheid", "crisis_ook"}
            ]
            for name, value in [
                ("crisis_categorie", signal.categorie),
                ("crisis_zekerheid", zekerheid(signal)),
                *[("crisis_ook", other) for other in signal.ook],
            ]:
                entities.append(
                    {
                        "entity": name,
                        "value": value,
                        "start": 0,
                        "end": len(text),
                        "extractor": "CrisisDetector",
                        "confidence_entity": 1.0,
                    }
                )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
