import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'mqtt';
import { freePort, repoRoot, waitFor } from './ports';

const REPO_ROOT = repoRoot();
const DOCKER_MOSQUITTO = join(REPO_ROOT, 'docker', 'mosquitto');

export interface MqttAccount {
  username: string;
  password: string;
}

export interface TestBroker {
  url: string;
  port: number;
  /** With dynamic security: the account that administers it and that the platform's processes use. */
  serviceAccount?: MqttAccount;
  /** The running broker's process id (it changes on restart), for /proc-based measurements. */
  readonly pid: number | undefined;
  /**
   * Stops the broker with `signal` (SIGKILL: nothing saved since the last autosave) and starts
   * it again on the same port, config and persistence directory; resolves once it answers.
   */
  restart(signal?: NodeJS.Signals, downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  /**
   * Runs the deployed docker/mosquitto/dynsec.conf (anonymous access off, the dynamic-security
   * plugin on), initialised as a deployment is, with `mosquitto_ctrl dynsec init`, so that this
   * account is the plugin's admin.
   */
  dynamicSecurity?: MqttAccount;
  /**
   * The persistence and autosave lines in place of the deployed ones (anonymous config only;
   * `persistence_location` is always set), for the benchmark that compares them.
   */
  persistence?: readonly string[];
}

/** What docker/mosquitto/mosquitto.conf and dynsec.conf deploy: the tests run the same. */
export const DEPLOYED_PERSISTENCE: readonly string[] = [
  'persistence true',
  'autosave_on_changes false',
  'autosave_interval 10',
];

/** The plugin Debian's mosquitto package installs under its multiarch library directory. */
function dynamicSecurityPlugin(): string {
  const candidates = [
    process.env.MOSQUITTO_DYNSEC_PLUGIN,
    ...readdirSync('/usr/lib').map((dir) => join('/usr/lib', dir, 'mosquitto_dynamic_security.so')),
    '/usr/lib/mosquitto_dynamic_security.so',
    '/usr/local/lib/mosquitto_dynamic_security.so',
  ];
  const found = candidates.find((path): path is string => Boolean(path && existsSync(path)));
  if (!found) throw new Error('mosquitto_dynamic_security.so not found (set MOSQUITTO_DYNSEC_PLUGIN)');
  return found;
}

/** docker/mosquitto/dynsec.conf with this machine's port, paths and plugin in place of the image's. */
function dynamicSecurityConfig(port: number, dir: string): string {
  const local: Record<string, string> = {
    listener: `${port} 127.0.0.1`,
    persistence_location: `${dir}/`,
    plugin: dynamicSecurityPlugin(),
    plugin_opt_config_file: join(dir, 'dynamic-security.json'),
    include_dir: join(DOCKER_MOSQUITTO, 'conf.d'),
  };
  const replaced = new Set<string>();
  const lines = readFileSync(join(DOCKER_MOSQUITTO, 'dynsec.conf'), 'utf8')
    .split('\n')
    .map((line) => {
      const directive = line.trim().split(/\s+/)[0];
      if (!(directive in local)) return line;
      replaced.add(directive);
      return `${directive} ${local[directive]}`;
    });
  const missing = Object.keys(local).filter((directive) => !replaced.has(directive));
  if (missing.length > 0)
    throw new Error(`docker/mosquitto/dynsec.conf no longer sets ${missing.join(', ')}`);
  return lines.join('\n');
}

/** What a deployment runs once before the broker's first start: the admin, default ACL access. */
function initialiseDynamicSecurity(dir: string, account: MqttAccount): void {
  const file = join(dir, 'dynamic-security.json');
  const init = spawnSync('mosquitto_ctrl', ['dynsec', 'init', file, account.username, account.password], {
    encoding: 'utf8',
  });
  if (init.status !== 0)
    throw new Error(`mosquitto_ctrl dynsec init failed: ${init.error?.message ?? init.stderr}`);
  // Started as root, mosquitto drops to its own user, which saves every change to this file.
  chmodSync(file, 0o666);
}

/**
 * Brokers still running when the test process exits (a suite that failed before its afterAll
 * stopped them, or jest quitting): killed then, so none outlives the run.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A real Mosquitto of the suite's own, on a free port, with the queue and size limits of
 * docker/mosquitto/conf.d (the machine's default config would drop messages under load).
 * Anonymous unless `options.dynamicSecurity` is given.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<TestBroker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'homeward-mosquitto-'));
  // Started as root, mosquitto drops to its own user, which must be able to save here.
  chmodSync(dir, 0o777);
  const account = options.dynamicSecurity;
  let config: string;
  if (account && options.persistence)
    throw new Error('startMosquitto: persistence overrides apply to the anonymous config only');
  if (account) {
    initialiseDynamicSecurity(dir, account);
    config = dynamicSecurityConfig(port, dir);
  } else {
    config = [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      ...(options.persistence ?? DEPLOYED_PERSISTENCE),
      `persistence_location ${dir}/`,
      `include_dir ${join(DOCKER_MOSQUITTO, 'conf.d')}`,
    ].join('\n');
  }
  writeFileSync(join(dir, 'mosquitto.conf'), `${config}\n`);
  const binary =
    ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((path) => existsSync(path)) ?? 'mosquitto';
  const url = `mqtt://127.0.0.1:${port}`;
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(binary, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = child;
    running.add(started);
    started.once('exit', () => running.delete(started));
    // The last of its log (dynsec.conf logs to stdout), for the error when it does not start.
    let stderr = '';
    const keep = (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000));
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    await waitFor(
      () =>
        new Promise<boolean>((done) => {
          if (started.exitCode !== null) throw new Error(`mosquitto exited: ${stderr}`);
          const probe = connect(url, {
            reconnectPeriod: 0,
            connectTimeout: 1000,
            clientId: `probe-${port}`,
            username: account?.username,
            password: account?.password,
          });
          probe.once('connect', () => probe.end(true, () => done(true)));
          probe.once('error', () => probe.end(true, () => done(false)));
        }),
      { what: `mosquitto on ${port}`, timeoutMs: 10_000 },
    );
  };
  const halt = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    await exited;
  };
  try {
    await launch();
  } catch (error) {
    await halt('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    serviceAccount: account,
    get pid() {
      return child.pid;
    },
    restart: async (signal = 'SIGTERM', downMs = 0) => {
      await halt(signal);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
    stop: async () => {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
