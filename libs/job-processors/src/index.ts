export * from './job-processors.module';
export * from './job-runner';
