import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { MqttClient } from 'mqtt';
import {
  ApiClient,
  TEST_REDIS_URL,
  TestStack,
  createOrganization,
  createUser,
  sleep,
  waitFor,
} from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from './mqtt-helpers';

describe('resilience: lost jobs and dropped database connections', () => {
  let stack: TestStack;
  let api: ApiClient;
  let patientId: string;
  let deviceId: string;
  let mqtt: MqttClient;

  const alertsFor = async (messageId: string) =>
    // A breaching reading is linked to an alert once, whether it opened the alert or attached to it.
    (await stack.database.pool.query('SELECT 1 FROM alert_occurrences WHERE message_id = $1', [messageId]))
      .rowCount;

  beforeAll(async () => {
    // No worker yet: the first test loses a job before any worker could run it.
    stack = await TestStack.start({
      apps: ['api', 'ingest'],
      env: { EVALUATION_SWEEP_AFTER_MS: '300', EVALUATION_SWEEP_EVERY_MS: '300' },
    });
    const org = await createOrganization(stack.database.pool);
    const user = await createUser(stack.database.pool, org, 'coordinator');
    api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    patientId = (await api.createPatient()).id;
    const device = await api.registerDevice(patientId, 'bp_cuff');
    deviceId = device.id;
    mqtt = await connectDevice(stack.broker.url, device);
  });

  afterAll(async () => {
    await mqtt?.endAsync();
    await stack?.stop();
  });

  it('still raises the alert when the evaluation job was lost from Redis', async () => {
    await publishRaw(mqtt, deviceId, bpMessage('lost-job-1', 200, 110, new Date(Date.now() - 5000)));
    const batchId = await waitFor(
      async () =>
        (
          await stack.database.pool.query<{ id: string }>(
            `SELECT b.id FROM ingest_batches b
             WHERE b.enqueued_at IS NOT NULL AND EXISTS (SELECT 1 FROM readings r WHERE r.batch_id = b.id AND r.message_id = 'lost-job-1')`,
          )
        ).rows[0]?.id,
      { what: 'the batch and its enqueued job' },
    );

    // Lose the job, as a Redis crash would.
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('readings.evaluate', { connection, prefix: stack.env().REDIS_PREFIX });
    const job = await queue.getJob(batchId);
    expect(job).toBeDefined();
    await job!.remove();
    expect(await queue.getJob(batchId)).toBeUndefined();
    await queue.close();
    connection.disconnect();

    await stack.startApp('worker');
    // The alert is written before the batch is marked evaluated: wait for both.
    const evaluatedAt = await waitFor(
      async () =>
        (
          await stack.database.pool.query<{ evaluated_at: Date | null }>(
            'SELECT evaluated_at FROM ingest_batches WHERE id = $1',
            [batchId],
          )
        ).rows[0].evaluated_at ?? undefined,
      { what: 'the swept batch marked evaluated', timeoutMs: 15_000 },
    );
    expect(evaluatedAt).toBeInstanceOf(Date);
    expect(await alertsFor('lost-job-1')).toBe(1);
  });

  it('keeps ingesting, evaluating and serving after PostgreSQL drops every connection', async () => {
    const terminated = await stack.database.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'homeward-%'`,
    );
    expect(terminated.rowCount).toBeGreaterThan(0);
    await sleep(300);
    for (const name of ['api', 'ingest', 'worker']) expect(stack.app(name).running).toBe(true);

    await publishRaw(mqtt, deviceId, bpMessage('after-terminate-1', 185, 100, new Date(Date.now() - 2000)));
    await waitFor(async () => (await alertsFor('after-terminate-1')) === 1, {
      what: 'reading stored and evaluated after reconnect',
    });
    const vitals = await api.request<{ items: Array<{ messageId: string }> }>(
      'GET',
      `/api/patients/${patientId}/vitals`,
    );
    expect(vitals.status).toBe(200);
    expect(vitals.body.items.map((i) => i.messageId)).toContain('after-terminate-1');
    expect(stack.app('ingest').log).toContain('PostgreSQL connection lost');
  });
});
