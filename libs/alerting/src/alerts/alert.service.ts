import { Injectable } from '@nestjs/common';
import {
  ALERT_REPLAY_MAX,
  SEVERITIES,
  planTransition,
  type AlertEventAction,
  type AlertDto,
  type AlertPageQuery,
  type AlertReplayComplete,
  type Severity,
  type AlertStatus,
} from '@homeward/contracts';
import { AuditService, UserService } from '@homeward/identity';
import { AccessPolicy, type Principal } from '@homeward/access';
import { Database, ResourceNotFoundError } from '@homeward/platform';
import type { AlertEventRow } from '../alerting.rows';
import { AlertEscalationScheduler } from '../escalation/alert-escalation.scheduler';
import { AlertPublisher } from './alert-publisher';
import { AlertActionRefusedError } from './alert.errors';
import { mapAlert } from './alert.mapper';
import { AlertHistoryRepository } from './alert-history.repository';
import { AlertOccurrenceRepository } from './alert-occurrence.repository';
import { AlertRepository } from './alert.repository';

/** The order a coordinator back from an absence needs: the worst first. */
/** Most severe first. */
const REPLAY_SEVERITIES: readonly Severity[] = [...SEVERITIES].reverse();
const REPLAY_PAGE_SIZE = 500;

export interface AlertListQuery {
  status?: AlertStatus[];
  assignedTo?: 'me';
  patientId?: string;
  severity?: Severity;
  /** Snoozed alerts are hidden from the queue until their snooze ends, unless asked for. */
  includeSnoozed?: 'true' | 'false';
  afterSequence?: number;
  beforeSequence?: number;
  limit: number;
}

/** An action with what it carries, as the API receives it. */
export type AlertActionInput =
  | { action: 'acknowledge' | 'escalate' }
  | { action: 'assign'; userId: string }
  | { action: 'note'; text: string }
  | { action: 'snooze'; until: Date }
  | { action: 'resolve' | 'dismiss'; reason: string };

export interface AlertReading {
  ruleId: string;
  ruleVersion: number;
  severity: Severity;
  deviceId: string;
  messageId: string;
  type: string;
  measuredAt: string;
  value: number;
  unit: string;
}

export interface AlertHistoryEntry {
  action: AlertEventAction;
  actorUserId: string | null;
  fromStatus: AlertStatus;
  toStatus: AlertStatus;
  detail: Record<string, unknown>;
  at: string;
}

function actionDetail(input: AlertActionInput): Record<string, unknown> {
  switch (input.action) {
    case 'acknowledge':
    case 'escalate':
      return {};
    case 'assign':
      return { userId: input.userId };
    case 'note':
      return { text: input.text };
    case 'snooze':
      return { until: input.until.toISOString() };
    case 'resolve':
    case 'dismiss':
      return { reason: input.reason };
  }
}

function mapHistoryEntry(row: AlertEventRow): AlertHistoryEntry {
  return {
    action: row.action,
    actorUserId: row.actorUserId,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    detail: row.detail,
    at: row.createdAt.toISOString(),
  };
}

/** Alert queries, always within the caller's scope, and audited. */
@Injectable()
export class AlertService {
  constructor(
    private readonly db: Database,
    private readonly alerts: AlertRepository,
    private readonly history: AlertHistoryRepository,
    private readonly occurrences: AlertOccurrenceRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly users: UserService,
    private readonly publisher: AlertPublisher,
    private readonly escalation: AlertEscalationScheduler,
  ) {}

