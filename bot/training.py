"""Train the Rasa model only when its inputs changed.

The model file is named after a fingerprint of everything that shapes it (config, domain,
stories/rules, NLU data, custom components, locked dependencies). A second run, a test session
or CI's second step finds the file and skips training.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from bot import env

ROOT = env.ROOT
MODELS = ROOT / "models"
DOMAIN = ROOT / "bot" / "domain"
DATA = [ROOT / "nlu", ROOT / "bot" / "data"]
INPUT_GLOBS = [
    "config.yml",
    "requirements.lock",
    "bot/domain/*.yml",
    "bot/data/*.yml",
    "nlu/*.yml",
    "nlu/generated/*.yml",
    "nlu/*.py",
    "knowledge/text.py",
    "bot/crisis_patronen.yml",
]


def fingerprint() -> str:
    """SHA-256 over the training inputs (paths and contents)."""
    digest = hashlib.sha256()
    for pattern in INPUT_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS / f"bestaanswijzer-{fingerprint()}.tar.gz"


def train_command(out_name: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--config",
        str(ROOT / "config.yml"),
        "--domain",
        str(DOMAIN),
        "--data",
        *[str(d) for d in DATA],
        "--out",
        str(MODELS),
        "--fixed-model-name",
        out_name,
        "--quiet",
    ]


def ensure_model(force: bool = False) -> Path:
    """Return a model trained on the current inputs, training it first if needed."""
    from nlu import crisis_model, generate  # noqa: PLC0415 - keeps `bot` importable without rasa

    generate.write_generated()
    pinned = os.environ.get("BW_MODEL")
    if pinned and not force:
        # For quick local iteration on code that does not change the model.
        crisis_model.ensure_model()
        return Path(pinned).resolve()
    target = model_path()
    if target.exists() and not force:
        crisis_model.ensure_model()  # the learned crisis signal, kept next to the model
        return target
    MODELS.mkdir(exist_ok=True)
    with open(MODELS / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a parallel run waits instead of training twice
        if target.exists() and not force:
            crisis_model.ensure_model()
            return target
        print(f"Model trainen ({target.name}); dit duurt ongeveer een minuut...", flush=True)
        start = time.monotonic()
        command = train_command(target.name.removesuffix(".tar.gz"))
        rasa = subprocess.Popen(command, cwd=ROOT, env=env.apply())
        # The crisis model is fitted meanwhile, on the other core (Rasa's training does not use
        # it: the detector only runs on messages); this saves a minute on a fresh machine.
        try:
            crisis_model.ensure_model()
        finally:
            code = rasa.wait()
        if code != 0:
            raise subprocess.CalledProcessError(code, command)
        print(f"Model klaar in {time.monotonic() - start:.0f} s.", flush=True)
    # Keep the three newest models: a parallel session may still be loading an older one.
    models = sorted(MODELS.glob("bestaanswijzer-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-3]:
        if old != target:
            old.unlink(missing_ok=True)
    return target
