import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { NewAuditEventRow } from '../identity.rows';

@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  async insert(event: NewAuditEventRow, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO audit_events (organization_id, actor_user_id, actor_role, action, resource_type, resource_id, patient_id, outcome, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        event.organizationId,
        event.actorUserId,
        event.actorRole,
        event.action,
        event.resourceType,
        event.resourceId,
        event.patientId,
        event.outcome,
        event.requestId,
      ],
    );
  }
}
