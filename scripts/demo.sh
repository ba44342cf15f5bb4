#!/usr/bin/env bash
# Quick start: installs what is missing, makes sure Redis answers (starting, or installing, a
# redis-server when none does), builds unless the last build is current, migrates, seeds the
# demo organisation and runs every role in one process with an embedded MQTT broker and
# simulated patients. Without DATABASE_URL the process uses the PostgreSQL on PGHOST:PGPORT
# (127.0.0.1:5432), or an embedded PostgreSQL with its data in .homeward/pgdata when none
# answers there. Ctrl-C stops the demo.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "Homeward needs Node.js 20.19 or newer: https://nodejs.org/" >&2
  exit 1
fi
[ -d node_modules ] || npm ci --no-audit --no-fund

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

# Before REDIS_URL gets its default: only an unset REDIS_URL lets it start a redis-server.
node scripts/check-services.js
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
node scripts/build-if-changed.js
if [ -t 1 ]; then
  # On a terminal, readable log lines instead of JSON.
  node dist/apps/homeward/src/main.js --demo "$@" | node_modules/.bin/pino-pretty --ignore pid,hostname --translateTime SYS:HH:MM:ss --singleLine
else
  exec node dist/apps/homeward/src/main.js --demo "$@"
fi
