import { Injectable } from '@nestjs/common';
import {
  ALERT_REPLAY_MAX,
  SEVERITIES,
  type AlertDto,
  type AlertPageQuery,
  type AlertReplayComplete,
  type Severity,
  type AlertStatus,
} from '@homeward/contracts';
import { AccessPolicy, AuditService, type Principal } from '@homeward/identity';
import { mapAlert } from './alert.mapper';
import { AlertRepository } from './alert.repository';

/** The order a coordinator back from an absence needs: the worst first. */
/** Most severe first. */
const REPLAY_SEVERITIES: readonly Severity[] = [...SEVERITIES].reverse();
const REPLAY_PAGE_SIZE = 500;

export interface AlertListQuery {
  status?: AlertStatus;
  patientId?: string;
  severity?: Severity;
  afterSequence?: number;
  beforeSequence?: number;
  limit: number;
}

/** Alert queries, always within the caller's scope, and audited. */
@Injectable()
export class AlertService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  /** Newest first; `beforeSequence` set to the last alert seen reads the next page. */
  async list(principal: Principal, query: AlertListQuery): Promise<AlertDto[]> {
    const rows = await this.alerts.listInScope(this.access.patientScope(principal), {
      status: query.status,
      patientId: query.patientId,
      severity: query.severity,
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
   * `ALERT_REPLAY_MAX` alerts and then names the `GET /api/alerts` queries for the rest.
   */
  async replayAfter(
    principal: Principal,
    afterSequence: number,
    deliver: (alerts: AlertDto[]) => void,
  ): Promise<AlertReplayComplete> {
    await this.audit.record(principal, 'alert.replay', {
      resourceType: 'alert',
      resourceId: `after:${afterSequence}`,
    });
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
          return { count, highestSequence, truncated: true, remaining };
        }
        if (rows.length < limit) break;
      }
    }
    return { count, highestSequence, truncated: false, remaining: [] };
  }

  /** A live alert stream was opened: every alert of the organisation will be pushed to it. */
  async recordStreamOpened(principal: Principal): Promise<void> {
    await this.audit.record(principal, 'alert.stream', { resourceType: 'alert' });
  }
}
