"""One definition of the deployed configuration (issue #19 item 9, issue #18): the container
setup (deploy/) and the loopback scale-out (bot/scale.py) are rendered from the same Jinja2
templates (deploy/templates/, bot/deployment.py).

Checked here: the checked-in container files are exactly a fresh rendering (so they cannot
drift from the templates), and BOTH renderings keep the privacy guarantees: the masking tracker
store on ``BW_TRACKER_DB``, which the retention purge and the forget paths read too; channel state
in one shared PostgreSQL database (``BW_CHANNELS_DB``, ``bw_channels``); the action server's
shared secret on every call; Redis and nginx as the loopback setup runs them. Docker, nginx and
Redis are not available here, so the tests read the rendered files, and let Rasa itself read
each endpoints.yml and build its tracker store from it. With ``BW_SCALE_TESTS=1`` one more test
runs the loopback tracker store and its retention purge on a real PostgreSQL.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot import deployment, env, privacy, runtime, scale, scale_services, serve
from channels.settings import TelegramSettings, WhatsAppSettings
from channels.tracker_store import FORGET_ACTION, PrivateSQLTrackerStore, tracker_db_url

DEPLOY = deployment.DEPLOY
SETUPS = ("container", "loopback")
# What deploy/.env would hold; compose fills them into compose.yml.
COMPOSE_ENV = {
    "POSTGRES_PASSWORD": "pg-secret",
    "REDIS_PASSWORD": "redis-secret",
    "BW_RASA_TOKEN": "rasa-secret",
    "BW_ACTION_TOKEN": "action-secret",
    "BW_STAFF_TOKEN": "staff-secret",
    "BW_SECRET_KEY": "key-secret",
}
LOOPBACK_ACTION_TOKEN = "loopback-action-secret"
CHANNEL_SETTINGS = {
    "TELEGRAM_TOKEN": "123:abc",
    "TELEGRAM_SECRET_TOKEN": "geheim",
    "WHATSAPP_TOKEN": "t",
    "WHATSAPP_APP_SECRET": "s",
    "WHATSAPP_VERIFY_TOKEN": "v",
    "WHATSAPP_PHONE_NUMBER_ID": "1",
}
BSN = "111222333"  # passes the 11-proef, so the masker must take it out


def _interpolate(value: str, values: dict[str, str]) -> str:
    """Compose's interpolation of ``${X}``, ``${X:?}`` (required) and ``${X:-default}``."""

    def one(match: re.Match) -> str:
        name, op, default = match.group(1), match.group(2) or "", match.group(3) or ""
        if name in values and values[name]:
            return values[name]
        assert op != ":?", f"compose would stop: {name} is required"
        return default

    return re.sub(r"\$\{(\w+)(:[?-])?([^}]*)\}", one, value)


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf8"))


def _service_env(service: str, dotenv: dict[str, str] | None = None) -> dict[str, str]:
    """A service's environment as the container sees it (x-app merged in, compose-filled from
    ``dotenv``, default ``COMPOSE_ENV``)."""
    raw = _compose()["services"][service]["environment"]
    return {k: _interpolate(str(v), dotenv or COMPOSE_ENV) for k, v in raw.items()}


@dataclass
class Rendered:
    """One setup as it runs: its endpoints.yml, nginx.conf and redis.conf, and the environment
    of its Rasa instances and action servers."""

    setup: deployment.Setup
    endpoints: Path
    nginx: str
    redis: str
    rasa_env: dict[str, str]
    actions_env: dict[str, str]


@pytest.fixture
def loopback_cfg(tmp_path, monkeypatch) -> deployment.ScaleConfig:
    monkeypatch.setenv("BW_ACTION_TOKEN", LOOPBACK_ACTION_TOKEN)
    return deployment.ScaleConfig(folder=tmp_path / "scale", base_port=5400)


@pytest.fixture(params=SETUPS)
def rendered(request, loopback_cfg) -> Rendered:
    if request.param == "container":  # the checked-in files, as compose mounts and uses them
        return Rendered(
            setup=deployment.container(),
            endpoints=DEPLOY / "endpoints.yml",
            nginx=(DEPLOY / "nginx.conf").read_text(encoding="utf8"),
            redis=(DEPLOY / "redis.conf").read_text(encoding="utf8"),
            rasa_env=_service_env("rasa"),
            actions_env=_service_env("actions"),
        )
    cfg = loopback_cfg  # the files bot/scale.py writes before it starts the processes
    return Rendered(
        setup=deployment.loopback(cfg),
        endpoints=scale.write_endpoints(cfg),
        nginx=scale_services.write_nginx_conf(cfg).read_text(encoding="utf8"),
        redis=scale_services.write_redis_conf(cfg).read_text(encoding="utf8"),
        rasa_env=scale.app_env(cfg),
        actions_env=scale.app_env(cfg),
    )


