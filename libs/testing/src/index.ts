export * from './api-client';
export * from './app-process';
export * from './factories';
export * from './mosquitto';
export * from './ports';
export * from './stack';
export * from './test-database';
export * from './integration-module';
