import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { AuditAccessRow, AuditChainRow, NewAuditEventRow } from '../identity.rows';
import { AUDIT_NIL_CHAIN } from './audit-chain';

/** A condition that keeps a query to one scope's rows (`PatientScope` from `@homeward/access`). */
export interface AuditScopeCondition {
  sql(params: unknown[], alias?: string): string;
}

const CHAIN_KEY = (alias: string) => `COALESCE(${alias}.organization_id, '${AUDIT_NIL_CHAIN}'::uuid)`;

@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  /** The insert trigger (`audit_events_link`) sets chain_seq, prev_hash and row_hash. */
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

  /**
   * One page of an organisation's chain in [from, to), in chain order after `afterSeq`, each row
   * with the hash of the row before it, read as the text the hash covers.
   */
  async chainPage(
    organizationId: string,
    range: { from: Date | null; to: Date | null },
    afterSeq: string,
    limit: number,
  ): Promise<AuditChainRow[]> {
    const { rows } = await this.db.query<AuditChainRow>(
      `SELECT a.id::text AS "id", a.chain_seq::text AS "chainSeq", a.organization_id::text AS "organizationId",
              to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt",
              a.actor_user_id::text AS "actorUserId", a.actor_role AS "actorRole", a.action,
              a.resource_type AS "resourceType", a.resource_id AS "resourceId",
              a.patient_id::text AS "patientId", a.outcome, a.request_id AS "requestId",
              a.prev_hash AS "prevHash", a.row_hash AS "rowHash", b.row_hash AS "previousRowHash"
         FROM audit_events a
         LEFT JOIN audit_events b
           ON ${CHAIN_KEY('b')} = ${CHAIN_KEY('a')} AND b.chain_seq = a.chain_seq - 1
        WHERE ${CHAIN_KEY('a')} = $1
          AND a.chain_seq > $2
          AND ($3::timestamptz IS NULL OR a.occurred_at >= $3)
          AND ($4::timestamptz IS NULL OR a.occurred_at < $4)
        ORDER BY a.chain_seq
        LIMIT $5`,
      [organizationId, afterSeq, range.from, range.to, limit],
    );
    return rows;
  }

  /** Who touched one patient's record, newest first, kept to `scope`. */
  async patientAccessLog(
    scope: AuditScopeCondition,
    patientId: string,
    page: { limit: number; offset: number },
  ): Promise<AuditAccessRow[]> {
    const params: unknown[] = [patientId, page.limit, page.offset];
    const { rows } = await this.db.query<AuditAccessRow>(
      `SELECT a.occurred_at AS "occurredAt", a.actor_user_id AS "actorUserId", u.display_name AS "actorName",
              a.actor_role AS "actorRole", a.action, a.outcome,
              a.resource_type AS "resourceType", a.resource_id AS "resourceId"
         FROM audit_events a
         LEFT JOIN users u ON u.id = a.actor_user_id
        WHERE a.patient_id = $1 AND ${scope.sql(params, 'a')}
        ORDER BY a.occurred_at DESC, a.id DESC
        LIMIT $2 OFFSET $3`,
      params,
    );
    return rows;
  }
}
