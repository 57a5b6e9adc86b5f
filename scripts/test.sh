#!/usr/bin/env bash
# Set up everything the tests need (LibreOffice included) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --office
exec .venv/bin/python -m pytest -q "$@"
