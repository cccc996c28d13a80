#!/usr/bin/env bash
# The real-Medplum tier (docs/testing.md): the backend-agnostic integration tests and tests/real/,
# with TEST_BACKEND=real, each test file in a fresh project of a real Medplum server.
#
# With MEDPLUM_BASE_URL (and MEDPLUM_ADMIN_EMAIL / MEDPLUM_ADMIN_PASSWORD, a super admin) set, it
# uses that server. Without, it builds and starts Medplum 5.0.10 from the kit beside the clone
# (../shared/medplum-server; needs root and apt) and leaves it running for the next run.
# Closes with "Real Medplum tier: N passed, N failed" and the tests that run on the local server only.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

if [ -z "${MEDPLUM_BASE_URL:-}" ]; then
  kit="$(cd .. && pwd)/shared/medplum-server"
  if [ ! -f "$kit/build.sh" ]; then
    echo "No MEDPLUM_BASE_URL and no Medplum kit at $kit: set MEDPLUM_BASE_URL, MEDPLUM_ADMIN_EMAIL and MEDPLUM_ADMIN_PASSWORD (docs/testing.md)" >&2
    exit 2
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Building the real Medplum server from $kit (once; 0.3 s when built)..." >&2
  $sudo bash "$kit/build.sh" >&2
  echo "Starting it (about a minute the first time, seconds later)..." >&2
  env_lines="$($sudo bash "$kit/start.sh")"
  eval "$env_lines"
  export MEDPLUM_BASE_URL MEDPLUM_ADMIN_EMAIL MEDPLUM_ADMIN_PASSWORD
  echo "Real Medplum ready after $((SECONDS - started)) s at $MEDPLUM_BASE_URL" >&2
fi
: "${MEDPLUM_ADMIN_EMAIL:?MEDPLUM_ADMIN_EMAIL (a super admin of $MEDPLUM_BASE_URL) is needed}"
: "${MEDPLUM_ADMIN_PASSWORD:?MEDPLUM_ADMIN_PASSWORD is needed}"
export TEST_BACKEND=real

mkdir -p test-output
rm -f test-output/vitest-real.json
tests_started=$SECONDS
status=0
# Two files at a time: the tests mostly wait on the server (one at a time took 384 s, two 268 s).
vitest run --maxWorkers="${REAL_TIER_WORKERS:-2}" --reporter=default --reporter=json --outputFile.json=test-output/vitest-real.json "$@" || status=$?
echo "Real tier tests took $((SECONDS - tests_started)) s (whole script $((SECONDS - started)) s)"
if [ -f test-output/vitest-real.json ]; then
  node tests/print-summary.mjs test-output/vitest-real.json --label "Real Medplum tier" --not-on-real tests/real/tier.json
else
  echo "Real Medplum tier: 0 passed, 0 failed (vitest wrote no report)"
  [ "$status" -ne 0 ] || status=1
fi
exit $status
