import { Injectable } from '@nestjs/common';
import type { AlertDto } from '@homeward/contracts';
import { AlertRepository } from '@homeward/db';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../principal';
import { mapAlert } from './alert.mapper';

/** Alert queries, always within the caller's organisation, and audited. */
@Injectable()
export class AlertService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly audit: AuditService,
  ) {}

  async list(
    principal: Principal,
    filter: { status?: string; patientId?: string; limit: number },
  ): Promise<AlertDto[]> {
    const rows = await this.alerts.listInOrganization({
      organizationId: principal.organizationId,
      ...filter,
    });
    await this.audit.record(principal, 'alert.list', {
      resourceType: 'alert',
      patientId: filter.patientId ?? null,
    });
    return rows.map(mapAlert);
  }

  /** What a reconnecting client missed after `sequence`, oldest first. */
  async listAfter(principal: Principal, sequence: number, limit: number): Promise<AlertDto[]> {
    const rows = await this.alerts.listAfterSequence(principal.organizationId, String(sequence), limit);
    await this.audit.record(principal, 'alert.replay', {
      resourceType: 'alert',
      resourceId: `after:${sequence}`,
    });
    return rows.map(mapAlert);
  }

  /** A live alert stream was opened: every alert of the organisation will be pushed to it. */
  async recordStreamOpened(principal: Principal): Promise<void> {
    await this.audit.record(principal, 'alert.stream', { resourceType: 'alert' });
  }
}
