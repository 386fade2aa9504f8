"""One definition of the deployed configuration, for both scaled-out setups.

The container setup (``deploy/compose.yml``) and the loopback scale-out (``bot/scale.py``,
``make scale``) are rendered from the same Jinja2 templates in ``deploy/templates/``: Rasa's
endpoints (the masking tracker store, the Redis lock store, the action endpoint with its shared
secret), nginx, Redis, the settings every Rasa instance and action server gets
(``app_environment``: the knowledge base, the tracker database the retention purge and forget
use, the shared channel-state database) and the channels' ``credentials.yml``. Only the values in
``Setup`` differ: addresses, ports, paths, and secrets that are literal on loopback and
``${...}`` references in the containers.

The container files are checked in (compose needs them as files); tests/test_deploy_config.py
checks that they equal a fresh rendering::

    python -m bot.deployment render    # write the container files in deploy/ after a change
    python -m bot.deployment check     # exit 1 when a checked-in file differs
    python -m bot.deployment credentials FOLDER   # credentials.yml (the container entry point)
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from bot import env, serve
from knowledge.db import var_dir

DEPLOY = env.ROOT / "deploy"
TEMPLATES = DEPLOY / "templates"

DB_USER = "bestaanswijzer"
KB_DB = "bestaanswijzer"  # knowledge base and handoff cases (POSTGRES_DB in the containers)
TRACKER_DB = "rasa_tracker"  # Rasa's conversations, in our masking tracker store
# Channel state (channels/store.py: sender map, 24-hour window, outbox, deliveries, ...), shared
# by every Rasa instance; a database of its own, because its table names (outbox) are the case
# store's too.
CHANNELS_DB = "bw_channels"
DATABASES = (KB_DB, TRACKER_DB, CHANNELS_DB)
INSTANCES = 2  # Rasa instances and action servers (loopback processes, container replicas)
LOCK_DB = 1  # Redis database of the lock store
LOCK_PREFIX = "bestaanswijzer"

# What each shared setting is for (the comments in compose.yml).
NOTES = {
    "BW_DATABASE_URL": "knowledge base, handoff cases and their outbox",
    "BW_TRACKER_DB": (
        "the tracker database: Rasa's tracker store (endpoints.yml), the retention purge and\n"
        '"verwijder mijn gesprek" all read it here'
    ),
    "BW_CHANNELS_DB": (
        "channel state (sender map, WhatsApp 24-hour window, outbox, deliveries), shared by\n"
        "every Rasa instance and kept when a container is replaced; a database of its own"
    ),
    "REDIS_PASSWORD": "the lock store's password (endpoints.yml reads it here)",
    "BW_ACTION_TOKEN": (
        "Rasa -> action server shared secret (endpoints.yml reads it here; the action server\n"
        "refuses calls without it)"
    ),
    "BW_REST_SESSIONS": "reachable from outside: signed REST session ids (docs/security.md)",
}

# Files of the container setup, rendered from the template of the same name (``.j2``).
CONTAINER_FILES = {
    "compose.yml": "compose.yml.j2",
    "endpoints.yml": "endpoints.yml.j2",
    "nginx.conf": "nginx.conf.j2",
    "redis.conf": "redis.conf.j2",
    "initdb/10-databases.sql": "initdb.sql.j2",
}


# --- the loopback setup's place, ports and secrets ----------------------------------------


@dataclass
class ScaleConfig:
    """Where the loopback scale-out lives and which loopback ports it uses (all from one base)."""

    folder: Path = field(default_factory=lambda: var_dir() / "scale")
    base_port: int = 5400

    @classmethod
    def from_env(cls) -> ScaleConfig:
        """``BW_SCALE_DIR`` and ``BW_SCALE_PORT`` (the nginx front port) override the defaults."""
        folder = os.environ.get("BW_SCALE_DIR")
        port = os.environ.get("BW_SCALE_PORT")
        return cls(
            folder=Path(folder) if folder else var_dir() / "scale",
            base_port=int(port) if port else 5400,
        )

    @property
    def front_port(self) -> int:
        """nginx in front of the Rasa instances: the one address residents' channels use."""
        return self.base_port

    @property
    def actions_front_port(self) -> int:
        """nginx in front of the action servers (Rasa's action_endpoint)."""
        return self.base_port + 1

    @property
    def pg_port(self) -> int:
        return self.base_port + 2

    @property
    def redis_port(self) -> int:
        return self.base_port + 3

    @property
    def rasa_ports(self) -> list[int]:
        return [self.base_port + 10 + i for i in range(INSTANCES)]

    @property
    def action_ports(self) -> list[int]:
        return [self.base_port + 20 + i for i in range(INSTANCES)]

    @property
    def run(self) -> Path:
        return self.folder / "run"

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    @property
    def pg_data(self) -> Path:
        return self.folder / "pg" / "data"

    def front_url(self) -> str:
        return f"http://127.0.0.1:{self.front_port}"

    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.rasa_ports]


