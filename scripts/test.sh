#!/usr/bin/env bash
# Every test: types, lint, build, then unit, end-to-end and browser suites (the latter need
# PostgreSQL, Redis, the mosquitto binary and Debian's chromium on this machine; see README "Tests").
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
npm run --silent typecheck
npm run --silent lint
npm run --silent build
npx jest --runInBand "$@"
