#!/usr/bin/env bash
# Scale-out on loopback: PostgreSQL, Redis, 2 Rasa instances and 2 action servers behind nginx.
#   bash scripts/scale.sh start|stop|status|purge [--days N]
# Installs the Debian packages when missing (as root, with apt-get). Everything lives in var/scale/
# (BW_SCALE_DIR); nginx listens on 127.0.0.1:5400 (BW_SCALE_PORT). See docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="${1:-status}"

if [ "$cmd" = "start" ]; then
  need=()
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need+=(redis-server)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
      echo "Missing: ${need[*]}. Install them (Debian: apt-get install ${need[*]}) and run again." >&2
      exit 1
    fi
    echo "Installing ${need[*]} (apt-get)..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  bash scripts/setup.sh
fi
shift $(( $# > 0 ? 1 : 0 ))
exec .venv/bin/python -m bot.scale "$cmd" "$@"
