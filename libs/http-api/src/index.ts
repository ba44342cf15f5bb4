export * from './configure-http';
export * from './http-api.module';
export * from './realtime/alerts.gateway';
