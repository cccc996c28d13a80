#!/usr/bin/env bash
# Everything CI runs: lint, types, a build of the app, then every test layer (unit, component,
# integration over real HTTP, end-to-end in Chromium) inside a private D-Bus session with an
# unlocked GNOME Keyring, so that keytar talks to a real Secret Service.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run -s lint
npm run -s typecheck
npm run -s build >/dev/null

# Two files at a time (vitest's default on 2 cores is one): most tests wait on HTTP, not the CPU.
mkdir -p test-output
rm -f test-output/vitest.json
status=0
dbus-run-session -- bash tests/with-keyring.sh \
  vitest run --maxWorkers="${TEST_WORKERS:-2}" --reporter=default --reporter=json --outputFile.json=test-output/vitest.json "$@" || status=$?
[ -f test-output/vitest.json ] && node tests/print-summary.mjs test-output/vitest.json
exit $status
