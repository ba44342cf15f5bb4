import { Injectable } from '@nestjs/common';
import type { AlertDto } from '@homeward/contracts';
import { AlertRepository } from '@homeward/db';
import type { Principal } from '../principal';
import { mapAlert } from './alert.mapper';

/** Alert queries, always within the caller's organisation. */
@Injectable()
export class AlertService {
  constructor(private readonly alerts: AlertRepository) {}

  async list(
    principal: Principal,
    filter: { status?: string; patientId?: string; limit: number },
  ): Promise<AlertDto[]> {
    const rows = await this.alerts.listInOrganization({
      organizationId: principal.organizationId,
      ...filter,
    });
    return rows.map(mapAlert);
  }

  /** What a reconnecting client missed after `sequence`, oldest first. */
  async listAfter(principal: Principal, sequence: number, limit: number): Promise<AlertDto[]> {
    const rows = await this.alerts.listAfterSequence(principal.organizationId, String(sequence), limit);
    return rows.map(mapAlert);
  }
}
