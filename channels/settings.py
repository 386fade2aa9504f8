"""Channel settings from the environment (and an uncommitted ``.env`` file).

Secrets never live in committed files: ``bot.serve`` turns these settings into a
``credentials.yml`` under ``var/`` for each run, and only for channels that are fully configured.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.db import var_dir

ROOT = Path(__file__).resolve().parent.parent
# BW_CHANNELS_DB (``state_db``): a SQLite file path or a postgresql:// URL (channels/store.py).
DEFAULT_STATE_DB = var_dir() / "channels.db"
TELEGRAM_DEFAULT_API = "https://api.telegram.org/bot"
WHATSAPP_DEFAULT_API = "https://graph.facebook.com/v20.0"

TELEGRAM_CLASS = "channels.telegram.TelegramInput"
WHATSAPP_CLASS = "channels.whatsapp.WhatsAppInput"

logger = logging.getLogger(__name__)


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse ``KEY=VALUE`` lines (``#`` comments, optional ``export`` and quotes); no expansion."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def environment(dotenv: Path | None = None) -> dict[str, str]:
    """``.env`` values overridden by the real environment (the environment always wins)."""
    return {**read_dotenv(dotenv or ROOT / ".env"), **os.environ}


def _get(values: Mapping[str, Any], key: str, default: str = "") -> str:
    value = values.get(key)
    return str(value).strip() if value not in (None, "") else default


@dataclass(frozen=True)
class TelegramSettings:
    """Bot token, webhook secret and (for tests or a local Bot API) the API base URL."""

    token: str = ""
    secret_token: str = ""
    api_base: str = TELEGRAM_DEFAULT_API
    state_db: str = str(DEFAULT_STATE_DB)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TelegramSettings:
        env = environment() if env is None else env
        return cls(
            token=_get(env, "TELEGRAM_TOKEN"),
            secret_token=_get(env, "TELEGRAM_SECRET_TOKEN"),
            api_base=_get(env, "TELEGRAM_API_BASE", TELEGRAM_DEFAULT_API),
            state_db=_get(env, "BW_CHANNELS_DB", str(DEFAULT_STATE_DB)),
        )

    @classmethod
    def from_credentials(cls, creds: Mapping[str, Any] | None) -> TelegramSettings:
        creds = creds or {}
        return cls(
            token=_get(creds, "token"),
            secret_token=_get(creds, "secret_token"),
            api_base=_get(creds, "api_base", TELEGRAM_DEFAULT_API),
            state_db=_get(creds, "state_db", str(DEFAULT_STATE_DB)),
        )

    def credentials(self) -> dict[str, str]:
        return {
            "token": self.token,
            "secret_token": self.secret_token,
            "api_base": self.api_base,
            "state_db": self.state_db,
        }


@dataclass(frozen=True)
class WhatsAppSettings:
    """Cloud API access token, app secret (signatures), verify token, sender number, template."""

    token: str = ""
    app_secret: str = ""
    verify_token: str = ""
    phone_number_id: str = ""
    api_base: str = WHATSAPP_DEFAULT_API
    template_name: str = ""
    template_language: str = "nl"
    state_db: str = str(DEFAULT_STATE_DB)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WhatsAppSettings:
        env = environment() if env is None else env
        return cls(
            token=_get(env, "WHATSAPP_TOKEN"),
            app_secret=_get(env, "WHATSAPP_APP_SECRET"),
            verify_token=_get(env, "WHATSAPP_VERIFY_TOKEN"),
            phone_number_id=_get(env, "WHATSAPP_PHONE_NUMBER_ID"),
            api_base=_get(env, "WHATSAPP_API_BASE", WHATSAPP_DEFAULT_API),
            template_name=_get(env, "WHATSAPP_TEMPLATE_NAME"),
            template_language=_get(env, "WHATSAPP_TEMPLATE_LANGUAGE", "nl"),
            state_db=_get(env, "BW_CHANNELS_DB", str(DEFAULT_STATE_DB)),
        )

    @classmethod
    def from_credentials(cls, creds: Mapping[str, Any] | None) -> WhatsAppSettings:
        creds = creds or {}
        return cls(
            **{
                name: _get(creds, name, str(getattr(cls, name)))
                for name in cls.__dataclass_fields__
            }
        )

    def credentials(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @property
    def missing(self) -> list[str]:
        """Names of required settings that are empty."""
        required = ("token", "app_secret", "verify_token", "phone_number_id")
        return [f"WHATSAPP_{name.upper()}" for name in required if not getattr(self, name)]


def configured_channels(env: Mapping[str, str] | None = None) -> dict[str, dict[str, str]]:
    """credentials.yml entries for the channels whose required settings are all present."""
    env = environment() if env is None else env
    channels: dict[str, dict[str, str]] = {}
    telegram = TelegramSettings.from_env(env)
    if telegram.token and telegram.secret_token:
        channels[TELEGRAM_CLASS] = telegram.credentials()
    elif telegram.token:
        logger.warning(
            "Telegram niet ingeschakeld: TELEGRAM_SECRET_TOKEN ontbreekt. Zonder geheim kan "
            "iedereen berichten naar de webhook sturen; zet TELEGRAM_SECRET_TOKEN of gebruik "
            "'python -m channels.telegram poll'."
        )
    whatsapp = WhatsAppSettings.from_env(env)
    if not whatsapp.missing:
        channels[WHATSAPP_CLASS] = whatsapp.credentials()
    elif len(whatsapp.missing) < 4:
        logger.warning("WhatsApp niet ingeschakeld: %s ontbreekt.", ", ".join(whatsapp.missing))
    return channels
