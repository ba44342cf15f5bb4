import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '@homeward/config';
import { JobProcessor, RecurringJobProcessor, type JobPayload } from '@homeward/platform';
import { ALERTING_JOBS, AlertingJobs } from '../alerting.jobs';
import { MissedCheckService } from './missed-check.service';
import { MissedScheduleService } from './missed-schedule.service';

type Jobs = typeof ALERTING_JOBS;

/** One organisation's missed-reading check, run by its schedule. */
@Injectable()
export class MissedCheckProcessor extends JobProcessor<Jobs, 'alerts.missed-check'> {
  readonly name = 'alerts.missed-check';

  constructor(private readonly missed: MissedCheckService) {
    super();
  }

  async process(
    { organizationId }: JobPayload<Jobs, 'alerts.missed-check'>,
    job: Job<JobPayload<Jobs, 'alerts.missed-check'>>,
  ): Promise<void> {
    // A scheduled job has no request behind it: its own id correlates the logs and the alerts.
    await this.missed.check(organizationId, job.id ?? `missed-check-${organizationId}`);
  }
}

/**
 * Keeps a missed-check schedule per organisation: at every worker's start-up, and then
 * periodically on one cluster-wide schedule, which picks up organisations created since.
 */
@Injectable()
export class MissedReconcileProcessor extends RecurringJobProcessor<Jobs, 'alerts.missed-reconcile'> {
  readonly name = 'alerts.missed-reconcile';

  constructor(
    private readonly schedules: MissedScheduleService,
    jobs: AlertingJobs,
    config: AppConfig,
  ) {
    super(jobs, config.MISSED_CHECK_EVERY_MS);
  }

  override async onApplicationBootstrap(): Promise<void> {
    await this.schedules.reconcile();
    await super.onApplicationBootstrap();
  }

  async process(): Promise<void> {
    await this.schedules.reconcile();
  }
}
