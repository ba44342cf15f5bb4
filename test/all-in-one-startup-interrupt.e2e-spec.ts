import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppProcess,
  TEST_REDIS_URL,
  createTestDatabase,
  deleteRedisKeys,
  freePort,
  waitFor,
  type TestDatabase,
} from '@homeward/testing';

/** Whether nothing listens on `port` any more (the HTTP server and the embedded broker closed). */
const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * Ctrl-C while the all-in-one demo starts: one line, no stack traces nor "Connection is closed"
 * rejections from Redis and BullMQ closing under modules still initialising, the shell's exit
 * code for an interrupt, and nothing left listening; the next start works.
 */
describe('interrupting the all-in-one process during start-up', () => {
  let database: TestDatabase;
  const stateDir = join(tmpdir(), `homeward-startup-interrupt-${randomBytes(4).toString('hex')}`);
  const redisPrefix = `hwtest-startup-int-${randomBytes(4).toString('hex')}`;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      DEMO_PASSWORD: randomBytes(12).toString('base64url'),
      PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
    };
  });

  afterAll(async () => {
    await database?.drop();
    await deleteRedisKeys(redisPrefix);
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** Starts the demo, sends SIGINT as soon as `line` is logged, and returns what it printed and how it ended. */
  const interruptAt = async (line: string) => {
    const child = spawn(
      process.execPath,
      [AppProcess.entry('homeward'), '--demo', '--no-simulator', '--patients', '2', '--state-dir', stateDir],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    let sent = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const append = (chunk: Buffer) => {
      output += chunk.toString();
      if (!sent && output.includes(line)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const exit = await exited;
    clearTimeout(timer);
    return { exit, output, sent };
  };

  const expectCleanInterrupt = async (result: Awaited<ReturnType<typeof interruptAt>>) => {
    expect(result.sent).toBe(true);
    expect(result.exit).toEqual({ code: 130, signal: null });
    expect(result.output.match(/interrupted during start-up/g)).toEqual(['interrupted during start-up']);
    expect(result.output).not.toMatch(/Connection is closed|Unhandled|\n\s+at |"level":[56]0/);
    expect(await portIsFree(Number(env.PORT))).toBe(true);
    expect(await portIsFree(Number(env.MQTT_PORT))).toBe(true);
  };

  it('stops cleanly when interrupted as soon as its database is chosen', async () => {
    await expectCleanInterrupt(await interruptAt('Demo database chosen'));
  }, 60_000);

  it('stops cleanly when interrupted while Nest initialises its modules', async () => {
    await expectCleanInterrupt(await interruptAt('Serving the console at /'));
  }, 60_000);

  it('starts normally afterwards', async () => {
    const app = new AppProcess('homeward', env, [
      '--demo',
      '--no-simulator',
      '--patients',
      '2',
      '--state-dir',
      stateDir,
    ]);
    try {
      await app.start('Homeward demo ready', 60_000);
      await waitFor(async () => !(await portIsFree(Number(env.PORT))), { what: 'the API listening' });
    } finally {
      await app.stop();
    }
  }, 90_000);
});
