"""Scale-out on one machine: PostgreSQL, Redis, two Rasa instances and two action servers
behind nginx, all on loopback and all under ``var/scale/``.

``python -m bot.scale start|stop|status`` (``scripts/scale.sh`` installs the Debian packages
first). The processes outlive this command; their pids are in ``var/scale/run``. Secrets (the
database and Redis passwords, the Rasa API token) are generated once and kept in
``var/scale/secrets.json`` (mode 0600), never in a committed file. See docs/deploy.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import env, runtime, serve

DB_USER = "bestaanswijzer"
KB_DB = "bestaanswijzer"  # knowledge base and handoff cases
TRACKER_DB = "rasa_tracker"
# Channel state (channels/store.py: sender map, 24-hour window, outbox, deliveries, ...), shared
# by every Rasa instance; a database of its own, because its table names (outbox) are the case
# store's too.
CHANNELS_DB = "bw_channels"
INSTANCES = 2


@dataclass
class ScaleConfig:
    """Where the scale-out setup lives and which loopback ports it uses (all from one base)."""

    folder: Path = field(default_factory=lambda: runtime.VAR / "scale")
    base_port: int = 5400

    @classmethod
    def from_env(cls) -> ScaleConfig:
        """``BW_SCALE_DIR`` and ``BW_SCALE_PORT`` (the nginx front port) override the defaults."""
        folder = os.environ.get("BW_SCALE_DIR")
        port = os.environ.get("BW_SCALE_PORT")
        return cls(
            folder=Path(folder) if folder else runtime.VAR / "scale",
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


# --- secrets ------------------------------------------------------------------------------


def load_secrets(cfg: ScaleConfig) -> dict[str, str]:
    """Passwords and the Rasa token for this setup, generated on first use (file mode 0600)."""
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


def database_url(cfg: ScaleConfig, db: str = KB_DB) -> str:
    """SQLAlchemy URL of a database in this setup's PostgreSQL."""
    pw = load_secrets(cfg)["db_password"]
    return f"postgresql://{DB_USER}:{pw}@127.0.0.1:{cfg.pg_port}/{db}"


# --- installation -------------------------------------------------------------------------


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL server binaries (Debian keeps them off PATH)."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def missing_tools() -> list[str]:
    """Debian packages still needed for the scale-out setup."""
    missing = []
    if pg_bin() is None:
        missing.append("postgresql")
    if shutil.which("redis-server") is None and not Path("/usr/bin/redis-server").exists():
        missing.append("redis-server")
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx")
    return missing


def _nginx() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def _redis_server() -> str:
    return shutil.which("redis-server") or "/usr/bin/redis-server"


# --- PostgreSQL ---------------------------------------------------------------------------


