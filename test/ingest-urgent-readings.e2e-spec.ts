import type { MqttClient } from 'mqtt';
import { readingsTopic } from '@homeward/contracts';
import { ApiClient, TestStack, createOrganization, createUser, sleep, waitFor } from '@homeward/testing';
import { bpMessage, connectDevice } from './mqtt-helpers';

/** Long enough that a batch which waited for it is plainly told apart from one that did not. */
const FLUSH_MS = 5000;

/**
 * Ingest batches device messages for up to INGEST_FLUSH_MS; a reading past a default critical
 * threshold does not wait for that (api and ingest processes; PostgreSQL, Redis, Mosquitto).
 */
describe('a critical reading is committed without waiting for its batch', () => {
  let stack: TestStack;
  let calm: MqttClient;
  let crisis: MqttClient;
  let calmDeviceId: string;
  let crisisDeviceId: string;

  const stored = async (messageId: string) =>
    Number(
      (await stack.database.pool.query('SELECT count(*) FROM readings WHERE message_id = $1', [messageId]))
        .rows[0].count,
    );

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api', 'ingest'], env: { INGEST_FLUSH_MS: String(FLUSH_MS) } });
    const organization = await createOrganization(stack.database.pool, 'Urgent Org');
    const user = await createUser(stack.database.pool, organization, 'coordinator');
    const api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const first = await api.createPatient('Calm', 'Carla');
    const second = await api.createPatient('Crisis', 'Chris');
    const calmDevice = await api.registerDevice(first.id, 'bp_cuff');
    const crisisDevice = await api.registerDevice(second.id, 'bp_cuff');
    calmDeviceId = calmDevice.id;
    crisisDeviceId = crisisDevice.id;
    [calm, crisis] = await Promise.all([
      connectDevice(stack.broker.url, calmDevice),
      connectDevice(stack.broker.url, crisisDevice),
    ]);
  });

  afterAll(async () => {
    await Promise.all([calm?.endAsync(), crisis?.endAsync()]);
    await stack?.stop();
  });

  // The broker acknowledges the devices itself; ingest's acknowledgements to the broker are
  // held until the commit. So the tests watch what is stored.
  it('stores a crisis reading, and the ordinary one waiting before it, well inside the flush interval', async () => {
    const sentAt = Date.now();
    await calm.publishAsync(readingsTopic(calmDeviceId), bpMessage('calm-1', 128, 82), { qos: 1 });
    await sleep(1000);
    // An ordinary reading waits for its batch: nothing is stored a second later.
    expect(await stored('calm-1')).toBe(0);

    await crisis.publishAsync(readingsTopic(crisisDeviceId), bpMessage('crisis-1', 186, 124), { qos: 1 });
    await waitFor(async () => (await stored('crisis-1')) === 3, { timeoutMs: 10_000 });
    const elapsed = Date.now() - sentAt;
    // The crisis took the batch with it, in arrival order, before the interval ran out.
    expect(await stored('calm-1')).toBe(3);
    expect(elapsed).toBeLessThan(FLUSH_MS);
  });

  it('lets a grade 2 reading (a warning, not critical) wait for its batch', async () => {
    await calm.publishAsync(readingsTopic(calmDeviceId), bpMessage('warning-1', 165, 102), { qos: 1 });
    await sleep(2000);
    expect(await stored('warning-1')).toBe(0);
    await waitFor(async () => (await stored('warning-1')) === 3, { timeoutMs: 10_000 });
  });
});
