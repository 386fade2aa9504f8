#!/usr/bin/env bash
# Container entry point: `rasa` (HTTP server), `actions` (action server) or `load-kb`.
# Every setting comes from the environment (see deploy/compose.yml); nothing secret is baked in.
set -euo pipefail
cd /app
case "${1:-rasa}" in
  load-kb)
    exec python -m bot kb load ;;
  actions)
    # Reachable by the rasa container on the compose network only (no published port).
    SANIC_HOST=0.0.0.0 exec python -m bot.action_server --actions actions --port 5055 ;;
  rasa)
    mkdir -p "$BW_VAR_DIR/rasa"
    # credentials.yml from the environment (REST, resident REST, staff API; Telegram/WhatsApp
    # when their variables are set, their state in BW_CHANNELS_DB), mode 0600: the same
    # function as the loopback setup (bot.deployment.channel_credentials).
    python -m bot.deployment credentials "$BW_VAR_DIR/rasa"
    model="$(ls -t models/bestaanswijzer-*.tar.gz | head -1)"
    # The API token goes in through the environment, never on the command line (bot/rasa_main.py).
    BW_RASA_AUTH_TOKEN="$BW_RASA_TOKEN" exec python -m bot.rasa_main run --model "$model" \
      --endpoints deploy/endpoints.yml --credentials "$BW_VAR_DIR/rasa/credentials.yml" \
      --port 5005 --interface 0.0.0.0 --enable-api ;;
  *)
    exec "$@" ;;
esac
