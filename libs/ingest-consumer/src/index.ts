export * from './ingest-consumer.module';
export * from './mqtt-ingest.runner';
export * from './embedded-broker-ingest';