def _as_pg_owner(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the ``postgres`` user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _pg_owner() -> tuple[int, int]:
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        return pw.pw_uid, pw.pw_gid
    return os.geteuid(), os.getegid()


def init_postgres(cfg: ScaleConfig) -> None:
    """initdb into var/scale/pg/data (once), owned by the user that runs the server."""
    if (cfg.pg_data / "PG_VERSION").exists():
        return
    uid, gid = _pg_owner()
    pg_root = cfg.pg_data.parent
    for d in (pg_root, cfg.pg_data, pg_root / "socket"):
        d.mkdir(parents=True, exist_ok=True)
        os.chown(d, uid, gid)
    os.chmod(cfg.pg_data, 0o700)
    pwfile = pg_root / "pwfile"
    pwfile.write_text(load_secrets(cfg)["db_password"])
    os.chown(pwfile, uid, gid)
    os.chmod(pwfile, 0o600)
    try:
        subprocess.run(
            _as_pg_owner(
                [
                    str(pg_bin() / "initdb"),
                    "-D",
                    str(cfg.pg_data),
                    "-U",
                    DB_USER,
                    f"--pwfile={pwfile}",
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
    finally:
        pwfile.unlink(missing_ok=True)


def start_postgres(cfg: ScaleConfig) -> None:
    """Start PostgreSQL on 127.0.0.1 (no-op when it already runs) and create our databases."""
    init_postgres(cfg)
    log = cfg.logs / "postgres.log"
    uid, gid = _pg_owner()
    if not log.exists():
        log.touch()
    os.chown(log, uid, gid)
    status = subprocess.run(
        _as_pg_owner([str(pg_bin() / "pg_ctl"), "-D", str(cfg.pg_data), "status"]),
        capture_output=True,
    )
    if status.returncode != 0:
        opts = (
            f"-p {cfg.pg_port} -c listen_addresses=127.0.0.1 -c max_connections=200 "
            f"-k {cfg.pg_data.parent / 'socket'}"
        )
        subprocess.run(
            _as_pg_owner(
                [
                    str(pg_bin() / "pg_ctl"),
                    "-D",
                    str(cfg.pg_data),
                    "-l",
                    str(log),
                    "-o",
                    opts,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
    create_databases(cfg)


def create_databases(cfg: ScaleConfig) -> None:
    """Create the knowledge/cases, tracker and channel-state databases when missing."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(cfg, "postgres"), future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        have = {r[0] for r in conn.execute(text("SELECT datname FROM pg_database"))}
        for db in (KB_DB, TRACKER_DB, CHANNELS_DB):
            if db not in have:
                conn.execute(text(f'CREATE DATABASE "{db}" OWNER {DB_USER}'))
    engine.dispose()


def stop_postgres(cfg: ScaleConfig) -> None:
    if not (cfg.pg_data / "PG_VERSION").exists() or pg_bin() is None:
        return
    subprocess.run(
        _as_pg_owner([str(pg_bin() / "pg_ctl"), "-D", str(cfg.pg_data), "-m", "fast", "stop"]),
        capture_output=True,
    )


# --- Redis --------------------------------------------------------------------------------


def start_redis(cfg: ScaleConfig) -> None:
    """Redis for Rasa's lock store: loopback only, a password, no persistence (locks are short)."""
    if _alive(cfg.run / "redis.pid"):
        return
    (cfg.folder / "redis").mkdir(parents=True, exist_ok=True)
    conf = cfg.folder / "redis" / "redis.conf"
    conf.write_text(
        "\n".join(
            [
                f"port {cfg.redis_port}",
                "bind 127.0.0.1",
                "protected-mode yes",
                f"requirepass {load_secrets(cfg)['redis_password']}",
                "daemonize yes",
                f"pidfile {cfg.run / 'redis.pid'}",
                f"logfile {cfg.logs / 'redis.log'}",
                f"dir {cfg.folder / 'redis'}",
                'save ""',
                "appendonly no",
                "",
            ]
        )
    )
    os.chmod(conf, 0o600)
    subprocess.run([_redis_server(), str(conf)], check=True, capture_output=True)
    _wait_port(cfg.redis_port, 20)


def lock_store(cfg: ScaleConfig) -> dict[str, Any]:
    """The endpoints.yml ``lock_store`` entry: every Rasa instance locks a conversation in Redis."""
    return {
        "type": "redis",
        "url": "127.0.0.1",
        "port": cfg.redis_port,
        "password": load_secrets(cfg)["redis_password"],
        "db": 1,
        "key_prefix": "bestaanswijzer",
    }


def tracker_store(cfg: ScaleConfig) -> dict[str, Any]:
    """The endpoints.yml ``tracker_store`` entry: our masking SQL tracker store on PostgreSQL
    (the same class as the embedded default, so masking and deletion work the same)."""
    return {
        "type": serve.TRACKER_STORE,
        "dialect": "postgresql",
        "url": "127.0.0.1",
        "port": cfg.pg_port,
        "db": TRACKER_DB,
        "username": DB_USER,
        "password": load_secrets(cfg)["db_password"],
    }


# --- nginx --------------------------------------------------------------------------------


def nginx_conf(cfg: ScaleConfig) -> str:
    """Round-robin upstreams for the Rasa instances and for the action servers.

    No access log: URLs of the HTTP API carry conversation ids. POSTs are never retried on
    another instance once sent (nginx's default for non-idempotent requests), so a message is
    handled once; a refused connection does move on to the other instance.
    """
    prefix = cfg.folder / "nginx"
    rasa = "\n".join(f"    server 127.0.0.1:{p} max_fails=0;" for p in cfg.rasa_ports)
    actions = "\n".join(f"    server 127.0.0.1:{p} max_fails=0;" for p in cfg.action_ports)
    proxy = """
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_read_timeout 120s;
      proxy_next_upstream error timeout;"""
    return f"""worker_processes 1;
pid {cfg.run / "nginx.pid"};
error_log {cfg.logs / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix / "tmp" / "body"};
  proxy_temp_path {prefix / "tmp" / "proxy"};
  fastcgi_temp_path {prefix / "tmp" / "fastcgi"};
  uwsgi_temp_path {prefix / "tmp" / "uwsgi"};
  scgi_temp_path {prefix / "tmp" / "scgi"};
  client_max_body_size 1m;
  upstream rasa {{
{rasa}
    keepalive 32;
  }}
  upstream actions {{
{actions}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{cfg.front_port};
    location / {{
      proxy_pass http://rasa;{proxy}
    }}
  }}
  server {{
    listen 127.0.0.1:{cfg.actions_front_port};
    location / {{
      proxy_pass http://actions;{proxy}
    }}
  }}
}}
"""


def start_nginx(cfg: ScaleConfig) -> None:
    prefix = cfg.folder / "nginx"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf(cfg))
    args = [_nginx(), "-p", str(prefix), "-c", str(conf), "-e", str(cfg.logs / "nginx-error.log")]
    if _alive(cfg.run / "nginx.pid"):
        subprocess.run([*args, "-s", "reload"], check=True, capture_output=True)
        return
    subprocess.run([*args, "-t"], check=True, capture_output=True)
    subprocess.run(args, check=True, capture_output=True)
    _wait_port(cfg.front_port, 20)


def stop_nginx(cfg: ScaleConfig) -> None:
    conf = cfg.folder / "nginx" / "nginx.conf"
    if _alive(cfg.run / "nginx.pid") and conf.exists():
        subprocess.run(
            [_nginx(), "-p", str(conf.parent), "-c", str(conf), "-s", "quit"],
            capture_output=True,
        )
        _wait_gone(cfg.run / "nginx.pid", 10)


# --- processes ----------------------------------------------------------------------------


def _pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(path: Path) -> bool:
    pid = _pid(path)
    if pid is None:
        return False
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our own exited child (a test)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_gone(path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while _alive(path) and time.monotonic() < deadline:
        time.sleep(0.2)


def _wait_port(port: int, timeout: float) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"port {port} did not open within {timeout:.0f} s")


def _stop_pidfile(path: Path, timeout: float = 15.0) -> None:
    """SIGTERM the process group in a pid file, SIGKILL after ``timeout``; remove the file."""
    pid = _pid(path)
    if pid is not None and _alive(path):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        _wait_gone(path, timeout)
        if _alive(path):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
    path.unlink(missing_ok=True)


def app_env(cfg: ScaleConfig) -> dict[str, str]:
    """Environment for Rasa and the action servers: the shared PostgreSQL databases (knowledge
    base and cases; channel state, so a resident's sender map, 24-hour window and outbox are the
    same whichever instance answers)."""
    return {"BW_DATABASE_URL": database_url(cfg), "BW_CHANNELS_DB": database_url(cfg, CHANNELS_DB)}


def channel_credentials(cfg: ScaleConfig) -> dict[str, dict[str, Any]]:
    """credentials.yml for the Rasa instances: the channels of ``bot serve``, with the shared
    channel database for Telegram and WhatsApp (their ``state_db`` would otherwise be this
    command's ``BW_CHANNELS_DB``, a file per host). The REST channels read ``BW_CHANNELS_DB``
    from ``app_env``."""
    shared = app_env(cfg)["BW_CHANNELS_DB"]
    channels = serve.channel_credentials()
    for creds in channels.values():
        if "state_db" in creds:
            creds["state_db"] = shared
    return channels


def start_actions(cfg: ScaleConfig) -> None:
    procs = []
    for i, port in enumerate(cfg.action_ports, 1):
        pidfile = cfg.run / f"actions-{i}.pid"
        if _alive(pidfile):
            continue
        proc, _ = runtime.start_action_server(
            port, extra_env=app_env(cfg), log_path=cfg.logs / f"actions-{i}.log", wait=False
        )
        pidfile.write_text(str(proc.pid))
        procs.append((proc, port))
    for proc, port in procs:
        runtime.wait_http(f"http://127.0.0.1:{port}/health", timeout=90, proc=proc)


def write_scale_endpoints(cfg: ScaleConfig) -> Path:
    """endpoints.yml for the scale-out mode: PostgreSQL tracker, Redis locks, actions via nginx."""
    return serve.write_endpoints(
        f"http://127.0.0.1:{cfg.actions_front_port}/webhook",
        cfg.folder / "rasa",
        tracker_store=tracker_store(cfg),
        lock_store=lock_store(cfg),
    )


def start_rasa(cfg: ScaleConfig, model: Path) -> None:
    folder = cfg.folder / "rasa"
    endpoints = write_scale_endpoints(cfg)
    os.chmod(endpoints, 0o600)  # holds the database and Redis passwords
    channels = channel_credentials(cfg)  # credentials.yml: mode 0600 (serve.write_credentials)
    token = load_secrets(cfg)["rasa_token"]
    procs = []
    for i, port in enumerate(cfg.rasa_ports, 1):
        pidfile = cfg.run / f"rasa-{i}.pid"
        if _alive(pidfile):
            continue
        proc, base, _ = serve.start_rasa_server(
            model,
            "",
            folder,
            port=port,
            channels=channels,
            token=token,
            extra_env=app_env(cfg),
            log_name=f"rasa-{i}.log",
            endpoints=endpoints,
            wait=False,
        )
        pidfile.write_text(str(proc.pid))
        procs.append((proc, base))
    for proc, base in procs:
        runtime.wait_http(base + "/", timeout=300, proc=proc)


def start(cfg: ScaleConfig, model: Path | None = None) -> dict[str, Any]:
    """Start everything (what already runs is kept) and return the addresses."""
    from bot import training
    from knowledge import loader
    from knowledge.db import make_engine

    missing = missing_tools()
    if missing:
        raise RuntimeError(
            "Niet geïnstalleerd: " + ", ".join(missing) + " (scripts/scale.sh installeert ze)."
        )
    for d in (cfg.folder, cfg.run, cfg.logs):
        d.mkdir(parents=True, exist_ok=True)
    os.chmod(cfg.folder, 0o755)  # the postgres user must reach pg/data below it
    t0 = time.monotonic()
    start_postgres(cfg)
    start_redis(cfg)
    engine = make_engine(database_url(cfg))
    loader.load(engine=engine)
    from channels.cases import CaseStore

    CaseStore(engine)  # creates the handoff tables before two action servers race to do it
    engine.dispose()
    from channels.store import ChannelStore

    ChannelStore(app_env(cfg)["BW_CHANNELS_DB"])  # the channel tables, before two Rasa instances
    model = model or training.ensure_model()
    start_actions(cfg)
    start_nginx(cfg)
    start_rasa(cfg, model)
    return {
        "front": cfg.front_url(),
        "rasa": cfg.rasa_urls(),
        "token": load_secrets(cfg)["rasa_token"],
        "database": database_url(cfg).replace(load_secrets(cfg)["db_password"], "***"),
        "seconds": time.monotonic() - t0,
    }


def stop(cfg: ScaleConfig) -> None:
    """Stop everything this setup started (data stays in var/scale)."""
    for i in range(1, INSTANCES + 1):
        _stop_pidfile(cfg.run / f"rasa-{i}.pid")
    for i in range(1, INSTANCES + 1):
        _stop_pidfile(cfg.run / f"actions-{i}.pid")
    stop_nginx(cfg)
    pidfile = cfg.run / "redis.pid"
    if _alive(pidfile):
        os.kill(_pid(pidfile), signal.SIGTERM)
        _wait_gone(pidfile, 10)
    stop_postgres(cfg)


def status(cfg: ScaleConfig) -> dict[str, bool]:
    """Which parts run (by pid file, and for PostgreSQL by pg_ctl)."""
    out: dict[str, bool] = {}
    pg = pg_bin()
    out["postgresql"] = bool(
        pg
        and (cfg.pg_data / "PG_VERSION").exists()
        and subprocess.run(
            _as_pg_owner([str(pg / "pg_ctl"), "-D", str(cfg.pg_data), "status"]),
            capture_output=True,
        ).returncode
        == 0
    )
    out["redis"] = _alive(cfg.run / "redis.pid")
    out["nginx"] = _alive(cfg.run / "nginx.pid")
    for i in range(1, INSTANCES + 1):
        out[f"actions-{i}"] = _alive(cfg.run / f"actions-{i}.pid")
    for i in range(1, INSTANCES + 1):
        out[f"rasa-{i}"] = _alive(cfg.run / f"rasa-{i}.pid")
    return out


def main(argv: list[str] | None = None) -> int:
    env.apply()
    parser = argparse.ArgumentParser(prog="python -m bot.scale", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status"])
    args = parser.parse_args(argv)
    cfg = ScaleConfig.from_env()
    if args.command == "start":
        info = start(cfg)
        print(f"Gestart in {info['seconds']:.0f} s.")
        print(f"Voor bewoners (nginx): {info['front']}/webhooks/rest/webhook")
        print(f"Rasa-instanties: {', '.join(info['rasa'])}")
        print(f"Database: {info['database']}")
        print(f"API-token en wachtwoorden: {cfg.folder / 'secrets.json'}")
        return 0
    if args.command == "stop":
        stop(cfg)
        print("Gestopt.")
        return 0
    states = status(cfg)
    for name, up in states.items():
        print(f"{name:12} {'draait' if up else 'uit'}")
    return 0 if all(states.values()) else 3


if __name__ == "__main__":
    sys.exit(main())
