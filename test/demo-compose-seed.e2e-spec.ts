import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TEST_REDIS_URL,
  createTestDatabase,
  deleteRedisKeys,
  repoRoot,
  type TestDatabase,
} from '@homeward/testing';

const ROOT = repoRoot();

/** The `seed` service's command, read from docker-compose.yml so the test follows it. */
function composeSeedCommand(): string[] {
  const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
  const service = /\n {2}seed:\n((?: {4}.*\n|\s*\n)+)/.exec(compose)?.[1] ?? '';
  const command = /\n? {4}command: (\[.*\])/.exec(service)?.[1];
  if (!command) throw new Error('docker-compose.yml has no seed service with a one-line command');
  return JSON.parse(command) as string[];
}

function runSeed(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const [command, ...args] = composeSeedCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command === 'node' ? process.execPath : command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** `docker compose --profile demo up`'s seed step: the built entry point with Compose's variables. */
describe('the Compose demo seed', () => {
  let database: TestDatabase;
  const redisPrefix = `hwtest-compose-seed-${randomBytes(4).toString('hex')}`;
  // The variable names docker-compose.yml's x-homeward-env and the seed service set, with local stores.
  const composeEnv = (databaseUrl: string): Record<string, string> => ({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '10',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    MQTT_URL: 'mqtt://127.0.0.1:1',
    MQTT_USERNAME: 'homeward-service',
    MQTT_PASSWORD: 'compose-mqtt-password',
    MQTT_SHARE_GROUP: 'ingest',
    NOTIFICATION_CHANNELS: 'socket',
    PUBLIC_URL: '',
    SMTP_URL: '',
    NOTIFY_FROM: '',
    TWILIO_ACCOUNT_SID: '',
    TWILIO_AUTH_TOKEN: '',
    TWILIO_FROM: '',
    DEMO_PASSWORD: 'Demo-Only-Passw0rd',
  });

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
    await deleteRedisKeys(redisPrefix);
  });

  it('creates the demo users and exits 0', async () => {
    const { code, output } = await runSeed(composeEnv(database.url));
    expect({ code, output }).toEqual({
      code: 0,
      output: expect.stringContaining('Demo organisation and users are ready'),
    });
    const users = await database.pool.query<{ email: string }>('SELECT email FROM users ORDER BY email');
    expect(users.rows.map((row) => row.email)).toEqual([
      'admin@demo.homeward.test',
      'clinician@demo.homeward.test',
      'coordinator@demo.homeward.test',
    ]);
  });

  it('exits non-zero and says why when PostgreSQL is unreachable', async () => {
    const { code, output } = await runSeed(composeEnv('postgres://postgres@127.0.0.1:1/homeward'));
    expect(code).not.toBe(0);
    expect(output).toMatch(/seed-demo: .*ECONNREFUSED/);
  });
});
