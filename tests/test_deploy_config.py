"""The container setup (deploy/) keeps the privacy guarantees of the loopback setups (issue #19
item 9): the same masking tracker store, the purge and forget paths pointed at that tracker
database, channel state in one PostgreSQL database shared by the Rasa replicas, signed REST
sessions, and no API token on a command line. Docker is not available here,
so this reads the shipped files themselves."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot import serve

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf8"))


def _compose_env() -> dict[str, str]:
    return {k: str(v) for k, v in _compose()["x-app"]["environment"].items()}


def test_the_containers_use_the_masking_tracker_store():
    endpoints = yaml.safe_load((DEPLOY / "endpoints.yml").read_text(encoding="utf8"))
    assert endpoints["tracker_store"]["type"] == serve.TRACKER_STORE


def test_purge_and_forget_reach_the_tracker_database_of_the_containers():
    endpoints = yaml.safe_load((DEPLOY / "endpoints.yml").read_text(encoding="utf8"))
    url = _compose_env()["BW_TRACKER_DB"]
    assert url.startswith("postgresql://")
    assert url.rsplit("/", 1)[1] == endpoints["tracker_store"]["db"]


def test_the_exposed_rest_channel_hands_out_signed_sessions():
    assert _compose_env()["BW_REST_SESSIONS"] == "signed"


def test_no_api_token_on_a_command_line():
    entry = (DEPLOY / "entrypoint.sh").read_text(encoding="utf8")
    assert not re.search(r"--auth-token", entry)
    assert "bot.rasa_main" in entry and "BW_RASA_AUTH_TOKEN=" in entry


def test_the_rasa_replicas_share_one_database_for_channel_state():
    rasa = _compose()["services"]["rasa"]
    assert rasa["deploy"]["replicas"] > 1
    env = {k: str(v) for k, v in rasa["environment"].items()}  # x-app, merged in
    url, tracker, cases = env["BW_CHANNELS_DB"], env["BW_TRACKER_DB"], env["BW_DATABASE_URL"]
    assert url.startswith("postgresql://")
    # the same PostgreSQL service as the tracker, a database of its own (the case store has an
    # outbox table too), and that database is created when the volume is initialised
    assert url.rsplit("/", 1)[0] == tracker.rsplit("/", 1)[0]
    database = url.rsplit("/", 1)[1]
    assert database not in (tracker.rsplit("/", 1)[1], cases.rsplit("/", 1)[1])
    initdb = " ".join(p.read_text(encoding="utf8") for p in (DEPLOY / "initdb").glob("*.sql"))
    assert re.search(rf"CREATE DATABASE {database}\b", initdb)
