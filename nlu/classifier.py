"""Intent classifier: TF-IDF weighting and logistic regression over the sparse n-gram features.

Rasa's ``LogisticRegressionClassifier`` fits raw counts with a fixed C of 1.0. Chat messages are
short and varied: weighting the word and character n-grams by TF-IDF (sublinear) and regularising
less (C is configurable) lets rare but telling words count. Measured with 5-fold cross-validation
on our data (docs/quality.md): see the NLU section. The model is one scikit-learn ``Pipeline``;
it is saved as plain arrays (``numpy.savez`` without pickle), so loading runs no code from the
file and skips skops, whose import walks every loaded module (seconds with TensorFlow loaded).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

_FILE = "intent_classifier.npz"


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

    def train(self, training_data: TrainingData) -> Resource:
        resource = super().train(training_data)
        self._contiguous_weights()
        return resource

    def _contiguous_weights(self) -> None:
        """Store the weights column-major, so that scikit-learn's ``X @ coef_.T`` reads them in
        place. Row-major weights are copied in full (classes x n-grams) for every message: that
        copy was two thirds of the classifier's time per message."""
        logreg = self.clf.named_steps["logreg"]
        if hasattr(logreg, "coef_"):
            logreg.coef_ = np.asfortranarray(logreg.coef_)

    def persist(self) -> None:
        """Save the fitted weights as arrays: no pickle, nothing executable in the file."""
        tfidf, logreg = self.clf.named_steps["tfidf"], self.clf.named_steps["logreg"]
        with self._model_storage.write_to(self._resource) as model_dir:
            np.savez(
                model_dir / _FILE,
                idf=tfidf.idf_,
                coef=logreg.coef_,
                intercept=logreg.intercept_,
                classes=np.asarray(logreg.classes_, dtype=str),
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
        """Load the fitted weights. Unlike Rasa's loader, a model that cannot be read is an error,
        never a silently untrained classifier."""
        component = cls(config, execution_context.node_name, model_storage, resource)
        with (
            model_storage.read_from(resource) as model_dir,
            np.load(model_dir / _FILE, allow_pickle=False) as saved,
        ):
            tfidf = component.clf.named_steps["tfidf"]
            logreg = component.clf.named_steps["logreg"]
            tfidf.idf_ = saved["idf"]
            tfidf.n_features_in_ = logreg.n_features_in_ = saved["coef"].shape[1]
            logreg.coef_ = saved["coef"]
            logreg.intercept_ = saved["intercept"]
            logreg.classes_ = saved["classes"].astype(object)
        component._contiguous_weights()
        return component
