"""The channel store on a real PostgreSQL, as the scale-out setup uses it (``BW_CHANNELS_DB`` a
``postgresql://`` URL shared by every Rasa instance; issue #19 item 9).

Every behaviour of tests/channel_store_behaviour.py runs here too, each on a fresh database; then
what sharing needs: two stores (and another process) on one URL see each other's state, a message
in the outbox goes to one instance only, instances creating the tables at once do not collide,
forget and the retention purge reach the URL, and nothing personal is in the tables in the clear.
PostgreSQL is started on loopback with bot/scale.py's helpers. Runs only with
``BW_SCALE_TESTS=1`` (it starts a PostgreSQL server: about 20 s); the rest of this module (the
scale-out configuration) always runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot import privacy, runtime, scale
from channels.identity import pseudonym
from channels.settings import TelegramSettings, WhatsAppSettings
from channels.store import ChannelStore, opened_paths, release
from tests.channel_store_behaviour import BEHAVIOURS, Check

ROOT = Path(__file__).resolve().parent.parent
GATE = "BW_SCALE_TESTS"


@pytest.fixture(scope="module")
def postgres() -> Iterator[scale.ScaleConfig]:
    """A PostgreSQL of its own on a free loopback port, in a temporary folder (removed after)."""
    if os.environ.get(GATE) != "1":
        pytest.skip(f"PostgreSQL channel store: set {GATE}=1 (starts a PostgreSQL server)")
    if scale.pg_bin() is None:
        pytest.skip("PostgreSQL channel store: postgresql is not installed")
    folder = Path(tempfile.mkdtemp(prefix="bw-channel-pg-"))
    cfg = scale.ScaleConfig(folder=folder, base_port=runtime.free_port() - 2)  # pg: base + 2
    for d in (cfg.run, cfg.logs):
        d.mkdir(parents=True, exist_ok=True)
    for d in (folder, cfg.logs):
        os.chmod(d, 0o755)  # as root PostgreSQL runs as 'postgres', which must reach these
    try:
        scale.start_postgres(cfg)
    except Exception as exc:  # pragma: no cover - depends on the machine
        scale.stop_postgres(cfg)
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {exc}")
    yield cfg
    for location in opened_paths():
        if location.startswith("postgresql://"):
            release(location)  # later tests in this session must not reach a stopped server
    scale.stop_postgres(cfg)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def new_url(postgres: scale.ScaleConfig) -> Callable[[], str]:
    """Make an empty database and return its URL (one per store, so checks never mix)."""

    def make() -> str:
        name = f"ch_{uuid.uuid4().hex[:12]}"
        admin = create_engine(
            scale.database_url(postgres, "postgres"), future=True, isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as con:
            con.execute(text(f'CREATE DATABASE "{name}" OWNER {scale.DB_USER}'))
        admin.dispose()
        return scale.database_url(postgres, name)

    return make


@pytest.fixture
def url(new_url: Callable[[], str]) -> str:
    return new_url()


def _sql(url: str, query: str) -> list[tuple]:
    engine = create_engine(url, future=True)
    with engine.connect() as con:
        rows = [tuple(r) for r in con.execute(text(query))]
    engine.dispose()
    return rows


@pytest.mark.parametrize("behaviour", BEHAVIOURS, ids=lambda b: b.__name__)
def test_behaviour_on_postgresql(url: str, behaviour: Check) -> None:
    store = ChannelStore(url)
    assert store.dialect == "postgresql" and store.path is None
    behaviour(store)


def test_two_stores_on_one_url_see_each_others_state(url: str) -> None:
    """Two Rasa replicas: what one learns, the other knows."""
    one, two = ChannelStore(url), ChannelStore(url)
    sender = pseudonym("whatsapp", "31612345678")
    assert one.remember_sender("whatsapp", sender, "31612345678") is True
    assert two.remember_sender("whatsapp", sender, "31612345678") is False  # not new there
    assert two.address("whatsapp", sender) == "31612345678"
    two.record_inbound("whatsapp", sender, ts=1000.0)
    one.record_inbound("whatsapp", sender, ts=900.0)  # a late retry on the other replica
    assert one.last_inbound("whatsapp", sender) == 1000.0
    key = one.short_key("/kies" + "x" * 100, "k:")
    assert two.payload(key) == "/kies" + "x" * 100
    one.add_alias("whatsapp", "h-uid", sender)
    assert two.alias("whatsapp", "h-uid") == sender
    one.add_outbox("whatsapp", sender, "wacht op het venster", "outside_24h")
    assert [e.text for e in two.take_outbox("whatsapp", sender)] == ["wacht op het venster"]
    assert one.take_outbox("whatsapp", sender) == []  # delivered once, by the other replica
    one.record_sent("whatsapp", sender, "wamid.1", "text", "tekst")
    assert two.record_status("wamid.1", "delivered").status == "delivered"
    assert one.record_status("wamid.1", "sent").status == "delivered"
    assert [d.status for d in one.deliveries(sender)] == ["delivered"]
    two.add_inbox("whatsapp", sender, "vraag", "actions")
    assert [e.text for e in one.inbox()] == ["vraag"]
    assert two.forget(sender) == 6
    assert one.address("whatsapp", sender) is None and one.deliveries(sender) == []


_OTHER_PROCESS = """
import sys
from channels.settings import WhatsAppSettings
from channels.store import ChannelStore

