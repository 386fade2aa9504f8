#!/usr/bin/env bash
# Set up and run the whole test suite: lint, content validation, training (only if needed), pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/chromium.sh  # Debian chromium for the console browser tests
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONPATH="$PWD"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m bot kb validate
.venv/bin/python -m bot train
exec .venv/bin/python -m pytest "$@"
