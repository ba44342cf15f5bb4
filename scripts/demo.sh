#!/usr/bin/env bash
# Quick start: installs what is missing, checks PostgreSQL and Redis, builds, migrates,
# seeds the demo organisation and runs every role in one process with an embedded MQTT
# broker and simulated patients. Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "Homeward needs Node.js 20.19 or newer: https://nodejs.org/" >&2
  exit 1
fi
[ -d node_modules ] || npm ci --no-audit --no-fund

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/homeward}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export PORT="${PORT:-3000}"
mkdir -p .homeward
chmod 700 .homeward
if [ -z "${JWT_SECRET:-}" ]; then
  # Kept between runs so sessions survive a restart; demo only. Readable by its owner only:
  # whoever reads it can sign tokens for any demo user.
  if [ ! -s .homeward/jwt-secret ]; then
    (umask 077 && node -e "process.stdout.write(require('crypto').randomBytes(32).toString('hex'))" > .homeward/jwt-secret)
  fi
  chmod 600 .homeward/jwt-secret
  JWT_SECRET="$(cat .homeward/jwt-secret)"
  export JWT_SECRET
fi

node scripts/check-services.js
npm run --silent build
if [ -t 1 ]; then
  # On a terminal, readable log lines instead of JSON.
  node dist/apps/homeward/src/main.js --demo "$@" | node_modules/.bin/pino-pretty --ignore pid,hostname --translateTime SYS:HH:MM:ss
else
  exec node dist/apps/homeward/src/main.js --demo "$@"
fi
