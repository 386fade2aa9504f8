"""Process control for the loopback scale-out's services: PostgreSQL, Redis, nginx, pid files.

What the services are configured with comes from ``bot.deployment`` (the templates in
``deploy/templates/``, shared with the containers); this module only installs-checks, starts,
stops and waits. ``bot.scale`` puts the whole setup together.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from bot import deployment
from bot.deployment import DATABASES, DB_USER, ScaleConfig

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


# --- pid files ----------------------------------------------------------------------------


def pid_of(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def alive(path: Path) -> bool:
    """Whether the process in a pid file runs."""
    pid = pid_of(path)
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


def wait_gone(path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while alive(path) and time.monotonic() < deadline:
        time.sleep(0.2)


def wait_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"port {port} did not open within {timeout:.0f} s")


def stop_pidfile(path: Path, timeout: float = 15.0) -> None:
    """SIGTERM the process group in a pid file, SIGKILL after ``timeout``; remove the file."""
    pid = pid_of(path)
    if pid is not None and alive(path):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        wait_gone(path, timeout)
        if alive(path):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
    path.unlink(missing_ok=True)


def write_private(path: Path, text: str) -> Path:
    """A configuration file only this user reads (it may hold a password)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf8")
    os.chmod(path, 0o600)
    return path


# --- PostgreSQL ---------------------------------------------------------------------------


def database_url(cfg: ScaleConfig, db: str = deployment.KB_DB) -> str:
    """SQLAlchemy URL of a database in this setup's PostgreSQL."""
    return deployment.database_url(deployment.loopback(cfg), db)


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
    pwfile.write_text(deployment.load_secrets(cfg)["db_password"])
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


def postgres_running(cfg: ScaleConfig) -> bool:
    pg = pg_bin()
    return bool(
        pg
        and (cfg.pg_data / "PG_VERSION").exists()
        and subprocess.run(
            _as_pg_owner([str(pg / "pg_ctl"), "-D", str(cfg.pg_data), "status"]),
            capture_output=True,
        ).returncode
        == 0
    )


def start_postgres(cfg: ScaleConfig) -> None:
    """Start PostgreSQL on 127.0.0.1 (no-op when it already runs) and create our databases."""
    init_postgres(cfg)
    log = cfg.logs / "postgres.log"
    uid, gid = _pg_owner()
    if not log.exists():
        log.touch()
    os.chown(log, uid, gid)
    if not postgres_running(cfg):
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
    """Create the knowledge/cases, tracker and channel-state databases when missing (the same
    ones deploy/initdb/ creates in the containers: ``deployment.DATABASES``)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(cfg, "postgres"), future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        have = {r[0] for r in conn.execute(text("SELECT datname FROM pg_database"))}
        for db in DATABASES:
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


def write_redis_conf(cfg: ScaleConfig) -> Path:
    """var/scale/redis/redis.conf from deploy/templates/redis.conf.j2 (mode 0600: it holds the
    password)."""
    return write_private(
        cfg.folder / "redis" / "redis.conf",
        deployment.render("redis.conf.j2", deployment.loopback(cfg)),
    )


def start_redis(cfg: ScaleConfig) -> None:
    """Redis for Rasa's lock store, from deploy/templates/redis.conf.j2 (loopback only, a
    password, no persistence)."""
    if alive(cfg.run / "redis.pid"):
        return
    conf = write_redis_conf(cfg)
    subprocess.run([_redis_server(), str(conf)], check=True, capture_output=True)
    wait_port(cfg.redis_port, 20)


def stop_redis(cfg: ScaleConfig) -> None:
    pidfile = cfg.run / "redis.pid"
    if alive(pidfile):
        os.kill(pid_of(pidfile), signal.SIGTERM)
        wait_gone(pidfile, 10)


# --- nginx --------------------------------------------------------------------------------


def write_nginx_conf(cfg: ScaleConfig) -> Path:
    """var/scale/nginx/nginx.conf from deploy/templates/nginx.conf.j2: round-robin upstreams for
    the Rasa instances and the action servers."""
    prefix = cfg.folder / "nginx"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(deployment.render("nginx.conf.j2", deployment.loopback(cfg)), encoding="utf8")
    return conf


def start_nginx(cfg: ScaleConfig) -> None:
    prefix = cfg.folder / "nginx"
    conf = write_nginx_conf(cfg)
    args = [_nginx(), "-p", str(prefix), "-c", str(conf), "-e", str(cfg.logs / "nginx-error.log")]
    if alive(cfg.run / "nginx.pid"):
        subprocess.run([*args, "-s", "reload"], check=True, capture_output=True)
        return
    subprocess.run([*args, "-t"], check=True, capture_output=True)
    subprocess.run(args, check=True, capture_output=True)
    wait_port(cfg.front_port, 20)


def stop_nginx(cfg: ScaleConfig) -> None:
    conf = cfg.folder / "nginx" / "nginx.conf"
    if alive(cfg.run / "nginx.pid") and conf.exists():
        subprocess.run(
            [_nginx(), "-p", str(conf.parent), "-c", str(conf), "-s", "quit"],
            capture_output=True,
        )
        wait_gone(cfg.run / "nginx.pid", 10)
