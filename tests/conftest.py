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
