import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { deviceIdFromStatusTopic, deviceIdFromTopic } from '@homeward/contracts';
import { estimateDeviceMessages } from './device-message.parser';
import { publishReceipts, type ReceiptSend } from './ingest-receipts';
import { IngestService, urgentMessages } from './ingest.service';
import { URGENT_READING_SCREEN, type UrgentReadingScreen } from './urgent-reading';
import { CommitQueue, PublishRateLimiter, type InboundMessage } from '@homeward/platform';
import { InjectLogger, reportIngestBacklog, type Logger } from '@homeward/observability';

interface Waiting {
  message: InboundMessage;
  committed: () => void;
}

export const EMBEDDED_INGEST_CLIENT_ID = 'embedded-broker';

/**
 * Ingest inside the all-in-one process's embedded broker: each device publish is batched with
 * others and committed before the broker sends the device its PUBACK (aedes alone would ack on
 * receipt and keep the message in memory), so a crash of
 * the process loses nothing a device was told is stored.
 */
@Injectable()
export class EmbeddedBrokerIngest implements OnApplicationShutdown {
  private readonly queue: CommitQueue<Waiting>;
  private readonly rateLimiter: PublishRateLimiter;
  private sendReceipt?: ReceiptSend;

  constructor(
    private readonly config: AppConfig,
    ingest: IngestService,
    @InjectLogger() private readonly logger: Logger,
    @Inject(URGENT_READING_SCREEN) urgentReading: UrgentReadingScreen | null,
  ) {
    const isUrgent = urgentMessages(ingest, urgentReading);
    this.queue = new CommitQueue<Waiting>({
      batchSize: config.INGEST_BATCH_SIZE,
      flushMs: config.INGEST_FLUSH_MS,
      commit: async (batch) => {
        const { receipts, ...outcome } = await ingest.storeBatch(
          batch.map((entry) => entry.message),
          EMBEDDED_INGEST_CLIENT_ID,
        );
        this.logger.debug(outcome, 'Ingest batch committed');
        const send = this.sendReceipt;
        if (send) publishReceipts(receipts, send, this.logger);
      },
      onCommitted: (batch) => batch.forEach((entry) => entry.committed()),
      arrivedAt: (entry) => entry.message.receivedAt.getTime(),
      // A hub batch is up to 500 messages: batched and bounded as that many, not one.
      weightOf: (entry) => estimateDeviceMessages(entry.message.payload),
      isUrgent: isUrgent && ((entry) => isUrgent(entry.message)),
      // The topic names the device: batches take each device's messages in turns.
      fairKeyOf: (entry) => entry.message.topic,
      logger: logger.child({ component: 'embedded-ingest' }),
    });
    this.rateLimiter = new PublishRateLimiter(config.DEVICE_MAX_MESSAGES_PER_MINUTE);
    reportIngestBacklog(this);
  }

  /**
   * Where receipts go once a batch is committed: the broker itself, in process. Publishing
   * there does not pass authorizePublish, so it never waits behind the PUBACKs held there.
   */
  sendReceiptsWith(send: ReceiptSend): void {
    this.sendReceipt = send;
  }

  held(): number {
    return this.queue.weight;
  }

  oldestHeldAgeMs(): number {
    return this.queue.oldestAgeMs();
  }

  /**
   * Resolves once the message is committed; other topics pass straight through. A device over
   * its message budget waits for its next window first: its acknowledgements slow down, not
   * everyone's. Refuses when too much is held already (the database is down), so the publisher
   * retries later instead of growing this process's memory.
   */
  async storeBeforeAck(topic: string, payload: Buffer): Promise<void> {
    const deviceId = deviceIdFromTopic(topic) ?? deviceIdFromStatusTopic(topic);
    if (!deviceId) return;
    if (this.rateLimiter.limited)
      await this.rateLimiter.admitted(deviceId.toLowerCase(), estimateDeviceMessages(payload));
    if (this.queue.weight >= this.config.INGEST_MAX_HELD)
      throw new Error('ingest is behind; publish again later');
    return new Promise<void>((committed) =>
      this.queue.add({ message: { topic, payload, receivedAt: new Date() }, committed }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.stop();
  }
}
