import { ApiClient, TestStack, createOrganization, createUser, freePort, waitFor } from '@homeward/testing';
import { ReceiptingDevice, type BufferedMessage } from './mqtt-helpers';

const BUDGET = 20;

/** Body-weight messages measured a few minutes ago, all distinct. */
function messages(prefix: string, total: number): BufferedMessage[] {
  const base = Date.now() - 5 * 60_000;
  return Array.from({ length: total }, (_, i) => ({
    messageId: `${prefix}-${i}`,
    body: JSON.stringify({
      messageId: `${prefix}-${i}`,
      measuredAt: new Date(base + i).toISOString(),
      readings: [{ type: 'body_weight', value: 70 + i / 10, unit: 'kg' }],
    }),
  }));
}

/**
 * Mosquitto cannot limit one client's message rate, so ingest holds each device to its budget
 * (api and ingest processes; PostgreSQL, Mosquitto with dynamic security).
 */
describe('the per-device message budget behind an external broker', () => {
  let stack: TestStack;
  let opsPort: number;
  let admin: ApiClient;
  let looping: ReceiptingDevice;
  let neighbour: ReceiptingDevice;

  beforeAll(async () => {
    opsPort = await freePort();
    stack = await TestStack.start({
      apps: ['api', 'ingest'],
      env: { DEVICE_MAX_MESSAGES_PER_MINUTE: String(BUDGET) },
      appEnv: { ingest: { OPS_PORT: String(opsPort) } },
    });
    const organization = await createOrganization(stack.database.pool, 'Budget Org');
    const user = await createUser(stack.database.pool, organization, 'admin');
    admin = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const patient = await admin.createPatient('Loop', 'Lou');
    const [first, second] = [
      await admin.registerDevice(patient.id, 'scale'),
      await admin.registerDevice(patient.id, 'scale'),
    ];
    // No resend while the test looks: what a receipt refused stays refused here.
    looping = await ReceiptingDevice.connect(stack.broker.url, first, { resendAfterMs: 600_000 });
    neighbour = await ReceiptingDevice.connect(stack.broker.url, second, { resendAfterMs: 600_000 });
  });

  afterAll(async () => {
    await Promise.all([looping?.close(), neighbour?.close()]);
    await stack?.stop();
  });

  it('stores a looping device’s budget, refuses the rest as rate_limited with receipts, and stores its neighbour’s reading', async () => {
    looping.send(messages('loop', BUDGET + 10));
    neighbour.send(messages('neighbour', 1));
    await looping.settled(20_000);
    await neighbour.settled(20_000);

    const statuses = [...looping.receipts.values()].map(([receipt]) => receipt);
    expect(statuses.filter((receipt) => receipt.status === 'stored')).toHaveLength(BUDGET);
    const refused = statuses.filter((receipt) => receipt.status === 'rejected');
    expect(refused).toHaveLength(10);
    expect(new Set(refused.map((receipt) => receipt.reason))).toEqual(new Set(['rate_limited']));
    expect(neighbour.receipts.get('neighbour-0')).toEqual([{ messageId: 'neighbour-0', status: 'stored' }]);

    const stored = await stack.database.pool.query<{ count: string }>(
      "SELECT count(DISTINCT message_id) AS count FROM readings WHERE device_id = $1 AND message_id LIKE 'loop-%'",
      [looping.deviceId],
    );
    expect(Number(stored.rows[0].count)).toBe(BUDGET);
  });

  it('weighs a hub batch by the messages it holds: two batches of 15 do not fit a budget of 20', async () => {
    const patient = await admin.createPatient('Hub', 'Hana');
    const hub = await ReceiptingDevice.connect(
      stack.broker.url,
      await admin.registerDevice(patient.id, 'scale'),
      {
        resendAfterMs: 600_000,
        hubBatchSize: 15,
      },
    );
    try {
      hub.send(messages('hub', 30));
      await hub.settled(20_000);
      const statuses = [...hub.receipts.values()].map(([receipt]) => receipt);
      // Counted once per batch, both batches fitted the budget and all 30 were stored.
      expect(statuses.filter((receipt) => receipt.status === 'stored')).toHaveLength(15);
      expect(statuses.filter((receipt) => receipt.reason === 'rate_limited')).toHaveLength(15);
    } finally {
      await hub.close();
    }
  });

  it('writes down only the first refusal of the minute, and counts every one', async () => {
    const response = await admin.request<{ items: Array<{ reason: string; messageId: string }> }>(
      'GET',
      `/api/ingest/rejections?deviceId=${looping.deviceId}&reason=rate_limited`,
    );
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
    const metric = await waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
        return /^homeward_ingest_rejections_total\{reason="rate_limited"\} (\S+)$/m.exec(text)?.[1];
      },
      { what: 'the rate_limited counter' },
    );
    // The looping device's 10 and the hub's 15.
    expect(Number(metric)).toBe(25);
  });
});
