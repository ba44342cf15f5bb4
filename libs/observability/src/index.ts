export * from './logger';
export * from './metrics';
export * from './process';
export * from './ops-server';
export * from './timeout';
export * from './redact';
