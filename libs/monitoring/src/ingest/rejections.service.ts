import { Injectable } from '@nestjs/common';
import { AuditService } from '@homeward/identity';
import { AccessPolicy, type Principal } from '@homeward/access';
import { RejectionRepository, type RejectionRow } from './rejection.repository';

/** Device messages ingest refused, for the admins who keep an organisation's devices working. */
@Injectable()
export class RejectionsService {
  constructor(
    private readonly rejections: RejectionRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  async list(
    principal: Principal,
    filter: { deviceId?: string; reason?: string; beforeId?: string; limit: number },
  ): Promise<RejectionRow[]> {
    const rows = await this.rejections.listInScope(this.access.patientScope(principal), filter);
    // Payloads may hold readings: reading them is an access to patient data.
    await this.audit.record(principal, 'ingest.rejections.read', {
      resourceType: 'device',
      resourceId: filter.deviceId ?? null,
    });
    return rows;
  }
}
