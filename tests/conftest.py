"""Shared fixtures: one knowledge database, one trained model, one action server and one agent
per test session, all real."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

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
    config.addinivalue_line(
        "markers",
        "unit: needs no trained Rasa model and no server (set by conftest; `make test-unit`)",
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


class Background:
    """The session's servers, started one after another on a background thread while the first
    tests run: on two cores one core runs the tests and the other loads the models (each ``rasa
    run`` takes 20-30 s to start). A fixture asks for its server by name and waits only for the
    part that is not ready yet; everything started here stops when the session ends."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prestart")
        self.futures: dict[str, Future] = {}
        self.stops: list[Callable[[], None]] = []

    def submit(self, name: str, start: Callable[[], Any]) -> None:
        self.futures[name] = self.pool.submit(start)

    def get(self, name: str, request) -> Any:
        """The server ``name``: prestarted, or started now in this thread."""
        if name not in self.futures:
            future: Future = Future()
            future.set_result(_starter(name, self, request)())
            self.futures[name] = future
        return self.futures[name].result()

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        for stop in reversed(self.stops):
            stop()


def _start_action_server(bg: Background, db_url: str) -> str:
    from bot import runtime

    proc, url = runtime.start_action_server(extra_env={"BW_DATABASE_URL": db_url})
    bg.stops.append(lambda: runtime.stop(proc))
    return url


def _start_rasa_server(
    bg: Background, request, model: Path, db_url: str, folder: Path
) -> tuple[str, str]:
    from bot import runtime, serve

    action_url = bg.get("action_server", request)  # prestarted before this one, or started now
    state = {"state_db": str(folder / "channels.db")}
    channels = {
        serve.REST: state,
        serve.RESIDENT_REST: state,
        serve.STAFF: {"token": STAFF_TOKEN},
        serve.CONSOLE: {"poll_seconds": 1},
    }
    proc, base, token = serve.start_rasa_server(
        model, action_url, folder, channels=channels, extra_env={"BW_DATABASE_URL": db_url}
    )
    bg.stops.append(lambda: runtime.stop(proc))
    return base, token


def _start_channel_server(bg: Background, request, model: Path, db_url: str, folder: Path):
    from bot import runtime, serve
    from tests import fakes

    action_url = bg.get("action_server", request)  # prestarted before this one, or started now
    state_db = str(folder / "channels.db")
    telegram = fakes.FakeTelegramAPI(fakes.TELEGRAM_TOKEN).start()
    bg.stops.append(telegram.stop)
    graph = fakes.FakeGraphAPI(fakes.WHATSAPP_TOKEN, fakes.WHATSAPP_PHONE_ID).start()
    bg.stops.append(graph.stop)
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
    proc, base, token = serve.start_rasa_server(model, action_url, folder, channels=channels)
    bg.stops.append(lambda: runtime.stop(proc))
    return fakes.ChannelServer(base, token, telegram, graph, state_db, tg, wa)


#: The shared servers a session may need.
SERVERS = ("action_server", "rasa_server", "channel_server")

#: Slow things a test module starts for itself (its own server, a subprocess run), registered
#: with :func:`prestart` so the background thread starts them early too. A factory gets the
#: Background and the session's request and returns the callable that starts the thing.
PRESTART: dict[str, Callable[[Background, Any], Callable[[], Any]]] = {}


def prestart(name: str):
    """Register a factory for the session-scoped fixture ``name`` (which must call
    ``background.get(name, request)``)."""

    def register(factory: Callable[[Background, Any], Callable[[], Any]]):
        PRESTART[name] = factory
        return factory

    return register


def _starter(name: str, bg: Background, request) -> Callable[[], Any]:
    if name in PRESTART:
        return PRESTART[name](bg, request)
    db_url = request.getfixturevalue("db_url")
    if name == "action_server":
        return lambda: _start_action_server(bg, db_url)
    model = request.getfixturevalue("model_path")
    factory = request.getfixturevalue("tmp_path_factory")
    if name == "rasa_server":
        folder = factory.mktemp("rasa")
        return lambda: _start_rasa_server(bg, request, model, db_url, folder)
    folder = factory.mktemp("channels")
    return lambda: _start_channel_server(bg, request, model, db_url, folder)


#: Fixtures that make a test need the trained model or one of the background's servers.
HEAVY = {"model_path", "agent", *SERVERS}


def _is_heavy(item) -> bool:
    """Whether a test needs the trained model or one of the background's servers."""
    return bool(set(getattr(item, "fixturenames", ())) & (HEAVY | set(PRESTART)))


def pytest_collection_modifyitems(session, config, items) -> None:
    """Modules whose tests need no model and no server run first, so the background thread
    starts the servers while they run instead of while a test waits. Each module's tests keep
    their order and stay together (module fixtures are set up once). The others are marked
    ``unit`` (`make test-unit`)."""
    heavy: set = set()
    for item in items:
        if _is_heavy(item):
            heavy.add(item.path)
        else:
            item.add_marker(pytest.mark.unit)
    items.sort(key=lambda item: item.path in heavy)  # stable


@pytest.fixture(scope="session", autouse=True)
def background(request):
    """Prestart the servers (and other slow starts) the collected tests use, in the order the
    tests first need them; none for a run of unit tests."""
    bg = Background()
    wanted = set(SERVERS) | set(PRESTART)
    order: list[str] = []
    for item in request.session.items:
        for name in item.fixturenames:
            if name in wanted and name not in order:
                order.append(name)
    if "action_server" in order:  # every Rasa server of the session talks to it
        order.remove("action_server")
        order.insert(0, "action_server")
    for name in order:
        bg.submit(name, _starter(name, bg, request))
    yield bg
    bg.close()


@pytest.fixture(scope="session")
def action_server(background, request) -> str:
    return background.get("action_server", request)


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
def rasa_server(background, request) -> tuple[str, str]:
    """A real ``rasa run`` (REST channel + HTTP API with a token) on loopback, once per session.

    Yields (base_url, token).
    """
    return background.get("rasa_server", request)


@pytest.fixture(scope="session")
def channel_server(background, request):
    """One more ``rasa run`` with REST, Telegram and WhatsApp, talking to local fake APIs.

    A :class:`tests.fakes.ChannelServer`; the fakes record every outbound call.
    """
    return background.get("channel_server", request)