  /** One alert with its history; 404 outside the caller's scope. Audited either way. */
  async get(
    principal: Principal,
    id: string,
  ): Promise<AlertDto & { history: AlertHistoryEntry[]; readings: AlertReading[] }> {
    const row = await this.alerts.findInScope(this.access.patientScope(principal), id);
    await this.audit.record(principal, 'alert.read', {
      resourceType: 'alert',
      resourceId: id,
      patientId: row?.patientId ?? null,
      outcome: row ? 'allowed' : 'denied',
    });
    if (!row) throw new ResourceNotFoundError('Alert', id);
    const events = (await this.history.listEvents(id)).map(mapHistoryEntry);
    // Raising is the platform's act, recorded by the alert row itself: the history starts there.
    const raisedAs = events[0]?.fromStatus ?? row.status;
    const raise: AlertHistoryEntry = {
      action: 'raise',
      actorUserId: null,
      fromStatus: raisedAs,
      toStatus: raisedAs,
      detail: { ruleId: row.ruleId, severity: row.severity },
      at: row.createdAt.toISOString(),
    };
    const readings = (await this.occurrences.listOccurrences(id)).map((occurrence) => ({
      ...occurrence,
      measuredAt: occurrence.measuredAt.toISOString(),
    }));
    return { ...mapAlert(row), history: [raise, ...events], readings };
  }

  /**
   * Takes `action` on an alert: checked against its state, applied only if nobody changed that
   * state meanwhile (else 409 with the state that won), recorded in its history and the audit
   * trail in the same transaction, then pushed as `alert.updated`.
   */
  async act(principal: Principal, id: string, action: AlertActionInput): Promise<AlertDto> {
    const scope = this.access.patientScope(principal);
    const updated = await this.db.transaction(async (tx) => {
      const current = await this.alerts.findInScope(scope, id, tx);
      if (!current) throw new ResourceNotFoundError('Alert', id);
      // After the alert: an alert out of scope answers the same whoever the body names.
      if (action.action === 'assign' && !(await this.users.isColleague(principal, action.userId)))
        throw new ResourceNotFoundError('User', action.userId);
      const plan = planTransition(current, action.action, {
        snoozeUntil: action.action === 'snooze' ? action.until : undefined,
      });
      if (!plan.allowed) throw new AlertActionRefusedError(action.action, current, plan.reason);
      const changed = await this.alerts.transition(
        {
          scope,
          id,
          fromStatuses: plan.from,
          toStatus: plan.to === 'same' ? undefined : plan.to,
          assignedTo: action.action === 'assign' ? action.userId : undefined,
          // Whoever acknowledges owns the alert, unless someone is assigned already, even at the
          // same moment: an acknowledgement never takes over someone else's assignment.
          assignIfUnassigned: action.action === 'acknowledge' ? principal.userId : undefined,
          snoozedUntil: action.action === 'snooze' ? action.until : undefined,
        },
        tx,
      );
      if (!changed) {
        const now = await this.alerts.findInScope(scope, id, tx);
        throw new AlertActionRefusedError(action.action, now ?? current, 'state');
      }
      const { row, fromStatus } = changed;
      // The state the change left, from the changed row: `current` may predate an action that
      // committed meanwhile (acknowledged while this escalation waited for its lock).
      await this.history.insertEvent(
        {
          alertId: id,
          organizationId: row.organizationId,
          actorUserId: principal.userId,
          action: action.action,
          fromStatus,
          toStatus: row.status,
          detail: actionDetail(action),
        },
        tx,
      );
      await this.audit.record(
        principal,
        'alert.act',
        { resourceType: 'alert', resourceId: id, patientId: row.patientId },
        tx,
      );
      return { row, changedStatus: row.status !== fromStatus, previousAssignee: current.assignedTo };
    });
    const alert = mapAlert(updated.row);
    await this.publisher.alertUpdated(alert, updated.previousAssignee);
    // Acknowledging or closing stops the escalation clock; a new state may start it.
    if (updated.changedStatus) await this.escalation.afterChange([updated.row]);
    return alert;
  }

