import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { DEVICE_CONTRACT } from '@homeward/contracts';
import { estimateDeviceMessages } from './device-message.parser';
import { publishReceipts } from './ingest-receipts';
import { IngestService, urgentMessages } from './ingest.service';
import { URGENT_READING_SCREEN, type UrgentReadingScreen } from './urgent-reading';
import { HeldAckMqttConsumer } from '@homeward/platform';
import { InjectLogger, reportIngestBacklog, type Logger } from '@homeward/observability';

/** Feeds device messages from the broker into the ingest service, acknowledging after commit. */
@Injectable()
export class MqttIngestRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: HeldAckMqttConsumer;

  constructor(
    private readonly config: AppConfig,
    private readonly ingest: IngestService,
    @InjectLogger() private readonly logger: Logger,
    @Inject(URGENT_READING_SCREEN) private readonly urgentReading: UrgentReadingScreen | null,
  ) {}

  get connected(): boolean {
    return this.consumer?.connected ?? false;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { config } = this;
    if (!config.MQTT_URL) throw new Error('MQTT_URL is required to run the ingest consumer');
    const clientId = config.MQTT_CLIENT_ID;
    const consumer = new HeldAckMqttConsumer({
      url: config.MQTT_URL,
      clientId,
      username: config.MQTT_USERNAME,
      password: config.MQTT_PASSWORD,
      filters: [DEVICE_CONTRACT.readingsFilter, DEVICE_CONTRACT.bleFilter, DEVICE_CONTRACT.statusFilter],
      shareGroup: config.MQTT_SHARE_GROUP,
      batchSize: config.INGEST_BATCH_SIZE,
      flushMs: config.INGEST_FLUSH_MS,
      maxHeld: config.INGEST_MAX_HELD,
      // A hub batch is up to 500 messages: held, batched and bounded as that many, not one.
      weightOf: (message) => estimateDeviceMessages(message.payload),
      isUrgent: urgentMessages(this.ingest, this.urgentReading),
      // The topic names the device: batches take each device's messages in turns.
      fairKeyOf: (message) => message.topic,
      logger: this.logger.child({ component: 'mqtt-ingest', clientId }),
      onBatch: async (messages) => {
        const { receipts, ...outcome } = await this.ingest.storeBatch(messages, clientId, {
          enforceDeviceBudget: true,
        });
        this.logger.debug(outcome, 'Ingest batch committed');
        // Committed: the receipts go out beside the held PUBACKs, which do not wait for them.
        publishReceipts(receipts, (topic, payload) => consumer.publish(topic, payload), this.logger);
      },
    });
    this.consumer = consumer;
    reportIngestBacklog({ held: () => consumer.held, oldestHeldAgeMs: () => consumer.oldestHeldAgeMs() });
    await consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
