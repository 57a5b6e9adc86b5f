#!/usr/bin/env bash
# Set up everything the tests need (LibreOffice included), run the whole suite on the default Python,
# then the smoke round (scripts/smoke.py): the built wheel on every other Python 3.10-3.13 present,
# and once with every dependency at its lowest declared version.  Arguments go to pytest; with
# arguments (a part of the suite) the smoke round is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --office
# the suite and the smoke round start a few hundred Python processes: each compiles the package (and what
# uv installed) once, not every time
unset PYTHONDONTWRITEBYTECODE
# two workers (pytest-xdist); a test file stays on one worker, so its module fixtures (one LibreOffice
# run for many workbooks) run once; files go out in the order tests/conftest.py gives (engine files first)
.venv/bin/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder "$@"
if [[ $# -eq 0 ]]; then
  .venv/bin/python scripts/smoke.py
fi
