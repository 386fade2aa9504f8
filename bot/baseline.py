"""A simple baseline to compare the dialogue engine with: TF-IDF nearest neighbour.

Trained on exactly the NLU examples Rasa trains on (nlu/*.yml), it labels a message with the
intent of the most similar training example (cosine over word and character n-gram TF-IDF).
No dialogue state, no knowledge of the domain. The benchmark runs it on the same held-out set as
the trained model, so the difference shows what the trained classifier, the fallback and the pipeline add.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from nlu.examples import training_examples


@dataclass
class TfidfBaseline:
    """Nearest training example by TF-IDF cosine similarity."""

    def fit(self, examples: list[tuple[str, str]]) -> TfidfBaseline:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion

        self.vectorizer = FeatureUnion(
            [
                ("word", TfidfVectorizer(lowercase=True, sublinear_tf=True)),
                (
                    "char",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
                ),
            ]
        )
        self.matrix = self.vectorizer.fit_transform([t for t, _ in examples])
        self.labels = [i for _, i in examples]
        return self

    def predict(self, text: str) -> str:
        sims = (self.matrix @ self.vectorizer.transform([text]).T).toarray().ravel()
        return self.labels[int(sims.argmax())]


def evaluate(heldout: list[tuple[str, str]]) -> dict:
    """Accuracy, macro-F1 and per-message latency of the baseline on ``heldout``."""
    from bot.evaluate import macro_f1
    from bot.load import percentile

    t0 = time.perf_counter()
    model = TfidfBaseline().fit(training_examples())
    fit_s = time.perf_counter() - t0
    pairs, times = [], []
    for text, gold in heldout:
        t = time.perf_counter()
        pred = model.predict(text)
        times.append((time.perf_counter() - t) * 1000)
        pairs.append((gold, pred))
    return {
        "n": len(pairs),
        "accuracy": sum(g == p for g, p in pairs) / len(pairs),
        "macro_f1": macro_f1(pairs),
        "fit_s": fit_s,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
    }
