#!/usr/bin/env bash
# The embedded default: set up, load the knowledge base, train if needed, and chat in the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m bot chat "$@"
