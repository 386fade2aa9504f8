"""The intent classifier saves and loads its fitted weights, and refuses a file it cannot trust.

Rasa's own loader falls back to an untrained classifier when it cannot read its file; ours must
fail loudly instead, because an untrained classifier answers every message wrongly. The file holds
plain arrays only: one that needs pickle (and so could run code) is refused.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix


@pytest.fixture
def parts(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from nlu.classifier import TfidfIntentClassifier

    config = TfidfIntentClassifier.get_default_config()
    return (
        TfidfIntentClassifier,
        config,
        LocalModelStorage(tmp_path),
        Resource("intent_classifier"),
        ExecutionContext(GraphSchema({}), "intent_classifier"),
    )


def _fitted(cls, config, storage, resource, context):
    component = cls.create(config, storage, resource, context)
    features = csr_matrix(np.array([[3, 0, 1], [2, 0, 0], [0, 4, 1], [0, 3, 0]], dtype=float))
    component.clf.fit(features, ["groet", "groet", "schuld", "schuld"])
    component.persist()
    return component, features


def test_saved_classifier_loads_with_the_same_predictions(parts) -> None:
    cls, config, storage, resource, context = parts
    component, features = _fitted(cls, config, storage, resource, context)

    loaded = cls.load(config, storage, resource, context)

    assert list(loaded.clf.predict(features)) == ["groet", "groet", "schuld", "schuld"]
    assert np.allclose(loaded.clf.predict_proba(features), component.clf.predict_proba(features))


def test_file_that_needs_pickle_is_refused(parts) -> None:
    from nlu.classifier import _FILE

    cls, config, storage, resource, context = parts
    _fitted(cls, config, storage, resource, context)
    with storage.write_to(resource) as model_dir:
        # an object array can only be stored with pickle, and pickle can run code when loaded
        np.savez(
            model_dir / _FILE,
            idf=np.ones(3),
            coef=np.array([{"evil": print}], dtype=object),
            intercept=np.zeros(2),
            classes=np.array(["groet", "schuld"]),
        )

    with pytest.raises(ValueError, match="allow_pickle"):
        cls.load(config, storage, resource, context)


def test_missing_file_is_an_error_not_an_untrained_classifier(parts) -> None:
    cls, config, storage, resource, context = parts

    with pytest.raises((FileNotFoundError, ValueError)):
        cls.load(config, storage, resource, context)
