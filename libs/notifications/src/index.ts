export * from './outbox/notification.service';
export * from './outbox/notification-transport';
export * from './outbox/notification.jobs';
export * from './twilio/twilio-signature';
export * from './twilio/twilio-signature.guard';
export { TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH } from './transports/twilio-sms.transport';
export { renderNotification } from './content/notification-content';
export * from './notifications.module';
export * from './notifications.audit';
