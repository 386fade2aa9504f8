"""Scale-out on one machine: PostgreSQL, Redis, two Rasa instances and two action servers
behind nginx, all on loopback and all under ``var/scale/``.

``python -m bot.scale start|stop|status|purge`` (``scripts/scale.sh`` installs the Debian
packages first). The processes outlive this command; their pids are in ``var/scale/run``.
Secrets (the database and Redis passwords, the Rasa API token) are generated once and kept in
``var/scale/secrets.json`` (mode 0600), never in a committed file. See docs/deploy.md.

The configuration comes from ``bot.deployment`` (the templates the containers are rendered from
too); the services are started and stopped by ``bot.scale_services``; this module puts the
setup together: the shared databases, the action servers and the Rasa instances.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot import deployment, env, runtime, serve
from bot.deployment import (
    CHANNELS_DB,
    DB_USER,
    INSTANCES,
    KB_DB,
    TRACKER_DB,
    ScaleConfig,
    load_secrets,
)
from bot.scale_services import (
    alive,
    database_url,
    missing_tools,
    pg_bin,
    postgres_running,
    start_nginx,
    start_postgres,
    start_redis,
    stop_nginx,
    stop_pidfile,
    stop_postgres,
    stop_redis,
    write_private,
)

__all__ = [  # what tests, the benchmark and other modules use from here
    "CHANNELS_DB",
    "DB_USER",
    "INSTANCES",
    "KB_DB",
    "TRACKER_DB",
    "ScaleConfig",
    "app_env",
    "channel_credentials",
    "database_url",
    "load_secrets",
    "main",
    "missing_tools",
    "pg_bin",
    "purge",
    "start",
    "start_actions",
    "start_postgres",
    "start_rasa",
    "status",
    "stop",
    "stop_postgres",
    "write_endpoints",
]


def app_env(cfg: ScaleConfig) -> dict[str, str]:
    """Environment for every Rasa instance and action server (``deployment.app_environment``,
    the same settings as the containers): the shared PostgreSQL databases (knowledge base and
    cases; the tracker, which endpoints.yml, the retention purge and forget all read from
    ``BW_TRACKER_DB``; channel state, so a resident's sender map, 24-hour window and outbox are
    the same whichever instance answers) and the secrets endpoints.yml refers to."""
    return deployment.app_environment(deployment.loopback(cfg))


def channel_credentials(cfg: ScaleConfig) -> dict[str, dict[str, Any]]:
    """credentials.yml for the Rasa instances (``deployment.channel_credentials``, as in the
    containers): Telegram and WhatsApp keep their state in the shared channel database."""
    return deployment.channel_credentials(app_env(cfg))


def write_endpoints(cfg: ScaleConfig) -> Path:
    """endpoints.yml of the Rasa instances (deploy/templates/endpoints.yml.j2): the masking
    tracker store on ``BW_TRACKER_DB``, Redis locks, actions through nginx."""
    return write_private(
        cfg.folder / "rasa" / "endpoints.yml",
        deployment.render("endpoints.yml.j2", deployment.loopback(cfg)),
    )


def start_actions(cfg: ScaleConfig) -> None:
    procs = []
    for i, port in enumerate(cfg.action_ports, 1):
        pidfile = cfg.run / f"actions-{i}.pid"
        if alive(pidfile):
            continue
        proc, _ = runtime.start_action_server(
            port, extra_env=app_env(cfg), log_path=cfg.logs / f"actions-{i}.log", wait=False
        )
        pidfile.write_text(str(proc.pid))
        procs.append((proc, port))
    for proc, port in procs:
        runtime.wait_http(f"http://127.0.0.1:{port}/health", timeout=90, proc=proc)


def start_rasa(cfg: ScaleConfig, model: Path) -> None:
    folder = cfg.folder / "rasa"
    endpoints = write_endpoints(cfg)
    channels = channel_credentials(cfg)  # credentials.yml: mode 0600 (serve.write_credentials)
    token = load_secrets(cfg)["rasa_token"]
    procs = []
    for i, port in enumerate(cfg.rasa_ports, 1):
        pidfile = cfg.run / f"rasa-{i}.pid"
        if alive(pidfile):
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
        stop_pidfile(cfg.run / f"rasa-{i}.pid")
    for i in range(1, INSTANCES + 1):
        stop_pidfile(cfg.run / f"actions-{i}.pid")
    stop_nginx(cfg)
    stop_redis(cfg)
    stop_postgres(cfg)


def status(cfg: ScaleConfig) -> dict[str, bool]:
    """Which parts run (by pid file, and for PostgreSQL by pg_ctl)."""
    out: dict[str, bool] = {"postgresql": postgres_running(cfg)}
    out["redis"] = alive(cfg.run / "redis.pid")
    out["nginx"] = alive(cfg.run / "nginx.pid")
    for i in range(1, INSTANCES + 1):
        out[f"actions-{i}"] = alive(cfg.run / f"actions-{i}.pid")
    for i in range(1, INSTANCES + 1):
        out[f"rasa-{i}"] = alive(cfg.run / f"rasa-{i}.pid")
    return out


@contextlib.contextmanager
def _settings(values: dict[str, str]) -> Iterator[None]:
    """These environment variables for the duration of the block (restored after)."""
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def purge(cfg: ScaleConfig, days: int | None = None, now: float | None = None) -> dict:
    """The retention purge of this setup (``bot.privacy.purge`` with the settings its instances
    get): the tracker, cases and searches in its PostgreSQL, the shared channel state, and its
    log files. Run it daily from cron, like ``python -m bot privacy purge`` for one server."""
    from bot import privacy

    with _settings(app_env(cfg)):
        return privacy.purge(days=days, now=now, log_dir=cfg.logs)


def main(argv: list[str] | None = None) -> int:
    env.apply()
    parser = argparse.ArgumentParser(prog="python -m bot.scale", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status", "purge"])
    parser.add_argument("--days", type=int, help="purge: retention in days (BW_RETENTION_DAYS)")
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
    if args.command == "purge":
        from bot import privacy

        days = args.days or privacy.retention_days()
        result = purge(cfg, days=days)
        print(
            f"Ouder dan {days} dagen verwijderd: "
            + ", ".join(f"{k}={v}" for k, v in result.items())
        )
        return 0
    states = status(cfg)
    for name, up in states.items():
        print(f"{name:12} {'draait' if up else 'uit'}")
    return 0 if all(states.values()) else 3


if __name__ == "__main__":
    sys.exit(main())
