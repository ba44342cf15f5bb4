import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import type { AlertRow } from '../alerting.rows';
import {
  ESCALATION_STEPS,
  awaitsAcknowledgement,
  effectivePolicy,
  escalationJobId,
  startsEscalation,
  stepDelays,
} from './escalation-plan';
import { EscalationJobs } from './escalation.jobs';
import { EscalationRepository } from './escalation.repository';

/**
 * Starts and stops alerts' escalation clocks. Whatever changes an alert (evaluation, people's
 * actions) hands the changed rows here once its transaction has committed:
 * 1. a critical alert that is open (or escalated) gets its steps planned in
 *    `alert_escalations`, N and N + M from now, and a delayed `alerts.escalate` job per step;
 * 2. an alert acknowledged or closed loses its pending steps, and their jobs are removed.
 * The rows, not the jobs, are the truth: a step's processor re-checks the alert before acting,
 * and the sweep plans what a crash between commit and this call missed.
 */
@Injectable()
export class AlertEscalationScheduler {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly jobs: EscalationJobs,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async afterChange(alerts: readonly AlertRow[]): Promise<void> {
    for (const alert of alerts) {
      try {
        if (startsEscalation(alert)) await this.plan(alert);
        else if (!awaitsAcknowledgement(alert)) await this.cancel(alert.id);
      } catch (error) {
        // The change itself committed; the sweep plans what failed here, and a step's
        // processor re-checks the alert, so a failed cancel escalates nothing.
        this.logger.warn(
          { err: error, alertId: alert.id },
          'Escalation scheduling failed; the sweep retries',
        );
      }
    }
  }

  private async plan(alert: AlertRow): Promise<void> {
    const policy = effectivePolicy(await this.escalations.findPolicy(alert.organizationId), {
      firstAfterMinutes: this.config.ESCALATION_FIRST_AFTER_MINUTES,
      thenAfterMinutes: this.config.ESCALATION_THEN_AFTER_MINUTES,
    });
    const planned = await this.escalations.planSteps(alert, stepDelays(policy));
    for (const { step, delayMs } of planned)
      await this.jobs.enqueue(
        'alerts.escalate',
        { alertId: alert.id, step, correlationId: alert.correlationId },
        escalationJobId(alert.id, step),
        delayMs,
      );
    if (planned.length > 0)
      this.logger.info(
        { alertId: alert.id, steps: planned.map((p) => p.step), policy: policy.source },
        'Escalation planned',
      );
  }

  private async cancel(alertId: string): Promise<void> {
    const cancelled = await this.escalations.deletePending(alertId);
    if (cancelled.length === 0) return;
    for (const step of ESCALATION_STEPS)
      await this.jobs.remove('alerts.escalate', escalationJobId(alertId, step));
    this.logger.info({ alertId, steps: cancelled }, 'Escalation cancelled');
  }
}
