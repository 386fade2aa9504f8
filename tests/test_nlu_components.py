"""The Dutch tokenizer and text normalisation."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from knowledge.text import lemma, normalize_text
from nlu.tokenizer import DutchTokenizer


def tokens(text: str):
    tok = DutchTokenizer(DutchTokenizer.get_default_config())
    return tok.tokenize(Message(data={"text": text}), "text")


def test_normalises_chat_spelling_case_and_accents():
    assert [t.text for t in tokens("Kun je ff kijken wrm ik GEEN zorgtoeslag krijg??")] == [
        "kun",
        "je",
        "even",
        "kijken",
        "waarom",
        "ik",
        "geen",
        "zorgtoeslag",
        "krijg",
    ]
    assert normalize_text("Coöperatie één") == "cooperatie een"


def test_offsets_point_into_the_original_text():
    text = "Ik heb schulden-problemen!"
    for t in tokens(text):
        assert text[t.start : t.end].lower().startswith(t.text[:3])


def test_lemmas():
    assert lemma("schulden") == "schuld"
    assert lemma("toeslagen") == "toeslag"
    assert [t.lemma for t in tokens("schulden")] == ["schuld"]


def test_emoji_only_message_still_has_a_token():
    assert len(tokens("🙏🙏")) == 1


def test_repeated_letters_are_squeezed():
    assert tokens("heeeelp")[0].text == "heelp"
