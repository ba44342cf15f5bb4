import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { JobQueue, REDIS, defineJob, defineRecurringJob } from '@homeward/platform';

/** Delivery attempts per notification, counted in its outbox row; after the last it is `failed`. */
export const NOTIFICATION_MAX_ATTEMPTS = 6;
/** First retry after this; each next one waits twice as long (1, 2, 4, 8, 16 s). */
export const NOTIFICATION_BACKOFF_MS = 1000;

/** Retry delay after failed attempt `attempt` (1-based), as BullMQ's exponential backoff computes it. */
export function notificationRetryDelayMs(attempt: number): number {
  return NOTIFICATION_BACKOFF_MS * 2 ** (attempt - 1);
}

export const NOTIFICATION_JOBS = {
  'notifications.deliver': defineJob<{ notificationId: string }>({
    attempts: NOTIFICATION_MAX_ATTEMPTS,
    backoff: { type: 'exponential', delay: NOTIFICATION_BACKOFF_MS },
    // The outbox row says whether it was delivered; gone jobs let the sweep re-enqueue.
    removeOnComplete: true,
    removeOnFail: true,
  }),
  /** Re-enqueues pending notifications whose job was lost; scheduled once per cluster. */
  'notifications.sweep': defineRecurringJob(),
};

@Injectable()
export class NotificationJobs extends JobQueue<typeof NOTIFICATION_JOBS> {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(NOTIFICATION_JOBS, redis, config.REDIS_PREFIX);
  }
}

/** BullMQ job id of a notification's delivery (ids may not contain ':'). */
export function notificationJobId(notificationId: string): string {
  return `notification-${notificationId}`;
}