def _read_endpoints(path: Path, environment: dict[str, str], monkeypatch) -> AvailableEndpoints:
    """endpoints.yml as Rasa reads it, with ``${...}`` filled in from the instance's environment."""
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    return AvailableEndpoints.read_endpoints(str(path))


# --- the checked-in container files --------------------------------------------------------


def test_the_container_files_are_a_fresh_rendering_of_the_templates():
    assert deployment.stale_container_files() == [], "run: python -m bot.deployment render"
    rendered = set(deployment.container_files())
    # nothing in initdb/ that the templates do not make (it would run on a new volume too)
    assert set((DEPLOY / "initdb").iterdir()) <= rendered


def test_a_changed_container_file_is_reported_stale(monkeypatch, tmp_path):
    """The check above compares for real: a copy of deploy/ with one edited line is stale."""
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    nginx = copy / "nginx.conf"
    nginx.write_text(nginx.read_text().replace("access_log off;", "access_log on;"))
    monkeypatch.setattr(deployment, "DEPLOY", copy)
    assert deployment.stale_container_files() == [nginx]
    assert deployment.write_container_files() == [nginx]
    assert deployment.stale_container_files() == []


# --- both setups: one definition ------------------------------------------------------------


def test_both_setups_render_the_same_endpoints_apart_from_addresses(loopback_cfg):
    """The tracker store, the lock store's settings and the action secret header are the same
    text in both endpoints.yml files: only hosts and ports differ."""
    container = yaml.safe_load((DEPLOY / "endpoints.yml").read_text(encoding="utf8"))
    loopback = yaml.safe_load(scale.write_endpoints(loopback_cfg).read_text(encoding="utf8"))
    assert (
        container["tracker_store"]
        == loopback["tracker_store"]
        == {
            "type": serve.TRACKER_STORE,
            "db_url": "${BW_TRACKER_DB}",
        }
    )
    assert container["action_endpoint"]["headers"] == loopback["action_endpoint"]["headers"]
    for same in ("type", "password", "db", "key_prefix"):
        assert container["lock_store"][same] == loopback["lock_store"][same]
    assert set(container) == set(loopback) == {"action_endpoint", "tracker_store", "lock_store"}


def test_rasa_reads_the_masking_tracker_store_and_the_action_secret(rendered, monkeypatch):
    environment = rendered.rasa_env
    endpoints = _read_endpoints(rendered.endpoints, environment, monkeypatch)
    # the masking tracker store, on the database of BW_TRACKER_DB (which purge and forget read)
    assert endpoints.tracker_store.type == serve.TRACKER_STORE
    assert endpoints.tracker_store.kwargs == {"db_url": environment["BW_TRACKER_DB"]}
    tracker = make_url(environment["BW_TRACKER_DB"])
    assert (tracker.drivername, tracker.database) == ("postgresql", deployment.TRACKER_DB)
    assert (tracker.host, tracker.port) == (rendered.setup.db_host, rendered.setup.db_port)
    # Redis locks with the password the setup's Redis requires
    assert endpoints.lock_store.type == "redis"
    assert endpoints.lock_store.url == rendered.setup.redis_host
    assert endpoints.lock_store.kwargs["port"] == rendered.setup.redis_port
    assert endpoints.lock_store.kwargs["password"] == environment["REDIS_PASSWORD"]
    # every action call carries the secret the action servers check
    secret = rendered.actions_env["BW_ACTION_TOKEN"]
    assert secret and secret == environment["BW_ACTION_TOKEN"]
    assert secret in (COMPOSE_ENV["BW_ACTION_TOKEN"], LOOPBACK_ACTION_TOKEN)
    assert endpoints.action.headers == {env.ACTION_TOKEN_HEADER: secret}
    # ... and goes through nginx's actions front to every action server
    assert endpoints.action.url == f"http://{rendered.setup.actions_front}/webhook"
    assert rendered.setup.actions_front.endswith(":" + rendered.setup.actions_listen.split(":")[-1])


def test_the_endpoints_files_hold_no_secret(rendered):
    text = rendered.endpoints.read_text(encoding="utf8")
    for key in ("BW_DATABASE_URL", "BW_TRACKER_DB", "BW_CHANNELS_DB"):
        assert make_url(rendered.rasa_env[key]).password not in text
    for key in ("REDIS_PASSWORD", "BW_ACTION_TOKEN"):
        assert rendered.rasa_env[key] not in text
    if rendered.setup.name == "loopback":
        assert stat.S_IMODE(rendered.endpoints.stat().st_mode) == 0o600


