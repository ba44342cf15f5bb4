import { Module, type DynamicModule } from '@nestjs/common';
import { IngestModule } from '../monitoring.module';
import { EmbeddedBrokerIngest } from './embedded-broker-ingest';
import { MqttIngestRunner } from './mqtt-ingest.runner';

/**
 * How device messages reach the ingest service: an MQTT consumer of an external broker, or
 * (the all-in-one process) the embedded broker's publish hook, which stores before its PUBACK.
 */
@Module({})
export class IngestConsumerModule {
  static forRoot(source: 'mqtt-consumer' | 'embedded-broker'): DynamicModule {
    const provider = source === 'mqtt-consumer' ? MqttIngestRunner : EmbeddedBrokerIngest;
    return {
      module: IngestConsumerModule,
      imports: [IngestModule],
      providers: [provider],
      exports: [provider],
    };
  }
}
