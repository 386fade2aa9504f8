#!/usr/bin/env bash
# Set up the project-local environment: find Python 3.10, create .venv, install the locked
# dependencies with uv. Safe to run again: it only does what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.9"

find_python() {
  local candidates=()
  [ -n "${BW_PYTHON:-}" ] && candidates+=("$BW_PYTHON")
  candidates+=("$(command -v python3.10 2>/dev/null || true)")
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  for d in "$pyenv_root"/versions/3.10.* /root/.pyenv/versions/3.10.* /usr/local/bin /usr/bin; do
    [ -x "$d/bin/python3.10" ] && candidates+=("$d/bin/python3.10")
    [ -x "$d/python3.10" ] && candidates+=("$d/python3.10")
  done
  for c in "${candidates[@]}"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    # pyenv shims exist even when 3.10 is not the active version: ask the interpreter itself.
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}

venv_ok() {
  [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null
}

if ! venv_ok; then
  if ! PY="$(find_python)"; then
    cat >&2 <<'MSG'
Bestaanswijzer needs Python 3.10 (Rasa 3.6 runs on Python 3.8-3.10 only), and none was found.
Install it, for example:
  pyenv install 3.10.13        (https://github.com/pyenv/pyenv)
  or: apt-get install python3.10 python3.10-venv   (where your distribution has it)
Or point to an interpreter: BW_PYTHON=/path/to/python3.10 make run
MSG
    exit 1
  fi
  echo "Python 3.10: $PY"
  rm -rf .venv
  "$PY" -m venv .venv
fi

if ! .venv/bin/python -m uv --version 2>/dev/null | grep -q "$UV_VERSION"; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

stamp=".venv/.requirements.sha256"
want="$(sha256sum requirements.lock | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  echo "Installing dependencies (uv pip sync requirements.lock)..."
  start=$(date +%s)
  .venv/bin/python -m uv pip sync --quiet --python .venv/bin/python requirements.lock
  echo "$want" > "$stamp"
  echo "Dependencies installed in $(( $(date +%s) - start )) s."
fi
