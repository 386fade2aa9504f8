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


def action_token() -> str:
    """The shared secret between Rasa and the action server: ``BW_ACTION_TOKEN``, else
    ``<var>/action.token`` (created on first use, mode 0600)."""
    if token := os.environ.get("BW_ACTION_TOKEN"):
        return token
    import secrets  # noqa: PLC0415

    folder = Path(os.environ.get("BW_VAR_DIR") or ROOT / "var")
    path = folder / "action.token"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32))
    return path.read_text().strip()
