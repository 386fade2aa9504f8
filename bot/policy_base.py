"""A dialogue policy that is a rule in code: it predicts one action, or abstains.

Rasa's RulePolicy learns rules from stories; a few behaviours depend on the conversation as a whole
(crisis mode for the rest of a session, a follow-up after an answer) and read better as code. The
subclass says which action it wants now in :meth:`RuleInCodePolicy.next_action`; everything else
is the same Rasa plumbing, kept here once.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


class RuleInCodePolicy(Policy):
    """Predicts ``next_action(tracker)`` with confidence 1, or nothing; learns nothing."""

    #: The policy's priority when the configuration gives none (RulePolicy has 6).
    PRIORITY = 7

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {"priority": cls.PRIORITY}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        with self._model_storage.write_to(self._resource):
            pass  # nothing to learn: the behaviour is in next_action
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    @staticmethod
    def next_action(tracker: DialogueStateTracker) -> str | None:
        """The action this policy wants now, or None to leave the turn to the other policies."""
        raise NotImplementedError
