#!/usr/bin/env bash
# Set up everything and run the full test suite (the README's test command; .ci/run runs it).
#   bash scripts/test.sh [pytest args...]
# Creates .venv with routeplan and its dev extras, installs the browser-test tools
# (Debian chromium, Leaflet assets from npm) when they are missing, gates style (ruff check,
# ruff format --check, mypy: any finding fails the run), then runs pytest.
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
echo "style: ruff check, ruff format --check, mypy"
.venv/bin/ruff check --quiet src tests benchmarks scripts
.venv/bin/ruff format --check --quiet src tests benchmarks scripts
.venv/bin/mypy --no-error-summary src
exec .venv/bin/python -m pytest "$@"
