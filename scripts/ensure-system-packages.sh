#!/usr/bin/env bash
# Install the Debian packages the test suite drives for real when they are missing:
# chromium (browser tests, driven by Playwright), nginx (the sub-path proxy test),
# redis-server (the Redis store's tests) and wrk (the scale-out benchmark).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "error: ${missing[*]} missing and cannot be installed without root (apt-get install ${missing[*]})" >&2
    exit 1
  }
  SUDO=sudo
fi
echo "installing ${missing[*]} with apt-get ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
command -v chromium >/dev/null
