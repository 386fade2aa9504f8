"""Intent classifier: TF-IDF weighting and logistic regression over the sparse n-gram features.

Rasa's ``LogisticRegressionClassifier`` fits raw counts with a fixed C of 1.0. Chat messages are
short and varied: weighting the word and character n-grams by TF-IDF (sublinear) and regularising
less (C is configurable) lets rare but telling words count. Measured with 5-fold cross-validation
on our data (docs/quality.md): see the NLU section. The model is one scikit-learn ``Pipeline``,
saved and loaded with skops exactly as Rasa does for its own classifier.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

# The fitted TF-IDF weights are a sparse matrix: the one type outside skops' default trust list.
_TRUSTED = ["scipy.sparse._csr.csr_matrix"]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(LogisticRegressionClassifier):
    """Logistic regression on TF-IDF weighted sentence features (word and char n-grams)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 30.0,
            "sublinear_tf": True,
        }

    def __init__(self, config: dict[str, Any], *args: Any) -> None:
        super().__init__(config, *args)
        self.clf = Pipeline(
            [
                ("tfidf", TfidfTransformer(sublinear_tf=self.config["sublinear_tf"])),
                (
                    "logreg",
                    LogisticRegression(
                        C=self.config["C"],
                        solver=self.config["solver"],
                        max_iter=self.config["max_iter"],
                        tol=self.config["tol"],
                        class_weight="balanced",
                        random_state=self.config["random_state"],
                    ),
                ),
            ]
        )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfIntentClassifier:
        """Load the fitted pipeline. Unlike Rasa's loader, a model that cannot be read is an
        error, never a silently untrained classifier."""
        import skops.io as sio

        with model_storage.read_from(resource) as model_dir:
            path = model_dir / f"{resource.name}.skops"
            untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in _TRUSTED]
            if untrusted:
                raise ValueError(f"{path.name} holds types we do not trust: {untrusted}")
            component = cls(config, execution_context.node_name, model_storage, resource)
            component.clf = sio.load(path, trusted=_TRUSTED)
        return component
