"""DutchTokenizer: spaCy's Dutch tokenizer with chat-aware normalisation and lemmas.

Built on ``spacy.blank("nl")`` (no Dutch model can be downloaded here). Each token keeps its
character offsets in the original message, but its text is normalised (lower case, accents
stripped, "ff" -> "even") and it carries the lookup lemma (schulden -> schuld), which Rasa's
CountVectorsFeaturizer uses by default. Training and run time see the same normalisation.
"""

from __future__ import annotations

import re
from typing import Any

import spacy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from knowledge.text import clean_surrogates, lemma, normalize_token

EMPTY_TOKEN = "__leeg__"
_SPLIT_RE = re.compile(r"[-/_]")
_PUNCT_RE = re.compile(r"^[\W_]+$", re.UNICODE)
_REPEAT_RE = re.compile(r"(.)\1{2,}")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class DutchTokenizer(Tokenizer):
    """Tokenises Dutch chat messages into normalised tokens with lemmas."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._nlp = spacy.blank("nl")

    @staticmethod
    def supported_languages() -> list[str] | None:
        return ["nl"]

    def process(self, messages: list[Message]) -> list[Message]:
        """Empty or blank messages become a placeholder word: every featurizer then sees the same
        text, so the classifier gets its full feature width and answers with a fallback."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and not text.strip():
                message.set(TEXT, EMPTY_TOKEN)
            elif isinstance(text, str):
                message.set(TEXT, clean_surrogates(text))
        return super().process(messages)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = clean_surrogates(message.get(attribute) or "")
        tokens: list[Token] = []
        for tok in self._nlp.make_doc(text):
            if tok.is_space or _PUNCT_RE.match(tok.text):
                continue
            for part, offset in _parts(tok.text):
                start = tok.idx + offset
                norm = normalize_token(_REPEAT_RE.sub(r"\1\1", part))
                for word in norm.split():
                    tokens.append(Token(word, start, start + len(part), lemma=lemma(word)))
        if not tokens:
            # emoji-only, punctuation-only or empty messages still need one token to classify
            # (the intent classifier needs at least one feature; an empty message gets a fallback)
            word = text.strip()[:20] or EMPTY_TOKEN
            tokens.append(Token(word, 0, len(text), lemma=word))
        return self._apply_token_pattern(tokens)


def _parts(word: str) -> list[tuple[str, int]]:
    """Split 'zorgtoeslag-aanvraag' into its parts with their offsets."""
    out, pos = [], 0
    for piece in _SPLIT_RE.split(word):
        if piece:
            out.append((piece, word.index(piece, pos)))
            pos = out[-1][1] + len(piece)
    return out or [(word, 0)]
