"""`rasa data validate` must be clean on the project's domain and data."""

from __future__ import annotations

import subprocess
import sys

from bot import env, training


def test_rasa_data_validate_is_clean():
    training.ensure_model()  # writes generated lookup tables first
    cmd = [
        sys.executable,
        "-m",
        "rasa",
        "data",
        "validate",
        "--config",
        str(env.ROOT / "config.yml"),
        "--domain",
        str(training.DOMAIN),
        "--data",
        *[str(d) for d in training.DATA],
        "--fail-on-warnings",
    ]
    proc = subprocess.run(
        cmd, cwd=env.ROOT, env=env.apply(), capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
