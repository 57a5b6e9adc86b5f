#!/usr/bin/env bash
# Set up everything the tests need (LibreOffice included), run the whole suite on the default Python and
# the smoke round (scripts/smoke.py): the built wheel on every other Python 3.10-3.13 present, and once
# with every dependency at its lowest declared version.  Arguments go to pytest; with arguments (a part of
# the suite) the smoke round is skipped.  Fails when either fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --office
# the suite and the smoke round start a few hundred Python processes: each compiles the package (and what
# uv installed) once, not every time
unset PYTHONDONTWRITEBYTECODE
smoke=""
if [[ $# -eq 0 ]]; then
  # the smoke round runs beside the suite at the lowest priority: it takes only what the suite leaves idle
  # (a worker waiting for LibreOffice, the last files on one worker), so it adds little to the time; once
  # the suite is done it gets its normal priority back (as root; else it keeps the lowest).  Its own process
  # group (setsid), so that both reach every command it runs; its report follows the suite's
  smoke_log="$(mktemp)"
  setsid nice -n 19 .venv/bin/python scripts/smoke.py >"$smoke_log" 2>&1 &
  smoke=$!
  trap 'kill -- -"$smoke" 2>/dev/null || true; rm -f "$smoke_log"' EXIT
fi
# two workers (pytest-xdist); a test file stays on one worker, so its module fixtures (one LibreOffice
# run for many workbooks) run once; files go out in the order tests/conftest.py gives (engine files first)
status=0
.venv/bin/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder "$@" || status=$?
if [[ -n "$smoke" ]]; then
  renice -n 0 -g "$smoke" >/dev/null 2>&1 || true
  smoke_status=0
  wait "$smoke" || smoke_status=$?
  cat "$smoke_log"
  if [[ $status -eq 0 ]]; then status=$smoke_status; fi
fi
exit "$status"