@pytest.mark.parametrize("setup", SETUPS)
async def test_the_tracker_store_rasa_builds_masks_and_purge_and_forget_reach_it(
    setup, loopback_cfg, tmp_path, monkeypatch
):
    """Rasa builds the tracker store from the rendered endpoints.yml; it is the masking one, on
    the database of ``BW_TRACKER_DB``; the retention purge (which finds the tracker through the
    same variable) and "verwijder mijn gesprek" delete there. The databases are SQLite files
    here (PostgreSQL: the gated test below); the wiring is the setup's own."""
    if setup == "container":
        path, environment = DEPLOY / "endpoints.yml", _service_env("rasa")
    else:
        path, environment = scale.write_endpoints(loopback_cfg), scale.app_env(loopback_cfg)
    local = {
        "BW_TRACKER_DB": f"sqlite:///{tmp_path / 'tracker.db'}",
        "BW_DATABASE_URL": f"sqlite:///{tmp_path / 'cases.db'}",
        "BW_CHANNELS_DB": str(tmp_path / "channels.db"),
    }
    endpoints = _read_endpoints(path, {**environment, **local}, monkeypatch)
    store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    assert type(store) is PrivateSQLTrackerStore  # not Rasa's stock store, not in memory
    old = time.time() - 200 * 86400
    for sender in ("oud", "weg", "blijft"):
        stamp = old if sender == "oud" else time.time()
        await store.save(
            DialogueStateTracker.from_events(
                sender,
                [
                    ActionExecuted("action_session_start", timestamp=stamp),
                    SessionStarted(timestamp=stamp),
                    UserUttered(f"mijn bsn is {BSN}", timestamp=stamp + 1),
                ],
            )
        )
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("tracker.db*")).decode("latin-1")
    assert "mijn bsn is [BSN]" in raw and BSN not in raw
    # the retention purge reads the tracker's URL from the same variable
    assert tracker_db_url() == local["BW_TRACKER_DB"]
    assert privacy.purge_tracker(tracker_db_url(), time.time() - 90 * 86400) == 3
    assert await store.retrieve("oud") is None
    # "verwijder mijn gesprek": saving the confirmed turn deletes the resident's tracker
    tracker = await store.retrieve("weg")
    tracker.update(ActionExecuted(FORGET_ACTION))
    await store.save(tracker)
    assert await store.retrieve("weg") is None
    assert await store.retrieve("blijft") is not None


def test_both_setups_share_channel_state_in_one_database(rendered):
    """Every Rasa instance and action server gets the same BW_CHANNELS_DB: database bw_channels
    on the setup's PostgreSQL, next to (not inside) the tracker and case databases."""
    environment = rendered.rasa_env
    assert rendered.actions_env == environment
    urls = [
        make_url(environment[k]) for k in ("BW_CHANNELS_DB", "BW_TRACKER_DB", "BW_DATABASE_URL")
    ]
    channels = urls[0]
    assert channels.drivername == "postgresql" and channels.database == deployment.CHANNELS_DB
    setup = rendered.setup
    assert {(u.host, u.port) for u in urls} == {(setup.db_host, setup.db_port)}
    assert len({u.database for u in urls}) == 3  # 'outbox' is in two of them


def test_the_container_databases_are_the_loopback_databases():
    """deploy/initdb/ makes every database the loopback setup creates (bot.scale_services
    create_databases: deployment.DATABASES), next to POSTGRES_DB."""
    postgres = _compose()["services"]["postgres"]["environment"]
    initdb = (DEPLOY / "initdb" / "10-databases.sql").read_text(encoding="utf8")
    made = set(re.findall(r"^CREATE DATABASE (\w+) OWNER (\w+);", initdb, re.M))
    assert made | {(postgres["POSTGRES_DB"], postgres["POSTGRES_USER"])} == {
        (db, deployment.DB_USER) for db in deployment.DATABASES
    }
    assert {
        make_url(url).database
        for key, url in _service_env("rasa").items()
        if key in ("BW_DATABASE_URL", "BW_TRACKER_DB", "BW_CHANNELS_DB")
    } == set(deployment.DATABASES)


