import { Module } from '@nestjs/common';
import { IngestCoreModule } from '@homeward/core';
import { EmbeddedBrokerIngest } from './embedded-broker-ingest';
import { MqttIngestRunner } from './mqtt-ingest.runner';

@Module({
  imports: [IngestCoreModule],
  providers: [MqttIngestRunner, EmbeddedBrokerIngest],
  exports: [MqttIngestRunner, EmbeddedBrokerIngest],
})
export class IngestConsumerModule {}
