import { Injectable } from '@nestjs/common';
import { organizationScope } from '@homeward/access';
import { AppConfig } from '@homeward/config';
import { UserService } from '@homeward/identity';
import { NotificationService } from '@homeward/notifications';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, type Queryable } from '@homeward/platform';
import type { AlertRow } from '../alerting.rows';
import { AlertPublisher } from '../alerts/alert-publisher';
import { mapAlert } from '../alerts/alert.mapper';
import { AlertHistoryRepository } from '../alerts/alert-history.repository';
import { AlertRepository } from '../alerts/alert.repository';
import {
  AWAITING_ACKNOWLEDGEMENT,
  awaitsAcknowledgement,
  effectivePolicy,
  escalationJobId,
  onCallAt,
  type EscalationStep,
} from './escalation-plan';
import { EscalationJobs } from './escalation.jobs';
import { EscalationRepository } from './escalation.repository';

/** How far back the sweep looks for critical alerts whose planning was lost. */
const PLAN_MISSING_WITHIN_SECONDS = 3600;
const SWEEP_LIMIT = 500;

interface Recipients {
  /** Whom the step went to: the on-call clinician, else the first admin; null when nobody. */
  to: string | null;
  notified: string[];
  reason?: 'nobody_on_call' | 'no_admin';
}

/** Takes escalation steps when they fall due, and re-arms the ones Redis lost. */
@Injectable()
export class EscalationService {
  constructor(
    private readonly db: Database,
    private readonly escalations: EscalationRepository,
    private readonly alerts: AlertRepository,
    private readonly history: AlertHistoryRepository,
    private readonly users: UserService,
    private readonly notifications: NotificationService,
    private readonly publisher: AlertPublisher,
    private readonly jobs: EscalationJobs,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /**
   * Takes `step` of an alert's escalation, exactly once however many jobs run for it:
   * 1. its row (and any earlier step still pending, whose job was lost) is locked; a step
   *    already taken, cancelled, or not yet due (a stale job) is left alone;
   * 2. the alert is locked and re-checked: acknowledged or closed meanwhile, the pending steps
   *    are dropped and nothing happens;
   * 3. step 1 sets it `escalated` and assigns it to the on-call clinician (the admins are told
   *    when nobody is on call); step 2 tells the admins. Each step is an `escalate` event with
   *    no actor, and notifications in the outbox, all in one transaction;
   * 4. after the commit, `alert.updated` is pushed and the notifications dispatched.
   */
  async takeStep(alertId: string, step: EscalationStep, correlationId: string): Promise<void> {
    const outcome = await this.db.transaction(async (tx) => {
      const pending = await this.escalations.lockPendingUpTo(alertId, step, tx);
      const target = pending.find((row) => row.step === step);
      if (!target?.due) return undefined;
      const alert = await this.alerts.findForUpdate(alertId, tx);
      if (!alert || !awaitsAcknowledgement(alert)) {
        await this.escalations.deletePending(alertId, tx);
        return undefined;
      }
      let row = alert;
      const notificationIds: string[] = [];
      const taken: Array<{ step: EscalationStep } & Recipients> = [];
      for (const { step: current } of pending) {
        const recipients = await this.recipients(alert.organizationId, current, tx);
        const updated = await this.alerts.transition(
          {
            scope: organizationScope(alert.organizationId),
            id: alertId,
            fromStatuses: AWAITING_ACKNOWLEDGEMENT,
            toStatus: 'escalated',
            assignedTo: current === 1 && recipients.to ? recipients.to : undefined,
          },
          tx,
        );
        if (!updated) throw new Error(`Alert ${alertId} left ${row.status} while locked`);
        await this.history.insertEvent(
          {
            alertId,
            organizationId: alert.organizationId,
            actorUserId: null,
            action: 'escalate',
            fromStatus: updated.fromStatus,
            toStatus: updated.row.status,
            detail: {
              step: current,
              to: recipients.to,
              notified: recipients.notified,
              ...(recipients.reason ? { reason: recipients.reason } : {}),
            },
          },
          tx,
        );
        await this.escalations.markDone(alertId, current, recipients.to, tx);
        notificationIds.push(...(await this.notify(updated.row, current, recipients, tx)));
        taken.push({ step: current, ...recipients });
        row = updated.row;
      }
      return { row, notificationIds, taken, previousAssignee: alert.assignedTo };
    });
    if (!outcome) return;
    // Whoever held the alert before the on-call clinician was given it sees it move on.
    await this.publisher.alertUpdated(mapAlert(outcome.row), outcome.previousAssignee);
    await this.notifications.dispatch(outcome.notificationIds);
    for (const step of outcome.taken)
      this.logger.info(
        {
          alertId,
          step: step.step,
          to: step.to,
          notified: step.notified.length,
          reason: step.reason,
          correlationId,
        },
        'Alert escalated',
      );
  }

  /**
   * The sweep: plans the steps of critical alerts whose planning a crash lost, and re-enqueues
   * every pending step that is due (a job that still exists is not added twice).
   */
  async sweep(): Promise<void> {
    const defaults = effectivePolicy(undefined, {
      firstAfterMinutes: this.config.ESCALATION_FIRST_AFTER_MINUTES,
      thenAfterMinutes: this.config.ESCALATION_THEN_AFTER_MINUTES,
    });
    const planned = await this.escalations.planMissing(defaults, PLAN_MISSING_WITHIN_SECONDS, SWEEP_LIMIT);
    if (planned.length > 0) this.logger.info({ count: planned.length }, 'Planned lost escalation steps');
    const due = await this.escalations.listDue(SWEEP_LIMIT);
    for (const row of due)
      await this.jobs.enqueue(
        'alerts.escalate',
        { alertId: row.alertId, step: row.step, correlationId: `sweep-${row.alertId}` },
        escalationJobId(row.alertId, row.step),
      );
  }

  private async recipients(organizationId: string, step: EscalationStep, tx: Queryable): Promise<Recipients> {
    if (step === 1) {
      const onCall = onCallAt(await this.escalations.listShiftsCoveringNow(organizationId, tx), new Date());
      if (onCall) return { to: onCall.userId, notified: [onCall.userId] };
    }
    const admins = (await this.users.activeInRole(organizationId, 'admin')).map((user) => user.id);
    if (admins.length === 0)
      return { to: null, notified: [], reason: step === 1 ? 'nobody_on_call' : 'no_admin' };
    return { to: admins[0], notified: admins, ...(step === 1 ? { reason: 'nobody_on_call' as const } : {}) };
  }

  private notify(
    alert: AlertRow,
    step: EscalationStep,
    recipients: Recipients,
    tx: Queryable,
  ): Promise<string[]> {
    return this.notifications.notify(
      {
        organizationId: alert.organizationId,
        userIds: recipients.notified,
        kind: 'alert.escalated',
        alertId: alert.id,
        payload: {
          step,
          severity: alert.severity,
          ...(recipients.reason ? { reason: recipients.reason } : {}),
        },
      },
      tx,
    );
  }
}
