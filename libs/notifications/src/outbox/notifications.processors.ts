import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { JobProcessor, RecurringJobProcessor, type JobPayload } from '@homeward/platform';
import { NotificationDeliveryService } from './notification-delivery.service';
import { NOTIFICATION_JOBS, NotificationJobs } from './notification.jobs';
import { NotificationService } from './notification.service';

const SWEEP_LIMIT = 500;

@Injectable()
export class NotificationsDeliverProcessor extends JobProcessor<
  typeof NOTIFICATION_JOBS,
  'notifications.deliver'
> {
  readonly name = 'notifications.deliver';

  constructor(private readonly delivery: NotificationDeliveryService) {
    super();
  }

  async process({
    notificationId,
  }: JobPayload<typeof NOTIFICATION_JOBS, 'notifications.deliver'>): Promise<void> {
    await this.delivery.deliver(notificationId);
  }
}

/** The outbox sweep: a BullMQ schedule, so it runs once per interval across all worker replicas. */
@Injectable()
export class NotificationsSweepProcessor extends RecurringJobProcessor<
  typeof NOTIFICATION_JOBS,
  'notifications.sweep'
> {
  readonly name = 'notifications.sweep';

  constructor(
    private readonly notifications: NotificationService,
    jobs: NotificationJobs,
    config: AppConfig,
  ) {
    super(jobs, config.ESCALATION_SWEEP_EVERY_MS);
  }

  async process(): Promise<void> {
    await this.notifications.requeueDue(SWEEP_LIMIT);
  }
}
