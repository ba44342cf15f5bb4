import { randomBytes, randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import {
  TEST_REDIS_URL,
  createIntegrationModule,
  createTestDatabase,
  deleteRedisKeys,
  sleep,
  waitFor,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { MonitoringJobsModule } from '@homeward/monitoring';
import { NotificationsJobsModule } from '@homeward/notifications';
import { JobWorkersModule } from '@homeward/platform';
import { AlertingJobsModule } from '../alerting.module';

const SWEEP_EVERY_MS = 300;

/** Two worker replicas on one Redis: the outbox sweep must run once per interval, not once per replica. */
describe('worker jobs: the outbox sweep as a cluster-wide BullMQ schedule', () => {
  let database: TestDatabase;
  const replicas: IntegrationModule[] = [];
  const prefix = `hwint-${randomBytes(4).toString('hex')}`;
  const connection = { url: TEST_REDIS_URL };

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two replicas: two Nest applications on one database and one Redis prefix.
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await createIntegrationModule({
          role: 'worker',
          database,
          env: {
            REDIS_PREFIX: prefix,
            EVALUATION_SWEEP_EVERY_MS: String(SWEEP_EVERY_MS),
            EVALUATION_SWEEP_AFTER_MS: '100',
          },
          imports: [JobWorkersModule, MonitoringJobsModule, AlertingJobsModule, NotificationsJobsModule],
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await database?.drop();
    await deleteRedisKeys(prefix);
  });

  it('keeps one schedule however many replicas start, and runs it once per interval', async () => {
    const queue = new Queue('readings.sweep', { connection, prefix });
    const events = new QueueEvents('readings.sweep', { connection, prefix });
    try {
      expect(await queue.getJobSchedulersCount()).toBe(1);
      await events.waitUntilReady();
      let runs = 0;
      events.on('completed', () => (runs += 1));
      await sleep(SWEEP_EVERY_MS * 8);
      // One schedule gives about 8 runs; one per replica would give about 16.
      expect(runs).toBeGreaterThanOrEqual(3);
      expect(runs).toBeLessThanOrEqual(11);
    } finally {
      await events.close();
      await queue.close();
    }
  });

  it('re-enqueues a batch whose evaluation job was lost, and it gets evaluated', async () => {
    const batchId = randomUUID();
    await database.pool.query(
      `INSERT INTO ingest_batches (id, ingest_client_id, correlation_id, stored_count, rejected_count)
       VALUES ($1::uuid, 'ingest-test', $1::text, 1, 0)`,
      [batchId],
    );
    await waitFor(
      async () =>
        (
          await database.pool.query<{ evaluated: boolean }>(
            'SELECT evaluated_at IS NOT NULL AS evaluated FROM ingest_batches WHERE id = $1',
            [batchId],
          )
        ).rows[0].evaluated,
      { what: 'the lost batch swept and evaluated', timeoutMs: 10_000 },
    );
  });
});

describe('worker jobs: start-up with a job nothing processes', () => {
  it('fails, naming the job, when a module queues readings.evaluate and no module processes it', async () => {
    await expect(
      createIntegrationModule({ role: 'worker', imports: [JobWorkersModule, MonitoringJobsModule] }),
    ).rejects.toThrow('No processor for job(s): readings.evaluate');
  });
});
