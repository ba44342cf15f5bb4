// Brings up what the test suites need, runs a command (jest) with it, and takes it all down again.
// Plain JavaScript: it runs before the build.
//   node scripts/test-services.js [--install-only | --throwaway] -- <command> [args...]
// (--throwaway: throwaway PostgreSQL and Redis whatever answers; --install-only: install, run nothing)
// - PostgreSQL: TEST_POSTGRES_URL when set; else the server at PGHOST:PGPORT (127.0.0.1:5432);
//   else a throwaway cluster of Debian's PostgreSQL binaries on a free port, data in this run's folder.
// - Redis: TEST_REDIS_URL when set; else redis://127.0.0.1:6379; else a throwaway redis-server.
// - mosquitto and chromium (the suites start their own brokers and browsers) must be installed.
// Missing packages are installed with apt-get as root; otherwise the command to run is printed.
// Every process of the run carries HOMEWARD_TEST_RUN in its environment, and all of them, the
// stores started here and the run's folder (the command's TMPDIR) are gone when this exits, whether
// the command passed, failed, or was interrupted (SIGINT, SIGTERM, or jest killed outright).
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');

const isRoot = process.getuid?.() === 0;
const say = (line) => console.log(`test services: ${line}`);
const stores = [];
const throwaway = process.argv.includes('--throwaway');
let runDir;

function findExecutable(name, extraDirs = []) {
  const dirs = [
    ...extraDirs,
    ...(process.env.PATH || '').split(path.delimiter),
    '/usr/local/sbin',
    '/usr/sbin',
    '/sbin',
  ];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Installs Debian packages as root; elsewhere stops with the one command to run. */
function install(packages, what) {
  const command = `sudo apt-get install -y ${packages.join(' ')}`;
  if (!isRoot || !findExecutable('apt-get')) {
    throw new Error(`${what} is not installed. Install it: ${command}`);
  }
  say(`${what} is not installed: apt-get install -y ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  // A fresh machine may have no package lists yet.
  if (
    !apt('install', '-y', '-q', ...packages) &&
    !(apt('update', '-q') && apt('install', '-y', '-q', ...packages))
  ) {
    throw new Error(`apt-get could not install ${packages.join(' ')}; run: ${command}`);
  }
}

function postgresBinaries() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const dir = versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
  const initdb = findExecutable('initdb', dir ? [dir] : []);
  const postgres = initdb && findExecutable('postgres', [path.dirname(initdb)]);
  return initdb && postgres ? { initdb, postgres } : undefined;
}

function ensureTools() {
  if (!findExecutable('mosquitto') || !findExecutable('mosquitto_ctrl')) install(['mosquitto'], 'mosquitto');
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(chromium)) install(['chromium'], `Chromium (${chromium})`);
}

function tcpAnswers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 1500 });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(probe, what, child, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not answer within ${ms / 1000} s`);
}

async function postgresAnswers(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A child process of this script that is stopped, and waited for, at the end of the run. Started in
 * a process group of its own, so that a Ctrl-C reaches the tests first and the store last.
 */
function keep(name, child, stopSignal) {
  const log = [];
  const collect = (chunk) => log.push(chunk.toString()) > 50 && log.shift();
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`test services: ${name} exited (${signal ?? code}):\n${log.join('')}`);
  });
  stores.push({ name, child, stopSignal });
  recordOwner();
}

/** A process's start time (clock ticks since boot), so a reused pid is not taken for it. */
function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const OWNER_FILE = 'owner.json';
let currentRunId;
const RUN_PREFIX = 'homeward-test-run-';

/**
 * Who owns the run's folder: this supervisor and the stores it started. A supervisor killed
 * outright (SIGKILL) cannot clean up; the next run reads this to do it (removeStaleRuns).
 */
function recordOwner() {
  if (!runDir) return;
  const owner = {
    runId: currentRunId,
    pid: process.pid,
    startTime: startTime(process.pid),
    stores: stores.map(({ name, child }) => ({ name, pid: child.pid, startTime: startTime(child.pid) })),
  };
  writeFileSync(path.join(runDir, OWNER_FILE), JSON.stringify(owner));
}

const sameProcess = ({ pid, startTime: started }) => Boolean(pid) && startTime(pid) === started;

/**
 * Stops the processes and removes the folders of earlier runs whose supervisor is gone (killed
 * with SIGKILL, or the machine's OOM killer): their stores, and anything carrying their marker.
 * A folder without its owner file is left alone (an older run, or one being created).
 */
