"""Run Rasa as an HTTP server: REST always, Telegram/WhatsApp when configured.

Writes ``endpoints.yml`` and ``credentials.yml`` for this run (under ``var/``) from the
environment, so secrets never live in committed files. Binds to 127.0.0.1 by default.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from bot import env, runtime


def write_endpoints(action_url: str, folder: Path, tracker_db: Path | None = None) -> Path:
    """endpoints.yml of the embedded setup: our action server and the masking SQL tracker store
    (SQLite by default, or BW_TRACKER_DB). The scale-out and container setups render theirs
    from deploy/templates (bot/deployment.py); Rasa keeps its in-memory lock store here (one
    process)."""
    folder.mkdir(parents=True, exist_ok=True)
    tracker_url = os.environ.get("BW_TRACKER_DB")
    data: dict[str, Any] = {
        "action_endpoint": {
            "url": action_url,
            "headers": {env.ACTION_TOKEN_HEADER: env.action_token()},
        }
    }
    if tracker_url is None:
        data["tracker_store"] = {
            "type": TRACKER_STORE,
            "dialect": "sqlite",
            "db": str(tracker_db or folder / "tracker.db"),
        }
    else:  # any SQLAlchemy URL; masking and deletion work the same on PostgreSQL
        data["tracker_store"] = {"type": TRACKER_STORE, "db_url": tracker_url}
    path = folder / "endpoints.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf8")
    os.chmod(path, 0o600)  # holds the action server's shared secret
    return path


TRACKER_STORE = "channels.tracker_store.PrivateSQLTrackerStore"  # masks PII, honours deletion
REST = "channels.resident_rest.RestInput"  # Rasa's /webhooks/rest protocol, pseudonymised
RESIDENT_REST = "channels.resident_rest.ResidentRestInput"
STAFF = "channels.staff.StaffInput"
CONSOLE = "channels.console.ConsoleInput"


def staff_token() -> str:
    """``BW_STAFF_TOKEN``, or a random one kept in ``var/staff_token`` (mode 0600) for this install."""
    return env.install_secret("BW_STAFF_TOKEN", "staff_token", nbytes=24)


def channel_credentials() -> dict[str, dict[str, Any]]:
    """Input channels to enable: REST, resident REST and the staff API always; Telegram and
    WhatsApp when their settings are in the environment."""
    creds: dict[str, dict[str, Any]] = {
        REST: {},
        RESIDENT_REST: {},
        STAFF: {"token": staff_token()},
        CONSOLE: {},
    }
    try:
        from channels.settings import (
            configured_channels,  # noqa: PLC0415 - optional until channels exist
        )
    except ImportError:
        return creds
    creds.update(configured_channels())
    return creds


def write_credentials(folder: Path, channels: dict[str, dict[str, Any]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "credentials.yml"
    path.write_text(
        yaml.safe_dump(
            channels if channels is not None else channel_credentials(), sort_keys=False
        ),
        encoding="utf8",
    )
    os.chmod(path, 0o600)
    return path


def rasa_command(
    model: Path,
    endpoints: Path,
    credentials: Path,
    port: int,
    interface: str = "127.0.0.1",
) -> list[str]:
    """The command line of the Rasa server. The API token is not on it: ``bot.rasa_main`` reads
    it from the environment (``rasa_env``), so the process list does not show it."""
    return [
        sys.executable,
        "-m",
        "bot.rasa_main",
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials),
        "--port",
        str(port),
        "--interface",
        interface,
        "--enable-api",
        "--quiet",
    ]


def rasa_env(token: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The Rasa server's environment: the project's settings and the API token."""
    from bot.rasa_main import TOKEN_ENV  # noqa: PLC0415

    return {**env.apply(), **(extra or {}), TOKEN_ENV: token}


def start_rasa_server(
    model: Path,
    action_url: str,
    folder: Path,
    port: int | None = None,
    channels: dict[str, dict[str, Any]] | None = None,
    token: str | None = None,
    extra_env: dict[str, str] | None = None,
    log_name: str = "rasa.log",
    endpoints: Path | None = None,
    wait: bool = True,
) -> tuple[subprocess.Popen, str, str]:
    """Start ``rasa run``; return the process, its base URL and the API token.

    ``endpoints`` overrides the generated endpoints.yml (scale-out); ``wait=False`` returns at
    once so several instances can load their model in parallel (then call ``runtime.wait_http``).
    """
    port = port or runtime.free_port()
    token = token or os.environ.get("BW_RASA_TOKEN") or secrets.token_urlsafe(24)
    endpoints = endpoints or write_endpoints(action_url, folder)
    credentials = write_credentials(folder, channels)
    log = open(folder / log_name, "ab")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen(
        rasa_command(model, endpoints, credentials, port),
        cwd=env.ROOT,
        env=rasa_env(token, extra_env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    if wait:
        runtime.wait_http(base + "/", timeout=240, proc=proc)
    return proc, base, token


_CHANNEL_LABELS = {
    REST: ("REST (Rasa-protocol)", "/webhooks/rest/webhook"),
    RESIDENT_REST: ("REST voor bewoners en de terminal", "/webhooks/bw/webhook"),
    STAFF: ("medewerker-API (token in var/staff_token of BW_STAFF_TOKEN)", "/webhooks/staff/cases"),
    CONSOLE: ("medewerkersconsole (account: python -m bot staff add <naam>)", "/webhooks/console/"),
    "channels.telegram.TelegramInput": ("Telegram-webhook", "/webhooks/telegram/webhook"),
    "channels.whatsapp.WhatsAppInput": ("WhatsApp-webhook", "/webhooks/whatsapp/webhook"),
}


def describe_channels(base: str, channels: dict[str, dict[str, Any]]) -> list[str]:
    """One line per served channel with its URL, and a note for Telegram/WhatsApp when off."""
    lines = []
    for key in channels:
        label, path = _CHANNEL_LABELS.get(key, (key, ""))
        lines.append(f"{label}: {base}{path}")
    if "channels.telegram.TelegramInput" not in channels:
        lines.append("Telegram: uit (zet TELEGRAM_TOKEN en TELEGRAM_SECRET_TOKEN, zie README)")
    if "channels.whatsapp.WhatsAppInput" not in channels:
        lines.append("WhatsApp: uit (zet de WHATSAPP_*-instellingen, zie README)")
    return lines