def load_secrets(cfg: ScaleConfig) -> dict[str, str]:
    """Passwords and the Rasa token of the loopback setup, generated on first use (mode 0600)."""
    path = cfg.folder / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    cfg.folder.mkdir(parents=True, exist_ok=True)
    data = {
        "db_password": secrets.token_hex(16),
        "redis_password": secrets.token_hex(16),
        "rasa_token": secrets.token_urlsafe(24),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    return data


# --- what differs between the setups ------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """The values in which the container and loopback setups differ; the rest is in the
    templates. Secrets are the value itself (loopback) or a compose reference (containers)."""

    name: str
    db_host: str
    db_port: int
    db_password: str
    redis_host: str
    redis_port: int
    redis_password: str
    action_token: str
    rasa_servers: tuple[str, ...]  # nginx upstreams, host:port
    action_servers: tuple[str, ...]
    front_listen: str  # nginx in front of Rasa (residents' channels)
    actions_listen: str  # nginx in front of the action servers (only for Rasa)
    actions_front: str  # host:port Rasa's action endpoint uses (nginx)
    rest_sessions: str | None = None  # BW_REST_SESSIONS; None keeps the default (open)
    worker_processes: str = "auto"
    nginx_pid: str | None = None  # None: the image's defaults
    nginx_error_log: str | None = None
    nginx_temp: str | None = None
    redis_bind: str = "127.0.0.1"
    redis_password_in_conf: bool = True  # else on the command line (the conf is checked in)
    redis_daemonize: bool = False
    redis_pidfile: str | None = None
    redis_logfile: str = ""  # "": standard output
    redis_dir: str = "/data"


def compose_ref(name: str) -> str:
    """A required variable in compose.yml (compose stops when it is unset)."""
    return "${" + name + ":?}"


def container() -> Setup:
    """The container setup (deploy/compose.yml): services on the compose network; secrets from
    deploy/.env through compose's interpolation."""
    return Setup(
        name="container",
        db_host="postgres",
        db_port=5432,
        db_password=compose_ref("POSTGRES_PASSWORD"),
        redis_host="redis",
        redis_port=6379,
        redis_password=compose_ref("REDIS_PASSWORD"),
        action_token=compose_ref("BW_ACTION_TOKEN"),
        rasa_servers=("rasa:5005",),  # Docker's DNS returns every replica
        action_servers=("actions:5055",),
        front_listen="8080",
        actions_listen="8081",
        actions_front="nginx:8081",
        rest_sessions="signed",
        redis_bind="0.0.0.0",  # the compose network; no port is published
        redis_password_in_conf=False,
    )


def loopback(cfg: ScaleConfig) -> Setup:
    """The loopback scale-out (bot/scale.py): every port on 127.0.0.1, files under cfg.folder."""
    keys = load_secrets(cfg)
    return Setup(
        name="loopback",
        db_host="127.0.0.1",
        db_port=cfg.pg_port,
        db_password=keys["db_password"],
        redis_host="127.0.0.1",
        redis_port=cfg.redis_port,
        redis_password=keys["redis_password"],
        action_token=env.action_token(),
        rasa_servers=tuple(f"127.0.0.1:{p}" for p in cfg.rasa_ports),
        action_servers=tuple(f"127.0.0.1:{p}" for p in cfg.action_ports),
        front_listen=f"127.0.0.1:{cfg.front_port}",
        actions_listen=f"127.0.0.1:{cfg.actions_front_port}",
        actions_front=f"127.0.0.1:{cfg.actions_front_port}",
        worker_processes="1",
        nginx_pid=str(cfg.run / "nginx.pid"),
        nginx_error_log=str(cfg.logs / "nginx-error.log"),
        nginx_temp=str(cfg.folder / "nginx" / "tmp"),
        redis_daemonize=True,
        redis_pidfile=str(cfg.run / "redis.pid"),
        redis_logfile=str(cfg.logs / "redis.log"),
        redis_dir=str(cfg.folder / "redis"),
    )


# --- what is the same ---------------------------------------------------------------------


def database_url(setup: Setup, db: str = KB_DB) -> str:
    """SQLAlchemy URL of a database on the setup's PostgreSQL."""
    return f"postgresql://{DB_USER}:{setup.db_password}@{setup.db_host}:{setup.db_port}/{db}"


def app_environment(setup: Setup) -> dict[str, str]:
    """The settings every Rasa instance and action server of the setup gets: the databases
    (knowledge base and cases; the tracker database, which endpoints.yml and the retention purge
    and forget paths all read from ``BW_TRACKER_DB``; the shared channel state) and the secrets
    endpoints.yml refers to."""
    out = {
        "BW_DATABASE_URL": database_url(setup, KB_DB),
        "BW_TRACKER_DB": database_url(setup, TRACKER_DB),
        "BW_CHANNELS_DB": database_url(setup, CHANNELS_DB),
        "REDIS_PASSWORD": setup.redis_password,
        "BW_ACTION_TOKEN": setup.action_token,
    }
    if setup.rest_sessions:
        out["BW_REST_SESSIONS"] = setup.rest_sessions
    return out


def channel_credentials(environment: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """credentials.yml of every Rasa instance in both setups: the channels of ``bot serve``,
    with Telegram's and WhatsApp's state in the shared channel database (``BW_CHANNELS_DB`` of
    the setup's ``environment``; otherwise the state_db would be this host's own file). The
    REST channels read ``BW_CHANNELS_DB`` from the instance's environment."""
    shared = environment["BW_CHANNELS_DB"]
    channels = serve.channel_credentials()
    for creds in channels.values():
        if "state_db" in creds:
            creds["state_db"] = shared
    return channels


# --- rendering ----------------------------------------------------------------------------


def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,  # a missing value is an error, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # configuration files, not HTML
    )


def render(template: str, setup: Setup) -> str:
    """One template with one setup's values."""
    return (
        _templates()
        .get_template(template)
        .render(
            s=setup,
            app_env=app_environment(setup),
            notes=NOTES,
            db_user=DB_USER,
            kb_db=KB_DB,
            tracker_db=TRACKER_DB,
            channels_db=CHANNELS_DB,
            databases=DATABASES,
            instances=INSTANCES,
            lock_db=LOCK_DB,
            lock_prefix=LOCK_PREFIX,
            tracker_store=serve.TRACKER_STORE,
            action_token_header=env.ACTION_TOKEN_HEADER,
        )
    )


def container_files() -> dict[Path, str]:
    """The container setup's files in deploy/, freshly rendered."""
    setup = container()
    return {DEPLOY / name: render(template, setup) for name, template in CONTAINER_FILES.items()}


def stale_container_files() -> list[Path]:
    """Checked-in container files that differ from a fresh rendering (or are missing)."""
    return [
        path
        for path, text in container_files().items()
        if not path.exists() or path.read_text(encoding="utf8") != text
    ]


def write_container_files() -> list[Path]:
    """Render the container files into deploy/; return the ones that changed."""
    changed = stale_container_files()
    for path, text in container_files().items():
        if path in changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.deployment", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("render", help="write the container files in deploy/ from deploy/templates/")
    sub.add_parser("check", help="exit 1 when a checked-in container file is not fresh")
    creds = sub.add_parser("credentials", help="write credentials.yml (mode 0600) into FOLDER")
    creds.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "render":
        for path in write_container_files():
            print(f"bijgewerkt: {path.relative_to(env.ROOT)}")
        return 0
    if args.command == "check":
        stale = stale_container_files()
        for path in stale:
            print(f"niet actueel: {path.relative_to(env.ROOT)} (python -m bot.deployment render)")
        return 1 if stale else 0
    serve.write_credentials(args.folder, channel_credentials(os.environ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
