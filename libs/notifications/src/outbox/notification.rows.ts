/** Row types of the notification outbox and its deliveries. */
import type { NotificationDto, NotificationKind } from '@homeward/contracts';

export const NOTIFICATION_CHANNELS = ['socket', 'email', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export interface NewNotificationRow {
  organizationId: string;
  recipientUserId: string;
  channel: NotificationChannel;
  kind: NotificationKind;
  alertId: string | null;
  payload: NotificationDto['payload'];
}

export interface NotificationRow extends NewNotificationRow {
  id: string;
  status: 'pending' | 'sent' | 'failed';
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
  attemptedAt: Date;
}
