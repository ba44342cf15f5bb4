#!/usr/bin/env bash
# Every test: types, lint, build, then unit, integration, end-to-end and browser suites.
# scripts/test-services.js finds or starts PostgreSQL and Redis (throwaway ones when none answers),
# installs mosquitto and Chromium when missing, and stops and removes all the run started at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
npm run --silent typecheck
npm run --silent lint
# The demo's build stamp stays true: an interrupted build here is redone by the next demo.
node scripts/build-if-changed.js --always
exec node scripts/test-services.js -- npx jest --maxWorkers=1 --workerIdleMemoryLimit=1500MB "$@"
