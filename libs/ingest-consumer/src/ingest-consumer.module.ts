import { Module } from '@nestjs/common';
import { IngestCoreModule } from '@homeward/core';
import { MqttIngestRunner } from './mqtt-ingest.runner';

@Module({ imports: [IngestCoreModule], providers: [MqttIngestRunner], exports: [MqttIngestRunner] })
export class IngestConsumerModule {}
