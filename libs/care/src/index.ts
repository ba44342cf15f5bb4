export { CareTimeService } from './care-time/care-time.service';
export type { CareTimeLog, CareTimeMonth } from './care-time/care-time.service';
export * from './care.module';
export * from './care-http.module';
export * from './care.audit';
