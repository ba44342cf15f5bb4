import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'mqtt';
import { freePort, repoRoot, waitFor } from './ports';

const REPO_ROOT = repoRoot();

export interface TestBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A real Mosquitto of the suite's own, on a free port, with the queue and size limits of
 * docker/mosquitto/conf.d (the machine's default config would drop messages under load).
 */
export async function startMosquitto(): Promise<TestBroker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'homeward-mosquitto-'));
  // Started as root, mosquitto drops to its own user, which must be able to save here.
  chmodSync(dir, 0o777);
  const config = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence true',
    `persistence_location ${dir}/`,
    'autosave_on_changes true',
    'autosave_interval 1000',
    `include_dir ${join(REPO_ROOT, 'docker', 'mosquitto', 'conf.d')}`,
  ].join('\n');
  writeFileSync(join(dir, 'mosquitto.conf'), `${config}\n`);
  const binary =
    ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((path) => existsSync(path)) ?? 'mosquitto';
  const child: ChildProcess = spawn(binary, ['-c', join(dir, 'mosquitto.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `mqtt://127.0.0.1:${port}`;
  await waitFor(
    () =>
      new Promise<boolean>((done) => {
        if (child.exitCode !== null) throw new Error(`mosquitto exited: ${stderr}`);
        const probe = connect(url, { reconnectPeriod: 0, connectTimeout: 1000, clientId: `probe-${port}` });
        probe.once('connect', () => probe.end(true, () => done(true)));
        probe.once('error', () => probe.end(true, () => done(false)));
      }),
    { what: `mosquitto on ${port}`, timeoutMs: 10_000 },
  );
  return {
    url,
    port,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