def test_both_setups_write_credentials_with_the_shared_channel_database(
    loopback_cfg, tmp_path, monkeypatch
):
    """Telegram and WhatsApp keep their state in BW_CHANNELS_DB in both setups: the container
    entry point and bot/scale.py write credentials.yml with the same function."""
    for key, value in CHANNEL_SETTINGS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("BW_CHANNELS_DB", str(tmp_path / "this-host.db"))  # a host's own file
    entry = (DEPLOY / "entrypoint.sh").read_text(encoding="utf8")
    assert 'python -m bot.deployment credentials "$BW_VAR_DIR/rasa"' in entry
    container = _service_env("rasa", {**COMPOSE_ENV, **CHANNEL_SETTINGS})  # deploy/.env
    for key, value in container.items():  # the container's environment, as the entry point has it
        monkeypatch.setenv(key, value)
    assert deployment.main(["credentials", str(tmp_path / "rasa")]) == 0
    path = tmp_path / "rasa" / "credentials.yml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = {"container": yaml.safe_load(path.read_text(encoding="utf8"))}
    monkeypatch.setenv("BW_CHANNELS_DB", str(tmp_path / "this-host.db"))
    written["loopback"] = scale.channel_credentials(loopback_cfg)
    shared = {"container": container, "loopback": scale.app_env(loopback_cfg)}
    for name, channels in written.items():
        telegram = TelegramSettings.from_credentials(channels["channels.telegram.TelegramInput"])
        whatsapp = WhatsAppSettings.from_credentials(channels["channels.whatsapp.WhatsAppInput"])
        assert telegram.state_db == whatsapp.state_db == shared[name]["BW_CHANNELS_DB"], name


def test_the_loopback_instances_get_the_rendered_endpoints_and_the_shared_settings(
    loopback_cfg, monkeypatch
):
    """bot/scale.py starts every Rasa instance and action server with the setup's environment
    and the rendered endpoints.yml (process start replaced by a recorder: no model here)."""
    calls: list[dict] = []

    class Proc:
        pid = 0

    def rasa(model, action_url, folder, **kwargs):
        calls.append({"kind": "rasa", **kwargs})
        return Proc(), f"http://127.0.0.1:{kwargs['port']}", kwargs["token"]

    def actions(port, extra_env=None, log_path=None, wait=True):
        calls.append({"kind": "actions", "port": port, "extra_env": extra_env})
        return Proc(), f"http://127.0.0.1:{port}/webhook"

    monkeypatch.setattr(serve, "start_rasa_server", rasa)
    monkeypatch.setattr(runtime, "start_action_server", actions)
    monkeypatch.setattr(runtime, "wait_http", lambda *a, **k: None)
    cfg = loopback_cfg
    for d in (cfg.run, cfg.logs):
        d.mkdir(parents=True, exist_ok=True)
    scale.start_actions(cfg)
    scale.start_rasa(cfg, Path("model.tar.gz"))
    shared = scale.app_env(cfg)
    assert [c["kind"] for c in calls] == ["actions"] * 2 + ["rasa"] * 2
    assert all(c["extra_env"] == shared for c in calls)
    assert sorted(c["port"] for c in calls) == sorted(cfg.action_ports + cfg.rasa_ports)
    expected = deployment.render("endpoints.yml.j2", deployment.loopback(cfg))
    for call in calls[2:]:
        assert call["endpoints"].read_text(encoding="utf8") == expected


def test_nginx_spreads_over_every_instance_without_an_access_log(rendered):
    conf, setup = rendered.nginx, rendered.setup
    assert re.findall(r"access_log\s+([^;]+);", conf) == ["off"]
    for name, servers in (("rasa", setup.rasa_servers), ("actions", setup.action_servers)):
        block = re.search(rf"upstream {name} \{{(.*?)\}}", conf, re.S).group(1)
        assert re.findall(r"server (\S+) max_fails=0;", block) == list(servers)
    servers = re.findall(r"listen (\S+);\s+location / \{\s+proxy_pass http://(\w+);", conf)
    assert servers == [(setup.front_listen, "rasa"), (setup.actions_listen, "actions")]
    # a POST that reached an instance is never sent again to another one
    assert re.findall(r"proxy_next_upstream ([^;]+);", conf) == ["error timeout"] * 2
    if setup.name == "loopback":
        assert len(setup.rasa_servers) == len(setup.action_servers) == deployment.INSTANCES
        assert all(addr.startswith("127.0.0.1:") for addr, _ in servers)
        assert all(s.startswith("127.0.0.1:") for s in setup.rasa_servers + setup.action_servers)
    else:
        compose = _compose()["services"]
        assert compose["rasa"]["deploy"]["replicas"] == deployment.INSTANCES
        assert compose["actions"]["deploy"]["replicas"] == deployment.INSTANCES
        published = [s for s in compose.values() if "ports" in s]
        assert [p["ports"] for p in published] == [[f"127.0.0.1:{setup.front_listen}:8080"]]


