import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { JobProcessor, RecurringJobProcessor, type JobPayload } from '@homeward/platform';
import { ALERTING_JOBS, AlertingJobs } from '../alerting.jobs';
import { AlertConfirmationService } from './alert-confirmation.service';

/** A pending crisis alert's deadline: opens it when no re-measurement decided it first. */
@Injectable()
export class AlertsConfirmProcessor extends JobProcessor<typeof ALERTING_JOBS, 'alerts.confirm'> {
  readonly name = 'alerts.confirm';

  constructor(private readonly confirmation: AlertConfirmationService) {
    super();
  }

  async process({
    alertId,
    correlationId,
  }: JobPayload<typeof ALERTING_JOBS, 'alerts.confirm'>): Promise<void> {
    await this.confirmation.confirmUnanswered(alertId, correlationId);
  }
}

/** The confirmation sweep, on the outbox sweep's cadence, once per interval across the cluster. */
@Injectable()
export class AlertsConfirmSweepProcessor extends RecurringJobProcessor<
  typeof ALERTING_JOBS,
  'alerts.confirm-sweep'
> {
  readonly name = 'alerts.confirm-sweep';

  constructor(
    private readonly confirmation: AlertConfirmationService,
    jobs: AlertingJobs,
    config: AppConfig,
  ) {
    super(jobs, config.EVALUATION_SWEEP_EVERY_MS);
  }

  async process(): Promise<void> {
    await this.confirmation.sweep();
  }
}
