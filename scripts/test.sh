#!/usr/bin/env bash
# Set up everything and run the full test suite (the README's test command; .ci/run runs it).
#   bash scripts/test.sh [pytest args...]
# Creates .venv with routeplan and its dev extras, installs the browser-test tools
# (Debian chromium, Leaflet assets from npm) when they are missing, then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
if [ -f .ci/browser-setup.sh ]; then
  bash .ci/browser-setup.sh
fi
exec .venv/bin/python -m pytest "$@"
