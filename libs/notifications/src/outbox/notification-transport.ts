import type { NotificationDto } from '@homeward/contracts';
import type { NotificationChannel } from './notification.rows';

/** Whom a notification is for: transports look up addresses themselves, the outbox holds ids only. */
export interface NotificationRecipient {
  userId: string;
  organizationId: string;
}

/**
 * One way of reaching people. `send` resolves once the notification is handed over and throws
 * when it was not, in which case it is retried with backoff.
 */
export interface NotificationTransport {
  readonly channel: NotificationChannel;
  /** Recorded with each delivery attempt. */
  readonly name: string;
  send(notification: NotificationDto, recipient: NotificationRecipient): Promise<void>;
}

/** The transports of a process, one per channel. */
export const NOTIFICATION_TRANSPORTS = Symbol('NOTIFICATION_TRANSPORTS');