  /** Newest first; `beforeSequence` set to the last alert seen reads the next page. */
  async list(principal: Principal, query: AlertListQuery): Promise<AlertDto[]> {
    const rows = await this.alerts.listInScope(this.access.patientScope(principal), {
      statuses: query.status,
      assignedTo: query.assignedTo === 'me' ? principal.userId : undefined,
      patientId: query.patientId,
      severity: query.severity,
      includeSnoozed: query.includeSnoozed === 'true',
      afterSequence: query.afterSequence === undefined ? undefined : String(query.afterSequence),
      beforeSequence: query.beforeSequence === undefined ? undefined : String(query.beforeSequence),
      limit: query.limit,
    });
    await this.audit.record(principal, 'alert.list', {
      resourceType: 'alert',
      patientId: query.patientId ?? null,
    });
    return rows.map(mapAlert);
  }

  /**
   * Hands `deliver` what a reconnecting client missed after `afterSequence`, page by page:
   * critical, then warning, then info, newest first within each. Stops after
   * `ALERT_REPLAY_MAX` alerts and then names the `GET /api/alerts` queries for the rest. Then
   * hands `deliverUpdates` the older alerts that changed after `afterSequence`.
   */
  async replayAfter(
    principal: Principal,
    afterSequence: number,
    deliver: (alerts: AlertDto[]) => void,
    deliverUpdates: (alerts: AlertDto[]) => void = () => undefined,
  ): Promise<AlertReplayComplete> {
    await this.audit.record(principal, 'alert.replay', {
      resourceType: 'alert',
      resourceId: `after:${afterSequence}`,
    });
    // Alerts the client already had that changed meanwhile, oldest change first, before the summary.
    const updates = async () => {
      const changed = await this.alerts.listChangedAfter(
        this.access.patientScope(principal),
        String(afterSequence),
        ALERT_REPLAY_MAX + 1,
      );
      const page = changed.slice(0, ALERT_REPLAY_MAX).map(mapAlert);
      if (page.length > 0) deliverUpdates(page);
      return { updated: page.length, updatesTruncated: changed.length > ALERT_REPLAY_MAX };
    };
    let count = 0;
    let highestSequence: number | null = null;
    for (const [index, severity] of REPLAY_SEVERITIES.entries()) {
      let beforeSequence: string | undefined;
      for (;;) {
        // One row beyond the budget tells a cut-short replay from one that ended exactly there.
        const budget = ALERT_REPLAY_MAX - count;
        const limit = Math.min(REPLAY_PAGE_SIZE, budget + 1);
        const rows = await this.alerts.listInScope(this.access.patientScope(principal), {
          severity,
          afterSequence: String(afterSequence),
          beforeSequence,
          limit,
        });
        const page = rows.slice(0, budget).map(mapAlert);
        if (page.length > 0) {
          deliver(page);
          count += page.length;
          highestSequence = Math.max(highestSequence ?? 0, page[0].sequence);
          beforeSequence = String(page[page.length - 1].sequence);
        }
        if (rows.length > page.length) {
          const remaining: AlertPageQuery[] = [
            {
              severity,
              afterSequence,
              ...(beforeSequence === undefined ? {} : { beforeSequence: Number(beforeSequence) }),
            },
            ...REPLAY_SEVERITIES.slice(index + 1).map((lower) => ({ severity: lower, afterSequence })),
          ];
          return { count, highestSequence, truncated: true, remaining, ...(await updates()) };
        }
        if (rows.length < limit) break;
      }
    }
    return { count, highestSequence, truncated: false, remaining: [], ...(await updates()) };
  }

  /** A replay not run (the server is busy): every missed alert is left to `GET /api/alerts`. */
  deferredReplay(afterSequence: number): AlertReplayComplete {
    return {
      count: 0,
      highestSequence: null,
      truncated: true,
      remaining: REPLAY_SEVERITIES.map((severity) => ({ severity, afterSequence })),
      updated: 0,
      updatesTruncated: true,
    };
  }

  /** A live alert stream was opened: every alert of the organisation will be pushed to it. */
  async recordStreamOpened(principal: Principal): Promise<void> {
    await this.audit.record(principal, 'alert.stream', { resourceType: 'alert' });
  }
}
