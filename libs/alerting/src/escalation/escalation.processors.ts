import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { JobProcessor, type JobPayload } from '@homeward/platform';
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
export class EscalationsSweepProcessor
  extends JobProcessor<typeof ESCALATION_JOBS, 'escalations.sweep'>
  implements OnApplicationBootstrap
{
  readonly name = 'escalations.sweep';

  constructor(
    private readonly escalation: EscalationService,
    private readonly jobs: EscalationJobs,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('escalations.sweep', this.config.ESCALATION_SWEEP_EVERY_MS, {});
  }

  async process(): Promise<void> {
    await this.escalation.sweep();
  }
}
