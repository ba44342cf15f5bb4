export * from './alert-publisher';
export * from './commit-queue';
export * from './embedded-broker';
export * from './held-ack-consumer';
export * from './job-queue';
export * from './job-workers';
export * from './redis';
export * from './messaging.module';