async function removeStaleRuns(root = os.tmpdir()) {
  let removed = 0;
  for (const entry of readdirSync(root).filter((name) => name.startsWith(RUN_PREFIX))) {
    const dir = path.join(root, entry);
    let owner;
    try {
      owner = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (sameProcess(owner)) continue;
    const pids = [
      ...owner.stores.filter(sameProcess).map((store) => store.pid),
      ...(owner.runId && existsSync('/proc') ? markedProcesses(`HOMEWARD_TEST_RUN=${owner.runId}`) : []),
    ];
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    // PostgreSQL's backends leave once their postmaster is gone; wait for all before removing.
    const deadline = Date.now() + 10_000;
    while (pids.some((pid) => startTime(pid) !== undefined) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    rmSync(dir, { recursive: true, force: true });
    say(
      `removed ${dir}, left by a run whose supervisor (pid ${owner.pid}) is gone; stopped ${pids.length} of its process(es)`,
    );
    removed += 1;
  }
  return removed;
}

async function throwawayPostgres() {
  let binaries = postgresBinaries();
  if (!binaries) {
    install(['postgresql'], 'PostgreSQL');
    binaries = postgresBinaries();
    if (!binaries) throw new Error('PostgreSQL was installed but initdb is not under /usr/lib/postgresql');
  }
  const port = await freePort();
  const data = path.join(runDir, 'postgres');
  mkdirSync(data, { mode: 0o700 });
  // initdb and postgres refuse to run as root: they run as Debian's postgres user.
  const owner = {};
  if (isRoot) {
    owner.uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    owner.gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (!owner.uid) throw new Error('running as root, but there is no postgres user to run PostgreSQL as');
    chownSync(data, owner.uid, owner.gid);
  }
  say(`PostgreSQL: starting a throwaway cluster on 127.0.0.1:${port} (data in ${data})`);
  const initdb = spawnSync(
    binaries.initdb,
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'],
    {
      ...owner,
      encoding: 'utf8',
    },
  );
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.error?.message ?? initdb.stderr}`);
  // Throwaway data: nothing needs to survive a crash, so nothing is flushed.
  const settings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=300'];
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${data}`,
  ];
  const child = spawn(binaries.postgres, [...args, ...settings.flatMap((s) => ['-c', s])], {
    ...owner,
    env: storeEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // SIGQUIT: immediate shutdown; the data is deleted anyway.
  keep('PostgreSQL', child, 'SIGQUIT');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntil(() => postgresAnswers(url), 'PostgreSQL', child);
  return url;
}

async function providePostgres() {
  if (throwaway) return throwawayPostgres();
  if (process.env.TEST_POSTGRES_URL) {
    say(`PostgreSQL: TEST_POSTGRES_URL (${redact(process.env.TEST_POSTGRES_URL)})`);
    return process.env.TEST_POSTGRES_URL;
  }
  const host = process.env.PGHOST || '127.0.0.1';
  const port = process.env.PGPORT || '5432';
  const user = process.env.PGUSER || 'postgres';
  // PGPASSWORD, when set, is read by pg; it is never put in the URL.
  const url = `postgres://${encodeURIComponent(user)}@${host}:${port}/postgres`;
  if (await tcpAnswers(host, port)) {
    if (!(await postgresAnswers(url))) {
      throw new Error(
        `a server answers at ${host}:${port} but refuses ${user}: set TEST_POSTGRES_URL, or PGUSER/PGPASSWORD`,
      );
    }
    say(`PostgreSQL: the server at ${host}:${port} (a database of each suite's own, dropped after it)`);
    return url;
  }
  return throwawayPostgres();
}

async function provideRedis() {
  if (throwaway) return throwawayRedis();
  if (process.env.TEST_REDIS_URL) {
    say(`Redis: TEST_REDIS_URL (${redact(process.env.TEST_REDIS_URL)})`);
    return process.env.TEST_REDIS_URL;
  }
  if (await tcpAnswers('127.0.0.1', 6379)) {
    say("Redis: the server at 127.0.0.1:6379 (each suite's own key prefix, deleted after it)");
    return 'redis://127.0.0.1:6379/0';
  }
  return throwawayRedis();
}

async function throwawayRedis() {
  let binary = findExecutable('redis-server');
  if (!binary) {
    install(['redis-server'], 'redis-server');
    binary = findExecutable('redis-server');
    if (!binary) throw new Error('redis-server was installed but is not on the PATH');
  }
  const port = await freePort();
  const dir = path.join(runDir, 'redis');
  mkdirSync(dir);
  say(`Redis: starting a throwaway redis-server on 127.0.0.1:${port}`);
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'];
  args.push('--daemonize', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction');
  const child = spawn(binary, args, { env: storeEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  keep('Redis', child, 'SIGTERM');
  await waitUntil(() => tcpAnswers('127.0.0.1', port), 'redis-server', child);
  return `redis://127.0.0.1:${port}/0`;
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The stores are stopped here, by name: they do not carry the run's marker. */
function storeEnv() {
  const env = { ...process.env };
  delete env.HOMEWARD_TEST_RUN;
  return env;
}

/** Processes whose environment carries this run's marker (the command and all it started). */
function markedProcesses(marker) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)) pids.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

let stopping = false;

async function cleanUp(commandChild, marker) {
  stopping = true;
  if (commandChild?.pid) {
    try {
      process.kill(-commandChild.pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }
  // Brokers, apps and browsers a killed jest could not stop, even those that left its group.
  if (existsSync('/proc')) {
    const strays = markedProcesses(marker);
    if (strays.length > 0) say(`stopping ${strays.length} process(es) the run left behind`);
    for (const pid of strays) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await Promise.all(
    stores.map(
      ({ child, stopSignal }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill(stopSignal);
        }),
    ),
  );
  if (runDir) rmSync(runDir, { recursive: true, force: true });
}

async function main() {
  const separator = process.argv.indexOf('--');
  const options = process.argv.slice(2, separator < 0 ? undefined : separator);
  const command = separator < 0 ? [] : process.argv.slice(separator + 1);
  ensureTools();
  if (options.includes('--install-only')) {
    if (!postgresBinaries() && !(await tcpAnswers('127.0.0.1', 5432))) install(['postgresql'], 'PostgreSQL');
    if (!findExecutable('redis-server')) install(['redis-server'], 'redis-server');
    return 0;
  }
  if (command.length === 0) throw new Error('usage: node scripts/test-services.js -- <command> [args...]');

  await removeStaleRuns();
  const runId = randomBytes(6).toString('hex');
  currentRunId = runId;
  const marker = `HOMEWARD_TEST_RUN=${runId}`;
  runDir = mkdtempSync(path.join(os.tmpdir(), RUN_PREFIX));
  recordOwner();
  // Brokers started as root drop to the mosquitto user, and PostgreSQL runs as postgres.
  chmodSync(runDir, 0o755);
  const tmp = path.join(runDir, 'tmp');
  mkdirSync(tmp);
  chmodSync(tmp, 0o1777);

  let child;
  let signalled;
  const onSignal = (signal) => {
    signalled = signal;
    say(`${signal}: stopping the run`);
    if (child?.pid) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
    // A second signal, or a command that ignores this one, ends the run by force.
    setTimeout(() => child?.pid && process.kill(-child.pid, 'SIGKILL'), 10_000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  try {
    const postgresUrl = await providePostgres();
    // Interrupted while PostgreSQL started: no Redis to start and stop again.
    if (signalled) return 128 + os.constants.signals[signalled];
    const redisUrl = await provideRedis();
    if (signalled) return 128 + os.constants.signals[signalled];
    say(`temporary folders of the run in ${tmp}, removed at the end`);
    // Its own process group: a signal reaches every process it starts, and the group is killed at the end.
    child = spawn(command[0], command.slice(1), {
      stdio: 'inherit',
      detached: true,
      env: {
        ...process.env,
        TEST_POSTGRES_URL: postgresUrl,
        TEST_REDIS_URL: redisUrl,
        HOMEWARD_TEST_RUN: runId,
        TMPDIR: tmp,
      },
    });
    const [code, signal] = await new Promise((resolve) => {
      child.once('exit', (c, s) => resolve([c, s]));
      child.once('error', (error) => {
        console.error(`test services: ${command[0]}: ${error.message}`);
        resolve([127, null]);
      });
    });
    if (signal) say(`${command[0]} ended by ${signal}`);
    if (signalled) return 128 + os.constants.signals[signalled];
    return code ?? 128 + (os.constants.signals[signal] ?? 0);
  } finally {
    await cleanUp(child, marker);
    say('stopped everything the run started and removed its folder');
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`test services: ${error.message}`);
      process.exit(1);
    },
  );
}

module.exports = { removeStaleRuns };
