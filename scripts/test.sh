#!/usr/bin/env bash
# Every test: types, lint, build, then unit and end-to-end suites (the latter need
# PostgreSQL, Redis and the mosquitto binary on this machine; see README "Tests").
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
npm run --silent typecheck
npm run --silent lint
npm run --silent build
npx jest --runInBand "$@"
