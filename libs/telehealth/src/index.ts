export * from './visits/visit.service';
export * from './links/visit-join.service';
export * from './webhooks/visit-webhook.service';
export * from './no-show/visit-no-show.service';
export * from './telehealth.module';
export * from './telehealth-http.module';
export * from './telehealth-jobs.module';
export * from './telehealth.audit';
