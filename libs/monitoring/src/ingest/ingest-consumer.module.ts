import { Module, type DynamicModule } from '@nestjs/common';
import { IngestModule } from '../monitoring.module';
import { EmbeddedBrokerIngest } from './embedded-broker-ingest';
import { MqttIngestRunner } from './mqtt-ingest.runner';
import { URGENT_READING_SCREEN, type UrgentReadingScreen } from './urgent-reading';

export interface IngestConsumerOptions {
  /** Readings whose messages skip the batching delay; without it every message waits its batch. */
  urgentReading?: UrgentReadingScreen;
}

/**
 * How device messages reach the ingest service: an MQTT consumer of an external broker, or
 * (the all-in-one process) the embedded broker's publish hook, which stores before its PUBACK.
 */
@Module({})
export class IngestConsumerModule {
  static forRoot(
    source: 'mqtt-consumer' | 'embedded-broker',
    options: IngestConsumerOptions = {},
  ): DynamicModule {
    const provider = source === 'mqtt-consumer' ? MqttIngestRunner : EmbeddedBrokerIngest;
    return {
      module: IngestConsumerModule,
      imports: [IngestModule],
      providers: [provider, { provide: URGENT_READING_SCREEN, useValue: options.urgentReading ?? null }],
      exports: [provider],
    };
  }
}
