#!/usr/bin/env bash
# Install what the browser tests (tests/browser) need, without `playwright install`:
#   1. Debian's chromium at /usr/bin/chromium (apt-get; skipped when already installed);
#   2. the npm packages whose files the maps load from CDNs (tests/browser/package.json,
#      versions pinned by package-lock.json); the tests serve them by intercepting requests.
# Needs apt (root or sudo) only when chromium or npm is missing. Safe to run repeatedly.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "$@"
}

if [ ! -x /usr/bin/chromium ]; then
    echo "browser-setup: installing Debian chromium"
    apt_install chromium
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "browser-setup: installing nodejs and npm"
    apt_install nodejs npm
fi

echo "browser-setup: $(/usr/bin/chromium --version 2>/dev/null | tail -n 1)"
cd "$repo/tests/browser"
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
else
    npm install --no-audit --no-fund --loglevel=error
fi
for package in leaflet leaflet.markercluster leaflet.locatecontrol; do
    test -f "node_modules/$package/package.json" || {
        echo "browser-setup: $package missing after npm install" >&2
        exit 1
    }
done
echo "browser-setup: map assets in $repo/tests/browser/node_modules"
