// Checks the stores before the quick start. Plain JavaScript: it runs before the build.
// - PostgreSQL: only a DATABASE_URL given here is checked (its database is created when the
//   server is up but the database is not there). Without one the demo process itself takes the
//   PostgreSQL at PGHOST:PGPORT (127.0.0.1:5432) or, when none answers, an embedded one.
// - Redis: a REDIS_URL given here must answer. Without one, the default address; when nothing
//   answers there, this starts a redis-server for the demo (data and log in .homeward/redis),
//   installing it first where the system's package manager can do that without questions.
const { spawnSync } = require('node:child_process');
const { accessSync, constants, mkdirSync, readFileSync, statSync } = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
const redisDir = path.resolve('.homeward', 'redis');

async function checkPostgres() {
  const target = new URL(databaseUrl);
  const database = target.pathname.slice(1) || 'postgres';
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return;
  } catch (error) {
    if (error.code !== '3D000') throw error;
  }
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const adminClient = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  await adminClient.end();
  console.log(`Created database ${database}`);
}

async function pingRedis(url) {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function redisAnswers(url) {
  try {
    await pingRedis(url);
    return true;
  } catch {
    return false;
  }
}

function findExecutable(name) {
  // Debian keeps redis-server in /usr/bin, Homebrew in /opt/homebrew/bin or /usr/local/bin; sbin
  // directories are often missing from a user's PATH.
  const dirs = [...(process.env.PATH || '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function run(command, args) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/** Installs redis-server where that needs no questions; otherwise returns what to run by hand. */
function installRedis() {
  if (findExecutable('apt-get')) {
    const root = process.getuid?.() === 0;
    const sudo = !root && findExecutable('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0;
    if (!root && !sudo) return { manual: 'sudo apt-get install -y redis-server' };
    const aptGet = (...args) => (root ? run('apt-get', args) : run('sudo', ['-n', 'apt-get', ...args]));
    console.log('Installing redis-server with apt-get:');
    // A fresh machine may have no package lists yet.
    const installed =
      aptGet('install', '-y', '-q', 'redis-server') ||
      (aptGet('update', '-q') && aptGet('install', '-y', '-q', 'redis-server'));
    return installed ? { installed: true } : { manual: 'sudo apt-get install -y redis-server' };
  }
  if (findExecutable('brew')) {
    console.log('Installing redis with Homebrew:');
    return run('brew', ['install', 'redis']) ? { installed: true } : { manual: 'brew install redis' };
  }
  return {
    manual:
      "your system's redis package (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)" +
      ', or: docker run -d -p 6379:6379 redis:7',
  };
}

async function waitForRedis(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await redisAnswers(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/**
 * A redis-server of the demo's own on the default address: loopback only, append-only file and
 * log under .homeward/redis, noeviction as BullMQ needs. It is a daemon: it outlives the demo
 * (a restart reuses it) until stopped with the command printed below.
 */
async function startRedis(binary) {
  const { port } = new URL(DEFAULT_REDIS_URL);
  mkdirSync(redisDir, { recursive: true, mode: 0o700 });
  const pidFile = path.join(redisDir, 'redis-server.pid');
  const logFile = path.join(redisDir, 'redis-server.log');
  const args = ['--bind', '127.0.0.1', '--port', port, '--daemonize', 'yes', '--dir', redisDir];
  args.push(
    '--pidfile',
    pidFile,
    '--logfile',
    logFile,
    '--appendonly',
    'yes',
    '--maxmemory-policy',
    'noeviction',
  );
  console.log(`No Redis answers at ${DEFAULT_REDIS_URL}: starting ${binary} for the demo`);
  if (
    spawnSync(binary, args, { stdio: 'inherit' }).status !== 0 ||
    !(await waitForRedis(DEFAULT_REDIS_URL, 10_000))
  ) {
    throw new Error(`redis-server did not start; see ${logFile}`);
  }
  const pid = readFileSync(pidFile, 'utf8').trim();
  console.log(
    `Redis for the demo: redis-server (pid ${pid}) on 127.0.0.1:${port}, data and log in ${redisDir}.\n` +
      `  It keeps running after the demo stops; stop it with: kill $(cat ${pidFile})`,
  );
}

/** Redis at the default address, started (and installed) when nothing answers there. */
async function provideRedis() {
  if (await redisAnswers(DEFAULT_REDIS_URL)) return;
  let binary = findExecutable('redis-server');
  if (!binary) {
    const install = installRedis();
    if (install.manual) {
      throw new Error(
        `no Redis answers at ${DEFAULT_REDIS_URL} and redis-server is not installed.\n` +
          `  Install it: ${install.manual}\n  then run npm run demo again, or point REDIS_URL at your server.`,
      );
    }
    // Debian's package starts its own service where systemd runs.
    if (await waitForRedis(DEFAULT_REDIS_URL, 3_000)) return;
    binary = findExecutable('redis-server');
    if (!binary) throw new Error('redis-server was installed but is not on the PATH');
  }
  await startRedis(binary);
}

(async () => {
  let failed = false;
  if (databaseUrl) {
    try {
      await checkPostgres();
    } catch (error) {
      failed = true;
      console.error(
        `PostgreSQL is not reachable at DATABASE_URL (${error.message}).\n` +
          '  Start it, or unset DATABASE_URL to let the demo use the PostgreSQL on 127.0.0.1:5432 or an embedded one.',
      );
    }
  }
  if (process.env.REDIS_URL) {
    try {
      await pingRedis(redisUrl);
    } catch (error) {
      failed = true;
      console.error(
        `Redis is not reachable at ${redisUrl} (${error.message}).\n` +
          '  Start it, or unset REDIS_URL to let the demo start one on 127.0.0.1:6379.',
      );
    }
  } else {
    try {
      await provideRedis();
    } catch (error) {
      failed = true;
      console.error(`Redis: ${error.message}`);
    }
  }
  process.exit(failed ? 1 : 0);
})();
