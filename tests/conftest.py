"""Shared fixtures: one knowledge database, one trained model, one action server and one agent
per test session, all real."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_asyncio

from bot import env

env.apply()

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STAFF_TOKEN = "test-staff-token"


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "scale: scale-out test (PostgreSQL, Redis, nginx); runs with BW_SCALE_TESTS=1"
    )


@pytest.fixture(scope="session")
def db_url(tmp_path_factory) -> str:
    """A fresh SQLite knowledge database with all shipped content, used by the whole session."""
    from knowledge import loader
    from knowledge.db import get_engine

    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'kb.db'}"
    os.environ["BW_DATABASE_URL"] = url
    loader.load(engine=get_engine(url))
    return url


@pytest.fixture(scope="session")
def kb(db_url):
    from knowledge.db import get_engine
    from knowledge.service import KnowledgeService

    return KnowledgeService(get_engine(db_url))


@pytest.fixture(scope="session")
def model_path() -> Path:
    from bot import training

    return training.ensure_model()


@pytest.fixture(scope="session")
def action_server(db_url):
    from bot import runtime

    proc, url = runtime.start_action_server(extra_env={"BW_DATABASE_URL": db_url})
    yield url
    runtime.stop(proc)


@pytest_asyncio.fixture(scope="session")
async def agent(model_path, action_server):
    from bot import runtime

    runtime.configure_rasa_logging()
    return runtime.load_agent(model_path, action_server)


@pytest.fixture
def conversation(agent):
    from tests.conversation import Conversation

    return Conversation(agent)


@pytest.fixture(scope="session")
def rasa_server(model_path, action_server, db_url, tmp_path_factory):
    """A real ``rasa run`` (REST channel + HTTP API with a token) on loopback, once per session.

    Yields (base_url, token). Channel tests may extend the credentials through ``server_channels``.
    """
    from bot import runtime, serve

    folder = tmp_path_factory.mktemp("rasa")
    state = {"state_db": str(folder / "channels.db")}
    channels = {
        serve.REST: state,
        serve.RESIDENT_REST: state,
        serve.STAFF: {"token": STAFF_TOKEN},
        serve.CONSOLE: {"poll_seconds": 1},
    }
    proc, base, token = serve.start_rasa_server(
        model_path, action_server, folder, channels=channels, extra_env={"BW_DATABASE_URL": db_url}
    )
    yield base, token
    runtime.stop(proc)


@pytest.fixture(scope="session")
def channel_server(model_path, action_server, tmp_path_factory):
    """One more ``rasa run`` with REST, Telegram and WhatsApp, talking to local fake APIs.

    Yields a :class:`tests.fakes.ChannelServer`; the fakes record every outbound call.
    """
    from bot import runtime, serve
    from tests import fakes

    folder = tmp_path_factory.mktemp("channels")
    state_db = str(folder / "channels.db")
    telegram = fakes.FakeTelegramAPI(fakes.TELEGRAM_TOKEN).start()
    graph = fakes.FakeGraphAPI(fakes.WHATSAPP_TOKEN, fakes.WHATSAPP_PHONE_ID).start()
    tg = {
        "token": fakes.TELEGRAM_TOKEN,
        "secret_token": fakes.TELEGRAM_SECRET,
        "api_base": telegram.base_url,
        "state_db": state_db,
    }
    wa = {
        "token": fakes.WHATSAPP_TOKEN,
        "app_secret": fakes.WHATSAPP_APP_SECRET,
        "verify_token": fakes.WHATSAPP_VERIFY_TOKEN,
        "phone_number_id": fakes.WHATSAPP_PHONE_ID,
        "api_base": graph.base_url,
        "template_name": "bestaanswijzer_vervolg",  # approved template with a quick reply
        "template_language": "nl",
        "state_db": state_db,
    }
    channels = {
        serve.REST: {"state_db": state_db},
        serve.STAFF: {"token": STAFF_TOKEN},  # staff replies go out through these channels
        "channels.telegram.TelegramInput": tg,
        "channels.whatsapp.WhatsAppInput": wa,
    }
    proc = None
    try:
        proc, base, token = serve.start_rasa_server(
            model_path, action_server, folder, channels=channels
        )
        yield fakes.ChannelServer(base, token, telegram, graph, state_db, tg, wa)
    finally:
        runtime.stop(proc)
        telegram.stop()
        graph.stop()
