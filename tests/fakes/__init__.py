"""Local fakes of the Telegram Bot API and the WhatsApp Graph API for channel tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.telegram_api import FakeTelegramAPI

TELEGRAM_TOKEN = "123456:TEST-token-not-real"
TELEGRAM_SECRET = "tg-secret-for-tests"
WHATSAPP_TOKEN = "EAAG-test-token"
WHATSAPP_APP_SECRET = "wa-app-secret-for-tests"
WHATSAPP_VERIFY_TOKEN = "wa-verify-for-tests"
WHATSAPP_PHONE_ID = "109876543210"


@dataclass
class ChannelServer:
    """A running ``rasa run`` with REST, Telegram and WhatsApp, wired to the fakes."""

    base: str
    token: str
    telegram: FakeTelegramAPI
    graph: FakeGraphAPI
    state_db: str
    telegram_creds: dict[str, str]
    whatsapp_creds: dict[str, str]

    @property
    def log_file(self) -> Path:
        """The server's log (``rasa.log`` next to the channel store)."""
        return Path(self.state_db).parent / "rasa.log"


__all__ = ["ChannelServer", "FakeGraphAPI", "FakeTelegramAPI"]
