import type { NotificationDto } from '@homeward/contracts';
import type { NotificationChannel } from './notification.rows';

/** Whom a notification is for, and where it goes on the transport's channel. */
export interface NotificationRecipient {
  userId: string;
  organizationId: string;
  /** The email address or E.164 phone number; null for the socket. */
  address: string | null;
}

/** What a provider said when it took a notification. */
export interface NotificationReceipt {
  /** The provider's id (Twilio's Message SID), which its status callbacks name. */
  providerMessageId?: string;
}

/**
 * A delivery the provider refused: `permanent` when trying again cannot help (an invalid
 * number, a rejected address), so the next channel takes over at once instead of after retries.
 */
export class NotificationTransportError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'NotificationTransportError';
  }
}

/**
 * One way of reaching people. `send` resolves once the notification is handed over and throws
 * when it was not, in which case it is retried with backoff (unless the error is permanent).
 */
export interface NotificationTransport {
  readonly channel: NotificationChannel;
  /** Recorded with each delivery attempt. */
  readonly name: string;
  send(notification: NotificationDto, recipient: NotificationRecipient): Promise<NotificationReceipt | void>;
}

/** The transports of a process, one per channel. */
export const NOTIFICATION_TRANSPORTS = Symbol('NOTIFICATION_TRANSPORTS');
