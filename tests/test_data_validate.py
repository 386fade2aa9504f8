"""`rasa data validate` must be clean on the project's domain and data.

Two kinds of Rasa warnings are expected by design and checked more strictly here instead:
- "utterance X is not used in any story or rule": fine only when the response is used by our
  action code, a dialogue config file in bot/, or is a form question (utter_ask_<slot>);
- "intent X ... not found in the NLU training data": fine for crisis (set by the safety net,
  never learned) and for button-only intents (sent by an offer button's payload, never typed),
  which must then be used as a payload somewhere. Every other warning fails the test.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from bot import env, training
from tests.conftest import prestart

ROOT = env.ROOT
UNUSED = re.compile(r"The utterance '([^']+)' is not used in any story or rule")
NOT_LEARNED = re.compile(
    r"intent '([^']+)' is listed in the domain file, but is not found in the NLU training data"
)
# Intents only a button sends (bot/domain/kennis.yml): "ja, maak mijn lijstje", "ja, doe de check".
BUTTON_ONLY = {"crisis", "achttien_lijst", "regelcheck_start"}


def referenced_responses() -> set[str]:
    code = "\n".join(
        p.read_text(encoding="utf8")
        for p in [*(ROOT / "actions").glob("*.py"), *(ROOT / "bot").glob("*.yml")]
    )
    names = set(re.findall(r"utter_[a-z0-9_]+", code))
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        for slot in yaml.safe_load(path.read_text(encoding="utf8")).get("slots") or {}:
            names.add(f"utter_ask_{slot}")
    return names


@prestart("data_validate_run")
def _data_validate_run(bg, request):
    """``rasa data validate`` as a subprocess (about 30 s), run by the session's background
    thread after the model (and so the generated lookup tables) is ready."""
    request.getfixturevalue("model_path")  # writes generated lookup tables first

    def start() -> subprocess.CompletedProcess:
        cmd = [
            sys.executable,
            "-m",
            "rasa",
            "data",
            "validate",
            "--config",
            str(ROOT / "config.yml"),
            "--domain",
            str(training.DOMAIN),
            "--data",
            *[str(d) for d in training.DATA],
        ]
        return subprocess.run(
            cmd, cwd=ROOT, env=env.apply(), capture_output=True, text=True, timeout=300
        )

    return start


@pytest.fixture(scope="session")
def data_validate_run(background, request) -> subprocess.CompletedProcess:
    return background.get("data_validate_run", request)


def test_rasa_data_validate_is_clean(data_validate_run):
    proc = data_validate_run
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    output = proc.stdout + proc.stderr
    warnings = [line for line in output.splitlines() if "UserWarning" in line]
    allowed = referenced_responses()
    problems = []
    for line in warnings:
        m = UNUSED.search(line)
        if m and m.group(1) in allowed:
            continue
        m = NOT_LEARNED.search(line)
        if m and m.group(1) in BUTTON_ONLY:
            continue
        problems.append(line)
    assert not problems, "\n".join(problems)


def test_every_domain_response_is_used_somewhere():
    used = referenced_responses() | set(
        re.findall(
            r"utter_[a-z0-9_]+", (ROOT / "bot" / "data" / "rules.yml").read_text(encoding="utf8")
        )
    )
    declared = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        declared |= set(yaml.safe_load(path.read_text(encoding="utf8")).get("responses") or {})
    assert declared - used == set()


def test_button_only_intents_are_sent_by_a_button():
    """A button-only intent that no button sends is dead: nobody can reach its rule."""
    domain = "\n".join(
        p.read_text(encoding="utf8") for p in (ROOT / "bot" / "domain").glob("*.yml")
    )
    for intent in BUTTON_ONLY - {"crisis"}:
        assert f'payload: "/{intent}"' in domain, intent
