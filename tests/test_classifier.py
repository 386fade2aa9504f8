"""The intent classifier saves and loads its fitted pipeline, and refuses a file it cannot trust.

Rasa's own loader falls back to an untrained classifier when a file holds unexpected types; ours
must fail loudly instead, because an untrained classifier answers every message wrongly.
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


def test_file_with_untrusted_types_is_refused(parts) -> None:
    import json

    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    cls, config, storage, resource, context = parts
    _fitted(cls, config, storage, resource, context)
    with storage.write_to(resource) as model_dir:
        # a pickled function from outside scikit-learn: exactly what skops will not trust
        sio.dump(FunctionTransformer(func=json.dumps), model_dir / f"{resource.name}.skops")

    with pytest.raises(ValueError, match="do not trust"):
        cls.load(config, storage, resource, context)
