"""The real action server starts and serves every custom action the domain names."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import yaml

DOMAIN = Path(__file__).resolve().parent.parent / "bot" / "domain"


def test_every_domain_action_is_served(action_server):
    with urllib.request.urlopen(action_server.replace("/webhook", "/actions"), timeout=10) as r:
        served = {a["name"] for a in json.loads(r.read())}
    wanted = set()
    for path in DOMAIN.glob("*.yml"):
        doc = yaml.safe_load(path.read_text()) or {}
        wanted |= {a for a in doc.get("actions", []) if a.startswith(("action_", "validate_"))}
    assert wanted, "no custom actions found in the domain"
    assert wanted <= served, f"not served: {sorted(wanted - served)}"
