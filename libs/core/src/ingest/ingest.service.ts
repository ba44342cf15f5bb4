import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  Database,
  DeviceRepository,
  IngestBatchRepository,
  ReadingRepository,
  RejectionRepository,
  type DeviceRouteRow,
  type NewReadingRow,
  type NewRejectionRow,
} from '@homeward/db';
import { JOB_QUEUE, type InboundMessage, type JobQueue } from '@homeward/messaging';
import { InjectLogger, ingestBatchSeconds, ingestMessages, type Logger } from '@homeward/observability';
import { parseDeviceMessage, payloadExcerpt } from './device-message.parser';

export interface BatchOutcome {
  batchId: string;
  messages: number;
  storedReadings: number;
  duplicateReadings: number;
  rejectedMessages: number;
}

const ROUTE_TTL_MS = 60_000;
const UNKNOWN_TTL_MS = 5_000;

/** Validates, normalises and durably stores batches of device messages. */
@Injectable()
export class IngestService {
  private readonly routes = new Map<string, { route: DeviceRouteRow | null; expires: number }>();

  constructor(
    private readonly db: Database,
    private readonly devices: DeviceRepository,
    private readonly readings: ReadingRepository,
    private readonly rejections: RejectionRepository,
    private readonly batches: IngestBatchRepository,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Stores one batch in one transaction: new readings (de-duplicated), rejections with their
   * reasons, and the outbox row that makes sure the batch gets evaluated. Resolves only once
   * committed; the caller acknowledges the messages to the broker after that.
   */
  async storeBatch(messages: InboundMessage[], ingestClientId: string): Promise<BatchOutcome> {
    const stopTimer = ingestBatchSeconds.startTimer();
    const now = new Date();
    const batchId = randomUUID();
    const parsed = messages.map((message) => ({
      message,
      result: parseDeviceMessage(message.topic, message.payload, now),
    }));
    const routes = await this.resolveRoutes(
      parsed.flatMap(({ result }) => (result.ok ? [result.deviceId] : [])),
    );

    const rows: NewReadingRow[] = [];
    const rejected: NewRejectionRow[] = [];
    // Only rejected messages keep their raw payload, so only they pay for the excerpt.
    const raw = (message: InboundMessage) => ({
      topic: message.topic,
      payloadBytes: message.payload.length,
      payloadExcerpt: payloadExcerpt(message.payload),
    });
    for (const { message, result } of parsed) {
      if (!result.ok) {
        rejected.push({
          ...raw(message),
          deviceRef: result.deviceRef,
          messageId: result.messageId,
          reason: result.reason,
          detail: result.detail,
        });
        continue;
      }
      const route = routes.get(result.deviceId);
      if (!route) {
        rejected.push({
          ...raw(message),
          deviceRef: result.deviceId,
          messageId: result.messageId,
          reason: 'unknown_device',
          detail: `device ${result.deviceId} is not registered or has been revoked`,
        });
        continue;
      }
      for (const reading of result.readings) {
        rows.push({
          ...reading,
          measuredAt: result.measuredAt,
          patientId: route.patientId,
          deviceId: route.id,
          messageId: result.messageId,
        });
      }
    }

    const storedReadings = await this.db.transaction(async (tx) => {
      const stored = await this.readings.insertBatch(batchId, rows, tx);
      await this.rejections.insertMany(ingestClientId, rejected, tx);
      if (stored > 0) {
        await this.batches.create(
          {
            id: batchId,
            ingestClientId,
            correlationId: batchId,
            storedCount: stored,
            rejectedCount: rejected.length,
          },
          tx,
        );
      }
      return stored;
    });
    stopTimer();
    ingestMessages.inc({ outcome: 'rejected' }, rejected.length);
    ingestMessages.inc({ outcome: 'accepted' }, messages.length - rejected.length);
    for (const rejection of rejected) {
      this.logger.warn(
        {
          topic: rejection.topic,
          reason: rejection.reason,
          detail: rejection.detail,
          messageId: rejection.messageId,
          batchId,
        },
        'Device message rejected',
      );
    }
    if (storedReadings > 0) this.dispatchEvaluation(batchId);
    return {
      batchId,
      messages: messages.length,
      storedReadings,
      duplicateReadings: rows.length - storedReadings,
      rejectedMessages: rejected.length,
    };
  }

  /**
   * Enqueues evaluation without holding up acknowledgements. If Redis is unreachable the
   * outbox row stays unenqueued and the worker's sweep enqueues it later.
   */
  private dispatchEvaluation(batchId: string): void {
    this.jobs
      .enqueue('readings.evaluate', { batchId, correlationId: batchId }, batchId)
      .then(() => this.batches.markEnqueued([batchId]))
      .catch((error: unknown) =>
        this.logger.warn({ err: error, batchId }, 'Evaluation enqueue failed; the sweep will retry'),
      );
  }

  private async resolveRoutes(deviceIds: string[]): Promise<Map<string, DeviceRouteRow>> {
    const now = Date.now();
    const found = new Map<string, DeviceRouteRow>();
    const missing = new Set<string>();
    for (const id of deviceIds) {
      const cached = this.routes.get(id);
      if (cached && cached.expires > now) {
        if (cached.route) found.set(id, cached.route);
      } else missing.add(id);
    }
    if (missing.size > 0) {
      const rows = await this.devices.findActiveRoutes([...missing]);
      for (const row of rows) {
        found.set(row.id, row);
        this.routes.set(row.id, { route: row, expires: now + ROUTE_TTL_MS });
      }
      for (const id of missing)
        if (!found.has(id)) this.routes.set(id, { route: null, expires: now + UNKNOWN_TTL_MS });
    }
    return found;
  }
}
