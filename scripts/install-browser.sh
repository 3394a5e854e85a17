#!/usr/bin/env bash
# Chromium for the web environment's tests: Debian's package at
# /usr/bin/chromium (Playwright launches it by path; `playwright install`
# needs a download site). Installs it when missing and apt-get is usable.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "install Chromium for the web tests" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
