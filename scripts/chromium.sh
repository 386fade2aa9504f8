#!/usr/bin/env bash
# Make sure Debian's chromium is there for the console's browser tests (Playwright drives it;
# `playwright install` is never used). Installs only when missing, running as root, with apt.
# Without it the browser tests skip with the reason; nothing else depends on it.
set -uo pipefail
CHROMIUM="${BW_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium for the browser tests (apt-get install chromium)..."
  if ! apt-get install -y -qq chromium >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1 \
      || echo "chromium could not be installed: the console browser tests will skip." >&2
  fi
else
  echo "chromium not found ($CHROMIUM) and cannot install it here: the console browser tests will skip." >&2
fi
exit 0
