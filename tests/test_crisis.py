"""Crisis safety net: every crisis message is caught (recall 100%), few ordinary ones are not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlu.crisis import detect

DATA = Path(__file__).parent / "data"
CRISIS = yaml.safe_load((DATA / "crisis.yml").read_text(encoding="utf8"))
NOT_CRISIS = [
    x["text"] if isinstance(x, dict) else x
    for x in yaml.safe_load((DATA / "not_crisis.yml").read_text(encoding="utf8"))
]


def test_crisis_set_is_large_enough_and_covers_every_category():
    assert len(CRISIS) >= 60
    assert {c["categorie"] for c in CRISIS} >= {
        "suicide",
        "geweld",
        "kind_in_gevaar",
        "geen_eten_vandaag",
        "uitzetting_acuut",
        "afsluiting_acuut",
        "dakloos_vannacht",
    }


@pytest.mark.parametrize("case", CRISIS, ids=[c["text"][:40] for c in CRISIS])
def test_every_crisis_message_is_caught(case):
    assert detect(case["text"]) is not None, case


def test_false_alarms_stay_rare():
    alarms = [t for t in NOT_CRISIS if detect(t)]
    assert len(alarms) / len(NOT_CRISIS) <= 0.10, alarms


@pytest.mark.parametrize("text", ["", " ", "x" * 100_000, "\x00\x01", "🙂🙂🙂"])
def test_odd_input_does_not_crash(text):
    assert detect(text) is None