def test_redis_requires_the_password_and_keeps_nothing(rendered):
    conf = rendered.redis
    lines = [line for line in conf.splitlines() if line and not line.startswith("#")]
    assert 'save ""' in lines and "appendonly no" in lines and "protected-mode yes" in lines
    assert f"port {rendered.setup.redis_port}" in lines
    password = rendered.rasa_env["REDIS_PASSWORD"]
    if rendered.setup.name == "loopback":
        assert f"requirepass {password}" in lines and "bind 127.0.0.1" in lines
    else:  # the checked-in file holds no password: compose gives it on the command line
        assert not any(line.startswith("requirepass") for line in lines)
        redis = _compose()["services"]["redis"]
        command = [_interpolate(part, COMPOSE_ENV) for part in redis["command"]]
        assert command == [
            "redis-server",
            "/usr/local/etc/redis/redis.conf",
            "--requirepass",
            password,
        ]
        assert "./redis.conf:/usr/local/etc/redis/redis.conf:ro" in redis["volumes"]


def test_the_loopback_redis_conf_is_private(loopback_cfg):
    conf = scale_services.write_redis_conf(loopback_cfg)
    assert stat.S_IMODE(conf.stat().st_mode) == 0o600  # it holds the password


# --- container only ------------------------------------------------------------------------


def test_the_exposed_rest_channel_hands_out_signed_sessions():
    assert _service_env("rasa")["BW_REST_SESSIONS"] == "signed"


def test_no_api_token_on_a_command_line():
    entry = (DEPLOY / "entrypoint.sh").read_text(encoding="utf8")
    assert not re.search(r"--auth-token", entry)
    assert "bot.rasa_main" in entry and "BW_RASA_AUTH_TOKEN=" in entry
    assert "--endpoints deploy/endpoints.yml" in entry


# --- the loopback setup on a real PostgreSQL (BW_SCALE_TESTS=1) ------------------------------


@pytest.fixture(scope="module")
def postgres_cfg():
    if os.environ.get("BW_SCALE_TESTS") != "1":
        pytest.skip("loopback tracker on PostgreSQL: set BW_SCALE_TESTS=1 (starts PostgreSQL)")
    if scale.pg_bin() is None:
        pytest.skip("loopback tracker on PostgreSQL: postgresql is not installed")
    folder = Path(tempfile.mkdtemp(prefix="bw-deploy-pg-"))
    cfg = deployment.ScaleConfig(folder=folder, base_port=runtime.free_port() - 2)  # pg: +2
    for d in (cfg.run, cfg.logs):
        d.mkdir(parents=True, exist_ok=True)
    for d in (folder, cfg.logs):
        os.chmod(d, 0o755)  # as root PostgreSQL runs as 'postgres', which must reach these
    try:
        scale.start_postgres(cfg)
        yield cfg
    finally:
        scale.stop_postgres(cfg)
        shutil.rmtree(folder, ignore_errors=True)


async def test_loopback_tracker_and_purge_on_postgresql(postgres_cfg, monkeypatch):
    """The loopback endpoints.yml gives Rasa the masking store on PostgreSQL's rasa_tracker, and
    ``python -m bot.scale purge`` (scale.purge) deletes old conversations there."""
    from channels.store import ChannelStore, release

    cfg = postgres_cfg
    endpoints = _read_endpoints(scale.write_endpoints(cfg), scale.app_env(cfg), monkeypatch)
    store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    assert type(store) is PrivateSQLTrackerStore
    assert store.engine.url.database == deployment.TRACKER_DB
    old = time.time() - 200 * 86400
    await store.save(
        DialogueStateTracker.from_events(
            "pg-oud", [SessionStarted(timestamp=old), UserUttered(f"bsn {BSN}", timestamp=old)]
        )
    )
    channels = ChannelStore(scale.app_env(cfg)["BW_CHANNELS_DB"])
    channels.record_inbound("whatsapp", "pg-oud", ts=old)
    for key in ("BW_TRACKER_DB", "BW_DATABASE_URL", "BW_CHANNELS_DB"):
        monkeypatch.delenv(key, raising=False)  # scale.purge sets them itself
    result = scale.purge(cfg, days=90)
    assert result["tracker_events"] == 2 and result["channel_rows"] >= 1
    assert await store.retrieve("pg-oud") is None
    assert channels.last_inbound("whatsapp", "pg-oud") is None
    assert "BW_TRACKER_DB" not in os.environ  # the settings are restored
    store.engine.dispose()
    release(scale.app_env(cfg)["BW_CHANNELS_DB"])
