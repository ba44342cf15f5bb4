import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { JobProcessor, RecurringJobProcessor, type JobPayload } from '@homeward/platform';
import { ESCALATION_JOBS, EscalationJobs } from './escalation.jobs';
import { EscalationService } from './escalation.service';

@Injectable()
export class AlertsEscalateProcessor extends JobProcessor<typeof ESCALATION_JOBS, 'alerts.escalate'> {
  readonly name = 'alerts.escalate';

  constructor(private readonly escalation: EscalationService) {
    super();
  }

  async process({
    alertId,
    step,
    correlationId,
  }: JobPayload<typeof ESCALATION_JOBS, 'alerts.escalate'>): Promise<void> {
    await this.escalation.takeStep(alertId, step, correlationId);
  }
}

/** The escalation sweep: a BullMQ schedule, so it runs once per interval across all worker replicas. */
@Injectable()
export class EscalationsSweepProcessor extends RecurringJobProcessor<
  typeof ESCALATION_JOBS,
  'escalations.sweep'
> {
  readonly name = 'escalations.sweep';

  constructor(
    private readonly escalation: EscalationService,
    jobs: EscalationJobs,
    config: AppConfig,
  ) {
    super(jobs, config.ESCALATION_SWEEP_EVERY_MS);
  }

  async process(): Promise<void> {
    await this.escalation.sweep();
  }
}