store = ChannelStore(WhatsAppSettings.from_env().state_db)  # BW_CHANNELS_DB, as a replica reads it
if sys.argv[1] == "write":
    store.remember_sender("whatsapp", "s-proc", "31600000001")
    store.record_inbound("whatsapp", "s-proc", ts=1234.5)
    store.add_outbox("whatsapp", "s-proc", "van de andere instantie", "outside_24h")
    store.record_sent("whatsapp", "s-proc", "wamid.proc", "text", "verstuurd")
else:
    assert store.take_outbox("whatsapp", "s-proc") == []
    assert store.delivery("wamid.proc").status == "read"
    assert store.last_inbound("whatsapp", "s-proc") == 2000.0
print("ok")
"""


def test_another_process_on_the_url_shares_the_state(url: str) -> None:
    """A separate process (its own engine and connections), configured like a Rasa instance."""
    env = {**os.environ, "BW_CHANNELS_DB": url, "PYTHONPATH": str(ROOT)}

    def other(step: str) -> None:
        done = subprocess.run(
            [sys.executable, "-c", _OTHER_PROCESS, step],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]

    other("write")
    here = ChannelStore(url)
    assert here.address("whatsapp", "s-proc") == "31600000001"
    assert here.last_inbound("whatsapp", "s-proc") == 1234.5
    assert [e.text for e in here.take_outbox("whatsapp", "s-proc")] == ["van de andere instantie"]
    here.record_status("wamid.proc", "read")
    here.record_inbound("whatsapp", "s-proc", ts=2000.0)
    other("check")


def test_an_outbox_message_goes_out_once_when_replicas_take_at_the_same_moment(url: str) -> None:
    store = ChannelStore(url)
    rounds, takers = 15, 4
    taken: list[int] = []
    lock = threading.Lock()
    for n in range(rounds):
        for i in range(3):
            store.add_outbox("whatsapp", "s1", f"bericht {n}.{i}", "outside_24h")
        barrier = threading.Barrier(takers)

        def take(barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            ids = [e.id for e in ChannelStore(url).take_outbox("whatsapp", "s1")]
            with lock:
                taken.extend(ids)

        threads = [threading.Thread(target=take) for _ in range(takers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert sorted(taken) == [e.id for e in store.outbox("whatsapp", "s1")]
    assert len(taken) == rounds * 3 == len(set(taken))


def test_replicas_starting_at_once_create_the_tables_once(new_url: Callable[[], str]) -> None:
    for _ in range(3):
        url = new_url()
        barrier, errors = threading.Barrier(4), []

        def start(
            url: str = url, barrier: threading.Barrier = barrier, errors: list[str] = errors
        ) -> None:
            barrier.wait()
            try:
                ChannelStore(url).record_inbound("whatsapp", "s1")
            except Exception as exc:  # noqa: BLE001 - collected and shown below
                errors.append(repr(exc))

        threads = [threading.Thread(target=start) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        tables = _sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert {t for (t,) in tables} == {
            "payloads",
            "last_inbound",
            "outbox",
            "senders",
            "aliases",
            "deliveries",
            "inbox",
        }


def test_timestamps_keep_their_precision(url: str) -> None:
    """Float columns are double precision: the 24-hour window is compared to the second."""
    now = time.time()
    ChannelStore(url).record_inbound("whatsapp", "s1", ts=now)
    assert ChannelStore(url).last_inbound("whatsapp", "s1") == now
    types = _sql(
        url,
        "SELECT data_type FROM information_schema.columns"
        " WHERE table_name = 'last_inbound' AND column_name = 'ts'",
    )
    assert types == [("double precision",)]


def test_nothing_personal_in_the_clear_and_no_password_in_repr(url: str) -> None:
    store = ChannelStore(url)
    sender = pseudonym("whatsapp", "31612345678")
    store.remember_sender("whatsapp", sender, "31612345678")
    store.add_outbox("whatsapp", sender, "geheime tekst voor de bewoner", "outside_24h")
    store.add_inbox("whatsapp", sender, "mijn vraag over huur", "actions")
    store.record_sent("whatsapp", sender, "wamid.1", "text", "verstuurde tekst")
    raw = str(
        [_sql(url, f"SELECT * FROM {t}") for t in ("senders", "outbox", "inbox", "deliveries")]
    )
    assert sender in raw
    for secret in ("31612345678", "geheime tekst", "mijn vraag", "verstuurde tekst"):
        assert secret not in raw
    password = make_url(url).password
    assert password and password not in repr(store) and "postgresql://" not in repr(store)


def test_forget_and_purge_reach_the_configured_url(url: str, tmp_path: Path, monkeypatch) -> None:
    """'verwijder mijn gesprek' and the daily purge delete from the PostgreSQL channel tables."""
    monkeypatch.setenv("BW_CHANNELS_DB", url)
    assert url in privacy.channel_store_paths()
    store = ChannelStore(url)
    for sender in ("weg", "blijft"):
        store.remember_sender("telegram", sender, "4242")
        store.record_inbound("telegram", sender)
        store.add_outbox("telegram", sender, "wacht", "retry")
    cases = create_engine(f"sqlite:///{tmp_path / 'cases.db'}", future=True)
    counts = privacy.forget("weg", cases)
    assert counts["channel_rows"] == 3
    assert store.address("telegram", "weg") is None and store.address("telegram", "blijft")

    store.record_inbound("whatsapp", "oud", ts=time.time() - 100 * 86400)
    result = privacy.purge(
        days=90,
        tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        engine=cases,
        log_dir=tmp_path,
    )
    assert result["channel_rows"] >= 1
    assert store.last_inbound("whatsapp", "oud") is None
    assert store.last_inbound("telegram", "blijft") is not None


def test_the_scale_out_postgres_has_the_shared_channel_database(postgres) -> None:
    """start_postgres (bot/scale.py) creates bw_channels next to the other two databases; the
    URL the instances get (app_env) opens a store there."""
    names = _sql(scale.database_url(postgres, "postgres"), "SELECT datname FROM pg_database")
    assert {scale.KB_DB, scale.TRACKER_DB, scale.CHANNELS_DB} <= {n for (n,) in names}
    store = ChannelStore(scale.app_env(postgres)["BW_CHANNELS_DB"])
    store.record_inbound("whatsapp", "s-scale", ts=1.0)
    assert store.last_inbound("whatsapp", "s-scale") == 1.0
    assert store.forget("s-scale") == 1


# --- the scale-out configuration (no server needed) ----------------------------------------


def test_scale_out_gives_every_instance_the_shared_channel_database(tmp_path, monkeypatch):
    cfg = scale.ScaleConfig(folder=tmp_path / "scale", base_port=5400)
    url = scale.app_env(cfg)["BW_CHANNELS_DB"]
    assert url == scale.database_url(cfg, scale.CHANNELS_DB) and url.startswith("postgresql://")
    assert scale.CHANNELS_DB not in (scale.KB_DB, scale.TRACKER_DB)  # 'outbox' is in both
    monkeypatch.setenv("BW_CHANNELS_DB", str(tmp_path / "local.db"))  # this host's file
    for key, value in {
        "TELEGRAM_TOKEN": "123:abc",
        "TELEGRAM_SECRET_TOKEN": "geheim",
        "WHATSAPP_TOKEN": "t",
        "WHATSAPP_APP_SECRET": "s",
        "WHATSAPP_VERIFY_TOKEN": "v",
        "WHATSAPP_PHONE_NUMBER_ID": "1",
    }.items():
        monkeypatch.setenv(key, value)
    channels = scale.channel_credentials(cfg)
    telegram = TelegramSettings.from_credentials(channels["channels.telegram.TelegramInput"])
    whatsapp = WhatsAppSettings.from_credentials(channels["channels.whatsapp.WhatsAppInput"])
    assert telegram.state_db == whatsapp.state_db == url
