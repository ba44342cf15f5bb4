export * from './alerts/alert.service';
export * from './alerts/alerts.gateway';
export * from './protocols/protocol.service';
export * from './rules';
export * from './alerting.module';
export * from './alerting-http.module';
export * from './worklist/worklist.module';
export * from './worklist/worklist.service';
export { batchFindings } from './protocols/batch-findings';
