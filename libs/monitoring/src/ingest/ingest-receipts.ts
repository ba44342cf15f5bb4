import { receiptsTopic } from '@homeward/contracts';
import { ingestReceipts, type Logger } from '@homeward/observability';
import type { MessageReceipt } from './ingest.service';

/** Publishes one message QoS 1; resolves once the broker has it. */
export type ReceiptSend = (topic: string, payload: string) => Promise<void>;

/**
 * Sends each device its receipts, after the batch is committed, without holding up anything:
 * not the acknowledgements to the broker, not the next batch. A receipt that cannot be sent is
 * counted and logged, never retried: the device resends what has no receipt and is told
 * `duplicate`.
 */
export function publishReceipts(receipts: MessageReceipt[], send: ReceiptSend, logger: Logger): void {
  if (receipts.length === 0) return;
  const sent = receipts.map(({ deviceId, receipt }) =>
    send(receiptsTopic(deviceId), JSON.stringify(receipt)),
  );
  void Promise.allSettled(sent).then((results) => {
    const failed = results.filter((result) => result.status === 'rejected');
    ingestReceipts.inc({ result: 'published' }, results.length - failed.length);
    if (failed.length === 0) return;
    ingestReceipts.inc({ result: 'failed' }, failed.length);
    logger.warn(
      { err: failed[0].reason as unknown, failed: failed.length, receipts: results.length },
      'Receipts not published; the devices resend and are told duplicate',
    );
  });
}
