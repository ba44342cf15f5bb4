import pino from 'pino';
import { metricsRegistry } from '@homeward/observability';
import { publishReceipts } from './ingest-receipts';

const DEVICE = '3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f';

async function receiptCounts(): Promise<Record<string, number>> {
  const metric = await metricsRegistry.getSingleMetric('homeward_ingest_receipts_total')!.get();
  return Object.fromEntries(metric.values.map((value) => [String(value.labels.result), value.value]));
}

describe('publishReceipts', () => {
  it('publishes each receipt to its device’s receipts topic and counts the failures without throwing', async () => {
    const before = await receiptCounts();
    const sent: Array<[string, string]> = [];
    const warnings: unknown[] = [];
    const logger = pino({ level: 'silent' });
    logger.warn = (...args: unknown[]) => warnings.push(args);

    publishReceipts(
      [
        { deviceId: DEVICE, receipt: { messageId: 'm-1', status: 'stored' } },
        { deviceId: DEVICE, receipt: { messageId: null, status: 'rejected', reason: 'invalid_json' } },
        { deviceId: DEVICE, receipt: { messageId: 'm-2', status: 'duplicate' } },
      ],
      (topic, payload) => {
        sent.push([topic, payload]);
        return payload.includes('m-2') ? Promise.reject(new Error('not connected')) : Promise.resolve();
      },
      logger,
    );
    await new Promise((resolve) => setImmediate(resolve));

    expect(sent).toEqual([
      [`v1/devices/${DEVICE}/receipts`, '{"messageId":"m-1","status":"stored"}'],
      [`v1/devices/${DEVICE}/receipts`, '{"messageId":null,"status":"rejected","reason":"invalid_json"}'],
      [`v1/devices/${DEVICE}/receipts`, '{"messageId":"m-2","status":"duplicate"}'],
    ]);
    const after = await receiptCounts();
    expect((after.published ?? 0) - (before.published ?? 0)).toBe(2);
    expect((after.failed ?? 0) - (before.failed ?? 0)).toBe(1);
    expect(warnings).toHaveLength(1);
  });
});
