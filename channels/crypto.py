"""Encryption for the few personal details we must keep (a call-back number), and keyed hashes.

The key comes from ``BW_SECRET_KEY`` (a Fernet key) or, for the embedded default, from
``var/secret.key`` created on first use with mode 0600.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

from knowledge.db import var_dir

KEY_FILE = var_dir() / "secret.key"


@lru_cache(maxsize=1)
def _key() -> bytes:
    env_key = os.environ.get("BW_SECRET_KEY")
    if env_key:
        return env_key.encode()
    KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    if not KEY_FILE.exists():
        fd = os.open(KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key())
    return KEY_FILE.read_bytes().strip()


def encrypt(text: str) -> str:
    return Fernet(_key()).encrypt(text.encode()).decode()


def decrypt(token: str) -> str | None:
    try:
        return Fernet(_key()).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def keyed_hash(value: str) -> str:
    """A stable pseudonym for an identifier (HMAC-SHA256 with the secret key)."""
    return hmac.new(_key(), value.encode(), hashlib.sha256).hexdigest()[:32]
