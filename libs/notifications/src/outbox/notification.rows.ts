/** Row types of the notification outbox, its deliveries and users' notification preferences. */
import type { NotificationDto, NotificationKind } from '@homeward/contracts';

export const NOTIFICATION_CHANNELS = ['socket', 'email', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The channels that reach a person whose console is closed; a user orders these. */
export const CONTACT_CHANNELS = ['email', 'sms'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface NewNotificationRow {
  organizationId: string;
  recipientUserId: string;
  channel: NotificationChannel;
  kind: NotificationKind;
  alertId: string | null;
  payload: NotificationDto['payload'];
  /** Shared by the notifications one event sends one user: fallback tries a channel once per group. */
  groupId: string | null;
}

export interface NotificationRow extends NewNotificationRow {
  id: string;
  status: 'pending' | 'sent' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt: Date | null;
}

export interface NotificationDeliveryRow {
  notificationId: string;
  attempt: number;
  transport: string;
  outcome: 'sent' | 'failed';
  error: string | null;
  address: string | null;
  providerMessageId: string | null;
  providerStatus: string | null;
  attemptedAt: Date;
}

export interface NotificationPreferencesRow {
  userId: string;
  organizationId: string;
  phone: string | null;
  /** The user's order; null: the default (every channel they can be reached on). */
  channels: ContactChannel[] | null;
  updatedBy: string | null;
  updatedAt: Date;
}

/** Who an SMS to a number was last about: the user it went to and the alert. */
export interface SmsRecipientRow {
  userId: string;
  organizationId: string;
  alertId: string;
  notificationId: string;
}
