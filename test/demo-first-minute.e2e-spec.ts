import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppProcess,
  ApiClient,
  TEST_REDIS_URL,
  createTestDatabase,
  deleteRedisKeys,
  freePort,
  type TestDatabase,
} from '@homeward/testing';

interface AlertRow {
  id: string;
  demoKey: string;
  status: string;
  ruleKind: string;
  triggerMessageId: string | null;
}

interface AlertDetail {
  status: string;
  summary: string;
  history: Array<{ action: string; actorUserId: string | null; toStatus: string; at: string }>;
}

/**
 * What a coordinator finds as soon as `npm run demo` says it is ready, before any schedule has
 * ticked: the missed-reading patient's alert, and past alerts with the care team's history.
 */
describe('the demo, right after it is seeded', () => {
  let database: TestDatabase;
  let app: AppProcess;
  let port: number;
  let alerts: AlertRow[];
  const stateDir = join(tmpdir(), `homeward-demo-first-${randomBytes(4).toString('hex')}`);
  const redisPrefix = `hwtest-demo-first-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');

  const alertRows = async () =>
    (
      await database.pool.query<AlertRow>(
        `SELECT a.id, p.demo_key AS "demoKey", a.status, a.rule_kind AS "ruleKind",
                a.trigger_message_id AS "triggerMessageId"
         FROM alerts a JOIN patients p ON p.id = a.patient_id ORDER BY p.demo_key, a.created_at`,
      )
    ).rows;

  beforeAll(async () => {
    [database, port] = await Promise.all([createTestDatabase(), freePort()]);
    app = new AppProcess(
      'homeward',
      {
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: redisPrefix,
        JWT_SECRET: randomBytes(32).toString('hex'),
        DEMO_PASSWORD: password,
        PORT: String(port),
        MQTT_PORT: String(await freePort()),
      },
      ['--demo', '--patients', '4', '--state-dir', stateDir, '--no-simulator'],
    );
    await app.start('Homeward demo ready', 60_000);
    // Read at once: nothing may wait for the missed-reading schedule's next run.
    alerts = await alertRows();
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    await deleteRedisKeys(redisPrefix);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("has Wei Chen's missed-reading alert open when the demo says it is ready", () => {
    expect(alerts.filter((alert) => alert.demoKey === 'wei-chen')).toEqual([
      expect.objectContaining({ status: 'open', ruleKind: 'missed' }),
    ]);
  });

  it('has past blood-pressure alerts acknowledged by the coordinator and resolved by the clinician', async () => {
    const past = alerts.filter((alert) => alert.triggerMessageId?.startsWith('demo-history-'));
    expect(past.map((alert) => [alert.demoKey, alert.status])).toEqual([
      ['james-okafor', 'resolved'],
      ['maria-alvarez', 'resolved'],
      ['maria-alvarez', 'resolved'],
    ]);
    const users = new Map(
      (await database.pool.query<{ id: string; role: string }>('SELECT id, role FROM users')).rows.map(
        (user) => [user.id, user.role],
      ),
    );
    const coordinator = await new ApiClient(`http://127.0.0.1:${port}`).login(
      'coordinator@demo.homeward.test',
      password,
    );
    for (const alert of past) {
      const detail = await coordinator.request<AlertDetail>('GET', `/api/alerts/${alert.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.summary).toMatch(/^Systolic 1\d\d mmHg/);
      expect(
        detail.body.history.map((entry) => [entry.action, entry.actorUserId && users.get(entry.actorUserId)]),
      ).toEqual([
        ['raise', null],
        ['acknowledge', 'coordinator'],
        ['note', 'coordinator'],
        ['resolve', 'clinician'],
      ]);
      const times = detail.body.history.map((entry) => Date.parse(entry.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Date.now() - times[0]).toBeGreaterThan(2 * 24 * 3_600_000);
    }
  });

  it('adds no past alert twice when the demo restarts', async () => {
    await app.stop();
    await app.start('Homeward demo ready', 60_000);
    expect((await alertRows()).map((alert) => alert.id)).toEqual(alerts.map((alert) => alert.id));
  }, 90_000);
});
