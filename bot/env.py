"""Process environment for Rasa, TensorFlow and SQLAlchemy: quiet, no telemetry, project on the path."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
    "LOG_LEVEL": "WARNING",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}


def apply() -> dict[str, str]:
    """Set the defaults (without overriding what the user set) and return the environment."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    path = os.environ.get("PYTHONPATH", "")
    if str(ROOT) not in path.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), path) if p)
    return dict(os.environ)


ACTION_TOKEN_HEADER = "X-BW-Action-Token"


def install_secret(env_var: str, file_name: str, nbytes: int = 32) -> str:
    """``env_var`` when set, else a random secret kept in ``<var>/<file_name>`` for this install
    (created on first use, mode 0600)."""
    if value := os.environ.get(env_var):
        return value
    import secrets  # noqa: PLC0415

    from knowledge.db import var_dir  # noqa: PLC0415 - one rule for where local state lives

    path = var_dir() / file_name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


def action_token() -> str:
    """The shared secret between Rasa and the action server (``BW_ACTION_TOKEN``)."""
    return install_secret("BW_ACTION_TOKEN", "action.token")
