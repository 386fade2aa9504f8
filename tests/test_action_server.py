"""The real action server starts and serves every custom action the domain names."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from bot.env import ACTION_TOKEN_HEADER, action_token

DOMAIN = Path(__file__).resolve().parent.parent / "bot" / "domain"


def _get(url: str, headers: dict[str, str] | None = None):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10)


def test_every_domain_action_is_served(action_server):
    secret = {ACTION_TOKEN_HEADER: action_token()}
    with _get(action_server.replace("/webhook", "/actions"), secret) as r:
        served = {a["name"] for a in json.loads(r.read())}
    wanted = set()
    for path in DOMAIN.glob("*.yml"):
        doc = yaml.safe_load(path.read_text()) or {}
        wanted |= {a for a in doc.get("actions", []) if a.startswith(("action_", "validate_"))}
    assert wanted, "no custom actions found in the domain"
    assert wanted <= served, f"not served: {sorted(wanted - served)}"


@pytest.mark.parametrize("headers", [{}, {ACTION_TOKEN_HEADER: "geraden"}, {"Authorization": "x"}])
def test_a_caller_without_the_shared_secret_is_refused(action_server, headers):
    """Only our own Rasa knows the secret; a forged tracker from anyone else never runs an action."""
    body = json.dumps(
        {"next_action": "action_handoff_submit", "sender_id": "x", "tracker": {}}
    ).encode()
    request = urllib.request.Request(
        action_server, data=body, headers={"Content-Type": "application/json", **headers}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    with _get(action_server.replace("/webhook", "/health")) as r:
        assert r.status == 200  # health stays open for the process supervisor
